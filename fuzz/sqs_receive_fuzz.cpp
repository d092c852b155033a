// fuzz/sqs_receive_fuzz.cpp: the SQS ReceiveMessage reply parser.
#include <cstddef>
#include <cstdint>

#include "aws/sqs.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto messages = bw::aws::parse_receive_messages(bw::fuzz::as_view(data, size));
  if (messages) {
    if (messages->size() > 10) bw::fuzz::property_failed("parse_receive_messages returned more than 10");
    for (const auto& m : *messages) (void)m.receive_count();
  }
  return 0;
}
