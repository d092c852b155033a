// config/repr.cpp
#include "config/repr.hpp"

#include <boost/json.hpp>

#include "core/py_repr.hpp"
#include "core/utf8.hpp"

namespace bw::config {

std::string truncate_for_display(std::string_view text, std::size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  std::string out(core::utf8_prefix(text, max_chars));
  out.append("...");
  return out;
}

std::string py_repr(const boost::json::value& v, std::size_t max_chars) {
  core::PyReprLimits limits;
  limits.max_bytes = max_chars;
  return truncate_for_display(core::py_repr(v, limits), max_chars);
}

std::string py_str(const boost::json::value& v, std::size_t max_chars) {
  if (v.is_string()) return truncate_for_display(v.get_string(), max_chars);
  return py_repr(v, max_chars);
}

}  // namespace bw::config
