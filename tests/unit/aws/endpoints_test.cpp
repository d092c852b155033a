#include "aws/endpoints.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

TEST(Endpoints, ServiceIdsFollowTheSdkTable) {
  EXPECT_EQ(endpoint_env_name("cloudformation"), "AWS_ENDPOINT_URL_CLOUDFORMATION");
  EXPECT_EQ(endpoint_env_name("secretsmanager"), "AWS_ENDPOINT_URL_SECRETS_MANAGER");
  EXPECT_EQ(endpoint_env_name("s3"), "AWS_ENDPOINT_URL_S3");
  EXPECT_EQ(endpoint_env_name("sqs"), "AWS_ENDPOINT_URL_SQS");
  EXPECT_EQ(endpoint_env_name("athena"), "AWS_ENDPOINT_URL_ATHENA");
  EXPECT_EQ(endpoint_env_name("logs"), "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
  EXPECT_EQ(endpoint_env_name("ecs"), "AWS_ENDPOINT_URL_ECS");
  EXPECT_EQ(endpoint_env_name("sts"), "AWS_ENDPOINT_URL_STS");
  EXPECT_EQ(endpoint_env_suffix("some-new service"), "SOME_NEW_SERVICE");
}

TEST(Endpoints, DefaultsToRegionalAwsHost) {
  auto ep = resolve_endpoint("secretsmanager", "eu-west-1", map_env({}));
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->base_url, "https://secretsmanager.eu-west-1.amazonaws.com");
  EXPECT_EQ(ep->host_header, "secretsmanager.eu-west-1.amazonaws.com");
  EXPECT_FALSE(ep->custom);
  EXPECT_EQ(resolve_endpoint("logs", "us-east-2", map_env({}))->base_url,
            "https://logs.us-east-2.amazonaws.com");
  EXPECT_EQ(resolve_endpoint("sqs", "cn-north-1", map_env({}))->base_url,
            "https://sqs.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoints, ServiceVariableBeatsGlobalVariable) {
  auto env = map_env({{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000/"},
                      {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://localhost:4566"}});
  auto sm = resolve_endpoint("secretsmanager", "us-east-1", env);
  ASSERT_TRUE(sm);
  EXPECT_EQ(sm->base_url, "http://localhost:4566");
  EXPECT_EQ(sm->host_header, "localhost:4566");
  EXPECT_TRUE(sm->custom);
  auto sqs = resolve_endpoint("sqs", "us-east-1", env);
  ASSERT_TRUE(sqs);
  EXPECT_EQ(sqs->base_url, "http://127.0.0.1:5000");  // trailing slash dropped
  EXPECT_EQ(sqs->host_header, "127.0.0.1:5000");
}

TEST(Endpoints, EmptyVariableCountsAsUnset) {
  auto env = map_env({{"AWS_ENDPOINT_URL_SQS", ""}, {"AWS_ENDPOINT_URL", "https://gw.example.com/aws"}});
  auto ep = resolve_endpoint("sqs", "us-east-1", env);
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->base_url, "https://gw.example.com/aws");
  EXPECT_EQ(ep->host_header, "gw.example.com");
}

TEST(Endpoints, InvalidCustomEndpointNamesTheVariable) {
  for (const char* bad :
       {"ftp://127.0.0.1:5000", "127.0.0.1:5000", "http://", "http://h/?x=1", "http://u:p@h", "not a url"}) {
    auto ep = resolve_endpoint("s3", "us-east-1", map_env({{"AWS_ENDPOINT_URL_S3", bad}}));
    ASSERT_FALSE(ep) << bad;
    EXPECT_EQ(ep.error().code, core::ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(ep.error().message.find("AWS_ENDPOINT_URL_S3"), std::string::npos) << ep.error().message;
    EXPECT_NE(ep.error().suggestion.find("AWS_ENDPOINT_URL_S3"), std::string::npos);
  }
  auto global = resolve_endpoint("s3", "us-east-1", map_env({{"AWS_ENDPOINT_URL", "mailto:x@y"}}));
  ASSERT_FALSE(global);
  EXPECT_NE(global.error().message.find("AWS_ENDPOINT_URL"), std::string::npos);
}

TEST(Endpoints, RejectsRegionThatWouldChangeTheHost) {
  for (const char* bad : {"", "us-east-1.evil.com", "US-EAST-1", "us east"}) {
    auto ep = resolve_endpoint("sqs", bad, map_env({}));
    ASSERT_FALSE(ep) << bad;
    EXPECT_EQ(ep.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(Endpoints, S3ObjectUrlIsVirtualHostedOnAwsAndPathStyleOnCustomEndpoint) {
  auto aws = resolve_endpoint("s3", "us-west-2", map_env({})).value();
  EXPECT_EQ(s3_object_url(aws, "my-bucket", "pkg/a b+c.json"),
            "https://my-bucket.s3.us-west-2.amazonaws.com/pkg/a%20b%2Bc.json");
  EXPECT_EQ(s3_object_url(aws, "my-bucket", ""), "https://my-bucket.s3.us-west-2.amazonaws.com/");
  // Dotted bucket names break the wildcard certificate: the SDKs keep them path-style.
  EXPECT_EQ(s3_object_url(aws, "my.bucket", "k"), "https://s3.us-west-2.amazonaws.com/my.bucket/k");

  auto moto =
      resolve_endpoint("s3", "us-west-2", map_env({{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}})).value();
  EXPECT_EQ(s3_object_url(moto, "my-bucket", "dir/file.txt"), "http://127.0.0.1:5000/my-bucket/dir/file.txt");
  EXPECT_EQ(s3_object_url(moto, "my-bucket", ""), "http://127.0.0.1:5000/my-bucket");
}

}  // namespace
}  // namespace bw::aws
