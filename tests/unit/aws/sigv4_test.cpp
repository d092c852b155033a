// Tests for aws/sigv4: the public AWS SigV4 test suite (one test per case) plus vectors from botocore.
#include "aws/sigv4.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/crypto.hpp"

namespace bw::aws {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// 20150830T123600Z, the time every vector here is signed at.
core::SystemTime suite_time() {
  return core::SystemTime(sys_days(2015y / August / 30) + 12h + 36min);
}

SigningScope scope_for(std::string service) {
  return {"us-east-1", std::move(service), suite_time()};
}

Credentials example_credentials(std::string session_token = {}) {
  return {kAccessKey, kSecretKey, std::move(session_token), std::nullopt, "test"};
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> count_header(const http::Headers& headers, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [k, v] : headers) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == name) values.push_back(v);
  }
  return values;
}

std::string header_value(const http::Headers& headers, std::string_view name) {
  auto values = count_header(headers, name);
  return values.size() == 1 ? values.front() : "<" + std::to_string(values.size()) + " values>";
}

// ---------------------------------------------------------------------------------------------------
// The AWS SigV4 test suite (tests/fixtures/aws-sig-v4-test-suite, Apache-2.0).

struct SuiteCase {
  std::string name;
  fs::path dir;
};

// Failure messages name the case instead of dumping its bytes.
void PrintTo(const SuiteCase& c, std::ostream* os) {
  *os << c.name;
}

std::vector<SuiteCase> discover_suite() {
  std::vector<SuiteCase> cases;
  const fs::path root = fs::path(BW_FIXTURES_DIR) / "aws-sig-v4-test-suite";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_directory()) continue;
    const std::string name = it->path().filename().string();
    if (fs::exists(it->path() / (name + ".req"))) cases.push_back({name, it->path()});
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

struct ParsedRequest {
  CanonicalInput input;
  std::string body;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Parses a suite .req: request line, headers (a repeated name is kept as another entry; a folded
// continuation line is another value of the header above it, which the suite expects joined with ','),
// blank line, body.
ParsedRequest parse_req(const std::string& text) {
  ParsedRequest out;
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  std::string_view body;
  bool in_body = false;
  while (!rest.empty() && !in_body) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() && !lines.empty()) {
      in_body = true;
      body = rest;
    } else {
      lines.push_back(line);
    }
  }
  out.body = std::string(body);

  const std::string_view request_line = lines.at(0);
  const std::size_t sp = request_line.find(' ');
  const std::size_t version = request_line.rfind(" HTTP/");
  out.input.method = std::string(request_line.substr(0, sp));
  std::string_view target = request_line.substr(sp + 1, version - sp - 1);
  if (auto q = target.find('?'); q != std::string_view::npos) {
    out.input.query = std::string(target.substr(q + 1));
    target = target.substr(0, q);
  }
  out.input.path = std::string(target);

  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if ((line.front() == ' ' || line.front() == '\t') && !out.input.headers.empty()) {
      out.input.headers.emplace_back(out.input.headers.back().first, std::string(trim(line)));
      continue;
    }
    const std::size_t colon = line.find(':');
    out.input.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  out.input.payload_hash = core::sha256_hex(out.body);
  return out;
}

class AwsSigV4Suite : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(AwsSigV4Suite, MatchesCanonicalRequestStringToSignAndAuthorization) {
  const SuiteCase& c = GetParam();
  const fs::path base = c.dir / c.name;
  const ParsedRequest req = parse_req(read_file(base.string() + ".req"));
  const std::string expected_creq = read_file(base.string() + ".creq");
  const std::string expected_sts = read_file(base.string() + ".sts");
  const std::string expected_authz = read_file(base.string() + ".authz");
  ASSERT_FALSE(expected_creq.empty());

  // post-sts-header-before carries the session token in its headers; it is signed like any header.
  std::string token;
  for (const auto& [k, v] : req.input.headers)
    if (k == "X-Amz-Security-Token") token = v;
  const Credentials creds = example_credentials(token);
  const SigningScope scope = scope_for("service");

  const std::string creq = canonical_request(req.input);
  EXPECT_EQ(creq, expected_creq);
  const std::string sts = string_to_sign(scope, creq);
  EXPECT_EQ(sts, expected_sts);
  EXPECT_EQ(authorization_header(creds, scope, req.input), expected_authz);
}

std::string gtest_name(const ::testing::TestParamInfo<SuiteCase>& info) {
  std::string name = info.param.name;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, AwsSigV4Suite, ::testing::ValuesIn(discover_suite()), gtest_name);

TEST(AwsSigV4SuiteFixture, AllThirtyOneCasesAreDiscovered) {
  // Guards against a moved fixture directory silently turning the suite into zero tests.
  const auto cases = discover_suite();
  EXPECT_EQ(cases.size(), 31u);
  EXPECT_TRUE(
      std::any_of(cases.begin(), cases.end(), [](const auto& c) { return c.name == "get-relative"; }));
  EXPECT_TRUE(std::any_of(cases.begin(), cases.end(),
                          [](const auto& c) { return c.name == "post-sts-header-before"; }));
}

// ---------------------------------------------------------------------------------------------------
// Vectors from botocore 1.43 (reference/toolchain.md §3 and SigV4Auth/S3SigV4Auth.add_auth at the suite
// time).

TEST(SigV4, SecretsManagerGetSecretValueMatchesBotocoreVector) {
  CanonicalInput in;
  in.method = "POST";
  in.path = "/";
  in.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                {"X-Amz-Target", "secretsmanager.GetSecretValue"},
                {"Host", "secretsmanager.us-east-1.amazonaws.com"},
                {"X-Amz-Date", "20150830T123600Z"}};
  in.payload_hash = core::sha256_hex(R"({"SecretId":"benchling/creds"})");
  const SigningScope scope = scope_for("secretsmanager");

  const std::string creq = canonical_request(in);
  EXPECT_EQ(creq,
            "POST\n/\n\n"
            "content-type:application/x-amz-json-1.1\n"
            "host:secretsmanager.us-east-1.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n"
            "x-amz-target:secretsmanager.GetSecretValue\n\n"
            "content-type;host;x-amz-date;x-amz-target\n"
            "0965687a8d19bbd7fb436411dac1cf988823739d953da8bfd39e6653e6c44ab9");
  const std::string sts = string_to_sign(scope, creq);
  EXPECT_EQ(sts,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/secretsmanager/aws4_request\n"
            "28af5f2fa0e098a656275b1421b2464d726ec215a6828ca1f332090ba143341e");
  EXPECT_EQ(signature(kSecretKey, scope, sts),
            "0486e3b792f1c294b0e045b3a4752b30cce26e90baa3d6b00009d491ee04fa16");
}

TEST(SigV4, SignRequestForSecretsManagerMatchesBotocoreAndAddsNoContentSha256) {
  http::Request req;
  req.method = "POST";
  req.url = "https://secretsmanager.us-east-1.amazonaws.com/";
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
  req.body = R"({"SecretId":"benchling/creds"})";
  sign_request(req, example_credentials(), scope_for("secretsmanager"));

  EXPECT_EQ(header_value(req.headers, "host"), "secretsmanager.us-east-1.amazonaws.com");
  EXPECT_EQ(header_value(req.headers, "x-amz-date"), "20150830T123600Z");
  EXPECT_TRUE(count_header(req.headers, "x-amz-content-sha256").empty());
  EXPECT_TRUE(count_header(req.headers, "x-amz-security-token").empty());
  EXPECT_EQ(header_value(req.headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/secretsmanager/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=0486e3b792f1c294b0e045b3a4752b30cce26e90baa3d6b00009d491ee04fa16");
}

TEST(SigV4, SignRequestForS3SignsBodyHashSessionTokenAndNonDefaultPortLikeBotocore) {
  http::Request req;
  req.method = "PUT";
  req.url = "http://127.0.0.1:5000/my-bucket/dir//a%20b%2Bc.txt?x-id=PutObject";
  req.headers = {{"Content-Type", "text/plain"}};
  req.body = "hello";
  sign_request(req, example_credentials("SESSIONTOKEN"), scope_for("s3"));

  EXPECT_EQ(header_value(req.headers, "host"), "127.0.0.1:5000");
  EXPECT_EQ(header_value(req.headers, "x-amz-security-token"), "SESSIONTOKEN");
  EXPECT_EQ(header_value(req.headers, "x-amz-content-sha256"), core::sha256_hex("hello"));
  // botocore S3SigV4Auth: S3 path kept as on the wire ("//" and escapes untouched, not double-encoded).
  EXPECT_EQ(header_value(req.headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            "Signature=3e34e9f6f19892a91cea78313589d61c1c674e8e3f9d33288f72035ee4829588");
}

TEST(SigV4, SignRequestForS3SignsUnsignedPayloadWhenAsked) {
  http::Request req;
  req.method = "GET";
  req.url = "https://my-bucket.s3.us-east-1.amazonaws.com/k%2Fey";
  sign_request(req, example_credentials(), scope_for("s3"), /*unsigned_payload=*/true);

  EXPECT_EQ(header_value(req.headers, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(header_value(req.headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            "Signature=7823b809c205c709d4a0a7d40157eac079b7b0d6b1bb583f940555d5641888ef");
}

TEST(SigV4, SignRequestIgnoresUnsignedPayloadFlagOutsideS3) {
  http::Request req;
  req.url = "https://sqs.us-east-1.amazonaws.com/";
  sign_request(req, example_credentials(), scope_for("sqs"), /*unsigned_payload=*/true);
  EXPECT_TRUE(count_header(req.headers, "x-amz-content-sha256").empty());
  EXPECT_EQ(header_value(req.headers, "authorization").find("UNSIGNED"), std::string::npos);
}

TEST(SigV4, SignRequestNormalizesAndDoubleEncodesEscapedPathOutsideS3LikeBotocore) {
  http::Request req;
  req.method = "GET";
  req.url = "https://example.amazonaws.com:8443/a%20b/./c/../d?b=2&a=1&a=0";
  sign_request(req, example_credentials(), scope_for("service"));

  EXPECT_EQ(header_value(req.headers, "host"), "example.amazonaws.com:8443");
  // botocore canonical request: "GET\n/a%2520b/d\na=0&a=1&b=2\n..."; the URL itself is left untouched.
  EXPECT_EQ(req.url, "https://example.amazonaws.com:8443/a%20b/./c/../d?b=2&a=1&a=0");
  EXPECT_EQ(header_value(req.headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=68d3ba4c7bbcb38947ae7daf946d70c18e74d8036fc4f90f92112c1889b249b9");
}

// ---------------------------------------------------------------------------------------------------
// sign_request behaviour

TEST(SigV4, SignRequestOmitsDefaultPortFromHostAndLowercasesIt) {
  http::Request https_req;
  https_req.url = "https://User@Example.AmazonAWS.com:443/x";
  sign_request(https_req, example_credentials(), scope_for("service"));
  EXPECT_EQ(header_value(https_req.headers, "host"), "example.amazonaws.com");

  http::Request http_req;
  http_req.url = "http://localhost:80";
  sign_request(http_req, example_credentials(), scope_for("service"));
  EXPECT_EQ(header_value(http_req.headers, "host"), "localhost");

  http::Request ipv6;
  ipv6.url = "http://[::1]:5000/";
  sign_request(ipv6, example_credentials(), scope_for("service"));
  EXPECT_EQ(header_value(ipv6.headers, "host"), "[::1]:5000");
}

TEST(SigV4, SignRequestKeepsCallerHostHeader) {
  http::Request req;
  req.url = "http://127.0.0.1:5000/";
  req.headers = {{"Host", "sqs.us-east-1.amazonaws.com"}};
  sign_request(req, example_credentials(), scope_for("sqs"));
  EXPECT_EQ(header_value(req.headers, "host"), "sqs.us-east-1.amazonaws.com");
}

TEST(SigV4, SignRequestSignsSessionTokenHeader) {
  http::Request req;
  req.url = "https://sqs.us-east-1.amazonaws.com/";
  sign_request(req, example_credentials("TOKEN123"), scope_for("sqs"));
  EXPECT_EQ(header_value(req.headers, "x-amz-security-token"), "TOKEN123");
  EXPECT_NE(
      header_value(req.headers, "authorization").find("SignedHeaders=host;x-amz-date;x-amz-security-token,"),
      std::string::npos);
}

TEST(SigV4, SignRequestMatchesAuthorizationHeaderOverTheSameCanonicalInput) {
  http::Request req;
  req.method = "POST";
  req.url = "https://sqs.us-east-1.amazonaws.com/123/q?Action=SendMessage&Version=2012-11-05";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.body = "MessageBody=hi";
  const Credentials creds = example_credentials("TOK");
  sign_request(req, creds, scope_for("sqs"));

  CanonicalInput in;
  in.method = "POST";
  in.path = "/123/q";
  in.query = "Action=SendMessage&Version=2012-11-05";
  in.headers = {{"content-type", "application/x-www-form-urlencoded"},
                {"host", "sqs.us-east-1.amazonaws.com"},
                {"x-amz-date", "20150830T123600Z"},
                {"x-amz-security-token", "TOK"}};
  in.payload_hash = core::sha256_hex("MessageBody=hi");
  EXPECT_EQ(header_value(req.headers, "authorization"), authorization_header(creds, scope_for("sqs"), in));
}

TEST(SigV4, SignRequestReplacesStaleSigningHeadersWhenSigningAgain) {
  http::Request req;
  req.url = "https://s3.us-east-1.amazonaws.com/b/k";
  sign_request(req, example_credentials("OLD"), scope_for("s3"));
  SigningScope later = scope_for("s3");
  later.time += 90s;
  sign_request(req, example_credentials(), later);

  EXPECT_EQ(count_header(req.headers, "authorization").size(), 1u);
  EXPECT_EQ(count_header(req.headers, "host").size(), 1u);
  EXPECT_EQ(count_header(req.headers, "x-amz-content-sha256").size(), 1u);
  EXPECT_EQ(header_value(req.headers, "x-amz-date"), "20150830T123730Z");
  EXPECT_TRUE(count_header(req.headers, "x-amz-security-token").empty());  // new credentials have none
}

TEST(SigV4, SignRequestLeavesHeadersTheClientMayRewriteUnsigned) {
  http::Request req;
  req.url = "https://sqs.us-east-1.amazonaws.com/";
  req.headers = {{"User-Agent", "benchling-webhook/0.1"},
                 {"X-Amzn-Trace-Id", "Root=1"},
                 {"Content-Length", "0"},
                 {"Transfer-Encoding", "chunked"}};
  sign_request(req, example_credentials(), scope_for("sqs"));
  EXPECT_NE(header_value(req.headers, "authorization").find("SignedHeaders=host;x-amz-date,"),
            std::string::npos);
}

TEST(SigV4, SecretKeyAndSessionTokenNeverAppearInAuthorization) {
  http::Request req;
  req.method = "POST";
  req.url = "https://secretsmanager.us-east-1.amazonaws.com/";
  req.body = kSecretKey;  // even a body that holds the secret
  sign_request(req, example_credentials("SESSIONTOKENVALUE"), scope_for("secretsmanager"));
  const std::string authz = header_value(req.headers, "authorization");
  EXPECT_EQ(authz.find(kSecretKey), std::string::npos);
  EXPECT_EQ(authz.find("wJalrXUtnFEMI"), std::string::npos);
  EXPECT_EQ(authz.find("SESSIONTOKENVALUE"), std::string::npos);
  EXPECT_EQ(authz.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0), 0u);
}

TEST(SigV4, SignatureDependsOnEverySignedPart) {
  CanonicalInput base;
  base.method = "GET";
  base.path = "/";
  base.headers = {{"host", "example.amazonaws.com"}, {"x-amz-date", "20150830T123600Z"}};
  base.payload_hash = kEmptyHash;
  const Credentials creds = example_credentials();
  const std::string ref = authorization_header(creds, scope_for("service"), base);

  CanonicalInput changed = base;
  changed.query = "a=1";
  EXPECT_NE(authorization_header(creds, scope_for("service"), changed), ref);
  changed = base;
  changed.payload_hash = core::sha256_hex("x");
  EXPECT_NE(authorization_header(creds, scope_for("service"), changed), ref);
  EXPECT_NE(authorization_header(creds, scope_for("other"), base), ref);
  SigningScope eu = scope_for("service");
  eu.region = "eu-west-1";
  EXPECT_NE(authorization_header(creds, eu, base), ref);
  Credentials other = creds;
  other.secret_access_key = "different";
  EXPECT_NE(authorization_header(other, scope_for("service"), base), ref);
}

// ---------------------------------------------------------------------------------------------------
// Canonicalization edge cases the suite does not cover

TEST(SigV4CanonicalUri, NonS3RemovesDotSegmentsAndEmptySegments) {
  EXPECT_EQ(canonical_uri("", false), "/");
  EXPECT_EQ(canonical_uri("/a/b/..", false), "/a");
  EXPECT_EQ(canonical_uri("/a/b/../", false), "/a/");
  EXPECT_EQ(canonical_uri("/../../a", false), "/a");
  EXPECT_EQ(canonical_uri("/a//b///c/", false), "/a/b/c/");
  EXPECT_EQ(canonical_uri("/%2E%2E/x", false), "/%252E%252E/x");  // escaped dots are not dot segments
}

TEST(SigV4CanonicalUri, S3KeepsPathAsOnTheWireWithoutDoubleEncoding) {
  EXPECT_EQ(canonical_uri("/bucket//a/./b/../c", true), "/bucket//a/./b/../c");
  EXPECT_EQ(canonical_uri("/bucket/a%20b%2Fc", true), "/bucket/a%20b%2Fc");
  EXPECT_EQ(canonical_uri("/bucket/a b+c!", true), "/bucket/a%20b%2Bc%21");
  EXPECT_EQ(canonical_uri("/bucket/100%", true), "/bucket/100%25");  // a stray '%' is not an escape
  EXPECT_EQ(canonical_uri("", true), "/");
}

TEST(SigV4CanonicalQuery, DecodesThenReencodesWithUppercaseHexAndSorts) {
  EXPECT_EQ(canonical_query_string(""), "");
  EXPECT_EQ(canonical_query_string("b=%e1%88%b4&a=x%20y"), "a=x%20y&b=%E1%88%B4");
  EXPECT_EQ(canonical_query_string("k=v/w:x"), "k=v%2Fw%3Ax");
  EXPECT_EQ(canonical_query_string("uploads"), "uploads=");
  EXPECT_EQ(canonical_query_string("b=&&a"), "a=&b=");
  EXPECT_EQ(canonical_query_string("a=b=c"), "a=b%3Dc");
  EXPECT_EQ(canonical_query_string("a=%zz"), "a=%25zz");  // malformed escape taken literally
  EXPECT_EQ(canonical_query_string("a=1+2"), "a=1%2B2");  // '+' is a literal plus, as AWS SDKs send it
}

TEST(SigV4CanonicalHeaders, TrimsCollapsesAndJoinsDuplicatesInOrder) {
  CanonicalInput in;
  in.method = "GET";
  in.path = "/";
  in.headers = {{"X-B", "  two\t  words  "}, {"Host", "h"}, {"x-b", "second"}, {"X-A", ""}};
  in.payload_hash = kEmptyHash;
  EXPECT_EQ(canonical_request(in),
            std::string("GET\n/\n\nhost:h\nx-a:\nx-b:two words,second\n\nhost;x-a;x-b\n") + kEmptyHash);
  EXPECT_EQ(signed_headers(in.headers), "host;x-a;x-b");
}

}  // namespace
}  // namespace bw::aws
