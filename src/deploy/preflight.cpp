#include "deploy/preflight.hpp"

#include <ostream>

#include "aws/s3.hpp"
#include "aws/sqs.hpp"

namespace bw::deploy {
namespace {

void print(std::ostream& out, bool ok, const std::string& name, const std::string& detail) {
  out << "  " << (ok ? "[ok]   " : "[FAIL] ") << name;
  if (!detail.empty()) out << ": " << detail;
  out << "\n";
}

}  // namespace

core::Result<config::ResolvedConfig> preflight(const config::Resolver& resolver, aws::S3& s3, aws::Sqs& sqs,
                                               std::ostream& out) {
  out << "Checking the configuration before deploying\n";
  std::vector<config::Check> checks;
  auto resolved = resolver.resolve(&checks);
  for (const auto& c : checks) print(out, c.ok, c.name, c.detail);
  if (!resolved) return resolved.error();

  const std::string& bucket = resolved->benchling.user_bucket;
  if (auto reached = s3.head_bucket(bucket); !reached) {
    print(out, false, "S3 bucket " + bucket, reached.error().message);
    return reached.error();
  }
  print(out, true, "S3 bucket " + bucket, "reachable");

  // The very URL the service sends to (given by the stack, or derived from its ARN).
  const auto& queue = resolved->quilt.packager_queue;
  auto attributes = sqs.get_queue_attributes(resolved->quilt.packager_queue_url, {"QueueArn"});
  if (!attributes) {
    print(out, false, "Packager queue " + queue.name, attributes.error().message);
    return attributes.error();
  }
  print(out, true, "Packager queue " + queue.name, "exists (" + resolved->quilt.sources.packager_queue + ")");
  return resolved;
}

}  // namespace bw::deploy
