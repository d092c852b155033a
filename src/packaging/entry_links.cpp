#include "packaging/entry_links.hpp"

#include <boost/json.hpp>

#include <array>
#include <set>
#include <utility>

#include "packaging/detail/entry_walk.hpp"

namespace bw::packaging {

using detail::for_each_note;
using detail::member;

namespace {

using boost::json::object;
using boost::json::value;

//! Entity-link field types and the link type they hold (OpenAPI FieldType).
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kFieldLinkTypes = {{
    {"custom_entity_link", "custom_entity"},
    {"dna_sequence_link", "dna_sequence"},
    {"aa_sequence_link", "aa_sequence"},
    {"batch_link", "batch"},
    {"mixture_link", "mixture"},
    {"molecule_link", "molecule"},
    {"entity_link", "entity_link"},
}};

//! Link type -> API collection (upstream's LINK_TYPE_TO_SERVICE, plus mixture and molecule).
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kCollections = {{
    {"custom_entity", "custom-entities"},
    {"dna_sequence", "dna-sequences"},
    {"aa_sequence", "aa-sequences"},
    {"container", "containers"},
    {"box", "boxes"},
    {"plate", "plates"},
    {"location", "locations"},
    {"entry", "entries"},
    {"mixture", "mixtures"},
    {"molecule", "molecules"},
}};

//! Id prefix -> link type, for "entity_link" fields only (they do not say what they point at).
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kEntityIdPrefixes = {{
    {"bfi_", "custom_entity"},
    {"seq_", "dna_sequence"},
    {"prtn_", "aa_sequence"},
    {"mxt_", "mixture"},
    {"mol_", "molecule"},
}};

template <std::size_t N>
std::optional<std::string_view> find(
    const std::array<std::pair<std::string_view, std::string_view>, N>& table, std::string_view key) {
  for (const auto& [k, v] : table) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::string string_or_empty(const value& v) {
  return v.is_string() ? std::string(v.get_string()) : std::string();
}

//! Every link object in the table of a table note: table.rows[].cells[].link.
template <class F>
void for_each_cell_link(const object& note, F&& f) {
  const auto& table = member(note, "table");
  if (!table.is_object()) return;
  const auto& rows = member(table.get_object(), "rows");
  if (!rows.is_array()) return;
  for (const auto& row : rows.get_array()) {
    if (!row.is_object()) continue;
    const auto& cells = member(row.get_object(), "cells");
    if (!cells.is_array()) continue;
    for (const auto& cell : cells.get_array()) {
      if (!cell.is_object()) continue;
      const auto& link = member(cell.get_object(), "link");
      if (link.is_object()) f(link.get_object());
    }
  }
}

//! Collects links, keeping the first of each id (or URL, when there is no id).
class Collector {
 public:
  void add(EntryLink link) {
    std::string key;
    if (!link.id.empty()) {
      key = "id:" + link.id;
    } else if (!link.web_url.empty()) {
      key = "url:" + link.web_url;
    } else {
      return;
    }
    if (seen_.insert(std::move(key)).second) links_.push_back(std::move(link));
  }
  void add_link_object(const object& obj, LinkSource source) {
    EntryLink link;
    link.id = string_or_empty(member(obj, "id"));
    link.web_url = string_or_empty(member(obj, "webURL"));
    if (link.web_url.empty()) link.web_url = string_or_empty(member(obj, "web_url"));
    link.type = string_or_empty(member(obj, "type"));
    if (!link.type.empty()) link.type_value = link.type;
    link.source = source;
    add(std::move(link));
  }
  std::vector<EntryLink> take() { return std::move(links_); }

 private:
  std::vector<EntryLink> links_;
  std::set<std::string> seen_;
};

void add_note_links(const object& entry_data, Collector& out) {
  for_each_note(entry_data, [&](const object& note) {
    const auto& links = member(note, "links");
    if (!links.is_array()) return;
    for (const auto& l : links.get_array()) {
      if (l.is_object()) out.add_link_object(l.get_object(), LinkSource::kNote);
    }
  });
}

void add_field_links(const object& field, Collector& out) {
  const auto type = field_link_type(string_or_empty(member(field, "type")));
  if (!type) return;
  auto add_id = [&](const value& v) {
    if (!v.is_string() || v.get_string().empty()) return;
    EntryLink link;
    link.id = std::string(v.get_string());
    link.type = std::string(*type);
    link.type_value = link.type;
    link.source = LinkSource::kField;
    out.add(std::move(link));
  };
  const auto& v = member(field, "value");
  if (v.is_array()) {
    for (const auto& item : v.get_array()) add_id(item);
  } else {
    add_id(v);
  }
}

}  // namespace

std::vector<EntryLink> collect_note_links(const object& entry_data) {
  Collector out;
  add_note_links(entry_data, out);
  return out.take();
}

std::vector<EntryLink> collect_entry_links(const object& entry_data) {
  Collector out;
  add_note_links(entry_data, out);
  for_each_note(entry_data, [&](const object& note) {
    for_each_cell_link(note, [&](const object& link) { out.add_link_object(link, LinkSource::kTableCell); });
  });
  // Benchling renders `fields` as a name-keyed object; some payloads use a list of field objects.
  const auto& fields = member(entry_data, "fields");
  if (fields.is_object()) {
    for (const auto& kv : fields.get_object()) {
      if (kv.value().is_object()) add_field_links(kv.value().get_object(), out);
    }
  } else if (fields.is_array()) {
    for (const auto& f : fields.get_array()) {
      if (f.is_object()) add_field_links(f.get_object(), out);
    }
  }
  return out.take();
}

std::optional<std::string_view> field_link_type(std::string_view field_type) {
  return find(kFieldLinkTypes, field_type);
}

std::optional<std::string_view> lookup_collection(std::string_view type, std::string_view id) {
  if (id.empty()) return std::nullopt;
  if (type == "entity_link") {
    for (const auto& [prefix, link_type] : kEntityIdPrefixes) {
      if (id.starts_with(prefix)) return find(kCollections, link_type);
    }
    return std::nullopt;
  }
  return find(kCollections, type);
}

std::optional<std::string> name_in_reply(std::string_view collection, const object& reply) {
  const object* obj = &reply;
  if (collection == "entries") {
    const auto& entry = member(reply, "entry");
    if (!entry.is_object()) return std::nullopt;
    obj = &entry.get_object();
  }
  const auto& name = member(*obj, "name");
  if (!name.is_string() || name.get_string().empty()) return std::nullopt;
  return std::string(name.get_string());
}

}  // namespace bw::packaging
