#include "deploy/deploy_stack.hpp"

#include <boost/json/parse.hpp>

#include <ostream>

#include "core/time.hpp"
#include "deploy/stack_state.hpp"
#include "deploy/stack_watch.hpp"

namespace bw::deploy {
namespace {

std::string change_set_name(core::SystemTime now) {
  std::string stamp = core::format_amz_date(now);  // 20261126T120405Z
  return "benchling-webhook-" + stamp;
}

core::Error failed(std::string message, std::string suggestion, const std::string& stack_name) {
  return core::make_error(core::ErrorCode::kRemote, std::move(message), std::move(suggestion))
      .with("Stack", stack_name);
}

//! Waits for a change set to be computed (seconds on AWS).
core::Result<aws::ChangeSet> await_change_set(aws::CloudFormation& cfn, const std::string& id,
                                              const DeployOptions& options, Console& console) {
  const auto deadline = console.now() + std::chrono::minutes(10);
  for (;;) {
    auto cs = cfn.describe_change_set(id, options.stack_name);
    if (!cs) return cs.error();
    if (cs->status == "CREATE_COMPLETE" || cs->status == "FAILED" || cs->status == "DELETE_COMPLETE") {
      return cs;
    }
    if (console.now() >= deadline) {
      return failed("The change set was not ready after 10 minutes (" + cs->status + ")",
                    "Look at it in the CloudFormation console, then deploy again", options.stack_name);
    }
    console.sleep(std::min<std::chrono::milliseconds>(options.watch.poll, std::chrono::seconds(2)));
  }
}

}  // namespace

bool same_template(std::string_view a, std::string_view b) {
  boost::system::error_code ea, eb;
  auto va = boost::json::parse(a, ea);
  auto vb = boost::json::parse(b, eb);
  return !ea && !eb && va == vb;
}

std::string format_change(const aws::ResourceChange& c) {
  std::string line = "  " + c.action;
  if (line.size() < 11) line.append(11 - line.size(), ' ');
  std::string logical = c.logical_id;
  if (logical.size() < 36) logical.append(36 - logical.size(), ' ');
  line.append(logical).append("  ").append(c.resource_type);
  if (c.replacement == "True") line.append("  (replaces the resource)");
  if (c.replacement == "Conditional") line.append("  (may replace the resource)");
  return line;
}

core::Result<DeployOutcome> deploy_stack(aws::CloudFormation& cfn, const std::string& template_body,
                                         const DeployOptions& options, Console& console) {
  const std::string& name = options.stack_name;
  auto existing = cfn.find_stack(name);
  if (!existing) return existing.error();
  const std::string status = *existing ? (*existing)->status : std::string();
  auto phase = check_deployable(name, status, options.region);
  if (!phase) return phase.error();
  const bool create = *phase == StackPhase::kAbsent;

  if (!create) {
    auto deployed = cfn.get_template(name);
    if (!deployed) return deployed.error();
    if (same_template(*deployed, template_body)) {
      console.out << "No changes: stack " << name << " already runs this configuration.\n";
      return DeployOutcome{false, **existing};
    }
  }

  console.out << (create ? "Creating" : "Updating") << " stack " << name << " in " << options.region
              << ": computing the change set...\n";
  aws::ChangeSetRequest request;
  request.stack_name = name;
  request.change_set_name = change_set_name(console.now());
  request.template_body = template_body;
  request.change_set_type = create ? "CREATE" : "UPDATE";
  request.capabilities = {"CAPABILITY_IAM"};
  request.tags = options.tags;
  request.description = "benchling-webhook deploy";
  auto created = cfn.create_change_set(request);
  if (!created) return created.error();

  auto cs = await_change_set(cfn, created->id, options, console);
  if (!cs) return cs.error();
  // A CREATE change set made an empty stack (REVIEW_IN_PROGRESS): leave nothing behind when not applying.
  auto discard = [&] {
    (void)cfn.delete_change_set(created->id, name);
    if (create && !created->stack_id.empty()) (void)cfn.delete_stack(created->stack_id);
  };
  if (cs->status == "FAILED") {
    discard();
    if (cs->has_no_changes()) {
      console.out << "No changes: stack " << name << " already runs this configuration.\n";
      auto now = cfn.find_stack(name);
      if (!now) return now.error();
      return DeployOutcome{false, now->value_or(aws::Stack{})};
    }
    return failed("CloudFormation rejected the change set: " + cs->status_reason,
                  "Fix the cause above and deploy again", name);
  }

  console.out << "Changes:\n";
  for (const auto& change : cs->changes) console.out << format_change(change) << "\n";
  if (cs->changes.empty()) console.out << "  (CloudFormation lists no resource changes)\n";

  if (!options.yes) {
    if (!console.confirm) {
      discard();
      return core::make_error(core::ErrorCode::kInvalidArgument,
                              "Not applying the change set: nobody can confirm it here",
                              "Run in a terminal to be asked, or pass --yes to apply without asking")
          .with("Stack", name);
    }
    if (!console.confirm("Apply these changes to stack " + name + "?")) {
      discard();
      return core::make_error(core::ErrorCode::kInvalidArgument, "Cancelled: nothing was changed");
    }
  }

  const std::string stack_id = created->stack_id.empty() ? name : created->stack_id;
  auto last = newest_event_id(cfn, stack_id);
  if (!last) return last.error();
  if (auto executed = cfn.execute_change_set(created->id, name); !executed) return executed.error();
  console.out << "Applying (stack events follow; ECS waits for the new tasks to be healthy):\n";
  auto result = watch_stack(cfn, stack_id, *last, console, options.watch);
  if (!result) return result.error();
  if (!is_success_status(result->status)) {
    console.err << "Stack " << name << " ended in " << result->status << ".\n";
    if (!result->failures.empty()) console.err << "Failed resources:\n";
    for (const auto& f : result->failures) {
      console.err << "  " << f.logical_id << " (" << f.resource_type << "): " << f.reason << "\n";
    }
    return failed("Deployment failed: stack " + name + " is " + result->status,
                  create ? "Fix the cause above, run `benchling-webhook destroy --stack-name " + name +
                               "`, then deploy again"
                         : "CloudFormation rolled the stack back to its previous state; fix the cause above "
                           "and deploy again",
                  name);
  }
  auto now = cfn.find_stack(stack_id);
  if (!now) return now.error();
  return DeployOutcome{true, now->value_or(aws::Stack{})};
}

}  // namespace bw::deploy
