// config/secret_ref.hpp
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::config {

//! How the BenchlingSecret setting names the secret. GetSecretValue accepts all three as SecretId.
enum class SecretRefKind {
  kName,        //!< "benchling/creds"
  kFullArn,     //!< "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-AbC123"
  kPartialArn,  //!< the same without the "-" + 6 characters Secrets Manager appends to the name
};

const char* to_string(SecretRefKind kind);

//! The classified BenchlingSecret setting.
struct SecretRef {
  SecretRefKind kind = SecretRefKind::kName;
  std::string value;    //!< the setting as given (what GetSecretValue receives)
  std::string name;     //!< the secret's friendly name (a full ARN's 6-character suffix removed)
  std::string region;   //!< from an ARN; empty for a name (then the stack's region applies)
  std::string account;  //!< from an ARN; empty for a name
  //! An ARN whose region is not the stack's region (only set when parse was given the stack region).
  //! Secrets Manager must then be called in `region`, not the stack's.
  bool region_differs_from_stack = false;

  bool is_arn() const { return kind != SecretRefKind::kName; }
  //! For logs and messages: the name as is, an ARN with its account masked (runtime-spec §2.5).
  std::string display() const;
  //! The /health/secrets `source` (runtime-spec §2.4): "secrets_manager_arn" or "secrets_manager_name".
  const char* health_source() const;
};

//! Secrets Manager's limit on a secret name.
inline constexpr std::size_t kMaxSecretNameChars = 512;

//! Classifies the BenchlingSecret setting. A value starting with "arn:" must be
//! arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name> (the `aws` partition only, like the
//! stack ARN); anything else must be a secret name: 1-512 characters of [A-Za-z0-9/_+=.@-].
//! `stack_region`, when given, sets region_differs_from_stack. Errors are kInvalidArgument (never heal).
core::Result<SecretRef> parse_secret_ref(std::string_view setting, std::string_view stack_region = {});

}  // namespace bw::config
