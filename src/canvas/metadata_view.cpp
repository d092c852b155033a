// The package metadata view and its error state (runtime-spec §7.4, §10.9).
#include "canvas/blocks.hpp"
#include "canvas/markdown.hpp"
#include "canvas/view_helpers.hpp"
#include "canvas/views.hpp"

namespace bw::canvas {

namespace json = boost::json;

json::array metadata_view(const CanvasTarget& target, const PackageRef& package, const json::object& metadata,
                          PageRef page) {
  json::array blocks;
  blocks.push_back(markdown("md-metadata", "## Package Metadata\n\n**Package**: " + package.name + "\n\n" +
                                               dict_to_markdown_list(metadata)));
  json::array buttons;
  buttons.push_back(
      button(detail::package_button_id(ButtonAction::kBrowseFiles, target, package, detail::sane_page(page)),
             "Back to Browser"));
  buttons.push_back(detail::back_to_package_button(target.entry_id));
  blocks.push_back(section("button-section-metadata", std::move(buttons)));
  return blocks;
}

json::array metadata_error_view(const CanvasTarget& target, const PackageRef& package,
                                std::string_view error) {
  json::array blocks;
  blocks.push_back(
      markdown("md-error", "## Error Loading Metadata\n\nUnable to fetch metadata for package `" +
                               package.name + "`.\n\nError: " + detail::shown_error(error) + "\n"));
  blocks.push_back(detail::back_to_package_button(target.entry_id));
  return blocks;
}

}  // namespace bw::canvas
