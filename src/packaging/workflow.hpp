// packaging/workflow.hpp: one entry, from Benchling export to S3 objects and a Quilt packager message.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "aws/s3.hpp"
#include "core/error.hpp"
#include "packaging/package_target.hpp"
#include "packaging/zip_reader.hpp"

namespace bw::aws {
class Sqs;
}
namespace bw::benchling {
class Client;
}

namespace bw::packaging {

struct WorkflowOptions {
  std::chrono::seconds export_timeout{1800};   //!< how long a Benchling export may run
  std::chrono::milliseconds poll_first{1000};  //!< first wait between task polls, doubled each time
  std::chrono::milliseconds poll_cap{30000};   //!< longest wait between task polls
  std::filesystem::path temp_dir;              //!< where the export ZIP is spooled; default: the system's
  ZipLimits zip_limits;
  aws::UploadOptions upload;
};

struct WorkflowDeps {
  benchling::Client& benchling;
  aws::S3& s3;
  aws::Sqs& sqs;
};

struct PackageResult {
  std::string display_id;
  std::string package_name;
  std::size_t files = 0;    //!< ZIP members uploaded
  std::uint64_t bytes = 0;  //!< their total size
  std::string packager_message_id;
  std::optional<std::string> canvas_id;  //!< the canvas showing this package, when known
};

//! runtime-spec §6 with HEAD's improvements (§10.7): fetch the entry, export it, poll the task, spool the
//! ZIP to a temporary file, validate every member name and the limits before writing anything, stream each
//! member to s3://{bucket}/{pkg_prefix}/{display_id}/{member}, write the metadata documents, then send
//! the packager message. Re-running it writes the same keys. `envelope` is the webhook body (its `message`
//! and `baseURL` go into the metadata). `canvas_id` is the canvas showing the entry when the job knows it
//! (the webhook's, or the one the service created for it); "" takes the one an earlier entry.json recorded.
//! Stops early, with an error, when `stop` says so; its waits between export polls end at once on stop.
core::Result<PackageResult> package_entry(const std::string& entry_id, const boost::json::object& envelope,
                                          const std::string& canvas_id, const PackageTarget& target,
                                          WorkflowDeps& deps, const StopToken& stop,
                                          const WorkflowOptions& options);

}  // namespace bw::packaging
