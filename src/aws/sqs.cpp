#include "aws/sqs.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {

namespace {

using namespace std::chrono_literals;

// 10 messages of 256 KiB, each up to 3x larger once JSON-escaped (\u00e9 for a 2-byte character), plus
// attributes: 16 MiB covers the largest legitimate ReceiveMessage reply.
constexpr std::size_t kMaxReceiveReply = 16 * 1024 * 1024;
constexpr std::size_t kMaxSmallReply = 1024 * 1024;
constexpr std::size_t kMaxMessages = 10;
constexpr std::size_t kMaxIdBytes = 256;
constexpr std::size_t kMaxReceiptBytes = 8 * 1024;
constexpr std::size_t kMaxAttributes = 64;
constexpr std::size_t kMaxAttributeName = 256;
constexpr std::size_t kMaxAttributeValue = 64 * 1024;  // a RedrivePolicy or Policy document fits
constexpr std::size_t kMaxQueueUrl = 2048;

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("SQS", "sqs", action, why);
}

core::Result<boost::json::object> parse_object(std::string_view json, std::string_view action,
                                               std::size_t limit) {
  // An empty 200 body happens for actions without output (DeleteMessage on some servers).
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return boost::json::object{};
  return load_json_reply(json, {"SQS", "sqs", action, limit});
}

// A string member bounded in size; nullopt when absent, not a string, or too long.
std::optional<std::string> bounded_string(const boost::json::object& obj, std::string_view key,
                                          std::size_t limit) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return std::nullopt;
  const auto& s = it->value().get_string();
  if (s.size() > limit) return std::nullopt;
  return std::string(s);
}

core::Result<std::map<std::string, std::string>> parse_attributes(const boost::json::value* v,
                                                                  std::string_view action) {
  std::map<std::string, std::string> out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) return unreadable(action, "Attributes is not an object");
  const auto& obj = v->get_object();
  if (obj.size() > kMaxAttributes) return unreadable(action, "too many attributes");
  for (const auto& kv : obj) {
    if (kv.key().size() > kMaxAttributeName) return unreadable(action, "attribute name too long");
    if (!kv.value().is_string()) return unreadable(action, "attribute value is not a string");
    const auto& s = kv.value().get_string();
    if (s.size() > kMaxAttributeValue) return unreadable(action, "attribute value too long");
    out.emplace(std::string(kv.key()), std::string(s));
  }
  return out;
}

// MessageAttributes: {"name": {"DataType": "String", "StringValue": "..."}}. Binary values are skipped.
core::Result<std::map<std::string, std::string>> parse_message_attributes(const boost::json::value* v,
                                                                          std::string_view action) {
  std::map<std::string, std::string> out;
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) return unreadable(action, "MessageAttributes is not an object");
  const auto& obj = v->get_object();
  if (obj.size() > kMaxAttributes) return unreadable(action, "too many message attributes");
  for (const auto& kv : obj) {
    if (kv.key().size() > kMaxAttributeName) return unreadable(action, "message attribute name too long");
    if (!kv.value().is_object()) return unreadable(action, "a message attribute is not an object");
    auto value = bounded_string(kv.value().get_object(), "StringValue", kSqsMaxMessageBytes);
    if (value) out.emplace(std::string(kv.key()), std::move(*value));
  }
  return out;
}

bool is_queue_missing(const AwsError& e) {
  return e.code == "QueueDoesNotExist" || e.code == "AWS.SimpleQueueService.NonExistentQueue" ||
         e.query_code == "AWS.SimpleQueueService.NonExistentQueue";
}

bool valid_queue_name(std::string_view name) {
  std::string_view base = name;
  if (base.size() > 5 && base.substr(base.size() - 5) == ".fifo") base.remove_suffix(5);
  if (base.empty() || name.size() > 80) return false;
  return std::all_of(base.begin(), base.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::string queue_name_from_url(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  if (auto slash = url.rfind('/'); slash != std::string_view::npos) url.remove_prefix(slash + 1);
  return std::string(url);
}

std::optional<std::string> SqsMessage::attribute(std::string_view name) const {
  auto it = attributes.find(std::string(name));
  if (it == attributes.end()) return std::nullopt;
  return it->second;
}

int SqsMessage::receive_count() const {
  auto it = attributes.find("ApproximateReceiveCount");
  if (it == attributes.end()) return 0;
  int n = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0) return 0;
  return n;
}

core::Result<std::vector<SqsMessage>> parse_receive_messages(std::string_view json) {
  constexpr std::string_view kAction = "ReceiveMessage";
  auto obj = parse_object(json, kAction, kMaxReceiveReply);
  if (!obj) return obj.error();
  std::vector<SqsMessage> out;
  auto messages = core::get_optional_array(*obj, "Messages");
  if (!messages) return unreadable(kAction, messages.error().message);
  if (messages->size() > kMaxMessages) return unreadable(kAction, "more than 10 messages");
  for (const auto& item : *messages) {
    if (!item.is_object()) return unreadable(kAction, "a message is not an object");
    const auto& m = item.get_object();
    SqsMessage msg;
    auto id = bounded_string(m, "MessageId", kMaxIdBytes);
    auto receipt = bounded_string(m, "ReceiptHandle", kMaxReceiptBytes);
    auto body = bounded_string(m, "Body", kSqsMaxMessageBytes);
    if (!id || id->empty()) return unreadable(kAction, "a message has no MessageId");
    if (!receipt || receipt->empty()) return unreadable(kAction, "a message has no ReceiptHandle");
    if (!body) return unreadable(kAction, "a message has no Body (or one over 256 KiB)");
    msg.message_id = std::move(*id);
    msg.receipt_handle = std::move(*receipt);
    msg.body = std::move(*body);
    msg.md5_of_body = bounded_string(m, "MD5OfBody", kMaxIdBytes).value_or("");
    auto attrs = parse_attributes(m.if_contains("Attributes"), kAction);
    if (!attrs) return attrs.error();
    msg.attributes = std::move(*attrs);
    auto message_attrs = parse_message_attributes(m.if_contains("MessageAttributes"), kAction);
    if (!message_attrs) return message_attrs.error();
    msg.message_attributes = std::move(*message_attrs);
    out.push_back(std::move(msg));
  }
  return out;
}

core::Result<std::string> Sqs::queue_url(std::string_view account, std::string_view name) const {
  const bool account_ok = account.size() == 12 && std::all_of(account.begin(), account.end(),
                                                              [](char c) { return c >= '0' && c <= '9'; });
  if (!account_ok) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid AWS account id for an SQS queue",
                            "The account id is the 12 digits in the stack ARN")
        .with("account", std::string(account.substr(0, 64)));
  }
  if (!valid_queue_name(name)) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid SQS queue name",
                            "A queue name has 1-80 letters, digits, '-' or '_', and FIFO queues end in .fifo")
        .with("queue", std::string(name.substr(0, 128)));
  }
  auto ep = client_.endpoint("sqs");
  if (!ep) return ep.error();
  std::string url = ep->base_url;
  url.append("/").append(account).append("/").append(name);
  return url;
}

core::Result<std::string> Sqs::call(std::string_view action, std::string body, std::string_view url,
                                    std::optional<std::chrono::milliseconds> timeout) {
  http::Request req = json_protocol("AmazonSQS." + std::string(action), std::move(body), "1.0");
  req.timeout = timeout.value_or(options_.request_timeout);
  req.connect_timeout = std::min(options_.connect_timeout, req.timeout);
  req.max_response_bytes = kMaxReceiveReply;
  auto reply = client_.call("sqs", "sqs", std::move(req), action);
  const std::string name = queue_name_from_url(url);
  if (!reply) {
    core::Error e = reply.error();
    if (!name.empty()) e.with("queue", name);
    return e;
  }
  if (!reply->error) return std::move(reply->response.body);

  const AwsError& err = *reply->error;
  if (is_queue_missing(err)) {
    return core::make_error(core::ErrorCode::kNotFound, "SQS queue not found: " + name,
                            "Create the queue, or check the account and region it is looked up in")
        .with("queue", name)
        .with("queue URL", std::string(url.substr(0, kMaxQueueUrl)))
        .with("Region", client_.region())
        .with("AWS said", err.message);
  }
  core::Error e = to_core_error(err, action);
  if (!name.empty()) e.details.insert(e.details.begin(), {"queue", name});
  return e;
}

core::Result<std::string> Sqs::send_message(std::string_view url, std::string_view body,
                                            std::optional<std::string> group_id,
                                            std::optional<std::string> dedup_id,
                                            const std::map<std::string, std::string>& attributes) {
  constexpr std::string_view kAction = "SendMessage";
  if (body.empty() || body.size() > kSqsMaxMessageBytes) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "SQS message body must be 1 byte to 256 KiB",
                            "Send a smaller message")
        .with("size", std::to_string(body.size()))
        .with("limit", std::to_string(kSqsMaxMessageBytes));
  }
  boost::json::object req{{"QueueUrl", url}, {"MessageBody", body}};
  if (group_id) req["MessageGroupId"] = *group_id;
  if (dedup_id) req["MessageDeduplicationId"] = *dedup_id;
  if (!attributes.empty()) {
    boost::json::object attrs;
    for (const auto& [k, v] : attributes)
      attrs[k] = boost::json::object{{"DataType", "String"}, {"StringValue", v}};
    req["MessageAttributes"] = std::move(attrs);
  }
  auto reply = call(kAction, boost::json::serialize(req), url);
  if (!reply) return reply.error();
  auto obj = parse_object(*reply, kAction, kMaxSmallReply);
  if (!obj) return obj.error();
  auto id = bounded_string(*obj, "MessageId", kMaxIdBytes);
  if (!id || id->empty()) return unreadable(kAction, "no MessageId");
  return std::move(*id);
}

core::Result<SqsBatchResult> Sqs::send_message_batch(std::string_view url,
                                                     const std::vector<SqsBatchEntry>& entries) {
  constexpr std::string_view kAction = "SendMessageBatch";
  std::size_t total = 0;
  for (const auto& e : entries) total += e.body.size();
  if (entries.empty() || entries.size() > kSqsMaxBatchEntries || total > kSqsMaxMessageBytes) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "an SQS message batch holds 1 to 10 messages of at most 256 KiB together",
                            "send smaller batches")
        .with("messages", std::to_string(entries.size()))
        .with("bytes", std::to_string(total));
  }
  boost::json::array list;
  for (const auto& e : entries) {
    boost::json::object m{{"Id", e.id}, {"MessageBody", e.body}};
    if (e.group_id) m["MessageGroupId"] = *e.group_id;
    if (e.dedup_id) m["MessageDeduplicationId"] = *e.dedup_id;
    list.emplace_back(std::move(m));
  }
  boost::json::object req{{"QueueUrl", url}, {"Entries", std::move(list)}};
  auto reply = call(kAction, boost::json::serialize(req), url);
  if (!reply) return reply.error();
  auto obj = parse_object(*reply, kAction, kMaxSmallReply);
  if (!obj) return obj.error();
  auto items = [&](std::string_view key) -> core::Result<std::span<const boost::json::value>> {
    auto list = core::get_optional_array(*obj, key);
    if (!list) return unreadable(kAction, list.error().message);
    if (list->size() > kSqsMaxBatchEntries) return unreadable(kAction, "too many results");
    return list;
  };
  SqsBatchResult out;
  auto successful = items("Successful");
  if (!successful) return successful.error();
  for (const auto& v : *successful) {
    if (!v.is_object()) return unreadable(kAction, "a result is not an object");
    auto id = bounded_string(v.get_object(), "Id", kMaxIdBytes);
    auto message_id = bounded_string(v.get_object(), "MessageId", kMaxIdBytes);
    if (!id || !message_id) return unreadable(kAction, "a result has no Id or MessageId");
    out.sent.emplace(std::move(*id), std::move(*message_id));
  }
  auto failed = items("Failed");
  if (!failed) return failed.error();
  for (const auto& v : *failed) {
    if (!v.is_object()) return unreadable(kAction, "a failure is not an object");
    const auto& f = v.get_object();
    SqsBatchFailure failure;
    failure.id = bounded_string(f, "Id", kMaxIdBytes).value_or("");
    failure.code = bounded_string(f, "Code", kMaxIdBytes).value_or("");
    failure.message = bounded_string(f, "Message", 1024).value_or("");
    auto fault = f.find("SenderFault");
    failure.sender_fault = fault != f.end() && fault->value().is_bool() && fault->value().get_bool();
    out.failed.push_back(std::move(failure));
  }
  // Never lose one: an entry the reply does not account for was not sent as far as we know.
  for (const auto& e : entries) {
    const bool reported =
        out.sent.count(e.id) > 0 || std::any_of(out.failed.begin(), out.failed.end(),
                                                [&](const SqsBatchFailure& f) { return f.id == e.id; });
    if (!reported) out.failed.push_back({e.id, "NotReported", "SQS did not report this message", false});
  }
  return out;
}

core::Result<std::vector<SqsMessage>> Sqs::receive_messages(std::string_view url, int max, int wait_seconds,
                                                            std::optional<int> visibility_timeout) {
  max = std::clamp(max, 1, 10);
  wait_seconds = std::clamp(wait_seconds, 0, 20);
  boost::json::object req{{"QueueUrl", url},
                          {"MaxNumberOfMessages", max},
                          {"WaitTimeSeconds", wait_seconds},
                          {"AttributeNames", boost::json::array{"All"}},
                          {"MessageSystemAttributeNames", boost::json::array{"All"}},
                          {"MessageAttributeNames", boost::json::array{"All"}}};
  if (visibility_timeout) req["VisibilityTimeout"] = std::clamp(*visibility_timeout, 0, 43200);
  // The server holds a long poll open for up to wait_seconds: leave room above it for the reply.
  const auto timeout = std::chrono::seconds(wait_seconds) + 15s;
  auto reply = call("ReceiveMessage", boost::json::serialize(req), url, timeout);
  if (!reply) return reply.error();
  return parse_receive_messages(*reply);
}

core::Result<void> Sqs::delete_message(std::string_view url, std::string_view receipt_handle) {
  boost::json::object req{{"QueueUrl", url}, {"ReceiptHandle", receipt_handle}};
  auto reply = call("DeleteMessage", boost::json::serialize(req), url);
  if (!reply) return reply.error();
  return {};
}

core::Result<void> Sqs::change_visibility(std::string_view url, std::string_view receipt_handle,
                                          int seconds) {
  boost::json::object req{{"QueueUrl", url},
                          {"ReceiptHandle", receipt_handle},
                          {"VisibilityTimeout", std::clamp(seconds, 0, 43200)}};
  auto reply = call("ChangeMessageVisibility", boost::json::serialize(req), url);
  if (!reply) return reply.error();
  return {};
}

core::Result<void> Sqs::purge_queue(std::string_view url) {
  boost::json::object req{{"QueueUrl", url}};
  auto reply = call("PurgeQueue", boost::json::serialize(req), url);
  if (!reply) return reply.error();
  return {};
}

core::Result<std::map<std::string, std::string>> Sqs::get_queue_attributes(
    std::string_view url, const std::vector<std::string>& names) {
  constexpr std::string_view kAction = "GetQueueAttributes";
  boost::json::array wanted;
  for (const auto& n : names) wanted.emplace_back(n);
  if (wanted.empty()) wanted.emplace_back("All");
  boost::json::object req{{"QueueUrl", url}, {"AttributeNames", std::move(wanted)}};
  auto reply = call(kAction, boost::json::serialize(req), url);
  if (!reply) return reply.error();
  auto obj = parse_object(*reply, kAction, kMaxSmallReply);
  if (!obj) return obj.error();
  return parse_attributes(obj->if_contains("Attributes"), kAction);
}

core::Result<std::string> Sqs::create_queue(std::string_view name,
                                            const std::map<std::string, std::string>& attributes) {
  constexpr std::string_view kAction = "CreateQueue";
  boost::json::object req{{"QueueName", name}};
  if (!attributes.empty()) {
    boost::json::object attrs;
    for (const auto& [k, v] : attributes) attrs[k] = v;
    req["Attributes"] = std::move(attrs);
  }
  auto reply = call(kAction, boost::json::serialize(req), name);
  if (!reply) return reply.error();
  auto obj = parse_object(*reply, kAction, kMaxSmallReply);
  if (!obj) return obj.error();
  auto url = bounded_string(*obj, "QueueUrl", kMaxQueueUrl);
  if (!url || url->empty()) return unreadable(kAction, "no QueueUrl");
  return std::move(*url);
}

}  // namespace bw::aws
