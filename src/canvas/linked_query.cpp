// canvas/linked_query.cpp
#include "canvas/linked_query.hpp"

#include <algorithm>

#include "aws/athena.hpp"

namespace bw::canvas {

namespace {

constexpr std::size_t kMaxIdentifier = 255;  // Glue database and table names
constexpr std::string_view kViewSuffix = "_packages-view";
constexpr std::string_view kTagSuffix = "_package_tag";
constexpr std::string_view kManifestSuffix = "_package_manifest";  // the longer Iceberg table name

// Which stack output a bad database name came from.
std::string database_suggestion(std::string_view suffix) {
  return suffix == kViewSuffix ? "Check the Quilt stack output UserAthenaDatabaseName"
                               : "Check the Quilt stack output IcebergDatabaseName";
}
constexpr std::size_t kMaxPkgKey = 256;

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return is_control(static_cast<unsigned char>(c)); });
}

core::Error invalid(std::string message, std::string suggestion, std::string_view field,
                    std::string_view value) {
  // The value is shown escaped and cut short: it may hold the very characters that made it invalid.
  std::string shown;
  for (char c : value.substr(0, 128)) {
    if (is_control(static_cast<unsigned char>(c))) {
      shown += "\\x";
      shown += "0123456789abcdef"[(static_cast<unsigned char>(c) >> 4) & 0xf];
      shown += "0123456789abcdef"[static_cast<unsigned char>(c) & 0xf];
    } else {
      shown += c;
    }
  }
  return core::make_error(core::ErrorCode::kInvalidArgument, std::move(message), std::move(suggestion))
      .with(std::string(field), shown);
}

// "name" for Athena (Trino): double-quoted. Quotes are rejected rather than doubled so that a name can
// never change the shape of the statement, and a bad name is visible as a configuration error.
core::Result<std::string> quoted_identifier(std::string_view name, std::string_view what,
                                            std::string_view suggestion) {
  if (name.empty() || name.size() > kMaxIdentifier || name.find('"') != std::string_view::npos ||
      has_control(name)) {
    return invalid("Invalid Athena " + std::string(what) +
                       " name: it must be 1-255 characters without double quotes or control characters",
                   std::string(suggestion), what, name);
  }
  std::string quoted = "\"";  // appended, not operator+: GCC 12 -O3 warns falsely (-Wrestrict) on that
  quoted.append(name).append("\"");
  return quoted;
}

bool is_simple_key(std::string_view key) {
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The pieces both generations share, validated: the quoted database, the bucket (checked to fit the
// longest table name), and the two execution parameters.
struct Parts {
  std::string database;
  std::vector<std::string> parameters;
};

core::Result<Parts> validated_parts(std::string_view database, std::string_view bucket,
                                    std::string_view longest_suffix, std::string_view pkg_key,
                                    std::string_view display_id) {
  auto db = quoted_identifier(database, "database", database_suggestion(longest_suffix));
  if (!db) return db.error();
  if (bucket.size() > kMaxIdentifier - longest_suffix.size()) {
    return invalid("Invalid bucket name for the Athena package tables: too long",
                   "Check user_bucket in the Benchling secret", "bucket", bucket);
  }
  if (auto table = quoted_identifier(bucket, "bucket", "Check user_bucket in the Benchling secret"); !table)
    return table.error();

  if (pkg_key.empty() || pkg_key.size() > kMaxPkgKey || pkg_key.find('"') != std::string_view::npos ||
      pkg_key.find('\\') != std::string_view::npos || has_control(pkg_key)) {
    return invalid(
        "Invalid pkg_key: it must be 1-256 characters without double quotes, backslashes or control "
        "characters",
        "Set pkg_key in the Benchling secret to a metadata key such as \"experiment_id\"", "pkg_key",
        pkg_key);
  }
  const std::string path =
      is_simple_key(pkg_key) ? "$." + std::string(pkg_key) : "$[\"" + std::string(pkg_key) + "\"]";

  const std::string value = aws::athena_string_literal(display_id);
  if (display_id.empty() || has_control(display_id) || value.size() > aws::kAthenaMaxParameterBytes) {
    return invalid("Invalid entry display id for the linked-package search", "Check the entry's display id",
                   "display id", display_id);
  }
  return Parts{std::move(*db), {aws::athena_string_literal(path), value}};
}

// "<bucket><suffix>", double-quoted (the bucket was validated by validated_parts).
std::string table(std::string_view bucket, std::string_view suffix) {
  std::string quoted = "\"";
  quoted.append(bucket).append(suffix).append("\"");
  return quoted;
}

// One generation's query: the table name whose length bounds the bucket, and the SQL around the validated,
// quoted database ("<bucket><suffix>" tables come from table()).
struct QueryShape {
  std::string_view longest_suffix;
  std::string (*sql)(const std::string& database, std::string_view bucket);
};

constexpr QueryShape kPackagesViewQuery{
    kViewSuffix, [](const std::string& db, std::string_view bucket) {
      std::string sql = "SELECT pkg_name, timestamp, message, user_meta\nFROM ";
      sql.append(db).append(".").append(table(bucket, kViewSuffix));
      sql.append("\nWHERE json_extract_scalar(user_meta, ?) = ?\n    AND timestamp = 'latest'\nLIMIT 100");
      return sql;
    }};

constexpr QueryShape kIcebergQuery{
    kManifestSuffix, [](const std::string& db, std::string_view bucket) {
      std::string sql = "SELECT t.pkg_name, t.tag_name, m.message, m.metadata\nFROM ";
      sql.append(db).append(".").append(table(bucket, kTagSuffix)).append(" t\nJOIN ");
      sql.append(db)
          .append(".")
          .append(table(bucket, kManifestSuffix))
          .append(" m ON t.top_hash = m.top_hash");
      sql.append("\nWHERE t.tag_name = 'latest'\n    AND json_extract_scalar(m.metadata, ?) = ?\nLIMIT 100");
      return sql;
    }};

core::Result<LinkedQuery> build(const QueryShape& shape, std::string_view database, std::string_view bucket,
                                std::string_view pkg_key, std::string_view display_id) {
  auto parts = validated_parts(database, bucket, shape.longest_suffix, pkg_key, display_id);
  if (!parts) return parts.error();
  return LinkedQuery{shape.sql(parts->database, bucket), std::move(parts->parameters)};
}

}  // namespace

PackageIndex package_index(std::string_view iceberg_database, std::string_view athena_database) {
  if (!iceberg_database.empty()) return {PackageIndexKind::kIceberg, std::string(iceberg_database)};
  return {PackageIndexKind::kPackagesView, std::string(athena_database)};
}

core::Result<LinkedQuery> build_linked_query(std::string_view database, std::string_view bucket,
                                             std::string_view pkg_key, std::string_view display_id) {
  return build(kPackagesViewQuery, database, bucket, pkg_key, display_id);
}

core::Result<LinkedQuery> build_iceberg_linked_query(std::string_view database, std::string_view bucket,
                                                     std::string_view pkg_key, std::string_view display_id) {
  return build(kIcebergQuery, database, bucket, pkg_key, display_id);
}

core::Result<LinkedQuery> build_linked_query(const PackageIndex& index, std::string_view bucket,
                                             std::string_view pkg_key, std::string_view display_id) {
  if (index.kind == PackageIndexKind::kIceberg)
    return build_iceberg_linked_query(index.database, bucket, pkg_key, display_id);
  return build_linked_query(index.database, bucket, pkg_key, display_id);
}

}  // namespace bw::canvas
