#include "deploy/image_check.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

TEST(ImageCheck, EcrUrisAreSplitIntoAccountRegionRepositoryAndTagOrDigest) {
  auto tagged =
      parse_ecr_image_uri("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/benchling-webhook:1.2.0");
  ASSERT_TRUE(tagged);
  EXPECT_EQ(tagged->account, "123456789012");
  EXPECT_EQ(tagged->region, "eu-west-1");
  EXPECT_EQ(tagged->repository, "team/benchling-webhook");
  EXPECT_EQ(tagged->tag, "1.2.0");
  EXPECT_EQ(tagged->reference(), "1.2.0");

  const std::string digest = "sha256:" + std::string(64, 'a');
  auto pinned = parse_ecr_image_uri("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/bw@" + digest);
  ASSERT_TRUE(pinned);
  EXPECT_EQ(pinned->region, "cn-north-1");
  EXPECT_EQ(pinned->repository, "bw");
  EXPECT_EQ(pinned->tag, "");
  EXPECT_EQ(pinned->reference(), digest);
}

TEST(ImageCheck, OtherRegistriesAreNotEcr) {
  for (const char* uri : {"public.ecr.aws/quilt/benchling-webhook:1", "docker.io/library/debian:bookworm",
                          "ghcr.io/quiltdata/bw:1", "localhost:5000/bw:1", "bw:1",
                          "12345.dkr.ecr.us-east-1.amazonaws.com/bw:1",       // not a 12-digit account
                          "123456789012.dkr.ecr.us-east-1.amazonaws.com/bw",  // neither tag nor digest
                          "123456789012.dkr.ecr.us-east-1.amazonaws.com/bw@sha256:short"}) {
    EXPECT_FALSE(parse_ecr_image_uri(uri)) << uri;
  }
}

TEST(ImageCheck, AnIndexListsItsPlatformsWithoutAttestations) {
  auto index =
      parse_image_manifest(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
    "manifests":[
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1","size":1,
       "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:2","size":1,
       "platform":{"architecture":"unknown","os":"unknown"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:3","size":1,
       "platform":{"architecture":"amd64","os":"linux"}}]})",
                           "application/vnd.oci.image.index.v1+json");
  ASSERT_TRUE(index) << index.error().to_text();
  EXPECT_TRUE(index->index);
  EXPECT_EQ(index->platforms, (std::vector<std::string>{"linux/arm64/v8", "linux/amd64"}));
  EXPECT_EQ(index->config_digest, "");

  // A Docker manifest list, its media type only in the document.
  auto list = parse_image_manifest(R"({"schemaVersion":2,
    "mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
    "manifests":[{"digest":"sha256:1","platform":{"architecture":"arm64","os":"linux"}}]})",
                                   "");
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->index);
  EXPECT_EQ(list->platforms, (std::vector<std::string>{"linux/arm64"}));
}

TEST(ImageCheck, ASingleManifestPointsAtItsConfigBlob) {
  auto single = parse_image_manifest(R"({"schemaVersion":2,
    "mediaType":"application/vnd.docker.distribution.manifest.v2+json",
    "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"sha256:c0ff"},
    "layers":[{"digest":"sha256:1"}]})",
                                     "application/vnd.docker.distribution.manifest.v2+json");
  ASSERT_TRUE(single);
  EXPECT_FALSE(single->index);
  EXPECT_TRUE(single->platforms.empty());
  EXPECT_EQ(single->config_digest, "sha256:c0ff");

  auto schema1 = parse_image_manifest(R"({"schemaVersion":1,"name":"bw","tag":"1","architecture":"amd64"})",
                                      "application/vnd.docker.distribution.manifest.v1+json");
  ASSERT_TRUE(schema1);
  EXPECT_EQ(schema1->platforms, (std::vector<std::string>{"linux/amd64"}));
}

TEST(ImageCheck, UnreadableManifestsAreRemoteErrors) {
  for (const char* bad : {"", "[]", "{}", R"({"mediaType":"application/vnd.oci.image.index.v1+json"})",
                          R"({"schemaVersion":2,"config":{"digest":"md5:x"}})"}) {
    auto r = parse_image_manifest(bad, "");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  }
}

TEST(ImageCheck, TheConfigBlobNamesThePlatform) {
  auto p = platform_of_config(R"({"architecture":"arm64","os":"linux","variant":"v8","config":{}})");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "linux/arm64/v8");
  EXPECT_FALSE(platform_of_config(R"({"os":"linux"})"));
  EXPECT_FALSE(platform_of_config("not json"));
}

TEST(ImageCheck, PlatformsMatchOnOsAndArchitectureWhateverTheVariant) {
  EXPECT_TRUE(platform_matches("linux/amd64", kTaskPlatform));
  EXPECT_TRUE(platform_matches("linux/amd64/v3", kTaskPlatform));
  EXPECT_FALSE(platform_matches("linux/arm64", kTaskPlatform));
  EXPECT_FALSE(platform_matches("linux/arm64/v8", kTaskPlatform));
  EXPECT_FALSE(platform_matches("windows/amd64", kTaskPlatform));
  EXPECT_FALSE(platform_matches("linux/amd", kTaskPlatform));
}

TEST(ImageCheck, AWrongPlatformNamesWhatWasFoundAndWhatIsNeeded) {
  auto e = wrong_platform("r/bw:1", {"linux/arm64/v8", "linux/s390x"}, "linux/amd64");
  EXPECT_EQ(e.code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(e.message,
            "The image is built for linux/arm64/v8, linux/s390x, but the tasks run on linux/amd64");
  EXPECT_NE(e.suggestion.find("--platform linux/amd64"), std::string::npos);
  EXPECT_NE(e.to_text().find("r/bw:1"), std::string::npos);
}

}  // namespace
}  // namespace bw::deploy
