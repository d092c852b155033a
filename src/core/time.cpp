#include "core/time.hpp"

#include <cstdio>
#include <ctime>

namespace bw::core {
namespace {
std::tm to_utc(SystemTime t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

}  // namespace

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string format_amz_date(SystemTime t) {
  std::tm tm = to_utc(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string_view format_iso8601(SystemTime t, std::array<char, 32>& buf) {
  std::tm tm = to_utc(t);
  return {buf.data(), std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm)};
}

std::string format_iso8601(SystemTime t) {
  std::array<char, 32> buf;
  return std::string(format_iso8601(t, buf));
}

std::optional<SystemTime> parse_iso8601(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
    return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  std::string_view zone = s.substr(pos);
  if (zone != "Z" && zone != "+00:00" && zone != "") return std::nullopt;
  if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
    return std::nullopt;  // SystemTime (ns) spans 1677-09-21..2262-04-11
  using namespace std::chrono;
  const auto days = sys_days(year(y) / month(unsigned(mo)) / day(unsigned(d)));
  return SystemTime(days) + hours(h) + minutes(mi) + seconds(sec);
}

}  // namespace bw::core
