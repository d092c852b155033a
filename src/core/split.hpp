// core/split.hpp: a text cut at every separator, as views into it. Pure.
#pragma once

#include <string_view>
#include <vector>

namespace bw::core {

//! The pieces of `text` between occurrences of `sep`, empty ones included: "a,,b" gives "a", "", "b"; ""
//! gives one empty piece; "a," gives "a", "". Views into `text`.
inline std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> pieces;
  for (std::size_t pos = 0;;) {
    const std::size_t end = text.find(sep, pos);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(pos));
      return pieces;
    }
    pieces.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
}

}  // namespace bw::core
