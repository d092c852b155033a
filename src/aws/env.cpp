#include "aws/env.hpp"

#include <cstdlib>

namespace bw::aws {

EnvFn process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    const char* value = std::getenv(key.c_str());  // NOLINT(concurrency-mt-unsafe): nothing here calls setenv
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvFn map_env(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<std::string> env_value(const EnvFn& env, std::string_view name) {
  if (!env) return std::nullopt;
  auto value = env(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

}  // namespace bw::aws
