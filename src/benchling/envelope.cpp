#include "benchling/envelope.hpp"

#include <array>

#include "core/json.hpp"

namespace bw::benchling {
namespace {
using boost::json::object;

//! A member that is a non-empty string ("truthy" in the reference), else empty; a view into `obj`.
std::string_view truthy(const object* obj, std::string_view key) {
  if (!obj) return {};
  auto it = obj->find(key);
  if (it == obj->end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

const object* child(const object& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->value().is_object() ? &it->value().get_object() : nullptr;
}

core::Error bad_request(const char* message) {
  return core::make_error(core::ErrorCode::kInvalidArgument, message);
}
}  // namespace

std::optional<std::string> entry_id_from_button(std::string_view button_id) {
  static constexpr std::array<std::string_view, 7> kPrefixes = {"etr_", "plt_", "seq_", "cus_",
                                                                "dna_", "aa_",  "rna_"};
  std::size_t start = 0;
  while (start <= button_id.size()) {
    std::size_t end = button_id.find('-', start);
    if (end == std::string_view::npos) end = button_id.size();
    std::string_view part = button_id.substr(start, end - start);
    for (auto prefix : kPrefixes) {
      if (part.starts_with(prefix)) return std::string(part);
    }
    start = end + 1;
  }
  return std::nullopt;
}

core::Result<Envelope> parse_envelope(std::string_view body) {
  // Read once and dropped: parsed into a buffer on the stack (spilling to the heap only when larger), not
  // one allocation per member, on the path of every webhook.
  unsigned char scratch[4096];
  boost::json::monotonic_resource arena(scratch, sizeof scratch);
  auto parsed = core::parse_json(body, "webhook body", 1024 * 1024, &arena);
  if (!parsed) return bad_request("No JSON payload provided in request");
  if (!parsed->is_object()) return bad_request("Invalid JSON payload provided in request");
  const object& root = parsed->get_object();
  const object* message = child(root, "message");
  if (!message && root.contains("message")) return bad_request("Invalid JSON payload provided in request");
  const object* context = child(root, "context");

  Envelope env;
  env.event_type = truthy(message, "type");
  env.canvas_id = truthy(message, "canvasId");
  if (env.canvas_id.empty()) env.canvas_id = truthy(context, "canvasId");
  env.button_id = truthy(message, "buttonId");
  env.event_id = truthy(message, "id");
  env.installation_id = truthy(&root, "installationId");
  env.app_id = truthy(child(root, "app"), "id");

  if (env.event_type == "v2.canvas.userInteracted" && !env.button_id.empty()) {
    if (env.button_id.find('-') == std::string::npos) {
      env.entry_id = env.button_id;
    } else if (auto id = entry_id_from_button(env.button_id)) {
      env.entry_id = std::move(id);
    } else {
      env.entry_id = env.button_id.substr(env.button_id.rfind('-') + 1);
      if (env.entry_id->empty()) env.entry_id.reset();
    }
    return env;
  }
  for (std::string_view id : {truthy(message, "resourceId"), truthy(message, "entryId"),
                              truthy(&root, "resourceId"), truthy(context, "entryId")}) {
    if (!id.empty()) {
      env.entry_id = std::string(id);
      break;
    }
  }
  return env;
}

}  // namespace bw::benchling
