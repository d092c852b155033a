#include "aws/ecr.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

TEST(Ecr, BatchGetImageGivesTheManifestItsMediaTypeAndDigest) {
  auto r = parse_batch_get_image(R"({"images":[{"registryId":"123456789012","repositoryName":"bw",
    "imageId":{"imageDigest":"sha256:abc","imageTag":"1"},
    "imageManifest":"{\"schemaVersion\":2}",
    "imageManifestMediaType":"application/vnd.oci.image.index.v1+json"}],"failures":[]})");
  ASSERT_TRUE(r) << r.error().to_text();
  ASSERT_TRUE(*r);
  EXPECT_EQ((*r)->manifest, R"({"schemaVersion":2})");
  EXPECT_EQ((*r)->media_type, "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ((*r)->digest, "sha256:abc");
}

TEST(Ecr, AnImageNotFoundFailureIsNoImage) {
  auto r = parse_batch_get_image(R"({"images":[],"failures":[{"imageId":{"imageTag":"2"},
    "failureCode":"ImageNotFound","failureReason":"Requested image not found"}]})");
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
}

TEST(Ecr, UnreadableBatchGetImageRepliesAreRemoteErrors) {
  for (const char* bad : {"", "[]", "{}", R"({"images":["x"]})", R"({"images":[{"imageId":{}}]})"}) {
    auto r = parse_batch_get_image(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  }
}

}  // namespace
}  // namespace bw::aws
