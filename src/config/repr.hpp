// config/repr.hpp
#pragma once

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace bw::config {

//! Longest rendering of an untrusted value put into an error (inputs can be megabytes).
inline constexpr std::size_t kMaxReprChars = 200;

//! core::py_repr (Python's repr() of the JSON value as json.loads would have produced it: 'str', None,
//! True, 12, 1e+16, [1, 'a'], {'k': None}), cut to max_chars and ended with "..." when longer. The error
//! texts of runtime-spec §8.4 were written with these renderings.
std::string py_repr(const boost::json::value& v, std::size_t max_chars = kMaxReprChars);

//! Python's str(): a string as is, anything else as py_repr. Same cut.
std::string py_str(const boost::json::value& v, std::size_t max_chars = kMaxReprChars);

//! `text` cut to at most max_chars bytes on a UTF-8 boundary, with "..." appended when cut.
std::string truncate_for_display(std::string_view text, std::size_t max_chars = kMaxReprChars);

}  // namespace bw::config
