#include "core/log.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
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

void scrub(std::string& line, const std::string& secret) {
  for (std::size_t pos; (pos = line.find(secret)) != std::string::npos;)
    line.replace(pos, secret.size(), "***");
}
}  // namespace

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
  boost::json::object line;
  line["ts"] = format_iso8601(system_now());
  line["level"] = level_name(lvl);
  line["msg"] = msg;
  if (auto id = request_id(); !id.empty()) line["request_id"] = id;  // a field of the same name wins
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  std::string text = boost::json::serialize(line);
  std::lock_guard lock(g_mutex);
  for (const auto& s : g_redactions) scrub(text, s);
  text.push_back('\n');
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}
}  // namespace log

}  // namespace bw::core
