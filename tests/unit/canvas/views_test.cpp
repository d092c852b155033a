#include "canvas/views.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "canvas/blocks.hpp"
#include "canvas/button_id.hpp"
#include "core/json.hpp"

namespace bw::canvas {
namespace {

namespace json = boost::json;

// Golden views: tests/fixtures/canvas/<name>.json holds the exact block array (key order included).
// BW_UPDATE_GOLDEN=1 rewrites them; review the diff before keeping it.
void expect_golden(const std::string& name, const json::array& blocks) {
  const std::string path = std::string(BW_FIXTURES_DIR) + "/canvas/" + name + ".json";
  if (std::getenv("BW_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << core::to_pretty_json(blocks) << "\n";
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  const json::value want = json::parse(ss.str());
  EXPECT_EQ(json::serialize(blocks), json::serialize(want)) << "golden " << name;
}

CanvasTarget target() {
  return {"quilt.example.com", "quilt-data", "etr_abc123"};
}

const PackageRef kPrimary{"benchling/EXP25000076", false};
const PackageRef kLinked{"team/plate-prep", true};

// 32 files given out of order: pages of 15 are 15, 15 and 2 files.
std::vector<PackageFile> files32() {
  std::vector<PackageFile> files;
  for (int i = 29; i >= 0; --i) {
    char key[32];
    std::snprintf(key, sizeof key, "data/sample_%02d.csv", i);
    files.push_back({key, static_cast<std::uint64_t>(i) * 1000});
  }
  files.push_back({"README.md", 1536});
  files.push_back({"raw/run 1/plate#1+α.tsv", 5368709120ULL});
  return files;
}

MainViewInput main_input() {
  MainViewInput in;
  in.target = target();
  in.package_name = "benchling/EXP25000076";
  in.display_id = "EXP25000076";
  in.linked = {"team/plate-prep", "benchling/EXP25000076", "analysis/run--2", "team/plate-prep"};
  in.status.version = "0.1.0";
  return in;
}

json::array section_children(const json::array& blocks, std::string_view id) {
  for (const auto& b : blocks) {
    if (b.at("id") == json::value(id)) return b.at("children").as_array();
  }
  ADD_FAILURE() << "no section " << id;
  return {};
}

bool has_enabled_button(const json::value& v) {
  if (v.is_array()) {
    for (const auto& x : v.as_array()) {
      if (has_enabled_button(x)) return true;
    }
    return false;
  }
  const auto& o = v.as_object();
  if (o.at("type") == "BUTTON") return o.at("enabled").as_bool();
  if (o.at("type") == "SECTION") return has_enabled_button(o.at("children"));
  return false;
}

TEST(MainView, LinkedPackagesWarningsAndUpdatedFooter) {
  auto in = main_input();
  in.errors = {"Failed to search for linked packages: AWS Athena access denied."};
  in.status.updated_at = "2025-10-02 11:00 UTC";
  expect_golden("main_view", main_view(in));
}

TEST(MainView, LinkedListIsSortedDeduplicatedAndOmitsThePrimary) {
  const auto blocks = main_view(main_input());
  const auto kids = section_children(blocks, "button-section-linked-packages");
  ASSERT_EQ(kids.size(), 2u);
  EXPECT_EQ(kids[0].at("id"), "browse-linked-etr_abc123-pkg-analysis--run%2D%2D2-p0-s15");
  EXPECT_EQ(kids[0].at("text"), "analysis/run--2");
  EXPECT_EQ(kids[1].at("id"), "browse-linked-etr_abc123-pkg-team--plate-prep-p0-s15");
  // The id of a name with "--" parses back to that name.
  EXPECT_EQ(parse_button_id(kids[0].at("id").as_string()).value().package_name, "analysis/run--2");
}

TEST(MainView, PendingWithoutLinksHasNoLinkedSectionAndSaysPending) {
  auto in = main_input();
  in.linked.clear();
  const auto blocks = main_view(in);
  expect_golden("main_view_pending", blocks);
  ASSERT_EQ(blocks.size(), 3u);  // nav, md1, footer
  EXPECT_EQ(blocks.back().at("id"), "md-footer");
}

TEST(MainView, UpdatingShowsOnlyTheHeaderAndDisablesUpdate) {
  auto in = main_input();
  in.status.updating = true;
  in.status.updated_at = "2025-10-02 11:00 UTC";  // updating wins
  in.errors = {"ignored while updating"};
  const auto blocks = main_view(in);
  expect_golden("main_view_updating", blocks);
  const auto nav = section_children(blocks, "button-section-main");
  EXPECT_TRUE(nav[0].at("enabled").as_bool());   // Browse Package
  EXPECT_FALSE(nav[1].at("enabled").as_bool());  // Update Package
  EXPECT_NE(blocks.back().at("value").as_string().find("⏳ *Updating...*"), json::string::npos);
}

TEST(MainView, EveryIdDerivedFromALinkedButtonStillParses) {
  auto in = main_input();
  // The longest name the main view still makes a button for (39 bytes of the id are not the x run).
  const std::string name = "t/" + std::string(kMaxButtonIdBytes - kButtonIdHeadroom - 39, 'x');
  in.linked = {name};
  const auto kids = section_children(main_view(in), "button-section-linked-packages");
  ASSERT_EQ(kids.size(), 1u);
  EXPECT_EQ(kids[0].at("id").as_string().size(), kMaxButtonIdBytes - kButtonIdHeadroom);
  for (auto a :
       {ButtonAction::kNextPageLinked, ButtonAction::kPrevPageLinked, ButtonAction::kViewMetadataLinked}) {
    const std::string id = make_button_id(a, in.target.entry_id, PageRef{kMaxPageNumber, kMaxPageSize}, name);
    EXPECT_TRUE(parse_button_id(id)) << id.size();
  }
}

TEST(MainView, LinkedButtonWithAnOverlongIdIsLeftOutButStillListed) {
  auto in = main_input();
  const std::string huge = "team/" + std::string(kMaxButtonIdBytes, 'x');
  in.linked = {huge};
  const auto blocks = main_view(in);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_NE(blocks[1].at("value").as_string().find(huge), json::string::npos);
}

TEST(BrowserView, FirstPage) {
  const auto files = files32();
  const auto blocks = browser_view(target(), kPrimary, files, {0, 15});
  expect_golden("browser_first_page", blocks);
  const auto nav = section_children(blocks, "button-section-browser");
  EXPECT_EQ(nav[0].at("id"), "prev-page-etr_abc123-p0-s15");
  EXPECT_FALSE(nav[0].at("enabled").as_bool());
  EXPECT_EQ(nav[1].at("id"), "next-page-etr_abc123-p1-s15");
  EXPECT_TRUE(nav[1].at("enabled").as_bool());
}

TEST(BrowserView, MiddlePage) {
  const auto files = files32();
  const auto blocks = browser_view(target(), kPrimary, files, {1, 15});
  expect_golden("browser_middle_page", blocks);
  const auto nav = section_children(blocks, "button-section-browser");
  EXPECT_TRUE(nav[0].at("enabled").as_bool());
  EXPECT_TRUE(nav[1].at("enabled").as_bool());
}

TEST(BrowserView, LastPage) {
  const auto files = files32();
  const auto blocks = browser_view(target(), kPrimary, files, {2, 15});
  expect_golden("browser_last_page", blocks);
  const auto nav = section_children(blocks, "button-section-browser");
  EXPECT_EQ(nav[0].at("id"), "prev-page-etr_abc123-p1-s15");
  EXPECT_TRUE(nav[0].at("enabled").as_bool());
  EXPECT_EQ(nav[1].at("id"), "next-page-etr_abc123-p2-s15");
  EXPECT_FALSE(nav[1].at("enabled").as_bool());
}

TEST(BrowserView, PageBeyondTheEndShowsTheLastPage) {
  const auto files = files32();
  EXPECT_EQ(json::serialize(browser_view(target(), kPrimary, files, {99, 15})),
            json::serialize(browser_view(target(), kPrimary, files, {2, 15})));
}

TEST(BrowserView, NonsensePageOrSizeFallsBackToSaneValues) {
  const auto files = files32();
  EXPECT_EQ(json::serialize(browser_view(target(), kPrimary, files, {-3, 0})),
            json::serialize(browser_view(target(), kPrimary, files, {0, 15})));
}

TEST(BrowserView, SinglePageHasBothPagingButtonsDisabled) {
  const std::vector<PackageFile> files{{"b.txt", 1}, {"a.txt", 0}, {"dir/c.json", 2048}};
  const auto blocks = browser_view(target(), kPrimary, files, {0, 15});
  expect_golden("browser_single_page", blocks);
  const auto nav = section_children(blocks, "button-section-browser");
  EXPECT_FALSE(nav[0].at("enabled").as_bool());
  EXPECT_FALSE(nav[1].at("enabled").as_bool());
  EXPECT_TRUE(nav[2].at("enabled").as_bool());
  EXPECT_TRUE(nav[3].at("enabled").as_bool());
}

TEST(BrowserView, LinkedPackagePagesWithLinkedIds) {
  const auto files = files32();
  const auto blocks = browser_view(target(), kLinked, files, {1, 15});
  expect_golden("browser_linked_page", blocks);
  const auto nav = section_children(blocks, "button-section-browser");
  EXPECT_EQ(nav[0].at("id"), "prev-page-linked-etr_abc123-pkg-team--plate-prep-p0-s15");
  EXPECT_EQ(nav[1].at("id"), "next-page-linked-etr_abc123-pkg-team--plate-prep-p2-s15");
  EXPECT_EQ(nav[2].at("id"), "back-to-package-etr_abc123");
  EXPECT_EQ(nav[3].at("id"), "view-metadata-linked-etr_abc123-pkg-team--plate-prep-p1-s15");
}

TEST(BrowserView, EmptyPackage) {
  const auto blocks = browser_view(target(), kPrimary, {}, {0, 15});
  expect_golden("browser_empty", blocks);
}

TEST(BrowserView, NotCreated) {
  expect_golden("browser_not_created", not_created_view(target(), kPrimary));
}

TEST(BrowserView, ErrorOffersRetryOfTheSamePage) {
  expect_golden("browser_error", browser_error_view(target(), kPrimary, "Connection reset by peer", {2, 15}));
}

TEST(BrowserView, LinkedErrorRetriesTheLinkedPackage) {
  const auto blocks = browser_error_view(target(), kLinked, "Throttling: Rate exceeded", {1, 15});
  expect_golden("browser_linked_error", blocks);
  EXPECT_EQ(blocks[1].at("id"), "browse-linked-etr_abc123-pkg-team--plate-prep-p1-s15");
}

TEST(BrowserView, LongErrorsAreCutAtACharacterBoundary) {
  const std::string error = std::string(499, 'e') + "éxtra";
  const auto blocks = browser_error_view(target(), kPrimary, error, {0, 15});
  const std::string md(blocks[0].at("value").as_string());
  EXPECT_NE(md.find("Error: " + std::string(499, 'e') + "…\n"), std::string::npos);
}

json::object metadata_input() {
  std::ifstream in(std::string(BW_FIXTURES_DIR) + "/canvas/metadata_input.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str()).as_object();
}

TEST(MetadataView, NestedMetadata) {
  const auto blocks = metadata_view(target(), kPrimary, metadata_input(), {2, 15});
  expect_golden("metadata", blocks);
  const auto nav = section_children(blocks, "button-section-metadata");
  EXPECT_EQ(nav[0].at("id"), "browse-files-etr_abc123-p2-s15");
}

TEST(MetadataView, LinkedBackToBrowserReturnsToTheLinkedPage) {
  const auto meta = json::parse(R"({"experiment_id":"EXP25000076","source":"https://lims.example/run/7"})");
  const auto blocks = metadata_view(target(), kLinked, meta.as_object(), {1, 15});
  expect_golden("metadata_linked", blocks);
  const auto nav = section_children(blocks, "button-section-metadata");
  EXPECT_EQ(nav[0].at("id"), "browse-linked-etr_abc123-pkg-team--plate-prep-p1-s15");
}

TEST(MetadataView, Error) {
  expect_golden("metadata_error",
                metadata_error_view(target(), kPrimary, "NoSuchKey: entry.json does not exist"));
}

TEST(ErrorView, FailedJobLeavesMessageAndWorkingButtons) {
  const auto blocks = error_view(target(), "Benchling did not answer in time (HTTP 504).",
                                 "Wait a minute, then click Update Package.");
  expect_golden("error_view", blocks);
  const auto nav = section_children(blocks, "button-section-main");
  EXPECT_TRUE(nav[0].at("enabled").as_bool());
  EXPECT_TRUE(nav[1].at("enabled").as_bool());
}

TEST(PreparingView, NewCanvasIsNeutralNotAnError) {
  const auto blocks = preparing_view(target());
  expect_golden("preparing_view", blocks);
  const std::string text = json::serialize(blocks);
  EXPECT_EQ(text.find("md-error"), std::string::npos);
  EXPECT_EQ(text.find("Wrong"), std::string::npos);
  const auto nav = section_children(blocks, "button-section-main");
  EXPECT_TRUE(nav[0].at("enabled").as_bool());   // Browse Package
  EXPECT_FALSE(nav[1].at("enabled").as_bool());  // Update Package: the packaging job is about to run
}

TEST(Views, EveryViewLeavesAnEnabledButton) {
  const auto files = files32();
  auto updating = main_input();
  updating.status.updating = true;
  const json::array views[] = {
      main_view(main_input()),
      main_view(updating),
      browser_view(target(), kPrimary, files, {0, 15}),
      browser_view(target(), kLinked, files, {2, 15}),
      browser_view(target(), kPrimary, {}, {0, 15}),
      not_created_view(target(), kLinked),
      browser_error_view(target(), kLinked, "x", {0, 15}),
      metadata_view(target(), kPrimary, {}, {0, 15}),
      metadata_error_view(target(), kLinked, "x"),
      error_view(target(), "x"),
      preparing_view(target()),
  };
  for (const auto& v : views) EXPECT_TRUE(has_enabled_button(v)) << json::serialize(v);
}

TEST(Views, EntryIdWithDashStillGivesParseableIds) {
  CanvasTarget t = target();
  t.entry_id = "etr_a-b";
  const auto blocks = browser_view(t, kLinked, files32(), {1, 15});
  for (const auto& b : section_children(blocks, "button-section-browser")) {
    auto parsed = parse_button_id(b.at("id").as_string());
    ASSERT_TRUE(parsed) << b.at("id");
    EXPECT_EQ(parsed->entry_id, "etr_a-b");
  }
}

TEST(Views, NotFoundMessagesAreRecognized) {
  EXPECT_TRUE(is_not_found_message("NoSuchKey: The specified key does not exist."));
  EXPECT_TRUE(is_not_found_message("Package NOT FOUND"));
  EXPECT_TRUE(is_not_found_message("No such package: a/b"));
  EXPECT_FALSE(is_not_found_message("AccessDenied"));
}

TEST(Views, PatchBodyWrapsAView) {
  const auto body = canvas_update_body(error_view(target(), "x"));
  EXPECT_EQ(body.at("enabled"), json::value(true));
  EXPECT_EQ(body.at("blocks").as_array().size(), 2u);
}

}  // namespace
}  // namespace bw::canvas
