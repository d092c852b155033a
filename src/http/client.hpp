// http/client.hpp
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/stop.hpp"

namespace bw::http {

//! Header list in the order given; names compared case-insensitively by find_header().
using Headers = std::vector<std::pair<std::string, std::string>>;

//! Case-insensitive lookup of the first header called `name`.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
//! The same without a copy: a view into `headers`.
std::optional<std::string_view> find_header_view(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "GET";  //!< GET, POST, PUT, DELETE, HEAD, PATCH (any RFC 9110 token is accepted)
  std::string url;             //!< absolute http:// or https:// URL, already percent-encoded
  //! Sent as given (a Host header replaces curl's). Content-Length and Transfer-Encoding are
  //! ignored: the length always comes from `body`. Names or values with CR/LF are rejected.
  Headers headers;
  //! Sent byte for byte. POST/PUT/PATCH always send Content-Length (0 when empty); other
  //! methods send a body only when it is not empty.
  std::string body;
  std::chrono::milliseconds timeout{30000};           //!< whole exchange
  std::chrono::milliseconds connect_timeout{5000};    //!< TCP + TLS handshake
  std::size_t max_response_bytes = 16 * 1024 * 1024;  //!< larger bodies fail as kRemote, never buffered
  //! When set, a 2xx response body is handed over in chunks as it arrives instead of being buffered
  //! (downloads of any size in bounded memory); max_response_bytes still bounds the total. Returning
  //! false aborts the transfer (send() then fails with kInternal). Non-2xx bodies are still buffered,
  //! so error replies can be read.
  std::function<bool(std::string_view chunk)> body_sink = {};
  //! A stop ends the exchange within about a second, whatever it is waiting for (kCancelled).
  core::StopToken stop = {};
};

struct Response {
  int status = 0;
  Headers headers;  //!< names lowercased, values trimmed, in arrival order
  std::string body;
  std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

struct ClientOptions {
  //! Idle easy handles (each keeps its own connections) kept for reuse; extra ones are freed.
  std::size_t max_idle_handles = 16;
  //! Sent unless the request has its own User-Agent header.
  std::string user_agent;  //!< empty: "benchling-webhook/<version>"
};

//! Outbound HTTP/1.1 client over libcurl: pooled connections, timeouts, TLS verification on,
//! redirects never followed. Proxies come from the usual environment variables (https_proxy,
//! no_proxy, ...) except for loopback and link-local hosts, which are always reached directly.
//! Thread-safe: any number of threads may call send() at once.
class Client {
 public:
  Client();
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  //! Performs the exchange. Any HTTP status is a success here. Failures:
  //! - kInvalidArgument: bad method, URL or header (never retried);
  //! - kTransport (healable): DNS, connect, TLS, timeout, connection closed early;
  //!   message "cannot reach <host>: <curl's reason>", details host + curl_code;
  //! - kRemote: response body over max_response_bytes or headers over 256 KiB.
  //! Messages and details never contain the path, query, headers or bodies.
  core::Result<Response> send(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bw::http
