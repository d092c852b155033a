#include <charconv>
#include <ostream>
#include <set>

#include "aws/cloudformation.hpp"
#include "aws/logs.hpp"
#include "deploy/operate.hpp"
#include "deploy/stack_lookup.hpp"

namespace bw::deploy {
namespace {

std::int64_t to_ms(core::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string format_line(const aws::LogEvent& e) {
  const auto t = core::SystemTime(std::chrono::milliseconds(e.timestamp_ms));
  // Streams are "benchling-webhook/<container>/<task id>": the task id tells tasks apart.
  const auto slash = e.stream.rfind('/');
  std::string task = slash == std::string::npos ? e.stream : e.stream.substr(slash + 1);
  if (task.size() > 8) task.resize(8);
  std::string message = e.message;
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  return core::format_iso8601(t) + "  " + task + "  " + message;
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || n <= 0) return std::nullopt;
  long long unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  if (n > 30LL * 86400 / unit) return std::nullopt;
  return std::chrono::seconds(n * unit);
}

core::Result<void> show_logs(aws::CloudFormation& cfn, aws::Logs& logs, const LogsOptions& options,
                             Console& console) {
  auto stack = find_service_stack(cfn, options.stack_name);
  if (!stack) return stack.error();
  auto group = stack->output("LogGroupName");
  if (!group) {
    return core::make_error(core::ErrorCode::kInvalidConfig,
                            "Stack " + stack->name + " has no LogGroupName output",
                            "Deploy it again with this version of benchling-webhook");
  }
  std::int64_t start = to_ms(console.now() - options.since);
  std::set<std::string> printed_at_start;  // ids already printed with timestamp == start
  const bool bounded = options.follow_for.has_value();
  const auto follow_until = console.now() + options.follow_for.value_or(std::chrono::milliseconds(0));
  for (;;) {
    std::string token;
    std::int64_t newest = start;
    std::set<std::string> printed_at_newest;
    do {
      aws::FilterLogEventsRequest req;
      req.group = *group;
      req.start_ms = start;
      if (!options.filter.empty()) req.filter_pattern = options.filter;
      if (!token.empty()) req.next_token = token;
      auto page = logs.filter_log_events(req);
      if (!page) return page.error();
      for (const auto& e : page->events) {
        if (e.timestamp_ms == start && printed_at_start.contains(e.event_id)) continue;
        console.out << format_line(e) << "\n";
        if (e.timestamp_ms > newest) {
          newest = e.timestamp_ms;
          printed_at_newest.clear();
        }
        if (e.timestamp_ms == newest) printed_at_newest.insert(e.event_id);
      }
      token = page->next_token;
    } while (!token.empty());
    console.out.flush();
    if (!options.follow) return {};
    if (newest != start) {
      start = newest;
      printed_at_start = std::move(printed_at_newest);
    } else {
      printed_at_start.insert(printed_at_newest.begin(), printed_at_newest.end());
    }
    if (bounded && console.now() >= follow_until) return {};
    console.sleep(options.poll);
  }
}

}  // namespace bw::deploy
