#include "canvas/linked_packages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

#include "core/json.hpp"

namespace bw::canvas {

namespace {

constexpr std::size_t kMaxMetadataBytes = 1024 * 1024;

std::optional<std::size_t> index_of(const std::vector<std::string>& names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> either(std::optional<std::size_t> a, std::optional<std::size_t> b) {
  return a ? a : b;
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
  // The Iceberg query names two columns as its tables do (tag_name, metadata).
  const auto timestamp_i = either(index_of(names, "timestamp"), index_of(names, "tag_name"));
  const auto message_i = index_of(names, "message");
  const auto meta_i = either(index_of(names, "user_meta"), index_of(names, "metadata"));

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
    aws::Athena& athena, const PackageIndex& index, std::string_view bucket, std::string_view pkg_key,
    std::string_view display_id, std::string_view workgroup, const aws::RunOptions& options) {
  const std::string& database = index.database;
  auto query = build_linked_query(index, bucket, pkg_key, display_id);
  if (!query) return query.error();
  if (workgroup.empty()) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "No Athena workgroup for the linked-package search",
                            "Deploy with `benchling-webhook deploy` (it creates the workgroup), or export "
                            "UserAthenaWorkgroupName from the Quilt stack")
        .with("database", database);
  }
  aws::QueryRequest request;
  request.sql = std::move(query->sql);
  request.execution_parameters = std::move(query->parameters);
  request.database = database;
  request.workgroup = std::string(workgroup);

  auto result = athena.run_query(request, options);
  if (!result) {
    core::Error e = result.error();
    if (is_access_denied(e)) {
      core::Error denied = core::make_error(
          core::ErrorCode::kAccessDenied,
          "AWS Athena access denied. Please check IAM permissions for athena:StartQueryExecution on database "
          "'" +
              database + "'",
          "Grant the service role athena:StartQueryExecution, GetQueryExecution and GetQueryResults on the "
          "workgroup, Glue read access to the database, and S3 access to the workgroup's results bucket");
      denied.details = std::move(e.details);
      denied.details.insert(denied.details.begin(), {"cause", e.message});
      e = std::move(denied);
    }
    e.details.insert(e.details.begin(), {"database", database});
    return e;
  }
  return parse_linked_rows(*result);
}

}  // namespace bw::canvas
