#include "service/webhooks.hpp"

#include <gtest/gtest.h>

#include <string>

#include "benchling/signature.hpp"
#include "core/metrics.hpp"

namespace bw::service {
namespace {
using benchling::VerifyFailure;

//! The value of the one series line that starts with `series` + " ", or "<absent>".
std::string sample(const std::string& text, const std::string& series) {
  const std::string key = series + " ";
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    if (line.starts_with(key)) return std::string(line.substr(key.size()));
    at = end + 1;
  }
  return "<absent>";
}

std::string failures(const char* route, const char* reason) {
  return std::string("benchling_webhook_webhook_verification_failures_total{route=\"") + route +
         "\",reason=\"" + reason + "\"}";
}

TEST(WebhookMetrics, VerificationFailuresAreCountedByRouteAndReason) {
  core::metrics::Registry registry;
  WebhookMetrics metrics(registry);
  metrics.verification_failed(WebhookRoute::kLifecycle, VerifyFailure::kNoMatchingSignature);
  metrics.verification_failed(WebhookRoute::kLifecycle, VerifyFailure::kNoMatchingSignature);
  metrics.verification_failed(WebhookRoute::kEvent, VerifyFailure::kTooOld);
  metrics.verification_failed(WebhookRoute::kCanvas, VerifyFailure::kHeaderTooLong);
  const std::string text = registry.render();
  EXPECT_EQ(sample(text, failures("lifecycle", "no_matching_signature")), "2");
  EXPECT_EQ(sample(text, failures("event", "too_old")), "1");
  EXPECT_EQ(sample(text, failures("canvas", "header_too_long")), "1");
  EXPECT_EQ(sample(text, failures("event", "no_matching_signature")), "0");
  EXPECT_EQ(sample(text, failures("lifecycle", "too_old")), "0");
}

TEST(WebhookMetrics, EveryRouteAndReasonIsRegisteredUpFrontAtZero) {
  core::metrics::Registry registry;
  WebhookMetrics metrics(registry);
  const std::string text = registry.render();
  int series = 0;
  for (const char* route : {"event", "lifecycle", "canvas"}) {
    for (int r = 0; r <= int(VerifyFailure::kKeysUnavailable); ++r) {
      EXPECT_EQ(sample(text, failures(route, benchling::to_string(VerifyFailure(r)))), "0")
          << route << " " << benchling::to_string(VerifyFailure(r));
      ++series;
    }
  }
  EXPECT_EQ(series, 36);
  // Nothing else in that family: the label set is fixed.
  std::size_t count = 0;
  for (std::size_t at = text.find("benchling_webhook_webhook_verification_failures_total{");
       at != std::string::npos;
       at = text.find("benchling_webhook_webhook_verification_failures_total{", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 36u);
}

TEST(WebhookMetrics, AnsweredCountsUnusualStatusesToo) {
  core::metrics::Registry registry;
  WebhookMetrics metrics(registry);
  metrics.answered(WebhookRoute::kEvent, 200);
  metrics.answered(WebhookRoute::kEvent, 418);
  const std::string text = registry.render();
  EXPECT_EQ(sample(text, "benchling_webhook_webhooks_total{route=\"event\",status=\"200\"}"), "1");
  EXPECT_EQ(sample(text, "benchling_webhook_webhooks_total{route=\"event\",status=\"418\"}"), "1");
}

}  // namespace
}  // namespace bw::service
