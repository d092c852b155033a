// Pure parsers of CloudFormation's XML replies (query protocol, 2010-05-15).
#include <pugixml.hpp>

#include "aws/cloudformation.hpp"
#include "aws/unreadable_reply.hpp"
#include "aws/xml_reply.hpp"

namespace bw::aws {

namespace {

constexpr std::size_t kMaxReplyBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxField = 2048;             // names, ids, ARNs, statuses, types
constexpr std::size_t kMaxReason = 4096;            // status reasons, shown to people
constexpr std::size_t kMaxOutputValue = 64 * 1024;  // no documented limit; a joined subnet list fits
constexpr std::size_t kMaxToken = 1024;             // NextToken: 1..1024
constexpr std::size_t kMaxItems = 10000;            // members per list in one page
constexpr std::size_t kMaxTemplate = 1024 * 1024;   // a template from S3 is at most 1 MB

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("CloudFormation", "cloudformation", action, why);
}

// Loads `xml` and returns <{action}Response>, or why not.
core::Result<pugi::xml_node> load(pugi::xml_document& doc, std::string_view xml, std::string_view action) {
  return load_xml_reply(doc, xml, {"CloudFormation", "cloudformation", action, kMaxReplyBytes});
}

// Loads `xml`, the reply to `action`, and returns its <{action}Result>, or why not.
core::Result<pugi::xml_node> result_of(pugi::xml_document& doc, std::string_view xml,
                                       std::string_view action) {
  std::string result(action);
  result.append("Result");
  auto root = load(doc, xml, action);
  if (!root) return root.error();
  pugi::xml_node node = root->child(result.c_str());
  if (!node) return unreadable(action, "no " + result);
  return node;
}

// The text of child `name`, cut to `limit` bytes.
std::string text(pugi::xml_node node, const char* name, std::size_t limit = kMaxField) {
  return xml_text(node, name, limit);
}

std::optional<core::SystemTime> time_of(pugi::xml_node node, const char* name) {
  std::string_view v = node.child_value(name);
  if (v.empty() || v.size() > 64) return std::nullopt;
  return core::parse_iso8601(v);
}

// The page's NextToken into `page.next_token`: nullopt when absent or empty; an error when too long.
template <typename Page>
core::Result<Page> with_next_token(Page page, pugi::xml_node result, std::string_view action) {
  std::string_view v = result.child_value("NextToken");
  if (v.size() > kMaxToken) return unreadable(action, "NextToken is too long");
  if (!v.empty()) page.next_token = std::string(v);
  return page;
}

// One <member> of DescribeStacks' <Stacks>.
core::Result<Stack> stack_of(pugi::xml_node member) {
  Stack stack;
  stack.name = text(member, "StackName");
  stack.id = text(member, "StackId");
  stack.status = text(member, "StackStatus");
  stack.status_reason = text(member, "StackStatusReason", kMaxReason);
  stack.creation_time = time_of(member, "CreationTime");
  stack.last_updated_time = time_of(member, "LastUpdatedTime");
  for (pugi::xml_node out : member.child("Outputs").children("member")) {
    if (stack.outputs.size() >= kMaxItems) return unreadable("DescribeStacks", "too many outputs");
    stack.outputs.push_back({text(out, "OutputKey"), text(out, "OutputValue", kMaxOutputValue)});
  }
  return stack;
}

}  // namespace

std::optional<std::string> Stack::output(std::string_view key) const {
  for (const auto& o : outputs) {
    if (o.key == key) return o.value;
  }
  return std::nullopt;
}

bool ChangeSet::has_no_changes() const {
  if (status != "FAILED") return false;
  return status_reason.find("didn't contain changes") != std::string::npos ||
         status_reason.find("No updates are to be performed") != std::string::npos;
}

core::Result<Stack> parse_describe_stacks(std::string_view xml, std::string_view stack_name) {
  constexpr std::string_view kAction = "DescribeStacks";
  pugi::xml_document doc;
  auto root = load(doc, xml, kAction);
  if (!root) return root.error().with("Stack", std::string(stack_name));
  pugi::xml_node member = root->child("DescribeStacksResult").child("Stacks").child("member");
  if (!member) {
    return core::make_error(core::ErrorCode::kNotFound, "Stack not found: " + std::string(stack_name),
                            "Check the stack name or ARN, and the region")
        .with("Stack", std::string(stack_name));
  }

  return stack_of(member);
}

core::Result<StackPage> parse_describe_stacks_page(std::string_view xml) {
  constexpr std::string_view kAction = "DescribeStacks";
  pugi::xml_document doc;
  auto result = result_of(doc, xml, kAction);
  if (!result) return result.error();
  StackPage page;
  for (pugi::xml_node member : result->child("Stacks").children("member")) {
    if (page.stacks.size() >= kMaxItems) return unreadable(kAction, "too many stacks");
    auto stack = stack_of(member);
    if (!stack) return stack.error();
    page.stacks.push_back(std::move(*stack));
  }
  return with_next_token(std::move(page), *result, kAction);
}

core::Result<ChangeSetRef> parse_create_change_set(std::string_view xml) {
  constexpr std::string_view kAction = "CreateChangeSet";
  pugi::xml_document doc;
  auto result = result_of(doc, xml, kAction);
  if (!result) return result.error();
  ChangeSetRef ref{text(*result, "Id"), text(*result, "StackId")};
  if (ref.id.empty()) return unreadable(kAction, "no change set Id");
  return ref;
}

core::Result<ChangeSetPage> parse_describe_change_set(std::string_view xml) {
  constexpr std::string_view kAction = "DescribeChangeSet";
  pugi::xml_document doc;
  auto result = result_of(doc, xml, kAction);
  if (!result) return result.error();

  ChangeSetPage page;
  ChangeSet& cs = page.change_set;
  cs.id = text(*result, "ChangeSetId");
  cs.name = text(*result, "ChangeSetName");
  cs.stack_id = text(*result, "StackId");
  cs.stack_name = text(*result, "StackName");
  cs.status = text(*result, "Status");
  cs.execution_status = text(*result, "ExecutionStatus");
  cs.status_reason = text(*result, "StatusReason", kMaxReason);
  std::size_t seen = 0;
  for (pugi::xml_node member : result->child("Changes").children("member")) {
    if (++seen > kMaxItems) return unreadable(kAction, "too many changes");
    // Every change is of Type Resource today; another type would carry no ResourceChange.
    pugi::xml_node rc = member.child("ResourceChange");
    if (!rc) continue;
    ResourceChange change;
    change.action = text(rc, "Action");
    change.logical_id = text(rc, "LogicalResourceId");
    change.physical_id = text(rc, "PhysicalResourceId");
    change.resource_type = text(rc, "ResourceType");
    change.replacement = text(rc, "Replacement");
    cs.changes.push_back(std::move(change));
  }
  return with_next_token(std::move(page), *result, kAction);
}

core::Result<StackEventPage> parse_stack_events(std::string_view xml) {
  constexpr std::string_view kAction = "DescribeStackEvents";
  pugi::xml_document doc;
  auto result = result_of(doc, xml, kAction);
  if (!result) return result.error();

  StackEventPage page;
  for (pugi::xml_node member : result->child("StackEvents").children("member")) {
    if (page.events.size() >= kMaxItems) return unreadable(kAction, "too many events");
    StackEvent e;
    e.event_id = text(member, "EventId");
    e.stack_id = text(member, "StackId");
    e.stack_name = text(member, "StackName");
    e.timestamp = time_of(member, "Timestamp").value_or(core::SystemTime{});
    e.logical_id = text(member, "LogicalResourceId");
    e.physical_id = text(member, "PhysicalResourceId");
    e.resource_type = text(member, "ResourceType");
    e.status = text(member, "ResourceStatus");
    e.reason = text(member, "ResourceStatusReason", kMaxReason);
    page.events.push_back(std::move(e));
  }
  return with_next_token(std::move(page), *result, kAction);
}

core::Result<std::string> parse_get_template(std::string_view xml) {
  constexpr std::string_view kAction = "GetTemplate";
  pugi::xml_document doc;
  auto root = load(doc, xml, kAction);
  if (!root) return root.error();
  pugi::xml_node body = root->child("GetTemplateResult").child("TemplateBody");
  if (!body) return unreadable(kAction, "no TemplateBody");
  // Text and CDATA pieces together: a server may split the body between the two.
  std::string out;
  for (pugi::xml_node piece : body.children()) {
    if (piece.type() != pugi::node_pcdata && piece.type() != pugi::node_cdata) continue;
    out += piece.value();
    if (out.size() > kMaxTemplate) return unreadable(kAction, "TemplateBody larger than 1 MiB");
  }
  return out;
}

}  // namespace bw::aws
