#include "canvas/markdown.hpp"

#include <cstdint>

#include "core/py_repr.hpp"

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
  core::PyReprLimits limits;
  limits.max_depth = kMaxMarkdownDepth;
  return core::py_repr(v, limits);
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
      md += indent + "- **" + key + "**: " + core::py_repr(value) + "\n";
    }
  }
  return md;
}

}  // namespace bw::canvas
