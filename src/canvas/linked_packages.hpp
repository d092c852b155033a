// canvas/linked_packages.hpp: packages whose Quilt metadata names an entry (runtime-spec §6.7-6.8), via
// Athena.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "aws/athena.hpp"
#include "canvas/linked_query.hpp"
#include "core/error.hpp"

namespace bw::canvas {

//! One package version tagged "latest" whose user metadata has pkg_key == the entry's display id.
struct LinkedPackage {
  std::string name;              //!< "prefix/name"
  std::string timestamp;         //!< the view's timestamp / the Iceberg tag_name ("latest")
  std::string message;           //!< the revision's commit message; may be empty
  boost::json::object metadata;  //!< user_meta parsed; {} when absent or not a JSON object
};

//! Packages from the query's rows (either generation): drops the header row real Athena sends first (a
//! row whose pkg_name cell is "pkg_name"), rows without a name, and repeated names (the first wins);
//! sorted by name. Columns are found by name in result.columns (or the header row): pkg_name, timestamp
//! or tag_name, message, user_meta or metadata; else taken in query order. Pure.
std::vector<LinkedPackage> parse_linked_rows(const aws::QueryResult& result);

//! Runs build_linked_query(index, ...) in `workgroup` with QueryExecutionContext.Database = the index's
//! database (no ResultConfiguration: the workgroup's result setting applies, so it must have one: the
//! stack's UserAthenaWorkgroupName or the deploy's managed-results workgroup, never a bare "primary").
//! Errors (returned, never thrown; the canvas words them "Failed to search for linked packages: <err>"):
//! the validation errors of build_linked_query; an empty workgroup (kInvalidArgument); access denied (an
//! AccessDenied reply, or a FAILED reason saying "not authorized") -> kAccessDenied "AWS Athena access
//! denied. Please check IAM permissions for athena:StartQueryExecution on database '<db>'"; otherwise
//! run_query()'s errors. All carry the database.
core::Result<std::vector<LinkedPackage>> find_linked_packages(
    aws::Athena& athena, const PackageIndex& index, std::string_view bucket, std::string_view pkg_key,
    std::string_view display_id, std::string_view workgroup, const aws::RunOptions& options = {});

}  // namespace bw::canvas
