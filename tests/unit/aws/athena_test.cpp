#include "aws/athena.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include <boost/json.hpp>

#include <map>
#include <mutex>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using testing::Reply;

struct Harness : testing::AwsLoopback<Athena> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_ATHENA", "eu-west-1", "2024-03-05T06:07:08Z"),
        athena(&service) {}
  Athena* athena;
};

// A fake clock that only moves when the code under test sleeps; the sleeps are recorded.
struct FakeTime {
  std::chrono::steady_clock::time_point t{};
  std::vector<std::chrono::milliseconds> sleeps;
  RunOptions options() {
    RunOptions o;
    o.sleep = [this](std::chrono::milliseconds d) {
      sleeps.push_back(d);
      t += d;
    };
    o.now = [this] { return t; };
    return o;
  }
};

// Answers each X-Amz-Target from its own script (the last reply repeats), so one server plays Athena.
testing::Handler by_action(std::map<std::string, std::vector<Reply>> scripts) {
  auto state = std::make_shared<std::pair<std::mutex, std::map<std::string, std::vector<Reply>>>>();
  state->second = std::move(scripts);
  return [state](const testing::RecordedRequest& r) {
    std::lock_guard lock(state->first);
    const std::string action =
        r.header("X-Amz-Target").value_or("").substr(std::string("AmazonAthena.").size());
    auto it = state->second.find(action);
    if (it == state->second.end() || it->second.empty())
      return Reply::json(500, R"({"__type":"Unscripted"})");
    Reply reply = it->second.front();
    if (it->second.size() > 1) it->second.erase(it->second.begin());
    return reply;
  };
}

std::vector<testing::RecordedRequest> of_action(const LoopbackServer& server, const std::string& action) {
  std::vector<testing::RecordedRequest> out;
  for (auto& r : server.requests()) {
    if (r.header("X-Amz-Target") == "AmazonAthena." + action) out.push_back(r);
  }
  return out;
}

Reply execution(const std::string& state, const std::string& extra = "") {
  return Reply::json(200, R"({"QueryExecution": {"QueryExecutionId": "q-1", "Query": "SELECT 1",)"
                          R"( "ResultConfiguration": {"OutputLocation": "s3://results/q-1.csv"},)"
                          R"( "Status": {"State": ")" +
                              state + "\"" + extra +
                              R"(, "SubmissionDateTime": 1717171717.5}, "WorkGroup": "primary"}})");
}

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

const Reply kStarted = Reply::json(200, R"({"QueryExecutionId": "q-1"})");

// Real Athena's reply for a SELECT: the column names come back again as the first row.
const Reply kOnePage = Reply::json(
    200,
    R"({"UpdateCount": 0, "ResultSet": {"Rows": [{"Data": [{"VarCharValue": "a"}, {"VarCharValue": "b"}]},)"
    R"( {"Data": [{"VarCharValue": "1"}, {}]}], "ResultSetMetadata": {"ColumnInfo": [)"
    R"({"CatalogName": "hive", "Name": "a", "Label": "a", "Type": "varchar", "Precision": 2147483647},)"
    R"( {"CatalogName": "hive", "Name": "b", "Label": "b", "Type": "varchar", "Precision": 2147483647}]}}})");

TEST(Athena, StartQuerySendsJson11WithContextWorkgroupParametersAndToken) {
  LoopbackServer server(testing::sequence({kStarted}));
  Harness h(server);
  QueryRequest req;
  req.sql = "SELECT * FROM \"db\".\"t\" WHERE x = ? AND y = ?";
  req.execution_parameters = {"'a''b'", "42"};
  req.database = "quilt_db";
  req.workgroup = "wg-1";
  req.output_location = "s3://results/";
  req.client_request_token = std::string(40, 't');
  auto id = h.athena->start_query(req);
  ASSERT_TRUE(id) << id.error().to_text();
  EXPECT_EQ(*id, "q-1");

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/");
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonAthena.StartQueryExecution");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-amz-json-1.1");
  const auto auth = reqs[0].header("Authorization").value_or("");
  EXPECT_NE(auth.find("Credential=AKIDTEST/20240305/eu-west-1/athena/aws4_request"), std::string::npos)
      << auth;
  EXPECT_EQ(
      reqs[0].body,
      R"({"QueryString":"SELECT * FROM \"db\".\"t\" WHERE x = ? AND y = ?",)"
      R"("ClientRequestToken":"tttttttttttttttttttttttttttttttttttttttt",)"
      R"("QueryExecutionContext":{"Database":"quilt_db"},"WorkGroup":"wg-1",)"
      R"("ExecutionParameters":["'a''b'","42"],"ResultConfiguration":{"OutputLocation":"s3://results/"}})");
}

TEST(Athena, StartQueryOmitsEmptyParametersAndOutputAndMakesAFreshTokenEachTime) {
  LoopbackServer server(testing::sequence({kStarted}));
  Harness h(server);
  ASSERT_TRUE(h.athena->start_query("SELECT 1", {}, "db", "primary"));
  ASSERT_TRUE(h.athena->start_query("SELECT 1", {}, "db", "primary"));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  std::vector<std::string> tokens;
  for (const auto& r : reqs) {
    auto body = boost::json::parse(r.body).as_object();
    EXPECT_FALSE(body.contains("ExecutionParameters")) << r.body;
    EXPECT_FALSE(body.contains("ResultConfiguration")) << r.body;
    EXPECT_EQ(body.at("WorkGroup"), "primary");
    EXPECT_EQ(body.at("QueryExecutionContext").at("Database"), "db");
    tokens.emplace_back(body.at("ClientRequestToken").as_string());
  }
  EXPECT_EQ(tokens[0].size(), 64u);
  EXPECT_EQ(tokens[0].find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(tokens[0], tokens[1]);
}

// AwsClient retries a 5xx: the retry must carry the same token so Athena does not start the query twice.
TEST(Athena, StartQueryRetryReusesTheIdempotencyToken) {
  LoopbackServer server(
      testing::sequence({Reply::json(500, R"({"__type":"InternalServerException"})"), kStarted}));
  Harness h(server);
  ASSERT_TRUE(h.athena->start_query("SELECT 1", {}, "db", "primary", "s3://out/"));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].body, reqs[1].body);
  EXPECT_NE(reqs[1].body.find(R"("ResultConfiguration":{"OutputLocation":"s3://out/"})"), std::string::npos);
}

TEST(Athena, StartQueryRejectsInputsAthenaWouldRefuseWithoutCalling) {
  LoopbackServer server(testing::sequence({kStarted}));
  Harness h(server);
  struct Case {
    std::string sql;
    std::vector<std::string> params;
    std::string database;
    std::string workgroup;
  };
  for (const Case& c : std::vector<Case>{
           {"", {}, "db", "primary"},
           {std::string(kAthenaMaxQueryBytes + 1, 'x'), {}, "db", "primary"},
           {"SELECT ?", {""}, "db", "primary"},
           {"SELECT ?", {std::string(kAthenaMaxParameterBytes + 1, 'x')}, "db", "primary"},
           {"SELECT 1", {}, "", "primary"},
           {"SELECT 1", {}, std::string(256, 'd'), "primary"},
           {"SELECT 1", {}, "db", ""},
           {"SELECT 1", {}, "db", "work group"},
           {"SELECT 1", {}, "db", "wg\"x"},
       }) {
    auto id = h.athena->start_query(c.sql, c.params, c.database, c.workgroup);
    ASSERT_FALSE(id) << c.database << " " << c.workgroup;
    EXPECT_EQ(id.error().code, core::ErrorCode::kInvalidArgument);
  }
  QueryRequest short_token;
  short_token.sql = "SELECT 1";
  short_token.database = "db";
  short_token.client_request_token = "too-short";
  EXPECT_FALSE(h.athena->start_query(short_token));
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(Athena, AthenaErrorReplyKeepsAthenasMessageAndIsNotRetried) {
  LoopbackServer server(testing::sequence({Reply::json(
      400,
      R"({"__type": "InvalidRequestException", "Message": "line 1:8: Schema 'nope' does not exist"})")}));
  Harness h(server);
  auto id = h.athena->start_query("SELECT 1", {}, "nope", "primary");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, core::ErrorCode::kRemote);
  EXPECT_NE(id.error().message.find("StartQueryExecution"), std::string::npos) << id.error().message;
  EXPECT_NE(id.error().message.find("Schema 'nope' does not exist"), std::string::npos) << id.error().message;
  EXPECT_EQ(detail(id.error(), "database"), "nope");
  EXPECT_EQ(detail(id.error(), "Region"), "eu-west-1");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(Athena, GetQueryExecutionSendsIdAndParsesFailureReason) {
  LoopbackServer server(testing::sequence({execution(
      "FAILED",
      R"(, "StateChangeReason": "TABLE_NOT_FOUND: line 2:6: Table 'db.b_packages-view' does not exist",)"
      R"( "AthenaError": {"ErrorCategory": 2, "ErrorType": 1301, "ErrorMessage": "TABLE_NOT_FOUND"})")}));
  Harness h(server);
  auto s = h.athena->get_query_execution("q-1");
  ASSERT_TRUE(s) << s.error().to_text();
  EXPECT_EQ(s->state, QueryState::kFailed);
  EXPECT_EQ(s->state_text, "FAILED");
  EXPECT_EQ(s->state_change_reason, "TABLE_NOT_FOUND: line 2:6: Table 'db.b_packages-view' does not exist");
  EXPECT_EQ(s->error_message, "TABLE_NOT_FOUND");
  EXPECT_EQ(s->output_location, "s3://results/q-1.csv");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonAthena.GetQueryExecution");
  EXPECT_EQ(reqs[0].body, R"({"QueryExecutionId":"q-1"})");
}

TEST(Athena, ParseQueryExecutionKnowsEveryStateAndKeepsUnknownOnes) {
  for (auto [text, state] :
       std::vector<std::pair<std::string, QueryState>>{{"QUEUED", QueryState::kQueued},
                                                       {"RUNNING", QueryState::kRunning},
                                                       {"SUCCEEDED", QueryState::kSucceeded},
                                                       {"FAILED", QueryState::kFailed},
                                                       {"CANCELLED", QueryState::kCancelled},
                                                       {"PAUSED", QueryState::kUnknown}}) {
    auto s = parse_query_execution(R"({"QueryExecution": {"Status": {"State": ")" + text + R"("}}})");
    ASSERT_TRUE(s) << text;
    EXPECT_EQ(s->state, state) << text;
    EXPECT_EQ(s->state_text, text);
    EXPECT_EQ(s->state_change_reason, "");
  }
  EXPECT_FALSE(is_terminal(QueryState::kUnknown));
  EXPECT_TRUE(is_terminal(QueryState::kCancelled));
}

TEST(Athena, ParseQueryExecutionRejectsMalformedReplies) {
  for (const char* bad :
       {"", "[]", "{}", R"({"QueryExecution": 1})", R"({"QueryExecution": {}})",
        R"({"QueryExecution": {"Status": {}}})", R"({"QueryExecution": {"Status": {"State": 1}}})",
        R"({"QueryExecution": {"Status": {"State": ""}}})", R"({"QueryExecution": )"}) {
    auto s = parse_query_execution(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, core::ErrorCode::kRemote) << bad;
  }
}

TEST(Athena, GetQueryResultsReturnsColumnsRowsNullCellsAndNextToken) {
  LoopbackServer server(testing::sequence({Reply::json(
      200,
      R"({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "a"}, {"VarCharValue": "b"}]},)"
      R"( {"Data": [{"VarCharValue": ""}, {}]}, {"Data": [{"VarCharValue": null}, {"VarCharValue": "x\"y"}]}],)"
      R"( "ResultSetMetadata": {"ColumnInfo": [{"Name": "a", "Type": "varchar"}, {"Name": "b", "Type": "varchar"}]}},)"
      R"( "NextToken": "tok-2"})")}));
  Harness h(server);
  auto page = h.athena->get_query_results("q-1", std::string("tok-1"), 5000);
  ASSERT_TRUE(page) << page.error().to_text();
  EXPECT_EQ(page->columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(page->rows.size(), 3u);
  EXPECT_EQ(page->rows[0], (std::vector<std::optional<std::string>>{"a", "b"}));
  // An empty string and SQL NULL stay different.
  EXPECT_EQ(page->rows[1], (std::vector<std::optional<std::string>>{"", std::nullopt}));
  EXPECT_EQ(page->rows[2], (std::vector<std::optional<std::string>>{std::nullopt, "x\"y"}));
  EXPECT_EQ(page->next_token, "tok-2");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonAthena.GetQueryResults");
  // MaxResults is clamped to Athena's 1000.
  EXPECT_EQ(reqs[0].body, R"({"QueryExecutionId":"q-1","MaxResults":1000,"NextToken":"tok-1"})");
}

TEST(Athena, ParseQueryResultsAcceptsMotosEmptyReplyAndAbsentResultSet) {
  auto empty = parse_query_results(R"({"ResultSet": {"Rows": [], "ResultSetMetadata": {"ColumnInfo": []}}})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->rows.empty());
  EXPECT_TRUE(empty->columns.empty());
  EXPECT_FALSE(empty->next_token);
  auto none = parse_query_results(R"({"UpdateCount": 3})");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->rows.empty());
}

TEST(Athena, ParseQueryResultsRejectsMalformedAndOversizedPages) {
  std::string too_many = R"({"ResultSet": {"Rows": [)";
  for (int i = 0; i <= kAthenaMaxPageRows; ++i) too_many += std::string(i ? "," : "") + R"({"Data": []})";
  too_many += "]}}";
  for (const std::string& bad : std::vector<std::string>{
           "[]", R"({"ResultSet": {"Rows": {}}})", R"({"ResultSet": {"Rows": [1]}})",
           R"({"ResultSet": {"Rows": [{"Data": {}}]}})", R"({"ResultSet": {"Rows": [{"Data": [1]}]}})",
           R"({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": 5}]}]}})",
           R"({"ResultSet": {"ResultSetMetadata": {"ColumnInfo": [{"Type": "varchar"}]}}})",
           R"({"ResultSet": {}, "NextToken": 7})", R"({"NextToken": ")" + std::string(1025, 't') + "\"}",
           too_many}) {
    auto page = parse_query_results(bad);
    ASSERT_FALSE(page) << bad.substr(0, 80);
    EXPECT_EQ(page.error().code, core::ErrorCode::kRemote);
    EXPECT_EQ(page.error().message.find("VarCharValue\": 5"), std::string::npos);  // never quotes the body
  }
}

TEST(Athena, RunQueryPollsWithDoublingCappedWaitsUntilSucceeded) {
  LoopbackServer server(by_action({{"StartQueryExecution", {kStarted}},
                                   {"GetQueryExecution",
                                    {execution("QUEUED"), execution("RUNNING"), execution("RUNNING"),
                                     execution("RUNNING"), execution("RUNNING"), execution("SUCCEEDED")}},
                                   {"GetQueryResults", {kOnePage}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELECT a, b FROM t";
  req.database = "db";
  auto result = h.athena->run_query(req, time.options());
  ASSERT_TRUE(result) << result.error().to_text();
  EXPECT_EQ(result->query_execution_id, "q-1");
  EXPECT_EQ(result->columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->rows[1], (std::vector<std::optional<std::string>>{"1", std::nullopt}));
  EXPECT_FALSE(result->truncated);
  // First poll at once, then 0.5 s doubling to the 2 s cap.
  EXPECT_EQ(time.sleeps, (std::vector<std::chrono::milliseconds>{500ms, 1000ms, 2000ms, 2000ms, 2000ms}));
  EXPECT_EQ(of_action(server, "GetQueryExecution").size(), 6u);
  EXPECT_EQ(of_action(server, "GetQueryResults").size(), 1u);
}

TEST(Athena, RunQueryReadsEveryPageInOrder) {
  LoopbackServer server(by_action(
      {{"StartQueryExecution", {kStarted}},
       {"GetQueryExecution", {execution("SUCCEEDED")}},
       {"GetQueryResults",
        {Reply::json(
             200,
             R"({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "n"}]}, {"Data": [{"VarCharValue": "1"}]}],)"
             R"( "ResultSetMetadata": {"ColumnInfo": [{"Name": "n", "Type": "integer"}]}}, "NextToken": "p2"})"),
         Reply::json(200,
                     R"({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "2"}]}], "ResultSetMetadata":)"
                     R"( {"ColumnInfo": [{"Name": "n", "Type": "integer"}]}}, "NextToken": "p3"})"),
         Reply::json(200, R"({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "3"}]}]}})")}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELECT n FROM t";
  req.database = "db";
  auto opts = time.options();
  opts.page_size = 2;
  auto result = h.athena->run_query(req, opts);
  ASSERT_TRUE(result) << result.error().to_text();
  std::vector<std::string> values;
  for (const auto& row : result->rows) values.push_back(row.at(0).value_or("NULL"));
  EXPECT_EQ(values, (std::vector<std::string>{"n", "1", "2", "3"}));
  EXPECT_TRUE(time.sleeps.empty());
  auto pages = of_action(server, "GetQueryResults");
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].body, R"({"QueryExecutionId":"q-1","MaxResults":2})");
  EXPECT_EQ(pages[1].body, R"({"QueryExecutionId":"q-1","MaxResults":2,"NextToken":"p2"})");
  EXPECT_EQ(pages[2].body, R"({"QueryExecutionId":"q-1","MaxResults":2,"NextToken":"p3"})");
}

TEST(Athena, RunQueryStopsReadingAtMaxRowsAndSaysSo) {
  LoopbackServer server(by_action(
      {{"StartQueryExecution", {kStarted}},
       {"GetQueryExecution", {execution("SUCCEEDED")}},
       {"GetQueryResults",
        {Reply::json(200,
                     R"({"ResultSet": {"Rows": [{"Data": []}, {"Data": []}]}, "NextToken": "more"})")}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELECT 1";
  req.database = "db";
  auto opts = time.options();
  opts.max_rows = 3;
  auto result = h.athena->run_query(req, opts);
  ASSERT_TRUE(result) << result.error().to_text();
  EXPECT_EQ(result->rows.size(), 3u);
  EXPECT_TRUE(result->truncated);
  EXPECT_EQ(of_action(server, "GetQueryResults").size(), 2u);
}

TEST(Athena, RunQueryRejectsANextTokenThatDoesNotMove) {
  LoopbackServer server(
      by_action({{"StartQueryExecution", {kStarted}},
                 {"GetQueryExecution", {execution("SUCCEEDED")}},
                 {"GetQueryResults",
                  {Reply::json(200, R"({"ResultSet": {"Rows": [{"Data": []}]}, "NextToken": "same"})")}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELECT 1";
  req.database = "db";
  auto result = h.athena->run_query(req, time.options());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(of_action(server, "GetQueryResults").size(), 2u);
}

TEST(Athena, RunQueryFailedReturnsTheReasonAndReadsNoResults) {
  LoopbackServer server(by_action(
      {{"StartQueryExecution", {kStarted}},
       {"GetQueryExecution",
        {execution("RUNNING"), execution("FAILED", R"(, "StateChangeReason": "SYNTAX_ERROR: line 1:1")")}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELEC 1";
  req.database = "db";
  auto result = h.athena->run_query(req, time.options());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(result.error().message, "Athena query failed: SYNTAX_ERROR: line 1:1");
  EXPECT_EQ(detail(result.error(), "query execution id"), "q-1");
  EXPECT_EQ(detail(result.error(), "state"), "FAILED");
  EXPECT_TRUE(of_action(server, "GetQueryResults").empty());
}

TEST(Athena, RunQueryFailedWithoutReasonSaysUnknownErrorAndCancelledIsAnError) {
  LoopbackServer server(
      by_action({{"StartQueryExecution", {kStarted}}, {"GetQueryExecution", {execution("FAILED")}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELECT 1";
  req.database = "db";
  auto failed = h.athena->run_query(req, time.options());
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "Athena query failed: Unknown error");

  server.set_handler(
      by_action({{"StartQueryExecution", {kStarted}},
                 {"GetQueryExecution", {execution("CANCELLED", R"(, "StateChangeReason": "user")")}}}));
  auto cancelled = h.athena->run_query(req, time.options());
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().message, "Athena query was cancelled: user");
}

TEST(Athena, RunQueryTimesOutAtTheDeadlineAndStopsTheQuery) {
  LoopbackServer server(by_action({{"StartQueryExecution", {kStarted}},
                                   {"GetQueryExecution", {execution("RUNNING")}},
                                   {"StopQueryExecution", {Reply::json(200, "{}")}}}));
  Harness h(server);
  FakeTime time;
  QueryRequest req;
  req.sql = "SELECT 1";
  req.database = "db";
  auto opts = time.options();
  opts.timeout = 3s;
  auto result = h.athena->run_query(req, opts);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kRemote);
  EXPECT_TRUE(result.error().healable());
  EXPECT_EQ(result.error().message, "Athena query timed out after 3s: q-1");
  EXPECT_EQ(detail(result.error(), "state"), "RUNNING");
  // 0.5 + 1 + 1.5 (the last wait is cut to the deadline): never sleeps past it.
  EXPECT_EQ(time.sleeps, (std::vector<std::chrono::milliseconds>{500ms, 1000ms, 1500ms}));
  auto stops = of_action(server, "StopQueryExecution");
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].body, R"({"QueryExecutionId":"q-1"})");
  EXPECT_TRUE(of_action(server, "GetQueryResults").empty());
}

TEST(Athena, RunQueryWaitingOnTheRealClockIsEndedByAStopAndStopsTheQuery) {
  // No injected sleep: the poll would wait an hour on the real clock unless the stop ends it.
  LoopbackServer server(by_action({{"StartQueryExecution", {kStarted}},
                                   {"GetQueryExecution", {execution("RUNNING")}},
                                   {"StopQueryExecution", {Reply::json(200, "{}")}}}));
  Harness h(server);
  QueryRequest req;
  req.sql = "SELECT 1";
  req.database = "db";
  RunOptions opts;
  opts.timeout = std::chrono::hours(2);
  opts.poll_interval = std::chrono::hours(1);
  opts.max_poll_interval = std::chrono::hours(1);
  core::StopSource shutdown;
  opts.stop = shutdown.get_token();
  auto result = std::async(std::launch::async, [&] { return h.athena->run_query(req, opts); });
  while (of_action(server, "GetQueryExecution").empty()) std::this_thread::sleep_for(5ms);  // polled once
  shutdown.request_stop();
  ASSERT_EQ(result.wait_for(60s), std::future_status::ready);  // hang guard: an hour otherwise
  auto out = result.get();
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, core::ErrorCode::kCancelled);
  EXPECT_EQ(detail(out.error(), "state"), "RUNNING");
  ASSERT_EQ(of_action(server, "StopQueryExecution").size(), 1u);
  EXPECT_TRUE(of_action(server, "GetQueryResults").empty());
}

TEST(Athena, StringLiteralDoublesSingleQuotes) {
  EXPECT_EQ(athena_string_literal("EXP25000076"), "'EXP25000076'");
  EXPECT_EQ(athena_string_literal("a'b"), "'a''b'");
  EXPECT_EQ(athena_string_literal("' OR '1'='1"), "''' OR ''1''=''1'");
  EXPECT_EQ(athena_string_literal(""), "''");
}

}  // namespace
}  // namespace bw::aws
