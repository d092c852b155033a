// fuzz/envelope_fuzz.cpp: the Benchling webhook envelope parser on arbitrary bodies.
#include <cstddef>
#include <cstdint>

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
  return 0;
}
