#include "canvas/urls.hpp"

#include <gtest/gtest.h>

namespace bw::canvas {
namespace {

constexpr const char* kCatalog = "nightly.quilttest.com";
constexpr const char* kBucket = "quilt-example";
constexpr const char* kName = "benchling/EXP25000076";

TEST(Urls, PackageUrlLeavesTheNameUnencoded) {
  EXPECT_EQ(package_url(kCatalog, kBucket, kName),
            "https://nightly.quilttest.com/b/quilt-example/packages/benchling/EXP25000076");
}

TEST(Urls, FileUrlUsesTreeLatestAndQuotesEverySlash) {
  EXPECT_EQ(file_url(kCatalog, kBucket, kName, "data/run 1/plate#1+α.csv"),
            "https://nightly.quilttest.com/b/quilt-example/packages/benchling/EXP25000076/tree/latest/"
            "data%2Frun%201%2Fplate%231%2B%CE%B1.csv");
  EXPECT_EQ(
      file_url(kCatalog, kBucket, kName, "a-b_c.d~e"),
      "https://nightly.quilttest.com/b/quilt-example/packages/benchling/EXP25000076/tree/latest/a-b_c.d~e");
}

TEST(Urls, RawSyncUriDefaultsToLatestAndAlwaysNamesTheCatalog) {
  EXPECT_EQ(raw_sync_uri(kCatalog, kBucket, kName),
            "quilt+s3://quilt-example#package=benchling/EXP25000076:latest&catalog=nightly.quilttest.com");
  EXPECT_EQ(raw_sync_uri(kCatalog, kBucket, kName, std::nullopt, "abc123"),
            "quilt+s3://quilt-example#package=benchling/EXP25000076@abc123&catalog=nightly.quilttest.com");
  EXPECT_EQ(raw_sync_uri(kCatalog, kBucket, kName, "README.md", "abc123"),
            "quilt+s3://quilt-example#package=benchling/EXP25000076@abc123&path=README.md"
            "&catalog=nightly.quilttest.com");
}

TEST(Urls, EmptyPathOrVersionCountsAsAbsent) {
  EXPECT_EQ(raw_sync_uri(kCatalog, kBucket, kName, "", ""), raw_sync_uri(kCatalog, kBucket, kName));
}

TEST(Urls, SyncUrlQuotesTheRawUriCompletely) {
  EXPECT_EQ(sync_url(kCatalog, kBucket, kName),
            "https://nightly.quilttest.com/redir/quilt%2Bs3%3A%2F%2Fquilt-example%23package%3Dbenchling%2F"
            "EXP25000076%3Alatest%26catalog%3Dnightly.quilttest.com");
  EXPECT_EQ(sync_url(kCatalog, kBucket, kName, "data/a b.csv"),
            "https://nightly.quilttest.com/redir/quilt%2Bs3%3A%2F%2Fquilt-example%23package%3Dbenchling%2F"
            "EXP25000076%3Alatest%26path%3Ddata%252Fa%2520b.csv%26catalog%3Dnightly.quilttest.com");
}

TEST(Urls, SyncUriPathIsEncodedAsTheCatalogEncodesIt) {
  // encodeURIComponent: '/', ' ', '&', '#', '%' and non-ASCII escaped; ( ) ' ! * kept.
  EXPECT_EQ(raw_sync_uri(kCatalog, kBucket, kName, "runs/plate #1 & 50% (α)'s.csv"),
            "quilt+s3://quilt-example#package=benchling/EXP25000076:latest"
            "&path=runs%2Fplate%20%231%20%26%2050%25%20(%CE%B1)'s.csv&catalog=nightly.quilttest.com");
  EXPECT_EQ(raw_sync_uri("quilt.example.com:8443", kBucket, kName),
            "quilt+s3://quilt-example#package=benchling/EXP25000076:latest&catalog=quilt.example.com%3A8443");
}

TEST(Urls, UploadUrlAsksTheCatalogToRevise) {
  EXPECT_EQ(
      upload_url(kCatalog, kBucket, kName),
      "https://nightly.quilttest.com/b/quilt-example/packages/benchling/EXP25000076?action=revisePackage");
}

}  // namespace
}  // namespace bw::canvas
