// deploy/detail/shown.hpp: a value from a flag, a secret or a stack output, made safe to quote in an error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bw::deploy::detail {

//! `value` for an error message: at most `max_bytes` bytes, each control or non-ASCII byte shown as '?' (the
//! value may hold anything, and the message goes to a terminal), "..." added when it was cut.
std::string shown(std::string_view value, std::size_t max_bytes = 200);

}  // namespace bw::deploy::detail
