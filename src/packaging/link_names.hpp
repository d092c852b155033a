// packaging/link_names.hpp: the names of the objects an entry links to, looked up in Benchling (the thin
// I/O edge of entry_links.hpp).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "packaging/entry_links.hpp"

namespace bw::benchling {
class Client;
}

namespace bw::packaging {

struct LinkNameOptions {
  //! GETs per entry at most: an entry linking thousands of samples must not hold its job for hours. Links
  //! beyond it keep a null name (logged once).
  std::size_t max_lookups = 200;
  //! After this many failures in a row that retries did not fix (5xx, timeouts, 429), Benchling is taken
  //! to be down and the remaining names stay null: each such failure already cost the client's retries.
  unsigned max_consecutive_outages = 3;
};

//! id -> name for the links whose type has a lookup_collection(): GET /api/v2/{collection}/{id}, each id
//! at most once per call (the cache lives as long as the job). Best effort, as upstream: a failed lookup
//! (404, 403, 5xx after the client's retries, a reply without a name) leaves that name out and is logged
//! at debug; nothing here fails the job. `stopping` is polled between lookups (a stopping worker gives up).
std::map<std::string, std::string> resolve_link_names(benchling::Client& benchling,
                                                      const std::vector<EntryLink>& links,
                                                      const std::function<bool()>& stopping = {},
                                                      const LinkNameOptions& options = {});

}  // namespace bw::packaging
