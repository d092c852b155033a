// aws/secrets_manager.hpp: Secrets Manager GetSecretValue, DescribeSecret, CreateSecret and PutSecretValue
// (JSON 1.1 protocol).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

//! What DescribeSecret says about a secret (metadata only: it never carries the value).
struct SecretDescription {
  std::string arn;
  std::string name;
  std::string description;
  std::optional<core::SystemTime> last_changed;
  //! The version labelled AWSCURRENT (from VersionIdsToStages); empty when none is.
  std::string current_version_id;
  //! False when the secret is scheduled for deletion (DeletedDate set): it still holds its name, but
  //! cannot be read or written until it is restored.
  bool exists = true;
  //! KmsKeyId: the key encrypting the secret (an ARN, id or alias); empty for aws/secretsmanager.
  std::string kms_key_id;
};

//! Parses a DescribeSecret reply body. Pure; errors never quote the body.
core::Result<SecretDescription> parse_describe_secret(std::string_view json);

//! Tags put on a secret at creation, in order.
using SecretTags = std::vector<std::pair<std::string, std::string>>;

class SecretsManager {
 public:
  explicit SecretsManager(AwsClient& client) : client_(client) {}

  //! GetSecretValue for a name or ARN (AWSCURRENT). Errors (runtime-spec §8.4 item 7):
  //! - ResourceNotFoundException (moto: 404, AWS: 400): kNotFound "Secret not found: <id>";
  //! - AccessDeniedException: kAccessDenied "Access denied to secret: <id>";
  //! - other: "Failed to fetch secret: <AWS message>" with the kind from to_core_error(); credentials errors
  //!   keep their credentials suggestion. Every error carries the Region detail.
  core::Result<SecretValue> get_secret_value(std::string_view secret_id);

  //! DescribeSecret for a name or ARN. Errors: ResourceNotFoundException: kNotFound "Secret not found: <id>";
  //! access denied: kAccessDenied "Access denied to secret: <id>" (naming secretsmanager:DescribeSecret);
  //! other: "Failed to describe secret: <AWS message>". Every error carries the Region detail.
  core::Result<SecretDescription> describe_secret(std::string_view secret_id);

  //! CreateSecret with a fresh ClientRequestToken (so a retried call cannot make two versions); returns the
  //! new secret's ARN. ResourceExistsException: kInvalidArgument "Secret already exists: <name>" with the
  //! suggestion to use `benchling-webhook secret update`; access denied: kAccessDenied naming
  //! secretsmanager:CreateSecret; other: "Failed to create secret: <AWS message>". `secret_string` is a
  //! secret: it never appears in an error (an AWS message quoting it is scrubbed).
  core::Result<std::string> create_secret(std::string_view name, std::string_view secret_string,
                                          std::string_view description = {}, const SecretTags& tags = {});

  //! PutSecretValue (a new AWSCURRENT version) with a fresh ClientRequestToken; returns the version id.
  //! ResourceNotFoundException: kNotFound "Secret not found: <id>" with the suggestion to use
  //! `benchling-webhook secret create`; access denied: kAccessDenied naming secretsmanager:PutSecretValue;
  //! other: "Failed to update secret: <AWS message>". `secret_string` never appears in an error.
  core::Result<std::string> put_secret_value(std::string_view secret_id, std::string_view secret_string);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
