#include "canvas/package_event.hpp"

#include "core/json.hpp"

namespace bw::canvas {

core::Result<PackageEvent> parse_package_event(std::string_view body) {
  auto invalid = [](std::string message) {
    auto e = core::make_error(core::ErrorCode::kInvalidArgument, std::move(message),
                              "only Quilt package-revision events belong on this queue");
    return e;
  };
  auto parsed = core::parse_json(body, "package event", 256 * 1024);
  if (!parsed || !parsed->is_object()) return invalid("package event is not a JSON object");
  const auto& root = parsed->get_object();
  auto detail = root.find("detail");
  if (detail == root.end() || !detail->value().is_object())
    return invalid("package event has no detail object");
  const auto& d = detail->value().get_object();
  PackageEvent event;
  event.bucket = core::get_string(d, "bucket").value_or("");
  event.handle = core::get_string(d, "handle").value_or("");
  if (event.bucket.empty() || event.handle.empty()) {
    return invalid("package event lacks detail.bucket or detail.handle");
  }
  if (auto hash = core::get_string(d, "topHash"); hash && !hash->empty()) event.top_hash = std::move(hash);
  return event;
}

bool is_ours(const PackageEvent& event, std::string_view user_bucket, std::string_view pkg_prefix) {
  return event.bucket == user_bucket && event.handle.size() > pkg_prefix.size() + 1 &&
         event.handle.starts_with(pkg_prefix) && event.handle[pkg_prefix.size()] == '/';
}

}  // namespace bw::canvas
