// fuzz/zip_member_name_fuzz.cpp: the ZIP member-name check (path traversal, encoding, normalization).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "packaging/zip_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto name = bw::packaging::safe_member_name(bw::fuzz::as_view(data, size));
  if (!name) return 0;
  std::string_view n = *name;
  // What the check promises: a non-empty relative path without "..", "." or empty segments or a backslash.
  if (n.empty() || n.size() > bw::packaging::kMaxMemberNameBytes) {
    bw::fuzz::property_failed("safe_member_name: empty or too long");
  }
  if (n.front() == '/' || n.back() == '/' || n.find('\\') != std::string_view::npos ||
      n.find('\0') != std::string_view::npos) {
    bw::fuzz::property_failed("safe_member_name: absolute, trailing '/', backslash or NUL");
  }
  for (std::size_t start = 0;;) {
    auto slash = n.find('/', start);
    auto seg = n.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") bw::fuzz::property_failed("safe_member_name: bad segment");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  // Normalizing is idempotent.
  auto again = bw::packaging::safe_member_name(n);
  if (!again || *again != n) bw::fuzz::property_failed("safe_member_name is not idempotent");
  return 0;
}
