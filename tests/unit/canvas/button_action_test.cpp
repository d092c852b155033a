#include <gtest/gtest.h>

#include "canvas/button_id.hpp"

namespace bw::canvas {
namespace {

TEST(ButtonAction, LinkedPrefixesWinOverTheirPlainForms) {
  EXPECT_EQ(button_action("next-page-linked-etr_1-pkg-a-p0-s15"), ButtonAction::kNextPageLinked);
  EXPECT_EQ(button_action("next-page-etr_1-p0-s15"), ButtonAction::kNextPage);
  EXPECT_EQ(button_action("view-metadata-linked-etr_1-pkg-a-p0-s15"), ButtonAction::kViewMetadataLinked);
  EXPECT_EQ(button_action("view-metadata-etr_1"), ButtonAction::kViewMetadata);
  // An entry id that is exactly "linked" is written %6Cinked, so this reads as a plain next-page.
  EXPECT_EQ(button_action(make_button_id(ButtonAction::kNextPage, "linked")), ButtonAction::kNextPage);
}

TEST(ButtonAction, EveryActionMadeIsReadBack) {
  for (auto action : {ButtonAction::kBrowseFiles, ButtonAction::kNextPage, ButtonAction::kPrevPage,
                      ButtonAction::kBackToPackage, ButtonAction::kViewMetadata, ButtonAction::kUpdatePackage,
                      ButtonAction::kBrowseLinked, ButtonAction::kNextPageLinked,
                      ButtonAction::kPrevPageLinked, ButtonAction::kViewMetadataLinked}) {
    EXPECT_EQ(button_action(make_button_id(action, "etr_1", kDefaultPage, "a/b")), action)
        << action_name(action);
  }
}

TEST(ButtonAction, OnlyThePrefixCounts) {
  EXPECT_EQ(button_action("browse-files-%ZZ"), ButtonAction::kBrowseFiles);
  EXPECT_FALSE(parse_button_id("browse-files-%ZZ"));
  EXPECT_EQ(button_action("update-package-"), ButtonAction::kUpdatePackage);
  EXPECT_EQ(button_action("update-package"), std::nullopt);
  EXPECT_EQ(button_action("my_button_id"), std::nullopt);
  EXPECT_EQ(button_action("browse-filesX-etr_1"), std::nullopt);
}

}  // namespace
}  // namespace bw::canvas
