#include "benchling/entries_page.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "benchling/client.hpp"
#include "support/loopback_server.hpp"

namespace bw::benchling {
namespace {

using std::chrono::milliseconds;
using testing::RecordedRequest;
using testing::Reply;

TEST(EntriesQuery, SetParametersInAFixedOrderPercentEncoded) {
  EntriesQuery q;
  q.next_token = "W3si+/=";
  q.sort = "modifiedAt:desc";
  q.modified_at = "> 2024-01-01T00:00:00Z AND < 2024-02-01T00:00:00Z";
  q.project_id = "src_1";
  q.schema_id = "ts_2";
  q.archive_reason = "NOT_ARCHIVED";
  q.ids = {"etr_1", "etr_2"};
  q.display_ids = {"EXP1"};
  EXPECT_EQ(entries_query_string(q),
            "?pageSize=100&nextToken=W3si%2B%2F%3D&sort=modifiedAt%3Adesc"
            "&modifiedAt=%3E%202024-01-01T00%3A00%3A00Z%20AND%20%3C%202024-02-01T00%3A00%3A00Z"
            "&projectId=src_1&schemaId=ts_2&archiveReason=NOT_ARCHIVED&ids=etr_1%2Cetr_2&displayIds=EXP1");
  EntriesQuery sized;
  sized.page_size = 500;
  EXPECT_EQ(entries_query_string(sized), "?pageSize=100");  // the spec's maximum
  sized.page_size = 0;
  EXPECT_EQ(entries_query_string(sized), "?pageSize=1");
}

TEST(EntriesPage, ParsesEntriesAndTheNextToken) {
  auto page = parse_entries_page(
      R"({"entries":[{"id":"etr_1","displayId":"EXP1","name":"One","modifiedAt":"2025-01-01T00:00:00Z","days":[]},
                     {"id":"etr_2","displayId":null}],"nextToken":"abc"})");
  ASSERT_TRUE(page) << page.error().to_text();
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].id, "etr_1");
  EXPECT_EQ(page->entries[0].display_id, "EXP1");
  EXPECT_EQ(page->entries[0].name, "One");
  EXPECT_EQ(page->entries[0].modified_at, "2025-01-01T00:00:00Z");
  EXPECT_EQ(page->entries[1].display_id, "");
  EXPECT_EQ(page->next_token, "abc");
}

TEST(EntriesPage, TheLastPageHasAnEmptyOrNoToken) {
  EXPECT_EQ(parse_entries_page(R"({"entries":[],"nextToken":""})").value().next_token, "");
  EXPECT_EQ(parse_entries_page(R"({"entries":[]})").value().next_token, "");
  EXPECT_TRUE(parse_entries_page(R"({})").value().entries.empty());
}

TEST(EntriesPage, MalformedRepliesAreRemoteErrors) {
  std::string many = R"({"entries":[)";
  for (int i = 0; i < 101; ++i)
    many += std::string(i ? "," : "") + R"({"id":"e)" + std::to_string(i) + R"("})";
  many += "]}";
  for (const std::string& bad : std::vector<std::string>{
           "not json", "[]", R"({"entries":{}})", R"({"entries":[1]})", R"({"entries":[{"name":"x"}]})",
           R"({"entries":[{"id":""}]})", R"({"nextToken":5})", many}) {
    auto page = parse_entries_page(bad);
    ASSERT_FALSE(page) << bad.substr(0, 40);
    EXPECT_EQ(page.error().code, core::ErrorCode::kRemote);
    EXPECT_EQ(page.error().message.rfind("Benchling's entry listing is unreadable", 0), 0u);
  }
}

struct Tenant {
  Tenant()
      : tokens(http, server.url(),
               [] {
                 return ClientCredentials{"id", "secret"};
               }),
        client(http, tokens, server.url(),
               {.retry = {.max_attempts = 5, .jitter_seed = 7},
                .sleep = [this](milliseconds d, const core::StopToken&) {
                  sleeps.push_back(d);
                  return true;
                }}) {}
  testing::LoopbackServer server;
  http::Client http;
  TokenSource tokens;
  std::vector<milliseconds> sleeps;
  Client client;
};

TEST(ListEntries, A429WaitsForRetryAfterThenReadsThePage) {
  Tenant t;
  int listings = 0;
  t.server.set_handler([&](const RecordedRequest& r) {
    if (r.path() == "/api/v2/token")
      return Reply::json(200, R"({"access_token":"tok","token_type":"Bearer","expires_in":900})");
    if (++listings == 1)
      return Reply::json(429, R"({"error":{"message":"slow down"}})").with_header("Retry-After", "3");
    return Reply::json(200, R"({"entries":[{"id":"etr_1"}],"nextToken":"n2"})");
  });
  EntriesQuery q;
  q.project_id = "src_1";
  auto page = t.client.list_entries(q);
  ASSERT_TRUE(page) << page.error().to_text();
  EXPECT_EQ(page->next_token, "n2");
  EXPECT_EQ(t.sleeps, std::vector<milliseconds>{milliseconds(3000)});
  EXPECT_EQ(t.server.requests().back().target, "/api/v2/entries?pageSize=100&projectId=src_1");
}

TEST(ListEntries, ARefusalNamesTheProject) {
  Tenant t;
  t.server.set_handler([&](const RecordedRequest& r) {
    if (r.path() == "/api/v2/token")
      return Reply::json(200, R"({"access_token":"tok","token_type":"Bearer","expires_in":900})");
    return Reply::json(403, R"({"error":{"message":"no access"}})");
  });
  EntriesQuery q;
  q.project_id = "src_9";
  auto page = t.client.list_entries(q);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(page.error().message, "Benchling denied the app access to project src_9");
}

}  // namespace
}  // namespace bw::benchling
