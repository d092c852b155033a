#include "packaging/packager_message.hpp"

#include <boost/json.hpp>

#include <optional>

#include "config/package_name_rule.hpp"
#include "packaging/detail/text.hpp"

namespace bw::packaging {

namespace {

constexpr std::size_t kMaxS3KeyBytes = 1024;

//! Quilt refuses the name silently (the packager drops the message), so a part it would refuse fails here,
//! before anything is exported: permanently, since the same entry gives the same name on every retry.
std::optional<core::Error> check_part(std::string_view what, std::string_view value) {
  const auto problem = config::package_name_part_problem(value);
  if (!problem) return std::nullopt;
  auto e = core::make_error(core::ErrorCode::kInvalidArgument,
                            std::string(what) + " '" + detail::printable(value) +
                                "' cannot be part of a Quilt package name: it " + *problem,
                            "Quilt accepts package names \"<prefix>/<name>\" made of " +
                                std::string(config::kPackageNamePartAllowed) +
                                " only, e.g. \"benchling/EXP25000076\"");
  e.permanent = true;
  e.with(std::string(what), detail::printable(value)).with("problem", *problem);
  return e;
}

}  // namespace

core::Result<std::string> package_name(std::string_view pkg_prefix, std::string_view display_id) {
  if (auto err = check_part("pkg_prefix", pkg_prefix)) return *err;
  if (auto err = check_part("display_id", display_id)) return *err;
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
