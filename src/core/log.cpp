#include "core/log.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log_context.hpp"
#include "core/time.hpp"

namespace bw::core {

bool parse_log_level(std::string_view text, LogLevel& out) {
  static constexpr std::pair<std::string_view, LogLevel> kLevels[] = {{"DEBUG", LogLevel::kDebug},
                                                                      {"INFO", LogLevel::kInfo},
                                                                      {"WARNING", LogLevel::kWarning},
                                                                      {"ERROR", LogLevel::kError},
                                                                      {"CRITICAL", LogLevel::kCritical}};
  for (const auto& [name, value] : kLevels) {
    if (text == name) {
      out = value;
      return true;
    }
  }
  return false;
}

namespace log {
namespace {
std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mutex;
std::vector<std::string> g_redactions;

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kCritical:
      return "CRITICAL";
  }
  return "INFO";
}

//! The time of a line, to the second: each thread formats it once per second, not once per line (strftime
//! and glibc's time-zone lock cost more than the rest of a short line).
std::string_view timestamp(SystemTime now) {
  thread_local std::int64_t formatted_second = -1;
  thread_local std::array<char, 32> text;
  thread_local std::string_view formatted;
  const std::int64_t second = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  if (second != formatted_second) {
    formatted = format_iso8601(now, text);
    formatted_second = second;
  }
  return formatted;
}

void scrub(std::string& line, const std::string& secret) {
  for (std::size_t pos; (pos = line.find(secret)) != std::string::npos;)
    line.replace(pos, secret.size(), "***");
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere left to log to
    text.remove_prefix(std::size_t(n));
  }
}

//! Where lines go. g_mutex guards `pending` and the mode; `write_mutex` keeps batches in order: whoever
//! writes takes it first, then swaps `pending` out under g_mutex.
struct Output {
  int fd = STDERR_FILENO;
  bool batched = false;
  std::string pending;
  std::chrono::milliseconds max_delay{100};
  bool stopping = false;
  std::condition_variable wake;
  std::mutex write_mutex;
  std::thread flusher;
};
Output g_out;
std::once_flag g_atexit_registered;

void flush_pending() {
  std::lock_guard write_lock(g_out.write_mutex);
  std::string batch;
  int fd;
  {
    std::lock_guard lock(g_mutex);
    batch.swap(g_out.pending);
    fd = g_out.fd;
  }
  write_all(fd, batch);
}

void flusher_loop() {
  std::unique_lock lock(g_mutex);
  while (true) {
    g_out.wake.wait(lock, [] { return g_out.stopping || !g_out.pending.empty(); });
    // Gather what else arrives for a moment: one write per batch rather than per line.
    if (!g_out.stopping) g_out.wake.wait_for(lock, g_out.max_delay, [] { return g_out.stopping; });
    const bool stop = g_out.stopping;
    lock.unlock();
    flush_pending();
    if (stop) return;
    lock.lock();
  }
}
}  // namespace

void start_batched_output(int fd, std::chrono::milliseconds max_delay) {
  std::lock_guard lock(g_mutex);
  g_out.fd = fd;
  g_out.max_delay = max_delay;
  if (g_out.batched) return;
  g_out.batched = true;
  g_out.stopping = false;
  g_out.flusher = std::thread(flusher_loop);
  // However the process ends normally (a return from main, exit()), the last lines are written and the
  // thread is joined before the statics it uses go away.
  std::call_once(g_atexit_registered, [] { std::atexit(stop_batched_output); });
}

void flush() {
  flush_pending();
}

void stop_batched_output() {
  {
    std::lock_guard lock(g_mutex);
    if (!g_out.batched) return;
    g_out.stopping = true;
  }
  g_out.wake.notify_all();
  g_out.flusher.join();
  std::lock_guard lock(g_mutex);
  g_out.batched = false;
  g_out.stopping = false;
}

void set_level(LogLevel level) {
  g_level.store(level);
}
LogLevel level() {
  return g_level.load();
}

void add_redaction(std::string secret) {
  if (secret.size() < 4) return;  // too short to scrub without mangling ordinary text
  std::lock_guard lock(g_mutex);
  for (const auto& s : g_redactions)
    if (s == secret) return;
  g_redactions.push_back(std::move(secret));
}

void write(LogLevel lvl, std::string_view msg, boost::json::object fields) {
  if (int(lvl) < int(g_level.load())) return;
  // Built in a buffer on the stack, presized: a line costs an allocation for its text, not one per field
  // (this runs for every webhook at INFO). Bigger lines spill to the heap.
  unsigned char scratch[4096];
  boost::json::monotonic_resource arena(scratch, sizeof scratch);
  boost::json::object line(fields.size() + 4, &arena);
  line["ts"] = timestamp(system_now());
  line["level"] = level_name(lvl);
  line["msg"] = msg;
  if (auto id = request_id(); !id.empty()) line["request_id"] = id;  // a field of the same name wins
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  // Serialized on the stack too; only a line longer than the buffer, or one to scrub, takes a string.
  char buffer[4096];
  boost::json::serializer serializer;
  serializer.reset(&line);
  std::string_view text = serializer.read(buffer, sizeof buffer - 1);
  std::string spilled;
  if (!serializer.done()) {
    spilled.assign(text);
    while (!serializer.done()) spilled.append(serializer.read(buffer, sizeof buffer));
  }
  std::unique_lock lock(g_mutex);
  for (const auto& s : g_redactions) {
    if (spilled.empty() && text.find(s) == std::string_view::npos) continue;
    if (spilled.empty()) spilled.assign(text);
    scrub(spilled, s);
  }
  if (!spilled.empty()) {
    spilled.push_back('\n');
    text = spilled;
  } else {
    buffer[text.size()] = '\n';  // room was kept for it
    text = std::string_view(buffer, text.size() + 1);
  }
  if (!g_out.batched) {
    write_all(g_out.fd, text);  // one write per line: lines from threads never interleave
    return;
  }
  const bool was_empty = g_out.pending.empty();
  g_out.pending.append(text);
  constexpr std::size_t kMaxPending = 64 * 1024;
  if (lvl >= LogLevel::kWarning || g_out.pending.size() >= kMaxPending) {
    lock.unlock();
    flush_pending();  // what went wrong is seen at once, with the lines that led to it
  } else if (was_empty) {
    g_out.wake.notify_one();  // one wake-up per batch
  }
}
}  // namespace log

}  // namespace bw::core
