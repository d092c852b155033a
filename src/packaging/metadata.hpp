// packaging/metadata.hpp: the documents written beside an export (runtime-spec §6.5, §10.7), pure.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::packaging {

//! One uploaded ZIP member.
struct PackageFile {
  std::string name;    //!< member name (the key in entry.json `files`)
  std::string s3_key;  //!< "{package_name}/{name}"
  std::uint64_t size = 0;
};

//! `entry` (Benchling's GET /entries/{id} object, camelCase) plus the snake_case duplicates the Python
//! service added from SDK attributes: display_id, web_url, created_at, modified_at, each copied from
//! displayId, webURL, createdAt, modifiedAt when that is present and not null and the snake_case key is
//! absent. Timestamps keep Benchling's own ISO 8601 text.
boost::json::object make_entry_data(const boost::json::object& entry);

//! kRemote "Missing required fields in entry_data: <a, b>. Entry ID: <id>" when any of display_id,
//! name, web_url, created_at, modified_at is absent or null.
core::Result<void> validate_entry_data(const boost::json::object& entry_data, std::string_view entry_id);

//! "{name} <{handle}@{id}>" when `user` is an object with a non-empty name, else "".
std::string format_user_info(const boost::json::value& user);

//! The event time of a webhook message: message.timestamp when it is a non-empty string, else
//! message.createdAt, else "". Benchling sends createdAt; the Python service read only `timestamp`,
//! so its export_timestamp and commit-message time were always empty (a quirk fixed here).
std::string event_timestamp(const boost::json::object& message);

//! entry.json `benchling_base_url`: the payload's baseURL, else the tenant API URL, else
//! "https://benchling.com".
std::string resolve_base_url(std::string_view payload_base_url, std::string_view api_url);

//! The part of a note link's webURL after "{id}-" (ids compared with '_' read as '-'), ignoring the query,
//! the fragment and "edit" segments; nullopt when no path segment starts with the id.
std::optional<std::string> link_slug(std::string_view id, std::string_view web_url);

//! entry.json `links`: one {"type","id","name","slug"} per link of collect_entry_links() (note links,
//! table-cell links, entity-link field ids; deduplicated by id, by webURL/web_url when there is no id,
//! first seen first). `names` maps ids to names resolved elsewhere (resolve_link_names()); a missing name
//! is null.
boost::json::array entry_links(const boost::json::object& entry_data,
                               const std::map<std::string, std::string>& names = {});

//! links.json (schema_version 2): `entities` (note links of entity types, then ids in fields whose type
//! mentions "entity" or is an entity-link type such as dna_sequence_link, deduplicated by id), `links`
//! ({id,type,web_url} per note link), `results_tables` (results_table notes with an assayResultSchemaId,
//! deduplicated by apiId and schema id).
boost::json::object links_document(const boost::json::object& entry_data);

//! Everything the documents are built from.
struct MetadataInput {
  std::string entry_id;
  std::string package_name;
  std::string registry;            //!< the user bucket
  boost::json::object entry_data;  //!< from make_entry_data()
  boost::json::object message;     //!< the webhook `message` object
  std::string base_url;            //!< from resolve_base_url()
  std::string export_url;          //!< the export's downloadURL
  std::string timestamp;           //!< from event_timestamp()
  std::vector<PackageFile> files;  //!< uploaded ZIP members, in archive order
  std::optional<std::string> canvas_id;
  std::map<std::string, std::string> link_names;  //!< id -> name for entry.json links
};

//! One document to upload: its name under the package prefix, its body and Content-Type.
struct MetadataFile {
  std::string name;
  std::string body;
  std::string content_type;
};

//! True for the five names build_metadata_files() writes at the top of the package (a ZIP member with
//! such a name would be overwritten by the metadata document).
bool is_metadata_file_name(std::string_view name);

//! entry.json; a job queued by `backfill` (its message carries a "backfill" object) also gets that object
//! as top-level "backfill" ({"queuedAt", "entryModifiedAt", "displayId"}).
boost::json::object entry_json(const MetadataInput& in);
boost::json::object input_json(const MetadataInput& in);
std::string readme_md(const MetadataInput& in);

//! Validates entry_data, then renders entry.json, entry_data.json, links.json, input.json and README.md
//! (that order, JSON with two-space indentation, UTF-8 as is).
core::Result<std::vector<MetadataFile>> build_metadata_files(const MetadataInput& in);

}  // namespace bw::packaging
