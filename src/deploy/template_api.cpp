// deploy/template_api.cpp: the REST API in front of the NLB.
#include "core/crypto.hpp"
#include "core/version.hpp"
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy::detail {
namespace {

namespace json = boost::json;

// Allow execute-api:Invoke to anyone, or only from the allow-listed sources.
json::object resource_policy(const std::vector<std::string>& allow_list) {
  json::object statement{{"Effect", "Allow"},
                         {"Principal", "*"},
                         {"Action", "execute-api:Invoke"},
                         {"Resource", "execute-api:/*"}};
  if (!allow_list.empty()) {
    json::array sources;
    for (const auto& s : allow_list) sources.emplace_back(s);
    statement["Condition"] = json::object{{"IpAddress", json::object{{"aws:SourceIp", std::move(sources)}}}};
  }
  // The operator views are for the VPC (the NLB, a Prometheus scraper), not the internet: /config and
  // /health/secrets show masked settings, /metrics traffic figures. Benchling needs only the webhook routes
  // and monitors /health*, which stay open.
  json::object operator_views{
      {"Effect", "Deny"},
      {"Principal", "*"},
      {"Action", "execute-api:Invoke"},
      {"Resource", json::array{"execute-api:/*/GET/config", "execute-api:/*/GET/metrics",
                               "execute-api:/*/GET/health/secrets"}}};
  return json::object{{"Version", kPolicyVersion},
                      {"Statement", json::array{std::move(statement), std::move(operator_views)}}};
}

}  // namespace

std::string add_api(json::object& resources, const std::vector<std::string>& allow_list,
                    std::string_view deployment_name) {
  const std::string name(deployment_name);
  resources[kVpcLink] =
      resource("AWS::ApiGateway::VpcLink", {{"Name", name},
                                            {"Description", "benchling-webhook API to its internal NLB"},
                                            {"TargetArns", json::array{cfn_ref(kLoadBalancer)}}});

  json::object policy = resource_policy(allow_list);
  resources[kApi] = resource("AWS::ApiGateway::RestApi",
                             {{"Name", name},
                              {"Description", "Benchling webhooks for benchling-webhook"},
                              {"EndpointConfiguration", json::object{{"Types", json::array{"REGIONAL"}}}},
                              {"Policy", policy}});

  resources[kProxyResource] =
      resource("AWS::ApiGateway::Resource", {{"RestApiId", cfn_ref(kApi)},
                                             {"ParentId", cfn_get_att(kApi, "RootResourceId")},
                                             {"PathPart", "{proxy+}"}});

  json::object method{
      {"RestApiId", cfn_ref(kApi)},
      {"ResourceId", cfn_ref(kProxyResource)},
      {"HttpMethod", "ANY"},
      {"AuthorizationType", "NONE"},
      {"RequestParameters", json::object{{"method.request.path.proxy", true}}},
      {"Integration",
       json::object{{"Type", "HTTP_PROXY"},
                    {"IntegrationHttpMethod", "ANY"},
                    {"ConnectionType", "VPC_LINK"},
                    {"ConnectionId", cfn_ref(kVpcLink)},
                    // ${...} is the NLB's DNS name; {proxy} is API Gateway's path parameter.
                    {"Uri", cfn_sub("http://${" + std::string(kLoadBalancer) + ".DNSName}/{proxy}")},
                    {"RequestParameters",
                     json::object{{"integration.request.path.proxy", "method.request.path.proxy"}}},
                    {"TimeoutInMillis", 29000}}}};

  // CloudFormation never redeploys an unchanged Deployment, and a REST API change (its policy included)
  // only takes effect when deployed: so the Deployment's logical id carries a hash of both.
  const std::string shape = json::serialize(json::object{{"policy", policy}, {"method", method}});
  const std::string deployment = "Deployment" + core::sha256_hex(shape).substr(0, 8);

  resources[kProxyMethod] = resource("AWS::ApiGateway::Method", std::move(method));

  auto deployment_resource = resource(
      "AWS::ApiGateway::Deployment",
      {{"RestApiId", cfn_ref(kApi)}, {"Description", std::string("benchling-webhook ") + core::kVersion}});
  deployment_resource["DependsOn"] = json::array{kProxyMethod};
  resources[deployment] = std::move(deployment_resource);

  resources[kStage] = resource(
      "AWS::ApiGateway::Stage",
      {{"RestApiId", cfn_ref(kApi)}, {"DeploymentId", cfn_ref(deployment)}, {"StageName", kStageName}});
  return deployment;
}

}  // namespace bw::deploy::detail
