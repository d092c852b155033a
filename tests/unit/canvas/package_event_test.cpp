#include "canvas/package_event.hpp"

#include <gtest/gtest.h>

namespace bw::canvas {
namespace {

TEST(PackageEvent, ParsesAnEventBridgePackageRevision) {
  auto e = parse_package_event(R"({"version":"0","detail-type":"package-revision","source":"com.quiltdata",
      "detail":{"version":"0.1","type":"created","bucket":"user-bucket","handle":"benchling/EXP1","topHash":"ab12"}})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->bucket, "user-bucket");
  EXPECT_EQ(e->handle, "benchling/EXP1");
  EXPECT_EQ(e->top_hash, "ab12");
}

TEST(PackageEvent, TopHashIsOptional) {
  auto e = parse_package_event(R"({"detail":{"bucket":"b","handle":"p/n"}})");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->top_hash);
}

TEST(PackageEvent, MalformedEventsCannotHeal) {
  for (const char* body :
       {"", "[]", R"({"detail":"x"})", R"({"detail":{"bucket":"b"}})",
        R"({"detail":{"bucket":"","handle":"p/n"}})", R"({"detail":{"bucket":1,"handle":"p/n"}})"}) {
    auto e = parse_package_event(body);
    ASSERT_FALSE(e) << body;
    EXPECT_FALSE(e.error().healable()) << body;
  }
}

TEST(PackageEvent, OnlyTheUserBucketAndThePackagePrefixAreOurs) {
  PackageEvent e{"user-bucket", "benchling/EXP1", std::nullopt};
  EXPECT_TRUE(is_ours(e, "user-bucket", "benchling"));
  EXPECT_FALSE(is_ours(e, "other-bucket", "benchling"));
  EXPECT_FALSE(is_ours(e, "user-bucket", "bench"));  // a prefix of the prefix is not enough
  EXPECT_FALSE(is_ours(PackageEvent{"user-bucket", "benchling/", std::nullopt}, "user-bucket", "benchling"));
  EXPECT_FALSE(is_ours(PackageEvent{"user-bucket", "other/EXP1", std::nullopt}, "user-bucket", "benchling"));
}

}  // namespace
}  // namespace bw::canvas
