// core/with_details.hpp: a result passed on with facts added to its error, the way every AWS client names
// what it asked about (the stack, the secret, the query). Pure.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace bw::core {

//! `result` itself, or its error with `details` (key, value) appended in order.
template <class T>
Result<T> with_details(Result<T> result,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> details) {
  if (result) return result;
  Error e = std::move(result).error();
  for (const auto& [key, value] : details) e.with(std::string(key), std::string(value));
  return e;
}

}  // namespace bw::core
