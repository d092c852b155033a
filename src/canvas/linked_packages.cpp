#include "canvas/linked_packages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

#include "core/json.hpp"

namespace bw::canvas {

namespace {

constexpr std::size_t kMaxIdentifier = 255;  // Glue database and table names
constexpr std::size_t kMaxPkgKey = 256;
constexpr std::size_t kMaxMetadataBytes = 1024 * 1024;
constexpr std::string_view kTableSuffix = "_packages-view";

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

std::optional<std::size_t> index_of(const std::vector<std::string>& names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

std::string cell(const std::vector<std::optional<std::string>>& row, std::optional<std::size_t> i) {
  if (!i || *i >= row.size() || !row[*i]) return {};
  return *row[*i];
}

boost::json::object parse_metadata(const std::string& text) {
  if (text.empty() || text.size() > kMaxMetadataBytes) return {};
  auto parsed = core::parse_json(text, "user_meta", kMaxMetadataBytes);
  if (!parsed || !parsed->is_object()) return {};
  return std::move(parsed->get_object());
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool is_access_denied(const core::Error& e) {
  if (e.code == core::ErrorCode::kAccessDenied) return true;
  auto says = [&](std::string_view text) {
    return contains(text, "AccessDeniedException") || contains(text, "not authorized");
  };
  if (says(e.message)) return true;
  return std::any_of(e.details.begin(), e.details.end(), [&](const auto& kv) { return says(kv.second); });
}

}  // namespace

core::Result<LinkedQuery> build_linked_query(std::string_view database, std::string_view bucket,
                                             std::string_view pkg_key, std::string_view display_id) {
  auto db = quoted_identifier(database, "database", "Check the Quilt stack output UserAthenaDatabaseName");
  if (!db) return db.error();
  if (bucket.size() > kMaxIdentifier - kTableSuffix.size()) {
    return invalid("Invalid bucket name for the Athena packages view: too long",
                   "Check user_bucket in the Benchling secret", "bucket", bucket);
  }
  auto table = quoted_identifier(bucket.empty() ? bucket : std::string(bucket) + std::string(kTableSuffix),
                                 "bucket", "Check user_bucket in the Benchling secret");
  if (!table) return table.error();

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

  LinkedQuery q;
  q.sql =
      "SELECT pkg_name, timestamp, message, user_meta\n"
      "FROM " +
      *db + "." + *table +
      "\n"
      "WHERE json_extract_scalar(user_meta, ?) = ?\n"
      "    AND timestamp = 'latest'\n"
      "LIMIT 100";
  q.parameters = {aws::athena_string_literal(path), value};
  return q;
}

std::vector<LinkedPackage> parse_linked_rows(const aws::QueryResult& result) {
  static const std::vector<std::string> kColumns = {"pkg_name", "timestamp", "message", "user_meta"};
  const auto& rows = result.rows;
  // Real Athena repeats the column names as the first row; moto returns only what was queued. Where
  // each column sits: by name from the metadata, else from that header row, else in query order.
  std::vector<std::string> names = result.columns;
  bool header = false;
  if (!rows.empty()) {
    if (auto i = index_of(names, "pkg_name")) {
      header = rows[0].size() > *i && rows[0][*i] == std::optional<std::string>("pkg_name");
    } else {
      std::vector<std::string> cells;
      for (const auto& c : rows[0]) cells.push_back(c.value_or(""));
      // A package name always holds a "/", so a "pkg_name" cell can only be the header.
      if (index_of(cells, "pkg_name")) {
        header = true;
        names = std::move(cells);
      }
    }
  }
  if (!index_of(names, "pkg_name")) names = kColumns;
  const std::size_t first = header ? 1 : 0;
  const auto name_i = index_of(names, "pkg_name");
  const auto timestamp_i = index_of(names, "timestamp");
  const auto message_i = index_of(names, "message");
  const auto meta_i = index_of(names, "user_meta");

  std::vector<LinkedPackage> out;
  std::set<std::string, std::less<>> seen;
  for (std::size_t r = first; r < rows.size(); ++r) {
    std::string name = cell(rows[r], name_i);
    if (name.empty() || !seen.insert(name).second) continue;
    LinkedPackage p;
    p.name = std::move(name);
    p.timestamp = cell(rows[r], timestamp_i);
    p.message = cell(rows[r], message_i);
    p.metadata = parse_metadata(cell(rows[r], meta_i));
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(),
            [](const LinkedPackage& a, const LinkedPackage& b) { return a.name < b.name; });
  return out;
}

core::Result<std::vector<LinkedPackage>> find_linked_packages(
    aws::Athena& athena, std::string_view database, std::string_view bucket, std::string_view pkg_key,
    std::string_view display_id, std::string_view workgroup, const aws::RunOptions& options) {
  auto query = build_linked_query(database, bucket, pkg_key, display_id);
  if (!query) return query.error();
  aws::QueryRequest request;
  request.sql = std::move(query->sql);
  request.execution_parameters = std::move(query->parameters);
  request.database = std::string(database);
  request.workgroup = std::string(workgroup);

  auto result = athena.run_query(request, options);
  if (!result) {
    core::Error e = result.error();
    if (is_access_denied(e)) {
      core::Error denied = core::make_error(
          core::ErrorCode::kAccessDenied,
          "AWS Athena access denied. Please check IAM permissions for athena:StartQueryExecution on database "
          "'" +
              std::string(database) + "'",
          "Grant the service role athena:StartQueryExecution, GetQueryExecution and GetQueryResults on the "
          "workgroup, Glue read access to the database, and S3 access to the workgroup's results bucket");
      denied.details = std::move(e.details);
      denied.details.insert(denied.details.begin(), {"cause", e.message});
      e = std::move(denied);
    }
    e.details.insert(e.details.begin(), {"database", std::string(database)});
    return e;
  }
  return parse_linked_rows(*result);
}

}  // namespace bw::canvas
