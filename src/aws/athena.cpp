#include "aws/athena.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "aws/client_token.hpp"
#include "aws/json_reply.hpp"
#include "aws/unreadable_reply.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/with_details.hpp"

namespace bw::aws {

namespace {

using namespace std::chrono_literals;

// 1000 rows of Athena's largest practical cells; a page beyond this is not something we can use.
constexpr std::size_t kMaxResultsReply = 16 * 1024 * 1024;
constexpr std::size_t kMaxSmallReply = 1024 * 1024;
constexpr std::size_t kMaxColumns = 1000;
constexpr std::size_t kMaxColumnName = 1024;
constexpr std::size_t kMaxToken = 1024;     // Token: 1..1024
constexpr std::size_t kMaxQueryId = 128;    // QueryExecutionId: 1..128, no whitespace
constexpr std::size_t kMaxReason = 4096;    // StateChangeReason / ErrorMessage kept in errors
constexpr std::size_t kMaxLocation = 2048;  // OutputLocation
constexpr std::size_t kMaxDatabase = 255;
constexpr std::size_t kMinTokenChars = 32;
constexpr std::size_t kMaxTokenChars = 128;

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("Athena", "athena", action, why);
}

core::Error invalid(std::string message, std::string suggestion) {
  return core::make_error(core::ErrorCode::kInvalidArgument, std::move(message), std::move(suggestion));
}

core::Result<boost::json::object> parse_object(std::string_view json, std::string_view action,
                                               std::size_t limit) {
  return load_json_reply(json, {"Athena", "athena", action, limit});
}

const boost::json::object* child_object(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

// A string member cut to `limit` bytes (reasons and messages are shown, not used as keys); "" when absent.
std::string clipped_string(const boost::json::object* obj, std::string_view key, std::size_t limit) {
  return obj == nullptr ? std::string() : core::get_clipped_string(*obj, key, limit);
}

bool valid_query_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxQueryId &&
         std::none_of(id.begin(), id.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

bool valid_workgroup(std::string_view name) {
  return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

QueryState state_from_text(std::string_view s) {
  if (s == "QUEUED") return QueryState::kQueued;
  if (s == "RUNNING") return QueryState::kRunning;
  if (s == "SUCCEEDED") return QueryState::kSucceeded;
  if (s == "FAILED") return QueryState::kFailed;
  if (s == "CANCELLED") return QueryState::kCancelled;
  return QueryState::kUnknown;
}

}  // namespace

const char* to_string(QueryState state) {
  switch (state) {
    case QueryState::kQueued:
      return "QUEUED";
    case QueryState::kRunning:
      return "RUNNING";
    case QueryState::kSucceeded:
      return "SUCCEEDED";
    case QueryState::kFailed:
      return "FAILED";
    case QueryState::kCancelled:
      return "CANCELLED";
    case QueryState::kUnknown:
      break;
  }
  return "UNKNOWN";
}

std::string athena_string_literal(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('\'');
  for (char c : value) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

core::Result<QueryStatus> parse_query_execution(std::string_view json) {
  constexpr std::string_view kAction = "GetQueryExecution";
  auto obj = parse_object(json, kAction, kMaxSmallReply);
  if (!obj) return obj.error();
  const boost::json::object* exec = child_object(*obj, "QueryExecution");
  if (exec == nullptr) return unreadable(kAction, "no QueryExecution object");
  const boost::json::object* status = child_object(*exec, "Status");
  if (status == nullptr) return unreadable(kAction, "no Status object");
  auto state = status->find("State");
  if (state == status->end() || !state->value().is_string() || state->value().get_string().empty() ||
      state->value().get_string().size() > 64) {
    return unreadable(kAction, "no State");
  }
  QueryStatus out;
  out.state_text = std::string(state->value().get_string());
  out.state = state_from_text(out.state_text);
  out.state_change_reason = clipped_string(status, "StateChangeReason", kMaxReason);
  out.error_message = clipped_string(child_object(*status, "AthenaError"), "ErrorMessage", kMaxReason);
  out.output_location =
      clipped_string(child_object(*exec, "ResultConfiguration"), "OutputLocation", kMaxLocation);
  return out;
}

core::Result<ResultPage> parse_query_results(std::string_view json) {
  constexpr std::string_view kAction = "GetQueryResults";
  auto obj = parse_object(json, kAction, kMaxResultsReply);
  if (!obj) return obj.error();
  ResultPage page;

  auto token = core::get_optional_string(*obj, "NextToken", kMaxToken);
  if (!token) return unreadable(kAction, token.error().message);
  if (!token->empty()) page.next_token = std::move(*token);

  const boost::json::object* set = child_object(*obj, "ResultSet");
  if (set == nullptr) return page;  // an UPDATE/DDL reply may carry no result set at all

  if (const boost::json::object* meta = child_object(*set, "ResultSetMetadata")) {
    auto cols = core::get_optional_array(*meta, "ColumnInfo");
    if (!cols) return unreadable(kAction, cols.error().message);
    if (cols->size() > kMaxColumns) return unreadable(kAction, "too many columns");
    for (const auto& c : *cols) {
      if (!c.is_object()) return unreadable(kAction, "a column is not an object");
      auto name = c.get_object().find("Name");
      if (name == c.get_object().end() || !name->value().is_string())
        return unreadable(kAction, "a column has no Name");
      if (name->value().get_string().size() > kMaxColumnName)
        return unreadable(kAction, "a column name is too long");
      page.columns.emplace_back(name->value().get_string());
    }
  }

  auto rows = core::get_optional_array(*set, "Rows");
  if (!rows) return unreadable(kAction, rows.error().message);
  if (rows->size() > static_cast<std::size_t>(kAthenaMaxPageRows))
    return unreadable(kAction, "more than 1000 rows in one page");
  page.rows.reserve(rows->size());
  for (const auto& r : *rows) {
    if (!r.is_object()) return unreadable(kAction, "a row is not an object");
    std::vector<std::optional<std::string>> cells;
    auto data = core::get_optional_array(r.get_object(), "Data");
    if (!data) return unreadable(kAction, "a row's " + data.error().message);
    if (data->size() > kMaxColumns) return unreadable(kAction, "a row has too many cells");
    cells.reserve(data->size());
    for (const auto& d : *data) {
      if (!d.is_object()) return unreadable(kAction, "a cell is not an object");
      auto v = d.get_object().find("VarCharValue");
      if (v == d.get_object().end() || v->value().is_null()) {
        cells.emplace_back(std::nullopt);  // Athena omits VarCharValue for SQL NULL
      } else if (v->value().is_string()) {
        cells.emplace_back(std::string(v->value().get_string()));
      } else {
        return unreadable(kAction, "a VarCharValue is not a string");
      }
    }
    page.rows.push_back(std::move(cells));
  }
  return page;
}

core::Result<std::string> Athena::call(std::string_view action, std::string body,
                                       std::string_view query_execution_id) {
  http::Request req = json_protocol("AmazonAthena." + std::string(action), std::move(body), "1.1");
  req.timeout = 30s;
  req.max_response_bytes = kMaxResultsReply;
  auto reply = client_.call("athena", "athena", std::move(req), action);
  auto annotate = [&](core::Error e) {
    if (!query_execution_id.empty()) e.with("query execution id", std::string(query_execution_id));
    e.with("Region", client_.region());
    return e;
  };
  if (!reply) return annotate(reply.error());
  if (!reply->error) return std::move(reply->response.body);
  // The canvas shows only the message, so keep what Athena said in it ("Database x does not exist").
  return annotate(to_core_error_saying(*reply->error, action));
}

core::Result<std::string> Athena::start_query(std::string_view sql,
                                              const std::vector<std::string>& execution_parameters,
                                              std::string_view database, std::string_view workgroup,
                                              std::optional<std::string> output_location) {
  QueryRequest request;
  request.sql = std::string(sql);
  request.execution_parameters = execution_parameters;
  request.database = std::string(database);
  request.workgroup = std::string(workgroup);
  request.output_location = std::move(output_location);
  return start_query(request);
}

core::Result<std::string> Athena::start_query(const QueryRequest& r) {
  constexpr std::string_view kAction = "StartQueryExecution";
  if (r.sql.empty() || r.sql.size() > kAthenaMaxQueryBytes) {
    return invalid("Athena query text must be 1 to 262144 bytes", "Shorten the query")
        .with("size", std::to_string(r.sql.size()));
  }
  if (r.database.empty() || r.database.size() > kMaxDatabase) {
    return invalid("Athena database name must be 1 to 255 characters",
                   "Check the Quilt stack output UserAthenaDatabaseName");
  }
  if (!valid_workgroup(r.workgroup)) {
    return invalid("Invalid Athena workgroup name",
                   "A workgroup name has 1-128 letters, digits, '.', '_' or '-'")
        .with("workgroup", r.workgroup.substr(0, 128));
  }
  for (std::size_t i = 0; i < r.execution_parameters.size(); ++i) {
    const auto& p = r.execution_parameters[i];
    if (p.empty() || p.size() > kAthenaMaxParameterBytes) {
      return invalid("Athena execution parameters must be 1 to 1024 bytes each", "Pass a shorter value")
          .with("parameter", std::to_string(i + 1))
          .with("size", std::to_string(p.size()));
    }
  }
  if (r.output_location && (r.output_location->empty() || r.output_location->size() > kMaxLocation)) {
    return invalid("Invalid Athena output location", "Give an s3:// URL, or none to use the workgroup's");
  }
  const std::string token = r.client_request_token.value_or(client_token());
  if (token.size() < kMinTokenChars || token.size() > kMaxTokenChars) {
    return invalid("Athena ClientRequestToken must be 32 to 128 characters", "Pass a longer unique token");
  }

  boost::json::object body{{"QueryString", r.sql},
                           {"ClientRequestToken", token},
                           {"QueryExecutionContext", boost::json::object{{"Database", r.database}}},
                           {"WorkGroup", r.workgroup}};
  if (!r.execution_parameters.empty()) {
    boost::json::array params;
    for (const auto& p : r.execution_parameters) params.emplace_back(p);
    body["ExecutionParameters"] = std::move(params);
  }
  if (r.output_location) {
    body["ResultConfiguration"] = boost::json::object{{"OutputLocation", *r.output_location}};
  }

  auto reply = call(kAction, boost::json::serialize(body));
  if (!reply) {
    core::Error e = reply.error();
    return e.with("database", r.database).with("workgroup", r.workgroup);
  }
  auto obj = parse_object(*reply, kAction, kMaxSmallReply);
  if (!obj) return obj.error();
  auto id = core::get_string(*obj, "QueryExecutionId");
  if (!id || !valid_query_id(*id)) return unreadable(kAction, "no valid QueryExecutionId");
  return std::move(*id);
}

core::Result<QueryStatus> Athena::get_query_execution(std::string_view query_execution_id) {
  auto reply = call("GetQueryExecution",
                    boost::json::serialize(boost::json::object{{"QueryExecutionId", query_execution_id}}),
                    query_execution_id);
  if (!reply) return reply.error();
  return core::with_details(parse_query_execution(*reply), {{"query execution id", query_execution_id}});
}

core::Result<ResultPage> Athena::get_query_results(std::string_view query_execution_id,
                                                   std::optional<std::string> next_token, int max_results) {
  boost::json::object body{{"QueryExecutionId", query_execution_id},
                           {"MaxResults", std::clamp(max_results, 1, kAthenaMaxPageRows)}};
  if (next_token) body["NextToken"] = *next_token;
  auto reply = call("GetQueryResults", boost::json::serialize(body), query_execution_id);
  if (!reply) return reply.error();
  return core::with_details(parse_query_results(*reply), {{"query execution id", query_execution_id}});
}

core::Result<void> Athena::stop_query(std::string_view query_execution_id) {
  auto reply = call("StopQueryExecution",
                    boost::json::serialize(boost::json::object{{"QueryExecutionId", query_execution_id}}),
                    query_execution_id);
  if (!reply) return reply.error();
  return {};
}

core::Result<QueryResult> Athena::run_query(const QueryRequest& request, const RunOptions& options) {
  const SteadyNowFn now = options.now ? options.now : [] { return std::chrono::steady_clock::now(); };
  // False when the stop ended the wait (an injected sleep never stops).
  const auto sleep = [&options](std::chrono::milliseconds d) {
    if (!options.sleep) return core::sleep_for(d, options.stop);
    options.sleep(d);
    return !options.stop.stop_requested();
  };
  const auto deadline = now() + options.timeout;

  auto id = start_query(request);
  if (!id) return id.error();

  auto status = get_query_execution(*id);
  auto interval = std::max(options.poll_interval, std::chrono::milliseconds(1));
  const auto cap = std::max(options.max_poll_interval, interval);
  // Nobody will read the result: stop the query so it does not keep scanning (and billing).
  const auto abandon = [&] {
    if (auto stopped = stop_query(*id); !stopped) {
      core::log::warn("could not stop abandoned Athena query",
                      {{"query_execution_id", *id}, {"error", stopped.error().message}});
    }
  };
  while (status && !is_terminal(status->state)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now());
    if (left <= std::chrono::milliseconds::zero()) {
      abandon();
      core::Error e =
          core::make_error(core::ErrorCode::kRemote,
                           "Athena query timed out after " + seconds_text(options.timeout) + ": " + *id,
                           "Retry later; if it persists, check the workgroup's capacity");
      return e.with("query execution id", *id).with("state", status->state_text);
    }
    if (!sleep(std::min(interval, left))) {
      abandon();
      return core::make_error(core::ErrorCode::kCancelled, "stopped while waiting for Athena query " + *id,
                              "the service is shutting down; the work is picked up again after the restart")
          .with("query execution id", *id)
          .with("state", status->state_text);
    }
    interval = std::min(interval * 2, cap);
    status = get_query_execution(*id);
  }
  if (!status) return status.error();

  if (status->state == QueryState::kFailed || status->state == QueryState::kCancelled) {
    std::string reason = status->state_change_reason;
    if (reason.empty()) reason = status->error_message;
    if (reason.empty()) reason = "Unknown error";
    const bool failed = status->state == QueryState::kFailed;
    core::Error e = core::make_error(
        core::ErrorCode::kRemote,
        (failed ? "Athena query failed: " : "Athena query was cancelled: ") + reason,
        failed
            ? "Check the query, the database and table names, and the IAM permissions for Athena, Glue and "
              "the results bucket"
            : "Run the query again");
    return e.with("query execution id", *id).with("state", status->state_text);
  }

  QueryResult result;
  result.query_execution_id = *id;
  std::optional<std::string> token;
  for (bool first = true; first || token; first = false) {
    if (result.rows.size() >= options.max_rows) {
      result.truncated = true;
      break;
    }
    auto page = get_query_results(*id, token, options.page_size);
    if (!page) return page.error();
    if (first) result.columns = std::move(page->columns);
    for (auto& row : page->rows) {
      if (result.rows.size() >= options.max_rows) {
        result.truncated = true;
        break;
      }
      result.rows.push_back(std::move(row));
    }
    if (result.truncated) break;
    // A token that does not move would loop forever.
    if (page->next_token && token && *page->next_token == *token) {
      return unreadable("GetQueryResults", "NextToken repeats").with("query execution id", *id);
    }
    token = std::move(page->next_token);
  }
  return result;
}

}  // namespace bw::aws
