// cli/jobs_command.hpp: `benchling-webhook jobs [list] | redrive [--all | ID...] | purge [--yes]`, the
// dead-letter operations (deploy/dead_letters.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace CLI {
class App;
}

namespace bw::cli {

//! What the `jobs` subcommands parsed (they share these variables; only the one chosen is parsed).
struct JobsCommandOptions {
  CLI::App* jobs = nullptr;
  CLI::App* list = nullptr;
  CLI::App* redrive = nullptr;
  CLI::App* purge = nullptr;
  config::SettingsOverrides settings;
  std::size_t limit = 100;
  bool json = false;
  bool all = false;
  std::vector<std::string> ids;
  bool yes = false;
};

//! Adds `jobs` and its subcommands to `app`. Wiring in cli.cpp:
//!   auto jobs_command = add_jobs_command(app);                            // before app.parse
//!   if (int rc = run_jobs_command(*jobs_command); rc >= 0) return rc;    // after it
std::unique_ptr<JobsCommandOptions> add_jobs_command(CLI::App& app);

//! Runs the chosen `jobs` subcommand and returns its exit code, or -1 when `jobs` was not chosen.
int run_jobs_command(const JobsCommandOptions& options);

}  // namespace bw::cli
