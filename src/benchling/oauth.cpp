#include "benchling/oauth.hpp"

#include <algorithm>
#include <charconv>

#include "core/ascii.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"

namespace bw::benchling {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxRemoteMessage = 300;
constexpr char kCredentialsSuggestion[] =
    "check client_id and client_secret in the Benchling secret: they must be the app's Client ID and Client "
    "Secret from Benchling's Developer Console (generating a new secret there invalidates the old one)";

//! A token is sent in a header: printable ASCII without spaces only.
bool header_safe(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

//! The OAuth error code and description of an error reply: either RFC 6749's
//! {"error":"invalid_client","error_description":"..."} or Benchling's {"error":{"type","message"}}.
struct OAuthError {
  std::string code;
  std::string description;
};

OAuthError parse_oauth_error(std::string_view body) {
  OAuthError out;
  auto parsed = core::parse_json(body, "token error", kMaxTokenResponseBytes);
  if (!parsed || !parsed->is_object()) return out;
  const auto& obj = parsed->get_object();
  if (auto it = obj.find("error"); it != obj.end()) {
    if (it->value().is_string()) {
      out.code = std::string(it->value().get_string());
    } else if (it->value().is_object()) {
      const auto& err = it->value().get_object();
      out.code = core::get_string(err, "type").value_or("");
      out.description = core::get_string(err, "message").value_or("");
    }
  }
  if (auto d = core::get_string(obj, "error_description")) out.description = *d;
  if (out.code.size() > 64) out.code.resize(64);
  if (out.description.size() > kMaxRemoteMessage) out.description.resize(kMaxRemoteMessage);
  return out;
}

core::Error token_error(core::ErrorCode code, std::string message, std::string suggestion, int status) {
  auto e = core::make_error(code, std::move(message), std::move(suggestion));
  if (status != 0) e.with("status", std::to_string(status));
  e.with("path", "/api/v2/token");
  return e;
}

//! expires_in as a duration; nullopt when absent or unusable.
std::optional<milliseconds> read_expires_in(const boost::json::object& obj) {
  auto it = obj.find("expires_in");
  if (it == obj.end()) return std::nullopt;
  double seconds = 0;
  const auto& v = it->value();
  if (v.is_int64()) {
    seconds = double(v.get_int64());
  } else if (v.is_uint64()) {
    seconds = double(v.get_uint64());
  } else if (v.is_double()) {
    seconds = v.get_double();
  } else if (v.is_string()) {  // some servers quote it
    const auto& text = v.get_string();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!(seconds > 0)) return std::nullopt;  // also rejects NaN
  const double capped = std::min(seconds, double(kMaxTokenLifetime.count()));
  return milliseconds(static_cast<std::int64_t>(capped * 1000));
}

}  // namespace

milliseconds token_refresh_margin(milliseconds expires_in) {
  return std::clamp(expires_in / 10, milliseconds(1000), milliseconds(60000));
}

TokenSource::TokenSource(http::Client& http, std::string api_url, CredentialsFn credentials,
                         TokenSourceOptions options)
    : http_(http), credentials_(std::move(credentials)), options_(std::move(options)) {
  while (!api_url.empty() && api_url.back() == '/') api_url.pop_back();
  token_url_ = api_url + "/api/v2/token";
  if (!options_.now) options_.now = core::system_now;
}

core::Result<std::string> TokenSource::token() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (cached_ && options_.now() < cached_->refresh_at) return cached_->token;
    if (!in_flight_) break;
    const std::uint64_t generation = generation_;
    fetched_.wait(lock, [&] { return generation_ != generation; });
    if (last_result_error_) return *last_result_error_;
    // The token just fetched, even if a tiny expires_in already makes it due: asking again would loop.
    if (cached_) return cached_->token;
    // invalidated before we woke up: look again
  }
  in_flight_ = true;
  ++fetch_count_;
  lock.unlock();

  auto fetched = fetch();

  lock.lock();
  in_flight_ = false;
  ++generation_;
  if (fetched) {
    cached_ = *fetched;
    last_result_error_.reset();
  } else {
    last_result_error_ = fetched.error();
  }
  fetched_.notify_all();
  if (!fetched) return fetched.error();
  return fetched->token;
}

void TokenSource::invalidate(std::string_view rejected) {
  std::lock_guard lock(mutex_);
  if (!cached_) return;
  if (rejected.empty() || cached_->token == rejected) cached_.reset();
}

std::uint64_t TokenSource::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetch_count_;
}

core::Result<TokenSource::Fetched> TokenSource::fetch() {
  const ClientCredentials creds = credentials_ ? credentials_() : ClientCredentials{};
  if (creds.client_id.empty() || creds.client_secret.empty()) {
    return token_error(core::ErrorCode::kCredentials,
                       "the Benchling secret has no client_id or client_secret to request an access token",
                       "set client_id and client_secret in the Benchling secret", 0);
  }

  http::Request req{
      .method = "POST", .url = token_url_, .headers = {}, .body = "grant_type=client_credentials"};
  req.headers.emplace_back("Authorization",
                           "Basic " + core::base64_encode(creds.client_id + ":" + creds.client_secret));
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.headers.emplace_back("Accept", "application/json");
  req.timeout = options_.timeout;
  req.connect_timeout = options_.connect_timeout;
  req.max_response_bytes = kMaxTokenResponseBytes;

  const core::SystemTime issued = options_.now();  // before sending: errs on the early side
  auto resp = http_.send(req);
  if (!resp) {
    core::Error e = resp.error();
    e.message = "cannot get a Benchling access token: " + e.message;
    e.with("path", "/api/v2/token");
    return e;
  }

  const int status = resp->status;
  if (status != 200) {
    OAuthError oauth = parse_oauth_error(resp->body);
    // Never echo a reply that quotes the secret back.
    if (oauth.description.find(creds.client_secret) != std::string::npos) oauth.description.clear();
    const bool bad_client =
        status == 401 || oauth.code == "invalid_client" || oauth.code == "unauthorized_client";
    core::Error e = [&] {
      if (bad_client) {
        // Healable: fixing the secret in Secrets Manager fixes it, without a restart.
        return token_error(core::ErrorCode::kCredentials, "Benchling rejected the app's client credentials",
                           kCredentialsSuggestion, status);
      }
      if (status == 429) {
        return token_error(core::ErrorCode::kThrottled, "Benchling's token endpoint is rate limiting the app",
                           "wait; the request is retried", status);
      }
      if (status >= 500) {
        return token_error(core::ErrorCode::kRemote,
                           "Benchling's token endpoint failed (HTTP " + std::to_string(status) + ")",
                           "retry later; see https://status.benchling.com", status);
      }
      return token_error(
          core::ErrorCode::kRejected,
          "Benchling's token endpoint refused the request (HTTP " + std::to_string(status) + ")",
          "check api_url (or tenant) in the Benchling secret", status);
    }();
    if (!oauth.code.empty()) e.with("oauth_error", oauth.code);
    if (!oauth.description.empty()) e.with("benchling_message", oauth.description);
    return e;
  }

  auto unusable = [&](std::string why) {
    return token_error(
        core::ErrorCode::kRejected, "Benchling's token endpoint answered an unusable token: " + why,
        "check api_url (or tenant) in the Benchling secret: it must be the tenant's URL", status);
  };
  auto parsed = core::parse_json(resp->body, "token response", kMaxTokenResponseBytes);
  if (!parsed || !parsed->is_object()) return unusable("not a JSON object");
  const auto& obj = parsed->get_object();
  auto access_token = core::get_string(obj, "access_token");
  if (!access_token || access_token->empty()) return unusable("no access_token");
  if (!header_safe(*access_token) || access_token->size() > 8192) return unusable("malformed access_token");
  auto token_type = core::get_string(obj, "token_type");
  if (!token_type || !core::ascii_iequals(*token_type, "bearer")) {
    return unusable("token_type is not Bearer");  // the value itself is not echoed: it is remote text
  }
  const milliseconds lifetime = read_expires_in(obj).value_or(kDefaultTokenLifetime);
  return Fetched{std::move(*access_token), issued + lifetime - token_refresh_margin(lifetime)};
}

}  // namespace bw::benchling
