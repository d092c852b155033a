#include "canvas/view_helpers.hpp"

#include "canvas/blocks.hpp"
#include "core/utf8.hpp"

namespace bw::canvas::detail {

namespace json = boost::json;

json::object main_nav_section(std::string_view entry_id, bool update_enabled) {
  json::array buttons;
  buttons.push_back(
      button(make_button_id(ButtonAction::kBrowseFiles, entry_id, kDefaultPage), "Browse Package"));
  buttons.push_back(
      button(make_button_id(ButtonAction::kUpdatePackage, entry_id), "Update Package", update_enabled));
  return section("button-section-main", std::move(buttons));
}

std::string package_button_id(ButtonAction plain, const CanvasTarget& target, const PackageRef& package,
                              PageRef page) {
  if (!package.linked) return make_button_id(plain, target.entry_id, page);
  ButtonAction linked = ButtonAction::kBrowseLinked;
  switch (plain) {
    case ButtonAction::kNextPage:
      linked = ButtonAction::kNextPageLinked;
      break;
    case ButtonAction::kPrevPage:
      linked = ButtonAction::kPrevPageLinked;
      break;
    case ButtonAction::kViewMetadata:
      linked = ButtonAction::kViewMetadataLinked;
      break;
    default:
      linked = ButtonAction::kBrowseLinked;
      break;
  }
  return make_button_id(linked, target.entry_id, page, package.name);
}

json::object back_to_package_button(std::string_view entry_id) {
  return button(make_button_id(ButtonAction::kBackToPackage, entry_id), "Back to Package");
}

std::string shown_error(std::string_view error) {
  if (error.size() <= kMaxShownErrorBytes) return std::string(error);
  std::string out(core::utf8_prefix(error, kMaxShownErrorBytes));
  out.append("…");
  return out;
}

PageRef sane_page(PageRef page) {
  if (page.page < 0) page.page = 0;
  if (page.page > kMaxPageNumber) page.page = kMaxPageNumber;
  if (page.size < 1 || page.size > kMaxPageSize) page.size = kDefaultPage.size;
  return page;
}

}  // namespace bw::canvas::detail
