// deploy/preflight_queues.hpp: the queue pre-flight: our queue names must be free, or this stack's own.
#pragma once

#include <iosfwd>
#include <string_view>

#include "core/error.hpp"

namespace bw::aws {
class CloudFormation;
class Sqs;
}  // namespace bw::aws

namespace bw::deploy {

//! Asks SQS whether the work queue, its dead-letter queue, the events queue and its dead-letter queue
//! (config/queue_names.hpp, from the two settings `stack_arn` and `secret`) exist in `account`; for those
//! that do, asks CloudFormation whether stack `stack_name` owns them (DescribeStackResources), and refuses
//! with check_queue_names()'s error otherwise. Prints one checklist line (or one per foreign queue).
core::Result<void> preflight_queues(aws::CloudFormation& cfn, aws::Sqs& sqs, std::string_view account,
                                    std::string_view stack_arn, std::string_view secret,
                                    std::string_view stack_name, std::ostream& out);

}  // namespace bw::deploy
