#include "canvas/button_id.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "benchling/envelope.hpp"
#include "core/encoding.hpp"
#include "core/utf8.hpp"

namespace bw::canvas {
namespace {

using core::ErrorCode;

constexpr char kHexUpper[] = "0123456789ABCDEF";

struct ActionInfo {
  ButtonAction action;
  std::string_view name;
};

// Linked actions first: "next-page-linked-" must win over "next-page-" (runtime-spec §10.3).
constexpr std::array<ActionInfo, 10> kActions = {{
    {ButtonAction::kBrowseLinked, "browse-linked"},
    {ButtonAction::kNextPageLinked, "next-page-linked"},
    {ButtonAction::kPrevPageLinked, "prev-page-linked"},
    {ButtonAction::kViewMetadataLinked, "view-metadata-linked"},
    {ButtonAction::kBrowseFiles, "browse-files"},
    {ButtonAction::kNextPage, "next-page"},
    {ButtonAction::kPrevPage, "prev-page"},
    {ButtonAction::kBackToPackage, "back-to-package"},
    {ButtonAction::kViewMetadata, "view-metadata"},
    {ButtonAction::kUpdatePackage, "update-package"},
}};

constexpr std::string_view kPkgSeparator = "-pkg-";

bool plain_byte(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '~';
}

void append_escaped(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHexUpper[c >> 4]);
  out.push_back(kHexUpper[c & 15]);
}

std::string encode_entry_id(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (unsigned char c : id) {
    if (plain_byte(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      append_escaped(out, c);
    }
  }
  if (out == "linked") out = "%6Cinked";
  return out;
}

std::string encode_package_name(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 8);
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == '/') {
      out += "--";
    } else if (c == '-') {
      const bool touches = (i > 0 && (name[i - 1] == '-' || name[i - 1] == '/')) ||
                           (i + 1 < name.size() && (name[i + 1] == '-' || name[i + 1] == '/'));
      if (touches) {
        append_escaped(out, c);
      } else {
        out.push_back('-');
      }
    } else if (plain_byte(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

// Well-formed UTF-8 without control characters: decoded ids end up in JSON, logs and URLs.
bool clean_text(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return core::is_valid_utf8(s);
}

// %XX decoding; nullopt on a malformed escape or a result that is not clean text.
std::optional<std::string> percent_decode(std::string_view s) {
  auto out = core::uri_decode(s);
  if (!out || !clean_text(*out)) return std::nullopt;
  return out;
}

std::optional<std::string> decode_package_name(std::string_view encoded) {
  std::string slashed;
  slashed.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '-' && i + 1 < encoded.size() && encoded[i + 1] == '-') {
      slashed.push_back('/');
      ++i;
    } else {
      slashed.push_back(encoded[i]);
    }
  }
  return percent_decode(slashed);
}

// The id as it may appear in a message: printable ASCII kept, every other byte as %XX (log-safe).
std::string printable(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (unsigned char c : id) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

core::Error id_error(std::string_view what, std::string_view id) {
  return core::make_error(
      ErrorCode::kInvalidArgument, std::string(what) + ": " + printable(id),
      "Click a button of a freshly rendered canvas; this button id was not made by this app.");
}

// Digits only (no sign, no spaces), within [0, max]; nullopt otherwise.
std::optional<std::int64_t> parse_number(std::string_view s, std::int64_t max) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

// "{page}" and "{size}" text to a PageRef, or the "Invalid page/size" error.
core::Result<PageRef> make_page(std::string_view page, std::string_view size, std::string_view id) {
  const auto p = parse_number(page, kMaxPageNumber);
  const auto s = parse_number(size, kMaxPageSize);
  if (!p || !s || *s < 1) return id_error("Invalid page/size in button ID", id);
  return PageRef{*p, *s};
}

// The reference's re.search(r"p(\d+)-s(\d+)$", tail): the match, if any, is the 'p' right before the last
// digit run preceding a final "-s<digits>".
std::optional<std::pair<std::string_view, std::string_view>> find_page_suffix(std::string_view tail) {
  std::size_t end = tail.size();
  std::size_t i = end;
  while (i > 0 && tail[i - 1] >= '0' && tail[i - 1] <= '9') --i;
  if (i == end || i < 2 || tail.substr(i - 2, 2) != "-s") return std::nullopt;
  const std::string_view size = tail.substr(i);
  std::size_t j = i - 2;
  std::size_t k = j;
  while (k > 0 && tail[k - 1] >= '0' && tail[k - 1] <= '9') --k;
  if (k == j || k == 0 || tail[k - 1] != 'p') return std::nullopt;
  return std::pair{tail.substr(k, j - k), size};
}

core::Result<ParsedButton> parse_plain(ButtonAction action, std::string_view rest, std::string_view id) {
  const std::size_t dash = rest.find('-');
  const std::string_view encoded = rest.substr(0, dash);
  const std::string_view tail = dash == std::string_view::npos ? std::string_view{} : rest.substr(dash + 1);
  if (encoded.empty()) return id_error("No entry_id found in button ID", id);
  auto entry = percent_decode(encoded);
  if (!entry || entry->empty()) return id_error("Invalid button ID format", id);
  ParsedButton out;
  out.action = action;
  out.entry_id = std::move(*entry);
  if (auto suffix = find_page_suffix(tail)) {
    auto page = make_page(suffix->first, suffix->second, id);
    if (!page) return page.error();
    out.page = *page;
  }
  return out;
}

core::Result<ParsedButton> parse_linked(ButtonAction action, std::string_view rest, std::string_view id) {
  const std::size_t dash = rest.find('-');
  const std::string_view encoded = rest.substr(0, dash);
  if (encoded.empty()) return id_error("No entry_id found in button ID", id);
  if (dash == std::string_view::npos || rest.substr(dash, kPkgSeparator.size()) != kPkgSeparator) {
    return id_error("Invalid button ID format", id);
  }
  auto entry = percent_decode(encoded);
  if (!entry || entry->empty()) return id_error("Invalid button ID format", id);

  // {N}-p{page}-s{size}: the last "-p" starts the page (N may itself contain "-p").
  const std::string_view named = rest.substr(dash + kPkgSeparator.size());
  const std::size_t p = named.rfind("-p");
  if (p == std::string_view::npos) return id_error("Invalid button ID format", id);
  const std::string_view page_size = named.substr(p + 2);
  const std::size_t s = page_size.find("-s");
  if (s == std::string_view::npos) return id_error("Invalid button ID format", id);
  auto page = make_page(page_size.substr(0, s), page_size.substr(s + 2), id);
  if (!page) return page.error();
  auto name = decode_package_name(named.substr(0, p));
  if (!name || name->empty()) return id_error("Invalid button ID format", id);

  ParsedButton out;
  out.action = action;
  out.entry_id = std::move(*entry);
  out.page = *page;
  out.package_name = std::move(*name);
  return out;
}

}  // namespace

std::string_view action_name(ButtonAction action) {
  for (const auto& info : kActions) {
    if (info.action == action) return info.name;
  }
  return "unknown";  // unreachable: every enumerator is in kActions
}

bool is_linked(ButtonAction action) {
  switch (action) {
    case ButtonAction::kBrowseLinked:
    case ButtonAction::kNextPageLinked:
    case ButtonAction::kPrevPageLinked:
    case ButtonAction::kViewMetadataLinked:
      return true;
    default:
      return false;
  }
}

std::string make_button_id(ButtonAction action, std::string_view entry_id, std::optional<PageRef> page,
                           std::optional<std::string_view> package) {
  std::string out(action_name(action));
  out.push_back('-');
  out += encode_entry_id(entry_id);
  if (is_linked(action)) {
    out += kPkgSeparator;
    out += encode_package_name(package.value_or(std::string_view{}));
    if (!page) page = kDefaultPage;
  }
  if (page) {
    out += "-p" + std::to_string(page->page) + "-s" + std::to_string(page->size);
  }
  return out;
}

std::optional<ButtonAction> button_action(std::string_view id) {
  for (const auto& info : kActions) {
    if (id.size() > info.name.size() && id.starts_with(info.name) && id[info.name.size()] == '-') {
      return info.action;
    }
  }
  return std::nullopt;
}

core::Result<ParsedButton> parse_button_id(std::string_view id) {
  if (id.size() > kMaxButtonIdBytes) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "Invalid button ID format: " + std::to_string(id.size()) + " bytes, at most " +
                                std::to_string(kMaxButtonIdBytes) + " allowed");
  }
  if (id.find('-') == std::string_view::npos) return id_error("Invalid button ID format", id);
  if (const auto action = button_action(id)) {
    const std::string_view rest = id.substr(action_name(*action).size() + 1);
    return is_linked(*action) ? parse_linked(*action, rest, id) : parse_plain(*action, rest, id);
  }
  if (!benchling::entry_id_from_button(id)) return id_error("No entry_id found in button ID", id);
  return id_error("Unknown button action in button ID", id);
}

core::Result<std::string> button_entry_id(std::string_view id) {
  auto parsed = parse_button_id(id);
  if (parsed) return std::move(parsed->entry_id);
  if (id.size() > kMaxButtonIdBytes) return parsed.error();
  const auto part = benchling::entry_id_from_button(id);  // the reference's rule
  if (!part) return id_error("No entry_id found in button ID", id);
  if (auto decoded = percent_decode(*part)) return std::move(*decoded);
  return id_error("Invalid button ID format", id);
}

}  // namespace bw::canvas
