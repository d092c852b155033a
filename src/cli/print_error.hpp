// cli/print_error.hpp: how every command reports an error on stderr.
#pragma once

#include "core/error.hpp"

namespace bw::cli {

//! "error: <message, suggestion and details>" on stderr.
void print_error(const core::Error& e);

//! print_error(e), then `exit_code` for the command to return (2 usage or settings, 1 failure).
int report(const core::Error& e, int exit_code);

}  // namespace bw::cli
