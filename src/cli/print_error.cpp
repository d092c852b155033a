#include "cli/print_error.hpp"

#include <iostream>

namespace bw::cli {

void print_error(const core::Error& e) {
  std::cerr << "error: " << e.to_text() << "\n";
}

int report(const core::Error& e, int exit_code) {
  print_error(e);
  return exit_code;
}

}  // namespace bw::cli
