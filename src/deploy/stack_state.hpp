// deploy/stack_state.hpp: what a CloudFormation stack status allows deploy and destroy to do, pure.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::deploy {

enum class StackPhase {
  kAbsent,      //!< no stack (or only a never-executed change set): create
  kStable,      //!< *_COMPLETE other than a failed create: update
  kBusy,        //!< an operation is running: wait
  kDeadCreate,  //!< the first create failed (ROLLBACK_COMPLETE/ROLLBACK_FAILED): only delete helps
  kStuck,       //!< UPDATE_ROLLBACK_FAILED or DELETE_FAILED: needs a hand
};

StackPhase classify_stack_status(std::string_view status);

//! Terminal statuses of a create, update or delete, and whether they mean success.
bool is_terminal_status(std::string_view status);
bool is_success_status(std::string_view status);

//! The error deploy gives for a stack it cannot create or update, or nothing when it can proceed.
//! Each message names the stack and status, and the suggestion gives the command that helps.
core::Result<StackPhase> check_deployable(std::string_view stack_name, std::string_view status,
                                          std::string_view region);

//! The error destroy gives for a stack being changed right now, or nothing.
core::Result<void> check_destroyable(std::string_view stack_name, std::string_view status);

}  // namespace bw::deploy
