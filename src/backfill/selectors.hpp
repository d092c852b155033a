// backfill/selectors.hpp: what `backfill` packages (the command's selectors) and the Benchling listing
// query they become, pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "benchling/entries_page.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::backfill {

//! Benchling's listing takes at most this many ids (or display ids) in one query.
inline constexpr std::size_t kMaxIdsPerListing = 100;

//! The command's selectors, as given. Combinable: an entry must match all of them.
struct Selectors {
  std::string project;                   //!< --project: a Benchling project id (projectId)
  std::string schema;                    //!< --schema: an entry schema id (schemaId)
  std::string modified_since;            //!< --modified-since: a date or an RFC 3339 time
  std::string modified_before;           //!< --modified-before
  std::vector<std::string> entry_ids;    //!< --entry (ids)
  std::vector<std::string> display_ids;  //!< --display-id (displayIds)
  bool include_archived = false;         //!< --include-archived
};

//! A time the user wrote: "2024-01-31" (midnight UTC) or RFC 3339 "2024-01-31T12:30:00Z",
//! "2024-01-31T12:30:00.5+02:00", "2024-01-31T12:30Z"; returned as RFC 3339 in UTC with whole seconds
//! ("2024-01-31T10:30:00Z"). kInvalidArgument naming `flag`, the value and the accepted forms otherwise
//! (impossible dates such as 2024-02-30 included).
core::Result<std::string> parse_date(std::string_view flag, std::string_view text);

//! The listing query of `s` (one page, from the start): pageSize 100, sort modifiedAt:desc, modifiedAt
//! as "> SINCE", "< BEFORE" or "> SINCE AND < BEFORE", projectId, schemaId, archiveReason NOT_ARCHIVED
//! (ANY_ARCHIVED_OR_NOT_ARCHIVED with include_archived), ids, displayIds. Newest first, so an entry edited
//! while the backfill runs moves to a page already passed (its own webhook packages it) instead of coming
//! round again. Errors (kInvalidArgument, naming the flag): a bad date, since not before before, an empty
//! id or one with a comma or whitespace, more than kMaxIdsPerListing ids.
core::Result<benchling::EntriesQuery> to_query(const Selectors& s);

//! 16 hex digits naming the selection (the query of `s` without its page): a resume token carries it, so
//! it resumes only the backfill it came from.
std::string fingerprint(const benchling::EntriesQuery& query);

//! The flags that give `s` again, in a fixed order ("--project", "src_1", "--entry", "etr_1", ...), for
//! the resume command.
std::vector<std::string> selector_args(const Selectors& s);

//! The number of entries `s` can match when it names them (ids or display ids, the smaller list when it
//! names both); 0 when it does not (then only the listing knows).
std::size_t named_count(const Selectors& s);

}  // namespace bw::backfill
