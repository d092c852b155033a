// benchling/entries_page.hpp: GET /api/v2/entries, the listing: its query parameters and its reply
// (EntriesPaginatedList), pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::benchling {

//! Benchling's largest page (the spec's pageSize maximum).
inline constexpr int kMaxEntriesPageSize = 100;

//! The parameters of one listing request, named as in the API. Empty strings and lists are left out.
struct EntriesQuery {
  int page_size = kMaxEntriesPageSize;  //!< clamped to 1..kMaxEntriesPageSize
  std::string next_token;               //!< the previous page's nextToken; "" for the first page
  std::string sort;                     //!< e.g. "modifiedAt:desc"
  std::string modified_at;              //!< e.g. "> 2024-01-01T00:00:00Z AND < 2024-02-01T00:00:00Z"
  std::string project_id;
  std::string schema_id;
  std::string archive_reason;            //!< "NOT_ARCHIVED", "ANY_ARCHIVED", "ANY_ARCHIVED_OR_NOT_ARCHIVED"
  std::vector<std::string> ids;          //!< sent comma-separated
  std::vector<std::string> display_ids;  //!< sent comma-separated as displayIds
};

//! "?pageSize=100&sort=...": every set parameter, percent-encoded (a space as %20), in a fixed order.
std::string entries_query_string(const EntriesQuery& query);

//! What the backfill needs of one listed entry (the worker fetches the whole entry again).
struct EntrySummary {
  std::string id;
  std::string display_id;
  std::string name;
  std::string modified_at;  //!< Benchling's own RFC 3339 text
};

struct EntriesPage {
  std::vector<EntrySummary> entries;
  //! "" on the last page (Benchling sends "" or leaves it out).
  std::string next_token;
};

//! Parses an EntriesPaginatedList reply. Bounded: at most kMaxEntriesPageSize entries (a reply with more is
//! kRemote), ids and tokens of bounded length. An entry without a string id is kRemote (never quoted);
//! display id, name and modifiedAt may be missing or null ("").
core::Result<EntriesPage> parse_entries_page(std::string_view body);

}  // namespace bw::benchling
