#include "aws/credentials_env.hpp"

namespace bw::aws {

core::Result<Credentials> EnvCredentialsProvider::get() {
  auto key = env_value(env_, "AWS_ACCESS_KEY_ID");
  auto secret = env_value(env_, "AWS_SECRET_ACCESS_KEY");
  if (!key && !secret) {
    return core::make_error(core::ErrorCode::kCredentials,
                            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!key || !secret) {
    return core::make_error(core::ErrorCode::kCredentials,
                            std::string(key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                                " is set but " + (key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                                " is not",
                            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
  }
  Credentials c;
  c.access_key_id = std::move(*key);
  c.secret_access_key = std::move(*secret);
  c.session_token = env_value(env_, "AWS_SESSION_TOKEN").value_or("");
  c.source = "environment";
  return c;
}

}  // namespace bw::aws
