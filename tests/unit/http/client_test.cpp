#include "http/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "support/loopback_server.hpp"

namespace bw::http {
namespace {

using bw::testing::LoopbackServer;
using bw::testing::RecordedRequest;
using bw::testing::Reply;
using core::ErrorCode;
using namespace std::chrono_literals;

std::string detail(const core::Error& e, std::string_view key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return {};
}

Request get(std::string url) {
  Request r;
  r.url = std::move(url);
  r.timeout = 5s;
  return r;
}

TEST(HttpClient, PostSendsHeadersAndBodyExactlyWithoutFormTypeOrExpect) {
  LoopbackServer server([](const RecordedRequest&) {
    return Reply::json(201, R"({"ok":true})").with_header("X-Reply", "yes");
  });
  Client client;
  Request req = get(server.url("/v1/items?a=1&b=two"));
  req.method = "POST";
  req.headers = {{"X-Custom", "value 1"}, {"Authorization", "Bearer t"}, {"X-Empty", ""}};
  // Over curl's Expect threshold and full of bytes a form encoder would touch.
  req.body = std::string(2 * 1024 * 1024, 'x') + "a=b&c=d %20\r\n" + std::string("\0\xff", 2);

  auto res = client.send(req);
  ASSERT_TRUE(res.has_value()) << res.error().to_text();
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, R"({"ok":true})");
  EXPECT_EQ(res->header("x-reply"), "yes");

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/v1/items?a=1&b=two");
  EXPECT_EQ(seen[0].body, req.body);
  EXPECT_EQ(seen[0].header("Content-Length"), std::to_string(req.body.size()));
  EXPECT_EQ(seen[0].header("X-Custom"), "value 1");
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer t");
  EXPECT_EQ(seen[0].header("X-Empty"), "");
  EXPECT_FALSE(seen[0].header("Content-Type").has_value());
  EXPECT_FALSE(seen[0].header("Expect").has_value());
  EXPECT_FALSE(seen[0].header("Transfer-Encoding").has_value());
}

TEST(HttpClient, GetRoundTripReturnsStatusBodyAndSendsUserAgent) {
  LoopbackServer server([](const RecordedRequest& r) { return Reply::text(404, "no " + r.path()); });
  Client client;
  auto res = client.send(get(server.url("/missing?q=1")));
  ASSERT_TRUE(res.has_value()) << res.error().to_text();
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "no /missing");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].body, "");
  EXPECT_FALSE(seen[0].header("Content-Length").has_value());
  EXPECT_TRUE(seen[0].header("User-Agent").value_or("").starts_with("benchling-webhook/"));
}

TEST(HttpClient, GivenContentTypeAndHostAreSentVerbatim) {
  LoopbackServer server;
  Client client;
  Request req = get(server.url("/"));
  req.method = "POST";
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"Host", "sqs.us-east-1.amazonaws.com"}};
  req.body = "{}";
  ASSERT_TRUE(client.send(req).has_value());
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(seen[0].header("Host"), "sqs.us-east-1.amazonaws.com");
}

TEST(HttpClient, EmptyPutAndPostSendContentLengthZeroOnce) {
  LoopbackServer server;
  Client client;
  for (const char* method : {"PUT", "POST"}) {
    Request req = get(server.url("/latest/api/token"));
    req.method = method;
    req.headers = {{"Content-Length", "0"}, {"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
    auto res = client.send(req);
    ASSERT_TRUE(res.has_value()) << method << ": " << res.error().to_text();
    EXPECT_EQ(res->status, 200);
  }
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& r : seen) {
    int lengths = 0;
    for (const auto& [k, v] : r.headers) {
      if (k == "Content-Length" || k == "content-length") {
        ++lengths;
        EXPECT_EQ(v, "0");
      }
    }
    EXPECT_EQ(lengths, 1) << r.method;
    EXPECT_FALSE(r.header("Content-Type").has_value());
  }
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[1].method, "POST");
}

TEST(HttpClient, DeleteAndPatchUseTheirMethods) {
  LoopbackServer server;
  Client client;
  Request del = get(server.url("/queue/1"));
  del.method = "DELETE";
  Request patch = get(server.url("/entry/2"));
  patch.method = "PATCH";
  patch.body = R"({"name":"x"})";
  ASSERT_TRUE(client.send(del).has_value());
  ASSERT_TRUE(client.send(patch).has_value());
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "DELETE");
  EXPECT_EQ(seen[0].body, "");
  EXPECT_EQ(seen[1].method, "PATCH");
  EXPECT_EQ(seen[1].body, patch.body);
}

TEST(HttpClient, ResponseHeaderNamesAreLowercasedAndLookupIsCaseInsensitive) {
  LoopbackServer server([](const RecordedRequest&) {
    return Reply::text(200, "hi").with_header("X-Amz-Request-Id", "  abc  ");
  });
  Client client;
  auto res = client.send(get(server.url("/")));
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->header("X-AMZ-REQUEST-ID"), "abc");
  EXPECT_EQ(res->header("x-amz-request-id"), "abc");
  EXPECT_EQ(find_header(res->headers, "Content-Type"), "text/plain");
  EXPECT_FALSE(res->header("x-missing").has_value());
  for (const auto& [k, v] : res->headers) {
    EXPECT_EQ(k, [&] {
      std::string lower = k;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lower;
    }());
  }
}

TEST(HttpClient, ReplySlowerThanTimeoutIsHealableTransportError) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "late").with_delay(3s); });
  Client client;
  Request req = get(server.url("/slow"));
  req.timeout = 200ms;
  auto res = client.send(req);
  ASSERT_FALSE(res.has_value());  // waited out, the 3 s reply would have arrived
  EXPECT_EQ(res.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(res.error().healable());
  EXPECT_EQ(detail(res.error(), "host"), "127.0.0.1");
  EXPECT_EQ(detail(res.error(), "curl_code"), "28");  // CURLE_OPERATION_TIMEDOUT
}

TEST(HttpClient, ConnectionRefusedIsTransportErrorNamingTheHost) {
  Client client;
  auto res = client.send(get("http://127.0.0.1:" + std::to_string(bw::testing::closed_port()) + "/x"));
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(res.error().healable());
  EXPECT_TRUE(res.error().message.starts_with("cannot reach 127.0.0.1: ")) << res.error().message;
  EXPECT_EQ(detail(res.error(), "host"), "127.0.0.1");
}

TEST(HttpClient, UnresolvableHostIsTransportError) {
  Client client;
  Request req = get("http://no-such-host.invalid/x");  // RFC 6761: never resolves
  req.connect_timeout = 3s;
  auto res = client.send(req);
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kTransport);
  EXPECT_TRUE(res.error().message.starts_with("cannot reach no-such-host.invalid: ")) << res.error().message;
}

TEST(HttpClient, ConnectionClosedMidBodyIsTransportError) {
  LoopbackServer server([](const RecordedRequest&) {
    Reply r = Reply::text(200, std::string(1000, 'b'));
    r.close_after_body_bytes = 100;
    return r;
  });
  Client client;
  auto res = client.send(get(server.url("/partial")));
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kTransport);
}

TEST(HttpClient, ConnectionClosedWithoutReplyIsTransportError) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::dropped(); });
  Client client;
  auto res = client.send(get(server.url("/drop")));
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kTransport);
}

TEST(HttpClient, DeclaredOversizedBodyIsTooLarge) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, std::string(5000, 'z')); });
  Client client;
  Request req = get(server.url("/big"));
  req.max_response_bytes = 1000;
  auto res = client.send(req);
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kTooLarge);
  EXPECT_FALSE(res.error().healable());
  EXPECT_NE(res.error().message.find("larger than 1000 bytes"), std::string::npos) << res.error().message;
}

TEST(HttpClient, UndeclaredOversizedBodyIsAbortedWhileStreaming) {
  // Chunked, so the size is unknown until the bytes arrive; the server would send 1 MiB.
  std::string chunk(64 * 1024, 'c');
  std::string body;
  for (int i = 0; i < 16; ++i) body += "10000\r\n" + chunk + "\r\n";
  body += "0\r\n\r\n";
  LoopbackServer server([&body](const RecordedRequest&) {
    Reply r = Reply::text(200, body);
    r.headers.emplace_back("Transfer-Encoding", "chunked");
    return r;
  });
  Client client;
  Request req = get(server.url("/stream"));
  req.max_response_bytes = 100 * 1024;
  auto res = client.send(req);
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kTooLarge);

  req.max_response_bytes = 2 * 1024 * 1024;  // same stream under a larger limit is fine
  auto ok = client.send(req);
  ASSERT_TRUE(ok.has_value()) << ok.error().to_text();
  EXPECT_EQ(ok->body.size(), 16u * chunk.size());
}

TEST(HttpClient, SequentialRequestsReuseOneConnection) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "ok"); });
  Client client;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.send(get(server.url("/r"))).has_value());
  EXPECT_EQ(server.connection_count(), 1u);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].connection, seen[2].connection);
}

TEST(HttpClient, ServerClosingTheConnectionLeadsToAFreshOne) {
  LoopbackServer server([](const RecordedRequest&) {
    Reply r = Reply::text(200, "bye");
    r.close = true;
    return r;
  });
  Client client;
  ASSERT_TRUE(client.send(get(server.url("/a"))).has_value());
  auto second = client.send(get(server.url("/b")));
  ASSERT_TRUE(second.has_value()) << second.error().to_text();
  EXPECT_EQ(second->body, "bye");
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST(HttpClient, ManyThreadsSendConcurrently) {
  LoopbackServer server([](const RecordedRequest& r) { return Reply::text(200, r.target); });
  Client client;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string target = "/t" + std::to_string(t) + "/" + std::to_string(i);
        Request req = get(server.url(target));
        if (i % 2) {
          req.method = "POST";
          req.body = target;
        }
        auto res = client.send(req);
        if (res && res->status == 200 && res->body == target) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(server.request_count(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_LE(server.connection_count(),
            static_cast<std::size_t>(kThreads));  // pooled, one per busy thread at most
}

TEST(HttpClient, HeadReturnsHeadersWithoutWaitingForABody) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "hello"); });
  Client client;
  Request req = get(server.url("/object"));
  req.method = "HEAD";
  req.timeout = 3s;
  auto res = client.send(req);
  ASSERT_TRUE(res.has_value()) << res.error().to_text();  // waiting for a body would end in the timeout
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->header("content-length"), "5");
  EXPECT_EQ(res->body, "");
  // The connection stays usable afterwards.
  auto after = client.send(get(server.url("/object")));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->body, "hello");
  EXPECT_EQ(server.requests().at(0).method, "HEAD");
}

TEST(HttpClient, RedirectsAreReturnedNotFollowed) {
  LoopbackServer server([](const RecordedRequest&) {
    return Reply::empty(302).with_header("Location", "http://127.0.0.1:1/elsewhere");
  });
  Client client;
  auto res = client.send(get(server.url("/")));
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->header("location"), "http://127.0.0.1:1/elsewhere");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpClient, LoopbackBypassesAProxyFromTheEnvironment) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "direct"); });
  std::string dead_proxy = "http://127.0.0.1:" + std::to_string(bw::testing::closed_port());
  ::setenv("http_proxy", dead_proxy.c_str(), 1);  // curl reads it during send()
  ::setenv("HTTP_PROXY", dead_proxy.c_str(), 1);
  Client client;
  auto res = client.send(get(server.url("/")));
  ::unsetenv("http_proxy");
  ::unsetenv("HTTP_PROXY");
  ASSERT_TRUE(res.has_value()) << res.error().to_text();
  EXPECT_EQ(res->body, "direct");
}

TEST(HttpClient, TrickledBodyWithinTimeoutArrivesWhole) {
  LoopbackServer server([](const RecordedRequest&) {
    Reply r = Reply::text(200, "0123456789");
    r.trickle_interval = 20ms;
    r.trickle_chunk = 3;
    return r;
  });
  Client client;
  auto res = client.send(get(server.url("/trickle")));
  ASSERT_TRUE(res.has_value()) << res.error().to_text();
  EXPECT_EQ(res->body, "0123456789");
}

TEST(HttpClient, AStopEndsAnExchangeThatIsStillWaiting) {
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "late").with_delay(60s); });
  core::StopSource stop;
  Client client;
  Request r = get(server.url("/slow"));
  r.timeout = 120s;
  r.stop = stop.get_token();
  std::thread stopper([&server, &stop] {
    server.wait_for_requests(1, 30s);  // the request is on its way: now stop
    stop.request_stop();
  });
  auto res = client.send(r);
  stopper.join();
  ASSERT_FALSE(res.has_value()) << res->body;
  EXPECT_EQ(res.error().code, ErrorCode::kCancelled) << res.error().to_text();
  EXPECT_EQ(detail(res.error(), "host"), "127.0.0.1");
  // The pooled handle serves the next exchange, which has no stop token, normally.
  server.set_reply(Reply::text(200, "next"));
  auto next = client.send(get(server.url("/next")));
  ASSERT_TRUE(next.has_value()) << next.error().to_text();
  EXPECT_EQ(next->body, "next");
}

TEST(HttpClient, AStopRequestedBeforehandSendsNothing) {
  LoopbackServer server;
  core::StopSource stop;
  stop.request_stop();
  Client client;
  Request r = get(server.url("/never"));
  r.stop = stop.get_token();
  auto res = client.send(r);
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClient, ErrorsNeverContainPathQueryHeadersOrBody) {
  const std::string secret = "SuperSecretSignature123";
  LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "x").with_delay(2s); });
  Client client;
  std::vector<std::string> urls = {
      server.url("/" + secret + "/path?X-Amz-Signature=" + secret),
      "http://127.0.0.1:" + std::to_string(bw::testing::closed_port()) + "/p?token=" + secret,
  };
  for (const auto& url : urls) {
    Request req = get(url);
    req.method = "POST";
    req.timeout = 100ms;
    req.headers = {{"Authorization", secret}};
    req.body = secret;
    auto res = client.send(req);
    ASSERT_FALSE(res.has_value());
    std::string text = res.error().to_text();
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    EXPECT_EQ(text.find("X-Amz-Signature"), std::string::npos) << text;
  }
}

TEST(HttpClient, HeaderWithLineBreakIsRejectedBeforeAnyIo) {
  LoopbackServer server;
  Client client;
  Request req = get(server.url("/"));
  req.headers = {{"X-Injected", "a\r\nX-Evil: 1"}};
  auto res = client.send(req);
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(res.error().to_text().find("X-Evil"), std::string::npos);

  req.headers = {{"Bad Name", "v"}};
  EXPECT_EQ(client.send(req).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST(HttpClient, NonHttpOrMalformedUrlIsInvalidArgument) {
  Client client;
  for (const char* url : {"ftp://example.com/x", "file:///etc/passwd", "not a url", "", "http://"}) {
    auto res = client.send(get(url));
    ASSERT_FALSE(res.has_value()) << url;
    EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_FALSE(res.error().healable());
  }
  Request bad_method = get("http://127.0.0.1:1/");
  bad_method.method = "GET /x HTTP/1.1\r\n";
  EXPECT_EQ(client.send(bad_method).error().code, ErrorCode::kInvalidArgument);
}

TEST(LoopbackServer, SequenceRepliesInOrderThenRepeatsTheLast) {
  LoopbackServer server(bw::testing::sequence({Reply::json(500, "{}"), Reply::json(200, R"({"n":2})")}));
  Client client;
  std::vector<int> statuses;
  for (int i = 0; i < 3; ++i) statuses.push_back(client.send(get(server.url("/"))).value().status);
  EXPECT_EQ(statuses, (std::vector<int>{500, 200, 200}));
  EXPECT_TRUE(server.wait_for_requests(3, 1s));
  server.clear_requests();
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(LoopbackServer, DestructorReturnsPromptlyDuringALongDelay) {
  std::thread caller;
  std::optional<core::Result<Response>> answer;
  {
    LoopbackServer server([](const RecordedRequest&) { return Reply::text(200, "x").with_delay(30s); });
    std::string url = server.url("/");
    caller = std::thread([url, &answer] {
      Client client;
      Request req = get(url);
      req.timeout = 120s;
      answer = client.send(req);
    });
    EXPECT_TRUE(server.wait_for_requests(1, 5s));
  }
  caller.join();
  // The destructor closed the connection mid-delay: the caller saw it drop, never the delayed reply.
  ASSERT_TRUE(answer);
  EXPECT_FALSE(answer->has_value());
}

}  // namespace
}  // namespace bw::http

namespace bw::http {
namespace {

TEST(ClientStreaming, SuccessfulBodyGoesToTheSinkInChunksNotTheResponse) {
  bw::testing::LoopbackServer server([](const bw::testing::RecordedRequest&) {
    return bw::testing::Reply::text(200, std::string(3 * 1024 * 1024, 'z'));
  });
  Client client;
  Request req;
  req.url = server.url("/big");
  req.max_response_bytes = 8 * 1024 * 1024;
  std::size_t total = 0, chunks = 0;
  req.body_sink = [&](std::string_view chunk) {
    total += chunk.size();
    ++chunks;
    return chunk.find_first_not_of('z') == std::string_view::npos;
  };
  auto r = client.send(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(total, 3u * 1024 * 1024);
  EXPECT_GT(chunks, 1u);
}

TEST(ClientStreaming, ErrorBodiesAreBufferedForTheCaller) {
  bw::testing::LoopbackServer server([](const bw::testing::RecordedRequest&) {
    return bw::testing::Reply::json(404, R"({"error":"gone"})");
  });
  Client client;
  Request req;
  req.url = server.url("/missing");
  bool called = false;
  req.body_sink = [&](std::string_view) { return called = true; };
  auto r = client.send(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, R"({"error":"gone"})");
  EXPECT_FALSE(called);
}

TEST(ClientStreaming, SinkRefusalAbortsTheTransfer) {
  bw::testing::LoopbackServer server([](const bw::testing::RecordedRequest&) {
    return bw::testing::Reply::text(200, std::string(1024 * 1024, 'z'));
  });
  Client client;
  Request req;
  req.url = server.url("/big");
  req.body_sink = [](std::string_view) { return false; };
  auto r = client.send(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInternal);
}

TEST(ClientStreaming, LimitStillBoundsAStreamedBody) {
  bw::testing::LoopbackServer server([](const bw::testing::RecordedRequest&) {
    return bw::testing::Reply::text(200, std::string(2 * 1024 * 1024, 'z'));
  });
  Client client;
  Request req;
  req.url = server.url("/big");
  req.max_response_bytes = 1024 * 1024;
  req.body_sink = [](std::string_view) { return true; };
  auto r = client.send(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace bw::http
