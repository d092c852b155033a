// core/ascii.hpp: ASCII case folding for protocol text (schemes, hosts, header names, file extensions,
// settings), said once; never the locale's. Pure.
#pragma once

#include <string>
#include <string_view>

namespace bw::core {

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

//! `s` with A-Z lowercased; every other byte (UTF-8 included) as is.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

//! Equal but for the case of ASCII letters.
inline bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

//! `s` without the white space (space, \t, \n, \r, \f, \v) at either end.
inline std::string_view ascii_trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

//! `s` begins with `prefix`, but for the case of ASCII letters.
inline bool ascii_istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace bw::core
