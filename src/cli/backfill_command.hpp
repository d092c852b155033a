// cli/backfill_command.hpp: `benchling-webhook backfill`, packaging entries that existed before the app
// (backfill/run.hpp) through the work queue.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backfill/selectors.hpp"
#include "config/settings.hpp"

namespace CLI {
class App;
}

namespace bw::cli {

struct BackfillCommandOptions {
  CLI::App* command = nullptr;
  config::SettingsOverrides settings;
  backfill::Selectors selectors;
  bool dry_run = false;
  std::string resume;
  double rate = 0;
};

//! Adds `backfill` to `app` (before app.parse); run_backfill_command runs it after.
std::unique_ptr<BackfillCommandOptions> add_backfill_command(CLI::App& app);

//! The exit code of `backfill` (0 done, 1 stopped or failed, 2 usage), or -1 when it was not chosen.
int run_backfill_command(const BackfillCommandOptions& options);

}  // namespace bw::cli
