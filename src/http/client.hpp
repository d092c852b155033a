// http/client.hpp
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace bw::http {

//! Header list in the order given; names compared case-insensitively by header().
using Headers = std::vector<std::pair<std::string, std::string>>;

//! Case-insensitive lookup of the first header called `name`.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "GET";
  std::string url;  //!< absolute http:// or https:// URL, already percent-encoded
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};          //!< whole exchange
  std::chrono::milliseconds connect_timeout{5000};   //!< TCP + TLS handshake
  std::size_t max_response_bytes = 16 * 1024 * 1024;  //!< larger bodies fail as kRemote, never buffered
};

struct Response {
  int status = 0;
  Headers headers;  //!< names lowercased
  std::string body;
  std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

//! Outbound HTTP/1.1 client over libcurl: pooled connections, timeouts, TLS verification on.
//! Thread-safe: any number of threads may call send() at once.
class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  //! Performs the exchange. Any HTTP status is a success here; a failure to get a complete
  //! response (DNS, connect, TLS, timeout, body over the limit) is an Error with code kTransport
  //! (or kRemote for an oversized body) whose details name the host, never the query or headers.
  core::Result<Response> send(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bw::http
