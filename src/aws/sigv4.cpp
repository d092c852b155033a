#include "aws/sigv4.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "core/ascii.hpp"
#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "core/split.hpp"

namespace bw::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr char kHexUpper[] = "0123456789ABCDEF";

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Appends `value` trimmed, with every inner run of whitespace collapsed to one space.
void append_trimmed(std::string& out, std::string_view value) {
  bool pending_space = false;
  bool any = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = any;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    any = true;
    out.push_back(c);
  }
}

void append_encoded_byte(std::string& out, unsigned char c) {
  out += {'%', kHexUpper[c >> 4], kHexUpper[c & 15]};
}

// RFC 3986 dot-segment removal as botocore does it (AWS also collapses empty segments): "//a/./b/../c/"
// -> "/a/c/". A trailing slash survives only when the input ends in one and something is left.
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  for (std::string_view seg : core::split(path, '/')) {
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
  }
  std::string out;
  out.reserve(path.size() + 1);
  out.push_back('/');  // a request path is always absolute
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i) out.push_back('/');
    out.append(segments[i]);
  }
  if (!segments.empty() && path.back() == '/') out.push_back('/');
  return out;
}

// Decodes %XX escapes; a malformed query component is taken literally (its '%' is then encoded).
std::string decode_or_raw(std::string_view text) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  if (auto decoded = core::uri_decode(text)) return std::move(*decoded);
  return std::string(text);
}

struct HeaderRef {
  std::string name;  // lowercased
  std::string_view value;
};

// Lowercased, stably sorted by name: duplicates keep the order given (their values join with ',').
template <class Keep>
std::vector<HeaderRef> sorted_headers(const http::Headers& headers, Keep keep) {
  std::vector<HeaderRef> refs;
  refs.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    if (!keep(name)) continue;
    HeaderRef ref{std::string(name), value};
    for (char& c : ref.name) c = core::ascii_lower(c);
    refs.push_back(std::move(ref));
  }
  std::stable_sort(refs.begin(), refs.end(),
                   [](const HeaderRef& a, const HeaderRef& b) { return a.name < b.name; });
  return refs;
}

std::string signed_headers_of(const std::vector<HeaderRef>& refs) {
  std::string out;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (i > 0 && refs[i].name == refs[i - 1].name) continue;
    if (!out.empty()) out.push_back(';');
    out.append(refs[i].name);
  }
  return out;
}

struct Canonical {
  std::string request;
  std::string signed_headers;
};

template <class Keep>
Canonical build_canonical(std::string_view method, std::string_view path, std::string_view query,
                          const http::Headers& headers, std::string_view payload_hash, bool s3, Keep keep) {
  const std::vector<HeaderRef> refs = sorted_headers(headers, keep);
  Canonical c;
  c.signed_headers = signed_headers_of(refs);
  std::string& out = c.request;
  out.reserve(256 + path.size() * 3 + query.size() * 3 + c.signed_headers.size() * 2);
  out.append(method);
  out.push_back('\n');
  out.append(canonical_uri(path, s3));
  out.push_back('\n');
  out.append(canonical_query_string(query));
  out.push_back('\n');
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const bool continues = i > 0 && refs[i].name == refs[i - 1].name;
    if (continues) {
      out.push_back(',');
    } else {
      if (i > 0) out.push_back('\n');
      out.append(refs[i].name);
      out.push_back(':');
    }
    append_trimmed(out, refs[i].value);
  }
  out.append("\n\n");
  out.append(c.signed_headers);
  out.push_back('\n');
  out.append(payload_hash);
  return c;
}

std::string credential_scope(const SigningScope& scope, std::string_view amz_date) {
  std::string out;
  out.reserve(8 + scope.region.size() + scope.service.size() + 16);
  out.append(amz_date.substr(0, 8));
  out.push_back('/');
  out.append(scope.region);
  out.push_back('/');
  out.append(scope.service);
  out.append("/aws4_request");
  return out;
}

std::string sts_with_date(const SigningScope& scope, std::string_view amz_date, std::string_view creq) {
  std::string out;
  out.reserve(kAlgorithm.size() + 1 + amz_date.size() + 1 + 64 + 1 + 64);
  out.append(kAlgorithm);
  out.push_back('\n');
  out.append(amz_date);
  out.push_back('\n');
  out.append(credential_scope(scope, amz_date));
  out.push_back('\n');
  out.append(core::sha256_hex(creq));
  return out;
}

std::string authorization_value(const Credentials& creds, const SigningScope& scope,
                                std::string_view amz_date, const Canonical& canonical) {
  const std::string sts = sts_with_date(scope, amz_date, canonical.request);
  std::string out;
  out.reserve(200 + creds.access_key_id.size() + canonical.signed_headers.size());
  out.append(kAlgorithm);
  out.append(" Credential=");
  out.append(creds.access_key_id);
  out.push_back('/');
  out.append(credential_scope(scope, amz_date));
  out.append(", SignedHeaders=");
  out.append(canonical.signed_headers);
  out.append(", Signature=");
  out.append(signature(creds.secret_access_key, scope, sts));
  return out;
}

// The parts of an absolute URL that signing needs; lenient, never fails (a malformed URL fails later,
// in the HTTP client, with a better error than a signer could give).
struct UrlParts {
  std::string host_header;  // lowercase host, ":port" only when not the scheme's default
  std::string_view path;
  std::string_view query;
};

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  std::string_view scheme;
  std::string_view rest = url;
  if (auto colon = url.find("://"); colon != std::string_view::npos) {
    scheme = url.substr(0, colon);
    rest = url.substr(colon + 3);
  }
  const std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);

  // Split host and port; an IPv6 literal keeps its brackets.
  std::string_view host = authority;
  std::string_view port;
  const std::size_t bracket = authority.rfind(']');
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  const bool default_port = port.empty() || (core::ascii_iequals(scheme, "https") && port == "443") ||
                            (core::ascii_iequals(scheme, "http") && port == "80");
  parts.host_header.reserve(authority.size());
  for (char c : host) parts.host_header.push_back(core::ascii_lower(c));
  if (!default_port) {
    parts.host_header.push_back(':');
    parts.host_header.append(port);
  }

  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    parts.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  parts.path = rest;
  return parts;
}

void erase_header(http::Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return core::ascii_iequals(h.first, name); });
}

bool has_header(const http::Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return core::ascii_iequals(h.first, name); });
}

// Headers a client, proxy or agent may add or rewrite after signing (http::Client drops a caller's
// Content-Length and Transfer-Encoding and derives them from the body).
bool signable(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kUnsigned = {
      "authorization",  "user-agent",        "expect",         "connection",
      "content-length", "transfer-encoding", "x-amzn-trace-id"};
  return std::none_of(kUnsigned.begin(), kUnsigned.end(),
                      [&](std::string_view u) { return core::ascii_iequals(name, u); });
}

}  // namespace

std::string canonical_uri(std::string_view path, bool s3) {
  if (path.empty()) return "/";
  if (!s3) return core::uri_encode(normalize_path(path), /*keep_slash=*/true);
  std::string out;
  out.reserve(path.size() + 8);
  if (path.front() != '/') out.push_back('/');
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (c == '%' && i + 2 < path.size() && is_hex(path[i + 1]) && is_hex(path[i + 2])) {
      out.append(path.substr(i, 3));  // already escaped on the wire: once is enough for S3
      i += 2;
    } else if (is_unreserved(c) || c == '/') {
      out.push_back(char(c));
    } else {
      append_encoded_byte(out, c);
    }
  }
  return out;
}

std::string canonical_query_string(std::string_view query) {
  if (query.empty()) return {};
  std::vector<std::pair<std::string, std::string>> params;
  for (std::string_view piece : core::split(query, '&')) {
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    std::string_view key = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    params.emplace_back(core::uri_encode(decode_or_raw(key)), core::uri_encode(decode_or_raw(value)));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  out.reserve(query.size() * 2);
  for (const auto& [key, value] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(key);
    out.push_back('=');
    out.append(value);
  }
  return out;
}

std::string signed_headers(const http::Headers& headers) {
  return signed_headers_of(sorted_headers(headers, [](std::string_view) { return true; }));
}

std::string canonical_request(const CanonicalInput& in) {
  return build_canonical(in.method, in.path, in.query, in.headers, in.payload_hash, in.s3,
                         [](std::string_view) { return true; })
      .request;
}

std::string string_to_sign(const SigningScope& scope, std::string_view canonical_request) {
  return sts_with_date(scope, core::format_amz_date(scope.time), canonical_request);
}

std::string signature(std::string_view secret_access_key, const SigningScope& scope,
                      std::string_view string_to_sign) {
  std::string secret;
  secret.reserve(4 + secret_access_key.size());
  secret.append("AWS4");
  secret.append(secret_access_key);
  const std::string amz_date = core::format_amz_date(scope.time);
  std::string key = core::hmac_sha256(secret, std::string_view(amz_date).substr(0, 8));
  std::fill(secret.begin(), secret.end(), '\0');  // do not leave the secret in freed heap memory
  key = core::hmac_sha256(key, scope.region);
  key = core::hmac_sha256(key, scope.service);
  key = core::hmac_sha256(key, "aws4_request");
  return core::hex_encode(core::hmac_sha256(key, string_to_sign));
}

std::string authorization_header(const Credentials& creds, const SigningScope& scope,
                                 const CanonicalInput& in) {
  const Canonical canonical = build_canonical(in.method, in.path, in.query, in.headers, in.payload_hash,
                                              in.s3, [](std::string_view) { return true; });
  return authorization_value(creds, scope, core::format_amz_date(scope.time), canonical);
}

void sign_request(http::Request& request, const Credentials& creds, const SigningScope& scope,
                  bool unsigned_payload) {
  const bool s3 = scope.service == "s3";
  const UrlParts url = split_url(request.url);
  const std::string amz_date = core::format_amz_date(scope.time);

  auto& headers = request.headers;
  erase_header(headers, "authorization");
  erase_header(headers, "x-amz-date");
  erase_header(headers, "x-amz-security-token");
  if (s3) erase_header(headers, "x-amz-content-sha256");
  if (!has_header(headers, "host")) headers.emplace_back("host", url.host_header);
  headers.emplace_back("x-amz-date", amz_date);
  if (!creds.session_token.empty()) headers.emplace_back("x-amz-security-token", creds.session_token);

  std::string payload_hash =
      s3 && unsigned_payload ? std::string(kUnsignedPayload) : core::sha256_hex(request.body);
  if (s3) headers.emplace_back("x-amz-content-sha256", payload_hash);

  const Canonical canonical =
      build_canonical(request.method, url.path, url.query, headers, payload_hash, s3, signable);
  headers.emplace_back("authorization", authorization_value(creds, scope, amz_date, canonical));
}

}  // namespace bw::aws
