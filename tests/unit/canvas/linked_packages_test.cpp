#include "canvas/linked_packages.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::canvas {
namespace {

using testing::LoopbackServer;
using testing::Reply;
using Row = std::vector<std::optional<std::string>>;

struct Harness : bw::testing::AwsLoopback<aws::Athena> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_ATHENA", "us-east-1"), athena(&service) {
    options.sleep = [](std::chrono::milliseconds) {};
  }
  aws::Athena* athena;
  aws::RunOptions options;
};

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

testing::Handler athena_replies(Reply execution, Reply results) {
  return [=](const testing::RecordedRequest& r) {
    const auto target = r.header("X-Amz-Target").value_or("");
    if (target == "AmazonAthena.StartQueryExecution")
      return Reply::json(200, R"({"QueryExecutionId": "q-7"})");
    if (target == "AmazonAthena.GetQueryExecution") return execution;
    if (target == "AmazonAthena.GetQueryResults") return results;
    return Reply::json(400, R"({"__type": "InvalidAction"})");
  };
}

Reply state(const std::string& s, const std::string& reason = "") {
  std::string status = R"({"State": ")" + s + "\"";
  if (!reason.empty()) status += R"(, "StateChangeReason": ")" + reason + "\"";
  return Reply::json(200, R"({"QueryExecution": {"QueryExecutionId": "q-7", "Status": )" + status + "}}}");
}

const char* kGoldenSql =
    "SELECT pkg_name, timestamp, message, user_meta\n"
    "FROM \"quilt_db\".\"acme-data_packages-view\"\n"
    "WHERE json_extract_scalar(user_meta, ?) = ?\n"
    "    AND timestamp = 'latest'\n"
    "LIMIT 100";

const char* kIcebergGoldenSql =
    "SELECT t.pkg_name, t.tag_name, m.message, m.metadata\n"
    "FROM \"quilt_iceberg\".\"acme-data_package_tag\" t\n"
    "JOIN \"quilt_iceberg\".\"acme-data_package_manifest\" m ON t.top_hash = m.top_hash\n"
    "WHERE t.tag_name = 'latest'\n"
    "    AND json_extract_scalar(m.metadata, ?) = ?\n"
    "LIMIT 100";

PackageIndex view(std::string database) {
  return {PackageIndexKind::kPackagesView, std::move(database)};
}

TEST(PackageIndex, IcebergWhenTheStackHasAnIcebergDatabaseElseThePackagesView) {
  auto iceberg = package_index("quilt_iceberg", "quilt_db");
  EXPECT_EQ(iceberg.kind, PackageIndexKind::kIceberg);
  EXPECT_EQ(iceberg.database, "quilt_iceberg");
  auto old = package_index("", "quilt_db");
  EXPECT_EQ(old.kind, PackageIndexKind::kPackagesView);
  EXPECT_EQ(old.database, "quilt_db");
}

TEST(LinkedQuery, IcebergMatchesTheTagJoinManifestShapeWithPlaceholders) {
  auto q = build_linked_query(PackageIndex{PackageIndexKind::kIceberg, "quilt_iceberg"}, "acme-data",
                              "experiment_id", "EXP25000076");
  ASSERT_TRUE(q) << q.error().to_text();
  EXPECT_EQ(q->sql, kIcebergGoldenSql);
  EXPECT_EQ(q->parameters, (std::vector<std::string>{"'$.experiment_id'", "'EXP25000076'"}));
  // The dispatcher and the direct builder agree; the packages view is the other generation.
  EXPECT_EQ(build_iceberg_linked_query("quilt_iceberg", "acme-data", "experiment_id", "EXP25000076")->sql,
            kIcebergGoldenSql);
  EXPECT_EQ(build_linked_query(view("quilt_db"), "acme-data", "experiment_id", "EXP25000076")->sql,
            kGoldenSql);
}

TEST(LinkedQuery, IcebergValuesNeverReachTheSqlTextAndBadNamesAreRejected) {
  auto q = build_iceberg_linked_query("quilt_iceberg", "acme-data", "exp-id.v2", "EXP1' OR '1'='1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sql.find("EXP1"), std::string::npos);
  EXPECT_EQ(q->sql.find("exp-id"), std::string::npos);
  EXPECT_EQ(q->parameters, (std::vector<std::string>{R"('$["exp-id.v2"]')", "'EXP1'' OR ''1''=''1'"}));
  auto db = build_iceberg_linked_query("ice\"berg", "acme-data", "experiment_id", "EXP1");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().suggestion, "Check the Quilt stack output IcebergDatabaseName");
  // The longest table name ("<bucket>_package_manifest") must fit Glue's 255 characters.
  EXPECT_TRUE(build_iceberg_linked_query("db", std::string(255 - 17, 'b'), "experiment_id", "EXP1"));
  EXPECT_FALSE(build_iceberg_linked_query("db", std::string(256 - 17, 'b'), "experiment_id", "EXP1"));
}

TEST(LinkedQuery, MatchesTheReferenceShapeWithPlaceholdersForBothValues) {
  auto q = build_linked_query("quilt_db", "acme-data", "experiment_id", "EXP25000076");
  ASSERT_TRUE(q) << q.error().to_text();
  EXPECT_EQ(q->sql, kGoldenSql);
  EXPECT_EQ(q->parameters, (std::vector<std::string>{"'$.experiment_id'", "'EXP25000076'"}));
}

// The point of parameters: whatever the display id or key holds, the SQL text is the same bytes, and
// the value reaches Athena only as one quoted literal.
TEST(LinkedQuery, QuotesInTheDisplayIdOrKeyNeverReachTheSqlText) {
  for (const std::string& display_id : {std::string("EXP1' OR '1'='1"), std::string("x'; DROP TABLE t; --"),
                                        std::string("\"quoted\""), std::string("?"), std::string("it's")}) {
    auto q = build_linked_query("quilt_db", "acme-data", "experiment_id", display_id);
    ASSERT_TRUE(q) << display_id;
    EXPECT_EQ(q->sql, kGoldenSql) << display_id;
    if (display_id != "?") {  // "?" is the placeholder itself
      EXPECT_EQ(q->sql.find(display_id), std::string::npos) << display_id;
    }
    ASSERT_EQ(q->parameters.size(), 2u);
    EXPECT_EQ(q->parameters[1], aws::athena_string_literal(display_id));
  }
  auto q = build_linked_query("quilt_db", "acme-data", "experiment_id", "EXP1' OR '1'='1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->parameters[1], "'EXP1'' OR ''1''=''1'");

  auto key = build_linked_query("quilt_db", "acme-data", "exp' OR 1=1 --", "EXP1");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->sql, kGoldenSql);
  EXPECT_EQ(key->parameters[0], "'$[\"exp'' OR 1=1 --\"]'");
}

TEST(LinkedQuery, KeyOutsideWordCharactersUsesBracketPath) {
  auto q = build_linked_query("quilt_db", "acme-data", "experiment-id.v2", "EXP1");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->parameters[0], "'$[\"experiment-id.v2\"]'");
}

TEST(LinkedQuery, RejectsIdentifiersThatCouldLeaveTheirQuotes) {
  struct Case {
    std::string database, bucket, field;
  };
  for (const Case& c : std::vector<Case>{
           {"quilt\"db", "acme-data", "database"},
           {"quilt_db\".\"other", "acme-data", "database"},
           {"quilt\ndb", "acme-data", "database"},
           {std::string("quilt\0db", 8), "acme-data", "database"},
           {"quilt\x7f", "acme-data", "database"},
           {"", "acme-data", "database"},
           {std::string(256, 'd'), "acme-data", "database"},
           {"quilt_db", "acme\"data", "bucket"},
           {"quilt_db", "acme\tdata", "bucket"},
           {"quilt_db", "", "bucket"},
           {"quilt_db", std::string(250, 'b'), "bucket"},
       }) {
    auto q = build_linked_query(c.database, c.bucket, "experiment_id", "EXP1");
    ASSERT_FALSE(q) << c.database << " / " << c.bucket;
    EXPECT_EQ(q.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(detail(q.error(), c.field), "<absent>") << c.field;
  }
  // Control characters are shown escaped, never raw.
  auto q = build_linked_query("quilt\ndb", "acme-data", "experiment_id", "EXP1");
  ASSERT_FALSE(q);
  EXPECT_EQ(detail(q.error(), "database"), "quilt\\x0adb");
}

TEST(LinkedQuery, AcceptsIdentifiersWithDotsDashesAndUnicode) {
  auto q = build_linked_query("quilt-db.v1", "my.bucket-1", "experiment_id", "EXP1");
  ASSERT_TRUE(q);
  EXPECT_NE(q->sql.find("FROM \"quilt-db.v1\".\"my.bucket-1_packages-view\"\n"), std::string::npos);
}

TEST(LinkedQuery, RejectsBadKeysAndDisplayIds) {
  for (const std::string& key : {std::string(""), std::string("a\"b"), std::string("a\\b"),
                                 std::string("a\nb"), std::string(257, 'k')}) {
    auto q = build_linked_query("quilt_db", "acme-data", key, "EXP1");
    ASSERT_FALSE(q) << key;
    EXPECT_EQ(q.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(detail(q.error(), "pkg_key"), "<absent>");
  }
  for (const std::string& id :
       {std::string(""), std::string("EXP\r\n1"), std::string(1023, 'x'), std::string(600, '\'')}) {
    auto q = build_linked_query("quilt_db", "acme-data", "experiment_id", id);
    ASSERT_FALSE(q) << id.substr(0, 20);
    EXPECT_EQ(q.error().code, core::ErrorCode::kInvalidArgument);
  }
  // 1022 characters + 2 quotes is exactly Athena's 1024-byte parameter limit.
  EXPECT_TRUE(build_linked_query("quilt_db", "acme-data", "experiment_id", std::string(1022, 'x')));
}

aws::QueryResult result_of(std::vector<Row> rows, std::vector<std::string> columns = {}) {
  aws::QueryResult r;
  r.query_execution_id = "q-7";
  r.columns = std::move(columns);
  r.rows = std::move(rows);
  return r;
}

const std::vector<std::string> kColumns = {"pkg_name", "timestamp", "message", "user_meta"};
const Row kHeader = {"pkg_name", "timestamp", "message", "user_meta"};

TEST(LinkedRows, SkipsAthenasHeaderRowDedupesAndSortsByName) {
  auto pkgs =
      parse_linked_rows(result_of({kHeader,
                                   {"zeta/b", "latest", "second", R"({"experiment_id": "EXP1"})"},
                                   {"alpha/a", "latest", "first", R"({"experiment_id": "EXP1", "n": 2})"},
                                   {"zeta/b", "latest", "duplicate", "{}"}},
                                  kColumns));
  ASSERT_EQ(pkgs.size(), 2u);
  EXPECT_EQ(pkgs[0].name, "alpha/a");
  EXPECT_EQ(pkgs[0].timestamp, "latest");
  EXPECT_EQ(pkgs[0].message, "first");
  EXPECT_EQ(pkgs[0].metadata.at("n"), 2);
  EXPECT_EQ(pkgs[1].name, "zeta/b");
  EXPECT_EQ(pkgs[1].message, "second");  // the first row of a name wins
}

TEST(LinkedRows, WithoutHeaderRowEveryRowIsAPackage) {
  auto pkgs = parse_linked_rows(result_of({{"b/x", "latest", "m", "{}"}, {"a/y", "latest", "m", "{}"}}));
  ASSERT_EQ(pkgs.size(), 2u);
  EXPECT_EQ(pkgs[0].name, "a/y");
  EXPECT_EQ(pkgs[1].name, "b/x");
}

TEST(LinkedRows, HeaderOnlyMeansNoPackages) {
  EXPECT_TRUE(parse_linked_rows(result_of({kHeader}, kColumns)).empty());
  EXPECT_TRUE(parse_linked_rows(result_of({})).empty());
}

TEST(LinkedRows, NullCellsAndBadMetadataBecomeEmptyValues) {
  auto pkgs = parse_linked_rows(result_of({kHeader,
                                           {"a/1", std::nullopt, std::nullopt, std::nullopt},
                                           {"a/2", "latest", "m", "not json"},
                                           {"a/3", "latest", "m", "[1, 2]"},
                                           {std::nullopt, "latest", "m", "{}"},
                                           {"", "latest", "m", "{}"},
                                           {"a/4"}},
                                          kColumns));
  ASSERT_EQ(pkgs.size(), 4u);
  EXPECT_EQ(pkgs[0].name, "a/1");
  EXPECT_EQ(pkgs[0].timestamp, "");
  EXPECT_TRUE(pkgs[0].metadata.empty());
  EXPECT_TRUE(pkgs[1].metadata.empty());
  EXPECT_TRUE(pkgs[2].metadata.empty());
  EXPECT_EQ(pkgs[3].name, "a/4");  // a short row is read as far as it goes
}

TEST(LinkedRows, FindsColumnsByNameWhenTheyComeInAnotherOrder) {
  auto pkgs = parse_linked_rows(result_of(
      {{"user_meta", "pkg_name", "message", "timestamp"}, {R"({"k": "v"})", "p/q", "msg", "latest"}},
      {"user_meta", "pkg_name", "message", "timestamp"}));
  ASSERT_EQ(pkgs.size(), 1u);
  EXPECT_EQ(pkgs[0].name, "p/q");
  EXPECT_EQ(pkgs[0].message, "msg");
  EXPECT_EQ(pkgs[0].metadata.at("k"), "v");
}

TEST(FindLinkedPackages, SendsParameterizedQueryInWorkgroupAndReturnsSortedPackages) {
  LoopbackServer server(athena_replies(
      state("SUCCEEDED"),
      Reply::json(
          200,
          R"({"ResultSet": {"Rows": [)"
          R"({"Data": [{"VarCharValue": "pkg_name"}, {"VarCharValue": "timestamp"}, {"VarCharValue": "message"}, {"VarCharValue": "user_meta"}]},)"
          R"({"Data": [{"VarCharValue": "lab/run-2"}, {"VarCharValue": "latest"}, {}, {"VarCharValue": "{\"experiment_id\": \"EXP25000076\"}"}]},)"
          R"({"Data": [{"VarCharValue": "lab/run-1"}, {"VarCharValue": "latest"}, {"VarCharValue": "m"}, {"VarCharValue": "{}"}]}],)"
          R"( "ResultSetMetadata": {"ColumnInfo": [{"Name": "pkg_name", "Type": "varchar"}, {"Name": "timestamp", "Type": "varchar"},)"
          R"( {"Name": "message", "Type": "varchar"}, {"Name": "user_meta", "Type": "varchar"}]}}})")));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, view("quilt_db"), "acme-data", "experiment_id", "EXP25000076",
                                   "analysts", h.options);
  ASSERT_TRUE(pkgs) << pkgs.error().to_text();
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].name, "lab/run-1");
  EXPECT_EQ((*pkgs)[1].name, "lab/run-2");
  EXPECT_EQ((*pkgs)[1].metadata.at("experiment_id"), "EXP25000076");

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonAthena.StartQueryExecution");
  auto body = boost::json::parse(reqs[0].body).as_object();
  EXPECT_EQ(body.at("QueryString"), kGoldenSql);
  EXPECT_EQ(body.at("ExecutionParameters"), (boost::json::array{"'$.experiment_id'", "'EXP25000076'"}));
  EXPECT_EQ(body.at("QueryExecutionContext"), (boost::json::object{{"Database", "quilt_db"}}));
  EXPECT_EQ(body.at("WorkGroup"), "analysts");
  EXPECT_FALSE(body.contains("ResultConfiguration"));  // HEAD: the workgroup decides where results go
  EXPECT_EQ(body.at("ClientRequestToken").as_string().size(), 64u);
  EXPECT_EQ(body.size(), 5u);
  EXPECT_EQ(reqs[1].header("X-Amz-Target"), "AmazonAthena.GetQueryExecution");
  EXPECT_EQ(reqs[2].header("X-Amz-Target"), "AmazonAthena.GetQueryResults");
}

TEST(FindLinkedPackages, AnEmptyWorkgroupFailsWithoutCallingAthena) {
  // No silent "primary": on a fresh account it has no result location and every query fails.
  LoopbackServer server(
      athena_replies(state("SUCCEEDED"), Reply::json(200, R"({"ResultSet": {"Rows": []}})")));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, view("quilt_db"), "acme-data", "experiment_id", "EXP1", "");
  ASSERT_FALSE(pkgs);
  EXPECT_EQ(pkgs.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(pkgs.error().message, "No Athena workgroup for the linked-package search");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(FindLinkedPackages, IcebergIndexQueriesTheTagAndManifestTablesInItsDatabase) {
  LoopbackServer server(athena_replies(
      state("SUCCEEDED"),
      Reply::json(
          200,
          R"({"ResultSet": {"Rows": [)"
          R"({"Data": [{"VarCharValue": "pkg_name"}, {"VarCharValue": "tag_name"}, {"VarCharValue": "message"}, {"VarCharValue": "metadata"}]},)"
          R"({"Data": [{"VarCharValue": "lab/run-9"}, {"VarCharValue": "latest"}, {"VarCharValue": "built"}, {"VarCharValue": "{\"experiment_id\": \"EXP1\"}"}]}],)"
          R"( "ResultSetMetadata": {"ColumnInfo": [{"Name": "pkg_name", "Type": "varchar"}, {"Name": "tag_name", "Type": "varchar"},)"
          R"( {"Name": "message", "Type": "varchar"}, {"Name": "metadata", "Type": "varchar"}]}}})")));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, {PackageIndexKind::kIceberg, "quilt_iceberg"}, "acme-data",
                                   "experiment_id", "EXP1", "quilt-user-wg", h.options);
  ASSERT_TRUE(pkgs) << pkgs.error().to_text();
  ASSERT_EQ(pkgs->size(), 1u);
  EXPECT_EQ((*pkgs)[0].name, "lab/run-9");
  EXPECT_EQ((*pkgs)[0].timestamp, "latest");
  EXPECT_EQ((*pkgs)[0].message, "built");
  EXPECT_EQ((*pkgs)[0].metadata.at("experiment_id"), "EXP1");
  auto body = boost::json::parse(server.requests().at(0).body).as_object();
  EXPECT_EQ(body.at("QueryString"), kIcebergGoldenSql);
  EXPECT_EQ(body.at("ExecutionParameters"), (boost::json::array{"'$.experiment_id'", "'EXP1'"}));
  EXPECT_EQ(body.at("QueryExecutionContext"), (boost::json::object{{"Database", "quilt_iceberg"}}));
  EXPECT_EQ(body.at("WorkGroup"), "quilt-user-wg");
  EXPECT_FALSE(body.contains("ResultConfiguration"));
}

TEST(FindLinkedPackages, InvalidIdentifierFailsWithoutCallingAthena) {
  LoopbackServer server(athena_replies(state("SUCCEEDED"), Reply::json(200, "{}")));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, view("quilt_db\"; --"), "acme-data", "experiment_id", "EXP1",
                                   "wg", h.options);
  ASSERT_FALSE(pkgs);
  EXPECT_EQ(pkgs.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(FindLinkedPackages, FailedQueryIsAnErrorWithTheReason) {
  LoopbackServer server(athena_replies(
      state("FAILED", "TABLE_NOT_FOUND: Table 'quilt_db.acme-data_packages-view' does not exist"),
      Reply::json(200, "{}")));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, view("quilt_db"), "acme-data", "experiment_id", "EXP1", "wg",
                                   h.options);
  ASSERT_FALSE(pkgs);
  EXPECT_EQ(pkgs.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(pkgs.error().message,
            "Athena query failed: TABLE_NOT_FOUND: Table 'quilt_db.acme-data_packages-view' does not exist");
  EXPECT_EQ(detail(pkgs.error(), "database"), "quilt_db");
  EXPECT_EQ(detail(pkgs.error(), "query execution id"), "q-7");
}

TEST(FindLinkedPackages, NotAuthorizedFailureBecomesTheAccessDeniedMessage) {
  LoopbackServer server(athena_replies(
      state("FAILED", "Insufficient permissions: User is not authorized to perform: glue:GetTable"),
      Reply::json(200, "{}")));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, view("quilt_db"), "acme-data", "experiment_id", "EXP1", "wg",
                                   h.options);
  ASSERT_FALSE(pkgs);
  EXPECT_EQ(pkgs.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(
      pkgs.error().message,
      "AWS Athena access denied. Please check IAM permissions for athena:StartQueryExecution on database "
      "'quilt_db'");
  EXPECT_NE(detail(pkgs.error(), "cause").find("not authorized"), std::string::npos);
}

TEST(FindLinkedPackages, AccessDeniedReplyBecomesTheAccessDeniedMessage) {
  LoopbackServer server(testing::sequence({Reply::json(
      400,
      R"({"__type": "AccessDeniedException", "Message": "User: arn:aws:sts::1:x is not authorized"})")}));
  Harness h(server);
  auto pkgs = find_linked_packages(*h.athena, view("quilt_db"), "acme-data", "experiment_id", "EXP1", "wg",
                                   h.options);
  ASSERT_FALSE(pkgs);
  EXPECT_EQ(pkgs.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(pkgs.error().message.rfind("AWS Athena access denied.", 0), 0u) << pkgs.error().message;
  EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
}  // namespace bw::canvas
