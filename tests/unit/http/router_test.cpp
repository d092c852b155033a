#include "http/router.hpp"

#include <gtest/gtest.h>

namespace bw::http {
namespace {

ServerRequest request(std::string method, std::string path) {
  ServerRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.target = r.path;
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
  EXPECT_TRUE(router.match("POST", "/prod/event").blocking);
  EXPECT_EQ(router.dispatch(request("POST", "/a/b/event")).status, 404);  // two segments
  EXPECT_EQ(router.dispatch(request("POST", "//event")).status, 404);     // empty segment
  EXPECT_EQ(router.dispatch(request("POST", "/prodevent")).status, 404);
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
