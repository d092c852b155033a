#include "core/encoding.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace bw::core {

TEST(Encoding, HexAndBase64RoundTrip) {
  EXPECT_EQ(hex_encode(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYmE=").value(), "fooba");
  EXPECT_EQ(base64_decode("Zm9vYg").value(), "foob");
  EXPECT_FALSE(base64_decode("Zm9v!").has_value());
  EXPECT_FALSE(base64_decode("Z").has_value());
}

TEST(Encoding, UriEncodeFollowsRfc3986) {
  EXPECT_EQ(uri_encode("a b/c~-_.*"), "a%20b%2Fc~-_.%2A");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(uri_encode("\xe1\x88\xb4"), "%E1%88%B4");
  // encodeURIComponent: the same, plus the five marks JavaScript leaves alone.
  EXPECT_EQ(encode_uri_component("run (1)/it's*!~ #&=?+%\xce\xb1"),
            "run%20(1)%2Fit's*!~%20%23%26%3D%3F%2B%25%CE%B1");
  EXPECT_EQ(encode_uri_component("quilt.example.com:8443"), "quilt.example.com%3A8443");
  EXPECT_EQ(uri_decode("a%20b%2f").value(), "a b/");
  EXPECT_FALSE(uri_decode("%2").has_value());
  EXPECT_FALSE(uri_decode("%zz").has_value());
}

TEST(Crypto, Sha256AndHmacMatchKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 4231 test case 2.
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace bw::core
