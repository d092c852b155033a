#include "service/package_target.hpp"

#include "queue/consumer.hpp"

namespace bw::service {

packaging::PackageTarget package_target(const config::ResolvedConfig& config) {
  packaging::PackageTarget t;
  t.bucket = config.benchling.user_bucket;
  t.pkg_prefix = config.benchling.pkg_prefix;
  t.api_url = config.benchling.api_url;
  t.packager_queue_url = config.quilt.packager_queue_url;
  t.packager_queue_fifo = config.quilt.packager_queue.name.ends_with(".fifo");
  t.workflow = config.benchling.workflow.value_or("");
  return t;
}

packaging::StopToken stop_token(const queue::JobContext& context) {
  return {[&context] { return context.stopping(); },
          [&context](std::chrono::milliseconds d) { return context.sleep_for(d); }};
}

}  // namespace bw::service
