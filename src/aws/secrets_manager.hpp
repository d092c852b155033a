// aws/secrets_manager.hpp: Secrets Manager GetSecretValue (JSON 1.1 protocol).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/aws_client.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::aws {

//! One secret version. secret_string is a secret: never log it or put it in an error.
struct SecretValue {
  std::string arn;
  std::string name;
  std::string version_id;
  std::optional<std::string> secret_string;
  bool has_secret_binary = false;
  std::optional<core::SystemTime> created_date;
};

//! Parses a GetSecretValue reply body. Pure; errors never quote the body.
core::Result<SecretValue> parse_get_secret_value(std::string_view json);

class SecretsManager {
 public:
  explicit SecretsManager(AwsClient& client) : client_(client) {}

  //! GetSecretValue for a name or ARN (AWSCURRENT). Errors (runtime-spec §8.4 item 7):
  //! - ResourceNotFoundException (moto: 404, AWS: 400): kNotFound "Secret not found: <id>";
  //! - AccessDeniedException: kAccessDenied "Access denied to secret: <id>";
  //! - other: "Failed to fetch secret: <AWS message>" with the kind from to_core_error(); credentials errors
  //!   keep their credentials suggestion. Every error carries the Region detail.
  core::Result<SecretValue> get_secret_value(std::string_view secret_id);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
