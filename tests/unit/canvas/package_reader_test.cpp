#include "canvas/package_reader.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "aws/aws_client.hpp"
#include "aws/s3.hpp"
#include "canvas/top_hash.hpp"
#include "core/encoding.hpp"
#include "core/time.hpp"
#include "support/loopback_server.hpp"
#include "support/static_credentials.hpp"

namespace bw::canvas {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::Reply;

constexpr const char* kGoldenTopHash = "3426a3f721e41a1d83174c691432a39ff13720426267fc799dccf3583153e850";
const std::string kHash = std::string(64, 'a');
const std::string kPkg = "benchling/etr_1";

using bw::testing::StaticCredentials;

// moto 5.2.1's NoSuchKey reply.
Reply no_such_key() {
  return Reply::text(404,
                     R"(<?xml version="1.0" encoding="utf-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>r1</RequestId></Error>)")
      .with_header("Content-Type", "application/xml");
}

// A path-style S3 over a map of objects: GET /bucket/key and ListObjectsV2 (one page, url-encoded keys).
struct FakeS3 {
  std::mutex mu;
  std::map<std::string, std::string> objects;  // "bucket/key" -> body
  std::optional<Reply> forced;                 // answer every request with this

  void put(const std::string& bucket, const std::string& key, std::string body) {
    std::lock_guard lock(mu);
    objects[bucket + "/" + key] = std::move(body);
  }

  testing::Handler handler() {
    return [this](const RecordedRequest& r) {
      std::lock_guard lock(mu);
      if (forced) return *forced;
      const std::string path = core::uri_decode(r.path()).value_or("");
      const auto q = r.target.find('?');
      const std::string query = q == std::string::npos ? "" : r.target.substr(q + 1);
      if (query.find("list-type=2") != std::string::npos) return list(path.substr(1), query);
      const auto it = objects.find(path.substr(1));
      if (it == objects.end()) return no_such_key();
      return Reply::text(200, it->second);
    };
  }

  Reply list(const std::string& bucket, const std::string& query) {
    std::string prefix;
    if (const auto p = query.find("prefix="); p != std::string::npos) {
      prefix = core::uri_decode(query.substr(p + 7, query.find('&', p) - p - 7)).value_or("");
    }
    std::string xml = "<ListBucketResult><IsTruncated>false</IsTruncated><EncodingType>url</EncodingType>";
    for (const auto& [full, body] : objects) {
      if (!full.starts_with(bucket + "/")) continue;
      const std::string key = full.substr(bucket.size() + 1);
      if (!key.starts_with(prefix)) continue;
      xml += "<Contents><Key>" + core::uri_encode(key, true) + "</Key><Size>" + std::to_string(body.size()) +
             "</Size></Contents>";
    }
    return Reply::text(200, xml + "</ListBucketResult>");
  }
};

struct Harness {
  Harness() : server(fake.handler()) {
    aws::AwsClientOptions opts;
    opts.sleep = [](std::chrono::milliseconds, const core::StopToken&) { return true; };
    opts.retry.max_attempts = 1;
    client = std::make_unique<aws::AwsClient>(
        http, creds, aws::map_env({{"AWS_ENDPOINT_URL_S3", server.url()}}), "us-east-1", opts);
    s3 = std::make_unique<aws::S3>(*client);
  }
  PackageReader reader(PackageReaderOptions options = {}) { return PackageReader(*s3, options); }
  std::vector<std::string> paths() {
    std::vector<std::string> out;
    for (const auto& r : server.requests()) out.push_back(r.path());
    return out;
  }

  FakeS3 fake;
  LoopbackServer server;
  http::Client http;
  StaticCredentials creds;
  std::unique_ptr<aws::AwsClient> client;
  std::unique_ptr<aws::S3> s3;
};

std::string file_line(const std::string& key, std::uint64_t size, const std::string& pk = "s3://bucket/x") {
  return "{\"logical_key\": \"" + key + "\", \"physical_keys\": [\"" + pk +
         "\"], \"size\": " + std::to_string(size) +
         ", \"hash\": {\"type\": \"SHA256\", \"value\": \"00\"}, \"meta\": {}}\n";
}

const std::string kManifest =
    "{\"version\": \"v0\", \"message\": \"Benchling webhook payload\", \"user_meta\": {\"entry_id\": "
    "\"etr_1\"}}\n"
    "{\"logical_key\": \"data/\", \"meta\": {\"user_meta\": {}}}\n" +
    file_line("README.md", 100) + file_line(".quilt/extra", 7) +
    file_line("entry.json", 50, "s3://bucket/benchling/etr_1/entry%20data.json?versionId=v%2B1") +
    file_line("data/b.csv", 2048) + file_line("a.txt", 1);

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BW_FIXTURES_DIR) + "/quilt/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PackageReader, LatestTopHashReadsAndTrimsThePointer) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash + "\n");
  EXPECT_EQ(h.reader().latest_top_hash("bucket", kPkg).value(), kHash);
  EXPECT_EQ(h.paths(), std::vector<std::string>{"/bucket/.quilt/named_packages/benchling/etr_1/latest"});
}

TEST(PackageReader, MissingPointerIsPackageDoesNotExist) {
  Harness h;
  auto r = h.reader().read_package("bucket", kPkg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "Package benchling/etr_1 does not exist in s3://bucket");
  EXPECT_EQ(h.server.request_count(), 1u) << "no manifest read without a pointer";
}

TEST(PackageReader, MissingBucketAndAccessDeniedPassThrough) {
  Harness h;
  h.fake.forced = Reply::text(404,
                              "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not "
                              "exist</Message></Error>");
  auto r = h.reader().latest_top_hash("bucket", kPkg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "S3 bucket not found: bucket");

  h.fake.forced =
      Reply::text(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
  r = h.reader().latest_top_hash("bucket", kPkg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kAccessDenied);
}

TEST(PackageReader, PointerThatIsNotATopHashIsRemoteError) {
  Harness h;
  for (const std::string& bad :
       {std::string("not a hash"), std::string(64, 'A'), kHash + "0", std::string()}) {
    h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", bad);
    auto r = h.reader().latest_top_hash("bucket", kPkg);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote) << bad;
  }
}

TEST(PackageReader, InvalidPackageNameIsRefusedBeforeAnyRequest) {
  Harness h;
  for (const char* name : {"", "noslash", "a/../b", "a//b", "/a", "a/b/", "a/\x01"}) {
    auto r = h.reader().read_package("bucket", name);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << name;
  }
  EXPECT_EQ(h.server.request_count(), 0u);
}

TEST(PackageReader, ReadPackageListsSortedFilesWithoutQuiltKeys) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  h.fake.put("bucket", ".quilt/packages/" + kHash, kManifest);
  auto listing = h.reader().read_package("bucket", kPkg);
  ASSERT_TRUE(listing) << listing.error().to_text();
  EXPECT_EQ(listing->top_hash, kHash);
  EXPECT_EQ(listing->package_name, kPkg);
  std::vector<std::pair<std::string, std::uint64_t>> files;
  for (const auto& f : listing->files) files.emplace_back(f.logical_key, f.size);
  EXPECT_EQ(files, (std::vector<std::pair<std::string, std::uint64_t>>{
                       {"README.md", 100}, {"a.txt", 1}, {"data/b.csv", 2048}, {"entry.json", 50}}));
  EXPECT_EQ(listing->total_count(), 4u);
  EXPECT_EQ(listing->total_bytes, 2199u);
  EXPECT_EQ(listing->user_meta, boost::json::parse(R"({"entry_id":"etr_1"})"));
  EXPECT_EQ(listing->message, "Benchling webhook payload");
  EXPECT_EQ(listing->entry_json_physical_key,
            "s3://bucket/benchling/etr_1/entry%20data.json?versionId=v%2B1");
  EXPECT_EQ(h.paths(), (std::vector<std::string>{"/bucket/.quilt/named_packages/benchling/etr_1/latest",
                                                 "/bucket/.quilt/packages/" + kHash}));
}

TEST(PackageReader, LargeManifestArrivesInManyChunksAndIsCounted) {
  Harness h;
  std::string manifest = "{\"version\": \"v0\"}\n";
  for (int i = 0; i < 3000; ++i) manifest += file_line("dir/file-" + std::to_string(10000 + i) + ".bin", 3);
  ASSERT_GT(manifest.size(), 300'000u);
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  h.fake.put("bucket", ".quilt/packages/" + kHash, manifest);
  auto listing = h.reader().read_package("bucket", kPkg);
  ASSERT_TRUE(listing) << listing.error().to_text();
  EXPECT_EQ(listing->total_count(), 3000u);
  EXPECT_EQ(listing->total_bytes, 9000u);
  EXPECT_EQ(listing->files.front().logical_key, "dir/file-10000.bin");
  EXPECT_TRUE(listing->user_meta.is_null());
}

TEST(PackageReader, MalformedManifestNamesTheLineAndStopsTheDownload) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  h.fake.put("bucket", ".quilt/packages/" + kHash, "{\"version\":\"v0\"}\n" + file_line("a", 1) + "{nope\n");
  auto r = h.reader().read_package("bucket", kPkg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("manifest line 3"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().to_text().find(".quilt/packages/" + kHash), std::string::npos) << "names the object";
}

TEST(PackageReader, PointerToAMissingManifestIsNotNotFound) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  auto r = h.reader().read_package("bucket", kPkg);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRemote) << "the package exists: never the 'not created' view";
  EXPECT_NE(r.error().message.find("points at manifest " + kHash), std::string::npos);
}

TEST(PackageReader, DuplicateLogicalKeysAreRejected) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  h.fake.put("bucket", ".quilt/packages/" + kHash,
             "{\"version\":\"v0\"}\n" + file_line("a", 1) + file_line("a", 2));
  auto r = h.reader().read_package("bucket", kPkg);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'a' twice"), std::string::npos);
}

TEST(PackageReader, VerifyTopHashAcceptsTheGoldenManifestAndRejectsATamperedOne) {
  Harness h;
  const std::string golden = read_fixture("top_hash_test_manifest.jsonl");
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kGoldenTopHash);
  h.fake.put("bucket", std::string(".quilt/packages/") + kGoldenTopHash, golden);
  PackageReaderOptions opts;
  opts.verify_top_hash = true;
  auto ok = h.reader(opts).read_package("bucket", kPkg);
  ASSERT_TRUE(ok) << ok.error().to_text();
  EXPECT_EQ(ok->total_count(), 2u);

  std::string tampered = golden;
  tampered.replace(tampered.find("\"size\": 14"), 10, "\"size\": 15");
  h.fake.put("bucket", std::string(".quilt/packages/") + kGoldenTopHash, tampered);
  auto bad = h.reader(opts).read_package("bucket", kPkg);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("does not match top hash"), std::string::npos);
  EXPECT_TRUE(h.reader().read_package("bucket", kPkg)) << "unverified reads still list it";
}

TEST(PackageReader, MetadataComesFromEntryJsonThroughItsPhysicalKey) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  h.fake.put("bucket", ".quilt/packages/" + kHash, kManifest);
  h.fake.put("bucket", "benchling/etr_1/entry data.json", R"({"id":"etr_1","name":"Exp 1","tags":[1,2]})");
  auto reader = h.reader();
  auto listing = reader.read_package("bucket", kPkg);
  ASSERT_TRUE(listing);
  h.server.clear_requests();
  auto meta = reader.package_metadata("bucket", kPkg, *listing);
  ASSERT_TRUE(meta) << meta.error().to_text();
  EXPECT_EQ(*meta, boost::json::parse(R"({"id":"etr_1","name":"Exp 1","tags":[1,2]})").as_object());
  const auto reqs = h.server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path(), "/bucket/benchling/etr_1/entry%20data.json") << "key decoded once, encoded once";
}

TEST(PackageReader, MetadataFallsBackToUserMeta) {
  Harness h;
  PackageListing listing;
  listing.user_meta = boost::json::parse(R"({"entry_id":"etr_1"})");
  EXPECT_EQ(h.reader().package_metadata("bucket", kPkg, listing).value(),
            boost::json::parse(R"({"entry_id":"etr_1"})").as_object());
  listing.user_meta = nullptr;
  EXPECT_TRUE(h.reader().package_metadata("bucket", kPkg, listing).value().empty());
  listing.user_meta = "a string";
  EXPECT_EQ(h.reader().package_metadata("bucket", kPkg, listing).error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(h.server.request_count(), 0u);
}

TEST(PackageReader, EntryJsonThatIsNotAnObjectOrMissingIsAnError) {
  Harness h;
  PackageListing listing;
  listing.entry_json_physical_key = "s3://bucket/p/entry.json";
  h.fake.put("bucket", "p/entry.json", "[1,2]");
  EXPECT_EQ(h.reader().package_metadata("bucket", kPkg, listing).error().code, core::ErrorCode::kRemote);
  h.fake.put("bucket", "p/entry.json", "{broken");
  EXPECT_EQ(h.reader().package_metadata("bucket", kPkg, listing).error().code, core::ErrorCode::kRemote);
  listing.entry_json_physical_key = "s3://bucket/p/gone.json";
  EXPECT_EQ(h.reader().package_metadata("bucket", kPkg, listing).error().code, core::ErrorCode::kNotFound);
  listing.entry_json_physical_key = "file:///tmp/entry.json";
  EXPECT_EQ(h.reader().package_metadata("bucket", kPkg, listing).error().code, core::ErrorCode::kRemote);
}

TEST(PackageReader, ListPackagesUsesLatestPointersOnly) {
  Harness h;
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_2/latest", kHash);
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_2/1700000000", kHash);
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/latest", kHash);
  h.fake.put("bucket", ".quilt/named_packages/benchling/etr_1/1700000001", kHash);
  h.fake.put("bucket", ".quilt/named_packages/other/pkg/latest", kHash);
  h.fake.put("bucket", ".quilt/named_packages/odd/latest", kHash);  // not namespace/name
  EXPECT_EQ(h.reader().list_packages("bucket", "benchling/").value(),
            (std::vector<std::string>{"benchling/etr_1", "benchling/etr_2"}));
  EXPECT_EQ(h.reader().list_packages("bucket", "").value(),
            (std::vector<std::string>{"benchling/etr_1", "benchling/etr_2", "other/pkg"}));

  PackageReaderOptions opts;
  opts.max_listed_pointers = 3;
  auto r = h.reader(opts).list_packages("bucket", "benchling/");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().suggestion.find("narrower"), std::string::npos);
}

TEST(S3Uri, ParsesBucketDecodedKeyAndVersionId) {
  auto loc = parse_s3_uri("s3://my-bucket/benchling/etr_1/entry%20data%2Bx.json?versionId=abc%2Fdef");
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->bucket, "my-bucket");
  EXPECT_EQ(loc->key, "benchling/etr_1/entry data+x.json");
  EXPECT_EQ(loc->version_id, "abc/def");

  loc = parse_s3_uri("s3://b/a+b/%D0%BA.txt");
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->key, "a+b/\xD0\xBA.txt") << "'+' in the path stays (unquote, not unquote_plus)";
  EXPECT_EQ(loc->version_id, std::nullopt);
}

TEST(S3Uri, RejectsWhatQuilt3Rejects) {
  for (const char* bad : {"file:///tmp/a.txt", "s3:///key", "s3://bucket", "s3://bucket/", "s3://b/k?foo=1",
                          "s3://b/k%zz", "https://b.s3.amazonaws.com/k"}) {
    auto r = parse_s3_uri(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(PackageName, AcceptsQuiltNamesAndBuildsRegistryKeys) {
  EXPECT_TRUE(validate_package_name("benchling/etr_123"));
  EXPECT_TRUE(validate_package_name("user-1/pkg_2/sub"));
  EXPECT_EQ(latest_pointer_key("a/b"), ".quilt/named_packages/a/b/latest");
  EXPECT_EQ(manifest_key(kHash), ".quilt/packages/" + kHash);
}

}  // namespace
}  // namespace bw::canvas
