#include "deploy/console.hpp"

#include <unistd.h>

#include <iostream>
#include <string>

namespace bw::deploy {

std::function<bool(std::string_view)> terminal_confirm(std::ostream& out) {
  if (!::isatty(STDIN_FILENO)) return {};
  return [&out](std::string_view question) {
    out << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes";
  };
}

}  // namespace bw::deploy
