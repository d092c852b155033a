#include "http/response_text.hpp"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace bw::http {
namespace {

bool safe_name(std::string_view name) {
  return !name.empty() && name.find_first_of(":\r\n") == std::string_view::npos;
}
bool safe_value(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos;
}

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

//! RFC 9110 §6.4.1: no content in 1xx, 204 and 304 answers, and so no Content-Length to announce it.
bool may_have_body(int status) {
  return status >= 200 && status != 204 && status != 304;
}
}  // namespace

void write_response_text(const ServerResponse& response, unsigned version, bool keep_alive,
                         std::string& out) {
  out.clear();
  out.append(version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ");
  append_number(out, std::size_t(response.status));
  out.push_back(' ');
  out.append(boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(response.status)));
  out.append("\r\n");
  if (!response.content_type.empty()) append_field(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) {
    if (safe_name(name) && safe_value(value)) append_field(out, name, value);
  }
  const bool body = may_have_body(response.status);
  if (body) {
    out.append("Content-Length: ");
    append_number(out, response.body.size());
    out.append("\r\n");
  }
  // HTTP/1.1 keeps the connection by default, HTTP/1.0 closes it by default: say only what differs.
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version < 11 && keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
  if (body) out.append(response.body);
}

}  // namespace bw::http
