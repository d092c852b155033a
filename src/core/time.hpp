// core/time.hpp
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bw::core {

using SystemTime = std::chrono::system_clock::time_point;
//! Where code reads the wall clock; tests pass a fixed one.
using NowFn = std::function<SystemTime()>;
inline SystemTime system_now() {
  return std::chrono::system_clock::now();
}

//! "20150830T123600Z" (SigV4's X-Amz-Date).
std::string format_amz_date(SystemTime t);
//! "2015-08-30T12:36:00Z".
std::string format_iso8601(SystemTime t);
//! The same, written into `buf` (no allocation: every log line has a timestamp).
std::string_view format_iso8601(SystemTime t, std::array<char, 32>& buf);
//! The `n` decimal digits at s[pos] as a number in `out`; false when s is shorter or one is not a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out);

//! Parses "2015-08-30T12:36:00Z", with optional fractional seconds and a "Z" or "+00:00" offset.
std::optional<SystemTime> parse_iso8601(std::string_view text);

}  // namespace bw::core
