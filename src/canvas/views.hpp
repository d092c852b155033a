// canvas/views.hpp
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "canvas/package_reader.hpp"  // PackageFile, the listing a browser page shows
#include "canvas/pagination.hpp"

namespace bw::canvas {

// The canvas views of runtime-spec §7.2-§7.4 with HEAD's changes (§10.9), as pure functions from plain values
// to a block array (wrap it with canvas_update_body for the PATCH). Every view leaves at least one enabled
// button, so a user is never stuck. Block ids, texts and markdown are the reference's unless noted.

//! Where a view points: the catalog host, the registry bucket and the entry whose canvas it is.
struct CanvasTarget {
  std::string catalog;   //!< bare host, e.g. "quilt.example.com"
  std::string bucket;    //!< registry bucket, e.g. "quilt-data"
  std::string entry_id;  //!< e.g. "etr_abc123"; goes into every button id
};

//! The package a browser or metadata view shows: the entry's own, or a linked package (whose buttons then use
//! the *-linked ids, so paging stays on that package).
struct PackageRef {
  std::string name;
  bool linked = false;
};

//! The footer's status line: updating beats updated_at, which beats "Pending update".
struct CanvasStatus {
  bool updating = false;
  std::optional<std::string> updated_at;  //!< e.g. "2025-10-02 11:00 UTC"
  std::string version;                    //!< the app's version, shown as "Rev {version}"
};

struct MainViewInput {
  CanvasTarget target;
  std::string package_name;  //!< the entry's package, "{pkg_prefix}/{display_id}"
  std::string display_id;
  std::vector<std::string>
      linked;  //!< linked package names, any order; sorted, deduplicated, primary dropped
  std::vector<std::string> errors;  //!< warnings shown under the links, e.g. a failed Athena query
  CanvasStatus status;
};

//! The main view. While status.updating: md1 holds only the header, there are no linked packages or
//! warnings, and "Update Package" is disabled (the packaging job is running).
boost::json::array main_view(const MainViewInput& in);

//! One page of the file browser; `files` in any order (sorted by logical key here), `page` is clamped.
//! No files gives the "Package Is Empty" view.
boost::json::array browser_view(const CanvasTarget& target, const PackageRef& package,
                                std::span<const PackageFile> files, PageRef page);

//! "Package Not Created" (the package's latest pointer does not exist).
boost::json::array not_created_view(const CanvasTarget& target, const PackageRef& package);

//! "Error Loading Files" with a Retry button for the same page. Unlike the reference, a linked package's
//! Retry re-opens that linked package.
boost::json::array browser_error_view(const CanvasTarget& target, const PackageRef& package,
                                      std::string_view error, PageRef page);

//! The metadata view; `page` is the browser page "Back to Browser" returns to.
boost::json::array metadata_view(const CanvasTarget& target, const PackageRef& package,
                                 const boost::json::object& metadata, PageRef page);

//! "Error Loading Metadata" with a Back to Package button.
boost::json::array metadata_error_view(const CanvasTarget& target, const PackageRef& package,
                                       std::string_view error);

//! Any failed canvas job (not in the reference): the readable message, an optional suggestion, and the main
//! navigation buttons, all enabled, so the user can always go on.
boost::json::array error_view(const CanvasTarget& target, std::string_view message,
                              std::string_view suggestion = {});

//! What a canvas the app has just created shows until its main view is rendered: a neutral "preparing"
//! message (nothing failed), Browse Package enabled, Update Package disabled (packaging is about to start).
boost::json::array preparing_view(const CanvasTarget& target);

//! The reference's test for "the package does not exist yet": the lower-cased error text contains
//! "does not exist", "not found" or "no such package".
bool is_not_found_message(std::string_view error);

//! Error texts shown on a canvas are cut to this many bytes (at a UTF-8 boundary) and marked with "…".
inline constexpr std::size_t kMaxShownErrorBytes = 500;

}  // namespace bw::canvas
