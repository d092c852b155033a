// fuzz/ecs_logs_fuzz.cpp: the JSON replies of ECS DescribeServices and CloudWatch Logs FilterLogEvents.
#include <cstddef>
#include <cstdint>

#include "aws/ecs.hpp"
#include "aws/logs.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = bw::fuzz::as_view(data, size);
  (void)bw::aws::parse_describe_services(json, "benchling-webhook");
  auto page = bw::aws::parse_filter_log_events(json);
  if (page) {
    for (const auto& e : page->events) {
      if (e.message.size() > bw::aws::kLogsMaxMessageBytes)
        bw::fuzz::property_failed("message over its bound");
    }
  }
  return 0;
}
