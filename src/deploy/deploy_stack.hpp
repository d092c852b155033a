// deploy/deploy_stack.hpp: create or update the service's stack through a change set.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aws/cloudformation.hpp"
#include "deploy/console.hpp"

namespace bw::deploy {

struct DeployOptions {
  std::string stack_name;
  std::string region;  //!< for the commands deploy suggests
  bool yes = false;    //!< apply without asking
  WatchOptions watch;
  std::vector<std::pair<std::string, std::string>> tags;
};

struct DeployOutcome {
  bool changed = false;  //!< false: the stack already matched the template
  aws::Stack stack;      //!< as it stands afterwards, with its outputs
};

//! Two templates are the same deployment when they parse to equal JSON (key order and spacing aside).
bool same_template(std::string_view a, std::string_view b);

//! One line per change: "  Add      WorkQueue  AWS::SQS::Queue", with "(replaces the resource)" when
//! the change replaces it. Pure.
std::string format_change(const aws::ResourceChange& change);

//! Creates the stack or updates it: an update whose template equals the deployed one is "no changes"
//! without a change set; otherwise a change set is made, shown, confirmed (unless options.yes), executed
//! and followed to its end, printing stack events as they come. A failure lists the failed resources
//! with CloudFormation's reasons. A stack in a state that cannot be updated is refused before any change
//! with the command that helps (stack_state.hpp).
core::Result<DeployOutcome> deploy_stack(aws::CloudFormation& cfn, const std::string& template_body,
                                         const DeployOptions& options, Console& console);

}  // namespace bw::deploy
