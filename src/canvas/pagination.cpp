#include "canvas/pagination.hpp"

#include <algorithm>
#include <cstdio>

namespace bw::canvas {

core::Result<PageState> paginate(std::int64_t total, std::int64_t page, std::int64_t size) {
  using core::ErrorCode;
  if (page < 0) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "page_number must be >= 0, got " + std::to_string(page));
  }
  if (size < 1) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "page_size must be >= 1, got " + std::to_string(size));
  }
  if (total < 0) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "total_items must be >= 0, got " + std::to_string(total));
  }
  PageState s;
  s.size = size;
  s.total = total;
  s.total_pages = total == 0 ? 0 : (total - 1) / size + 1;  // ceil without overflow
  s.page = s.total_pages == 0 ? 0 : std::min(page, s.total_pages - 1);
  // page < total_pages <= total, so page*size stays below total + size: no overflow.
  s.start = s.page * size;
  s.end = std::min(s.start + std::min(size, total), total);
  s.has_next = s.page < s.total_pages - 1;
  s.has_previous = s.page > 0;
  return s;
}

std::string size_display(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB"};
  double size = static_cast<double>(bytes);
  char buf[64];
  for (const char* unit : kUnits) {
    if (size < 1024) {
      std::snprintf(buf, sizeof buf, "%.1f %s", size, unit);
      return buf;
    }
    size /= 1024;
  }
  std::snprintf(buf, sizeof buf, "%.1f TB", size);
  return buf;
}

}  // namespace bw::canvas
