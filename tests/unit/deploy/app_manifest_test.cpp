#include "deploy/app_manifest.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "core/version.hpp"

namespace bw::deploy {
namespace {

TEST(AppManifest, ParsesAsYamlWithTheCanvasFeatureAndEverySubscription) {
  const YAML::Node doc = YAML::Load(render_app_manifest({}));
  EXPECT_EQ(doc["manifestVersion"].as<int>(), 1);
  EXPECT_EQ(doc["info"]["version"].as<std::string>(), core::kVersion);
  ASSERT_EQ(doc["features"].size(), 1u);
  EXPECT_EQ(doc["features"][0]["type"].as<std::string>(), "CANVAS");
  EXPECT_EQ(doc["features"][0]["id"].as<std::string>(), kCanvasFeatureId);
  EXPECT_EQ(doc["subscriptions"]["deliveryMethod"].as<std::string>(), "WEBHOOK");
  std::vector<std::string> types;
  for (const auto& m : doc["subscriptions"]["messages"]) types.push_back(m["type"].as<std::string>());
  EXPECT_EQ(types, subscribed_messages());
  EXPECT_NE(std::find(types.begin(), types.end(), "v2.entry.updated.fields"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "v2.canvas.userInteracted"), types.end());
}

TEST(AppManifest, NameComesFromTheFlagThenTheCatalogThenADefault) {
  EXPECT_EQ(manifest_app_name({}), "Quilt Integration");
  EXPECT_EQ(manifest_app_name({"", "quilt.example.com:8443"}), "quilt-example-com-8443");
  EXPECT_EQ(manifest_app_name({"Lab Packages", "quilt.example.com"}), "Lab Packages");
}

TEST(AppManifest, QuotesNamesThatYamlWouldMisread) {
  // A name such as "yes: no" must come back as the same string, not a map or a boolean.
  for (std::string name : {"yes", "a: b", "#lab", "- x", "'quoted'"}) {
    const YAML::Node doc = YAML::Load(render_app_manifest({name, ""}));
    EXPECT_EQ(doc["info"]["name"].as<std::string>(), name);
  }
}

}  // namespace
}  // namespace bw::deploy
