// fuzz/describe_stacks_fuzz.cpp: the CloudFormation DescribeStacks XML reply parser.
#include <cstddef>
#include <cstdint>

#include "aws/cloudformation.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto stack = bw::aws::parse_describe_stacks(bw::fuzz::as_view(data, size), "quilt-stack");
  if (stack) (void)stack->output("PackagerQueueArn");
  return 0;
}
