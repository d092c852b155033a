#include "packaging/packager_message.hpp"

#include <boost/json.hpp>

#include <optional>

#include "core/utf8.hpp"
#include "packaging/detail/text.hpp"

namespace bw::packaging {

namespace {

constexpr std::size_t kMaxSegmentBytes = 255;
constexpr std::size_t kMaxS3KeyBytes = 1024;

std::optional<core::Error> check_segment(std::string_view what, std::string_view value) {
  auto bad = [&](std::string why) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            std::string(what) + " '" + detail::printable(value) + "' " + std::move(why),
                            "it becomes one segment of the S3 prefix and the Quilt package name")
        .with(std::string(what), detail::printable(value));
  };
  if (value.empty()) return bad("is empty");
  if (value.size() > kMaxSegmentBytes)
    return bad("is longer than " + std::to_string(kMaxSegmentBytes) + " bytes");
  if (!core::is_valid_utf8(value)) return bad("is not valid UTF-8");
  if (detail::has_control_char(value)) return bad("contains a control character");
  if (value.find('/') != std::string_view::npos || value.find('\\') != std::string_view::npos) {
    return bad("contains a path separator");
  }
  if (value.find("..") != std::string_view::npos) return bad("contains '..'");
  return std::nullopt;
}

}  // namespace

core::Result<std::string> package_name(std::string_view pkg_prefix, std::string_view display_id) {
  if (auto err = check_segment("pkg_prefix", pkg_prefix)) return *err;
  if (auto err = check_segment("display_id", display_id)) return *err;
  std::string out(pkg_prefix);
  out += '/';
  out += display_id;
  return out;
}

core::Result<std::string> s3_key(std::string_view package_name, std::string_view member_name) {
  std::string key(package_name);
  key += '/';
  key += member_name;
  if (key.size() > kMaxS3KeyBytes) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "S3 key for '" + detail::printable(member_name) + "' is longer than " +
                                std::to_string(kMaxS3KeyBytes) + " bytes",
                            "shorten the file name or its folders in Benchling and export again")
        .with("member", detail::printable(member_name))
        .with("bytes", std::to_string(key.size()));
  }
  return key;
}

std::string commit_message(std::string_view event_type, std::string_view timestamp) {
  std::string out = "Benchling ";
  out += event_type.empty() ? std::string_view("webhook payload") : event_type;
  if (!timestamp.empty()) {
    out += " at ";
    out += timestamp;
  }
  return out;
}

std::string packager_message_body(const PackagerMessageInput& in) {
  boost::json::object body;
  body["source_prefix"] = "s3://" + in.bucket + "/" + in.package_name + "/";
  body["registry"] = in.bucket;
  body["package_name"] = in.package_name;
  body["metadata_uri"] = "entry.json";
  body["commit_message"] = commit_message(in.event_type, in.timestamp);
  if (!in.workflow.empty()) body["workflow"] = in.workflow;
  return boost::json::serialize(body);
}

}  // namespace bw::packaging
