#include "packaging/entry_canvas.hpp"

#include <boost/json.hpp>

namespace bw::packaging {

std::optional<std::string> entry_canvas_id(const boost::json::object& entry) {
  const auto* days = entry.if_contains("days");
  if (!days || !days->is_array()) return std::nullopt;
  for (const auto& day : days->get_array()) {
    const auto* notes = day.is_object() ? day.get_object().if_contains("notes") : nullptr;
    if (!notes || !notes->is_array()) continue;
    for (const auto& note : notes->get_array()) {
      if (!note.is_object()) continue;
      const auto& n = note.get_object();
      const auto* type = n.if_contains("type");
      const auto* id = n.if_contains("canvasId");
      if (!type || !type->is_string() || type->get_string() != "app_canvas") continue;
      if (id && id->is_string() && !id->get_string().empty()) return std::string(id->get_string());
    }
  }
  return std::nullopt;
}

}  // namespace bw::packaging
