// aws/credentials_profile.hpp: static keys from the shared credentials and config files.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials_provider.hpp"
#include "aws/env.hpp"

namespace bw::aws {

//! Section name (as written between the brackets, trimmed) -> key (lowercased) -> value (trimmed).
using IniSections = std::map<std::string, std::map<std::string, std::string>, std::less<>>;

//! Parses the AWS INI dialect, pure and tolerant: '#' and ';' comment lines, inline comments after
//! whitespace, "key = value" or "key: value", blank lines, CRLF. Indented lines under a key with an
//! empty value are that key's nested settings (e.g. `s3 =`) and are skipped. Junk lines are ignored.
IniSections parse_ini(std::string_view text);

//! Looks up `profile` in the credentials file ([name]) and then the config file ([profile name], or
//! [default]): AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials), AWS_CONFIG_FILE (default
//! ~/.aws/config), AWS_PROFILE (default "default"). Only static keys are supported; a profile that uses
//! role_arn, credential_process or SSO gets an error saying so. Files over 1 MiB are refused.
class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  explicit ProfileCredentialsProvider(EnvFn env) : env_(std::move(env)) {}
  core::Result<Credentials> get() override;
  std::string name() const override { return "shared config files"; }

 private:
  EnvFn env_;
};

}  // namespace bw::aws
