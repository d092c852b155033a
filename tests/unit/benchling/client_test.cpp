#include "benchling/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "core/encoding.hpp"
#include "core/json.hpp"
#include "support/loopback_server.hpp"

namespace bw::benchling {
namespace {

using std::chrono::milliseconds;
using testing::RecordedRequest;
using testing::Reply;

constexpr char kSecret[] = "cs-Zq81UsecretValue";

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BW_FIXTURES_DIR) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

//! One loopback server as the tenant: /api/v2/token hands out tok-1, tok-2, ... (only for the
//! accepted secret); every other path goes to `api`, which the test scripts.
struct ApiHarness {
  ApiHarness()
      : tokens(http, server.url(), [this] { return creds(); }),
        client(http, tokens, server.url(),
               {.retry = {.max_attempts = 5,
                          .base = milliseconds(500),
                          .cap = milliseconds(32000),
                          .max_requested_delay = milliseconds(60000),
                          .jitter_seed = 7},
                .sleep =
                    [this](milliseconds d, const core::StopToken&) {
                      record_sleep(d);
                      return true;
                    },
                .on_unauthorized = [this] { on_unauthorized(); }}) {
    server.set_handler([this](const RecordedRequest& r) {
      if (r.path() == "/api/v2/token") {
        std::lock_guard lock(mutex);
        if (token_outages > 0) {
          --token_outages;
          return Reply::json(503, "{}");
        }
        if (r.header("Authorization") !=
            "Basic " + core::base64_encode(current.client_id + ":" + accepted_secret)) {
          return Reply::json(401, R"({"error":"invalid_client"})");
        }
        return Reply::json(200, R"({"access_token":"tok-)" + std::to_string(++issued) +
                                    R"(","token_type":"Bearer","expires_in":900})");
      }
      std::function<Reply(const RecordedRequest&)> handler;
      {
        std::lock_guard lock(mutex);
        handler = api;
      }
      return handler(r);
    });
  }

  ClientCredentials creds() {
    std::lock_guard lock(mutex);
    return current;
  }
  void record_sleep(milliseconds d) {
    std::lock_guard lock(mutex);
    sleeps.push_back(d);
  }
  void on_unauthorized() {
    std::lock_guard lock(mutex);
    ++unauthorized_calls;
    current.client_secret = rotated_secret;  // the owner re-reads the secret
  }
  void set_api(std::function<Reply(const RecordedRequest&)> h) {
    std::lock_guard lock(mutex);
    api = std::move(h);
  }
  //! Requests other than the token endpoint's.
  std::vector<RecordedRequest> api_requests() const {
    std::vector<RecordedRequest> out;
    for (auto& r : server.requests()) {
      if (r.path() != "/api/v2/token") out.push_back(r);
    }
    return out;
  }

  std::mutex mutex;
  ClientCredentials current{"wqFfVOhbYe", kSecret};
  std::string accepted_secret = kSecret;
  std::string rotated_secret = kSecret;
  int issued = 0;
  int unauthorized_calls = 0;
  int token_outages = 0;  //!< the token endpoint answers 503 this many times first
  std::vector<milliseconds> sleeps;
  std::function<Reply(const RecordedRequest&)> api = [](const RecordedRequest&) {
    return Reply::json(200, "{}");
  };

  testing::LoopbackServer server;
  http::Client http;
  TokenSource tokens;
  Client client;
};

TEST(BenchlingClient, GetEntrySendsTheBearerTokenAndReturnsTheEntryObject) {
  ApiHarness h;
  const std::string fixture = read_fixture("benchling-events/entry.json");
  ASSERT_FALSE(fixture.empty());
  h.set_api([&](const RecordedRequest&) { return Reply::json(200, fixture); });

  auto entry = h.client.get_entry("etr_0uKCQZ8f");
  ASSERT_TRUE(entry) << entry.error().to_text();
  EXPECT_EQ(core::get_string(*entry, "displayId"), "EXP25000007");
  EXPECT_TRUE(entry->contains("days"));

  auto reqs = h.api_requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].target, "/api/v2/entries/etr_0uKCQZ8f");
  EXPECT_EQ(reqs[0].header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(reqs[0].header("Accept"), "application/json");
}

TEST(BenchlingClient, TokenIsReusedAcrossCalls) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(200, R"({"entry":{}})"); });
  ASSERT_TRUE(h.client.get_entry("etr_1"));
  ASSERT_TRUE(h.client.get_entry("etr_2"));
  EXPECT_EQ(h.tokens.fetch_count(), 1u);
}

TEST(BenchlingClient, IdsArePercentEncodedIntoThePath) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(200, R"({"entry":{}})"); });
  ASSERT_TRUE(h.client.get_entry("etr/../x y?z"));
  EXPECT_EQ(h.api_requests().at(0).target, "/api/v2/entries/etr%2F..%2Fx%20y%3Fz");
}

TEST(BenchlingClient, EntryReplyWithoutEntryObjectIsAnError) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(200, R"({"id":"etr_1"})"); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kRemote);
}

TEST(BenchlingClient, StartExportPostsTheEntryIdAndReturnsTheTaskId) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(202, R"({"taskId":"task_9x"})"); });
  auto task = h.client.start_export("etr_1");
  ASSERT_TRUE(task) << task.error().to_text();
  EXPECT_EQ(*task, "task_9x");
  auto req = h.api_requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/api/v2/exports");
  EXPECT_EQ(req.header("Content-Type"), "application/json");
  EXPECT_EQ(boost::json::parse(req.body), boost::json::parse(R"({"id":"etr_1"})"));
}

TEST(BenchlingClient, StartExportWithoutTaskIdSaysSo) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(202, R"({"status":"RUNNING"})"); });
  auto task = h.client.start_export("etr_1");
  ASSERT_FALSE(task);
  EXPECT_EQ(task.error().message, "Export initiated but task ID not found in response");
}

TEST(BenchlingClient, GetTaskReadsStatusAndDownloadUrl) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) {
    return Reply::json(200, R"({"id":"task_1","status":"SUCCEEDED",
                               "response":{"downloadURL":"https://s3.example/x.zip?X-Amz-Signature=abc"}})");
  });
  auto task = h.client.get_task("task_1");
  ASSERT_TRUE(task) << task.error().to_text();
  EXPECT_EQ(task->status, "SUCCEEDED");
  EXPECT_EQ(task->download_url, "https://s3.example/x.zip?X-Amz-Signature=abc");
  EXPECT_FALSE(task->message);
  EXPECT_EQ(h.api_requests().at(0).target, "/api/v2/tasks/task_1");
}

TEST(BenchlingClient, FailedTaskCarriesBenchlingsReason) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) {
    return Reply::json(200, R"({"status":"FAILED","message":"Export failed",
                               "errors":[{"message":"Entry is too large to export"},"timeout"]})");
  });
  auto task = h.client.get_task("task_1");
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, "FAILED");
  EXPECT_FALSE(task->download_url);
  EXPECT_EQ(task->message, "Export failed; Entry is too large to export; timeout");
}

TEST(BenchlingClient, RunningTaskHasNeitherUrlNorMessage) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(200, R"({"status":"RUNNING"})"); });
  auto task = h.client.get_task("task_1");
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, "RUNNING");
  EXPECT_FALSE(task->download_url);
  EXPECT_FALSE(task->message);
}

TEST(BenchlingClient, TooManyRequestsWaitsRetryAfterThenSucceeds) {
  ApiHarness h;
  h.set_api(testing::sequence(
      {Reply::json(429, R"({"error":{"message":"slow down"}})").with_header("Retry-After", "3"),
       Reply::json(200, R"({"entry":{"id":"etr_1"}})")}));
  auto entry = h.client.get_entry("etr_1");
  ASSERT_TRUE(entry) << entry.error().to_text();
  EXPECT_EQ(h.api_requests().size(), 2u);
  EXPECT_EQ(h.sleeps, std::vector<milliseconds>{milliseconds(3000)});
}

TEST(BenchlingClient, RetryAfterIsCapped) {
  ApiHarness h;
  h.set_api(testing::sequence(
      {Reply::json(429, "{}").with_header("Retry-After", "86400"), Reply::json(200, R"({"entry":{}})")}));
  ASSERT_TRUE(h.client.get_entry("etr_1"));
  EXPECT_EQ(h.sleeps, std::vector<milliseconds>{milliseconds(60000)});
}

TEST(BenchlingClient, ServiceUnavailableIsRetriedWithJitteredBackoff) {
  ApiHarness h;
  h.set_api(testing::sequence({Reply::json(503, "{}"), Reply::json(502, "{}"), Reply::json(504, "{}"),
                               Reply::json(200, R"({"entry":{}})")}));
  ASSERT_TRUE(h.client.get_entry("etr_1"));
  EXPECT_EQ(h.api_requests().size(), 4u);
  ASSERT_EQ(h.sleeps.size(), 3u);
  EXPECT_LE(h.sleeps[0], milliseconds(500));
  EXPECT_LE(h.sleeps[1], milliseconds(1000));
  EXPECT_LE(h.sleeps[2], milliseconds(2000));
}

TEST(BenchlingClient, GivesUpAfterFiveAttemptsWithAHealableError) {
  ApiHarness h;
  h.set_api(
      [](const RecordedRequest&) { return Reply::json(503, R"({"error":{"message":"maintenance"}})"); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(h.api_requests().size(), 5u);
  EXPECT_EQ(h.sleeps.size(), 4u);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kRemote);
  EXPECT_TRUE(entry.error().healable());
  EXPECT_EQ(detail(entry.error(), "status"), "503");
  EXPECT_EQ(detail(entry.error(), "benchling_message"), "maintenance");
}

TEST(BenchlingClient, NotFoundIsNotRetriedAndNamesTheEntry) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) {
    return Reply::json(404, R"({"error":{"message":"Entry not found","type":"invalid_request_error"}})");
  });
  auto entry = h.client.get_entry("etr_missing");
  ASSERT_FALSE(entry);
  const core::Error& e = entry.error();
  EXPECT_EQ(e.code, core::ErrorCode::kGone);
  EXPECT_FALSE(e.healable());  // a deleted entry stays deleted: no backoff before the dead-letter queue
  EXPECT_EQ(e.message, "Benchling entry not found: etr_missing");
  EXPECT_EQ(detail(e, "status"), "404");
  EXPECT_EQ(detail(e, "benchling_message"), "Entry not found");
  EXPECT_EQ(detail(e, "benchling_error_type"), "invalid_request_error");
  EXPECT_EQ(detail(e, "path"), "/api/v2/entries/etr_missing");
  EXPECT_FALSE(e.healable());
  EXPECT_EQ(h.api_requests().size(), 1u);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(BenchlingClient, ForbiddenSuggestsGivingTheAppAccess) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(403, R"({"error":{"message":"Forbidden"}})"); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_NE(entry.error().suggestion.find("access to the project"), std::string::npos);
  EXPECT_EQ(h.api_requests().size(), 1u);
}

TEST(BenchlingClient, OtherClientErrorsAreFinalAndQuoteBenchling) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) {
    return Reply::json(400, R"({"error":{"message":"blocks[0].id is required"}})");
  });
  auto r = h.client.update_canvas("cnvs_1", {{"blocks", boost::json::array{}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kRejected);
  EXPECT_FALSE(r.error().healable());
  EXPECT_NE(r.error().message.find("blocks[0].id is required"), std::string::npos);
  EXPECT_EQ(h.api_requests().size(), 1u);
}

TEST(BenchlingClient, UnauthorizedRefreshesTheTokenOnceAndRetries) {
  ApiHarness h;
  h.set_api(testing::sequence({Reply::json(401, R"({"error":{"message":"expired"}})"),
                               Reply::json(200, R"({"entry":{"id":"etr_1"}})")}));
  auto entry = h.client.get_entry("etr_1");
  ASSERT_TRUE(entry) << entry.error().to_text();
  auto reqs = h.api_requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(reqs[1].header("Authorization"), "Bearer tok-2");
  EXPECT_EQ(h.unauthorized_calls, 1);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(BenchlingClient, UnauthorizedTwiceIsAnErrorNotALoop) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(401, R"({"error":{"message":"no"}})"); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kCredentials);
  EXPECT_EQ(detail(entry.error(), "status"), "401");
  EXPECT_EQ(h.api_requests().size(), 2u);
  EXPECT_EQ(h.tokens.fetch_count(), 2u);
  EXPECT_EQ(h.unauthorized_calls, 1);
}

TEST(BenchlingClient, RotatedClientSecretIsPickedUpAfterTheTokenEndpointRejectsTheOldOne) {
  ApiHarness h;
  h.accepted_secret = "cs-new-after-rotation";
  h.rotated_secret = "cs-new-after-rotation";
  h.set_api([](const RecordedRequest&) { return Reply::json(200, R"({"entry":{}})"); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_TRUE(entry) << entry.error().to_text();
  EXPECT_EQ(h.unauthorized_calls, 1);
  EXPECT_EQ(h.tokens.fetch_count(), 2u);
}

TEST(BenchlingClient, RejectedClientSecretFailsAfterOneRefresh) {
  ApiHarness h;
  h.accepted_secret = "cs-something-else";
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kCredentials);
  EXPECT_EQ(entry.error().message, "Benchling rejected the app's client credentials");
  EXPECT_EQ(h.unauthorized_calls, 1);
  EXPECT_EQ(h.tokens.fetch_count(), 2u);
  EXPECT_TRUE(h.api_requests().empty());
}

TEST(BenchlingClient, ErrorsNeverContainTheTokenOrTheClientSecret) {
  ApiHarness h;
  // A reply that quotes our token back must not carry it into the error.
  h.set_api([](const RecordedRequest& r) {
    return Reply::json(401, R"({"error":{"message":"token )" + r.header("Authorization").value_or("") +
                                R"( is not valid"}})");
  });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  const std::string text = entry.error().to_text() + core::to_json_text(entry.error().to_json());
  EXPECT_EQ(text.find("tok-"), std::string::npos) << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
  EXPECT_NE(text.find("[redacted]"), std::string::npos) << text;
}

TEST(BenchlingClient, TokenEndpointOutageIsRetriedLikeAnyCall) {
  ApiHarness h;
  h.token_outages = 2;
  h.set_api([](const RecordedRequest&) { return Reply::json(200, R"({"entry":{}})"); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_TRUE(entry) << entry.error().to_text();
  EXPECT_EQ(h.tokens.fetch_count(), 3u);
  EXPECT_EQ(h.sleeps.size(), 2u);
  EXPECT_EQ(h.unauthorized_calls, 0);
}

TEST(BenchlingClient, OversizedReplyIsRefusedNotBuffered) {
  ApiHarness h;
  const std::string huge = R"({"entry":{"x":")" + std::string(kMaxJsonResponseBytes, 'a') + R"("}})";
  h.set_api([&](const RecordedRequest&) { return Reply::json(200, huge); });
  auto entry = h.client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kTooLarge);
  EXPECT_EQ(h.api_requests().size(), 1u);
}

TEST(BenchlingClient, TransportErrorsAreRetriedThenReported) {
  http::Client http;
  const std::string dead = "http://127.0.0.1:" + std::to_string(testing::closed_port());
  TokenSource tokens(http, dead, [] { return ClientCredentials{"id", kSecret}; });
  std::vector<milliseconds> sleeps;
  Client client(http, tokens, dead, {.sleep = [&](milliseconds d, const core::StopToken&) {
                  sleeps.push_back(d);
                  return true;
                }});
  auto entry = client.get_entry("etr_1");
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().code, core::ErrorCode::kTransport);
  EXPECT_TRUE(entry.error().healable());
  EXPECT_EQ(sleeps.size(), 4u);
}

TEST(BenchlingClient, CanvasCallsUseAppCanvasesPaths) {
  ApiHarness h;
  h.set_api([](const RecordedRequest& r) {
    if (r.method == "POST") return Reply::json(201, R"({"id":"cnvs_new","resourceId":"etr_1"})");
    return Reply::json(200, R"({"id":"cnvs_1","resourceId":"etr_1","blocks":[]})");
  });
  auto got = h.client.get_canvas("cnvs_1");
  ASSERT_TRUE(got) << got.error().to_text();
  EXPECT_EQ(core::get_string(*got, "resourceId"), "etr_1");

  boost::json::object update{{"blocks", boost::json::array{{{"id", "md1"}, {"type", "MARKDOWN"}}}},
                             {"enabled", true}};
  ASSERT_TRUE(h.client.update_canvas("cnvs_1", update));

  auto created = h.client.create_canvas({{"resourceId", "etr_1"}, {"featureId", "quilt_integration"}});
  ASSERT_TRUE(created) << created.error().to_text();
  EXPECT_EQ(*created, "cnvs_new");

  auto reqs = h.api_requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].target, "/api/v2/app-canvases/cnvs_1");
  EXPECT_EQ(reqs[1].method, "PATCH");
  EXPECT_EQ(reqs[1].target, "/api/v2/app-canvases/cnvs_1");
  EXPECT_EQ(boost::json::parse(reqs[1].body), boost::json::value(update));
  EXPECT_EQ(reqs[2].method, "POST");
  EXPECT_EQ(reqs[2].target, "/api/v2/app-canvases");
}

TEST(BenchlingClient, MissingCanvasIsGone) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::json(404, "{}"); });
  auto r = h.client.update_canvas("cnvs_gone", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kGone);
  EXPECT_EQ(r.error().message, "Benchling app canvas not found: cnvs_gone");
}

TEST(BenchlingClient, EmptyIdIsRejectedWithoutARequest) {
  ApiHarness h;
  EXPECT_FALSE(h.client.get_entry(""));
  EXPECT_FALSE(h.client.get_task(""));
  EXPECT_TRUE(h.server.requests().empty());
}

// --- download ---

std::string big_body(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = char('a' + i * 7 % 26);
  return s;
}

TEST(BenchlingClient, DownloadStreamsChunksWithoutAuthorization) {
  ApiHarness h;
  const std::string body = big_body(600 * 1024);
  h.set_api([&](const RecordedRequest&) { return Reply::text(200, body); });
  ASSERT_TRUE(h.tokens.token());  // a token is cached, so a leak would show
  h.server.clear_requests();

  std::string got;
  int chunks = 0;
  auto bytes =
      h.client.download(h.server.url("/downloads/task_1.zip?X-Amz-Signature=sig"), [&](std::string_view c) {
        got.append(c);
        ++chunks;
        return true;
      });
  ASSERT_TRUE(bytes) << bytes.error().to_text();
  EXPECT_EQ(*bytes, body.size());
  EXPECT_EQ(got, body);
  EXPECT_GT(chunks, 1);
  auto reqs = h.server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/downloads/task_1.zip?X-Amz-Signature=sig");
  EXPECT_FALSE(reqs[0].header("Authorization"));
}

TEST(BenchlingClient, DownloadRetriesAServerErrorBeforeAnyByte) {
  ApiHarness h;
  h.set_api(testing::sequence({Reply::text(503, "busy"), Reply::text(200, "PK-zip-bytes")}));
  std::string got;
  auto bytes = h.client.download(h.server.url("/downloads/t.zip"), [&](std::string_view c) {
    got.append(c);
    return true;
  });
  ASSERT_TRUE(bytes) << bytes.error().to_text();
  EXPECT_EQ(got, "PK-zip-bytes");
  EXPECT_EQ(h.sleeps.size(), 1u);
}

TEST(BenchlingClient, DownloadCutMidStreamIsNotRetried) {
  ApiHarness h;
  Reply cut = Reply::text(200, big_body(200 * 1024));
  cut.close_after_body_bytes = 50 * 1024;
  h.set_api([cut](const RecordedRequest&) { return cut; });
  std::uint64_t seen = 0;
  auto bytes = h.client.download(h.server.url("/downloads/t.zip"), [&](std::string_view c) {
    seen += c.size();
    return true;
  });
  ASSERT_FALSE(bytes);
  EXPECT_TRUE(bytes.error().healable());
  EXPECT_EQ(h.server.request_count(), 1u);
  EXPECT_EQ(detail(bytes.error(), "bytes_received"), std::to_string(seen));
}

TEST(BenchlingClient, DownloadStoppedByTheSinkEndsAtOnce) {
  ApiHarness h;
  h.set_api([](const RecordedRequest&) { return Reply::text(200, big_body(300 * 1024)); });
  auto bytes = h.client.download(h.server.url("/downloads/t.zip"), [](std::string_view) { return false; });
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(h.server.request_count(), 1u);
}

TEST(BenchlingClient, DownloadErrorsOmitThePresignedQuery) {
  ApiHarness h;
  h.set_api(
      [](const RecordedRequest&) { return Reply::text(403, "<Error><Code>AccessDenied</Code></Error>"); });
  auto bytes = h.client.download(
      h.server.url("/downloads/t.zip?X-Amz-Security-Token=SESSIONTOKEN&X-Amz-Signature=SIG123"),
      [](std::string_view) { return true; });
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, core::ErrorCode::kAccessDenied);
  const std::string text = bytes.error().to_text();
  EXPECT_EQ(text.find("SESSIONTOKEN"), std::string::npos) << text;
  EXPECT_EQ(text.find("SIG123"), std::string::npos) << text;
  EXPECT_NE(text.find("/downloads/t.zip"), std::string::npos) << text;
}

TEST(RetryAfter, ParsesDelaySecondsOnly) {
  EXPECT_EQ(parse_retry_after("120"), milliseconds(120000));
  EXPECT_EQ(parse_retry_after(" 5 "), milliseconds(5000));
  EXPECT_EQ(parse_retry_after("0"), milliseconds(0));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("-1"));
  EXPECT_FALSE(parse_retry_after("1.5"));
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("99999999999999999999"));
}

}  // namespace
}  // namespace bw::benchling
