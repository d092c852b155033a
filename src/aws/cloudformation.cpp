#include "aws/cloudformation.hpp"

#include <algorithm>

#include "aws/client_token.hpp"
#include "core/encoding.hpp"
#include "core/with_details.hpp"

namespace bw::aws {

namespace {

constexpr std::string_view kVersion = "2010-05-15";
// The parsers refuse more than 4 MiB; a little more is fetched so their message, not curl's, is shown.
constexpr std::size_t kMaxReplyBytes = 4 * 1024 * 1024 + 64 * 1024;
constexpr std::size_t kMaxTemplateBody = 51200;  // TemplateBody's limit; larger templates go via S3
constexpr std::size_t kMaxTemplateUrl = 5120;
constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxDescription = 1024;
constexpr std::size_t kMaxChangeSetPages = 20;
constexpr std::size_t kMaxChanges = 10000;

core::Error stack_not_found(std::string_view name, std::string_view region) {
  core::Error e =
      core::make_error(core::ErrorCode::kNotFound, "Stack not found: " + std::string(name),
                       "Check the QuiltStackARN: the stack must exist in the region and account named "
                       "in the ARN (arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>)");
  e.with("Stack", std::string(name));
  if (!region.empty()) e.with("Region", std::string(region));
  return e;
}

bool says_does_not_exist(const AwsError& err) {
  return err.code == "ValidationError" && err.message.find("does not exist") != std::string::npos;
}

core::Error invalid(std::string message, std::string suggestion) {
  return core::make_error(core::ErrorCode::kInvalidArgument, std::move(message), std::move(suggestion));
}

bool valid_change_set_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9') || c == '-'; });
}

bool valid_token(std::string_view token) {
  if (token.empty() || token.size() > 128 || token.front() == '-') return false;
  return std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

core::Result<Stack> CloudFormation::describe_stack(std::string_view stack_name_or_arn) {
  const std::string name(stack_name_or_arn);
  http::Request req = query_protocol("DescribeStacks", kVersion, {{"StackName", name}});
  req.timeout = kResolveCallTimeout;
  auto reply = client_.call("cloudformation", "cloudformation", std::move(req), "DescribeStacks");
  if (!reply) return reply.error();
  if (!reply->error) {
    auto stack = parse_describe_stacks(reply->response.body, name);
    if (!stack && stack.error().code == core::ErrorCode::kNotFound)
      return stack_not_found(name, client_.region());
    return stack;
  }

  const AwsError& err = *reply->error;
  if (err.code == "ValidationError") {
    if (err.message.find("does not exist") != std::string::npos) {
      return stack_not_found(name, client_.region()).with("AWS said", err.message);
    }
    return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid stack name: " + name,
                            "Check that the stack name is correct")
        .with("Stack", name)
        .with("AWS said", err.message);
  }
  core::Error e = to_core_error(err, "DescribeStacks");
  e.message = "Failed to describe stack: " + err.message;
  // A 4xx AWS refused: permissions are the likely cause. A 5xx or throttling keeps "retry later".
  if (!is_retryable(err) && e.code != core::ErrorCode::kCredentials &&
      e.code != core::ErrorCode::kAccessDenied) {
    e.suggestion = "Check AWS credentials and permissions";
  }
  e.details.insert(e.details.begin(), {"Region", client_.region()});
  e.details.insert(e.details.begin(), {"Stack", name});
  return e;
}

core::Result<std::optional<Stack>> CloudFormation::find_stack(std::string_view stack_name_or_arn) {
  const std::string name(stack_name_or_arn);
  http::Request req = query_protocol("DescribeStacks", kVersion, {{"StackName", name}});
  req.max_response_bytes = kMaxReplyBytes;
  auto reply = client_.call("cloudformation", "cloudformation", std::move(req), "DescribeStacks");
  if (!reply) {
    core::Error e = reply.error();
    return e.with("Stack", name).with("Region", client_.region());
  }
  // Only CloudFormation's own "does not exist" means absent: a 404 from a wrong endpoint must not make
  // deploy create a second stack.
  if (reply->error && says_does_not_exist(*reply->error)) return std::optional<Stack>();
  if (!reply->error) {
    auto stack = parse_describe_stacks(reply->response.body, name);
    if (stack) return std::optional<Stack>(std::move(*stack));
    if (stack.error().code == core::ErrorCode::kNotFound) return std::optional<Stack>();
    core::Error e = stack.error();
    return e.with("Region", client_.region());
  }
  const AwsError& err = *reply->error;
  core::Error e = to_core_error_saying(err, "DescribeStacks");
  if (err.code == "ValidationError") {
    e = invalid("Invalid stack name: " + name, "Check that the stack name is correct");
    e.with("AWS said", err.message);
  }
  e.details.insert(e.details.begin(), {"Region", client_.region()});
  e.details.insert(e.details.begin(), {"Stack", name});
  return e;
}

core::Result<std::vector<Stack>> CloudFormation::describe_all_stacks(std::size_t max_pages) {
  std::vector<Stack> out;
  std::optional<std::string> token;
  for (std::size_t page = 0; page < std::max<std::size_t>(max_pages, 1); ++page) {
    std::vector<std::pair<std::string, std::string>> params;
    if (token) params.emplace_back("NextToken", *token);
    auto body = call("DescribeStacks", params, {});
    if (!body) return body.error();
    auto parsed = parse_describe_stacks_page(*body);
    if (!parsed) return parsed.error();
    for (auto& s : parsed->stacks) out.push_back(std::move(s));
    token = std::move(parsed->next_token);
    if (!token) break;
  }
  return out;
}

core::Result<std::string> CloudFormation::call(std::string_view action,
                                               const std::vector<std::pair<std::string, std::string>>& params,
                                               std::string_view stack, std::string_view change_set) {
  http::Request req = query_protocol(action, kVersion, params);
  req.max_response_bytes = kMaxReplyBytes;
  auto reply = client_.call("cloudformation", "cloudformation", std::move(req), action);
  auto annotate = [&](core::Error e) {
    std::vector<std::pair<std::string, std::string>> front;
    if (!stack.empty()) front.emplace_back("Stack", std::string(stack));
    if (!change_set.empty()) front.emplace_back("ChangeSet", std::string(change_set));
    front.emplace_back("Region", client_.region());
    e.details.insert(e.details.begin(), front.begin(), front.end());
    return e;
  };
  if (!reply) return annotate(reply.error());
  if (!reply->error) return std::move(reply->response.body);

  const AwsError& err = *reply->error;
  // Calls on an existing change set: AWS says ChangeSetNotFound; moto says ValidationError "Stack with id
  // <change set> does not exist".
  const bool on_change_set = !change_set.empty() && action != "CreateChangeSet";
  if (on_change_set && (err.code == "ChangeSetNotFound" || err.code == "ChangeSetNotFoundException" ||
                        says_does_not_exist(err))) {
    return annotate(core::make_error(core::ErrorCode::kNotFound,
                                     "Change set not found: " + std::string(change_set),
                                     "Create the change set again: it is gone once executed or deleted")
                        .with("AWS said", err.message));
  }
  if (says_does_not_exist(err)) {
    return annotate(core::make_error(core::ErrorCode::kNotFound, "Stack not found: " + std::string(stack),
                                     "Check the stack name and the region (deploy creates the stack)")
                        .with("AWS said", err.message));
  }
  if (err.code == "InsufficientCapabilitiesException" || err.code == "InsufficientCapabilities") {
    return annotate(invalid("CloudFormation needs more capabilities: " + err.message,
                            "Acknowledge the capability AWS names (CAPABILITY_IAM or CAPABILITY_NAMED_IAM)")
                        .with("AWS said", err.message));
  }
  if (err.code == "ValidationError" || err.code == "AlreadyExistsException" ||
      err.code == "InvalidChangeSetStatus" || err.code == "InvalidChangeSetStatusException") {
    const bool state = err.code.rfind("InvalidChangeSetStatus", 0) == 0;
    return annotate(invalid("CloudFormation rejected " + std::string(action) + ": " + err.message,
                            state ? "Wait for the stack's current operation to finish, then deploy again"
                                  : "Fix what AWS names (the template, the stack's state or the names given)")
                        .with("code", err.code)
                        .with("AWS said", err.message));
  }
  return annotate(to_core_error_saying(err, action));
}

core::Result<ChangeSetRef> CloudFormation::create_change_set(const ChangeSetRequest& r) {
  if (r.stack_name.empty() || r.stack_name.size() > 128) {
    return invalid("A stack name must be 1 to 128 characters", "Pass the stack name");
  }
  if (!valid_change_set_name(r.change_set_name)) {
    return invalid("Invalid change set name: '" + r.change_set_name.substr(0, 128) + "'",
                   "A change set name starts with a letter and has at most 128 letters, digits and '-'");
  }
  if (r.change_set_type != "CREATE" && r.change_set_type != "UPDATE") {
    return invalid("Change set type must be CREATE or UPDATE, not '" + r.change_set_type.substr(0, 32) + "'",
                   "Use CREATE for a new stack and UPDATE for an existing one");
  }
  if (r.template_body.empty() && r.template_url.empty()) {
    return invalid("The change set has no template", "Pass the template body");
  }
  if (r.template_body.size() > kMaxTemplateBody) {
    return invalid("The template is " + std::to_string(r.template_body.size()) +
                       " bytes; CloudFormation takes at most 51200 bytes inline",
                   "Upload the template to S3 and pass its URL instead");
  }
  if (r.template_body.empty() && r.template_url.size() > kMaxTemplateUrl) {
    return invalid("The template URL is longer than 5120 characters", "Use a shorter S3 URL");
  }
  if (r.tags.size() > kMaxTags) return invalid("A stack takes at most 50 tags", "Drop some tags");
  if (r.description.size() > kMaxDescription) {
    return invalid("A change set description is at most 1024 characters", "Shorten the description");
  }
  const std::string token = r.client_token.value_or(client_token());
  if (!valid_token(token)) {
    return invalid("Invalid change set client token", "Use 1-128 letters, digits and '-'");
  }

  std::vector<std::pair<std::string, std::string>> params{{"StackName", r.stack_name},
                                                          {"ChangeSetName", r.change_set_name},
                                                          {"ChangeSetType", r.change_set_type}};
  if (!r.template_body.empty()) {
    params.emplace_back("TemplateBody", r.template_body);
  } else {
    params.emplace_back("TemplateURL", r.template_url);
  }
  for (std::size_t i = 0; i < r.capabilities.size(); ++i) {
    params.emplace_back("Capabilities.member." + std::to_string(i + 1), r.capabilities[i]);
  }
  for (std::size_t i = 0; i < r.tags.size(); ++i) {
    const std::string prefix = "Tags.member." + std::to_string(i + 1);
    params.emplace_back(prefix + ".Key", r.tags[i].first);
    params.emplace_back(prefix + ".Value", r.tags[i].second);
  }
  if (!r.description.empty()) params.emplace_back("Description", r.description);
  params.emplace_back("ClientToken", token);

  auto body = call("CreateChangeSet", params, r.stack_name, r.change_set_name);
  if (!body) return body.error();
  return core::with_details(parse_create_change_set(*body),
                            {{"Stack", r.stack_name}, {"ChangeSet", r.change_set_name}});
}

core::Result<ChangeSet> CloudFormation::describe_change_set(std::string_view change_set,
                                                            std::string_view stack_name) {
  ChangeSet out;
  std::optional<std::string> token;
  for (std::size_t page_no = 0;; ++page_no) {
    std::vector<std::pair<std::string, std::string>> params{{"ChangeSetName", std::string(change_set)}};
    if (!stack_name.empty()) params.emplace_back("StackName", std::string(stack_name));
    if (token) params.emplace_back("NextToken", *token);
    auto body = call("DescribeChangeSet", params, stack_name, change_set);
    if (!body) return body.error();
    auto page = parse_describe_change_set(*body);
    if (!page) {
      core::Error e = page.error();
      return e.with("ChangeSet", std::string(change_set));
    }
    if (page_no == 0) {
      std::vector<ResourceChange> changes = std::move(page->change_set.changes);
      out = std::move(page->change_set);
      out.changes = std::move(changes);
    } else {
      for (auto& c : page->change_set.changes) out.changes.push_back(std::move(c));
    }
    if (!page->next_token) break;
    // A token that does not move would loop forever; a change set this large is not one we made.
    if (token && *page->next_token == *token) {
      return core::make_error(core::ErrorCode::kRemote, "CloudFormation DescribeChangeSet NextToken repeats",
                              "Retry later")
          .with("ChangeSet", std::string(change_set));
    }
    if (page_no + 1 >= kMaxChangeSetPages || out.changes.size() >= kMaxChanges) {
      return core::make_error(core::ErrorCode::kRemote,
                              "Change set " + std::string(change_set) + " lists too many changes to read",
                              "Review it in the CloudFormation console")
          .with("ChangeSet", std::string(change_set))
          .with("changes read", std::to_string(out.changes.size()));
    }
    token = std::move(page->next_token);
  }
  return out;
}

core::Result<void> CloudFormation::execute_change_set(std::string_view change_set,
                                                      std::string_view stack_name) {
  std::vector<std::pair<std::string, std::string>> params{{"ChangeSetName", std::string(change_set)}};
  if (!stack_name.empty()) params.emplace_back("StackName", std::string(stack_name));
  params.emplace_back("ClientRequestToken", client_token());
  auto body = call("ExecuteChangeSet", params, stack_name, change_set);
  if (!body) return body.error();
  return {};
}

core::Result<void> CloudFormation::delete_change_set(std::string_view change_set,
                                                     std::string_view stack_name) {
  std::vector<std::pair<std::string, std::string>> params{{"ChangeSetName", std::string(change_set)}};
  if (!stack_name.empty()) params.emplace_back("StackName", std::string(stack_name));
  auto body = call("DeleteChangeSet", params, stack_name, change_set);
  if (!body) return body.error();
  return {};
}

core::Result<std::vector<StackEvent>> CloudFormation::describe_stack_events(std::string_view stack,
                                                                            std::size_t max_pages) {
  return describe_stack_events(stack, std::string_view(), max_pages);
}

core::Result<std::vector<StackEvent>> CloudFormation::describe_stack_events(std::string_view stack,
                                                                            std::string_view stop_at_event_id,
                                                                            std::size_t max_pages) {
  max_pages = std::max<std::size_t>(max_pages, 1);
  std::vector<StackEvent> out;
  std::optional<std::string> token;
  for (std::size_t page_no = 0; page_no < max_pages; ++page_no) {
    std::vector<std::pair<std::string, std::string>> params{{"StackName", std::string(stack)}};
    if (token) params.emplace_back("NextToken", *token);
    auto body = call("DescribeStackEvents", params, stack);
    if (!body) return body.error();
    auto page = parse_stack_events(*body);
    if (!page) {
      core::Error e = page.error();
      return e.with("Stack", std::string(stack));
    }
    for (auto& e : page->events) {
      if (!stop_at_event_id.empty() && e.event_id == stop_at_event_id) return out;
      out.push_back(std::move(e));
    }
    if (!page->next_token || (token && *page->next_token == *token)) break;
    token = std::move(page->next_token);
  }
  return out;
}

core::Result<std::string> CloudFormation::get_template(std::string_view stack) {
  auto body = call("GetTemplate", {{"StackName", std::string(stack)}, {"TemplateStage", "Original"}}, stack);
  if (!body) return body.error();
  return core::with_details(parse_get_template(*body), {{"Stack", stack}});
}

core::Result<void> CloudFormation::delete_stack(std::string_view stack) {
  auto body =
      call("DeleteStack", {{"StackName", std::string(stack)}, {"ClientRequestToken", client_token()}}, stack);
  if (!body) return body.error();
  return {};
}

}  // namespace bw::aws
