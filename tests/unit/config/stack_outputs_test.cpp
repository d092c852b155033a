#include "config/stack_outputs.hpp"

#include <gtest/gtest.h>

namespace bw::config {
namespace {

using core::ErrorCode;
using Outputs = std::vector<std::pair<std::string, std::string>>;
using Details = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kQueue = "arn:aws:sqs:us-east-1:123456789012:quilt-packager";

Outputs base() {
  return {{"UserAthenaDatabaseName", "userdb"}, {"PackagerQueueArn", kQueue}};
}

Outputs with(Outputs o, std::string k, std::string v) {
  o.emplace_back(std::move(k), std::move(v));
  return o;
}

TEST(StackOutputs, ResolvesRequiredOutputsAndParsesTheQueueArn) {
  auto r = resolve_outputs(with(base(), "QuiltWebHost", "catalog.example.com"), "quilt");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->athena_database, "userdb");
  EXPECT_EQ(r->packager_queue_arn, kQueue);
  EXPECT_EQ(r->packager_queue.region, "us-east-1");
  EXPECT_EQ(r->packager_queue.account, "123456789012");
  EXPECT_EQ(r->packager_queue.name, "quilt-packager");
  EXPECT_EQ(r->catalog_host, "catalog.example.com");
  EXPECT_EQ(r->sources.catalog, "QuiltWebHost");
  EXPECT_EQ(r->api_gateway_endpoint, "");
}

TEST(StackOutputs, MissingBothRequiredOutputsListsThemAndWhatIsAvailable) {
  auto r = resolve_outputs({{"QuiltWebHost", "c.example.com"}, {"Bucket", "b"}}, "quilt");
  ASSERT_FALSE(r.has_value());
  const auto& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidConfig);
  EXPECT_TRUE(e.healable());
  EXPECT_EQ(
      e.message,
      "Missing required CloudFormation outputs: UserAthenaDatabaseName, PackagerQueueUrl (or QueueUrl or "
      "PackagerQueueArn)");
  EXPECT_EQ(e.suggestion, "Ensure your Quilt stack exports these outputs");
  EXPECT_EQ(e.details, (Details{{"Available outputs", "QuiltWebHost, Bucket"}, {"Stack", "quilt"}}));
}

TEST(StackOutputs, MissingOneRequiredOutputNamesOnlyIt) {
  auto r = resolve_outputs({{"UserAthenaDatabaseName", "db"}, {"QuiltWebHost", "c"}}, "quilt");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message,
            "Missing required CloudFormation outputs: PackagerQueueUrl (or QueueUrl or PackagerQueueArn)");
}

TEST(StackOutputs, EmptyValueCountsAsMissing) {
  auto r = resolve_outputs(
      {{"UserAthenaDatabaseName", ""}, {"PackagerQueueArn", kQueue}, {"QuiltWebHost", "c"}}, "q");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "Missing required CloudFormation outputs: UserAthenaDatabaseName");
}

TEST(StackOutputs, NoOutputsAtAllSaysNone) {
  auto r = resolve_outputs({}, "quilt");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().details[0], (std::pair<std::string, std::string>{"Available outputs", "(none)"}));
}

TEST(StackOutputs, CatalogPrecedenceIsWebHostThenCatalogThenDomainThenApiGateway) {
  auto all = with(with(with(with(base(), "ApiGatewayEndpoint", "https://api.example.com/prod"),
                            "CatalogDomain", "domain.example.com"),
                       "Catalog", "catalog.example.com"),
                  "QuiltWebHost", "web.example.com");
  EXPECT_EQ(resolve_outputs(all, "q")->catalog_host, "web.example.com");

  auto no_web = with(with(with(base(), "ApiGatewayEndpoint", "https://api.example.com/prod"), "CatalogDomain",
                          "domain.example.com"),
                     "Catalog", "catalog.example.com");
  EXPECT_EQ(resolve_outputs(no_web, "q")->catalog_host, "catalog.example.com");
  EXPECT_EQ(resolve_outputs(no_web, "q")->sources.catalog, "Catalog");

  auto domain = with(with(base(), "ApiGatewayEndpoint", "https://api.example.com/prod"), "CatalogDomain",
                     "domain.example.com");
  EXPECT_EQ(resolve_outputs(domain, "q")->catalog_host, "domain.example.com");

  auto api = with(base(), "ApiGatewayEndpoint", "https://abc123.execute-api.us-east-1.amazonaws.com/prod");
  auto r = resolve_outputs(api, "q");
  EXPECT_EQ(r->catalog_host, "abc123.execute-api.us-east-1.amazonaws.com");
  EXPECT_EQ(r->sources.catalog, "ApiGatewayEndpoint");
  EXPECT_EQ(r->api_gateway_endpoint, "https://abc123.execute-api.us-east-1.amazonaws.com/prod");
}

TEST(StackOutputs, EmptyHigherPrecedenceOutputIsSkipped) {
  auto o = with(with(base(), "QuiltWebHost", ""), "Catalog", "catalog.example.com");
  EXPECT_EQ(resolve_outputs(o, "q")->catalog_host, "catalog.example.com");
}

TEST(StackOutputs, CatalogOutputsAreNormalizedToABareHost) {
  EXPECT_EQ(resolve_outputs(with(base(), "QuiltWebHost", "https://web.example.com/"), "q")->catalog_host,
            "web.example.com");
  EXPECT_EQ(resolve_outputs(with(base(), "Catalog", "http://catalog.example.com//"), "q")->catalog_host,
            "catalog.example.com");
  EXPECT_EQ(
      resolve_outputs(with(base(), "CatalogDomain", "HTTPS://Domain.Example.com/x?y"), "q")->catalog_host,
      "domain.example.com");
}

TEST(StackOutputs, ApiGatewayHostDropsThePortOtherOutputsKeepIt) {
  EXPECT_EQ(resolve_outputs(with(base(), "ApiGatewayEndpoint", "https://api.example.com:8443/prod"), "q")
                ->catalog_host,
            "api.example.com");
  EXPECT_EQ(resolve_outputs(with(base(), "QuiltWebHost", "localhost:3000"), "q")->catalog_host,
            "localhost:3000");
}

TEST(StackOutputs, NoCatalogOutputGivesTheReferenceError) {
  auto r = resolve_outputs(base(), "quilt");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidConfig);
  EXPECT_TRUE(r.error().healable());
  EXPECT_EQ(r.error().message, "Cannot determine catalog URL");
  EXPECT_EQ(r.error().suggestion,
            R"(Stack must export "QuiltWebHost", "Catalog", "CatalogDomain", or "ApiGatewayEndpoint")");
  EXPECT_EQ(r.error().details, (Details{{"Stack", "quilt"}}));
}

TEST(StackOutputs, UnusableCatalogHostIsAnErrorNamingTheOutput) {
  for (const char* bad : {"https://", "bad host.example.com", "https:///path", "host:port"}) {
    SCOPED_TRACE(bad);
    auto r = resolve_outputs(with(base(), "QuiltWebHost", bad), "quilt");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(r.error().message, "Invalid catalog host in stack output 'QuiltWebHost'");
    EXPECT_EQ(r.error().details, (Details{{"Received", bad}, {"Stack", "quilt"}}));
  }
}

TEST(StackOutputs, MalformedPackagerQueueArnIsRejected) {
  for (const char* bad : {"https://sqs.us-east-1.amazonaws.com/123456789012/q", "arn:aws:sqs:us-east-1:123:q",
                          "arn:aws:sns:us-east-1:123456789012:q", "arn:aws:sqs:us-east-1:123456789012:",
                          "arn:aws:sqs:us-east-1:123456789012:bad/name"}) {
    SCOPED_TRACE(bad);
    auto r = resolve_outputs({{"UserAthenaDatabaseName", "db"}, {"PackagerQueueArn", bad}, {"Catalog", "c"}},
                             "quilt");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(r.error().message, "Invalid PackagerQueueArn output");
    EXPECT_NE(r.error().suggestion.find("arn:aws:sqs:region:account:name"), std::string::npos);
    EXPECT_EQ(r.error().details, (Details{{"Received", bad}, {"Stack", "quilt"}}));
  }
}

TEST(StackOutputs, LaterDuplicateOutputWins) {
  auto o = with(with(base(), "Catalog", "first.example.com"), "Catalog", "second.example.com");
  EXPECT_EQ(resolve_outputs(o, "q")->catalog_host, "second.example.com");
}

TEST(SqsQueueArn, ParsesStandardAndFifoQueues) {
  auto q = parse_sqs_queue_arn("arn:aws:sqs:eu-central-1:123456789012:work-queue_1.fifo");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->region, "eu-central-1");
  EXPECT_EQ(q->account, "123456789012");
  EXPECT_EQ(q->name, "work-queue_1.fifo");
  EXPECT_TRUE(parse_sqs_queue_arn("arn:aws:sqs:us-east-1:123456789012:" + std::string(80, 'a')).has_value());
  EXPECT_FALSE(parse_sqs_queue_arn("arn:aws:sqs:us-east-1:123456789012:" + std::string(81, 'a')).has_value());
  EXPECT_FALSE(parse_sqs_queue_arn("arn:aws:sqs:us-east-1:123456789012:.fifo").has_value());
}

TEST(NormalizeCatalogHost, StripsSchemePathAndCase) {
  EXPECT_EQ(normalize_catalog_host("Catalog.Example.com"), "catalog.example.com");
  EXPECT_EQ(normalize_catalog_host(" https://c.example.com/ "), "c.example.com");
  EXPECT_EQ(normalize_catalog_host("http://127.0.0.1:8080/"), "127.0.0.1:8080");
  EXPECT_EQ(normalize_catalog_host(""), std::nullopt);
  EXPECT_EQ(normalize_catalog_host("http://"), std::nullopt);
  EXPECT_EQ(normalize_catalog_host("c.example.com:"), std::nullopt);
}

}  // namespace
}  // namespace bw::config

namespace bw::config {
namespace {

constexpr const char* kUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/quilt-packager";

Outputs with_catalog(Outputs o) {
  o.emplace_back("QuiltWebHost", "catalog.example.com");
  return o;
}

TEST(StackOutputsPackagerQueue, UrlAloneGivesTheArnAndItsSource) {
  for (const char* key : {"PackagerQueueUrl", "QueueUrl"}) {
    SCOPED_TRACE(key);
    auto r = resolve_outputs(with_catalog({{"UserAthenaDatabaseName", "db"}, {key, kUrl}}), "q", "us-east-1");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->packager_queue_url, kUrl);
    EXPECT_EQ(r->packager_queue_arn, kQueue);
    EXPECT_EQ(r->packager_queue.name, "quilt-packager");
    EXPECT_EQ(r->sources.packager_queue, key);
  }
}

TEST(StackOutputsPackagerQueue, ArnAloneGivesTheAwsUrl) {
  auto r = resolve_outputs(with_catalog(base()), "q", "us-east-1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->packager_queue_url, kUrl);
  EXPECT_EQ(r->sources.packager_queue, "PackagerQueueArn");
}

TEST(StackOutputsPackagerQueue, PackagerQueueUrlBeatsQueueUrlBeatsTheArn) {
  const Outputs all =
      with_catalog({{"UserAthenaDatabaseName", "db"},
                    {"PackagerQueueArn", "arn:aws:sqs:us-east-1:123456789012:from-arn"},
                    {"QueueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/from-queue-url"},
                    {"PackagerQueueUrl", "http://127.0.0.1:5000/123456789012/from-packager-url"}});
  auto r = resolve_outputs(all, "q", "us-east-1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->packager_queue.name, "from-packager-url");
  EXPECT_EQ(r->packager_queue_url, "http://127.0.0.1:5000/123456789012/from-packager-url");
  EXPECT_EQ(r->packager_queue_arn, "arn:aws:sqs:us-east-1:123456789012:from-packager-url");
  EXPECT_EQ(r->sources.packager_queue, "PackagerQueueUrl");

  Outputs no_packager_url;
  for (const auto& kv : all) {
    if (kv.first != "PackagerQueueUrl") no_packager_url.push_back(kv);
  }
  auto q = resolve_outputs(no_packager_url, "q", "us-east-1");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->packager_queue.name, "from-queue-url");
  EXPECT_EQ(q->sources.packager_queue, "QueueUrl");
}

TEST(StackOutputsPackagerQueue, AnEmptyUrlFallsThroughToTheNext) {
  auto r = resolve_outputs(
      with_catalog(
          {{"UserAthenaDatabaseName", "db"}, {"PackagerQueueUrl", ""}, {"PackagerQueueArn", kQueue}}),
      "q", "us-east-1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->sources.packager_queue, "PackagerQueueArn");
}

TEST(StackOutputsPackagerQueue, AMalformedUrlIsAnErrorNamingItsOutputNotSkipped) {
  for (const char* key : {"PackagerQueueUrl", "QueueUrl"}) {
    SCOPED_TRACE(key);
    auto r = resolve_outputs(
        with_catalog({{"UserAthenaDatabaseName", "db"}, {key, "not a url"}, {"PackagerQueueArn", kQueue}}),
        "quilt", "us-east-1");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(r.error().message, "Invalid " + std::string(key) + " output");
    EXPECT_EQ(r.error().suggestion, "The Quilt stack's " + std::string(key) +
                                        " output must be an SQS queue URL: "
                                        "https://sqs.region.amazonaws.com/account/name");
    EXPECT_EQ(r.error().details, (Details{{"Received", "not a url"}, {"Stack", "quilt"}}));
  }
}

TEST(StackOutputsPackagerQueue, ACustomEndpointUrlWithoutAStackRegionIsAnError) {
  auto r = resolve_outputs(
      with_catalog({{"UserAthenaDatabaseName", "db"}, {"QueueUrl", "http://127.0.0.1:5000/123456789012/q"}}),
      "q");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "Invalid QueueUrl output");
  auto ok = resolve_outputs(
      with_catalog({{"UserAthenaDatabaseName", "db"}, {"QueueUrl", "http://127.0.0.1:5000/123456789012/q"}}),
      "q", "ca-central-1");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->packager_queue_arn, "arn:aws:sqs:ca-central-1:123456789012:q");
}

TEST(StackOutputsOptional, IcebergDatabaseAndWorkgroupAreTakenWithTheirSources) {
  auto r = resolve_outputs(with(with(with_catalog(base()), "IcebergDatabaseName", "quilt_iceberg"),
                                "UserAthenaWorkgroupName", "quilt-user-wg"),
                           "q");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->iceberg_database, "quilt_iceberg");
  EXPECT_EQ(r->athena_workgroup, "quilt-user-wg");
  EXPECT_EQ(r->sources.iceberg_database, "IcebergDatabaseName");
  EXPECT_EQ(r->sources.athena_workgroup, "UserAthenaWorkgroupName");
  EXPECT_EQ(r->sources.athena_database, "UserAthenaDatabaseName");
  EXPECT_EQ(r->sources.catalog, "QuiltWebHost");
}

TEST(StackOutputsOptional, AbsentOptionalOutputsAreEmptyWithoutASource) {
  auto r = resolve_outputs(with(with_catalog(base()), "IcebergDatabaseName", ""), "q");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->iceberg_database, "");
  EXPECT_EQ(r->athena_workgroup, "");
  EXPECT_EQ(r->sources.iceberg_database, "");
  EXPECT_EQ(r->sources.athena_workgroup, "");
}

}  // namespace
}  // namespace bw::config
