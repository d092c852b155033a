#include "aws/s3.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "aws/sigv4.hpp"
#include "core/crypto.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::Reply;

constexpr const char* kNow = "2024-03-05T06:07:08Z";

struct Harness : testing::AwsLoopback<S3> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_S3", "us-east-1", kNow), s3(&service) {}
  S3* s3;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

std::string query_of(const RecordedRequest& r) {
  const auto q = r.target.find('?');
  return q == std::string::npos ? std::string() : r.target.substr(q + 1);
}

// Recomputes the signature from what arrived on the wire (path as sent, the headers the Authorization
// header lists): equal only if the client signed exactly the path and body it sent.
std::string expected_authorization(const RecordedRequest& r) {
  const std::string auth = r.header("Authorization").value_or("");
  const auto sh = auth.find("SignedHeaders=");
  if (sh == std::string::npos) return "<no SignedHeaders>";
  const auto end = auth.find(',', sh);
  const std::string names = auth.substr(sh + 14, end - sh - 14);
  CanonicalInput in;
  in.method = r.method;
  in.path = r.path();
  in.query = query_of(r);
  in.s3 = true;
  std::size_t pos = 0;
  while (pos <= names.size()) {
    auto semi = names.find(';', pos);
    if (semi == std::string::npos) semi = names.size();
    const std::string name = names.substr(pos, semi - pos);
    in.headers.emplace_back(name, r.header(name).value_or("<missing>"));
    pos = semi + 1;
  }
  in.payload_hash = r.header("x-amz-content-sha256").value_or("");
  Credentials c;
  c.access_key_id = "AKIDTEST";
  c.secret_access_key = "SECRETTEST";
  return authorization_header(c, SigningScope{"us-east-1", "s3", core::parse_iso8601(kNow).value()}, in);
}

void expect_signed_as_sent(const RecordedRequest& r) {
  EXPECT_EQ(r.header("x-amz-content-sha256"), core::sha256_hex(r.body)) << r.target;
  EXPECT_EQ(r.header("Authorization"), expected_authorization(r)) << r.target;
  EXPECT_NE(r.header("Authorization").value_or("").find("/us-east-1/s3/aws4_request"), std::string::npos);
}

// A reader over a string that hands out at most `chunk` bytes per call, as a socket or a ZIP entry would.
S3::ReadFn string_source(std::string data, std::size_t chunk = 3) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(data), 0);
  return [state, chunk](char* buf, std::size_t cap) -> core::Result<std::size_t> {
    auto& [text, pos] = *state;
    const std::size_t n = std::min({cap, chunk, text.size() - pos});
    std::memcpy(buf, text.data() + pos, n);
    pos += n;
    return n;
  };
}

// moto 5.2.1's replies, copied from the wire.
Reply no_such_key() {
  return Reply::text(404,
                     R"(<?xml version="1.0" encoding="utf-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing.txt</Key><RequestId>K2I0XIBlqFsKkXD1aahhf6v5liZbbEzfJhwA6vNS9uTSadUAbkLH</RequestId><HostId>9Gjjt1m+cjU4OPvX9O9/8RuvnG41MRb/18Oux2o5H5MY7ISNTlXN+Dz9IG62/ILVxhAGI0qyPfg=</HostId></Error>)")
      .with_header("Content-Type", "application/xml");
}

Reply no_such_bucket() {
  return Reply::text(404,
                     R"(<?xml version="1.0" encoding="utf-8"?>
<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>nobucket</BucketName><RequestId>dS6qLq6FOdkw450EXWGLJWtv6VSt2pZdCWIq8gbcIYvq16oFqL2m</RequestId><HostId>9Gjjt1m+cjU4OPvX9O9/8RuvnG41MRb/18Oux2o5H5MY7ISNTlXN+Dz9IG62/ILVxhAGI0qyPfg=</HostId></Error>)")
      .with_header("Content-Type", "application/xml");
}

Reply access_denied() {
  return Reply::text(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")
      .with_header("Content-Type", "application/xml");
}

bool has_param(const RecordedRequest& r, const std::string& param) {
  const std::string q = "&" + query_of(r) + "&";
  return q.find("&" + param + "&") != std::string::npos;
}

// A scripted multipart server: Create returns `upload_id`, part N answers ETag "etag-N" (or
// `part_failure` for part `fail_part`), Complete answers `complete` (a success by default).
struct MultipartServer {
  std::string upload_id = "up/id+1=";
  int fail_part = 0;
  Reply part_failure = access_denied();
  std::optional<Reply> complete;

  testing::Handler handler() {
    return [this](const RecordedRequest& r) {
      const std::string q = query_of(r);
      if (r.method == "POST" && q == "uploads") {
        return Reply::text(200, R"(<?xml version="1.0" encoding="utf-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>bkt</Bucket><Key>k</Key><UploadId>)" +
                                    upload_id + "</UploadId></InitiateMultipartUploadResult>");
      }
      if (r.method == "PUT" && q.rfind("partNumber=", 0) == 0) {
        const int n = std::stoi(q.substr(11));
        if (n == fail_part) return part_failure;
        return Reply::empty(200).with_header("ETag", "\"etag-" + std::to_string(n) + "\"");
      }
      if (r.method == "POST") {
        if (complete) return *complete;
        return Reply::text(200,
                           R"(<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>x</Location><Bucket>bkt</Bucket><Key>k</Key><ETag>"final-etag-3"</ETag></CompleteMultipartUploadResult>)");
      }
      if (r.method == "DELETE") return Reply::empty(204);
      return Reply::text(500, "unexpected");
    };
  }
};

TEST(S3Key, EncodesLikeBotocoreKeepingSlashes) {
  EXPECT_EQ(s3_encode_key("dir/file.txt"), "dir/file.txt");
  EXPECT_EQ(s3_encode_key("a b/c+d/e#f?g"), "a%20b/c%2Bd/e%23f%3Fg");
  EXPECT_EQ(s3_encode_key("r\xC3\xA9sum\xC3\xA9~_-.txt"), "r%C3%A9sum%C3%A9~_-.txt");
  EXPECT_EQ(s3_encode_key("a//b/"), "a//b/");
  EXPECT_EQ(s3_encode_key("%41"), "%2541");  // a literal '%' in a key is data, not an escape
}

TEST(S3Key, DetectsDotSegmentsOnly) {
  EXPECT_TRUE(s3_key_has_dot_segment("a/../b"));
  EXPECT_TRUE(s3_key_has_dot_segment("./a"));
  EXPECT_TRUE(s3_key_has_dot_segment("a/."));
  EXPECT_TRUE(s3_key_has_dot_segment(".."));
  EXPECT_FALSE(s3_key_has_dot_segment("a/...b/.c/d."));
  EXPECT_FALSE(s3_key_has_dot_segment(".hidden/..backup"));
}

TEST(S3, PutObjectSendsPathStyleUrlBodyHashAndContentType) {
  LoopbackServer server(
      [](const RecordedRequest&) { return Reply::empty(200).with_header("ETag", "\"5d41402abc4b2a76\""); });
  Harness h(server);
  auto etag = h.s3->put_object("my-bucket", "dir/file.json", "{\"a\":1}", "application/json");
  ASSERT_TRUE(etag) << etag.error().to_text();
  EXPECT_EQ(*etag, "\"5d41402abc4b2a76\"");
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.requests()[0];
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.target, "/my-bucket/dir/file.json");
  EXPECT_EQ(r.header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.body, "{\"a\":1}");
  expect_signed_as_sent(r);
}

TEST(S3, PutObjectAlwaysSendsAContentType) {
  LoopbackServer server(
      [](const RecordedRequest&) { return Reply::empty(200).with_header("ETag", "\"e\""); });
  Harness h(server);
  ASSERT_TRUE(h.s3->put_object("bkt", "k1", "data"));
  ASSERT_TRUE(h.s3->put_object("bkt", "k2", "data", ""));
  ASSERT_TRUE(h.s3->put_object("bkt", "k3", ""));
  for (const auto& r : server.requests()) {
    // Never curl's form default: moto (Werkzeug) would swallow the body and store 0 bytes.
    EXPECT_EQ(r.header("Content-Type"), "application/octet-stream") << r.target;
  }
  EXPECT_EQ(server.requests()[2].header("Content-Length"), "0");
}

TEST(S3, UnusualKeysAreEncodedOnceAndSignedExactlyAsSent) {
  LoopbackServer server(
      [](const RecordedRequest&) { return Reply::empty(200).with_header("ETag", "\"e\""); });
  Harness h(server);
  const std::string key = "pkg prefix/entry+1/r\xC3\xA9sum\xC3\xA9 #2?.txt";
  ASSERT_TRUE(h.s3->put_object("bkt", key, "x", "text/plain"));
  ASSERT_TRUE(h.s3->put_object("bkt", "sub//double", "x", "text/plain"));
  ASSERT_TRUE(h.s3->put_object("bkt", "keys/100%25 literal%", "x", "text/plain"));
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  // The bytes botocore 1.43 puts on the wire for the same keys.
  EXPECT_EQ(reqs[0].target, "/bkt/pkg%20prefix/entry%2B1/r%C3%A9sum%C3%A9%20%232%3F.txt");
  EXPECT_EQ(reqs[1].target, "/bkt/sub//double");
  EXPECT_EQ(reqs[2].target, "/bkt/keys/100%2525%20literal%25");
  for (const auto& r : reqs) expect_signed_as_sent(r);
}

TEST(S3, InvalidNamesFailBeforeAnyRequest) {
  LoopbackServer server;
  Harness h(server);
  EXPECT_EQ(h.s3->put_object("bkt", "", "x").error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(h.s3->put_object("", "k", "x").error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(h.s3->put_object("s3://bkt", "k", "x").error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(h.s3->get_object("bkt", std::string(1025, 'k'), 10).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(S3Upload, SourceEndingBelowTheThresholdIsOnePutObject) {
  LoopbackServer server(
      [](const RecordedRequest&) { return Reply::empty(200).with_header("ETag", "\"one\""); });
  Harness h(server);
  auto r = h.s3->upload("bkt", "small.bin", "text/csv", string_source("a,b,c\n1"),
                        {.part_size = 10, .multipart_threshold = 10});
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->etag, "\"one\"");
  EXPECT_EQ(r->size, 7u);
  EXPECT_EQ(r->parts, 0u);
  ASSERT_EQ(server.request_count(), 1u);
  const auto req = server.requests()[0];
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.target, "/bkt/small.bin");
  EXPECT_EQ(req.body, "a,b,c\n1");
  EXPECT_EQ(req.header("Content-Type"), "text/csv");
  expect_signed_as_sent(req);
}

TEST(S3Upload, EmptySourceIsOneEmptyPutObject) {
  LoopbackServer server(
      [](const RecordedRequest&) { return Reply::empty(200).with_header("ETag", "\"empty\""); });
  Harness h(server);
  auto r = h.s3->upload("bkt", "empty", "", string_source(""), {.part_size = 5, .multipart_threshold = 0});
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->size, 0u);
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].header("Content-Type"), "application/octet-stream");
}

TEST(S3Upload, LargeSourceIsCreateThenPartsInOrderThenComplete) {
  MultipartServer ms;
  LoopbackServer server(ms.handler());
  Harness h(server);
  auto r = h.s3->upload("bkt", "dir/big file.bin", "application/zip", string_source("abcdefghijklmn"),
                        {.part_size = 5, .multipart_threshold = 5});
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->etag, "\"final-etag-3\"");
  EXPECT_EQ(r->size, 14u);
  EXPECT_EQ(r->parts, 3u);

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/bkt/dir/big%20file.bin?uploads");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/zip");  // the object's type is set on Create
  const std::string id = "uploadId=up%2Fid%2B1%3D";
  const std::vector<std::string> bodies = {"abcde", "fghij", "klmn"};
  for (int i = 0; i < 3; ++i) {
    const auto& p = reqs[1 + i];
    EXPECT_EQ(p.method, "PUT");
    EXPECT_EQ(p.target, "/bkt/dir/big%20file.bin?partNumber=" + std::to_string(i + 1) + "&" + id);
    EXPECT_EQ(p.body, bodies[i]);
    EXPECT_TRUE(p.header("Content-Type").has_value());
    expect_signed_as_sent(p);  // each part signed with its own SHA-256, not UNSIGNED-PAYLOAD
  }
  const auto& c = reqs[4];
  EXPECT_EQ(c.method, "POST");
  EXPECT_EQ(c.target, "/bkt/dir/big%20file.bin?" + id);
  EXPECT_EQ(c.header("Content-Type"), "application/xml");
  EXPECT_EQ(c.body,
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;etag-1&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;etag-2&quot;</ETag></Part>"
            "<Part><PartNumber>3</PartNumber><ETag>&quot;etag-3&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
  expect_signed_as_sent(c);
}

TEST(S3Upload, SourceOfExactlyWholePartsSendsNoEmptyPart) {
  MultipartServer ms;
  // moto 5.2.1's Complete reply (its root is ...Response, not S3's ...Result).
  ms.complete = Reply::text(200, R"(<?xml version="1.0" encoding="utf-8"?>
<CompleteMultipartUploadResponse xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>http://bkt.s3.amazonaws.com/k</Location><Bucket>bkt</Bucket><Key>k</Key><ETag>"af5da9f45af7a300e3aded972f8ff687-2"</ETag></CompleteMultipartUploadResponse>)");
  LoopbackServer server(ms.handler());
  Harness h(server);
  auto r = h.s3->upload("bkt", "k", "", string_source("abcdefghij", 10),
                        {.part_size = 5, .multipart_threshold = 5});
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->parts, 2u);
  EXPECT_EQ(r->size, 10u);
  EXPECT_EQ(r->etag, "\"af5da9f45af7a300e3aded972f8ff687-2\"");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 4u);  // Create, 2 parts, Complete
  EXPECT_EQ(reqs[2].body, "fghij");
  EXPECT_EQ(reqs[3].method, "POST");
}

TEST(S3Upload, FailedPartAbortsTheUploadAndReturnsTheError) {
  MultipartServer ms;
  ms.fail_part = 2;
  LoopbackServer server(ms.handler());
  Harness h(server);
  auto r = h.s3->upload("bkt", "k", "", string_source("abcdefghijklmn"),
                        {.part_size = 5, .multipart_threshold = 5});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_NE(r.error().suggestion.find("s3:PutObject"), std::string::npos) << r.error().suggestion;
  EXPECT_EQ(detail(r.error(), "part"), "2");
  EXPECT_EQ(detail(r.error(), "key"), "k");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 4u);  // Create, part 1, part 2 (denied), Abort; no part 3, no Complete
  EXPECT_EQ(reqs[3].method, "DELETE");
  EXPECT_EQ(reqs[3].target, "/bkt/k?uploadId=up%2Fid%2B1%3D");
  expect_signed_as_sent(reqs[3]);
}

TEST(S3Upload, FailingSourceAbortsTheUploadAndReturnsItsError) {
  MultipartServer ms;
  LoopbackServer server(ms.handler());
  Harness h(server);
  int calls = 0;
  S3::ReadFn read = [&](char* buf, std::size_t cap) -> core::Result<std::size_t> {
    if (++calls > 1) return core::make_error(core::ErrorCode::kTransport, "export download failed");
    std::memset(buf, 'x', cap);
    return cap;
  };
  auto r = h.s3->upload("bkt", "k", "", read, {.part_size = 5, .multipart_threshold = 5});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "export download failed");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);  // Create, part 1, Abort
  EXPECT_EQ(reqs[2].method, "DELETE");
}

TEST(S3Upload, ErrorInsideA200CompleteReplyIsAFailureAndAborts) {
  MultipartServer ms;
  ms.complete = Reply::text(200,
                            "\n\n<Error><Code>InternalError</Code><Message>We encountered an internal "
                            "error. Please try again.</Message></Error>");
  LoopbackServer server(ms.handler());
  Harness h(server);
  auto r = h.s3->upload("bkt", "k", "", string_source("abcdefg"), {.part_size = 5, .multipart_threshold = 5});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("InternalError"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.requests().back().method, "DELETE");
}

TEST(S3Upload, SourceNeedingMoreThan10000PartsFailsBeforePart10001) {
  std::atomic<int> parts{0};
  MultipartServer ms;
  auto base = ms.handler();
  LoopbackServer server([&](const RecordedRequest& r) {
    if (r.method == "PUT") ++parts;
    return base(r);
  });
  Harness h(server);
  S3::ReadFn endless = [](char* buf, std::size_t cap) -> core::Result<std::size_t> {
    std::memset(buf, 'z', cap);
    return cap;
  };
  auto r = h.s3->upload("bkt", "k", "", endless, {.part_size = 1, .multipart_threshold = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("more than 10000 parts"), std::string::npos);
  EXPECT_NE(r.error().suggestion.find("larger part size"), std::string::npos);
  EXPECT_EQ(parts.load(), 10000);
  EXPECT_EQ(server.requests().back().method, "DELETE");
}

TEST(S3Upload, RejectsAZeroPartSize) {
  LoopbackServer server;
  Harness h(server);
  auto r = h.s3->upload("bkt", "k", "", string_source("abc"), {.part_size = 0});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(S3Get, GetObjectToStreamsTheBodyInChunks) {
  std::string body(20000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = char('a' + i % 26);
  LoopbackServer server([&](const RecordedRequest&) {
    Reply rep =
        Reply::text(200, body).with_header("ETag", "\"abc\"").with_header("Content-Type", "text/plain");
    rep.trickle_chunk = 4000;
    rep.trickle_interval = std::chrono::milliseconds(2);
    return rep;
  });
  Harness h(server);
  std::string got;
  int chunks = 0;
  auto info = h.s3->get_object_to("bkt", "dir/a b.txt", [&](std::string_view c) {
    got.append(c);
    ++chunks;
    return true;
  });
  ASSERT_TRUE(info) << info.error().to_text();
  EXPECT_EQ(got, body);
  EXPECT_GT(chunks, 1);
  EXPECT_EQ(info->size, body.size());
  EXPECT_EQ(info->etag, "\"abc\"");
  EXPECT_EQ(info->content_type, "text/plain");
  const auto r = server.requests()[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/bkt/dir/a%20b.txt");
  expect_signed_as_sent(r);
}

TEST(S3Get, RestartedStreamIsAnErrorNotDuplicatedBytes) {
  // The first answer is cut after 3 bytes; the client retries and the sink sees the start again.
  Reply cut = Reply::text(200, "0123456789");
  cut.close_after_body_bytes = 3;
  LoopbackServer server(testing::sequence({cut, Reply::text(200, "0123456789")}));
  Harness h(server);
  std::string got;
  auto info = h.s3->get_object_to("bkt", "k", [&](std::string_view c) {
    got.append(c);
    return true;
  });
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, core::ErrorCode::kTransport);
  EXPECT_NE(info.error().suggestion.find("Discard"), std::string::npos);
}

TEST(S3Get, SinkRefusalStopsTheDownload) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, std::string(1000, 'x')); });
  Harness h(server);
  auto info = h.s3->get_object_to("bkt", "k", [](std::string_view) { return false; });
  ASSERT_FALSE(info);
  EXPECT_EQ(detail(info.error(), "bucket"), "bkt");
}

TEST(S3Get, GetObjectBuffersUpToTheLimitAndNamesItWhenOver) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, std::string(100, 'x')); });
  Harness h(server);
  auto ok = h.s3->get_object("bkt", "k", 100);
  ASSERT_TRUE(ok) << ok.error().to_text();
  EXPECT_EQ(ok->size(), 100u);
  auto over = h.s3->get_object("bkt", "k", 99);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, core::ErrorCode::kTooLarge);
  EXPECT_FALSE(over.error().healable());
  EXPECT_EQ(over.error().message, "S3 object s3://bkt/k is larger than 99 bytes");
}

TEST(S3Errors, NoSuchKeyIsNotFoundNamingTheObject) {
  LoopbackServer server([](const RecordedRequest&) { return no_such_key(); });
  Harness h(server);
  auto r = h.s3->get_object("bkt", "dir/missing.txt", 1024);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "S3 object not found: s3://bkt/dir/missing.txt");
  EXPECT_EQ(detail(r.error(), "bucket"), "bkt");
  EXPECT_EQ(detail(r.error(), "key"), "dir/missing.txt");
  EXPECT_EQ(detail(r.error(), "code"), "NoSuchKey");
  EXPECT_EQ(server.request_count(), 1u);  // a 404 is not retried

  auto streamed = h.s3->get_object_to("bkt", "dir/missing.txt", [](std::string_view) { return true; });
  ASSERT_FALSE(streamed);
  EXPECT_EQ(streamed.error().message, "S3 object not found: s3://bkt/dir/missing.txt");
}

TEST(S3Errors, NoSuchBucketIsNotFoundNamingTheBucket) {
  LoopbackServer server([](const RecordedRequest&) { return no_such_bucket(); });
  Harness h(server);
  auto r = h.s3->get_object("nobucket", "k", 1024);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "S3 bucket not found: nobucket");
  auto l = h.s3->list_objects_v2("nobucket", "");
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().message, "S3 bucket not found: nobucket");
}

TEST(S3Errors, HeadObjectReadsHeadersAndMapsABodiless404) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (r.path() == "/bkt/missing") return Reply::empty(404);
    Reply rep;  // not Reply::text: that brings its own Content-Type
    rep.body = std::string(1234, 'x');
    return rep.with_header("ETag", "\"e1\"")
        .with_header("Content-Type", "image/png")
        .with_header("Last-Modified", "Tue, 05 Mar 2024 06:07:08 GMT");
  });
  Harness h(server);
  auto info = h.s3->head_object("bkt", "present");
  ASSERT_TRUE(info) << info.error().to_text();
  EXPECT_EQ(info->size, 1234u);
  EXPECT_EQ(info->etag, "\"e1\"");
  EXPECT_EQ(info->content_type, "image/png");
  EXPECT_EQ(info->last_modified, "Tue, 05 Mar 2024 06:07:08 GMT");
  EXPECT_EQ(server.requests()[0].method, "HEAD");

  auto missing = h.s3->head_object("bkt", "missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "S3 object not found: s3://bkt/missing");
}

TEST(S3Errors, HeadBucketMaps404And403And301) {
  LoopbackServer server;
  Harness h(server);

  server.set_reply(Reply::empty(200));
  EXPECT_TRUE(h.s3->head_bucket("bkt"));
  EXPECT_EQ(server.requests()[0].method, "HEAD");
  EXPECT_EQ(server.requests()[0].target, "/bkt");

  server.set_reply(Reply::empty(404));
  auto missing = h.s3->head_bucket("bkt");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "S3 bucket not found: bkt");

  server.set_reply(Reply::empty(403));
  auto denied = h.s3->head_bucket("bkt");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_NE(denied.error().suggestion.find("s3:ListBucket"), std::string::npos) << denied.error().suggestion;
  EXPECT_NE(denied.error().suggestion.find("arn:aws:s3:::bkt"), std::string::npos);

  server.set_reply(Reply::empty(301).with_header("x-amz-bucket-region", "eu-west-1"));
  auto moved = h.s3->head_bucket("bkt");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(moved.error().message, "S3 bucket bkt is in eu-west-1, not in us-east-1");
  EXPECT_EQ(detail(moved.error(), "bucket region"), "eu-west-1");
}

TEST(S3Errors, WrongRegionSignatureReplyNamesTheBucketRegion) {
  LoopbackServer server([](const RecordedRequest&) {
    return Reply::text(400,
                       "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is "
                       "malformed; the region 'us-east-1' is wrong; expecting 'ap-south-1'</Message>"
                       "<Region>ap-south-1</Region></Error>")
        .with_header("x-amz-bucket-region", "ap-south-1");
  });
  Harness h(server);
  auto r = h.s3->get_object("bkt", "k", 10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(r.error().message, "S3 bucket bkt is in ap-south-1, not in us-east-1");
}

TEST(S3List, FollowsContinuationTokensAndDecodesKeys) {
  LoopbackServer server([](const RecordedRequest& r) {
    if (!has_param(r, "continuation-token=tok%2F1%2B%3D")) {
      return Reply::text(200, R"(<?xml version="1.0" encoding="utf-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bkt</Name><Prefix>p%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><EncodingType>url</EncodingType><NextContinuationToken>tok/1+=</NextContinuationToken>
<Contents><Key>p/a%2Bb%20c/%C3%A9.txt</Key><LastModified>2026-11-26T18:50:28.000Z</LastModified><ETag>"e1"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>p/plus+space</Key><ETag>"e2"</ETag><Size>22</Size></Contents></ListBucketResult>)");
    }
    return Reply::text(200,
                       R"(<ListBucketResult><IsTruncated>false</IsTruncated><EncodingType>url</EncodingType>
<Contents><Key>p/z</Key><ETag>"e3"</ETag><Size>3</Size></Contents></ListBucketResult>)");
  });
  Harness h(server);
  auto first = h.s3->list_objects_v2("bkt", "p/", std::nullopt, 2);
  ASSERT_TRUE(first) << first.error().to_text();
  EXPECT_TRUE(first->truncated);
  EXPECT_EQ(first->next_continuation_token, "tok/1+=");
  ASSERT_EQ(first->objects.size(), 2u);
  EXPECT_EQ(first->objects[0].key, "p/a+b c/\xC3\xA9.txt");
  EXPECT_EQ(first->objects[0].etag, "\"e1\"");
  EXPECT_EQ(first->objects[0].size, 1u);
  EXPECT_EQ(first->objects[0].last_modified, "2026-11-26T18:50:28.000Z");
  EXPECT_EQ(first->objects[1].key, "p/plus space");  // S3 sends a space in a key as '+'
  const auto r0 = server.requests()[0];
  EXPECT_EQ(r0.method, "GET");
  EXPECT_EQ(r0.path(), "/bkt");
  EXPECT_TRUE(has_param(r0, "list-type=2"));
  EXPECT_TRUE(has_param(r0, "encoding-type=url"));
  EXPECT_TRUE(has_param(r0, "max-keys=2"));
  EXPECT_TRUE(has_param(r0, "prefix=p%2F"));
  EXPECT_EQ(query_of(r0).find("continuation-token"), std::string::npos);
  expect_signed_as_sent(r0);

  auto second = h.s3->list_objects_v2("bkt", "p/", first->next_continuation_token);
  ASSERT_TRUE(second) << second.error().to_text();
  EXPECT_FALSE(second->truncated);
  EXPECT_FALSE(second->next_continuation_token);
  ASSERT_EQ(second->objects.size(), 1u);
  expect_signed_as_sent(server.requests()[1]);

  server.clear_requests();
  auto all = h.s3->list_all("bkt", "p/", 100);
  ASSERT_TRUE(all) << all.error().to_text();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].key, "p/z");
  EXPECT_EQ(server.request_count(), 2u);

  server.clear_requests();
  auto limited = h.s3->list_all("bkt", "p/", 1);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 1u);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(has_param(server.requests()[0], "max-keys=1"));
}

TEST(S3List, TruncatedPageWithoutATokenIsRejectedRatherThanLooping) {
  auto page = parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kRemote);
}

TEST(S3List, UnreadableRepliesAreRemoteErrors) {
  EXPECT_FALSE(parse_list_objects_v2("not xml"));
  EXPECT_FALSE(parse_list_objects_v2("<Other/>"));
  EXPECT_FALSE(parse_list_objects_v2(
      "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>bad%zz</Key><Size>1</Size></Contents>"
      "</ListBucketResult>"));
  EXPECT_FALSE(
      parse_list_objects_v2("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
                            "</ListBucketResult>"));
  auto empty = parse_list_objects_v2("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->objects.empty());
}

}  // namespace
}  // namespace bw::aws
