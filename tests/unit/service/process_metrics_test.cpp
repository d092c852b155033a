#include <gtest/gtest.h>

#include <string>

#include "core/metrics.hpp"
#include "service/health.hpp"
#include "support/manual_clock.hpp"

namespace bw::service {
namespace {
using namespace std::chrono_literals;

std::string sample(const std::string& text, const std::string& series) {
  const std::string key = "\n" + series + " ";
  const std::size_t at = ("\n" + text).find(key);
  if (at == std::string::npos) return "<absent>";
  const std::size_t begin = at + key.size() - 1;  // -1: the "\n" prepended above
  return text.substr(begin, text.find('\n', begin) - begin);
}

constexpr const char* kConfigAge = "benchling_webhook_config_refresh_age_seconds";
constexpr const char* kStackAge = "benchling_webhook_stack_outputs_age_seconds";
constexpr const char* kJwksAge = "benchling_webhook_jwks_age_seconds";

TEST(ProcessMetrics, AgesAreAbsentUntilThereIsSomethingToAge) {
  testing::ManualClock clock;
  core::metrics::Registry registry;
  ProcessMetrics process(registry, clock.now());
  config::Snapshot s;  // not resolved yet
  process.sample(s, std::nullopt, clock.now());
  const std::string text = registry.render();
  EXPECT_EQ(sample(text, "benchling_webhook_config_ready"), "0");
  EXPECT_EQ(text.find(kConfigAge), std::string::npos);
  EXPECT_EQ(text.find(kStackAge), std::string::npos);
  EXPECT_EQ(text.find(kJwksAge), std::string::npos);
}

TEST(ProcessMetrics, AgesAreComputedAtEachScrapeAndGrow) {
  testing::ManualClock clock;
  core::metrics::Registry registry;
  ProcessMetrics process(registry, clock.now());
  config::Snapshot s;
  s.config = std::make_shared<const config::ResolvedConfig>();
  s.last_stack_success = clock.now();
  clock.advance(90s);
  s.last_success = clock.now();  // a secret-only refresh, 90 s after the full one
  clock.advance(2500ms);

  process.sample(s, std::chrono::milliseconds(4000), clock.now());
  std::string text = registry.render();
  EXPECT_EQ(sample(text, "benchling_webhook_config_ready"), "1");
  EXPECT_EQ(sample(text, kConfigAge), "2.5");
  EXPECT_EQ(sample(text, kStackAge), "92.5");
  EXPECT_EQ(sample(text, kJwksAge), "4");
  EXPECT_NE(text.find("# TYPE benchling_webhook_config_refresh_age_seconds gauge"), std::string::npos);

  clock.advance(10s);  // nothing refreshed meanwhile
  process.sample(s, std::chrono::milliseconds(14000), clock.now());
  text = registry.render();
  EXPECT_EQ(sample(text, kConfigAge), "12.5");
  EXPECT_EQ(sample(text, kStackAge), "102.5");
  EXPECT_EQ(sample(text, kJwksAge), "14");
}

TEST(ProcessMetrics, AClockThatSteppedBackReadsAsZeroNotNegative) {
  testing::ManualClock clock;
  core::metrics::Registry registry;
  ProcessMetrics process(registry, clock.now());
  config::Snapshot s;
  s.config = std::make_shared<const config::ResolvedConfig>();
  s.last_success = clock.now() + 5s;
  s.last_stack_success = clock.now() + 5s;
  process.sample(s, std::chrono::milliseconds(-3), clock.now());
  const std::string text = registry.render();
  EXPECT_EQ(sample(text, kConfigAge), "0");
  EXPECT_EQ(sample(text, kStackAge), "0");
  EXPECT_EQ(sample(text, kJwksAge), "0");
}

}  // namespace
}  // namespace bw::service
