// canvas/view_helpers.hpp
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "canvas/button_id.hpp"
#include "canvas/views.hpp"

namespace bw::canvas::detail {

// Pieces shared by the view files; not part of the module's interface.

//! SECTION "button-section-main": "Browse Package" (page 0, size 15) and "Update Package".
boost::json::object main_nav_section(std::string_view entry_id, bool update_enabled = true);

//! The id of a browse / next / prev / view-metadata button for `package`: the *-linked form for a linked one.
std::string package_button_id(ButtonAction plain, const CanvasTarget& target, const PackageRef& package,
                              PageRef page);

//! BUTTON "back-to-package-{e}" "Back to Package".
boost::json::object back_to_package_button(std::string_view entry_id);

//! `error` cut to kMaxShownErrorBytes at a UTF-8 boundary, with "…" when cut.
std::string shown_error(std::string_view error);

//! A page a view can render: negative pages become 0, sizes outside 1..kMaxPageSize become 15.
PageRef sane_page(PageRef page);

}  // namespace bw::canvas::detail
