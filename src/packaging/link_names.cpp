#include "packaging/link_names.hpp"

#include <optional>

#include "benchling/client.hpp"
#include "core/log.hpp"

namespace bw::packaging {

std::map<std::string, std::string> resolve_link_names(benchling::Client& benchling,
                                                      const std::vector<EntryLink>& links,
                                                      const std::function<bool()>& stopping,
                                                      const LinkNameOptions& options) {
  std::map<std::string, std::string> names;
  std::map<std::string, std::optional<std::string>> looked_up;  // id -> name (nullopt: failed)
  std::size_t lookups = 0, skipped = 0, failed = 0;
  unsigned outages = 0;
  for (const auto& link : links) {
    const auto collection = lookup_collection(link.type, link.id);
    if (!collection || looked_up.contains(link.id)) continue;
    if (lookups >= options.max_lookups || outages >= options.max_consecutive_outages ||
        (stopping && stopping())) {
      ++skipped;
      continue;
    }
    ++lookups;
    auto reply = benchling.get_resource(*collection, link.id, link.type);
    std::optional<std::string> name;
    if (reply) {
      name = name_in_reply(*collection, *reply);
      outages = 0;
      if (!name) {
        core::log::debug("link name lookup gave no name", {{"link_id", link.id}, {"link_type", link.type}});
      }
    } else {
      outages = reply.error().healable() ? outages + 1 : 0;
      core::log::debug("link name lookup failed",
                       {{"link_id", link.id}, {"link_type", link.type}, {"error", reply.error().message}});
    }
    if (name) {
      names[link.id] = *name;
    } else {
      ++failed;
    }
    looked_up.emplace(link.id, std::move(name));
  }
  if (skipped > 0) {
    core::log::warn("some link names were not looked up; they stay null in entry.json",
                    {{"looked_up", lookups},
                     {"not_looked_up", skipped},
                     {"max_lookups", options.max_lookups},
                     {"reason", outages >= options.max_consecutive_outages ? "Benchling kept failing"
                                : lookups >= options.max_lookups           ? "lookup cap reached"
                                                                           : "stopping"}});
  }
  if (failed > 0)
    core::log::info("some link names could not be read", {{"failed", failed}, {"named", names.size()}});
  return names;
}

}  // namespace bw::packaging
