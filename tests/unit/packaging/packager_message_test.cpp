#include "packaging/packager_message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bw::packaging {
namespace {

TEST(PackageName, JoinsPrefixAndDisplayId) {
  EXPECT_EQ(package_name("benchling", "EXP25000076").value(), "benchling/EXP25000076");
}

TEST(PackageName, RejectsDisplayIdsThatWouldEscapeThePrefix) {
  const std::vector<std::string> bad_ids = {
      "", "a/b", "..", "EXP..1", "a\\b", "EXP\n1", std::string("EXP\0", 4), "\xff"};
  for (const auto& bad : bad_ids) {
    auto r = package_name("benchling", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(package_name("benchling", std::string(256, 'x')));
  EXPECT_TRUE(package_name("benchling", std::string(255, 'x')));
}

TEST(PackageName, RefusesDisplayIdsQuiltWouldRefusePermanentlyAndSaysWhy) {
  for (const std::string& bad :
       std::vector<std::string>{"EXP 1", "EXP.1", "EXP#1", "r\xc3\xa9sum\xc3\xa9", "EXP1\n"}) {
    auto r = package_name("benchling", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_TRUE(r.error().permanent) << "the same entry gives the same name on every retry";
    EXPECT_NE(r.error().message.find("cannot be part of a Quilt package name"), std::string::npos);
    EXPECT_NE(r.error().suggestion.find("\"benchling/EXP25000076\""), std::string::npos);
  }
  auto r = package_name("benchling", "EXP 1");
  EXPECT_EQ(r.error().message,
            "display_id 'EXP 1' cannot be part of a Quilt package name: it contains ' ' (a space) at byte 4");
  EXPECT_EQ(package_name("lab-notebook_2", "EXP-0001_a").value(), "lab-notebook_2/EXP-0001_a");
}

TEST(PackageName, RejectsPrefixesThatAreNotOneSegment) {
  EXPECT_FALSE(package_name("", "EXP1"));
  EXPECT_FALSE(package_name("bench/ling", "EXP1"));
  auto r = package_name("bench/ling", "EXP1");
  EXPECT_NE(r.error().message.find("pkg_prefix"), std::string::npos);
}

TEST(S3Key, JoinsPackageAndMember) {
  EXPECT_EQ(s3_key("benchling/EXP1", "data/a.csv").value(), "benchling/EXP1/data/a.csv");
}

TEST(S3Key, RejectsKeysLongerThan1024Bytes) {
  const std::string pkg = "benchling/EXP1";  // 14 bytes + '/'
  EXPECT_TRUE(s3_key(pkg, std::string(1024 - 15, 'a')));
  auto r = s3_key(pkg, std::string(1024 - 14, 'a'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(CommitMessage, EventTypeAndTimestamp) {
  EXPECT_EQ(commit_message("v2.entry.created", "2025-10-01T12:00:00.000Z"),
            "Benchling v2.entry.created at 2025-10-01T12:00:00.000Z");
}

TEST(CommitMessage, NoTimestampNoDanglingSeparator) {
  EXPECT_EQ(commit_message("v2.entry.updated.fields", ""), "Benchling v2.entry.updated.fields");
}

TEST(CommitMessage, MissingEventTypeSaysWebhookPayload) {
  EXPECT_EQ(commit_message("", ""), "Benchling webhook payload");
  EXPECT_EQ(commit_message("", "T"), "Benchling webhook payload at T");
}

TEST(PackagerMessage, ExactBodyWithKeysInOrder) {
  PackagerMessageInput in;
  in.bucket = "quilt-user-bucket";
  in.package_name = "benchling/EXP25000076";
  in.event_type = "v2.entry.created";
  in.timestamp = "2025-10-01T12:00:00.000Z";
  EXPECT_EQ(
      packager_message_body(in),
      R"({"source_prefix":"s3://quilt-user-bucket/benchling/EXP25000076/","registry":"quilt-user-bucket",)"
      R"("package_name":"benchling/EXP25000076","metadata_uri":"entry.json",)"
      R"("commit_message":"Benchling v2.entry.created at 2025-10-01T12:00:00.000Z"})");
}

TEST(PackagerMessage, WorkflowIsAddedLastOnlyWhenSet) {
  PackagerMessageInput in;
  in.bucket = "b";
  in.package_name = "p/d";
  in.workflow = "alpha";
  EXPECT_EQ(
      packager_message_body(in),
      R"({"source_prefix":"s3://b/p/d/","registry":"b","package_name":"p/d","metadata_uri":"entry.json",)"
      R"("commit_message":"Benchling webhook payload","workflow":"alpha"})");
}

}  // namespace
}  // namespace bw::packaging
