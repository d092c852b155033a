// Views for states the reference leaves implicit: a failed job must still leave working buttons.

#include "canvas/blocks.hpp"
#include "canvas/view_helpers.hpp"
#include "canvas/views.hpp"
#include "core/ascii.hpp"

namespace bw::canvas {

namespace json = boost::json;

json::array error_view(const CanvasTarget& target, std::string_view message, std::string_view suggestion) {
  std::string md = "## Something Went Wrong\n\n" + detail::shown_error(message) + "\n\n";
  if (!suggestion.empty()) md += detail::shown_error(suggestion) + "\n\n";
  md += "Use the buttons below to try again.\n";
  json::array blocks;
  blocks.push_back(markdown("md-error", md));
  blocks.push_back(detail::main_nav_section(target.entry_id));
  return blocks;
}

json::array preparing_view(const CanvasTarget& target) {
  json::array blocks;
  blocks.push_back(markdown("md-preparing",
                            "## Quilt Package\n\nPreparing the Quilt package for this entry. This view "
                            "refreshes by itself when it is ready.\n"));
  blocks.push_back(detail::main_nav_section(target.entry_id, /*update_enabled=*/false));
  return blocks;
}

bool is_not_found_message(std::string_view error) {
  const std::string lower = core::ascii_lower(error);
  return lower.find("does not exist") != std::string::npos || lower.find("not found") != std::string::npos ||
         lower.find("no such package") != std::string::npos;
}

}  // namespace bw::canvas
