// http/server.hpp: the inbound HTTP/1.1 server (Boost.Beast, kept out of this header).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "http/router.hpp"

namespace bw::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  uint16_t port = 8080;  //!< 0 picks a free port (tests); start() returns the bound one
  std::size_t io_threads = 1;
  std::size_t handler_threads = 4;  //!< for blocking routes
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  //! Keep-alive wait for the next request. Longer than an NLB's 350 s and API Gateway's idle
  //! timeouts so the load balancer, not us, closes idle connections (no reset races).
  std::chrono::seconds idle_timeout{620};
  //! Once a request's first byte arrived, the whole request must arrive within this.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  //! At the limit (or out of file descriptors) the connection idle longest is closed to admit a new
  //! one, so silent clients cannot lock others out; only when every connection is inside a request
  //! (bounded by read_timeout) is the newcomer refused.
  std::size_t max_connections = 2048;
};

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  //! Binds and starts serving on background threads; returns the bound port.
  core::Result<uint16_t> start();
  //! Stops accepting, closes idle connections, lets requests in flight finish within `grace`, then stops.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bw::http
