// fuzz/signature_fuzz.cpp: webhook-* header parsing and the signature checks before the keys.
// Input: line 1 webhook-id, line 2 webhook-timestamp, line 3 webhook-signature, the rest the body; a
// missing line leaves that header out.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "benchling/signature.hpp"
#include "fuzz_util.hpp"

namespace {

// The timestamp of tests/fixtures/webhooks/vectors.json, so seeds from it pass the time window.
constexpr std::int64_t kVectorsTimestamp = 1717171717;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto input = bw::fuzz::as_view(data, size);
  auto lines = bw::fuzz::split_lines(input);

  bw::http::Headers headers;
  const char* names[] = {"webhook-id", "Webhook-Timestamp", "WEBHOOK-SIGNATURE"};
  std::size_t used = 0;
  for (std::size_t i = 0; i < 3 && i < lines.size(); ++i) {
    headers.emplace_back(names[i], std::string(lines[i]));
    used += lines[i].size() + 1;
  }
  std::string_view body = used < input.size() ? input.substr(used) : std::string_view{};

  auto now = bw::core::SystemTime(std::chrono::seconds(kVectorsTimestamp));
  if (lines.size() > 1) {
    auto us = bw::benchling::parse_webhook_timestamp_us(lines[1]);
    if (us && *us < 0) bw::fuzz::property_failed("parse_webhook_timestamp_us returned a negative time");
    // Odd sizes: "now" is the delivery's own time, so the signature list is always reached.
    // SystemTime counts nanoseconds in 64 bits: it ends in 2262, so later timestamps keep the fixed "now".
    constexpr std::int64_t kMaxSystemTimeUs = 9'000'000'000'000'000;
    if (us && *us <= kMaxSystemTimeUs && size % 2 == 1)
      now = bw::core::SystemTime(std::chrono::microseconds(*us));
  }

  auto prepared = bw::benchling::prepare_delivery(headers, body, now);
  if (prepared.signatures.size() > bw::benchling::kMaxSignatures) {
    bw::fuzz::property_failed("prepare_delivery kept more than kMaxSignatures");
  }
  bw::benchling::PublicKeys no_keys;
  auto result = bw::benchling::verify_signature(headers, body, no_keys, now);
  if (result.ok || !result.failure) bw::fuzz::property_failed("verify_signature passed without keys");
  return 0;
}
