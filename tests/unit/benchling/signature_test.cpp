#include "benchling/signature.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "core/encoding.hpp"
#include "webhook_vectors.hpp"

namespace bw::benchling {
namespace {

using test::vectors;

std::string outcome(const VerifyResult& r) {
  return r.ok ? "ok" : to_string(*r.failure);
}

const PublicKeys& keys_named(const std::string& name) {
  static std::map<std::string, PublicKeys> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, vectors().keys(name)).first;
  return it->second;
}

std::vector<std::string> delivery_names() {
  std::vector<std::string> names;
  for (const auto& d : vectors().deliveries) names.push_back(d.name);
  return names;
}

TEST(WebhookVectors, FixtureIsComplete) {
  ASSERT_GE(vectors().deliveries.size(), 30u) << "run tests/fakes/make_webhook_vectors.py";
  std::set<std::string> expected;
  for (const auto& d : vectors().deliveries) expected.insert(d.expect);
  // Every failure the SDK can produce before the keys is exercised by an independent signer.
  for (const char* e :
       {"ok", "missing_id", "missing_timestamp", "missing_signature", "invalid_timestamp", "too_old",
        "too_new", "no_der_signature", "malformed_signature", "no_matching_signature"}) {
    EXPECT_TRUE(expected.count(e)) << e;
  }
}

// One test per vector, named after it (e.g. Vectors/SignatureVector.MatchesExpectedOutcome/tampered_body).
class SignatureVector : public ::testing::TestWithParam<std::string> {};

TEST_P(SignatureVector, MatchesExpectedOutcome) {
  const auto& d = vectors().delivery(GetParam());
  VerifyResult r = verify_signature(d.headers, d.body, keys_named(d.jwks), vectors().now(d.now_offset));
  EXPECT_EQ(outcome(r), d.expect) << r.message;
  if (r.ok) {
    EXPECT_TRUE(r.message.empty());
    EXPECT_TRUE(r.reason.empty());
    EXPECT_FALSE(r.kid.empty());
  } else {
    EXPECT_EQ(r.message, message_of(*r.failure));
    EXPECT_EQ(r.reason, to_string(*r.failure));
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, SignatureVector, ::testing::ValuesIn(delivery_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(Signature, ValidDeliveryNamesTheKeyThatSigned) {
  const auto& d = vectors().delivery("two_keys_signer_second");
  VerifyResult r = verify_signature(d.headers, d.body, keys_named("both_signer_second"), vectors().now());
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.kid, "key-2");
}

TEST(Signature, BodyIsVerifiedAsReceivedNotReserialized) {
  const auto& d = vectors().delivery("whitespace_body_as_received");
  EXPECT_TRUE(verify_signature(d.headers, d.body, keys_named("primary"), vectors().now()).ok);
  std::string compact = boost::json::serialize(boost::json::parse(d.body));
  ASSERT_NE(compact, d.body);
  EXPECT_EQ(outcome(verify_signature(d.headers, compact, keys_named("primary"), vectors().now())),
            "no_matching_signature");
}

TEST(Signature, EmptyKeySetIsNoKeysAfterHeaderChecks) {
  const auto& d = vectors().delivery("valid");
  EXPECT_EQ(outcome(verify_signature(d.headers, d.body, {}, vectors().now())), "no_keys");
  // Header problems are still reported first, as the SDK checks them before fetching keys.
  const auto& old = vectors().delivery("too_old");
  EXPECT_EQ(outcome(verify_signature(old.headers, old.body, {}, vectors().now(301))), "too_old");
}

TEST(Signature, WindowIsInclusiveToTheMicrosecond) {
  const auto& d = vectors().delivery("valid");
  const auto& keys = keys_named("primary");
  using std::chrono::microseconds;
  EXPECT_TRUE(verify_signature(d.headers, d.body, keys, vectors().now(300)).ok);
  EXPECT_EQ(outcome(verify_signature(d.headers, d.body, keys, vectors().now(300) + microseconds(1))),
            "too_old");
  // datetime.now() truncates to microseconds, so 300 s + 999 ns is still exactly 300 s.
  EXPECT_TRUE(
      verify_signature(d.headers, d.body, keys, vectors().now(300) + std::chrono::nanoseconds(999)).ok);
  EXPECT_TRUE(verify_signature(d.headers, d.body, keys, vectors().now(-300)).ok);
  EXPECT_EQ(outcome(verify_signature(d.headers, d.body, keys, vectors().now(-300) - microseconds(1))),
            "too_new");
}

TEST(Signature, MissingHeadersAreReportedInSdkOrder) {
  http::Headers none;
  EXPECT_EQ(outcome(verify_signature(none, "", {}, vectors().now())), "missing_id");
  EXPECT_EQ(outcome(verify_signature({{"webhook-signature", "x"}}, "", {}, vectors().now())), "missing_id");
  EXPECT_EQ(
      outcome(verify_signature({{"webhook-id", "a"}, {"webhook-signature", "x"}}, "", {}, vectors().now())),
      "missing_timestamp");
  // Headers come before the timestamp: a bad timestamp with a missing signature is "missing".
  EXPECT_EQ(
      outcome(verify_signature({{"webhook-id", "a"}, {"webhook-timestamp", "nan"}}, "", {}, vectors().now())),
      "missing_signature");
}

TEST(Signature, TimestampIsCheckedBeforeSignatureSyntax) {
  http::Headers h = {{"webhook-id", "a"}, {"webhook-timestamp", "1"}, {"webhook-signature", "no-comma"}};
  EXPECT_EQ(outcome(verify_signature(h, "", {}, vectors().now())), "too_old");
}

TEST(Signature, MalformedElementWinsOverMissingDer) {
  http::Headers h = {{"webhook-id", "a"},
                     {"webhook-timestamp", std::to_string(vectors().timestamp)},
                     {"webhook-signature", "v1,abc v1"}};
  EXPECT_EQ(outcome(verify_signature(h, "", {}, vectors().now())), "malformed_signature");
}

TEST(Signature, OverlongHeadersAreRejectedBeforeParsing) {
  const auto& d = vectors().delivery("valid");
  for (const char* name : {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
    http::Headers h = d.headers;
    for (auto& [k, v] : h) {
      if (k == name) v += std::string(kMaxWebhookHeaderBytes, ' ');
    }
    EXPECT_EQ(outcome(verify_signature(h, d.body, keys_named("primary"), vectors().now())), "header_too_long")
        << name;
  }
}

TEST(Signature, OnlyTheFirstSixteenDerSignaturesAreTried) {
  const auto& d = vectors().delivery("valid");
  std::string valid = *http::find_header(d.headers, "webhook-signature");
  std::string decoy = "v1der," + core::base64_encode(std::string(70, '\x30'));
  std::string fifteen_then_valid, sixteen_then_valid;
  for (int i = 0; i < 15; ++i) fifteen_then_valid += decoy + " ";
  sixteen_then_valid = fifteen_then_valid + decoy + " " + valid;
  fifteen_then_valid += valid;
  auto with_sig = [&](const std::string& sig) {
    http::Headers h = d.headers;
    for (auto& [k, v] : h) {
      if (k == "webhook-signature") v = sig;
    }
    return h;
  };
  EXPECT_TRUE(
      verify_signature(with_sig(fifteen_then_valid), d.body, keys_named("primary"), vectors().now()).ok);
  EXPECT_EQ(
      outcome(verify_signature(with_sig(sixteen_then_valid), d.body, keys_named("primary"), vectors().now())),
      "no_matching_signature");
}

TEST(Signature, OnlyTheFirstSixteenKeysAreTried) {
  const auto& d = vectors().delivery("signed_by_unknown_key");  // signed by key-2
  PublicKeys keys;
  for (int i = 0; i < 16; ++i) keys.push_back(keys_named("primary")[0]);
  keys.push_back(keys_named("rotated")[0]);
  EXPECT_EQ(outcome(verify_signature(d.headers, d.body, keys, vectors().now())), "no_matching_signature");
  keys.erase(keys.begin());
  EXPECT_TRUE(verify_signature(d.headers, d.body, keys, vectors().now()).ok);
}

TEST(Signature, PreparedDeliveryHashesOnceAndChecksEveryKey) {
  const auto& d = vectors().delivery("two_keys_signer_second");
  PreparedDelivery p = prepare_delivery(d.headers, d.body, vectors().now());
  ASSERT_FALSE(p.failure);
  ASSERT_EQ(p.signatures.size(), 1u);
  EXPECT_EQ(find_matching_key(p, keys_named("both_signer_second")), std::optional<std::size_t>(1));
  EXPECT_EQ(find_matching_key(p, keys_named("primary")), std::nullopt);
}

TEST(Signature, UndecodableDerElementsAreSkippedNotFatal) {
  const auto& d = vectors().delivery("valid");
  std::string valid = *http::find_header(d.headers, "webhook-signature");
  http::Headers h = d.headers;
  for (auto& [k, v] : h) {
    if (k == "webhook-signature") v = "v1der,%%% " + valid;
  }
  PreparedDelivery p = prepare_delivery(h, d.body, vectors().now());
  ASSERT_FALSE(p.failure);
  EXPECT_EQ(p.signatures.size(), 1u);
  EXPECT_TRUE(verify_signature(h, d.body, keys_named("primary"), vectors().now()).ok);
}

TEST(Signature, FailureNamesAndSdkMessagesAreStable) {
  EXPECT_STREQ(to_string(VerifyFailure::kMissingId), "missing_id");
  EXPECT_STREQ(to_string(VerifyFailure::kNoMatchingSignature), "no_matching_signature");
  EXPECT_STREQ(to_string(VerifyFailure::kNoKeys), "no_keys");
  EXPECT_STREQ(message_of(VerifyFailure::kMissingId), "Missing webhook-id header");
  EXPECT_STREQ(message_of(VerifyFailure::kMissingTimestamp), "Missing webhook-timestamp header");
  EXPECT_STREQ(message_of(VerifyFailure::kMissingSignature), "Missing webhook-signature header");
  EXPECT_STREQ(message_of(VerifyFailure::kInvalidTimestamp), "Invalid Signature Headers");
  EXPECT_STREQ(message_of(VerifyFailure::kTooOld), "Message timestamp too old");
  EXPECT_STREQ(message_of(VerifyFailure::kTooNew), "Message timestamp too new");
  EXPECT_STREQ(message_of(VerifyFailure::kNoDerSignature), "Expected to find a der encoded signature");
  EXPECT_STREQ(message_of(VerifyFailure::kNoMatchingSignature), "No matching signature found");
}

TEST(Signature, RandomHeadersNeverCrashAndNeverVerify) {
  const auto& d = vectors().delivery("valid");
  const std::string alphabet = "v1der,+/=0123456789. abcXYZ\t-_\x80\xff";
  std::mt19937 rng(7);
  auto random_text = [&](std::size_t max_len) {
    std::string out(rng() % max_len, ' ');
    for (auto& c : out) c = alphabet[rng() % alphabet.size()];
    return out;
  };
  for (int i = 0; i < 3000; ++i) {
    http::Headers h = {{"webhook-id", random_text(40)},
                       {"webhook-timestamp", i % 2 ? std::to_string(vectors().timestamp) : random_text(20)},
                       {"webhook-signature", random_text(300)}};
    VerifyResult r = verify_signature(h, d.body, keys_named("primary"), vectors().now());
    ASSERT_FALSE(r.ok);
    ASSERT_TRUE(r.failure);
  }
}

TEST(WebhookTimestamp, ParsesPlainDecimalsAsPythonFloatThenMicroseconds) {
  EXPECT_EQ(parse_webhook_timestamp_us("1717171717"), 1717171717000000);
  EXPECT_EQ(parse_webhook_timestamp_us("1717171717.25"), 1717171717250000);
  EXPECT_EQ(parse_webhook_timestamp_us("0001717171717"), 1717171717000000);
  EXPECT_EQ(parse_webhook_timestamp_us("1717171717."), 1717171717000000);
  EXPECT_EQ(parse_webhook_timestamp_us(".5"), 500000);
  EXPECT_EQ(parse_webhook_timestamp_us("0"), 0);
  // float("1717171717.1234565") is just below ...4565, so it rounds down; an exact half rounds to even.
  EXPECT_EQ(parse_webhook_timestamp_us("1717171717.1234565"), 1717171717123456);
  EXPECT_EQ(parse_webhook_timestamp_us("0.0000005"), 0);
  EXPECT_EQ(parse_webhook_timestamp_us("0.0000015"), 2);
  EXPECT_EQ(parse_webhook_timestamp_us("0.0000025"), 2);
  EXPECT_EQ(parse_webhook_timestamp_us("1.9999999"), 2000000);  // carries into the seconds
}

TEST(WebhookTimestamp, RejectsWhatIsNotAPlainDecimal) {
  for (const char* bad : {"", ".", "abc", "nan", "NaN", "inf", "-inf", "infinity", "1e9", "1.7e9", "+1", "-1",
                          " 1", "1 ", "1_000", "0x10", "1..2", "1.2.3", "١٢٣"}) {
    EXPECT_EQ(parse_webhook_timestamp_us(bad), std::nullopt) << bad;
  }
}

TEST(WebhookTimestamp, RejectsYearsPythonCannotRepresent) {
  EXPECT_EQ(parse_webhook_timestamp_us("253402300799"), 253402300799000000);  // 9999-12-31T23:59:59Z
  EXPECT_EQ(parse_webhook_timestamp_us("253402300800"), std::nullopt);        // year 10000
  EXPECT_EQ(parse_webhook_timestamp_us("99999999999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_webhook_timestamp_us(std::string(65, '1')), std::nullopt);
}

}  // namespace
}  // namespace bw::benchling
