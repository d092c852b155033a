// fuzz/secret_schema_fuzz.cpp: the Benchling secret JSON schema on arbitrary secret strings.
#include <cstddef>
#include <cstdint>

#include "config/secret_schema.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)bw::config::parse_secret(bw::fuzz::as_view(data, size), "benchling/fuzz");
  return 0;
}
