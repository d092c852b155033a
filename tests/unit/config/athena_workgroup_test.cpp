#include "config/athena_workgroup.hpp"

#include <gtest/gtest.h>

#include "config/settings_hash.hpp"

namespace bw::config {
namespace {

constexpr const char* kStack = "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/abc";
constexpr const char* kSecret = "benchling/creds";

TEST(AthenaWorkgroup, ServiceWorkgroupIsNamedLikeTheQueues) {
  // sha256("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/abc|benchling/creds")[:16]
  EXPECT_EQ(settings_hash(kStack, kSecret).size(), 16u);
  EXPECT_EQ(service_workgroup_name(kStack, kSecret), "benchling-webhook-" + settings_hash(kStack, kSecret));
  EXPECT_EQ(settings_hash("a", "b"), "0eab8a0a3380abf4");  // sha256("a|b"), first 16 hex digits
}

TEST(AthenaWorkgroup, TheStacksWorkgroupWinsElseTheDeployedOneNeverPrimary) {
  QuiltOutputs with_user;
  with_user.athena_workgroup = "QuiltUserAthena-wg";
  with_user.sources.athena_workgroup = "UserAthenaWorkgroupName";
  auto a = choose_athena_workgroup(with_user, kStack, kSecret);
  EXPECT_EQ(a.name, "QuiltUserAthena-wg");
  EXPECT_EQ(a.source, "UserAthenaWorkgroupName");

  auto b = choose_athena_workgroup(QuiltOutputs{}, kStack, kSecret);
  EXPECT_EQ(b.name, service_workgroup_name(kStack, kSecret));
  EXPECT_EQ(b.source, kServiceWorkgroupSource);
  EXPECT_NE(b.name, "primary");
}

}  // namespace
}  // namespace bw::config
