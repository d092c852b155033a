#include "http/response_text.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

namespace bw::http {
namespace {

std::string text_of(const ServerResponse& r, unsigned version = 11, bool keep_alive = true) {
  std::string out = "left over from the previous answer";
  write_response_text(r, version, keep_alive, out);
  return out;
}

TEST(ResponseText, AJsonAnswerOnAKeptHttp11ConnectionIsStatusTypeLengthAndBody) {
  EXPECT_EQ(text_of(json_response(202, R"({"status":"ACCEPTED"})")),
            "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n"
            R"({"status":"ACCEPTED"})");
}

TEST(ResponseText, ConnectionSaysOnlyWhatDiffersFromTheVersionsDefault) {
  const ServerResponse r = json_response(200, "{}");
  EXPECT_NE(text_of(r, 11, false).find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(text_of(r, 11, true).find("Connection:"), std::string::npos);
  EXPECT_TRUE(text_of(r, 10, true).starts_with("HTTP/1.0 200 OK\r\n"));
  EXPECT_NE(text_of(r, 10, true).find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(text_of(r, 10, false).find("Connection:"), std::string::npos);
}

TEST(ResponseText, StatusesWithoutContentCarryNeitherLengthNorBody) {
  ServerResponse r = json_response(204, "ignored");
  EXPECT_EQ(text_of(r), "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\n\r\n");
  r.status = 304;
  EXPECT_EQ(text_of(r).find("Content-Length"), std::string::npos);
}

TEST(ResponseText, ExtraHeadersGoOutButNoneThatWouldBreakTheFraming) {
  ServerResponse r = json_response(503, "{}");
  r.headers.emplace_back("Retry-After", "10");
  r.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: evil");
  r.headers.emplace_back("Bad:Name", "x");
  r.headers.emplace_back("", "x");
  const std::string text = text_of(r);
  EXPECT_NE(text.find("\r\nRetry-After: 10\r\n"), std::string::npos);
  EXPECT_EQ(text.find("Injected"), std::string::npos);
  EXPECT_EQ(text.find("evil"), std::string::npos);
  EXPECT_EQ(text.find("Bad"), std::string::npos);
}

// The bytes are a well-formed message to an HTTP parser: status, fields and body read back as given.
TEST(ResponseText, BeastsParserReadsBackWhatWasWritten) {
  ServerResponse r = json_response(405, R"({"error":"Method not allowed"})");
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Allow", "GET, POST");
  const std::string text = text_of(r, 11, false);
  boost::beast::http::response_parser<boost::beast::http::string_body> parser;
  parser.eager(true);  // header and body in one put()
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(parser.is_done());
  const auto& msg = parser.get();
  EXPECT_EQ(msg.result_int(), 405);
  EXPECT_EQ(msg.reason(), "Method Not Allowed");
  EXPECT_EQ(msg[boost::beast::http::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ(msg[boost::beast::http::field::allow], "GET, POST");
  EXPECT_FALSE(msg.keep_alive());
  EXPECT_EQ(msg.body(), R"({"error":"Method not allowed"})");
}

}  // namespace
}  // namespace bw::http
