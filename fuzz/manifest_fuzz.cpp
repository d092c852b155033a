// fuzz/manifest_fuzz.cpp: the incremental Quilt manifest parser, fed in 2-3 chunks (a record may span
// chunks), with the top hash computed.
#include <cstddef>
#include <cstdint>

#include "canvas/manifest.hpp"
#include "core/error.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose the cut points; small limits reach the bound checks quickly.
  std::size_t cut1 = data[0], cut2 = data[1];
  auto text = bw::fuzz::as_view(data + 2, size - 2);
  cut1 = text.empty() ? 0 : cut1 % (text.size() + 1);
  cut2 = cut1 + (text.size() - cut1 == 0 ? 0 : cut2 % (text.size() - cut1 + 1));

  bw::canvas::ManifestParser::Options options;
  options.compute_top_hash = true;
  options.limits.max_record_bytes = 4096;
  options.limits.max_entries = 64;
  options.limits.max_depth = 32;
  std::size_t entries = 0;
  bw::canvas::ManifestParser parser(
      [&](bw::canvas::ManifestEntry&& entry) -> bw::core::Result<void> {
        ++entries;
        if (entry.physical_keys.empty()) bw::fuzz::property_failed("file entry without physical keys");
        (void)entry.hash_type();
        (void)entry.hash_value();
        return {};
      },
      options);

  bool ok = parser.feed(text.substr(0, cut1)) && parser.feed(text.substr(cut1, cut2 - cut1)) &&
            parser.feed(text.substr(cut2)) && parser.finish();
  if (ok) {
    if (entries != parser.file_count()) bw::fuzz::property_failed("file_count differs from callbacks");
    if (parser.header()) {
      (void)parser.header()->version();
      (void)parser.header()->message();
      (void)parser.header()->user_meta();
    }
    (void)parser.verify("0000000000000000000000000000000000000000000000000000000000000000");
  }
  // The one-shot parser must agree with the chunked one.
  auto whole = bw::canvas::parse_manifest(text, options.limits);
  if (ok && !whole) bw::fuzz::property_failed("parse_manifest rejected what chunked feeding accepted");
  return 0;
}
