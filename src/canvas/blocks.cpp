#include "canvas/blocks.hpp"

#include <utility>

namespace bw::canvas {

namespace json = boost::json;

json::object markdown(std::string_view id, std::string_view value) {
  json::object o;
  o["type"] = "MARKDOWN";
  o["id"] = id;
  o["value"] = value;
  return o;
}

json::object button(std::string_view id, std::string_view text, bool enabled) {
  json::object o;
  o["type"] = "BUTTON";
  o["id"] = id;
  o["text"] = text;
  o["enabled"] = enabled;
  return o;
}

json::object section(std::string_view id, json::array children) {
  json::object o;
  o["type"] = "SECTION";
  o["id"] = id;
  o["children"] = std::move(children);
  return o;
}

json::object canvas_update_body(json::array blocks) {
  json::object o;
  o["blocks"] = std::move(blocks);
  o["enabled"] = true;
  return o;
}

}  // namespace bw::canvas
