// support/loopback_server.hpp
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bw::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

//! One request as the server parsed it off the wire.
struct RecordedRequest {
  std::string method;
  std::string target;          //!< path + query exactly as sent, e.g. "/latest/api/token?x=1"
  std::string version;         //!< "HTTP/1.1"
  HeaderList headers;          //!< names as sent (case kept), in order
  std::string body;            //!< Content-Length or chunked body, decoded
  std::size_t connection = 0;  //!< 1-based index of the TCP connection it came on

  //! Case-insensitive lookup of the first header called `name`.
  std::optional<std::string> header(std::string_view name) const;
  //! target without the query string.
  std::string path() const;
};

//! What the server answers, with knobs to script misbehaviour.
struct Reply {
  int status = 200;
  HeaderList headers;  //!< Content-Length is added from `body` unless given here
  std::string body;

  std::chrono::milliseconds delay{0};  //!< wait before sending anything
  bool drop = false;                   //!< close the connection without answering
  //! Send the headers (with the full Content-Length) and this many body bytes, then close.
  std::optional<std::size_t> close_after_body_bytes;
  //! Send the body `trickle_chunk` bytes at a time, pausing `trickle_interval` before each piece.
  std::chrono::milliseconds trickle_interval{0};
  std::size_t trickle_chunk = 1;
  bool close = false;  //!< answer with "Connection: close" and close afterwards

  static Reply json(int status, std::string body);
  static Reply text(int status, std::string body);
  static Reply empty(int status);
  static Reply dropped();  //!< close without answering

  Reply& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  Reply& with_delay(std::chrono::milliseconds d) {
    delay = d;
    return *this;
  }
};

using Handler = std::function<Reply(const RecordedRequest&)>;

//! Handler answering with `replies` in order, repeating the last one once they run out
//! (e.g. {json(500, ...), json(200, ...)} for a retry test). Thread-safe.
Handler sequence(std::vector<Reply> replies);

//! A loopback port nothing listens on (bound, then closed), for connection-refused tests.
std::uint16_t closed_port();

//! A tiny HTTP/1.1 server on 127.0.0.1 for tests, in the spirit of userver's utest::SimpleServer.
//! Binds an ephemeral port in the constructor, serves each connection on its own thread with
//! keep-alive, records every request, and answers via a handler that may be replaced at any time.
//! HEAD gets the handler's headers (Content-Length of its body) but no body.
//! The destructor closes every connection and joins every thread, even mid-delay.
class LoopbackServer {
 public:
  LoopbackServer();  //!< answers 200 with an empty body
  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const;
  std::string url() const;  //!< "http://127.0.0.1:<port>"
  //! url() + target, e.g. url("/v1/x") == "http://127.0.0.1:1234/v1/x".
  std::string url(std::string_view target) const;

  void set_handler(Handler handler);
  //! Shorthand for a handler that always answers `reply`.
  void set_reply(Reply reply);

  std::vector<RecordedRequest> requests() const;  //!< a copy, in arrival order
  std::size_t request_count() const;
  std::size_t connection_count() const;  //!< TCP connections accepted so far
  //! Blocks until at least `n` requests arrived or `timeout` passed; true if they did.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;
  void clear_requests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bw::testing
