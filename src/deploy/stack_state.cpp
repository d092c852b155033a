#include "deploy/stack_state.hpp"

namespace bw::deploy {

StackPhase classify_stack_status(std::string_view s) {
  if (s.empty() || s == "REVIEW_IN_PROGRESS" || s == "DELETE_COMPLETE") return StackPhase::kAbsent;
  if (s == "ROLLBACK_COMPLETE" || s == "ROLLBACK_FAILED") return StackPhase::kDeadCreate;
  if (s == "UPDATE_ROLLBACK_FAILED" || s == "DELETE_FAILED" || s == "IMPORT_ROLLBACK_FAILED") {
    return StackPhase::kStuck;
  }
  if (s.ends_with("_IN_PROGRESS")) return StackPhase::kBusy;
  return StackPhase::kStable;  // CREATE/UPDATE/IMPORT_COMPLETE, UPDATE_ROLLBACK_COMPLETE, ...
}

bool is_terminal_status(std::string_view s) {
  return !s.empty() && !s.ends_with("_IN_PROGRESS");
}

bool is_success_status(std::string_view s) {
  return s == "CREATE_COMPLETE" || s == "UPDATE_COMPLETE" || s == "DELETE_COMPLETE" || s == "IMPORT_COMPLETE";
}

core::Result<StackPhase> check_deployable(std::string_view stack_name, std::string_view status,
                                          std::string_view region) {
  const std::string name(stack_name);
  const StackPhase phase = classify_stack_status(status);
  switch (phase) {
    case StackPhase::kAbsent:
    case StackPhase::kStable:
      return phase;
    case StackPhase::kBusy:
      return core::make_error(
                 core::ErrorCode::kInvalidArgument,
                 "Stack " + name + " is busy (" + std::string(status) + ")",
                 "Wait until the running operation ends (`benchling-webhook status --stack-name " + name +
                     "` shows it), then deploy again")
          .with("Stack", name);
    case StackPhase::kDeadCreate:
      return core::make_error(
                 core::ErrorCode::kInvalidArgument,
                 "Stack " + name + " failed to create (" + std::string(status) + ") and can only be deleted",
                 "Run `benchling-webhook destroy --stack-name " + name +
                     "`, fix the cause shown in its failed events, then deploy again")
          .with("Stack", name);
    case StackPhase::kStuck: {
      std::string hint =
          status == "DELETE_FAILED"
              ? "Delete the resources named in the failed events by hand, then run `benchling-webhook "
                "destroy --stack-name " +
                    name + "` again"
              : "Run `aws cloudformation continue-update-rollback --region " + std::string(region) +
                    " --stack-name " + name +
                    "` (add --resources-to-skip for resources that cannot roll back), then deploy again";
      return core::make_error(core::ErrorCode::kInvalidArgument,
                              "Stack " + name + " is stuck in " + std::string(status), hint)
          .with("Stack", name);
    }
  }
  return phase;
}

core::Result<void> check_destroyable(std::string_view stack_name, std::string_view status) {
  if (classify_stack_status(status) != StackPhase::kBusy) return {};
  const std::string name(stack_name);
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          "Stack " + name + " is busy (" + std::string(status) + ")",
                          "Wait until the running operation ends, then destroy again")
      .with("Stack", name);
}

}  // namespace bw::deploy
