// deploy/app_manifest.hpp: the Benchling app manifest (deploy-spec §6) for what this service handles.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bw::deploy {

//! The canvas feature the service renders into; jobs create canvases with this id when Benchling's
//! event does not name one.
inline constexpr std::string_view kCanvasFeatureId = "quilt_entry";
inline constexpr std::string_view kCanvasFeatureName = "Quilt Package";

//! The webhook message types the app subscribes to: every one the service turns into work. Lifecycle
//! events (v2.app.*) arrive without a subscription.
const std::vector<std::string>& subscribed_messages();

struct ManifestOptions {
  //! The app's name in Benchling; empty: derived from catalog_host, else "Quilt Integration".
  std::string name;
  //! The Quilt catalog host, e.g. "quilt.example.com" ("." and ":" become "-" in the derived name).
  std::string catalog_host;
};

//! The app name: options.name, else the catalog host with '.' and ':' replaced by '-', else
//! "Quilt Integration".
std::string manifest_app_name(const ManifestOptions& options);

//! The manifest YAML (manifestVersion 1, info, the canvas feature, the webhook subscriptions). Pure.
std::string render_app_manifest(const ManifestOptions& options);

}  // namespace bw::deploy
