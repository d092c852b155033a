#include "packaging/metadata.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "core/ascii.hpp"
#include "core/json.hpp"
#include "packaging/detail/entry_walk.hpp"
#include "packaging/entry_links.hpp"

namespace bw::packaging {

using detail::for_each_note;
using detail::member;

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kSnakeCaseCopies = {{
    {"display_id", "displayId"},
    {"web_url", "webURL"},
    {"created_at", "createdAt"},
    {"modified_at", "modifiedAt"},
}};
constexpr std::array<std::string_view, 5> kRequiredFields = {"display_id", "name", "web_url", "created_at",
                                                             "modified_at"};
constexpr std::array<std::string_view, 5> kMetadataFileNames = {"entry.json", "entry_data.json", "input.json",
                                                                "links.json", "README.md"};
// Note-link types that name registry entities (links.json `entities`).
constexpr std::array<std::string_view, 4> kEntityLinkTypes = {"custom_entity", "dna_sequence", "aa_sequence",
                                                              "batch"};

//! A value as text the way the Python f-strings rendered it: strings as is, null as "", others as JSON.
std::string text_of(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return {};
  return boost::json::serialize(v);
}

std::string string_or_empty(const boost::json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : std::string();
}

boost::json::value string_or_null(const boost::json::value& v) {
  if (v.is_string() && !v.get_string().empty()) return v;
  return nullptr;
}

std::vector<std::string> author_list(const boost::json::object& entry_data) {
  std::vector<std::string> out;
  const auto& authors = member(entry_data, "authors");
  if (!authors.is_array()) return out;
  for (const auto& a : authors.get_array()) {
    if (!a.is_object()) continue;
    std::string s = format_user_info(a);
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

boost::json::value id_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::value(s);
}

bool mentions_entity(std::string_view type) {
  return core::ascii_lower(type).find("entity") != std::string::npos;
}

}  // namespace

boost::json::object make_entry_data(const boost::json::object& entry) {
  boost::json::object out = entry;
  for (const auto& [snake, camel] : kSnakeCaseCopies) {
    if (out.contains(snake)) continue;
    const auto* v = entry.if_contains(camel);
    if (v && !v->is_null()) out[snake] = *v;
  }
  return out;
}

core::Result<void> validate_entry_data(const boost::json::object& entry_data, std::string_view entry_id) {
  std::string missing;
  for (std::string_view key : kRequiredFields) {
    const auto* v = entry_data.if_contains(key);
    if (v && !v->is_null()) continue;
    if (!missing.empty()) missing += ", ";
    missing += key;
  }
  if (missing.empty()) return {};
  return core::make_error(
             core::ErrorCode::kRemote,
             "Missing required fields in entry_data: " + missing + ". Entry ID: " + std::string(entry_id),
             "check that the app can read this entry in Benchling (GET /entries/{id})")
      .with("entry_id", std::string(entry_id))
      .with("missing", missing);
}

std::string format_user_info(const boost::json::value& user) {
  if (!user.is_object()) return {};
  const auto& u = user.get_object();
  const std::string name = text_of(member(u, "name"));
  if (name.empty()) return {};
  return name + " <" + text_of(member(u, "handle")) + "@" + text_of(member(u, "id")) + ">";
}

std::string event_timestamp(const boost::json::object& message) {
  // Benchling's messages carry createdAt; `timestamp` is what the Python service looked for.
  std::string ts = string_or_empty(member(message, "timestamp"));
  if (!ts.empty()) return ts;
  return string_or_empty(member(message, "createdAt"));
}

std::string resolve_base_url(std::string_view payload_base_url, std::string_view api_url) {
  if (!payload_base_url.empty()) return std::string(payload_base_url);
  if (!api_url.empty()) return std::string(api_url);
  return "https://benchling.com";
}

std::optional<std::string> link_slug(std::string_view id, std::string_view web_url) {
  if (id.empty() || web_url.empty()) return std::nullopt;
  std::string_view path = web_url;
  if (const auto cut = path.find_first_of("?#"); cut != std::string_view::npos) path = path.substr(0, cut);
  if (const auto scheme = path.find("://"); scheme != std::string_view::npos) {
    const auto slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  auto dashed = [](std::string_view s) {
    std::string out(s);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
  };
  const std::string prefix = dashed(id) + "-";
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == "edit") continue;
    if (dashed(segment).starts_with(prefix)) {
      const std::string_view rest = segment.substr(prefix.size());
      if (rest.empty()) return std::nullopt;
      return std::string(rest);
    }
  }
  return std::nullopt;
}

boost::json::array entry_links(const boost::json::object& entry_data,
                               const std::map<std::string, std::string>& names) {
  boost::json::array out;
  for (const auto& link : collect_entry_links(entry_data)) {
    boost::json::object o;
    o["type"] = link.type_value;
    o["id"] = id_or_null(link.id);
    const auto name = names.find(link.id);
    if (!link.id.empty() && name != names.end() && !name->second.empty()) {
      o["name"] = name->second;
    } else {
      o["name"] = nullptr;
    }
    const auto slug = link_slug(link.id, link.web_url);
    if (slug) {
      o["slug"] = *slug;
    } else {
      o["slug"] = nullptr;
    }
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::object links_document(const boost::json::object& entry_data) {
  const auto links = collect_note_links(entry_data);

  boost::json::array entities;
  std::set<std::string> entity_ids;
  for (const auto& link : links) {
    if (link.id.empty()) continue;
    if (std::find(kEntityLinkTypes.begin(), kEntityLinkTypes.end(), link.type) == kEntityLinkTypes.end())
      continue;
    if (!entity_ids.insert(link.id).second) continue;
    entities.push_back(boost::json::object{{"id", link.id},
                                           {"type", link.type},
                                           {"web_url", id_or_null(link.web_url)},
                                           {"source", "note_link"}});
  }
  auto add_field = [&](const boost::json::object& field) {
    const std::string type = string_or_empty(member(field, "type"));
    // Upstream looked for "entity" in the type only, missing dna_sequence_link, batch_link and the like.
    if (type.empty() || (!mentions_entity(type) && !field_link_type(type))) return;
    const auto& value = member(field, "value");
    auto add_id = [&](const boost::json::value& v) {
      if (!v.is_string() || v.get_string().empty()) return;
      std::string id(v.get_string());
      if (!entity_ids.insert(id).second) return;
      entities.push_back(
          boost::json::object{{"id", id}, {"type", type}, {"web_url", nullptr}, {"source", "entity_field"}});
    };
    if (value.is_array()) {
      for (const auto& v : value.get_array()) add_id(v);
    } else {
      add_id(value);
    }
  };
  const auto& fields = member(entry_data, "fields");
  if (fields.is_object()) {
    for (const auto& kv : fields.get_object()) {
      if (kv.value().is_object()) add_field(kv.value().get_object());
    }
  } else if (fields.is_array()) {
    for (const auto& f : fields.get_array()) {
      if (f.is_object()) add_field(f.get_object());
    }
  }

  boost::json::array link_array;
  for (const auto& link : links) {
    link_array.push_back(boost::json::object{
        {"id", id_or_null(link.id)}, {"type", link.type_value}, {"web_url", id_or_null(link.web_url)}});
  }

  boost::json::array tables;
  std::set<std::pair<std::string, std::string>> seen_tables;
  for_each_note(entry_data, [&](const boost::json::object& note) {
    if (string_or_empty(member(note, "type")) != "results_table") return;
    const std::string schema_id = string_or_empty(member(note, "assayResultSchemaId"));
    if (schema_id.empty()) return;
    const auto& api_id = member(note, "apiId");
    if (!seen_tables.insert({text_of(api_id), schema_id}).second) return;
    tables.push_back(boost::json::object{{"assay_result_schema_id", schema_id},
                                         {"api_id", string_or_null(api_id)},
                                         {"name", string_or_null(member(note, "name"))}});
  });

  boost::json::object doc;
  doc["schema_version"] = 2;
  doc["entities"] = std::move(entities);
  doc["links"] = std::move(link_array);
  doc["results_tables"] = std::move(tables);
  return doc;
}

bool is_metadata_file_name(std::string_view name) {
  return std::find(kMetadataFileNames.begin(), kMetadataFileNames.end(), name) != kMetadataFileNames.end();
}

boost::json::object entry_json(const MetadataInput& in) {
  const auto& d = in.entry_data;
  boost::json::array authors;
  for (auto& a : author_list(d)) authors.emplace_back(std::move(a));
  boost::json::object files;
  for (const auto& f : in.files) {
    files[f.name] = boost::json::object{{"s3_key", f.s3_key}, {"size", f.size}};
  }

  boost::json::object o;
  o["package_name"] = in.package_name;
  o["entry_id"] = in.entry_id;
  o["display_id"] = member(d, "display_id");
  o["name"] = member(d, "name");
  o["web_url"] = member(d, "web_url");
  o["creator"] = format_user_info(member(d, "creator"));
  o["authors"] = std::move(authors);
  o["created_at"] = text_of(member(d, "created_at"));
  o["modified_at"] = text_of(member(d, "modified_at"));
  o["export_timestamp"] = in.timestamp;
  o["benchling_base_url"] = in.base_url;
  o["webhook_data"] = in.message;
  o["files"] = std::move(files);
  if (in.canvas_id) o["canvas_id"] = *in.canvas_id;
  o["links"] = entry_links(d, in.link_names);
  // A job the backfill queued (backfill/job.hpp): said at the top, where a metadata search finds it.
  if (auto it = in.message.find("backfill"); it != in.message.end() && it->value().is_object()) {
    o["backfill"] = it->value();
  }
  return o;
}

boost::json::object input_json(const MetadataInput& in) {
  boost::json::object package_metadata;
  package_metadata["name"] = in.package_name;
  package_metadata["registry"] = in.registry;
  package_metadata["total_files"] = in.files.size();
  boost::json::object o;
  o["source"] = "benchling_webhook";
  o["export_url"] = in.export_url;
  o["processing_timestamp"] = in.timestamp;
  o["package_metadata"] = std::move(package_metadata);
  return o;
}

std::string readme_md(const MetadataInput& in) {
  const auto& d = in.entry_data;
  const std::string display_id = text_of(member(d, "display_id"));
  const std::string name = text_of(member(d, "name"));
  const std::string web_url = text_of(member(d, "web_url"));
  const std::string created_at = text_of(member(d, "created_at"));
  const std::string modified_at = text_of(member(d, "modified_at"));
  const std::string creator = format_user_info(member(d, "creator"));
  const auto authors = author_list(d);

  std::string s = name.empty() ? "# " + display_id : "# " + display_id + " - " + name;
  s += "\n\n## Overview\nThis package contains data exported from Benchling entry `" + display_id + "`.\n";
  if (!web_url.empty()) s += "\n**View in Benchling**: " + web_url + "\n";
  s += "\n## Entry Information\n- **Display ID**: " + display_id + "\n- **Entry ID**: " + in.entry_id;
  if (!name.empty()) s += "\n- **Name**: " + name;
  if (!creator.empty()) s += "\n- **Creator**: " + creator;
  if (!authors.empty()) {
    s += "\n- **Authors**: ";
    for (std::size_t i = 0; i < authors.size(); ++i) s += (i ? ", " : "") + authors[i];
  }
  if (!created_at.empty()) s += "\n- **Created**: " + created_at;
  if (!modified_at.empty()) s += "\n- **Modified**: " + modified_at;
  s += "\n\n## Export Information\n- **Export Timestamp**: " + in.timestamp +
       "\n- **Benchling Base URL**: " + in.base_url +
       "\n- **Total Files**: " + std::to_string(in.files.size()) + "\n\n## Files Included\n";
  for (const auto& f : in.files) {
    if (is_metadata_file_name(f.name)) continue;
    s += "- `" + f.name + "` (" + std::to_string(f.size) + " bytes)\n";
  }
  s += "\n## Metadata Files\n"
       "- `entry.json`: Key entry metadata (display_id, name, creator, authors, timestamps)\n"
       "- `entry_data.json`: Complete entry data from Benchling API\n"
       "- `links.json`: Raw Benchling objects this entry links to (entities, inventory, tables); the "
       "searchable, "
       "name-enriched summary is the `links` field of `entry.json`\n"
       "- `input.json`: Export processing metadata\n"
       "- `README.md`: This documentation file\n"
       "\n## Usage\n"
       "This package was created automatically by the Benchling-Quilt integration webhook system.\n"
       "For questions about the data, refer to the original Benchling entry.\n";
  return s;
}

core::Result<std::vector<MetadataFile>> build_metadata_files(const MetadataInput& in) {
  if (auto ok = validate_entry_data(in.entry_data, in.entry_id); !ok) return ok.error();
  constexpr std::string_view kJson = "application/json";
  std::vector<MetadataFile> out;
  out.push_back({"entry.json", core::to_pretty_json(entry_json(in)), std::string(kJson)});
  out.push_back({"entry_data.json", core::to_pretty_json(in.entry_data), std::string(kJson)});
  out.push_back({"links.json", core::to_pretty_json(links_document(in.entry_data)), std::string(kJson)});
  out.push_back({"input.json", core::to_pretty_json(input_json(in)), std::string(kJson)});
  out.push_back({"README.md", readme_md(in), "text/markdown; charset=utf-8"});
  return out;
}

}  // namespace bw::packaging
