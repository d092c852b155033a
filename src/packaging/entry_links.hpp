// packaging/entry_links.hpp: the Benchling objects an entry links to, and where each one's name is read,
// pure (runtime-spec §10.7). The lookups themselves are in packaging/link_names.hpp.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bw::packaging {

//! Where a link was found.
enum class LinkSource {
  kNote,       //!< days[].notes[].links[] (an @-mention or drag-and-drop in a note)
  kTableCell,  //!< days[].notes[].table.rows[].cells[].link (a link in a table cell)
  kField,      //!< an id in the value of an entity-link field of the entry (`fields`)
};

struct EntryLink {
  std::string id;       //!< Benchling id; empty for hyperlinks ("link" type)
  std::string type;     //!< EntryLink.type ("custom_entity", "box", ...), or the link type of a field
  std::string web_url;  //!< webURL (else web_url); empty when there is none (locations, fields)
  boost::json::value type_value;  //!< the type as given: a non-empty string, else null
  LinkSource source = LinkSource::kNote;
};

//! Note links only, deduplicated by id (by URL when there is no id; links with neither are dropped),
//! first seen first: what links.json `links` and the Python service's entry.json `links` hold.
std::vector<EntryLink> collect_note_links(const boost::json::object& entry_data);

//! Everything entry.json `links` lists: the note links, then links in table cells, then the ids in
//! entity-link fields (field_link_type()), deduplicated across all three the same way, first seen first.
//! Upstream read note links only, so a sample linked from a table or a field was not searchable by name.
std::vector<EntryLink> collect_entry_links(const boost::json::object& entry_data);

//! The link type of an entity-link field type: "dna_sequence_link" -> "dna_sequence", likewise
//! aa_sequence_link, custom_entity_link, batch_link, mixture_link, molecule_link; "entity_link" (any
//! registry entity) stays "entity_link". nullopt for other field types (text, dropdown, entry_link, ...).
std::optional<std::string_view> field_link_type(std::string_view field_type);

//! Where GET /api/v2/{collection}/{id} finds a link's name, by its type as upstream's
//! LINK_TYPE_TO_SERVICE does (custom_entity, dna_sequence, aa_sequence, container, box, plate, location,
//! entry), plus mixture and molecule, which have GET-by-id too. An "entity_link" field names no type, so
//! its id prefix decides: bfi_ custom entity, seq_ DNA sequence, prtn_ AA sequence, mxt_ mixture,
//! mol_ molecule. nullopt: no lookup (batch has no GET-by-id; user, folder, dashboards, hyperlinks...).
std::optional<std::string_view> lookup_collection(std::string_view type, std::string_view id);

//! The name in a GET /api/v2/{collection}/{id} reply: reply["name"], or reply["entry"]["name"] for
//! "entries" (that reply wraps the entry). nullopt unless it is a non-empty string (a malformed reply).
std::optional<std::string> name_in_reply(std::string_view collection, const boost::json::object& reply);

}  // namespace bw::packaging
