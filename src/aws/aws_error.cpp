#include "aws/aws_error.hpp"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/ascii.hpp"
#include "core/json.hpp"
#include "http/status.hpp"

namespace bw::aws {

namespace {

constexpr std::size_t kMaxParsedBody = 64 * 1024;
constexpr std::size_t kMaxCode = 128;
constexpr std::size_t kMaxMessage = 1024;
constexpr std::size_t kMaxRequestId = 128;

// Keeps printable text only and bounds it, so a hostile reply cannot inject lines into logs.
std::string clean(std::string_view text, std::size_t limit) {
  std::string out;
  out.reserve(std::min(text.size(), limit));
  for (char c : text) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u == '\n' || u == '\r' || u == '\t') {
      out += ' ';
    } else if (u >= 0x20 && u != 0x7f) {
      out += c;
    }
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  out.erase(0, first);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "com.amazonaws.sqs#QueueDoesNotExist" -> "QueueDoesNotExist";
// "ResourceNotFoundException:http://internal.amazon.com/coral/..." -> "ResourceNotFoundException".
std::string normalize_code(std::string_view raw) {
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
  return clean(raw, kMaxCode);
}

void parse_json_body(std::string_view body, AwsError& out) {
  auto parsed = core::parse_json(body, "AWS error reply", kMaxParsedBody);
  if (!parsed || !parsed->is_object()) return;
  const auto& obj = parsed->get_object();
  for (const char* key : {"__type", "code", "Code"}) {
    if (auto v = core::get_string(obj, key); v && !v->empty()) {
      out.code = normalize_code(*v);
      break;
    }
  }
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (auto v = core::get_string(obj, key); v && !v->empty()) {
      out.message = clean(*v, kMaxMessage);
      break;
    }
  }
}

// Depth-first search for the first element called `name` (bounded depth: pugixml already parsed it,
// but the walk itself should not recurse without limit).
pugi::xml_node find_element(pugi::xml_node node, const char* name, int depth = 0) {
  if (depth > 8) return {};
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::strcmp(child.name(), name) == 0) return child;
  }
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (auto found = find_element(child, name, depth + 1)) return found;
  }
  return {};
}

void parse_xml_body(std::string_view body, AwsError& out) {
  pugi::xml_document doc;
  // parse_default without entity expansion beyond the predefined five (pugixml never fetches DTDs).
  const auto result = doc.load_buffer(body.data(), body.size(), pugi::parse_default & ~pugi::parse_doctype);
  if (!result) return;
  pugi::xml_node root = doc.document_element();
  pugi::xml_node error = std::strcmp(root.name(), "Error") == 0 ? root : find_element(root, "Error");
  if (error) {
    if (auto code = error.child("Code")) out.code = normalize_code(code.child_value());
    if (auto msg = error.child("Message")) out.message = clean(msg.child_value(), kMaxMessage);
  }
  if (out.request_id.empty()) {
    pugi::xml_node rid = find_element(doc, "RequestId");
    if (!rid) rid = find_element(doc, "RequestID");
    if (rid) out.request_id = clean(rid.child_value(), kMaxRequestId);
  }
}

bool one_of(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_signature_error(const AwsError& e) {
  return one_of(e.code, {"SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature",
                         "IncompleteSignatureException", "RequestExpired", "RequestTimeTooSkewed"});
}

bool is_expired_token(const AwsError& e) {
  return one_of(e.code, {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"});
}

}  // namespace

std::string http_status_text(int status) {
  const std::string_view phrase = http::reason_phrase(status);
  return phrase.empty() ? "HTTP " + std::to_string(status) : std::string(phrase);
}

AwsError parse_aws_error(std::string_view service, const http::Response& response) {
  AwsError out;
  out.service = clean(service, kMaxCode);
  out.http_status = response.status;
  for (const char* name : {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"}) {
    if (auto v = response.header(name); v && !v->empty()) {
      out.request_id = clean(*v, kMaxRequestId);
      break;
    }
  }
  if (auto q = response.header("x-amzn-query-error"); q && !q->empty()) {
    out.query_code = clean(std::string_view(*q).substr(0, q->find(';')), kMaxCode);
  }

  std::string_view body = core::ascii_trim(response.body);
  if (body.size() <= kMaxParsedBody && !body.empty()) {
    if (body.front() == '{') {
      parse_json_body(body, out);
    } else if (body.front() == '<') {
      parse_xml_body(body, out);
    }
  }
  if (out.code.empty()) {
    if (auto t = response.header("x-amzn-errortype"); t && !t->empty()) out.code = normalize_code(*t);
  }
  if (out.code.empty()) out.code = "Unknown";
  if (out.message.empty()) out.message = http_status_text(response.status);
  return out;
}

bool is_credentials_error(const AwsError& e) {
  return is_signature_error(e) || is_expired_token(e) ||
         one_of(e.code,
                {"InvalidClientTokenId", "UnrecognizedClientException", "MissingAuthenticationToken",
                 "MissingAuthenticationTokenException", "InvalidAccessKeyId", "InvalidToken", "AuthFailure"});
}

bool is_access_denied(const AwsError& e) {
  if (one_of(e.code, {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})) return true;
  return e.code == "Unknown" && e.http_status == 403;
}

bool is_throttling(const AwsError& e) {
  if (e.http_status == 429) return true;
  return one_of(e.code,
                {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                 "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
                 "ProvisionedThroughputExceeded", "ProvisionedThroughputExceededException",
                 "BandwidthLimitExceeded", "EC2ThrottledException", "PriorRequestNotComplete"}) ||
         e.query_code == "AWS.SimpleQueueService.RequestThrottled";
}

bool is_not_found(const AwsError& e) {
  const std::string_view c = e.code;
  if (e.http_status == 404) return true;
  return ends_with(c, "NotFound") || ends_with(c, "NotFoundException") || ends_with(c, "NotFoundFault") ||
         c.substr(0, 6) == "NoSuch" || c.find("DoesNotExist") != std::string_view::npos ||
         c.find("NonExistent") != std::string_view::npos;
}

bool is_retryable(const AwsError& e) {
  if (is_throttling(e)) return true;
  if (one_of(e.code, {"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
                      "ServiceUnavailable", "TransactionInProgressException"})) {
    return true;
  }
  return e.http_status >= 500 && e.http_status <= 599;
}

core::Error to_core_error(const AwsError& e, std::string_view action) {
  using core::ErrorCode;
  const std::string what = "AWS " + e.service + " " + std::string(action) + " failed: " + e.code;
  core::Error err;
  if (is_credentials_error(e)) {
    std::string suggestion =
        "Check the AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for "
        "temporary keys), the profile named by AWS_PROFILE, or the ECS task role / EC2 instance profile";
    if (is_signature_error(e)) {
      suggestion +=
          ". A signature mismatch means a wrong secret access key or a skewed system clock (sync it "
          "with NTP)";
    } else if (is_expired_token(e)) {
      suggestion += ". The session token has expired: obtain fresh temporary credentials";
    }
    err = core::make_error(ErrorCode::kCredentials, what, suggestion);
  } else if (is_access_denied(e)) {
    err = core::make_error(ErrorCode::kAccessDenied, what,
                           "Grant the IAM principal " + e.service + ":" + std::string(action) +
                               " on the resource (check the role's policy)");
  } else if (is_throttling(e)) {
    err = core::make_error(ErrorCode::kThrottled, what, "AWS is throttling requests; retry later");
  } else if (e.http_status >= 500) {
    err = core::make_error(ErrorCode::kRemote, what, "AWS had a server-side problem; retry later");
  } else if (is_not_found(e)) {
    err = core::make_error(ErrorCode::kNotFound, what,
                           "Check that the resource exists in this AWS account and region");
  } else {
    err = core::make_error(ErrorCode::kRemote, what, "Check the request parameters and AWS permissions");
  }
  err.with("service", e.service).with("action", std::string(action)).with("code", e.code);
  err.with("HTTP status", std::to_string(e.http_status));
  if (!e.request_id.empty()) err.with("request id", e.request_id);
  err.with("AWS said", e.message);
  return err;
}

core::Error to_core_error_saying(const AwsError& e, std::string_view action) {
  core::Error err = to_core_error(e, action);
  if (!e.message.empty()) err.message.append(": ").append(e.message);
  return err;
}

}  // namespace bw::aws
