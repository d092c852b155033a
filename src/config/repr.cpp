// config/repr.cpp
#include "config/repr.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace bw::config {
namespace {

void append_py_string(std::string& out, std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  out += quote;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == quote) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;  // UTF-8 is already validated by the JSON parser; Python prints it as is
    }
  }
  out += quote;
}

// Python's float repr: shortest round-trip digits; fixed notation when the decimal exponent is in
// [-4, 16), otherwise d.ddde+XX with at least two exponent digits.
void append_py_float(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  if (ec != std::errc()) {
    out += "nan";
    return;
  }
  std::string_view sci(buf, std::size_t(end - buf));
  std::string sign;
  if (!sci.empty() && sci.front() == '-') {
    sign = "-";
    sci.remove_prefix(1);
  }
  const auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  int exp = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp);
  out += sign;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const auto int_len = std::size_t(exp) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out += '.';
        out += digits.substr(int_len);
      }
    } else {
      out += "0.";
      out.append(std::size_t(-exp - 1), '0');
      out += digits;
    }
    return;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  out += ebuf;
}

// Stops descending once `out` is past `limit`: the caller cuts anyway, and a huge array must not cost
// more than a few hundred bytes of work.
void append_repr(std::string& out, const boost::json::value& v, std::size_t limit) {
  if (out.size() > limit) return;
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
      append_py_string(out, v.get_string());
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (out.size() > limit) break;
        if (!first) out += ", ";
        first = false;
        append_repr(out, item, limit);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (out.size() > limit) break;
        if (!first) out += ", ";
        first = false;
        append_py_string(out, kv.key());
        out += ": ";
        append_repr(out, kv.value(), limit);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string truncate_for_display(std::string_view text, std::size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  std::size_t cut = max_chars;
  // Back up over UTF-8 continuation bytes so the result stays valid UTF-8.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string py_repr(const boost::json::value& v, std::size_t max_chars) {
  std::string out;
  append_repr(out, v, max_chars);
  return truncate_for_display(out, max_chars);
}

std::string py_str(const boost::json::value& v, std::size_t max_chars) {
  if (v.is_string()) return truncate_for_display(v.get_string(), max_chars);
  return py_repr(v, max_chars);
}

}  // namespace bw::config
