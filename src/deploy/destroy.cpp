#include <ostream>

#include "aws/cloudformation.hpp"
#include "aws/sqs.hpp"
#include "deploy/operate.hpp"
#include "deploy/stack_lookup.hpp"
#include "deploy/stack_state.hpp"
#include "deploy/stack_watch.hpp"

namespace bw::deploy {
namespace {

//! Jobs still in the stack's queues: what deleting them would lose.
std::vector<std::string> pending_jobs(const aws::Stack& stack, aws::Sqs& sqs) {
  std::vector<std::string> found;
  for (const char* output : {"WorkQueueUrl", "DeadLetterQueueUrl"}) {
    auto depth = queue_depth(sqs, stack, output);
    if (depth && depth->total() > 0) found.push_back(std::to_string(depth->total()) + " in " + depth->name);
  }
  return found;
}

}  // namespace

core::Result<void> destroy_stack(aws::CloudFormation& cfn, aws::Sqs& sqs, const DestroyOptions& options,
                                 Console& console) {
  auto found = cfn.find_stack(options.stack_name);
  if (!found) return found.error();
  if (!*found || (*found)->status == "DELETE_COMPLETE") {
    console.out << "Stack " << options.stack_name << " does not exist in " << cfn_region(cfn)
                << ": nothing to destroy.\n";
    return {};
  }
  const aws::Stack& stack = **found;
  if (auto ok = check_destroyable(stack.name, stack.status); !ok) return ok.error();

  if (auto jobs = pending_jobs(stack, sqs); !jobs.empty()) {
    std::string list;
    for (const auto& j : jobs) list += (list.empty() ? "" : ", ") + j;
    if (!options.force) {
      return core::make_error(
                 core::ErrorCode::kInvalidArgument, "The stack's queues still hold jobs: " + list,
                 "Deleting the stack deletes them. Let the workers finish (see `benchling-webhook "
                 "status`), or pass --force to delete them anyway")
          .with("Stack", stack.name);
    }
    console.err << "warning: deleting queued jobs (" << list << ")\n";
  }

  console.out << "This deletes stack " << stack.name << " (" << stack.status
              << "): the ECS service, load balancer, API and queues (the log group is kept).\n";
  if (!options.yes) {
    if (!console.confirm) {
      return core::make_error(core::ErrorCode::kInvalidArgument, "Not deleting: nobody can confirm it here",
                              "Run in a terminal to be asked, or pass --yes");
    }
    if (!console.confirm("Delete stack " + stack.name + "?")) {
      return core::make_error(core::ErrorCode::kInvalidArgument, "Cancelled: nothing was deleted");
    }
  }
  auto last = newest_event_id(cfn, stack.id);
  if (!last) return last.error();
  if (auto deleted = cfn.delete_stack(stack.id); !deleted) return deleted.error();
  auto result = watch_stack(cfn, stack.id, *last, console, options.watch);
  if (!result) return result.error();
  if (result->status != "DELETE_COMPLETE") {
    for (const auto& f : result->failures) {
      console.err << "  " << f.logical_id << " (" << f.resource_type << "): " << f.reason << "\n";
    }
    return core::make_error(core::ErrorCode::kRemote,
                            "Stack " + stack.name + " was not deleted: " + result->status,
                            "Remove the resources named above by hand, then destroy again")
        .with("Stack", stack.name);
  }
  console.out << "Stack " << stack.name << " deleted.\n";
  return {};
}

}  // namespace bw::deploy
