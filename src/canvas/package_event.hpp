// canvas/package_event.hpp: Quilt's package-revision events, as EventBridge delivers them to SQS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::canvas {

//! `detail` of a Quilt `package-revision` event (runtime-spec §10.8, anchors §6.5).
struct PackageEvent {
  std::string bucket;
  std::string handle;                   //!< the package name, e.g. "benchling/EXP25000076"
  std::optional<std::string> top_hash;  //!< the revision; absent in some events
};

//! Parses an EventBridge event body. `detail.bucket` and `detail.handle` must be non-empty strings;
//! anything else is kInvalidArgument (the message can never succeed).
core::Result<PackageEvent> parse_package_event(std::string_view body);

//! Whether the service should act on the event: the user bucket, and a package under `{pkg_prefix}/`.
bool is_ours(const PackageEvent& event, std::string_view user_bucket, std::string_view pkg_prefix);

}  // namespace bw::canvas
