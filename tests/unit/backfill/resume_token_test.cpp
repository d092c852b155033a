#include "backfill/resume_token.hpp"

#include <gtest/gtest.h>

namespace bw::backfill {
namespace {

TEST(ResumeToken, RoundTripsAndNeedsNoShellQuoting) {
  ResumePoint p{"W3sidmFsdWUiOiAiMjAxNy0wNC0xOCJ9XQ==", 37, "0123456789abcdef", 1237, 1300, 3};
  const std::string token = encode_resume_token(p);
  EXPECT_EQ(token.rfind("bf1.", 0), 0u);
  EXPECT_EQ(token.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"),
            std::string::npos);
  EXPECT_EQ(decode_resume_token(token).value(), p);
  EXPECT_EQ(decode_resume_token(encode_resume_token({})).value(), ResumePoint{});
}

TEST(ResumeToken, AnythingElseIsRefusedClearly) {
  for (std::string bad :
       {std::string(""), std::string("bf2.e30"), std::string("bf1.!!"), std::string("bf1.e30x"),
        "bf1." + std::string("eyJwIjoxfQ"), std::string(9000, 'a')}) {
    auto p = decode_resume_token(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(p.error().message.rfind("--resume is not a backfill resume token", 0), 0u) << p.error().message;
    EXPECT_LE(p.error().details.at(0).second.size(), 67u);
  }
}

}  // namespace
}  // namespace bw::backfill
