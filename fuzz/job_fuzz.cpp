// fuzz/job_fuzz.cpp: work-queue message decoding; what decodes must encode back to a decodable job.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "queue/job.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto job = bw::queue::decode_job(bw::fuzz::as_view(data, size));
  if (!job) return 0;
  if (!bw::queue::validate_job(*job)) bw::fuzz::property_failed("decode_job returned an invalid job");
  auto encoded = bw::queue::encode_job(*job);
  // Re-encoding may differ in escaping and so in size; only a too-large job may fail.
  if (!encoded) {
    if (encoded.error().code != bw::core::ErrorCode::kTooLarge)
      bw::fuzz::property_failed("encode_job rejected a decoded job");
    return 0;
  }
  auto again = bw::queue::decode_job(*encoded);
  if (!again || !(*again == *job)) bw::fuzz::property_failed("job does not round-trip");
  return 0;
}
