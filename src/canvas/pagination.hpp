// canvas/pagination.hpp
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/error.hpp"

namespace bw::canvas {

//! A page as a button id carries it: 0-based page number and page size.
struct PageRef {
  std::int64_t page = 0;
  std::int64_t size = 15;
  bool operator==(const PageRef&) const = default;
};

//! The reference's default: first page, 15 files.
inline constexpr PageRef kDefaultPage{0, 15};

//! One page of a list (runtime-spec §7.3 `PageState` after clamping).
struct PageState {
  std::int64_t page = 0;  //!< clamped to [0, total_pages-1], 0 when empty
  std::int64_t size = 15;
  std::int64_t total = 0;
  std::int64_t total_pages = 0;  //!< ceil(total/size), 0 when total is 0
  std::int64_t start = 0;        //!< page*size
  std::int64_t end = 0;          //!< min(start+size, total), exclusive
  bool has_next = false;         //!< page < total_pages-1
  bool has_previous = false;     //!< page > 0
};

//! paginate_items of runtime-spec §7.3: validates (page >= 0, size >= 1, total >= 0) and clamps the page.
core::Result<PageState> paginate(std::int64_t total, std::int64_t page, std::int64_t size);

//! The items of one page; `state` must come from paginate() over items.size().
template <class T>
std::span<const T> page_items(std::span<const T> items, const PageState& state) {
  return items.subspan(static_cast<std::size_t>(state.start),
                       static_cast<std::size_t>(state.end - state.start));
}

//! "{x:.1f} {unit}" dividing by 1024 through B, KB, MB, GB, then TB ("1.0 KB", "0.0 B").
std::string size_display(std::uint64_t bytes);

}  // namespace bw::canvas
