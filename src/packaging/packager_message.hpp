// packaging/packager_message.hpp: package naming, S3 keys and the Quilt packager SQS message
// (runtime-spec §6.4, §6.6, §10.7; anchors §6.4).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::packaging {

//! "{pkg_prefix}/{display_id}", e.g. "benchling/EXP25000076". Both parts become one segment of an S3
//! prefix and half of a Quilt package name, so each must pass config::package_name_part_problem() (ASCII
//! letters, digits, '_' and '-', at most 255 bytes); otherwise kInvalidArgument, marked permanent.
core::Result<std::string> package_name(std::string_view pkg_prefix, std::string_view display_id);

//! "{package_name}/{member_name}"; kInvalidArgument when the key would exceed S3's 1024 bytes.
core::Result<std::string> s3_key(std::string_view package_name, std::string_view member_name);

//! "Benchling {event_type or 'webhook payload'}" plus " at {timestamp}" when there is one (HEAD rule).
std::string commit_message(std::string_view event_type, std::string_view timestamp);

struct PackagerMessageInput {
  std::string bucket;        //!< the user bucket, also the registry
  std::string package_name;  //!< from package_name()
  std::string event_type;    //!< message.type, may be empty
  std::string timestamp;     //!< event_timestamp() of the message, may be empty
  std::string workflow;      //!< the secret's `workflow`; omitted from the message when empty
};

//! The SQS body, compact JSON with keys in this order:
//! {"source_prefix":"s3://{bucket}/{package_name}/","registry":bucket,"package_name":...,
//!  "metadata_uri":"entry.json","commit_message":...[,"workflow":...]}
std::string packager_message_body(const PackagerMessageInput& in);

}  // namespace bw::packaging
