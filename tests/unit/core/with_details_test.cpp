#include "core/with_details.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

TEST(WithDetails, AddsTheDetailsToAnErrorInOrderAndPassesAValueOn) {
  Result<int> failed = make_error(ErrorCode::kRemote, "unreadable").with("first", "1");
  auto e = with_details(std::move(failed), {{"Stack", "s"}, {"Region", "eu-west-1"}});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "unreadable");
  EXPECT_EQ(e.error().details, (std::vector<std::pair<std::string, std::string>>{
                                   {"first", "1"}, {"Stack", "s"}, {"Region", "eu-west-1"}}));
  auto v = with_details(Result<int>(7), {{"Stack", "s"}});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 7);
}

}  // namespace
}  // namespace bw::core
