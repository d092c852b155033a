// fuzz/arn_fuzz.cpp: the QuiltStackARN and BenchlingSecret settings.
#include <cstddef>
#include <cstdint>

#include "config/secret_ref.hpp"
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
  return 0;
}
