#include "http/request_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace bw::http {
namespace {

namespace bhttp = boost::beast::http;

void append(boost::beast::flat_buffer& buffer, std::string_view bytes) {
  auto space = buffer.prepare(bytes.size());
  boost::asio::buffer_copy(space, boost::asio::buffer(bytes.data(), bytes.size()));
  buffer.commit(bytes.size());
}

struct Connection {
  std::unique_ptr<RequestArena> arena = std::make_unique<RequestArena>();
  boost::beast::flat_buffer buffer;
  ServerRequest request;
};

const std::string kWebhook =
    "POST /lifecycle?x=1 HTTP/1.1\r\nHost: a\r\nwebhook-id: msg_1\r\nContent-Length: 4\r\n\r\nbody";

TEST(RequestReader, ARequestAlreadyBufferedIsParsedWholeAndCopiedOut) {
  Connection c;
  append(c.buffer, kWebhook);
  RequestReader reader(*c.arena, 16384, 1024);
  ASSERT_FALSE(reader.parse_buffered(c.buffer));
  EXPECT_EQ(c.buffer.size(), 0u);
  EXPECT_EQ(reader.refill(c.request), std::string("Hostawebhook-idmsg_1Content-Length4").size());
  EXPECT_EQ(c.request.method, "POST");
  EXPECT_EQ(c.request.target, "/lifecycle?x=1");
  EXPECT_EQ(c.request.path, "/lifecycle");
  EXPECT_EQ(c.request.header("WEBHOOK-ID"), "msg_1");
  EXPECT_EQ(c.request.body, "body");
}

TEST(RequestReader, ARequestArrivingInPiecesNeedsMoreUntilItIsAllThere) {
  Connection c;
  RequestReader reader(*c.arena, 16384, 1024);
  for (std::size_t i = 0; i + 1 < kWebhook.size(); ++i) {
    append(c.buffer, kWebhook.substr(i, 1));
    ASSERT_EQ(reader.parse_buffered(c.buffer), bhttp::error::need_more) << i;
  }
  append(c.buffer, kWebhook.substr(kWebhook.size() - 1));
  ASSERT_FALSE(reader.parse_buffered(c.buffer));
  reader.refill(c.request);
  EXPECT_EQ(c.request.body, "body");
}

TEST(RequestReader, PipelinedRequestsAreReadOneAfterTheOtherAndLeaveNothingOfTheFirstInTheSecond) {
  Connection c;
  append(c.buffer, kWebhook + "GET /health HTTP/1.1\r\nHost: b\r\n\r\n");
  {
    RequestReader first(*c.arena, 16384, 1024);
    ASSERT_FALSE(first.parse_buffered(c.buffer));
    first.refill(c.request);
  }
  EXPECT_GT(c.buffer.size(), 0u);  // the second request waits in the buffer
  release(c.request, 0);
  RequestReader second(*c.arena, 16384, 1024);
  ASSERT_FALSE(second.parse_buffered(c.buffer));
  second.refill(c.request);
  EXPECT_EQ(c.request.method, "GET");
  EXPECT_EQ(c.request.path, "/health");
  ASSERT_EQ(c.request.headers.size(), 1u);
  EXPECT_EQ(c.request.header("host"), "b");
  EXPECT_FALSE(c.request.header("webhook-id"));
  EXPECT_EQ(c.request.body, "");
}

TEST(RequestReader, OversizedHeadersOrBodiesAndMalformedRequestsAreRefused) {
  {
    Connection c;
    append(c.buffer, "GET / HTTP/1.1\r\nX: " + std::string(200, 'x') + "\r\n\r\n");
    EXPECT_EQ(RequestReader(*c.arena, 100, 1024).parse_buffered(c.buffer), bhttp::error::header_limit);
  }
  {
    Connection c;
    append(c.buffer, "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n");
    EXPECT_EQ(RequestReader(*c.arena, 16384, 1024).parse_buffered(c.buffer), bhttp::error::body_limit);
  }
  {
    Connection c;
    append(c.buffer, "NOT HTTP AT ALL\r\n\r\n");
    auto ec = RequestReader(*c.arena, 16384, 1024).parse_buffered(c.buffer);
    EXPECT_TRUE(ec);
    EXPECT_NE(ec, bhttp::error::need_more);
  }
}

// A request's header fields beyond the usual size are not kept for the connection's next request, nor is a
// body.
TEST(RequestReader, ReleaseDropsTheBodyAlwaysAndHeaderStorageOnlyWhenLarge) {
  Connection c;
  append(c.buffer, "POST / HTTP/1.1\r\nX-Big: " + std::string(5000, 'b') + "\r\nContent-Length: 1\r\n\r\nz");
  RequestReader reader(*c.arena, 16384, 1024);
  ASSERT_FALSE(reader.parse_buffered(c.buffer));
  const std::size_t bytes = reader.refill(c.request);
  EXPECT_GT(bytes, 5000u);
  release(c.request, bytes);
  EXPECT_EQ(c.request.body.capacity(), std::string().capacity());
  EXPECT_EQ(c.request.headers.capacity(), 0u);
  c.request.headers = {{"a", "b"}};
  release(c.request, 2);
  EXPECT_EQ(c.request.headers.size(), 1u);  // small: kept for reuse
}

}  // namespace
}  // namespace bw::http
