#include "http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace bw::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Router ping_router() {
  Router router;
  router.add("GET", "/ping", [](const ServerRequest&) { return json_response(200, R"({"pong":true})"); });
  return router;
}

//! A raw client socket: the tests need to misbehave (trickle, stall, stay silent) below any HTTP library.
class RawClient {
 public:
  explicit RawClient(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& bytes) { return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) >= 0; }

  //! Waits up to `wait` for the server to close; true if it did. Response bytes are collected in received().
  bool closed_within(std::chrono::milliseconds wait) {
    const auto deadline = Clock::now() + wait;
    while (Clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, int(std::max<long>(1, left.count()))) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;  // EOF or reset
      received_.append(buf, std::size_t(n));
    }
    return false;
  }

  //! Reads until one complete response (headers + Content-Length body) or `wait` passes.
  std::optional<std::string> response(std::chrono::milliseconds wait = 2000ms) {
    const auto deadline = Clock::now() + wait;
    while (Clock::now() < deadline) {
      auto end = received_.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto cl = received_.find("Content-Length: ");
        std::size_t length = cl == std::string::npos ? 0 : std::stoul(received_.substr(cl + 16));
        if (received_.size() >= end + 4 + length) {
          std::string reply = received_.substr(0, end + 4 + length);
          received_.erase(0, reply.size());
          return reply;
        }
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      received_.append(buf, std::size_t(n));
    }
    return std::nullopt;
  }

  const std::string& received() const { return received_; }

 private:
  int fd_;
  bool connected_ = false;
  std::string received_;
};

const std::string kPing = "GET /ping HTTP/1.1\r\nHost: test\r\n\r\n";

bool is_pong(const std::optional<std::string>& reply) {
  return reply && reply->starts_with("HTTP/1.1 200") && reply->ends_with(R"({"pong":true})");
}

class ServerTest : public ::testing::Test {
 protected:
  uint16_t start(ServerOptions options) {
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(router_, options);
    auto port = server_->start();
    EXPECT_TRUE(port.has_value());
    return port ? *port : 0;
  }
  void TearDown() override {
    if (server_) server_->stop(0ms);
  }

  Router router_ = ping_router();
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, HeadersTrickledByteByByteAreCutAtTheReadTimeoutThoughBytesKeepArriving) {
  ServerOptions options;
  options.read_timeout = 1s;
  const uint16_t port = start(options);
  RawClient loris(port);
  ASSERT_TRUE(loris.connected());
  const std::string header = "GET /ping HTTP/1.1\r\nHost: test\r\nX-Slow: ";
  const auto started = Clock::now();
  bool closed = false;
  for (std::size_t i = 0; Clock::now() - started < 5s && !closed; ++i) {
    loris.send(i < header.size() ? header.substr(i, 1) : "a");  // never finishes the header block
    closed = loris.closed_within(100ms);
  }
  const auto took = Clock::now() - started;
  EXPECT_TRUE(closed) << "a trickling client was never cut";
  EXPECT_GE(took, 900ms);  // the read timeout, not an earlier rule
  EXPECT_LT(took, 3s);
  EXPECT_EQ(loris.received(), "");
}

TEST_F(ServerTest, BodyThatStopsMidwayIsDroppedAtTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = 1s;
  const uint16_t port = start(options);
  RawClient client(port);
  ASSERT_TRUE(client.connected());
  const auto started = Clock::now();
  client.send("POST /ping HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n0123456789");
  EXPECT_TRUE(client.closed_within(4s));
  const auto took = Clock::now() - started;
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 3s);
  EXPECT_EQ(client.received(), "");
}

TEST_F(ServerTest, SilentConnectionWaitsForTheIdleTimeoutNotTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = 1s;
  options.idle_timeout = 3s;
  const uint16_t port = start(options);
  RawClient silent(port);
  ASSERT_TRUE(silent.connected());
  EXPECT_FALSE(silent.closed_within(2000ms)) << "closed at the read timeout";
  EXPECT_TRUE(silent.closed_within(3000ms)) << "not closed at the idle timeout";
}

TEST_F(ServerTest, AtTheConnectionLimitTheLongestIdleConnectionMakesRoomForANewClient) {
  ServerOptions options;
  options.max_connections = 3;
  const uint16_t port = start(options);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 3; ++i) {
    // One request each, so the server surely holds the connection and its idle order is known.
    idle.push_back(std::make_unique<RawClient>(port));
    ASSERT_TRUE(idle.back()->send(kPing));
    ASSERT_TRUE(is_pong(idle.back()->response()));
    std::this_thread::sleep_for(20ms);
  }
  RawClient newcomer(port);
  ASSERT_TRUE(newcomer.send(kPing));
  EXPECT_TRUE(is_pong(newcomer.response()));
  EXPECT_TRUE(idle[0]->closed_within(2s)) << "the oldest idle connection was kept";
  EXPECT_FALSE(idle[1]->closed_within(100ms));
  EXPECT_FALSE(idle[2]->closed_within(100ms));
  ASSERT_TRUE(idle[2]->send(kPing));  // a survivor still works
  EXPECT_TRUE(is_pong(idle[2]->response()));
}

TEST_F(ServerTest, AtTheConnectionLimitRequestsInProgressAreKeptAndTheNewcomerIsRefused) {
  ServerOptions options;
  options.max_connections = 2;
  const uint16_t port = start(options);
  RawClient first(port), second(port);
  ASSERT_TRUE(first.send("GET /ping HTTP/1.1\r\n"));  // inside a request: bounded by the read timeout
  ASSERT_TRUE(second.send("GET /ping HTTP/1.1\r\n"));
  std::this_thread::sleep_for(200ms);
  RawClient newcomer(port);
  newcomer.send(kPing);
  EXPECT_TRUE(newcomer.closed_within(2s));
  EXPECT_EQ(newcomer.received(), "");
  ASSERT_TRUE(first.send("Host: test\r\n\r\n"));
  ASSERT_TRUE(second.send("Host: test\r\n\r\n"));
  EXPECT_TRUE(is_pong(first.response()));
  EXPECT_TRUE(is_pong(second.response()));
}

}  // namespace
}  // namespace bw::http

namespace bw::http {
namespace {

// A handler that throws answers 500, and its connection, closed after the answer, no longer counts
// towards the limit: with room for two connections, two thrown requests in a row leave room for more.
std::string thread_name() {
  return std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
}

//! The body of a 200 reply ("" when there is none).
std::string body_of(const std::optional<std::string>& reply) {
  if (!reply || !reply->starts_with("HTTP/1.1 200")) return "";
  return reply->substr(reply->find("\r\n\r\n") + 4);
}

// Each I/O thread runs its own context: a connection stays on one thread from accept to close, and
// connections are dealt to the threads in turn.
TEST_F(ServerTest, EachConnectionStaysOnOneIoThreadAndConnectionsAreDealtToEveryThread) {
  router_.add("GET", "/who", [](const ServerRequest&) { return json_response(200, thread_name()); });
  ServerOptions options;
  options.io_threads = 3;
  const uint16_t port = start(options);
  std::set<std::string> threads;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int c = 0; c < 6; ++c) {
    clients.push_back(std::make_unique<RawClient>(port));
    ASSERT_TRUE(clients.back()->connected());
  }
  for (auto& client : clients) {
    std::set<std::string> seen;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(client->send("GET /who HTTP/1.1\r\nHost: test\r\n\r\n"));
      const std::string who = body_of(client->response());
      ASSERT_FALSE(who.empty());
      seen.insert(who);
    }
    EXPECT_EQ(seen.size(), 1u) << "a connection moved between threads";
    threads.insert(*seen.begin());
  }
  EXPECT_EQ(threads.size(), 3u);
}

// A staged route answers on the I/O thread when it can; what it defers runs on the handler pool.
TEST_F(ServerTest, AStagedRouteAnswersOnTheIoThreadAndDefersTheRestToThePool) {
  router_.add("GET", "/who", [](const ServerRequest&) { return json_response(200, thread_name()); });
  router_.add_staged("GET", "/staged", [](const ServerRequest& r) {
    if (r.target.ends_with("now")) return Reply::answer(json_response(200, thread_name()));
    return Reply::defer([] { return json_response(200, thread_name()); });
  });
  const uint16_t port = start(ServerOptions{});
  RawClient client(port);
  ASSERT_TRUE(client.send("GET /who HTTP/1.1\r\nHost: test\r\n\r\n"));
  const std::string io_thread = body_of(client.response());
  ASSERT_TRUE(client.send("GET /staged?now HTTP/1.1\r\nHost: test\r\n\r\n"));
  EXPECT_EQ(body_of(client.response()), io_thread);
  ASSERT_TRUE(client.send("GET /staged?later HTTP/1.1\r\nHost: test\r\n\r\n"));
  const std::string pool_thread = body_of(client.response());
  EXPECT_FALSE(pool_thread.empty());
  EXPECT_NE(pool_thread, io_thread);
}

// Header fields are parsed into a region the connection keeps; a request with more than fits in it is
// still read whole, and the next request on the connection starts from a clean region.
TEST_F(ServerTest, RequestsWithMoreHeaderBytesThanTheConnectionsRegionAreReadWhole) {
  router_.add("GET", "/echo", [](const ServerRequest& r) {
    return json_response(200,
                         r.header("x-big").value_or("none") + "|" + r.header("x-small").value_or("none"));
  });
  const uint16_t port = start(ServerOptions{});
  RawClient client(port);
  const std::string big(6000, 'b');
  std::string many;
  for (int i = 0; i < 100; ++i)
    many += "X-Filler-" + std::to_string(i) + ": " + std::string(40, 'f') + "\r\n";
  ASSERT_TRUE(client.send("GET /echo HTTP/1.1\r\nHost: test\r\n" + many + "X-Big: " + big + "\r\n\r\n"));
  EXPECT_EQ(body_of(client.response()), big + "|none");
  ASSERT_TRUE(client.send("GET /echo HTTP/1.1\r\nHost: test\r\nX-Small: s\r\n\r\n"));
  EXPECT_EQ(body_of(client.response()), "none|s");
}

// An answer larger than the socket takes at once: the rest goes out as the client reads, byte for byte.
TEST_F(ServerTest, AnAnswerLargerThanTheSocketBufferArrivesWhole) {
  std::string big(8 * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = char('a' + (i / 4096) % 26);
  router_.add("GET", "/big", [&big](const ServerRequest&) { return json_response(200, big); });
  const uint16_t port = start(ServerOptions{});
  RawClient client(port);
  ASSERT_TRUE(client.send("GET /big HTTP/1.1\r\nHost: test\r\n\r\n"));
  auto reply = client.response(30s);
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->ends_with(big));
  // The connection is still usable afterwards.
  ASSERT_TRUE(client.send(kPing));
  EXPECT_TRUE(is_pong(client.response()));
}

TEST_F(ServerTest, AThrowingHandlerAnswers500AndLeavesNoConnectionCountedAsBusy) {
  router_.add("GET", "/boom",
              [](const ServerRequest&) -> ServerResponse { throw std::runtime_error("bug"); });
  router_.add(
      "GET", "/boom-blocking",
      [](const ServerRequest&) -> ServerResponse { throw std::runtime_error("bug"); }, Router::Prefix::kExact,
      true);
  ServerOptions options;
  options.max_connections = 2;
  const uint16_t port = start(options);
  for (const char* path : {"/boom", "/boom-blocking", "/boom", "/boom-blocking"}) {
    RawClient client(port);
    ASSERT_TRUE(
        client.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));
    auto reply = client.response();
    ASSERT_TRUE(reply) << path;
    EXPECT_TRUE(reply->starts_with("HTTP/1.1 500")) << *reply;
    EXPECT_TRUE(reply->ends_with(R"({"error":"Internal server error"})")) << *reply;
    EXPECT_TRUE(client.closed_within(2s)) << path;
  }
  // Two connections held open: both are served, so no thrown request left a connection behind.
  RawClient first(port), second(port);
  ASSERT_TRUE(first.send(kPing));
  ASSERT_TRUE(second.send(kPing));
  EXPECT_TRUE(is_pong(first.response()));
  EXPECT_TRUE(is_pong(second.response()));
}

}  // namespace
}  // namespace bw::http
