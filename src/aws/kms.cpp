#include "aws/kms.hpp"

#include <boost/json.hpp>

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {
namespace {

constexpr std::size_t kMaxReplyBytes = 64 * 1024;

constexpr ReplyOf kReply{"KMS", "kms", "DescribeKey", kMaxReplyBytes};

core::Error unreadable(std::string_view why) {
  return unreadable_reply(kReply, why);
}

}  // namespace

core::Result<KmsKey> parse_describe_key(std::string_view json) {
  auto parsed = load_json_reply(json, kReply);
  if (!parsed) return parsed.error();
  const auto* meta = parsed->if_contains("KeyMetadata");
  if (meta == nullptr || !meta->is_object()) return unreadable("no KeyMetadata");
  KmsKey key;
  key.arn = core::get_string(meta->get_object(), "Arn").value_or("");
  key.manager = core::get_string(meta->get_object(), "KeyManager").value_or("");
  key.state = core::get_string(meta->get_object(), "KeyState").value_or("");
  if (key.arn.empty() || key.arn.size() > 2048 || key.manager.size() > 32 || key.state.size() > 64) {
    return unreadable("no usable Arn, KeyManager or KeyState");
  }
  return key;
}

core::Result<KmsKey> Kms::describe_key(std::string_view key_id) {
  boost::json::object body{{"KeyId", key_id}};
  http::Request req = json_protocol("TrentService.DescribeKey", boost::json::serialize(body));
  req.max_response_bytes = kMaxReplyBytes;
  auto reply = client_.call("kms", "kms", std::move(req), "DescribeKey");
  if (!reply) return reply.error().with("KMS key", std::string(key_id));
  if (reply->error) {
    const AwsError& err = *reply->error;
    if (is_not_found(err)) {
      return core::make_error(core::ErrorCode::kNotFound, "KMS key not found: " + std::string(key_id),
                              "The key named by the resource's encryption settings is gone or in another "
                              "account; check it in the KMS console")
          .with("Region", client_.region());
    }
    core::Error e = to_core_error(err, "DescribeKey");
    if (e.code == core::ErrorCode::kAccessDenied) {
      e.suggestion = "Allow kms:DescribeKey on the key for the identity running deploy";
    }
    return e.with("KMS key", std::string(key_id)).with("Region", client_.region());
  }
  return parse_describe_key(reply->response.body);
}

}  // namespace bw::aws
