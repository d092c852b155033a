#include "core/py_repr.hpp"

#include <boost/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "core/utf8.hpp"

namespace bw::core {
namespace {

struct Range {
  std::uint32_t first, last;
};

// The assigned code points Python 3.11 (Unicode 14) does not print in a repr: categories Cc, Cf, Zs
// (but ' '), Zl, Zp and Co. Computed with
//   [cp for cp in range(0x110000) if not chr(cp).isprintable()
//    and unicodedata.category(chr(cp)) not in ('Cn', 'Cs')]
// merged into ranges. Surrogates (Cs) cannot occur in UTF-8.
constexpr std::array<Range, 28> kNotPrintable = {{
    {0x0, 0x1f},        {0x7f, 0xa0},       {0xad, 0xad},         {0x600, 0x605},     {0x61c, 0x61c},
    {0x6dd, 0x6dd},     {0x70f, 0x70f},     {0x890, 0x891},       {0x8e2, 0x8e2},     {0x1680, 0x1680},
    {0x180e, 0x180e},   {0x2000, 0x200f},   {0x2028, 0x202f},     {0x205f, 0x2064},   {0x2066, 0x206f},
    {0x3000, 0x3000},   {0xe000, 0xf8ff},   {0xfeff, 0xfeff},     {0xfff9, 0xfffb},   {0x110bd, 0x110bd},
    {0x110cd, 0x110cd}, {0x13430, 0x13438}, {0x1bca0, 0x1bca3},   {0x1d173, 0x1d17a}, {0xe0001, 0xe0001},
    {0xe0020, 0xe007f}, {0xf0000, 0xffffd}, {0x100000, 0x10fffd},
}};

bool printable(std::uint32_t cp) {
  for (const Range& r : kNotPrintable) {
    if (cp < r.first) return true;  // sorted
    if (cp <= r.last) return false;
  }
  return true;
}

std::uint32_t decode(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = [&](std::size_t k) { return std::uint32_t(static_cast<unsigned char>(s[i + k])); };
  switch (n) {
    case 1:
      return b(0);
    case 2:
      return ((b(0) & 0x1f) << 6) | (b(1) & 0x3f);
    case 3:
      return ((b(0) & 0x0f) << 12) | ((b(1) & 0x3f) << 6) | (b(2) & 0x3f);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3f) << 12) | ((b(2) & 0x3f) << 6) | (b(3) & 0x3f);
  }
}

// Python's escape of a character it does not print: \xNN, \uNNNN or \UNNNNNNNN, lower-case hex.
void append_escape(std::string& out, std::uint32_t cp) {
  char buf[16];
  if (cp < 0x100) {
    std::snprintf(buf, sizeof buf, "\\x%02x", unsigned(cp));
  } else if (cp < 0x10000) {
    std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(cp));
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08x", unsigned(cp));
  }
  out += buf;
}

}  // namespace

void append_py_repr_str(std::string& out, std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  out += quote;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {  // not UTF-8: keep the byte visible
      append_escape(out, static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    const std::uint32_t cp = decode(s, i, n);
    if (cp == '\\' || cp == std::uint32_t(quote)) {
      out += '\\';
      out += char(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (!printable(cp)) {
      append_escape(out, cp);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out += quote;
}

std::string py_repr_str(std::string_view s) {
  std::string out;
  append_py_repr_str(out, s);
  return out;
}

void append_py_float(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  // Shortest round-trip digits in scientific form, e.g. "-1.2345e+17", "5e-324", "0e+00".
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, std::size_t(res.ptr - buf));
  if (!sci.empty() && sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  int exp = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out.append("0.").append(std::size_t(-exp - 1), '0').append(digits);
      return;
    }
    const auto int_len = std::size_t(exp) + 1;
    if (digits.size() <= int_len) {
      out.append(digits).append(int_len - digits.size(), '0').append(".0");
    } else {
      out.append(digits, 0, int_len).append(".").append(digits, int_len);
    }
    return;
  }
  out += digits[0];
  if (digits.size() > 1) out.append(".").append(digits, 1);
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  out += ebuf;
}

namespace {

// "[a, b]" or "{k: v}": the items of a list or dict, none once the output is past max_bytes, "[...]" or
// "{...}" past max_depth.
template <class Items, class AppendItem>
void append_items(std::string& out, char open, char close, const Items& items, const PyReprLimits& limits,
                  std::size_t depth, AppendItem append_item) {
  out += open;
  if (depth >= limits.max_depth) {
    out.append("...").append(1, close);
    return;
  }
  bool first = true;
  for (const auto& item : items) {
    if (out.size() > limits.max_bytes) break;
    if (!first) out += ", ";
    first = false;
    append_item(item);
  }
  out += close;
}

void append_value(std::string& out, const boost::json::value& v, const PyReprLimits& limits,
                  std::size_t depth) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "None";
      return;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "True" : "False";
      return;
    case boost::json::kind::int64:
      out += std::to_string(v.get_int64());
      return;
    case boost::json::kind::uint64:
      out += std::to_string(v.get_uint64());
      return;
    case boost::json::kind::double_:
      append_py_float(out, v.get_double());
      return;
    case boost::json::kind::string:
      append_py_repr_str(out, v.get_string());
      return;
    case boost::json::kind::array:
      return append_items(out, '[', ']', v.get_array(), limits, depth, [&](const boost::json::value& item) {
        append_value(out, item, limits, depth + 1);
      });
    case boost::json::kind::object:
      return append_items(out, '{', '}', v.get_object(), limits, depth,
                          [&](const boost::json::key_value_pair& kv) {
                            append_py_repr_str(out, kv.key());
                            out += ": ";
                            append_value(out, kv.value(), limits, depth + 1);
                          });
  }
}

}  // namespace

void append_py_repr(std::string& out, const boost::json::value& v, const PyReprLimits& limits) {
  append_value(out, v, limits, 0);
}

std::string py_repr(const boost::json::value& v, const PyReprLimits& limits) {
  std::string out;
  append_py_repr(out, v, limits);
  return out;
}

}  // namespace bw::core
