#include "service/package_target.hpp"

#include <gtest/gtest.h>

#include "core/stop.hpp"

#include <atomic>
#include <chrono>

#include "queue/consumer.hpp"

namespace bw::service {
namespace {

config::ResolvedConfig resolved(const std::string& packager_queue_name) {
  config::ResolvedConfig c;
  c.benchling.user_bucket = "user-bucket";
  c.benchling.pkg_prefix = "benchling";
  c.benchling.api_url = "https://tenant.benchling.com";
  c.quilt.packager_queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/" + packager_queue_name;
  c.quilt.packager_queue.name = packager_queue_name;
  return c;
}

TEST(PackageTarget, TakesTheSecretsDestinationAndTheStacksPackagerQueue) {
  config::ResolvedConfig c = resolved("quilt-packager");
  c.benchling.workflow = "wf";
  const packaging::PackageTarget t = package_target(c);
  EXPECT_EQ(t.bucket, "user-bucket");
  EXPECT_EQ(t.pkg_prefix, "benchling");
  EXPECT_EQ(t.api_url, "https://tenant.benchling.com");
  EXPECT_EQ(t.packager_queue_url, "https://sqs.us-east-1.amazonaws.com/123456789012/quilt-packager");
  EXPECT_FALSE(t.packager_queue_fifo);
  EXPECT_EQ(t.workflow, "wf");
}

TEST(PackageTarget, AFifoPackagerQueueAndNoWorkflow) {
  const packaging::PackageTarget t = package_target(resolved("quilt-packager.fifo"));
  EXPECT_TRUE(t.packager_queue_fifo);
  EXPECT_EQ(t.workflow, "");
}

TEST(PackageTarget, TheStopTokenIsTheJobContexts) {
  core::StopSource source;
  const queue::JobContext context(source.get_token(), 1, "m-1");
  const packaging::StopToken stop = stop_token(context);
  EXPECT_FALSE(stop.stopping());
  EXPECT_TRUE(stop.sleep_for(std::chrono::milliseconds(0)));
  source.request_stop();
  EXPECT_TRUE(stop.stopping());
  EXPECT_FALSE(stop.sleep_for(std::chrono::hours(1)));  // returns at once: the context is stopping
}

}  // namespace
}  // namespace bw::service
