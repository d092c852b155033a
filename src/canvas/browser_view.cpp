// The paginated file browser and its empty / not-created / error states (runtime-spec §7.3, §10.9).
#include <algorithm>
#include <vector>

#include "canvas/blocks.hpp"
#include "canvas/urls.hpp"
#include "canvas/view_helpers.hpp"
#include "canvas/views.hpp"

namespace bw::canvas {

namespace json = boost::json;

namespace {

bool by_key(const PackageFile& a, const PackageFile& b) {
  return a.logical_key < b.logical_key;  // byte order of UTF-8 is code-point order, as Python sorts
}

std::string_view basename(std::string_view key) {
  const std::size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(slash + 1);
}

}  // namespace

json::array browser_view(const CanvasTarget& target, const PackageRef& package,
                         std::span<const PackageFile> files, PageRef page) {
  json::array blocks;
  if (files.empty()) {
    blocks.push_back(markdown("md-empty", "## Package Is Empty\n\nPackage `" + package.name +
                                              "` exists but contains no files.\n\n"));
    blocks.push_back(detail::main_nav_section(target.entry_id));
    return blocks;
  }

  std::vector<PackageFile> sorted;
  if (!std::is_sorted(files.begin(), files.end(), by_key)) {
    sorted.assign(files.begin(), files.end());
    std::stable_sort(sorted.begin(), sorted.end(), by_key);
    files = sorted;
  }

  page = detail::sane_page(page);
  // Cannot fail: sane_page gives page >= 0 and size >= 1, and a size is never negative.
  const PageState state = paginate(static_cast<std::int64_t>(files.size()), page.page, page.size).value();

  std::string md = "## Package Files - Page " + std::to_string(state.page + 1) + " of " +
                   std::to_string(state.total_pages) + "\n\n**Package**: " + package.name + "\n\n";
  std::size_t i = 1;
  for (const auto& file : page_items(files, state)) {
    md += std::to_string(i++) + ". [[👁️ view]](" +
          file_url(target.catalog, target.bucket, package.name, file.logical_key) + ") [[🔄 sync]](" +
          sync_url(target.catalog, target.bucket, package.name, file.logical_key) + ") **" +
          std::string(basename(file.logical_key)) + "** (" + size_display(file.size) + ")\n";
  }
  md += "---\n**Showing files " + std::to_string(state.start + 1) + "-" + std::to_string(state.end) + " of " +
        std::to_string(state.total) + "**\n";
  blocks.push_back(markdown("md-browser", md));

  const std::int64_t prev = state.has_previous ? state.page - 1 : 0;
  const std::int64_t next = state.has_next ? state.page + 1 : state.page;
  json::array buttons;
  buttons.push_back(
      button(detail::package_button_id(ButtonAction::kPrevPage, target, package, {prev, state.size}),
             "← Previous", state.has_previous));
  buttons.push_back(
      button(detail::package_button_id(ButtonAction::kNextPage, target, package, {next, state.size}),
             "Next →", state.has_next));
  buttons.push_back(detail::back_to_package_button(target.entry_id));
  buttons.push_back(button(
      detail::package_button_id(ButtonAction::kViewMetadata, target, package, {state.page, state.size}),
      "View Metadata"));
  blocks.push_back(section("button-section-browser", std::move(buttons)));
  return blocks;
}

json::array not_created_view(const CanvasTarget& target, const PackageRef& package) {
  json::array blocks;
  blocks.push_back(markdown("md-no-package", "## Package Not Created\n\nPackage `" + package.name +
                                                 "` has not been created yet.\n\nClick **Update Package** to "
                                                 "create it.\n"));
  blocks.push_back(button(make_button_id(ButtonAction::kUpdatePackage, target.entry_id), "Update Package"));
  blocks.push_back(detail::back_to_package_button(target.entry_id));
  return blocks;
}

json::array browser_error_view(const CanvasTarget& target, const PackageRef& package, std::string_view error,
                               PageRef page) {
  json::array blocks;
  blocks.push_back(
      markdown("md-error", "## Error Loading Files\n\nUnable to fetch files for package `" + package.name +
                               "`.\n\nError: " + detail::shown_error(error) +
                               "\n\nPlease try again or contact support if the problem persists.\n"));
  blocks.push_back(
      button(detail::package_button_id(ButtonAction::kBrowseFiles, target, package, detail::sane_page(page)),
             "Retry"));
  blocks.push_back(detail::back_to_package_button(target.entry_id));
  return blocks;
}

}  // namespace bw::canvas
