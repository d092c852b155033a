#include "aws/aws_error.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

http::Response reply(int status, std::string body, http::Headers headers = {}) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

// moto's Secrets Manager reply for a missing secret (toolchain.md §2).
TEST(AwsError, ParsesMotoSecretsManagerNotFound) {
  auto e = parse_aws_error(
      "secretsmanager",
      reply(
          404,
          R"({"__type": "ResourceNotFoundException", "message": "Secrets Manager can't find the specified secret."})",
          {{"x-amzn-errortype", "ResourceNotFoundException"}, {"x-amzn-requestid", "req-1"}}));
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Secrets Manager can't find the specified secret.");
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.service, "secretsmanager");
  EXPECT_FALSE(is_retryable(e));
  EXPECT_EQ(to_core_error(e, "GetSecretValue").code, core::ErrorCode::kNotFound);
}

// moto's SQS JSON-protocol reply for a missing queue.
TEST(AwsError, TakesCodeAfterHashAndKeepsQueryCode) {
  auto e = parse_aws_error(
      "sqs",
      reply(
          400,
          R"({"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist."})",
          {{"x-amzn-errortype", "com.amazonaws.sqs#QueueDoesNotExist"},
           {"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}}));
  EXPECT_EQ(e.code, "QueueDoesNotExist");
  EXPECT_EQ(e.query_code, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(e.message, "The specified queue does not exist.");
  EXPECT_EQ(to_core_error(e, "SendMessage").code, core::ErrorCode::kNotFound);
}

TEST(AwsError, HeaderErrorTypeUsedWhenBodyHasNoCode) {
  auto e = parse_aws_error(
      "logs", reply(400, "{}",
                    {{"x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/"}}));
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Bad Request");
}

// moto's CloudFormation reply for a missing stack.
TEST(AwsError, ParsesQueryProtocolXml) {
  auto e = parse_aws_error("cloudformation",
                           reply(400,
                                 "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                                 "<Message>Stack with id missing-stack does not exist</Message></Error>"
                                 "<RequestId>cf-req-9</RequestId></ErrorResponse>"));
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message, "Stack with id missing-stack does not exist");
  EXPECT_EQ(e.request_id, "cf-req-9");
  EXPECT_FALSE(is_retryable(e));
}

TEST(AwsError, ParsesS3XmlWithNamespaceFreeErrorRoot) {
  auto e =
      parse_aws_error("s3", reply(404,
                                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                                  "<Message>The specified key does not exist.</Message><Key>a/b</Key>"
                                  "<RequestId>s3-req</RequestId></Error>",
                                  {{"x-amz-request-id", "hdr-req"}}));
  EXPECT_EQ(e.code, "NoSuchKey");
  EXPECT_EQ(e.message, "The specified key does not exist.");
  EXPECT_EQ(e.request_id, "hdr-req");  // the header wins over the body
  EXPECT_EQ(to_core_error(e, "GetObject").code, core::ErrorCode::kNotFound);
}

// moto answers 403 in XML even for JSON-protocol services once auth is on.
TEST(AwsError, Moto403XmlForJsonServiceIsCredentialsError) {
  auto e = parse_aws_error(
      "secretsmanager",
      reply(403,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse><Error><Type>Sender</Type>"
            "<Code>InvalidClientTokenId</Code><Message>The security token included in the "
            "request is invalid.</Message></Error><RequestId>x</RequestId></ErrorResponse>"));
  EXPECT_EQ(e.code, "InvalidClientTokenId");
  auto err = to_core_error(e, "GetSecretValue");
  EXPECT_EQ(err.code, core::ErrorCode::kCredentials);
  EXPECT_NE(err.suggestion.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(err.suggestion.find("AWS_PROFILE"), std::string::npos);
}

TEST(AwsError, SignatureMismatchSuggestsClockSkew) {
  auto e = parse_aws_error("sqs", reply(403,
                                        "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
                                        "<Message>nope</Message></Error></ErrorResponse>"));
  auto err = to_core_error(e, "SendMessage");
  EXPECT_EQ(err.code, core::ErrorCode::kCredentials);
  EXPECT_NE(err.suggestion.find("clock"), std::string::npos);
}

TEST(AwsError, MalformedOrEmptyBodyGivesUnknownAndStatusText) {
  for (const char* body :
       {"", "<html><body>Internal Server Error</body>", "{not json", "<Error><Code>x", "\x01\x02\x03"}) {
    auto e = parse_aws_error("athena", reply(503, body));
    EXPECT_EQ(e.code, "Unknown") << body;
    EXPECT_EQ(e.message, "Service Unavailable") << body;
    EXPECT_TRUE(is_retryable(e));
    EXPECT_EQ(to_core_error(e, "GetQueryExecution").code, core::ErrorCode::kRemote);
  }
  EXPECT_EQ(parse_aws_error("s3", reply(404, "")).message, "Not Found");
  EXPECT_EQ(to_core_error(parse_aws_error("s3", reply(404, "")), "HeadObject").code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(to_core_error(parse_aws_error("s3", reply(403, "")), "HeadObject").code,
            core::ErrorCode::kAccessDenied);
}

TEST(AwsError, OversizedBodyIsNotParsedAndFieldsAreBounded) {
  std::string huge = R"({"__type": "X", "message": ")" + std::string(200 * 1024, 'a') + "\"}";
  auto e = parse_aws_error("sqs", reply(400, huge));
  EXPECT_EQ(e.code, "Unknown");

  std::string long_message =
      R"({"__type": "ValidationException", "message": ")" + std::string(5000, 'm') + "\"}";
  auto bounded =
      parse_aws_error("sqs", reply(400, long_message, {{"x-amzn-requestid", std::string(1000, 'r')}}));
  EXPECT_LE(bounded.message.size(), 1100u);
  EXPECT_LE(bounded.request_id.size(), 140u);
}

TEST(AwsError, ControlCharactersAreStrippedFromMessages) {
  auto e = parse_aws_error("sqs",
                           reply(400, "{\"__type\": \"Bad\\nCode\", \"message\": \"line1\\nline2\\u0007\"}"));
  EXPECT_EQ(e.code, "Bad Code");
  EXPECT_EQ(e.message, "line1 line2");
}

TEST(AwsError, ClassifiesCodes) {
  auto make = [](std::string code, int status) {
    AwsError e;
    e.service = "sqs";
    e.code = std::move(code);
    e.http_status = status;
    e.message = "m";
    return e;
  };
  for (const char* code : {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
                           "InvalidSignatureException", "IncompleteSignature", "ExpiredToken",
                           "ExpiredTokenException", "MissingAuthenticationToken"}) {
    auto e = make(code, 403);
    EXPECT_EQ(to_core_error(e, "A").code, core::ErrorCode::kCredentials) << code;
    EXPECT_FALSE(is_retryable(e)) << code;
  }
  for (const char* code : {"AccessDenied", "AccessDeniedException"}) {
    EXPECT_EQ(to_core_error(make(code, 403), "A").code, core::ErrorCode::kAccessDenied) << code;
  }
  for (const char* code : {"Throttling", "ThrottlingException", "TooManyRequestsException",
                           "RequestLimitExceeded", "SlowDown", "ProvisionedThroughputExceeded"}) {
    auto e = make(code, 400);
    EXPECT_EQ(to_core_error(e, "A").code, core::ErrorCode::kThrottled) << code;
    EXPECT_TRUE(is_retryable(e)) << code;
  }
  EXPECT_TRUE(is_retryable(make("InternalFailure", 500)));
  EXPECT_TRUE(is_retryable(make("Unknown", 502)));
  EXPECT_TRUE(is_retryable(make("Whatever", 429)));
  EXPECT_EQ(to_core_error(make("InternalFailure", 500), "A").code, core::ErrorCode::kRemote);
  EXPECT_FALSE(is_retryable(make("ValidationException", 400)));
  EXPECT_EQ(to_core_error(make("ValidationException", 400), "A").code, core::ErrorCode::kRemote);
}

TEST(AwsError, CoreErrorCarriesTheFacts) {
  AwsError e{"secretsmanager", "AccessDeniedException", "User is not authorized", "rid-7", 400, ""};
  auto err = to_core_error(e, "GetSecretValue");
  EXPECT_EQ(err.code, core::ErrorCode::kAccessDenied);
  EXPECT_NE(err.message.find("GetSecretValue"), std::string::npos);
  EXPECT_NE(err.suggestion.find("secretsmanager:GetSecretValue"), std::string::npos);
  EXPECT_EQ(detail(err, "service"), "secretsmanager");
  EXPECT_EQ(detail(err, "code"), "AccessDeniedException");
  EXPECT_EQ(detail(err, "HTTP status"), "400");
  EXPECT_EQ(detail(err, "request id"), "rid-7");
  EXPECT_EQ(detail(err, "AWS said"), "User is not authorized");
  EXPECT_NE(err.to_text().find("AWS said: User is not authorized"), std::string::npos);
  EXPECT_TRUE(err.healable());
}

}  // namespace
}  // namespace bw::aws
