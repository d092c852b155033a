// aws/env.hpp: the environment as an injectable lookup, so tests pass a map instead of mutating the process.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bw::aws {

//! Looks up one environment variable; nullopt when unset.
using EnvFn = std::function<std::optional<std::string>(std::string_view)>;

//! The real process environment (the only place in aws that calls getenv).
EnvFn process_env();

//! A fixed environment, for tests and for callers that resolved settings elsewhere.
EnvFn map_env(std::map<std::string, std::string, std::less<>> vars);

//! The variable's value when set and not empty (the SDKs treat an empty variable as unset).
std::optional<std::string> env_value(const EnvFn& env, std::string_view name);

}  // namespace bw::aws
