// fuzz/button_id_fuzz.cpp: canvas button ids: parse, and when it parses, make + parse again round-trips.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "canvas/button_id.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto id = bw::fuzz::as_view(data, size);
  (void)bw::canvas::button_entry_id(id);
  auto parsed = bw::canvas::parse_button_id(id);
  if (!parsed) return 0;
  if (bw::canvas::is_linked(parsed->action) != parsed->package_name.has_value()) {
    bw::fuzz::property_failed("package_name set for a plain action or missing for a linked one");
  }
  std::optional<std::string_view> package;
  if (parsed->package_name) package = *parsed->package_name;
  auto made = bw::canvas::make_button_id(parsed->action, parsed->entry_id, parsed->page, package);
  // Escaping may grow an id past the parse limit; those are not expected to parse.
  if (made.size() > bw::canvas::kMaxButtonIdBytes) return 0;
  auto reparsed = bw::canvas::parse_button_id(made);
  if (!reparsed) bw::fuzz::property_failed("make_button_id made an id parse_button_id rejects");
  if (reparsed->action != parsed->action || reparsed->entry_id != parsed->entry_id ||
      reparsed->page != parsed->page || reparsed->package_name != parsed->package_name) {
    bw::fuzz::property_failed("button id does not round-trip");
  }
  return 0;
}
