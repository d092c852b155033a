#include "aws/secrets_manager.hpp"

#include <boost/json.hpp>

#include <cmath>

#include "core/json.hpp"

namespace bw::aws {

core::Result<SecretValue> parse_get_secret_value(std::string_view json) {
  auto parsed = core::parse_json(json, "Secrets Manager GetSecretValue reply", 1024 * 1024);
  if (!parsed || !parsed->is_object()) {
    return core::make_error(core::ErrorCode::kRemote,
                            "Secrets Manager GetSecretValue reply is not a JSON object",
                            "Retry later; if it persists, check AWS_ENDPOINT_URL");
  }
  const auto& obj = parsed->get_object();
  SecretValue v;
  v.arn = core::get_string(obj, "ARN").value_or("");
  v.name = core::get_string(obj, "Name").value_or("");
  v.version_id = core::get_string(obj, "VersionId").value_or("");
  v.secret_string = core::get_string(obj, "SecretString");
  if (auto it = obj.find("SecretBinary"); it != obj.end() && !it->value().is_null())
    v.has_secret_binary = true;
  if (auto it = obj.find("CreatedDate"); it != obj.end() && it->value().is_number()) {
    // Epoch seconds, possibly fractional. Out-of-range values are dropped rather than overflowing.
    const double seconds = it->value().to_number<double>();
    if (std::isfinite(seconds) && seconds >= 0 && seconds < 1e11) {
      v.created_date = core::SystemTime(
          std::chrono::duration_cast<core::SystemTime::duration>(std::chrono::duration<double>(seconds)));
    }
  }
  return v;
}

core::Result<SecretValue> SecretsManager::get_secret_value(std::string_view secret_id) {
  const std::string id(secret_id);
  const std::string body = boost::json::serialize(boost::json::object{{"SecretId", id}});
  auto reply = client_.call("secretsmanager", "secretsmanager",
                            json_protocol("secretsmanager.GetSecretValue", body, "1.1"), "GetSecretValue");
  if (!reply) {
    core::Error e = reply.error();
    return e.with("Region", client_.region());
  }
  if (!reply->error) {
    auto value = parse_get_secret_value(reply->response.body);
    if (!value) {
      core::Error e = value.error();
      return e.with("Secret", id).with("Region", client_.region());
    }
    return value;
  }

  const AwsError& err = *reply->error;
  if (err.code == "ResourceNotFoundException") {
    return core::make_error(core::ErrorCode::kNotFound, "Secret not found: " + id,
                            "Ensure the secret exists in AWS Secrets Manager and is accessible")
        .with("Region", client_.region())
        .with("AWS said", err.message);
  }
  if (is_access_denied(err)) {  // AWS says AccessDeniedException; IAM-enforcing moto says AccessDenied
    return core::make_error(core::ErrorCode::kAccessDenied, "Access denied to secret: " + id,
                            "Ensure the IAM role has secretsmanager:GetSecretValue permission")
        .with("Region", client_.region())
        .with("AWS said", err.message);
  }
  core::Error e = to_core_error(err, "GetSecretValue");
  e.message = "Failed to fetch secret: " + err.message;
  if (e.code != core::ErrorCode::kCredentials) e.suggestion = "Check AWS credentials and permissions";
  e.details.insert(e.details.begin(), {"Region", client_.region()});
  return e;
}

}  // namespace bw::aws
