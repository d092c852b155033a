#include "cli/cli.hpp"

#include <cstdio>

#include "core/version.hpp"

namespace bw::cli {
int run(int, char**) {
  std::printf("benchling-webhook %s\n", core::kVersion);
  return 0;
}
}  // namespace bw::cli
