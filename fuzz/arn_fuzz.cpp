// fuzz/arn_fuzz.cpp: the QuiltStackARN and BenchlingSecret settings, and the packager queue outputs.
#include <cstddef>
#include <cstdint>

#include "config/secret_ref.hpp"
#include "config/sqs_queue.hpp"
#include "config/stack_arn.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = bw::fuzz::as_view(data, size);
  auto arn = bw::config::parse_stack_arn(text);
  if (arn && (arn->account.size() != 12 || arn->region.empty() || arn->name.empty() || arn->id.empty())) {
    bw::fuzz::property_failed("parse_stack_arn accepted an ARN with a bad part");
  }
  auto ref = bw::config::parse_secret_ref(text);
  if (ref) (void)ref->display();
  auto ref_in_region = bw::config::parse_secret_ref(text, "us-east-1");
  if (ref_in_region) (void)ref_in_region->display();
  // A queue URL gives an ARN that parses back to the same queue, and an ARN a URL that does.
  if (auto url = bw::config::parse_sqs_queue_url(text, "us-east-1")) {
    auto back = bw::config::parse_sqs_queue_arn(url->arn);
    if (!back || back->region != url->region || back->account != url->account || back->name != url->name)
      bw::fuzz::property_failed("parse_sqs_queue_url derived an ARN that does not name its queue");
  }
  if (auto arn_queue = bw::config::parse_sqs_queue_arn(text)) {
    auto back = bw::config::parse_sqs_queue_url(arn_queue->url, arn_queue->region);
    if (!back || back->arn != arn_queue->arn)
      bw::fuzz::property_failed("parse_sqs_queue_arn derived a URL that does not name its queue");
  }
  return 0;
}
