// canvas/linked_packages.hpp: packages whose Quilt metadata names an entry (runtime-spec §6.7-6.8), via
// Athena.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "aws/athena.hpp"
#include "core/error.hpp"

namespace bw::canvas {

//! One package version marked "latest" whose user metadata has pkg_key == the entry's display id.
struct LinkedPackage {
  std::string name;              //!< "prefix/name"
  std::string timestamp;         //!< as the view reports it ("latest")
  std::string message;           //!< the revision's commit message; may be empty
  boost::json::object metadata;  //!< user_meta parsed; {} when absent or not a JSON object
};

//! The SQL text plus its execution parameters (Athena reads each parameter as a SQL literal).
struct LinkedQuery {
  std::string sql;
  std::vector<std::string> parameters;
};

//! The §6.8 query, with nothing from outside in the SQL text except the two identifiers:
//!   SELECT pkg_name, timestamp, message, user_meta
//!   FROM "<database>"."<bucket>_packages-view"
//!   WHERE json_extract_scalar(user_meta, ?) = ?
//!       AND timestamp = 'latest'
//!   LIMIT 100
//! Parameters: the JSON path of pkg_key ('$.key' for [A-Za-z0-9_] keys, '$["key"]' otherwise) and the
//! display id, each as a quoted SQL string literal. The identifiers are double-quoted; a database or
//! bucket that is empty, too long, or holds a double quote or a control character is kInvalidArgument,
//! as are a pkg_key with a double quote, a backslash or a control character, and a display id that is
//! empty, holds a control character, or is too long for an execution parameter. Pure.
core::Result<LinkedQuery> build_linked_query(std::string_view database, std::string_view bucket,
                                             std::string_view pkg_key, std::string_view display_id);

//! Packages from the query's rows: drops the header row real Athena sends first (a row whose pkg_name
//! cell is "pkg_name"), rows without a name, and repeated names (the first wins); sorted by name.
//! Columns are found by name in result.columns (or the header row), else taken in query order. Pure.
std::vector<LinkedPackage> parse_linked_rows(const aws::QueryResult& result);

//! Runs the query in `workgroup` (no ResultConfiguration: the workgroup's output location applies).
//! Errors (returned, never thrown; the canvas words them "Failed to search for linked packages: <err>"):
//! the validation errors above; access denied (an AccessDenied reply, or a FAILED reason saying "not
//! authorized") -> kAccessDenied "AWS Athena access denied. Please check IAM permissions for
//! athena:StartQueryExecution on database '<db>'"; otherwise run_query()'s errors. All carry the database.
core::Result<std::vector<LinkedPackage>> find_linked_packages(
    aws::Athena& athena, std::string_view database, std::string_view bucket, std::string_view pkg_key,
    std::string_view display_id, std::string_view workgroup = "primary", const aws::RunOptions& options = {});

}  // namespace bw::canvas
