// core/log.hpp
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace bw::core {

enum class LogLevel { kDebug = 10, kInfo = 20, kWarning = 30, kError = 40, kCritical = 50 };

//! Parses the secret's `log_level` spelling (DEBUG, INFO, WARNING, ERROR, CRITICAL).
bool parse_log_level(std::string_view text, LogLevel& out);

//! Process-wide structured logger: one JSON object per line, safe from any thread. Lines go to stderr, one
//! write each, until start_batched_output(): then to the given descriptor, gathered by one flusher thread.
namespace log {
//! From now on lines go to `fd` (serve: stdout, where ECS's awslogs driver reads them) in batches: a line
//! waits at most `max_delay` (one flusher wake-up per batch, one write per batch), a WARNING or worse goes
//! out at once with what preceded it. Call stop_batched_output() (or flush()) before the process ends.
void start_batched_output(int fd, std::chrono::milliseconds max_delay = std::chrono::milliseconds(100));
//! Writes every line logged so far, now.
void flush();
//! flush(), stops the flusher thread and goes back to one write per line on the same descriptor.
void stop_batched_output();
void set_level(LogLevel level);
LogLevel level();
//! Registers a string (a secret) that must never be printed: any line containing it is scrubbed.
void add_redaction(std::string secret);
void write(LogLevel level, std::string_view msg, boost::json::object fields = {});
inline void debug(std::string_view m, boost::json::object f = {}) {
  write(LogLevel::kDebug, m, std::move(f));
}
inline void info(std::string_view m, boost::json::object f = {}) {
  write(LogLevel::kInfo, m, std::move(f));
}
inline void warn(std::string_view m, boost::json::object f = {}) {
  write(LogLevel::kWarning, m, std::move(f));
}
inline void error(std::string_view m, boost::json::object f = {}) {
  write(LogLevel::kError, m, std::move(f));
}
}  // namespace log

}  // namespace bw::core
