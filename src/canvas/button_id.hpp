// canvas/button_id.hpp
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "canvas/pagination.hpp"
#include "core/error.hpp"

namespace bw::canvas {

// Button ids carry all the state of a canvas view, because a click webhook brings back only the id of the
// clicked button (runtime-spec §7.6, §10.9).
//
// Grammar, the reference's:
//   plain    {action}-{E}[-p{page}-s{size}]
//            action: browse-files | next-page | prev-page | back-to-package | view-metadata | update-package
//   linked   {action}-{E}-pkg-{N}-p{page}-s{size}
//            action: browse-linked | next-page-linked | prev-page-linked | view-metadata-linked
//
// Escaping, so that any entry id E and any package name N round-trip:
//   E  every byte outside [A-Za-z0-9_.~] is written %XX (upper-case hex): '-' becomes %2D, '%' becomes %25.
//      E therefore never contains '-', so the first '-' after the action ends it. (An entry id that is
//      exactly "linked" is written "%6Cinked", so that "next-page-{E}" never reads as "next-page-linked-".)
//   N  '/' becomes "--" as in the reference; a '-' that touches another '-' or a '/' in the name becomes %2D;
//      every other byte outside [A-Za-z0-9_.~-] becomes %XX. Runs of '-' in N are then either one literal
//      dash or an even run with one "--" per '/', so decoding ("--" to '/', then %XX) is exact:
//      "benchling/exp-001" -> "benchling--exp-001", "a--b" -> "a%2D%2Db", "a/-b" -> "a--%2Db".
// Benchling ids (etr_..., letters, digits and '_') and Quilt names ("prefix/name-with-dashes") need no
// escape, so their ids are byte for byte the reference's ("browse-files-etr_abc-p0-s15",
// "browse-linked-etr_abc-pkg-benchling--exp-001-p0-s15") and canvases rendered by the reference keep working.
// Parsing decodes %XX, so the legacy unescaped forms parse as before.
//
// Benchling documents no length limit for block ids; we refuse to parse ids longer than kMaxButtonIdBytes
// (untrusted input, echoed in errors with non-printable bytes as %XX), and the main view leaves out a
// linked-package button whose id comes within kButtonIdHeadroom of that limit, so that every id derived from
// it (next-page-linked-..., view-metadata-linked-... with larger page numbers) still parses.
// Page numbers are 0..kMaxPageNumber, sizes 1..kMaxPageSize; anything else is "Invalid page/size".

inline constexpr std::size_t kMaxButtonIdBytes = 1024;
inline constexpr std::size_t kButtonIdHeadroom = 16;
inline constexpr std::int64_t kMaxPageNumber = 1'000'000;
inline constexpr std::int64_t kMaxPageSize = 1000;

enum class ButtonAction {
  kBrowseFiles,
  kNextPage,
  kPrevPage,
  kBackToPackage,
  kViewMetadata,
  kUpdatePackage,
  kBrowseLinked,
  kNextPageLinked,
  kPrevPageLinked,
  kViewMetadataLinked,
};

//! The id prefix of an action without the trailing '-': "browse-files", "next-page-linked", ...
std::string_view action_name(ButtonAction action);
//! True for the four *-linked actions (their ids name a linked package).
bool is_linked(ButtonAction action);

struct ParsedButton {
  ButtonAction action = ButtonAction::kBrowseFiles;
  std::string entry_id;                     //!< decoded
  std::optional<PageRef> page;              //!< always set for linked actions
  std::optional<std::string> package_name;  //!< decoded; set exactly for linked actions
};

//! Builds a button id. Linked actions use `package` (empty when absent) and `page` (kDefaultPage when
//! absent); plain actions ignore `package` and append "-p{page}-s{size}" only when `page` is given.
std::string make_button_id(ButtonAction action, std::string_view entry_id,
                           std::optional<PageRef> page = std::nullopt,
                           std::optional<std::string_view> package = std::nullopt);

//! The action whose "<action>-" prefix `id` starts with (linked prefixes tried first, runtime-spec §10.3),
//! whatever follows it: what a click asks for, even when the rest of the id does not parse. nullopt for
//! an unknown action.
std::optional<ButtonAction> button_action(std::string_view id);

//! Parses an id made by make_button_id or by the reference. Linked prefixes are tried before plain ones
//! (runtime-spec §10.3). Errors (kInvalidArgument): "Invalid button ID format: <id>", "No entry_id found in
//! button ID: <id>", "Invalid page/size in button ID: <id>", "Unknown button action in button ID: <id>".
core::Result<ParsedButton> parse_button_id(std::string_view id);

//! The entry id of any button id, also of an unknown action: parse_button_id's, else the reference's rule
//! (the first '-'-separated part starting with etr_ plt_ seq_ cus_ dna_ aa_ rna_).
core::Result<std::string> button_entry_id(std::string_view id);

}  // namespace bw::canvas
