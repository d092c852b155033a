#include "deploy/app_manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/version.hpp"

namespace bw::deploy {

const std::vector<std::string>& subscribed_messages() {
  static const std::vector<std::string> kMessages = {
      "v2.canvas.userInteracted",  // button clicks
      "v2.canvas.created",         // a user inserts the canvas
      "v2.canvas.initialized",     // the canvas is added without an id: the app creates it
      "v2.entry.created",         "v2.entry.updated.fields", "v2.entry.updated.reviewRecord",
  };
  return kMessages;
}

std::string manifest_app_name(const ManifestOptions& options) {
  if (!options.name.empty()) return options.name;
  if (options.catalog_host.empty()) return "Quilt Integration";
  std::string name = options.catalog_host;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '.' || c == ':'; }, '-');
  return name;
}

std::string render_app_manifest(const ManifestOptions& options) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "manifestVersion" << YAML::Value << 1;
  out << YAML::Key << "info" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << manifest_app_name(options);
  out << YAML::Key << "description" << YAML::Value
      << "Package Benchling notebook entries as Quilt data packages";
  out << YAML::Key << "version" << YAML::Value << std::string(core::kVersion);
  out << YAML::EndMap;
  out << YAML::Key << "features" << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << std::string(kCanvasFeatureName);
  out << YAML::Key << "id" << YAML::Value << std::string(kCanvasFeatureId);
  out << YAML::Key << "type" << YAML::Value << "CANVAS";
  out << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "subscriptions" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "deliveryMethod" << YAML::Value << "WEBHOOK";
  out << YAML::Key << "messages" << YAML::Value << YAML::BeginSeq;
  for (const auto& type : subscribed_messages()) {
    out << YAML::BeginMap << YAML::Key << "type" << YAML::Value << type << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace bw::deploy
