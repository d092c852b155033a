#include "canvas/markdown.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace bw::canvas {
namespace {

namespace json = boost::json;

// Decodes the code point at s[i]; invalid UTF-8 yields the single byte (as a code point >= 0x110000 so it
// never matches a whitespace or delimiter test).
std::uint32_t decode_at(std::string_view s, std::size_t i, std::size_t& len) {
  const auto c = static_cast<unsigned char>(s[i]);
  len = 1;
  if (c < 0x80) return c;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0x110000 + c;
  }
  if (i + n > s.size()) return 0x110000 + c;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0x110000 + c;
    cp = (cp << 6) | (cc & 0x3F);
  }
  len = n;
  return cp;
}

// Python's str.isspace(), which is what re's \s matches in a str pattern.
bool python_space(std::uint32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F)) return true;
  if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)) return true;
  return cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool url_char(std::uint32_t cp) {
  return !python_space(cp) && cp != ')' && cp != '>' && cp != ']';
}

// Python float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16, else d.ddde+XX.
std::string python_float(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  std::string sign;
  if (!sci.empty() && sci.front() == '-') {
    sign = "-";
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  const int exp = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int decpt = exp + 1;
  const int n = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    if (decpt >= n) return sign + digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    return sign + digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
           digits.substr(static_cast<std::size_t>(decpt));
  }
  std::string out = sign + digits.substr(0, 1);
  if (n > 1) out.append(".").append(digits, 1);  // not "." + ...: GCC 12 -O3 warns falsely (-Wrestrict)
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  return out + ebuf;
}

std::string python_repr_string(std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const std::uint32_t cp = decode_at(s, i, len);
    char buf[16];
    if (cp == '\\' || cp == static_cast<unsigned char>(quote)) {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      out += buf;
    } else if (cp >= 0x110000) {  // an invalid byte; Python would never hold one, keep it visible
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp - 0x110000));
      out += buf;
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out.push_back(quote);
  return out;
}

std::string python_repr(const json::value& v, std::size_t depth);

std::string python_scalar(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "None";
    case json::kind::bool_:
      return v.get_bool() ? "True" : "False";
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return python_float(v.get_double());
    default:
      return {};
  }
}

std::string python_repr(const json::value& v, std::size_t depth) {
  if (v.is_string()) return python_repr_string(v.get_string());
  if (v.is_array()) {
    if (depth >= kMaxMarkdownDepth) return "[...]";
    std::string out = "[";
    bool first = true;
    for (const auto& item : v.get_array()) {
      if (!first) out += ", ";
      first = false;
      out += python_repr(item, depth + 1);
    }
    return out + "]";
  }
  if (v.is_object()) {
    if (depth >= kMaxMarkdownDepth) return "{...}";
    std::string out = "{";
    bool first = true;
    for (const auto& kv : v.get_object()) {
      if (!first) out += ", ";
      first = false;
      out += python_repr_string(kv.key()) + ": " + python_repr(kv.value(), depth + 1);
    }
    return out + "}";
  }
  return python_scalar(v);
}

}  // namespace

std::string linkify_urls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    std::size_t scheme = 0;
    if (text.substr(i, 8) == "https://") {
      scheme = 8;
    } else if (text.substr(i, 7) == "http://") {
      scheme = 7;
    }
    if (scheme == 0 || (i > 0 && (text[i - 1] == '[' || text[i - 1] == '('))) {
      ++i;
      continue;
    }
    const std::size_t body = i + scheme;
    std::size_t j = body;
    std::size_t last_start = body;
    while (j < n) {
      std::size_t len = 1;
      if (!url_char(decode_at(text, j, len))) break;
      last_start = j;
      j += len;
    }
    std::size_t end = j;
    if (j == body) end = 0;  // [^...]+ needs one character
    if (end != 0 && j < n && (text[j] == ']' || text[j] == ')')) {
      // (?![\])]) fails; the regex gives back one character, after which the lookahead sees a URL character.
      end = last_start == body ? 0 : last_start;
    }
    if (end == 0) {
      ++i;
      continue;
    }
    const std::string_view url = text.substr(i, end - i);
    out.append(text.substr(copied, i - copied));
    out.append("[").append(url).append("](").append(url).append(")");
    copied = i = end;
  }
  out.append(text.substr(copied));
  return out;
}

std::string python_str(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return python_repr(v, 0);
}

std::string dict_to_markdown_list(const json::object& data, std::size_t level) {
  const std::string indent(2 * level, ' ');
  if (level >= kMaxMarkdownDepth) return indent + "- …\n";
  std::string md;
  for (const auto& kv : data) {
    const std::string key(kv.key());
    const json::value& value = kv.value();
    if (value.is_object()) {
      md += indent + "- **" + key + "**:\n";
      md += dict_to_markdown_list(value.get_object(), level + 1);
    } else if (value.is_array()) {
      md += indent + "- **" + key + "**:\n";
      std::size_t idx = 1;
      for (const auto& item : value.get_array()) {
        if (item.is_object()) {
          md += indent + "  " + std::to_string(idx) + ".\n";
          md += dict_to_markdown_list(item.get_object(), level + 2);
        } else {
          md += indent + "  " + std::to_string(idx) + ". " + python_str(item) + "\n";
        }
        ++idx;
      }
    } else if (value.is_null()) {
      md += indent + "- **" + key + "**: *null*\n";
    } else if (value.is_bool()) {
      md += indent + "- **" + key + "**: " + (value.get_bool() ? "true" : "false") + "\n";
    } else if (value.is_string()) {
      md += indent + "- **" + key + "**: " + linkify_urls(value.get_string()) + "\n";
    } else {
      md += indent + "- **" + key + "**: " + python_scalar(value) + "\n";
    }
  }
  return md;
}

}  // namespace bw::canvas
