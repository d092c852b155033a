// aws/athena.hpp: Athena over the JSON 1.1 protocol (start, poll, read results; run_query does all three).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/backoff.hpp"
#include "core/error.hpp"
#include "core/stop.hpp"

namespace bw::aws {

//! Athena's limits (botocore service model, athena 2017-05-18).
inline constexpr std::size_t kAthenaMaxQueryBytes = 262144;
inline constexpr std::size_t kAthenaMaxParameterBytes = 1024;
inline constexpr int kAthenaMaxPageRows = 1000;

enum class QueryState { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kUnknown };

//! "QUEUED", "RUNNING", ...; "UNKNOWN" for kUnknown.
const char* to_string(QueryState state);
//! SUCCEEDED, FAILED and CANCELLED: the query will not change any more.
inline bool is_terminal(QueryState s) {
  return s == QueryState::kSucceeded || s == QueryState::kFailed || s == QueryState::kCancelled;
}

//! What GetQueryExecution says about a query.
struct QueryStatus {
  QueryState state = QueryState::kUnknown;
  std::string state_text;           //!< the State as sent (kept when it is one we do not know)
  std::string state_change_reason;  //!< why it FAILED / was CANCELLED; may be empty
  std::string error_message;        //!< Status.AthenaError.ErrorMessage; may be empty
  std::string output_location;      //!< ResultConfiguration.OutputLocation; may be empty
};

//! One GetQueryResults page. Cells are nullopt where Athena sent no VarCharValue (SQL NULL).
//! Real Athena repeats the column names as the first row of the first page of a SELECT; it is kept.
struct ResultPage {
  std::vector<std::string> columns;  //!< ResultSetMetadata.ColumnInfo[].Name; empty when absent
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::optional<std::string> next_token;
};

//! Every page of a finished query, in order.
struct QueryResult {
  std::string query_execution_id;
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  //! True when reading stopped at RunOptions::max_rows with more pages left.
  bool truncated = false;
};

//! One query to run. `execution_parameters` replace the `?` placeholders in order. Athena reads each
//! one as a SQL literal, so a string must be sent quoted: use athena_string_literal().
struct QueryRequest {
  std::string sql;
  std::vector<std::string> execution_parameters;
  std::string database;
  std::string workgroup = "primary";
  //! ResultConfiguration.OutputLocation; omitted when unset (the workgroup's setting applies).
  std::optional<std::string> output_location;
  //! Idempotency token (32-128 characters); a random one is made when unset.
  std::optional<std::string> client_request_token;
};

//! A monotonic clock, for deadlines; tests pass one that their SleepFn advances.
using SteadyNowFn = std::function<std::chrono::steady_clock::time_point()>;

struct RunOptions {
  std::chrono::milliseconds timeout{30000};           //!< from the start call to a terminal state
  std::chrono::milliseconds poll_interval{500};       //!< first wait between GetQueryExecution calls
  std::chrono::milliseconds max_poll_interval{2000};  //!< the wait doubles up to this
  std::size_t max_rows = 10000;                       //!< stop reading pages beyond this many rows
  int page_size = kAthenaMaxPageRows;                 //!< MaxResults per GetQueryResults (1..1000)
  //! Where the polls wait; empty: the real clock, woken at once by `stop`.
  core::SleepFn sleep = {};
  //! Ends the wait at once: the query is stopped and run_query returns kCancelled.
  core::StopToken stop = {};
  SteadyNowFn now = [] { return std::chrono::steady_clock::now(); };
};

//! `value` as a SQL string literal for an execution parameter: single quotes around it, each ' doubled.
//! Pure.
std::string athena_string_literal(std::string_view value);

//! Parses a GetQueryExecution reply body. Pure; bounded; errors never quote the body.
core::Result<QueryStatus> parse_query_execution(std::string_view json);
//! Parses a GetQueryResults reply body. Pure; bounded (rows, cells, sizes); errors never quote the body.
core::Result<ResultPage> parse_query_results(std::string_view json);

class Athena {
 public:
  explicit Athena(AwsClient& client) : client_(client) {}

  AwsClient& client() const { return client_; }

  //! StartQueryExecution with QueryExecutionContext.Database, WorkGroup, ExecutionParameters (when
  //! non-empty), ResultConfiguration.OutputLocation (when given) and a ClientRequestToken, which also
  //! makes AwsClient's retries of this call safe. Returns the QueryExecutionId.
  //! Inputs beyond Athena's limits are kInvalidArgument without a call.
  core::Result<std::string> start_query(std::string_view sql,
                                        const std::vector<std::string>& execution_parameters,
                                        std::string_view database, std::string_view workgroup,
                                        std::optional<std::string> output_location = std::nullopt);
  core::Result<std::string> start_query(const QueryRequest& request);

  core::Result<QueryStatus> get_query_execution(std::string_view query_execution_id);

  //! One page; max_results is clamped to 1..1000.
  core::Result<ResultPage> get_query_results(std::string_view query_execution_id,
                                             std::optional<std::string> next_token = std::nullopt,
                                             int max_results = kAthenaMaxPageRows);

  //! StopQueryExecution (used when run_query gives up on a query).
  core::Result<void> stop_query(std::string_view query_execution_id);

  //! Starts `request`, polls GetQueryExecution (at once, then after poll_interval doubling up to
  //! max_poll_interval) until a terminal state or the timeout, then reads every page up to max_rows.
  //! Errors: FAILED -> kRemote "Athena query failed: <reason|Unknown error>"; CANCELLED -> kRemote
  //! "Athena query was cancelled: ..."; timeout -> kRemote (healable) "Athena query timed out after
  //! <n>s: <id>", after a best-effort StopQueryExecution. Each carries the query id as a detail.
  core::Result<QueryResult> run_query(const QueryRequest& request, const RunOptions& options = {});

  //! Every error reply of the calls above goes through to_core_error(); the calls carry the query id
  //! (when there is one) and the region as details.

 private:
  core::Result<std::string> call(std::string_view action, std::string body,
                                 std::string_view query_execution_id = {});

  AwsClient& client_;
};

}  // namespace bw::aws
