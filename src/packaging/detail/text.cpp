#include "packaging/detail/text.hpp"

#include <cstdint>
#include <cstdio>

#include "core/utf8.hpp"

namespace bw::packaging::detail {

bool has_control_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7F) return true;
    // U+0080..U+009F are encoded as C2 80..C2 9F.
    if (b == 0xC2 && i + 1 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (b1 >= 0x80 && b1 <= 0x9F) return true;
    }
  }
  return false;
}

std::string printable(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(s.size() < max_bytes ? s.size() : max_bytes);
  auto escape = [&out](unsigned char b) {
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02X", b);
    out += buf;
  };
  for (std::size_t i = 0; i < s.size();) {
    if (out.size() >= max_bytes) {
      out += "...";
      break;
    }
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7F || b == '\\') {
      escape(b);
      ++i;
      continue;
    }
    const std::size_t n = core::utf8_sequence_length(s, i);
    if (n == 0 || (n == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F)) {
      escape(b);
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace bw::packaging::detail
