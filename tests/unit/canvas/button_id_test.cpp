#include "canvas/button_id.hpp"

#include <gtest/gtest.h>

#include <random>

namespace bw::canvas {
namespace {

using A = ButtonAction;

ParsedButton parse_ok(std::string_view id) {
  auto r = parse_button_id(id);
  EXPECT_TRUE(r.has_value()) << id << ": " << (r ? "" : r.error().message);
  return r ? *r : ParsedButton{};
}

std::string parse_error(std::string_view id) {
  auto r = parse_button_id(id);
  EXPECT_FALSE(r.has_value()) << id;
  return r ? std::string() : r.error().message;
}

TEST(ButtonId, OrdinaryIdsKeepTheReferenceFormat) {
  EXPECT_EQ(make_button_id(A::kBrowseFiles, "etr_abc", PageRef{0, 15}), "browse-files-etr_abc-p0-s15");
  EXPECT_EQ(make_button_id(A::kNextPage, "etr_abc", PageRef{2, 15}), "next-page-etr_abc-p2-s15");
  EXPECT_EQ(make_button_id(A::kPrevPage, "etr_abc", PageRef{0, 15}), "prev-page-etr_abc-p0-s15");
  EXPECT_EQ(make_button_id(A::kBackToPackage, "etr_abc"), "back-to-package-etr_abc");
  EXPECT_EQ(make_button_id(A::kViewMetadata, "etr_abc", PageRef{1, 20}), "view-metadata-etr_abc-p1-s20");
  EXPECT_EQ(make_button_id(A::kUpdatePackage, "etr_abc"), "update-package-etr_abc");
  EXPECT_EQ(make_button_id(A::kBrowseLinked, "etr_abc123", PageRef{0, 15}, "benchling/exp-001"),
            "browse-linked-etr_abc123-pkg-benchling--exp-001-p0-s15");
  EXPECT_EQ(make_button_id(A::kNextPageLinked, "etr_abc", PageRef{3, 15}, "foo/bar/baz"),
            "next-page-linked-etr_abc-pkg-foo--bar--baz-p3-s15");
  EXPECT_EQ(make_button_id(A::kPrevPageLinked, "etr_abc", PageRef{0, 15}, "a/b"),
            "prev-page-linked-etr_abc-pkg-a--b-p0-s15");
  EXPECT_EQ(make_button_id(A::kViewMetadataLinked, "etr_abc", PageRef{1, 15}, "a/b"),
            "view-metadata-linked-etr_abc-pkg-a--b-p1-s15");
}

TEST(ButtonId, LinkedIdsDefaultToTheFirstPage) {
  EXPECT_EQ(make_button_id(A::kBrowseLinked, "etr_1", std::nullopt, "a/b"),
            "browse-linked-etr_1-pkg-a--b-p0-s15");
}

TEST(ButtonId, EntryIdWithDashOrPercentIsEscaped) {
  EXPECT_EQ(make_button_id(A::kBrowseFiles, "etr_a-b", PageRef{0, 15}), "browse-files-etr_a%2Db-p0-s15");
  EXPECT_EQ(make_button_id(A::kBackToPackage, "etr_5%"), "back-to-package-etr_5%25");
  EXPECT_EQ(make_button_id(A::kBackToPackage, "linked"), "back-to-package-%6Cinked");
}

TEST(ButtonId, PackageNameDashesNextToSlashesOrDashesAreEscaped) {
  EXPECT_EQ(make_button_id(A::kBrowseLinked, "etr_1", PageRef{0, 15}, "a--b"),
            "browse-linked-etr_1-pkg-a%2D%2Db-p0-s15");
  EXPECT_EQ(make_button_id(A::kBrowseLinked, "etr_1", PageRef{0, 15}, "a/-b"),
            "browse-linked-etr_1-pkg-a--%2Db-p0-s15");
  EXPECT_EQ(make_button_id(A::kBrowseLinked, "etr_1", PageRef{0, 15}, "a b%"),
            "browse-linked-etr_1-pkg-a%20b%25-p0-s15");
}

struct RoundTrip {
  A action;
  std::string entry;
  std::optional<PageRef> page;
  std::optional<std::string> package;
};

TEST(ButtonId, EveryActionRoundTripsAwkwardEntryIdsAndNames) {
  const std::string entries[] = {"etr_abc123", "etr_a-b",  "etr-", "-etr",  "a--b",  "5%",  "%2D",
                                 "linked",     "linked-x", "pkg",  "-pkg-", "p1-s2", "ü-ß", "a b/c"};
  const std::string names[] = {"benchling/exp-001",
                               "a--b",
                               "a---b",
                               "a/-b",
                               "a-/b",
                               "-a",
                               "a-",
                               "/a",
                               "a/",
                               "a//b",
                               "x-p1-s2",
                               "a-pkg-b",
                               "100%",
                               "a%2Db",
                               "ä/ö-ü",
                               "a b",
                               "benchling/EXP25000076"};
  const A plain[] = {A::kBrowseFiles,   A::kNextPage,     A::kPrevPage,
                     A::kBackToPackage, A::kViewMetadata, A::kUpdatePackage};
  const A linked[] = {A::kBrowseLinked, A::kNextPageLinked, A::kPrevPageLinked, A::kViewMetadataLinked};
  for (const auto& e : entries) {
    for (A a : plain) {
      for (std::optional<PageRef> page : {std::optional<PageRef>{}, std::optional<PageRef>{PageRef{7, 30}}}) {
        const std::string id = make_button_id(a, e, page);
        const ParsedButton p = parse_ok(id);
        EXPECT_EQ(p.action, a) << id;
        EXPECT_EQ(p.entry_id, e) << id;
        EXPECT_EQ(p.page, page) << id;
        EXPECT_FALSE(p.package_name) << id;
      }
    }
    for (A a : linked) {
      for (const auto& n : names) {
        const std::string id = make_button_id(a, e, PageRef{4, 15}, n);
        const ParsedButton p = parse_ok(id);
        EXPECT_EQ(p.action, a) << id;
        EXPECT_EQ(p.entry_id, e) << id;
        EXPECT_EQ(p.page, (PageRef{4, 15})) << id;
        EXPECT_EQ(p.package_name, n) << id;
      }
    }
  }
}

TEST(ButtonId, RandomIdsAndNamesFromTheNastyAlphabetRoundTrip) {
  // Fixed seed: reproducible. The alphabet is every character the grammar gives meaning to.
  std::mt19937 rng(20251002);
  const std::string alphabet = "-/%ps0123456789_kgl\xc3\xa9 ";
  auto random_text = [&](std::size_t max_len) {
    std::string out;
    const std::size_t len = 1 + rng() % max_len;
    while (out.size() < len) {
      const char c = alphabet[rng() % alphabet.size()];
      if (c == '\xc3') {
        out += "\xc3\xa9";  // keep UTF-8 whole
      } else if (c != '\xa9') {
        out.push_back(c);
      }
    }
    return out;
  };
  for (int i = 0; i < 5000; ++i) {
    const std::string entry = random_text(12);
    const std::string name = random_text(24);
    const PageRef page{static_cast<std::int64_t>(rng() % 100), static_cast<std::int64_t>(1 + rng() % 50)};
    const A a = (i % 2) ? A::kViewMetadataLinked : A::kNextPage;
    const std::string id = make_button_id(a, entry, page, name);
    const ParsedButton p = parse_ok(id);
    ASSERT_EQ(p.action, a) << id;
    ASSERT_EQ(p.entry_id, entry) << id;
    ASSERT_EQ(p.page, page) << id;
    if (is_linked(a)) {
      ASSERT_EQ(p.package_name, name) << id;
    }
  }
}

TEST(ButtonId, ArbitraryBytesNeverCrashTheParser) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string id(rng() % 64, '\0');
    for (auto& c : id) c = "-pkgs0123456789%_etrlinkedbrowse"[rng() % 32];
    if (rng() % 4 == 0) id = "browse-linked-" + id;
    (void)parse_button_id(id);
    (void)button_entry_id(id);
  }
}

TEST(ButtonId, LegacyPlainIdsParse) {
  auto p = parse_ok("browse-files-etr_abc123-p0-s15");
  EXPECT_EQ(p.action, A::kBrowseFiles);
  EXPECT_EQ(p.entry_id, "etr_abc123");
  EXPECT_EQ(p.page, (PageRef{0, 15}));

  p = parse_ok("update-package-etr_abc123");
  EXPECT_EQ(p.action, A::kUpdatePackage);
  EXPECT_FALSE(p.page);

  for (auto id : {"next-page-plt_1-p2-s10", "prev-page-seq_1-p0-s10", "view-metadata-cus_1-p3-s15",
                  "back-to-package-dna_1", "browse-files-aa_1-p0-s15", "browse-files-rna_1-p0-s15"}) {
    parse_ok(id);
  }
  // Junk between the entry id and the page is tolerated, as the reference's re.search does.
  p = parse_ok("view-metadata-etr_1-junk-p5-s20");
  EXPECT_EQ(p.page, (PageRef{5, 20}));
  p = parse_ok("back-to-package-etr_1-junk");
  EXPECT_FALSE(p.page);
}

TEST(ButtonId, LegacyLinkedIdsParse) {
  auto p = parse_ok("browse-linked-etr_123-pkg-benchling--exp-001-p0-s15");
  EXPECT_EQ(p.action, A::kBrowseLinked);
  EXPECT_EQ(p.entry_id, "etr_123");
  EXPECT_EQ(p.package_name, "benchling/exp-001");
  EXPECT_EQ(p.page, (PageRef{0, 15}));

  p = parse_ok("next-page-linked-etr_abc-pkg-foo--bar--baz-p2-s20");
  EXPECT_EQ(p.action, A::kNextPageLinked);
  EXPECT_EQ(p.package_name, "foo/bar/baz");
  EXPECT_EQ(p.page, (PageRef{2, 20}));

  p = parse_ok("view-metadata-linked-etr_abc-pkg-team--plate-prep-p1-s15");
  EXPECT_EQ(p.action, A::kViewMetadataLinked);
  EXPECT_EQ(p.package_name, "team/plate-prep");
}

TEST(ButtonId, LinkedPrefixesWinOverPlainOnes) {
  EXPECT_EQ(parse_ok("next-page-linked-etr_1-pkg-a--b-p1-s15").action, A::kNextPageLinked);
  EXPECT_EQ(parse_ok("prev-page-linked-etr_1-pkg-a--b-p0-s15").action, A::kPrevPageLinked);
  EXPECT_EQ(parse_ok("next-page-etr_1-p1-s15").action, A::kNextPage);
}

TEST(ButtonId, ErrorsNameTheProblemAndTheId) {
  EXPECT_EQ(parse_error("nodash"), "Invalid button ID format: nodash");
  EXPECT_EQ(parse_error(""), "Invalid button ID format: ");
  EXPECT_EQ(parse_error("foo-bar"), "No entry_id found in button ID: foo-bar");
  EXPECT_EQ(parse_error("browse-files--p0-s15"), "No entry_id found in button ID: browse-files--p0-s15");
  EXPECT_EQ(parse_error("browse-files"), "No entry_id found in button ID: browse-files");
  EXPECT_EQ(parse_error("refresh-canvas-etr_1"), "Unknown button action in button ID: refresh-canvas-etr_1");
  EXPECT_EQ(parse_error("browse-linked-etr_1-p0-s15"),
            "Invalid button ID format: browse-linked-etr_1-p0-s15");
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg-a--b"),
            "Invalid button ID format: browse-linked-etr_1-pkg-a--b");
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg-a--b-p0"),
            "Invalid button ID format: browse-linked-etr_1-pkg-a--b-p0");
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg--p0-s15"),
            "Invalid button ID format: browse-linked-etr_1-pkg--p0-s15");
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg-a--b-pX-s15"),
            "Invalid page/size in button ID: browse-linked-etr_1-pkg-a--b-pX-s15");
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg-a--b-p0-s"),
            "Invalid page/size in button ID: browse-linked-etr_1-pkg-a--b-p0-s");
  EXPECT_EQ(parse_error("browse-linked--pkg-a-p0-s15"),
            "No entry_id found in button ID: browse-linked--pkg-a-p0-s15");
  EXPECT_EQ(parse_error("back-to-package-etr_%zz"), "Invalid button ID format: back-to-package-etr_%zz");
  EXPECT_EQ(parse_error("back-to-package-etr_%0A"), "Invalid button ID format: back-to-package-etr_%0A");
  EXPECT_EQ(parse_error("back-to-package-etr_%FF"), "Invalid button ID format: back-to-package-etr_%FF");
  EXPECT_EQ(parse_button_id("x-etr_1").error().code, core::ErrorCode::kInvalidArgument);
  // Control characters and non-ASCII bytes of the id are shown escaped.
  EXPECT_EQ(parse_error("x-y\n\xff"), "No entry_id found in button ID: x-y%0A%FF");
}

TEST(ButtonId, NegativeZeroAndHugePagesAreRejected) {
  // The reference accepts "-p-1" and size 0 in linked ids (a quirk that divides by zero later).
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg-a--b-p-1-s15"),
            "Invalid page/size in button ID: browse-linked-etr_1-pkg-a--b-p-1-s15");
  EXPECT_EQ(parse_error("browse-linked-etr_1-pkg-a--b-p0-s0"),
            "Invalid page/size in button ID: browse-linked-etr_1-pkg-a--b-p0-s0");
  EXPECT_EQ(parse_error("browse-files-etr_1-p0-s0"),
            "Invalid page/size in button ID: browse-files-etr_1-p0-s0");
  EXPECT_EQ(parse_error("browse-files-etr_1-p99999999999999999999-s15"),
            "Invalid page/size in button ID: browse-files-etr_1-p99999999999999999999-s15");
  EXPECT_EQ(parse_error("browse-files-etr_1-p0-s1001"),
            "Invalid page/size in button ID: browse-files-etr_1-p0-s1001");
  EXPECT_EQ(parse_ok("browse-files-etr_1-p1000000-s1000").page, (PageRef{kMaxPageNumber, kMaxPageSize}));
}

TEST(ButtonId, OverlongIdsAreRejectedWithoutEchoingThem) {
  const std::string id = "browse-files-etr_" + std::string(2000, 'a');
  const std::string msg = parse_error(id);
  EXPECT_EQ(msg, "Invalid button ID format: 2017 bytes, at most 1024 allowed");
}

TEST(ButtonId, EntryIdOfAnyButtonIncludingUnknownActions) {
  EXPECT_EQ(button_entry_id("browse-files-etr_a%2Db-p0-s15").value(), "etr_a-b");
  EXPECT_EQ(button_entry_id("refresh-canvas-etr_1").value(), "etr_1");
  EXPECT_EQ(button_entry_id("some-button-plt_9-p0-s15").value(), "plt_9");
  EXPECT_EQ(button_entry_id("submit").error().message, "No entry_id found in button ID: submit");
}

TEST(ButtonId, ActionNamesAndLinkedness) {
  EXPECT_EQ(action_name(A::kViewMetadataLinked), "view-metadata-linked");
  EXPECT_EQ(action_name(A::kBackToPackage), "back-to-package");
  EXPECT_TRUE(is_linked(A::kPrevPageLinked));
  EXPECT_FALSE(is_linked(A::kPrevPage));
}

}  // namespace
}  // namespace bw::canvas
