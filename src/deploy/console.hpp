// deploy/console.hpp: where operator commands print, and how they ask before changing anything.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string_view>

#include "core/backoff.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::deploy {

struct Console {
  std::ostream& out;
  std::ostream& err;
  //! Asks a yes/no question; unset when nobody can answer (stdin is not a terminal).
  std::function<bool(std::string_view question)> confirm;
  core::SleepFn sleep = core::real_sleep;
  core::NowFn now = core::system_now;
};

//! How often and how long deploy/destroy follow a stack operation.
struct WatchOptions {
  std::chrono::milliseconds poll{5000};
  std::chrono::seconds timeout{3600};
  //! Called on each poll while the stack is still settling (deploy: ECS's stopped tasks); an error stops
  //! the watch with that error.
  std::function<core::Result<void>()> on_poll;
};

//! Console::confirm for a terminal: prints the question with " [y/N] " and reads a line from stdin.
//! Returns an unset function when stdin is not a terminal.
std::function<bool(std::string_view)> terminal_confirm(std::ostream& out);

}  // namespace bw::deploy
