// canvas/linked_query.hpp: the SQL that finds the packages linked to an entry, for both generations of
// Quilt's package index. Pure: no I/O (linked_packages.hpp runs it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::canvas {

//! Which tables hold the packages.
enum class PackageIndexKind {
  kPackagesView,  //!< before Quilt 1.70: the "<bucket>_packages-view" Athena view in UserAthenaDatabaseName
  kIceberg,  //!< Quilt 1.70+: "<bucket>_package_tag" and "<bucket>_package_manifest" in IcebergDatabaseName
};

//! The package index of one Quilt stack: its kind and the Glue database holding it.
struct PackageIndex {
  PackageIndexKind kind = PackageIndexKind::kPackagesView;
  std::string database;
};

//! The Iceberg tables when the stack exports IcebergDatabaseName (Quilt 1.70 removed the packages
//! views), else the packages view in UserAthenaDatabaseName. Pure.
PackageIndex package_index(std::string_view iceberg_database, std::string_view athena_database);

//! The SQL text plus its execution parameters (Athena reads each parameter as a SQL literal).
struct LinkedQuery {
  std::string sql;
  std::vector<std::string> parameters;
};

//! The §6.8 query on the packages view, with nothing from outside in the SQL text except the two
//! identifiers:
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

//! The same search on Quilt 1.70+'s per-bucket Iceberg tables (quiltdata/quilt
//! docs/advanced-features/iceberg-tables.md: package_tag has pkg_name, tag_name, top_hash;
//! package_manifest has top_hash, message, metadata = the package's user metadata):
//!   SELECT t.pkg_name, t.tag_name, m.message, m.metadata
//!   FROM "<database>"."<bucket>_package_tag" t
//!   JOIN "<database>"."<bucket>_package_manifest" m ON t.top_hash = m.top_hash
//!   WHERE t.tag_name = 'latest'
//!       AND json_extract_scalar(m.metadata, ?) = ?
//!   LIMIT 100
//! Same parameters and the same validation as build_linked_query. Pure.
core::Result<LinkedQuery> build_iceberg_linked_query(std::string_view database, std::string_view bucket,
                                                     std::string_view pkg_key, std::string_view display_id);

//! The query for `index`'s kind. Pure.
core::Result<LinkedQuery> build_linked_query(const PackageIndex& index, std::string_view bucket,
                                             std::string_view pkg_key, std::string_view display_id);

}  // namespace bw::canvas
