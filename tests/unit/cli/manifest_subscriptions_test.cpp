// The manifest and the intake must agree: every message the app subscribes to becomes work.
#include <gtest/gtest.h>

#include "deploy/app_manifest.hpp"
#include "service/intake.hpp"

namespace bw {
namespace {

TEST(ManifestSubscriptions, EverySubscribedMessageBecomesAJob) {
  for (const auto& type : deploy::subscribed_messages()) {
    benchling::Envelope env;
    env.event_type = type;
    env.entry_id = "etr_abc123";
    env.canvas_id = "cnvs_1";
    env.event_id = "evt_1";
    const bool canvas = type.starts_with("v2.canvas.");
    if (type == "v2.canvas.userInteracted") env.button_id = "browse-files-etr_abc123";
    auto decision =
        service::decide(canvas ? service::WebhookRoute::kCanvas : service::WebhookRoute::kEvent, env);
    EXPECT_TRUE(decision.job.has_value()) << type << " is subscribed but not processed";
  }
}

}  // namespace
}  // namespace bw
