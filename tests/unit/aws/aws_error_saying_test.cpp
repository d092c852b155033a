#include <gtest/gtest.h>

#include "aws/aws_error.hpp"

namespace bw::aws {
namespace {

AwsError error(std::string message) {
  AwsError e;
  e.service = "athena";
  e.code = "InvalidRequestException";
  e.message = std::move(message);
  e.http_status = 400;
  return e;
}

TEST(ToCoreErrorSaying, EndsTheMessageWithWhatAwsSaid) {
  const AwsError e = error("Database x does not exist");
  core::Error said = to_core_error_saying(e, "StartQueryExecution");
  core::Error plain = to_core_error(e, "StartQueryExecution");
  EXPECT_EQ(plain.message, "AWS athena StartQueryExecution failed: InvalidRequestException");
  EXPECT_EQ(said.message, plain.message + ": Database x does not exist");
  EXPECT_EQ(said.code, plain.code);
  EXPECT_EQ(said.suggestion, plain.suggestion);
  EXPECT_EQ(said.details, plain.details);
}

TEST(ToCoreErrorSaying, AddsNothingWhenAwsSaidNothing) {
  EXPECT_EQ(to_core_error_saying(error(""), "GetQueryResults").message,
            "AWS athena GetQueryResults failed: InvalidRequestException");
}

}  // namespace
}  // namespace bw::aws
