#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return bw::cli::run(argc, argv);
}
