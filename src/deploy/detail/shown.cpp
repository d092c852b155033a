// deploy/detail/shown.cpp
#include "deploy/detail/shown.hpp"

namespace bw::deploy::detail {

std::string shown(std::string_view value, std::size_t max_bytes) {
  std::string out(value.substr(0, max_bytes));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  if (value.size() > max_bytes) out += "...";
  return out;
}

}  // namespace bw::deploy::detail
