// service/canvas_jobs.hpp: renders App Canvas views and PATCHes them to Benchling, from the workers.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "canvas/button_id.hpp"
#include "canvas/views.hpp"
#include "config/resolved_config.hpp"
#include "core/error.hpp"
#include "core/stop.hpp"

namespace bw::aws {
class Athena;
class S3;
}  // namespace bw::aws
namespace bw::benchling {
class Client;
}

namespace bw::service {

//! One canvas's views, rendered from Benchling (entry), S3 (package manifests) and Athena (linked
//! packages). Every PATCH re-enables the canvas; every failure leaves a readable message and working
//! buttons. Nothing here runs on the request path.
class CanvasJobs {
 public:
  //! `stop` (the worker pool's) ends a wait for Athena at once.
  CanvasJobs(const config::ResolvedConfig& config, benchling::Client& benchling, aws::S3& s3,
             aws::Athena& athena, core::StopToken stop = {})
      : config_(config), benchling_(benchling), s3_(s3), athena_(athena), stop_(std::move(stop)) {}

  //! The main view (package link, linked packages, footer with `status`).
  core::Result<void> show_main(const std::string& canvas_id, const std::string& entry_id,
                               canvas::CanvasStatus status);
  //! The view a button asks for (browse, pages, metadata, back; plain or linked).
  core::Result<void> show_button(const std::string& canvas_id, const canvas::ParsedButton& button);
  //! A readable error with the main buttons; used when a job fails.
  core::Result<void> show_error(const std::string& canvas_id, const std::string& entry_id,
                                const core::Error& error);
  //! Creates a canvas on the entry, owned by the app `app_id` (the webhook's app.id; AppCanvasCreate requires
  //! it), showing the preparing view. Benchling's canvas.initialized carries no canvas id since 2023.
  core::Result<std::string> create_canvas(const std::string& entry_id, const std::string& feature_id,
                                          const std::string& app_id);

  //! "{pkg_prefix}/{display_id}" of an entry (one GET /entries).
  core::Result<std::string> package_of(const std::string& entry_id, std::string* display_id = nullptr);

 private:
  core::Result<void> patch(const std::string& canvas_id, boost::json::array blocks);
  canvas::CanvasTarget target(const std::string& entry_id) const;

  const config::ResolvedConfig& config_;
  benchling::Client& benchling_;
  aws::S3& s3_;
  aws::Athena& athena_;
  core::StopToken stop_;
};

//! "2026-11-26 10:00 UTC", the footer's time format.
std::string canvas_time_now();

}  // namespace bw::service
