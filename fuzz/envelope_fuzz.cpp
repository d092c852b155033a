// fuzz/envelope_fuzz.cpp: Benchling's replies and bodies on arbitrary bytes: the webhook envelope parser and
// the entry listing's page parser (backfill).
#include <cstddef>
#include <cstdint>

#include "benchling/entries_page.hpp"
#include "benchling/envelope.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto body = bw::fuzz::as_view(data, size);
  auto envelope = bw::benchling::parse_envelope(body);
  if (envelope && envelope->entry_id && envelope->entry_id->empty()) {
    // An entry id that is present is never empty (the worker would package nothing).
    bw::fuzz::property_failed("parse_envelope returned an empty entry_id");
  }
  (void)bw::benchling::entry_id_from_button(body);
  if (auto page = bw::benchling::parse_entries_page(body)) {
    // Bounded as promised, and every listed entry has an id to queue a job for.
    if (page->entries.size() > std::size_t(bw::benchling::kMaxEntriesPageSize)) {
      bw::fuzz::property_failed("parse_entries_page returned more than a page");
    }
    for (const auto& e : page->entries) {
      if (e.id.empty()) bw::fuzz::property_failed("parse_entries_page returned an entry without an id");
    }
  }
  return 0;
}
