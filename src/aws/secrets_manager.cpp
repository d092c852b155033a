#include "aws/secrets_manager.hpp"

#include <boost/json.hpp>

#include <cmath>

#include "aws/client_token.hpp"
#include "aws/json_reply.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/with_details.hpp"

namespace bw::aws {
namespace {

// Replaces every occurrence of `secret` in `text` (an AWS message that might quote what we sent).
void scrub(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
    text.replace(pos, secret.size(), "***");
  }
}

// How one Secrets Manager action words its errors.
struct ActionWording {
  std::string_view action;     // "GetSecretValue"
  std::string_view failed;     // "Failed to fetch secret: "
  std::string_view not_found;  // suggestion for ResourceNotFoundException
};

// One Secrets Manager action: AWS's reply (an error reply included), or why none came, with the region.
core::Result<AwsReply> send(AwsClient& client, std::string_view action, const boost::json::object& request) {
  http::Request req =
      json_protocol("secretsmanager." + std::string(action), boost::json::serialize(request), "1.1");
  req.timeout = kResolveCallTimeout;
  auto reply = client.call("secretsmanager", "secretsmanager", std::move(req), action);
  if (!reply) {
    core::Error e = reply.error();
    return e.with("Region", client.region());
  }
  return reply;
}

// A reply body that must be a JSON object (bounded); never quoted in the error.
core::Result<boost::json::object> reply_object(std::string_view json, std::string_view action) {
  return load_json_reply(json, {"Secrets Manager", "secretsmanager", action, 1024 * 1024});
}

// The non-empty string `field` of a write's reply (the new secret's ARN, the new version id); else an error
// saying what to check, since the write itself may have happened.
core::Result<std::string> written(std::string_view json, std::string_view action, std::string_view field,
                                  std::string check, const std::string& region) {
  auto parsed = reply_object(json, action);
  std::optional<std::string> value;
  if (parsed) value = core::get_string(*parsed, field);
  if (!value || value->empty()) {
    std::string message = "Secrets Manager ";
    message.append(action).append(" reply has no ").append(field);
    return core::make_error(core::ErrorCode::kRemote, std::move(message), std::move(check))
        .with("Region", region);
  }
  return *value;
}

core::Error secret_error(const AwsError& err, const std::string& id, const ActionWording& w,
                         const std::string& region) {
  if (err.code == "ResourceNotFoundException") {
    return core::make_error(core::ErrorCode::kNotFound, "Secret not found: " + id, std::string(w.not_found))
        .with("Region", region)
        .with("AWS said", err.message);
  }
  if (is_access_denied(err)) {  // AWS says AccessDeniedException; IAM-enforcing moto says AccessDenied
    return core::make_error(core::ErrorCode::kAccessDenied, "Access denied to secret: " + id,
                            "Ensure the IAM role has secretsmanager:" + std::string(w.action) + " permission")
        .with("Region", region)
        .with("AWS said", err.message);
  }
  core::Error e = to_core_error(err, w.action);
  e.message = std::string(w.failed) + err.message;
  // A 4xx AWS refused: permissions are the likely cause. A 5xx or throttling keeps "retry later".
  if (!is_retryable(err) && e.code != core::ErrorCode::kCredentials &&
      e.code != core::ErrorCode::kAccessDenied) {
    e.suggestion = "Check AWS credentials and permissions";
  }
  e.details.insert(e.details.begin(), {"Region", region});
  return e;
}

constexpr std::string_view kNotFoundFix = "Ensure the secret exists in AWS Secrets Manager and is accessible";

}  // namespace

core::Result<SecretValue> parse_get_secret_value(std::string_view json) {
  auto parsed = reply_object(json, "GetSecretValue");
  if (!parsed) return parsed.error();
  const auto& obj = *parsed;
  SecretValue v;
  v.arn = core::get_string(obj, "ARN").value_or("");
  v.name = core::get_string(obj, "Name").value_or("");
  v.version_id = core::get_string(obj, "VersionId").value_or("");
  v.secret_string = core::get_string(obj, "SecretString");
  if (auto it = obj.find("SecretBinary"); it != obj.end() && !it->value().is_null())
    v.has_secret_binary = true;
  v.created_date = core::get_epoch_seconds(obj, "CreatedDate");
  return v;
}

core::Result<SecretDescription> parse_describe_secret(std::string_view json) {
  auto parsed = reply_object(json, "DescribeSecret");
  if (!parsed) return parsed.error();
  const auto& obj = *parsed;
  SecretDescription d;
  d.arn = core::get_string(obj, "ARN").value_or("");
  d.name = core::get_string(obj, "Name").value_or("");
  d.description = core::get_string(obj, "Description").value_or("");
  d.kms_key_id = core::get_string(obj, "KmsKeyId").value_or("").substr(0, 2048);
  d.last_changed = core::get_epoch_seconds(obj, "LastChangedDate");
  if (auto it = obj.find("DeletedDate"); it != obj.end() && !it->value().is_null()) d.exists = false;
  if (auto it = obj.find("VersionIdsToStages"); it != obj.end() && it->value().is_object()) {
    for (const auto& [version, stages] : it->value().get_object()) {
      if (!stages.is_array()) continue;
      for (const auto& stage : stages.get_array()) {
        if (stage.is_string() && stage.get_string() == "AWSCURRENT") d.current_version_id = version;
      }
    }
  }
  return d;
}

core::Result<SecretValue> SecretsManager::get_secret_value(std::string_view secret_id) {
  const std::string id(secret_id);
  auto reply = send(client_, "GetSecretValue", {{"SecretId", id}});
  if (!reply) return reply.error();
  if (!reply->error) {
    return core::with_details(parse_get_secret_value(reply->response.body),
                              {{"Secret", id}, {"Region", client_.region()}});
  }

  return secret_error(*reply->error, id, {"GetSecretValue", "Failed to fetch secret: ", kNotFoundFix},
                      client_.region());
}

core::Result<SecretDescription> SecretsManager::describe_secret(std::string_view secret_id) {
  const std::string id(secret_id);
  auto reply = send(client_, "DescribeSecret", {{"SecretId", id}});
  if (!reply) return reply.error();
  if (reply->error) {
    return secret_error(*reply->error, id, {"DescribeSecret", "Failed to describe secret: ", kNotFoundFix},
                        client_.region());
  }
  return core::with_details(parse_describe_secret(reply->response.body),
                            {{"Secret", id}, {"Region", client_.region()}});
}

core::Result<std::string> SecretsManager::create_secret(std::string_view name, std::string_view secret_string,
                                                        std::string_view description,
                                                        const SecretTags& tags) {
  const std::string id(name);
  boost::json::object req{
      {"Name", id}, {"SecretString", secret_string}, {"ClientRequestToken", client_token_uuid()}};
  if (!description.empty()) req["Description"] = description;
  if (!tags.empty()) {
    boost::json::array list;
    for (const auto& [k, v] : tags) list.push_back(boost::json::object{{"Key", k}, {"Value", v}});
    req["Tags"] = std::move(list);
  }
  auto reply = send(client_, "CreateSecret", req);
  if (!reply) return reply.error();
  if (reply->error) {
    AwsError err = *reply->error;
    scrub(err.message, secret_string);
    if (err.code == "ResourceExistsException") {
      return core::make_error(core::ErrorCode::kInvalidArgument, "Secret already exists: " + id,
                              "use `benchling-webhook secret update` to change it")
          .with("Region", client_.region())
          .with("AWS said", err.message);
    }
    return secret_error(err, id, {"CreateSecret", "Failed to create secret: ", kNotFoundFix},
                        client_.region());
  }
  return written(reply->response.body, "CreateSecret", "ARN",
                 "Check in the AWS console whether secret '" + id + "' was created", client_.region());
}

core::Result<std::string> SecretsManager::put_secret_value(std::string_view secret_id,
                                                           std::string_view secret_string) {
  const std::string id(secret_id);
  auto reply =
      send(client_, "PutSecretValue",
           {{"SecretId", id}, {"SecretString", secret_string}, {"ClientRequestToken", client_token_uuid()}});
  if (!reply) return reply.error();
  if (reply->error) {
    AwsError err = *reply->error;
    scrub(err.message, secret_string);
    return secret_error(err, id,
                        {"PutSecretValue", "Failed to update secret: ",
                         "Create it first with `benchling-webhook secret create`"},
                        client_.region());
  }
  return written(reply->response.body, "PutSecretValue", "VersionId",
                 "Check in the AWS console whether secret '" + id + "' has a new version", client_.region());
}

}  // namespace bw::aws
