#include "core/log_context.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <thread>

#include "core/log.hpp"

namespace bw::core::log {
namespace {

//! The JSON object of the one line `write` printed to stderr.
boost::json::object logged(const std::function<void()>& write) {
  ::testing::internal::CaptureStderr();
  write();
  std::string out = ::testing::internal::GetCapturedStderr();
  return boost::json::parse(out).as_object();
}

TEST(LogContext, EveryLineInsideAScopeCarriesItsRequestId) {
  RequestScope scope("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  auto line = logged([] { info("webhook", {{"route", "event"}}); });
  EXPECT_EQ(line["request_id"], "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  EXPECT_EQ(line["route"], "event");
}

TEST(LogContext, LinesOutsideAnyScopeHaveNoRequestId) {
  auto line = logged([] { info("listening"); });
  EXPECT_FALSE(line.contains("request_id"));
}

TEST(LogContext, ScopesNestAndRestoreThePreviousId) {
  RequestScope outer("outer");
  {
    RequestScope inner("inner");
    EXPECT_EQ(request_id(), "inner");
    set_request_id("learned");  // replaced within the inner scope only
    EXPECT_EQ(request_id(), "learned");
  }
  EXPECT_EQ(request_id(), "outer");
}

TEST(LogContext, AFieldNamedRequestIdOverridesTheScope) {
  RequestScope scope("from-scope");
  auto line = logged([] { info("x", {{"request_id", "explicit"}}); });
  EXPECT_EQ(line["request_id"], "explicit");
}

TEST(LogContext, TheRequestIdBelongsToTheThreadThatSetIt) {
  RequestScope scope("main-thread");
  std::string seen = "unset";
  std::thread([&] { seen = std::string(request_id()); }).join();
  EXPECT_EQ(seen, "");
  EXPECT_EQ(request_id(), "main-thread");
}

TEST(LogContext, AWellFormedWebhookIdIsTheRequestId) {
  EXPECT_EQ(request_id_for("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "{}"), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  EXPECT_EQ(request_id_for("a.b:c-d_e", "{}"), "a.b:c-d_e");
  EXPECT_EQ(request_id_for(std::string(128, 'x'), "{}"), std::string(128, 'x'));
}

TEST(LogContext, AMissingOrMalformedWebhookIdGetsAStableDerivedId) {
  const std::string body = R"({"message":{"type":"v2.app.installed"}})";
  const std::string from_body = request_id_for("", body);
  EXPECT_EQ(from_body.size(), 4u + 24u);
  EXPECT_EQ(from_body.rfind("req_", 0), 0u);
  EXPECT_EQ(request_id_for("", body), from_body);  // intake and worker agree
  EXPECT_NE(request_id_for("", body + " "), from_body);
  // Malformed ids (spaces, quotes, newlines, non-ASCII, too long) are never logged as the request id.
  for (std::string bad : {std::string("a b"), std::string("x\"y"), std::string("x\ny"),
                          std::string("caf\xC3\xA9"), std::string(129, 'x')}) {
    const std::string id = request_id_for(bad, body);
    EXPECT_EQ(id.rfind("req_", 0), 0u) << bad;
    EXPECT_TRUE(is_well_formed_request_id(id)) << bad;
    EXPECT_NE(id, from_body) << "derived from the webhook-id, not the body: " << bad;
  }
}

}  // namespace
}  // namespace bw::core::log
