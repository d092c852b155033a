#include "canvas/pagination.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace bw::canvas {
namespace {

TEST(Pagination, FirstPageHasNextButNoPrevious) {
  auto s = paginate(32, 0, 15).value();
  EXPECT_EQ(s.total_pages, 3);
  EXPECT_EQ(s.start, 0);
  EXPECT_EQ(s.end, 15);
  EXPECT_TRUE(s.has_next);
  EXPECT_FALSE(s.has_previous);
}

TEST(Pagination, MiddlePageHasBoth) {
  auto s = paginate(32, 1, 15).value();
  EXPECT_EQ(s.start, 15);
  EXPECT_EQ(s.end, 30);
  EXPECT_TRUE(s.has_next);
  EXPECT_TRUE(s.has_previous);
}

TEST(Pagination, LastPageIsShortAndHasNoNext) {
  auto s = paginate(32, 2, 15).value();
  EXPECT_EQ(s.start, 30);
  EXPECT_EQ(s.end, 32);
  EXPECT_FALSE(s.has_next);
  EXPECT_TRUE(s.has_previous);
}

TEST(Pagination, ExactMultipleHasNoEmptyTrailingPage) {
  auto s = paginate(30, 1, 15).value();
  EXPECT_EQ(s.total_pages, 2);
  EXPECT_FALSE(s.has_next);
  EXPECT_EQ(s.end, 30);
}

TEST(Pagination, PageBeyondTheEndIsClampedToTheLast) {
  auto s = paginate(32, 99, 15).value();
  EXPECT_EQ(s.page, 2);
  EXPECT_EQ(s.start, 30);
}

TEST(Pagination, EmptyListIsPageZeroOfZero) {
  auto s = paginate(0, 5, 15).value();
  EXPECT_EQ(s.page, 0);
  EXPECT_EQ(s.total_pages, 0);
  EXPECT_EQ(s.start, 0);
  EXPECT_EQ(s.end, 0);
  EXPECT_FALSE(s.has_next);
  EXPECT_FALSE(s.has_previous);
}

TEST(Pagination, HugeSizeDoesNotOverflow) {
  auto s = paginate(3, 0, INT64_MAX).value();
  EXPECT_EQ(s.total_pages, 1);
  EXPECT_EQ(s.end, 3);
}

TEST(Pagination, RejectsNegativePageZeroSizeNegativeTotal) {
  EXPECT_EQ(paginate(10, -1, 15).error().message, "page_number must be >= 0, got -1");
  EXPECT_EQ(paginate(10, 0, 0).error().message, "page_size must be >= 1, got 0");
  EXPECT_EQ(paginate(-1, 0, 15).error().message, "total_items must be >= 0, got -1");
}

TEST(Pagination, PageItemsSlicesThePage) {
  std::vector<int> items{0, 1, 2, 3, 4, 5, 6};
  auto s = paginate(7, 2, 3).value();
  auto page = page_items(std::span<const int>(items), s);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0], 6);
}

TEST(Pagination, SizeDisplayMatchesPythonFormatting) {
  // Expected values printed by the reference's size_display under CPython.
  EXPECT_EQ(size_display(0), "0.0 B");
  EXPECT_EQ(size_display(1), "1.0 B");
  EXPECT_EQ(size_display(1023), "1023.0 B");
  EXPECT_EQ(size_display(1024), "1.0 KB");
  EXPECT_EQ(size_display(1124), "1.1 KB");
  EXPECT_EQ(size_display(1536), "1.5 KB");
  EXPECT_EQ(size_display(1048575), "1024.0 KB");
  EXPECT_EQ(size_display(1048576), "1.0 MB");
  EXPECT_EQ(size_display(5368709120ULL), "5.0 GB");
  EXPECT_EQ(size_display(1099511627776ULL), "1.0 TB");
  EXPECT_EQ(size_display(3377699720527872ULL), "3072.0 TB");
}

}  // namespace
}  // namespace bw::canvas
