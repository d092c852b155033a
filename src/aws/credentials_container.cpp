#include "aws/credentials_container.hpp"

#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>

#include <filesystem>
#include <fstream>

#include "aws/detail/credentials_json.hpp"
#include "core/ascii.hpp"
#include "core/json.hpp"

namespace bw::aws {

namespace {

constexpr std::size_t kMaxTokenBytes = 16 * 1024;

core::Error credentials_error(std::string message, std::string suggestion = {}) {
  return core::make_error(core::ErrorCode::kCredentials, std::move(message), std::move(suggestion));
}

core::Result<std::string> read_token_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return credentials_error("Cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path);
  if (size > kMaxTokenBytes)
    return credentials_error("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path + " is too large");
  std::ifstream in(path, std::ios::binary);
  std::string token(static_cast<std::size_t>(size), '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<std::size_t>(in.gcount()));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  return token;
}

}  // namespace

bool is_allowed_full_uri(std::string_view uri) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty() || parsed->has_userinfo())
    return false;
  const std::string scheme = core::ascii_lower(parsed->scheme());
  if (scheme == "https") return true;
  if (scheme != "http") return false;
  switch (parsed->host_type()) {
    case boost::urls::host_type::ipv4: {
      const auto b = parsed->host_ipv4_address().to_bytes();
      if (b[0] == 127) return true;
      return b[0] == 169 && b[1] == 254 && b[2] == 170 && (b[3] == 2 || b[3] == 23);
    }
    case boost::urls::host_type::ipv6: {
      const auto a = parsed->host_ipv6_address();
      auto eks = boost::urls::parse_ipv6_address("fd00:ec2::23");
      return a.is_loopback() || (eks && a == *eks);
    }
    case boost::urls::host_type::name: {
      return core::ascii_iequals(parsed->encoded_host(), "localhost");
    }
    default:
      return false;
  }
}

core::Result<Credentials> ContainerCredentialsProvider::get() {
  std::string url;
  if (auto rel = env_value(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    if (rel->front() != '/' || rel->size() > 2048) {
      return credentials_error("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with '/'");
    }
    url = ecs_base_ + *rel;
  } else if (auto full = env_value(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    if (full->size() > 2048 || !is_allowed_full_uri(*full)) {
      return credentials_error(
          "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an https URL, or an http URL to a loopback address or "
          "the "
          "ECS/EKS credentials address (169.254.170.2, 169.254.170.23)",
          "Fix or unset AWS_CONTAINER_CREDENTIALS_FULL_URI");
    }
    url = *full;
  } else {
    return credentials_error(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
  }

  http::Request req;
  req.method = "GET";
  req.url = url;
  req.headers.emplace_back("Accept", "application/json");
  req.timeout = std::chrono::milliseconds(2000);
  req.connect_timeout = std::chrono::milliseconds(1000);
  req.max_response_bytes = 64 * 1024;
  std::optional<std::string> token;
  if (auto file = env_value(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    auto t = read_token_file(*file);
    if (!t) return t.error();
    token = std::move(*t);
  } else {
    token = env_value(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      return credentials_error("The container authorization token contains a line break");
    }
    req.headers.emplace_back("Authorization", *token);
  }

  // The ECS agent occasionally refuses a connection while it starts: one quick retry.
  core::Result<http::Response> resp = core::make_error(core::ErrorCode::kInternal, "not sent");
  for (int attempt = 0; attempt < 2; ++attempt) {
    resp = client_.send(req);
    if (resp && resp->status < 500) break;
  }
  if (!resp) {
    core::Error e = resp.error();
    e.message = "Cannot reach the container credentials endpoint: " + e.message;
    return e;
  }
  if (resp->status != 200) {
    core::Error e =
        credentials_error("The container credentials endpoint answered HTTP " + std::to_string(resp->status),
                          "Check the task role (ECS) or pod identity association (EKS)");
    e.with("HTTP status", std::to_string(resp->status));
    if (auto parsed = core::parse_json(resp->body, "container error", 16 * 1024);
        parsed && parsed->is_object()) {
      for (const char* key : {"message", "Message"}) {
        if (auto m = core::get_string(parsed->get_object(), key)) {
          e.with("endpoint said", m->substr(0, 512));
          break;
        }
      }
    }
    return e;
  }
  return detail::parse_credentials_json(resp->body, "container");
}

}  // namespace bw::aws
