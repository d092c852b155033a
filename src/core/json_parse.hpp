// core/json_parse.hpp: JSON read from text that must never be quoted back (a secret), with where it stopped.
#pragma once

#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace bw::core {

//! A parse of the whole text: the value, or the byte offset where parsing stopped and why.
struct JsonParse {
  std::optional<boost::json::value> value;
  std::size_t stopped_at = 0;
  boost::system::error_code error;
};

//! Parses all of `text` (nothing may follow the value), nested at most `max_depth` deep.
JsonParse parse_whole_json(std::string_view text, std::size_t max_depth);

}  // namespace bw::core
