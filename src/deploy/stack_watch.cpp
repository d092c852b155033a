#include "deploy/stack_watch.hpp"

#include <algorithm>
#include <ostream>

#include "deploy/stack_state.hpp"

namespace bw::deploy {
namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string clock_time(const std::optional<core::SystemTime>& t) {
  if (!t) return "--:--:--";
  const std::string iso = core::format_iso8601(*t);  // 2026-11-26T12:04:05Z
  return iso.size() >= 19 ? iso.substr(11, 8) : iso;
}

bool is_echo(std::string_view reason) {
  return reason.find("Resource creation cancelled") != std::string_view::npos ||
         reason.find("Resource update cancelled") != std::string_view::npos ||
         reason.find("The following resource(s) failed") != std::string_view::npos;
}

}  // namespace

std::string format_event(const aws::StackEvent& e) {
  std::string line = clock_time(e.timestamp);
  line.append("  ").append(pad(e.status, 20)).append("  ").append(pad(e.resource_type, 40)).append("  ");
  line.append(e.logical_id);
  if (!e.reason.empty()) line.append("  ").append(e.reason);
  return line;
}

std::vector<aws::StackEvent> root_causes(const std::vector<aws::StackEvent>& events_newest_first) {
  std::vector<aws::StackEvent> out;
  for (auto it = events_newest_first.rbegin(); it != events_newest_first.rend(); ++it) {
    if (!it->status.ends_with("_FAILED") || it->reason.empty() || is_echo(it->reason)) continue;
    if (it->resource_type == "AWS::CloudFormation::Stack") continue;  // the stack repeats its resources
    out.push_back(*it);
  }
  return out;
}

core::Result<std::string> newest_event_id(aws::CloudFormation& cfn, std::string_view stack) {
  auto events = cfn.describe_stack_events(stack, std::size_t{1});
  if (!events) return events.error();
  return events->empty() ? std::string() : events->front().event_id;
}

core::Result<WatchResult> watch_stack(aws::CloudFormation& cfn, std::string_view stack_id,
                                      std::string after_event_id, Console& console,
                                      const WatchOptions& options) {
  const auto deadline = console.now() + options.timeout;
  std::vector<aws::StackEvent> seen;  // this operation's events, newest first
  for (;;) {
    auto events = cfn.describe_stack_events(stack_id, after_event_id);
    if (events && !events->empty()) {
      // The reply is newest first and stops at after_event_id: print oldest first.
      for (auto it = events->rbegin(); it != events->rend(); ++it) {
        if (it->event_id == after_event_id) continue;
        console.out << "  " << format_event(*it) << "\n";
      }
      console.out.flush();
      std::vector<aws::StackEvent> fresh;
      for (const auto& e : *events) {
        if (e.event_id != after_event_id) fresh.push_back(e);
      }
      seen.insert(seen.begin(), fresh.begin(), fresh.end());
      after_event_id = events->front().event_id;
    }
    auto stack = cfn.find_stack(stack_id);
    if (!stack) return stack.error();
    const std::string status = *stack ? (*stack)->status : std::string("DELETE_COMPLETE");
    if (is_terminal_status(status)) {
      return WatchResult{status, *stack ? (*stack)->status_reason : std::string(), root_causes(seen)};
    }
    if (options.on_poll) {
      if (auto going = options.on_poll(); !going) return going.error();
    }
    if (console.now() >= deadline) {
      return core::make_error(core::ErrorCode::kTransport,
                              "Stopped following the stack after " + std::to_string(options.timeout.count()) +
                                  " s; it is still " + status,
                              "CloudFormation carries on: follow it with `benchling-webhook status`")
          .with("Stack", std::string(stack_id));
    }
    console.sleep(options.poll);
  }
}

}  // namespace bw::deploy
