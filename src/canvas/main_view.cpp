// The main view: navigation, package links, linked packages, warnings and the status footer
// (runtime-spec §7.2 with HEAD's layout of §10.9).
#include <algorithm>

#include "canvas/blocks.hpp"
#include "canvas/urls.hpp"
#include "canvas/view_helpers.hpp"
#include "canvas/views.hpp"

namespace bw::canvas {

namespace json = boost::json;

namespace {

std::string header(const MainViewInput& in) {
  const auto& t = in.target;
  return "## " + in.display_id + "\n\n* Package: [" + in.package_name + "](" +
         package_url(t.catalog, t.bucket, in.package_name) + ") [[🔄 sync]](" +
         sync_url(t.catalog, t.bucket, in.package_name) + ")\n";
}

// Linked packages by name, each once, without the entry's own package.
std::vector<std::string> linked_names(const MainViewInput& in) {
  std::vector<std::string> names;
  names.reserve(in.linked.size());
  for (const auto& name : in.linked) {
    if (name != in.package_name && !name.empty()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string footer(const CanvasTarget& target, const CanvasStatus& status) {
  std::string line;
  if (status.updating) {
    line = "⏳ *Updating...*";
  } else if (status.updated_at && !status.updated_at->empty()) {
    line = "✅ *Updated at " + *status.updated_at + "*";
  } else {
    line = "⏳ *Pending update*";
  }
  return "\n\n---\n" + line + "\n\n" + target.bucket + "@" + target.catalog + " Rev " + status.version + "\n";
}

}  // namespace

json::array main_view(const MainViewInput& in) {
  const auto& t = in.target;
  const bool updating = in.status.updating;
  json::array blocks;
  blocks.push_back(detail::main_nav_section(t.entry_id, !updating));

  std::string md = header(in);
  std::vector<std::string> names;
  if (!updating) {
    names = linked_names(in);
    if (!names.empty()) {
      md += "\n### Linked Packages\n\n";
      for (const auto& name : names) {
        md += "* [" + name + "](" + package_url(t.catalog, t.bucket, name) + ") [[🔄 sync]](" +
              sync_url(t.catalog, t.bucket, name) + ")\n";
      }
    }
    if (!in.errors.empty()) {
      md += "\n---\n\n### ⚠️ Warnings\n\n";
      for (const auto& error : in.errors) md += "> " + detail::shown_error(error) + "\n\n";
    }
  }
  blocks.push_back(markdown("md1", md));

  json::array linked_buttons;
  for (const auto& name : names) {
    std::string id = make_button_id(ButtonAction::kBrowseLinked, t.entry_id, kDefaultPage, name);
    // Too long to come back through parse_button_id (with the paging ids derived from it); the link stays.
    if (id.size() > kMaxButtonIdBytes - kButtonIdHeadroom) continue;
    linked_buttons.push_back(button(id, name));
  }
  if (!linked_buttons.empty())
    blocks.push_back(section("button-section-linked-packages", std::move(linked_buttons)));

  blocks.push_back(markdown("md-footer", footer(t, in.status)));
  return blocks;
}

}  // namespace bw::canvas
