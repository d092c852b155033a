// fuzz/cloudformation_deploy_fuzz.cpp: the XML replies deploy/status/destroy read (change sets, stack
// events, templates, CreateChangeSet), one input through each.
#include <cstddef>
#include <cstdint>

#include "aws/cloudformation.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto xml = bw::fuzz::as_view(data, size);
  if (auto cs = bw::aws::parse_describe_change_set(xml)) (void)cs->change_set.has_no_changes();
  (void)bw::aws::parse_stack_events(xml);
  (void)bw::aws::parse_get_template(xml);
  (void)bw::aws::parse_create_change_set(xml);
  return 0;
}
