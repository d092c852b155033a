// aws/logs.hpp: CloudWatch Logs FilterLogEvents (JSON 1.1 protocol), for the `logs` command.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

//! CloudWatch Logs' limit on one event's message; longer ones are cut to this.
inline constexpr std::size_t kLogsMaxMessageBytes = 256 * 1024;
//! FilterLogEvents' largest page.
inline constexpr int kLogsMaxLimit = 10000;

struct FilterRequest {
  std::string group;
  std::int64_t start_ms = 0;  //!< epoch milliseconds, inclusive
  std::optional<std::int64_t> end_ms;
  std::optional<std::string> filter_pattern;  //!< CloudWatch filter syntax; omitted when unset or empty
  std::optional<std::string> stream_prefix;   //!< logStreamNamePrefix; omitted when unset or empty
  int limit = 0;                              //!< events per page, clamped to 1..10000; 0: AWS's default
  std::optional<std::string> next_token;      //!< omitted when unset or empty
};

//! The name the CLI code uses.
using FilterLogEventsRequest = FilterRequest;

struct LogEvent {
  std::string event_id;
  std::string stream;
  std::int64_t timestamp_ms = 0;
  std::string message;  //!< at most kLogsMaxMessageBytes (cut on a UTF-8 boundary)
};

struct FilterResult {
  std::vector<LogEvent> events;  //!< in the order AWS sent them (by time within each stream)
  std::string next_token;        //!< empty on the last page
};

//! Parses a FilterLogEvents reply ("nextToken": null or absent means the last page). Pure; bounded
//! (16 MiB, 10,000 events, fields clipped); an unreadable reply is kRemote, never quoted.
core::Result<FilterResult> parse_filter_log_events(std::string_view json);

class Logs {
 public:
  explicit Logs(AwsClient& client) : client_(client) {}

  //! One FilterLogEvents page (X-Amz-Target Logs_20140328.FilterLogEvents, service "logs", endpoint
  //! variable AWS_ENDPOINT_URL_CLOUDWATCH_LOGS). An empty group is kInvalidArgument without a call.
  //! Errors: ResourceNotFoundException -> kNotFound "Log group not found: <group>"; else
  //! to_core_error() with AWS's message. Each carries the LogGroup and Region details.
  core::Result<FilterResult> filter_log_events(const FilterRequest& request);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
