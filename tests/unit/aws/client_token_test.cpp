#include "aws/client_token.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace bw::aws {
namespace {

TEST(ClientToken, IsFreshHexOf32Bytes) {
  const std::string a = client_token(), b = client_token();
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{64}"))) << a;
  EXPECT_NE(a, b);
}

TEST(ClientToken, UuidFormIsAVersion4Uuid) {
  const std::string u = client_token_uuid();
  EXPECT_TRUE(
      std::regex_match(u, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << u;
  EXPECT_NE(u, client_token_uuid());
}

}  // namespace
}  // namespace bw::aws
