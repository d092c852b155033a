// core/json_parse.cpp
#include "core/json_parse.hpp"

#include <boost/json/parser.hpp>

namespace bw::core {

JsonParse parse_whole_json(std::string_view text, std::size_t max_depth) {
  boost::json::parse_options opts;
  opts.max_depth = max_depth;
  boost::json::parser parser({}, opts);
  JsonParse out;
  out.stopped_at = parser.write(text.data(), text.size(), out.error);
  if (!out.error) out.value = parser.release();
  return out;
}

}  // namespace bw::core
