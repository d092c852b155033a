#include "service/canvas_jobs.hpp"

#include <boost/json.hpp>

#include <ctime>

#include "aws/athena.hpp"
#include "benchling/client.hpp"
#include "canvas/blocks.hpp"
#include "canvas/linked_packages.hpp"
#include "canvas/package_reader.hpp"
#include "config/athena_workgroup.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/version.hpp"
#include "packaging/packager_message.hpp"

namespace bw::service {

std::string canvas_time_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

canvas::CanvasTarget CanvasJobs::target(const std::string& entry_id) const {
  return {config_.quilt.catalog_host, config_.benchling.user_bucket, entry_id};
}

core::Result<void> CanvasJobs::patch(const std::string& canvas_id, boost::json::array blocks) {
  return benchling_.update_canvas(canvas_id, canvas::canvas_update_body(std::move(blocks)));
}

core::Result<std::string> CanvasJobs::package_of(const std::string& entry_id, std::string* display_id) {
  auto entry = benchling_.get_entry(entry_id);
  if (!entry) return entry.error();
  std::string id = core::get_string(*entry, "displayId").value_or(entry_id);
  if (display_id) *display_id = id;
  return packaging::package_name(config_.benchling.pkg_prefix, id);
}

core::Result<void> CanvasJobs::show_main(const std::string& canvas_id, const std::string& entry_id,
                                         canvas::CanvasStatus status) {
  canvas::MainViewInput in;
  in.target = target(entry_id);
  auto name = package_of(entry_id, &in.display_id);
  if (!name) return show_error(canvas_id, entry_id, name.error());
  in.package_name = *name;
  status.version = core::kVersion;
  in.status = std::move(status);
  if (!in.status.updating) {
    // A failed search is a warning on the canvas, not a failed job (runtime-spec §7.2). Quilt 1.70+
    // stacks (IcebergDatabaseName) keep packages in Iceberg tables; older ones in the packages view.
    const auto index = canvas::package_index(config_.quilt.iceberg_database, config_.quilt.athena_database);
    const auto workgroup =
        config::choose_athena_workgroup(config_.quilt, config_.stack.arn, config_.secret_id);
    aws::RunOptions run_options;
    run_options.stop = stop_;
    auto linked =
        canvas::find_linked_packages(athena_, index, config_.benchling.user_bucket, config_.benchling.pkg_key,
                                     in.display_id, workgroup.name, run_options);
    if (linked) {
      for (const auto& p : *linked) in.linked.push_back(p.name);
    } else {
      in.errors.push_back("Failed to search for linked packages: " + linked.error().message);
    }
  }
  return patch(canvas_id, canvas::main_view(in));
}

core::Result<void> CanvasJobs::show_button(const std::string& canvas_id, const canvas::ParsedButton& button) {
  using canvas::ButtonAction;
  const std::string& entry_id = button.entry_id;
  if (button.action == ButtonAction::kBackToPackage) return show_main(canvas_id, entry_id, {});

  canvas::PackageRef package;
  package.linked = canvas::is_linked(button.action);
  if (package.linked) {
    package.name = button.package_name.value_or("");
  } else {
    auto name = package_of(entry_id);
    if (!name) return show_error(canvas_id, entry_id, name.error());
    package.name = *name;
  }
  const canvas::PageRef page = button.page.value_or(canvas::PageRef{});
  canvas::PackageReader reader(s3_);
  auto listing = reader.read_package(config_.benchling.user_bucket, package.name);
  const bool metadata =
      button.action == ButtonAction::kViewMetadata || button.action == ButtonAction::kViewMetadataLinked;
  boost::json::array blocks;
  if (!listing && listing.error().code == core::ErrorCode::kNotFound) {
    blocks = canvas::not_created_view(target(entry_id), package);
  } else if (!listing) {
    blocks = metadata ? canvas::metadata_error_view(target(entry_id), package, listing.error().message)
                      : canvas::browser_error_view(target(entry_id), package, listing.error().message, page);
  } else if (metadata) {
    auto meta = reader.package_metadata(config_.benchling.user_bucket, package.name, *listing);
    blocks = meta ? canvas::metadata_view(target(entry_id), package, *meta, page)
                  : canvas::metadata_error_view(target(entry_id), package, meta.error().message);
  } else {
    blocks = canvas::browser_view(target(entry_id), package, listing->files, page);
  }
  return patch(canvas_id, std::move(blocks));
}

core::Result<void> CanvasJobs::show_error(const std::string& canvas_id, const std::string& entry_id,
                                          const core::Error& error) {
  core::log::warn("showing an error on the canvas", {{"canvas", canvas_id}, {"error", error.message}});
  return patch(canvas_id, canvas::error_view(target(entry_id), error.message, error.suggestion));
}

core::Result<std::string> CanvasJobs::create_canvas(const std::string& entry_id,
                                                    const std::string& feature_id,
                                                    const std::string& app_id) {
  boost::json::object body = canvas::canvas_update_body(canvas::preparing_view(target(entry_id)));
  body["resourceId"] = entry_id;
  body["featureId"] = feature_id;
  // Every app webhook carries app.id; should one not, Benchling still accepts a create without it for now.
  if (!app_id.empty()) body["appId"] = app_id;
  return benchling_.create_canvas(body);
}

}  // namespace bw::service
