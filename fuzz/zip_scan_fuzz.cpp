// fuzz/zip_scan_fuzz.cpp: the ZIP central-directory scan on an arbitrary file (libarchive underneath).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "fuzz_util.hpp"
#include "packaging/zip_reader.hpp"

namespace {

// One file per process, rewritten for every input (libFuzzer runs inputs one at a time per process).
const std::filesystem::path& scratch_path() {
  static const std::filesystem::path path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::filesystem::path(dir && *dir ? dir : "/tmp") /
           ("bw_zip_scan_fuzz." + std::to_string(::getpid()) + ".zip");
  }();
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() {
    std::error_code ec;
    std::filesystem::remove(scratch_path(), ec);
  }
} remove_at_exit;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  if (size > 0 && std::fwrite(data, 1, size, f) != size) {
    std::fclose(f);
    return 0;
  }
  std::fclose(f);

  bw::packaging::ZipLimits limits;
  limits.max_members = 256;
  limits.max_total_bytes = 1 << 20;
  auto members = bw::packaging::scan(path, limits);
  if (members) {
    if (members->size() > limits.max_members) bw::fuzz::property_failed("scan returned too many members");
    for (const auto& m : *members) {
      auto again = bw::packaging::safe_member_name(m.name);
      if (!again || *again != m.name) bw::fuzz::property_failed("scan returned an unsafe member name");
    }
  }
  return 0;
}
