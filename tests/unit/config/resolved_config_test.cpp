#include "config/resolved_config.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/athena_workgroup.hpp"

namespace bw::config {
namespace {

namespace json = boost::json;

constexpr const char* kClientSecret = "cs-Very-Secret-Value-9f8e7d";

ResolvedConfig make_config() {
  ResolvedConfig c;
  c.stack = *parse_stack_arn("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/abc-123");
  c.secret_id = "benchling/creds";
  c.secret_ref = *parse_secret_ref(c.secret_id, c.stack.region);
  c.quilt = *resolve_outputs({{"UserAthenaDatabaseName", "userdb"},
                              {"PackagerQueueArn", "arn:aws:sqs:us-east-1:123456789012:packager"},
                              {"QuiltWebHost", "catalog.example.com"}},
                             c.stack.name);
  c.benchling = *parse_secret(
      R"({"tenant":"acme","client_id":"wqFfVOhbYe","client_secret":")" + std::string(kClientSecret) +
          R"(","app_definition_id":"appdef_1","pkg_prefix":"benchling",)"
          R"("pkg_key":"experiment_id","user_bucket":"data-bucket","log_level":"DEBUG",)"
          R"("enable_webhook_verification":"false","webhook_allow_list":"10.0.0.0/8"})",
      c.secret_id);
  c.secret_version_id = "v-1";
  return c;
}

TEST(RenderConfigJson, MatchesTheReferenceBodyWithMaskingAndFixedPkgKey) {
  const auto expected = json::parse(R"J({
    "config_mode": "secrets-only",
    "aws": {"region": "us-east-1"},
    "quilt": {"catalog": "catalog.example.com", "database": "userdb", "bucket": "data-bucket",
              "queue_arn": "arn:aws:sqs:us-east-1:***9012:packager",
              "queue_url": "https://sqs.us-east-1.amazonaws.com/***9012/packager",
              "iceberg_database": null,
              "athena_workgroup": "benchling-webhook-WG",
              "sources": {"catalog": "QuiltWebHost", "database": "UserAthenaDatabaseName",
                          "queue": "PackagerQueueArn",
                          "athena_workgroup": "benchling-webhook deploy (derived from the two settings)"}},
    "benchling": {"tenant": "acme", "client_id": "***hbYe", "has_client_secret": true,
                  "has_app_definition_id": true, "api_url": "https://acme.benchling.com"},
    "parameters": {"pkg_prefix": "benchling", "pkg_key": "experiment_id", "user_bucket": "data-bucket",
                   "log_level": "DEBUG", "webhook_allow_list": "10.0.0.0/8",
                   "enable_webhook_verification": false},
    "secrets_only_params": {"quilt_stack_arn": "arn:aws:cloudformation:us-east-1:***9012:stack/quilt/abc-123",
                            "benchling_secret_name": "benchling/creds",
                            "note": "All configuration resolved from AWS CloudFormation and Secrets Manager",
                            "secret_version_id": "v-1"}
  })J");
  auto got = render_config_json(make_config());
  // The derived name depends on the settings only; config/athena_workgroup_test pins the rule.
  auto& workgroup = got.at("quilt").as_object().at("athena_workgroup");
  EXPECT_EQ(workgroup, json::value(service_workgroup_name(make_config().stack.arn, "benchling/creds")));
  workgroup = "benchling-webhook-WG";
  EXPECT_EQ(json::value(got), expected);
}

TEST(RenderConfigJson, ShowsTheSourceOfEveryStackValueAndTheStacksWorkgroup) {
  auto c = make_config();
  c.quilt = *resolve_outputs({{"UserAthenaDatabaseName", "userdb"},
                              {"QueueUrl", "http://127.0.0.1:5000/123456789012/packager"},
                              {"IcebergDatabaseName", "quilt_iceberg"},
                              {"UserAthenaWorkgroupName", "quilt-wg"},
                              {"CatalogDomain", "catalog.example.com"}},
                             c.stack.name, c.stack.region);
  const auto quilt = render_config_json(c).at("quilt").as_object();
  EXPECT_EQ(quilt.at("queue_url"), "http://127.0.0.1:5000/***9012/packager");
  EXPECT_EQ(quilt.at("queue_arn"), "arn:aws:sqs:us-east-1:***9012:packager");
  EXPECT_EQ(quilt.at("iceberg_database"), "quilt_iceberg");
  EXPECT_EQ(quilt.at("athena_workgroup"), "quilt-wg");
  EXPECT_EQ(json::value(quilt.at("sources")), json::parse(R"({"catalog": "CatalogDomain",
    "database": "UserAthenaDatabaseName", "queue": "QueueUrl", "iceberg_database": "IcebergDatabaseName",
    "athena_workgroup": "UserAthenaWorkgroupName"})"));
}

TEST(RenderConfigJson, NeverContainsTheClientSecretOrTheFullClientId) {
  const auto text = json::serialize(render_config_json(make_config()));
  EXPECT_EQ(text.find(kClientSecret), std::string::npos);
  EXPECT_EQ(text.find("wqFfVOhbYe"), std::string::npos);
  EXPECT_EQ(text.find("123456789012"), std::string::npos);
  EXPECT_NE(text.find("\"pkg_key\":\"experiment_id\""), std::string::npos);
}

TEST(RenderConfigJson, ShowsWorkflowOnlyWhenSet) {
  auto c = make_config();
  EXPECT_FALSE(render_config_json(c).at("quilt").as_object().contains("workflow"));
  c.benchling.workflow = "alpha";
  EXPECT_EQ(render_config_json(c).at("quilt").at("workflow"), "alpha");
}

TEST(RenderConfigJson, EmptyQueueArnIsNullAndUnknownVersionIsOmitted) {
  auto c = make_config();
  c.quilt.packager_queue_arn.clear();
  c.secret_version_id.clear();
  auto body = render_config_json(c);
  EXPECT_TRUE(body.at("quilt").at("queue_arn").is_null());
  EXPECT_FALSE(body.at("secrets_only_params").as_object().contains("secret_version_id"));
}

TEST(RenderConfigJson, SecretNameIsTheSettingAsGivenEvenForAnArn) {
  auto c = make_config();
  c.secret_id = "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-AbC123";
  c.secret_ref = *parse_secret_ref(c.secret_id);
  EXPECT_EQ(render_config_json(c).at("secrets_only_params").at("benchling_secret_name"),
            json::value(c.secret_id));
}

TEST(RenderSecretsHealth, ResolvedSecretIsHealthy) {
  auto c = make_config();
  const auto expected = json::parse(R"({"status": "healthy", "mode": "secrets-only",
    "source": "secrets_manager_name", "secrets_valid": true, "tenant_configured": true,
    "quilt_stack_configured": true})");
  EXPECT_EQ(json::value(render_secrets_health(c.secret_ref, &c.benchling)), expected);
}

TEST(RenderSecretsHealth, UnresolvedSecretIsUnhealthy) {
  auto ref = *parse_secret_ref("arn:aws:secretsmanager:us-east-1:123456789012:secret:bw");
  auto body = render_secrets_health(ref, nullptr);
  EXPECT_EQ(body.at("status"), "unhealthy");
  EXPECT_EQ(body.at("source"), "secrets_manager_arn");
  EXPECT_EQ(body.at("secrets_valid"), false);
  EXPECT_EQ(body.at("tenant_configured"), false);
}

TEST(RenderSecretsHealth, NeverContainsSecretValues) {
  auto c = make_config();
  const auto text = json::serialize(render_secrets_health(c.secret_ref, &c.benchling));
  EXPECT_EQ(text.find(kClientSecret), std::string::npos);
  EXPECT_EQ(text.find("wqFfVOhbYe"), std::string::npos);
}

}  // namespace
}  // namespace bw::config
