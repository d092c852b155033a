#include "core/split.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

using Pieces = std::vector<std::string_view>;

TEST(Split, KeepsEmptyPiecesBetweenAndAtTheEnds) {
  EXPECT_EQ(split("a,,b", ','), (Pieces{"a", "", "b"}));
  EXPECT_EQ(split(",a,", ','), (Pieces{"", "a", ""}));
  EXPECT_EQ(split("", ','), (Pieces{""}));
  EXPECT_EQ(split("abc", ','), (Pieces{"abc"}));
}

TEST(Split, PiecesAreViewsIntoTheText) {
  const std::string_view text = "k=v&x";
  auto pieces = split(text, '&');
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[1].data(), text.data() + 4);
}

}  // namespace
}  // namespace bw::core
