#include "aws/logs.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {

namespace {

// A page holds at most 1 MB of log data; JSON escaping (\u0001 for a control byte) can grow it sixfold.
constexpr std::size_t kMaxReply = 16 * 1024 * 1024;
constexpr std::size_t kMaxEvents = static_cast<std::size_t>(kLogsMaxLimit);
constexpr std::size_t kMaxField = 1024;  // event ids, stream names (512), tokens
constexpr std::size_t kMaxToken = 4096;

constexpr ReplyOf kReply{"CloudWatch Logs", "logs", "FilterLogEvents", kMaxReply};

core::Error unreadable(std::string_view why) {
  return unreadable_reply(kReply, why);
}

std::string str(const boost::json::object& obj, std::string_view key, std::size_t limit = kMaxField) {
  return core::get_clipped_string(obj, key, limit);
}

std::optional<std::int64_t> millis(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double() && std::isfinite(v.get_double()) && std::fabs(v.get_double()) < 9e18) {
    return static_cast<std::int64_t>(v.get_double());
  }
  return std::nullopt;
}

}  // namespace

core::Result<FilterResult> parse_filter_log_events(std::string_view json) {
  auto parsed = load_json_reply(json, kReply);
  if (!parsed) return parsed.error();
  const auto& root = *parsed;

  FilterResult out;
  auto token = core::get_optional_string(root, "nextToken", kMaxToken);
  if (!token) return unreadable(token.error().message);
  out.next_token = std::move(*token);

  auto events = core::get_optional_array(root, "events");
  if (!events) return unreadable(events.error().message);
  if (events->size() > kMaxEvents) return unreadable("more than 10000 events in one page");
  out.events.reserve(events->size());
  for (const auto& item : *events) {
    if (!item.is_object()) return unreadable("an event is not an object");
    const auto& o = item.get_object();
    LogEvent e;
    e.event_id = str(o, "eventId");
    e.stream = str(o, "logStreamName");
    auto ts = millis(o, "timestamp");
    if (!ts) return unreadable("an event has no timestamp");
    e.timestamp_ms = *ts;
    e.message = str(o, "message", kLogsMaxMessageBytes);
    out.events.push_back(std::move(e));
  }
  return out;
}

core::Result<FilterResult> Logs::filter_log_events(const FilterRequest& r) {
  auto annotate = [&](core::Error e) {
    e.details.insert(e.details.begin(), {{"LogGroup", r.group}, {"Region", client_.region()}});
    return e;
  };
  if (r.group.empty() || r.group.size() > 512) {
    return annotate(core::make_error(core::ErrorCode::kInvalidArgument,
                                     "A log group name must be 1 to 512 characters",
                                     "Pass the log group (the stack output EcsLogGroup)"));
  }
  boost::json::object body{{"logGroupName", r.group}, {"startTime", r.start_ms}};
  if (r.end_ms) body["endTime"] = *r.end_ms;
  if (r.filter_pattern && !r.filter_pattern->empty()) body["filterPattern"] = *r.filter_pattern;
  if (r.stream_prefix && !r.stream_prefix->empty()) body["logStreamNamePrefix"] = *r.stream_prefix;
  if (r.limit > 0) body["limit"] = std::min(r.limit, kLogsMaxLimit);
  if (r.next_token && !r.next_token->empty()) body["nextToken"] = *r.next_token;

  http::Request req = json_protocol("Logs_20140328.FilterLogEvents", boost::json::serialize(body), "1.1");
  req.max_response_bytes = kMaxReply + 64 * 1024;
  auto reply = client_.call("logs", "logs", std::move(req), "FilterLogEvents");
  if (!reply) return annotate(reply.error());
  if (!reply->error) {
    auto parsed = parse_filter_log_events(reply->response.body);
    if (!parsed) return annotate(parsed.error());
    return parsed;
  }
  const AwsError& err = *reply->error;
  if (err.code == "ResourceNotFoundException") {
    return annotate(core::make_error(core::ErrorCode::kNotFound, "Log group not found: " + r.group,
                                     "Check the log group name and region; it is created with the stack")
                        .with("AWS said", err.message));
  }
  return annotate(to_core_error_saying(err, "FilterLogEvents"));
}

}  // namespace bw::aws
