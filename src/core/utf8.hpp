// core/utf8.hpp
#pragma once

#include <cstddef>
#include <string_view>

namespace bw::core {

//! Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, nothing
//! above U+10FFFF), or 0 when it is malformed or cut short.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

//! True when all of `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

//! The first `max_bytes` bytes of `s`, or fewer so that the cut never splits a character: the prefix ends
//! before the character that straddles the limit (text shown to people stays valid UTF-8).
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

}  // namespace bw::core
