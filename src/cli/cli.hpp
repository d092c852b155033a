// cli/cli.hpp
#pragma once

namespace bw::cli {
//! Parses the command line and runs the subcommand; returns the process exit code (0, 1 or 2).
int run(int argc, char** argv);
}  // namespace bw::cli
