// core/json.hpp
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::core {

//! Parses untrusted JSON with bounded size and depth; the error names `what` was being parsed. The value
//! lives in `storage` (e.g. a monotonic resource on the stack, for a value read and dropped at once).
Result<boost::json::value> parse_json(std::string_view text, std::string_view what,
                                      std::size_t max_bytes = 4 * 1024 * 1024,
                                      boost::json::storage_ptr storage = {});

//! The string member `key` of `obj`, or nullopt when absent or not a string.
std::optional<std::string> get_string(const boost::json::object& obj, std::string_view key);

//! The string member `key` of `obj` cut to at most `max_bytes` bytes without splitting a character
//! (utf8_prefix), for text kept or shown from a reply; "" when absent or not a string.
std::string get_clipped_string(const boost::json::object& obj, std::string_view key, std::size_t max_bytes);

//! The string member `key` of `obj` where it may be missing but must be sound when given (a page token, ""
//! on the last page): "" when absent or null; kRemote "<key> is not a string" or "<key> is too long" when it
//! is another kind or longer than `max_bytes`, for the caller to word as a problem of its reply.
Result<std::string> get_optional_string(const boost::json::object& obj, std::string_view key,
                                        std::size_t max_bytes);

//! The items of array member `key` of `obj`: none when absent or null; kRemote "<key> is not an array" when
//! it is another kind, for the caller to word as a problem of its reply.
Result<std::span<const boost::json::value>> get_optional_array(const boost::json::object& obj,
                                                               std::string_view key);

//! A number of epoch seconds, possibly fractional (the AWS JSON protocols' timestamps), rounded to the
//! millisecond. nullopt when absent, not a number, negative, or past 2255: SystemTime counts nanoseconds
//! in 64 bits and would overflow near 2262.
std::optional<SystemTime> get_epoch_seconds(const boost::json::object& obj, std::string_view key);

//! Serializes a JSON value compactly.
inline std::string to_json_text(const boost::json::value& v) {
  return boost::json::serialize(v);
}

//! Serializes with two-space indentation (for people: CLI output, example secrets).
std::string to_pretty_json(const boost::json::value& v);

//! "line L column C" of byte `offset` in `text` (1-based; past the end counts as the end): where a parse
//! stopped, without quoting the text, which may hold a secret.
std::string line_column(std::string_view text, std::size_t offset);

}  // namespace bw::core
