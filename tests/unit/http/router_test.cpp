#include "http/router.hpp"

#include <gtest/gtest.h>

namespace bw::http {
namespace {

ServerRequest request(std::string method, std::string path, std::string body = "") {
  ServerRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.target = r.path;
  r.body = std::move(body);
  return r;
}

Router make_router() {
  Router router;
  router.add("GET", "/health", [](const ServerRequest&) { return json_response(200, "health"); });
  router.add(
      "POST", "/event", [](const ServerRequest&) { return json_response(200, "event"); },
      Router::Prefix::kAnyOneSegment, true);
  return router;
}

TEST(Router, ExactRouteDispatchesToItsHandler) {
  Router router = make_router();
  EXPECT_EQ(router.dispatch(request("GET", "/health")).body, "health");
  EXPECT_EQ(router.dispatch(request("GET", "/prod/health")).status, 404);  // exact routes take no prefix
}

TEST(Router, StagePrefixOfOneSegmentReachesPrefixedRoutes) {
  Router router = make_router();
  EXPECT_EQ(router.dispatch(request("POST", "/event")).body, "event");
  EXPECT_EQ(router.dispatch(request("POST", "/prod/event")).body, "event");
  EXPECT_EQ(router.dispatch(request("POST", "/custom-stage/event")).body, "event");
  // A blocking route defers its whole work, so the server runs it off the I/O thread.
  const Router::Match m = router.match("POST", "/prod/event");
  ASSERT_TRUE(m.handler);
  const Reply reply = (*m.handler)(request("POST", "/prod/event"));
  EXPECT_FALSE(reply.now);
  ASSERT_TRUE(reply.later);
  EXPECT_EQ(reply.later().body, "event");
  EXPECT_TRUE((*router.match("GET", "/health").handler)(request("GET", "/health")).now);
  EXPECT_EQ(router.dispatch(request("POST", "/a/b/event")).status, 404);  // two segments
  EXPECT_EQ(router.dispatch(request("POST", "//event")).status, 404);     // empty segment
  EXPECT_EQ(router.dispatch(request("POST", "/prodevent")).status, 404);
}

TEST(Router, StagedRouteAnswersAtOnceOrDefersTheRest) {
  Router router;
  router.add_staged("POST", "/hook", [](const ServerRequest& r) {
    if (r.body == "quick") return Reply::answer(json_response(200, "now"));
    return Reply::defer([body = r.body] { return json_response(202, "later:" + body); });
  });
  EXPECT_EQ(router.dispatch(request("POST", "/hook", "quick")).body, "now");
  EXPECT_EQ(router.dispatch(request("POST", "/hook", "slow")).body, "later:slow");
  EXPECT_EQ(router.dispatch(request("GET", "/hook")).status, 405);
}

TEST(Router, UnknownPathIsJson404) {
  ServerResponse r = make_router().dispatch(request("GET", "/nope"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":"Endpoint not found"})");
}

TEST(Router, WrongMethodIsJson405WithAllow) {
  ServerResponse r = make_router().dispatch(request("DELETE", "/prod/event"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error":"Method not allowed","allowed":"POST"})");
  ASSERT_TRUE(find_header(r.headers, "allow"));
  EXPECT_EQ(*find_header(r.headers, "allow"), "POST");
}

}  // namespace
}  // namespace bw::http
