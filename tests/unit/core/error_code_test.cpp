#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/error.hpp"

namespace bw::core {
namespace {

TEST(ErrorCode, HealableFollowsFromTheCodeAlone) {
  // Never heals by retrying: our input, a bug, what is gone or refused for good, what is too large.
  for (ErrorCode code : {ErrorCode::kInvalidArgument, ErrorCode::kMissingSetting, ErrorCode::kGone,
                         ErrorCode::kRejected, ErrorCode::kTooLarge, ErrorCode::kInternal}) {
    EXPECT_FALSE(is_healable(code)) << to_string(code);
    EXPECT_FALSE(make_error(code, "x").healable()) << to_string(code);
  }
  // Heals later: AWS, Benchling, the network, a configuration still resolving, a stop (the work is redone).
  for (ErrorCode code :
       {ErrorCode::kInvalidSecret, ErrorCode::kNotFound, ErrorCode::kAccessDenied, ErrorCode::kCredentials,
        ErrorCode::kInvalidConfig, ErrorCode::kThrottled, ErrorCode::kRemote, ErrorCode::kTransport,
        ErrorCode::kUnavailable, ErrorCode::kCancelled}) {
    EXPECT_TRUE(is_healable(code)) << to_string(code);
  }
}

TEST(ErrorCode, NewCodesHaveStableNamesInJson) {
  EXPECT_STREQ(to_string(ErrorCode::kTooLarge), "too_large");
  EXPECT_STREQ(to_string(ErrorCode::kCancelled), "cancelled");
  EXPECT_STREQ(to_string(ErrorCode::kUnavailable), "unavailable");
  EXPECT_STREQ(to_string(ErrorCode::kRejected), "rejected");
  EXPECT_STREQ(to_string(ErrorCode::kGone), "gone");
  EXPECT_EQ(make_error(ErrorCode::kTooLarge, "big").to_json().at("error").as_string(), "too_large");
}

}  // namespace
}  // namespace bw::core
