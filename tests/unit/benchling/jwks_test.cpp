#include "benchling/jwks.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/encoding.hpp"
#include "webhook_vectors.hpp"

namespace bw::benchling {
namespace {

using test::vectors;

boost::json::object primary_jwk() {
  return vectors().jwks.at("primary").at("keys").at(0).as_object();
}

std::string jwks_of(std::initializer_list<boost::json::value> keys) {
  boost::json::array arr;
  for (const auto& k : keys) arr.push_back(k);
  boost::json::object doc;
  doc["keys"] = std::move(arr);
  return boost::json::serialize(doc);
}

TEST(Jwks, ParsesP256KeysInOrderWithKid) {
  JwksStats stats;
  auto keys = parse_jwks(vectors().jwks_text("both_signer_second"), &stats);
  ASSERT_TRUE(keys) << keys.error().to_text();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid(), "key-1");
  EXPECT_EQ((*keys)[1].kid(), "key-2");
  EXPECT_NE((*keys)[0].pkey(), nullptr);
  EXPECT_EQ(stats.skipped_unsupported + stats.skipped_invalid + stats.skipped_over_limit, 0u);
}

TEST(Jwks, SkipsRsaKeysAndCountsThem) {
  JwksStats stats;
  auto keys = parse_jwks(vectors().jwks_text("with_rsa"), &stats);
  ASSERT_TRUE(keys) << keys.error().to_text();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].kid(), "key-1");
  EXPECT_EQ(stats.skipped_unsupported, 1u);
}

TEST(Jwks, RejectsASetWithOnlyP384) {
  JwksStats stats;
  auto keys = parse_jwks(vectors().jwks_text("p384_only"), &stats);
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().code, core::ErrorCode::kRemote);
  EXPECT_TRUE(keys.error().healable());
  EXPECT_NE(keys.error().message.find("no usable EC P-256 key"), std::string::npos);
  EXPECT_EQ(stats.skipped_unsupported, 1u);
}

TEST(Jwks, RejectsAPointOffTheCurve) {
  JwksStats stats;
  EXPECT_FALSE(parse_jwks(vectors().jwks_text("off_curve"), &stats));
  EXPECT_EQ(stats.skipped_invalid, 1u);
}

TEST(Jwks, RejectsCoordinatesThatAreNotBase64url) {
  JwksStats stats;
  EXPECT_FALSE(parse_jwks(vectors().jwks_text("bad_base64url"), &stats));
  EXPECT_EQ(stats.skipped_invalid, 1u);
}

TEST(Jwks, InvalidKeyBesideAValidOneIsSkipped) {
  auto off = vectors().jwks.at("off_curve").at("keys").at(0);
  JwksStats stats;
  auto keys = parse_jwks(jwks_of({off, primary_jwk()}), &stats);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 1u);
  EXPECT_EQ(stats.skipped_invalid, 1u);
}

TEST(Jwks, RejectsCoordinatesLongerThan32BytesOrMissing) {
  auto long_x = primary_jwk();
  long_x["x"] =
      core::base64url_encode(std::string(1, '\0') + *core::base64url_decode(long_x["x"].as_string()));
  EXPECT_FALSE(parse_jwks(jwks_of({long_x})));
  auto no_y = primary_jwk();
  no_y.erase("y");
  EXPECT_FALSE(parse_jwks(jwks_of({no_y})));
  auto numeric_x = primary_jwk();
  numeric_x["x"] = 5;
  EXPECT_FALSE(parse_jwks(jwks_of({numeric_x})));
}

TEST(Jwks, KeyWithoutKidIsUsable) {
  auto jwk = primary_jwk();
  jwk.erase("kid");
  auto keys = parse_jwks(jwks_of({jwk}));
  ASSERT_TRUE(keys);
  EXPECT_EQ((*keys)[0].kid(), "");
}

TEST(Jwks, RejectsInvalidJsonAndMissingKeysArray) {
  for (const char* text :
       {"", "not json", "[]", "{}", R"({"keys": {}})", R"({"keys": []})", R"({"keys": [1, "x"]})"}) {
    auto keys = parse_jwks(text);
    ASSERT_FALSE(keys) << text;
    EXPECT_EQ(keys.error().code, core::ErrorCode::kRemote) << text;
    EXPECT_TRUE(keys.error().healable()) << text;
  }
}

TEST(Jwks, RejectsDocumentsOverTheSizeBound) {
  std::string padded = vectors().jwks_text("primary");
  padded.insert(padded.size() - 1, ", \"pad\": \"" + std::string(kMaxJwksBytes, 'a') + "\"");
  auto keys = parse_jwks(padded);
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find("too large"), std::string::npos);
}

TEST(Jwks, KeepsAtMostSixteenKeys) {
  boost::json::array many;
  for (int i = 0; i < 20; ++i) many.push_back(primary_jwk());
  JwksStats stats;
  auto keys = parse_jwks(boost::json::serialize(boost::json::object{{"keys", many}}), &stats);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), kMaxJwksKeys);
  EXPECT_EQ(stats.skipped_over_limit, 4u);
}

TEST(Jwks, ErrorsNeverEchoKeyMaterial) {
  auto off = vectors().jwks.at("off_curve").at("keys").at(0).as_object();
  auto keys = parse_jwks(jwks_of({off}));
  ASSERT_FALSE(keys);
  std::string text = keys.error().to_text();
  EXPECT_EQ(text.find(off.at("x").as_string().c_str()), std::string::npos);
  EXPECT_EQ(text.find(off.at("y").as_string().c_str()), std::string::npos);
}

TEST(Jwks, CorruptedDocumentsNeverCrash) {
  const std::string good = vectors().jwks_text("with_rsa");
  std::mt19937 rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::string text = good;
    for (int m = 0; m < 1 + int(rng() % 4); ++m) text[rng() % text.size()] = char(rng() % 256);
    auto keys = parse_jwks(text);
    if (keys) {
      EXPECT_LE(keys->size(), 2u);
    }
  }
}

TEST(Base64url, RoundTripsEveryLengthWithoutPadding) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    std::string enc = core::base64url_encode(bytes);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(core::base64url_decode(enc), bytes);
    bytes.push_back(char(0xfb + i));  // produces '-' and '_' in the output
  }
  EXPECT_EQ(core::base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64url, ToleratesPaddingButRejectsStandardAlphabetAndJunk) {
  EXPECT_EQ(core::base64url_decode("-_8="), std::string("\xfb\xff"));
  EXPECT_EQ(core::base64url_decode("YQ=="), "a");
  EXPECT_EQ(core::base64url_decode("YQ"), "a");
  EXPECT_EQ(core::base64url_decode("+/8"), std::nullopt);
  EXPECT_EQ(core::base64url_decode("YQ==="), std::nullopt);
  EXPECT_EQ(core::base64url_decode("Y Q"), std::nullopt);
  EXPECT_EQ(core::base64url_decode("Y"), std::nullopt);
}

}  // namespace
}  // namespace bw::benchling
