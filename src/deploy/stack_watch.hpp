// deploy/stack_watch.hpp: follow a stack operation, printing its events as they happen.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/cloudformation.hpp"
#include "deploy/console.hpp"

namespace bw::deploy {

//! One line for an event: "12:04:05  CREATE_FAILED  AWS::ECS::Service  Service  <reason>". Pure.
std::string format_event(const aws::StackEvent& event);

//! The failures worth showing, oldest first: *_FAILED events with a reason, without the echoes
//! CloudFormation adds for resources it cancelled because another one failed. Pure.
std::vector<aws::StackEvent> root_causes(const std::vector<aws::StackEvent>& events_newest_first);

struct WatchResult {
  std::string status;  //!< the terminal stack status ("DELETE_COMPLETE" once the stack is gone)
  std::string reason;  //!< StackStatusReason
  std::vector<aws::StackEvent> failures;  //!< root_causes() of this operation's events
};

//! The newest event id of a stack (to print only what follows), "" when it has none yet.
core::Result<std::string> newest_event_id(aws::CloudFormation& cfn, std::string_view stack);

//! Polls the stack (by id, so a deleted stack is still found) and its events until a terminal status,
//! printing each event newer than `after_event_id`. Times out with an error that says how to follow up.
core::Result<WatchResult> watch_stack(aws::CloudFormation& cfn, std::string_view stack_id,
                                      std::string after_event_id, Console& console,
                                      const WatchOptions& options);

}  // namespace bw::deploy
