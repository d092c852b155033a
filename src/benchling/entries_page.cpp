#include "benchling/entries_page.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/encoding.hpp"
#include "core/json.hpp"

namespace bw::benchling {
namespace {

constexpr std::size_t kMaxReplyBytes = 8 * 1024 * 1024;
constexpr std::size_t kMaxIdBytes = 256;
constexpr std::size_t kMaxTokenBytes = 4096;
constexpr std::size_t kMaxTextBytes = 1024;

core::Error unreadable(std::string why) {
  return core::make_error(core::ErrorCode::kRemote, "Benchling's entry listing is unreadable: " + why,
                          "retry later; if it persists, check api_url (or tenant) in the Benchling secret")
      .with("path", "/api/v2/entries");
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

}  // namespace

std::string entries_query_string(const EntriesQuery& q) {
  std::string out;
  auto add = [&out](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out.append(out.empty() ? "?" : "&").append(name).append("=").append(core::uri_encode(value));
  };
  add("pageSize", std::to_string(std::clamp(q.page_size, 1, kMaxEntriesPageSize)));
  add("nextToken", q.next_token);
  add("sort", q.sort);
  add("modifiedAt", q.modified_at);
  add("projectId", q.project_id);
  add("schemaId", q.schema_id);
  add("archiveReason", q.archive_reason);
  add("ids", joined(q.ids));
  add("displayIds", joined(q.display_ids));
  return out;
}

core::Result<EntriesPage> parse_entries_page(std::string_view body) {
  auto parsed = core::parse_json(body, "Benchling's entry listing", kMaxReplyBytes);
  if (!parsed) return unreadable("not valid JSON");
  if (!parsed->is_object()) return unreadable("not a JSON object");
  const auto& root = parsed->get_object();
  EntriesPage page;
  auto token = core::get_optional_string(root, "nextToken", kMaxTokenBytes);
  if (!token) return unreadable(token.error().message);
  page.next_token = std::move(*token);
  auto entries = core::get_optional_array(root, "entries");
  if (!entries) return unreadable(entries.error().message);
  if (entries->size() > std::size_t(kMaxEntriesPageSize)) {
    return unreadable("more than " + std::to_string(kMaxEntriesPageSize) + " entries in one page");
  }
  page.entries.reserve(entries->size());
  for (const auto& v : *entries) {
    if (!v.is_object()) return unreadable("an entry is not an object");
    const auto& e = v.get_object();
    auto id = e.find("id");
    if (id == e.end() || !id->value().is_string() || id->value().get_string().empty()) {
      return unreadable("an entry has no id");
    }
    if (id->value().get_string().size() > kMaxIdBytes) return unreadable("an entry id is too long");
    page.entries.push_back(
        {std::string(id->value().get_string()), core::get_clipped_string(e, "displayId", kMaxIdBytes),
         core::get_clipped_string(e, "name", kMaxTextBytes), core::get_clipped_string(e, "modifiedAt", 64)});
  }
  return page;
}

}  // namespace bw::benchling
