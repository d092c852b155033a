// aws/cloudformation.hpp: CloudFormation over the query protocol (Version 2010-05-15, XML replies):
// stacks, change sets, stack events, templates.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::aws {

struct StackOutput {
  std::string key;
  std::string value;
};

struct Stack {
  std::string name;
  std::string id;  //!< the stack ARN
  std::string status;
  std::string status_reason;  //!< StackStatusReason; may be empty
  std::optional<core::SystemTime> creation_time;
  std::optional<core::SystemTime> last_updated_time;  //!< absent until the first update (and on moto)
  std::vector<StackOutput> outputs;                   //!< in the order AWS listed them

  //! The value of output `key`, or nullopt.
  std::optional<std::string> output(std::string_view key) const;
};

//! One CreateChangeSet call. The template goes inline (TemplateBody, at most 51,200 bytes), or from S3
//! when template_url is set instead.
struct ChangeSetRequest {
  std::string stack_name;
  std::string change_set_name;  //!< [A-Za-z][-A-Za-z0-9]*, at most 128 characters
  std::string template_body;
  std::string template_url;                               //!< used when template_body is empty
  std::string change_set_type = "CREATE";                 //!< "CREATE" (new stack) | "UPDATE"
  std::vector<std::string> capabilities;                  //!< e.g. "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"
  std::vector<std::pair<std::string, std::string>> tags;  //!< key, value; at most 50
  std::string description;                                //!< omitted when empty; at most 1024 characters
  //! Idempotency token (AwsClient's retries reuse the request); a random one is made when unset.
  std::optional<std::string> client_token;
};

//! What CreateChangeSet answers.
struct ChangeSetRef {
  std::string id;        //!< the change set ARN
  std::string stack_id;  //!< the stack ARN (a new stack in REVIEW_IN_PROGRESS for a CREATE change set)
};

struct ResourceChange {
  std::string action;  //!< Add | Modify | Remove | Import | Dynamic
  std::string logical_id;
  std::string physical_id;  //!< empty for Add
  std::string resource_type;
  std::string replacement;  //!< "True" | "False" | "Conditional" for Modify; empty otherwise (and on moto)
};

struct ChangeSet {
  std::string id;
  std::string name;
  std::string stack_id;
  std::string stack_name;
  std::string status;            //!< CREATE_PENDING | CREATE_IN_PROGRESS | CREATE_COMPLETE | FAILED | ...
  std::string execution_status;  //!< UNAVAILABLE | AVAILABLE | EXECUTE_* | OBSOLETE
  std::string status_reason;     //!< why it FAILED; may be empty
  std::vector<ResourceChange> changes;

  //! FAILED only because the template and parameters equal the stack's ("The submitted information didn't
  //! contain changes..." / "No updates are to be performed."): nothing to deploy.
  bool has_no_changes() const;
};

//! One DescribeChangeSet page.
struct ChangeSetPage {
  ChangeSet change_set;
  std::optional<std::string> next_token;
};

struct StackEvent {
  std::string event_id;
  std::string stack_id;
  std::string stack_name;
  core::SystemTime timestamp;  //!< whole seconds; the epoch when AWS sent none (or an unreadable one)
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string status;  //!< ResourceStatus
  std::string reason;  //!< ResourceStatusReason; may be empty
};

//! One DescribeStackEvents page, newest first as AWS sends it.
struct StackEventPage {
  std::vector<StackEvent> events;
  std::optional<std::string> next_token;
};

//! Parsers of the XML replies. Pure; bounded (4 MiB per reply, every string clipped); unreadable XML or a
//! reply without its <...Response> root is kRemote, never quoted.

//! DescribeStacks (the first stack). No stack in it: kNotFound "Stack not found: <stack_name>".
core::Result<Stack> parse_describe_stacks(std::string_view xml, std::string_view stack_name);
//! One DescribeStacks page of every stack (no StackName): at most 10,000 stacks.
struct StackPage {
  std::vector<Stack> stacks;
  std::optional<std::string> next_token;
};
core::Result<StackPage> parse_describe_stacks_page(std::string_view xml);
//! CreateChangeSet: the change set and stack ARNs (an empty Id is kRemote).
core::Result<ChangeSetRef> parse_create_change_set(std::string_view xml);
//! DescribeChangeSet: at most 10,000 changes per page; entries of a Type other than Resource are skipped.
core::Result<ChangeSetPage> parse_describe_change_set(std::string_view xml);
//! DescribeStackEvents: at most 10,000 events per page.
core::Result<StackEventPage> parse_stack_events(std::string_view xml);
//! GetTemplate: the TemplateBody, unescaped (at most 1 MiB).
core::Result<std::string> parse_get_template(std::string_view xml);

class CloudFormation {
 public:
  explicit CloudFormation(AwsClient& client) : client_(client) {}

  AwsClient& client() const { return client_; }

  //! DescribeStacks (Version 2010-05-15) for a name or a full stack ARN. Errors:
  //! - stack missing (ValidationError "... does not exist"): kNotFound "Stack not found: <name>";
  //! - other ValidationError: kInvalidArgument "Invalid stack name: <name>";
  //! - anything else: "Failed to describe stack: <AWS message>" with the kind from to_core_error().
  core::Result<Stack> describe_stack(std::string_view stack_name_or_arn);

  //! describe_stack(), with a missing stack as nullopt (deploy's create-or-update choice). A deleted stack
  //! asked for by ARN is still returned, with status DELETE_COMPLETE (AWS and moto); by name it is nullopt.
  core::Result<std::optional<Stack>> find_stack(std::string_view stack_name_or_arn);

  //! DescribeStacks without a name: every stack of the region (deleted ones excluded, as AWS lists them),
  //! following NextToken for at most `max_pages` pages.
  core::Result<std::vector<Stack>> describe_all_stacks(std::size_t max_pages = 20);

  //! CreateChangeSet. The request is checked first (kInvalidArgument, no call): change set name, type
  //! CREATE|UPDATE, a template (body of 1..51,200 bytes or a URL), at most 50 tags, description length.
  //! Errors: InsufficientCapabilitiesException -> kInvalidArgument naming the capability to add; an UPDATE
  //! of a missing stack -> kNotFound "Stack not found: <name>"; other ValidationError (template format,
  //! stack in a state that cannot be updated) and AlreadyExistsException -> kInvalidArgument
  //! "CloudFormation rejected the change set: <AWS message>"; else to_core_error().
  core::Result<ChangeSetRef> create_change_set(const ChangeSetRequest& request);

  //! DescribeChangeSet, following NextToken (at most 20 pages). `stack_name` may be empty when
  //! `change_set` is an ARN. Missing change set (ChangeSetNotFound; moto: ValidationError "does not
  //! exist") -> kNotFound "Change set not found: <change_set>".
  core::Result<ChangeSet> describe_change_set(std::string_view change_set, std::string_view stack_name);

  //! ExecuteChangeSet / DeleteChangeSet. Missing change set -> kNotFound as above;
  //! InvalidChangeSetStatus (not AVAILABLE, or the stack is busy) -> kInvalidArgument with AWS's message.
  core::Result<void> execute_change_set(std::string_view change_set, std::string_view stack_name);
  core::Result<void> delete_change_set(std::string_view change_set, std::string_view stack_name);

  //! DescribeStackEvents: up to `max_pages` pages (at least 1), newest first as AWS returns them.
  core::Result<std::vector<StackEvent>> describe_stack_events(std::string_view stack_name_or_arn,
                                                              std::size_t max_pages = 1);
  //! The events newer than `stop_at_event_id` (which is left out), newest first: pages are read until
  //! that id shows up, the pages run out, or `max_pages` were read. An empty id reads up to max_pages.
  core::Result<std::vector<StackEvent>> describe_stack_events(std::string_view stack_name_or_arn,
                                                              std::string_view stop_at_event_id,
                                                              std::size_t max_pages = 10);

  //! GetTemplate (TemplateStage Original): the template as it was submitted.
  core::Result<std::string> get_template(std::string_view stack_name_or_arn);

  //! DeleteStack. AWS answers success for a stack that does not exist (so does moto).
  core::Result<void> delete_stack(std::string_view stack_name_or_arn);

  //! Errors of the stack calls above (events, template, delete): stack missing -> kNotFound "Stack not
  //! found: <name>"; other ValidationError -> kInvalidArgument with AWS's message; else to_core_error().
  //! Every error carries the Stack (and, where given, ChangeSet) and Region details.

 private:
  //! One query-protocol call; the reply body on 2xx, a mapped error otherwise.
  core::Result<std::string> call(std::string_view action,
                                 const std::vector<std::pair<std::string, std::string>>& params,
                                 std::string_view stack, std::string_view change_set = {});

  AwsClient& client_;
};

}  // namespace bw::aws
