#include "backfill/selectors.hpp"

#include <gtest/gtest.h>

namespace bw::backfill {
namespace {

TEST(BackfillDate, ADateIsMidnightUtc) {
  EXPECT_EQ(parse_date("--modified-since", "2024-01-31").value(), "2024-01-31T00:00:00Z");
  EXPECT_EQ(parse_date("--modified-since", "2024-02-29").value(), "2024-02-29T00:00:00Z");  // a leap day
}

TEST(BackfillDate, Rfc3339TimesAreTurnedIntoUtc) {
  EXPECT_EQ(parse_date("f", "2024-01-31T12:30:00Z").value(), "2024-01-31T12:30:00Z");
  EXPECT_EQ(parse_date("f", "2024-01-31T12:30Z").value(), "2024-01-31T12:30:00Z");
  EXPECT_EQ(parse_date("f", "2024-01-31T12:30:00.75+02:00").value(), "2024-01-31T10:30:00Z");
  EXPECT_EQ(parse_date("f", "2024-01-31T23:30:00-01:00").value(), "2024-02-01T00:30:00Z");
  EXPECT_EQ(parse_date("f", "2024-01-01t00:00:00z").value(), "2024-01-01T00:00:00Z");
}

TEST(BackfillDate, ABadDateSaysWhatIsWrongAndTheForms) {
  struct Case {
    const char* text;
    const char* why;
  };
  for (const auto& c :
       {Case{"2024-02-30", "no such day"}, Case{"2023-02-29", "no such day"},
        Case{"2024-13-01", "no such day"}, Case{"yesterday", "expected YYYY-MM-DD"},
        Case{"2024-1-31", "expected YYYY-MM-DD"}, Case{"2024-01-31 12:00", "expected 'T'"},
        Case{"2024-01-31T12:00", "needs its zone"}, Case{"2024-01-31T25:00Z", "no such time"},
        Case{"2024-01-31T12:00+2", "needs its zone"}, Case{"2024-01-31T12:00:00.Z", "digits after"},
        Case{"2024-01-31T12:00+24:00", "offset"}, Case{"", "expected YYYY-MM-DD"}}) {
    auto d = parse_date("--modified-before", c.text);
    ASSERT_FALSE(d) << c.text;
    EXPECT_EQ(d.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(d.error().message.find("--modified-before is not a date"), std::string::npos);
    EXPECT_NE(d.error().message.find(c.why), std::string::npos) << c.text << ": " << d.error().message;
    EXPECT_NE(d.error().suggestion.find("2024-01-31T12:30:00Z"), std::string::npos);
    ASSERT_EQ(d.error().details.size(), 1u);
    EXPECT_EQ(d.error().details[0].second, c.text);
  }
}

TEST(BackfillQuery, NoSelectorListsEveryUnarchivedEntryNewestFirstInFullPages) {
  auto q = to_query({}).value();
  EXPECT_EQ(benchling::entries_query_string(q),
            "?pageSize=100&sort=modifiedAt%3Adesc&archiveReason=NOT_ARCHIVED");
}

TEST(BackfillQuery, EverySelectorMapsOntoItsFilter) {
  Selectors s;
  s.project = "src_1";
  s.schema = "ts_2";
  s.modified_since = "2024-01-01";
  s.modified_before = "2024-02-01T12:00:00+01:00";
  s.entry_ids = {"etr_1", "etr_2"};
  s.display_ids = {"EXP1"};
  s.include_archived = true;
  auto q = to_query(s).value();
  EXPECT_EQ(q.project_id, "src_1");
  EXPECT_EQ(q.schema_id, "ts_2");
  EXPECT_EQ(q.modified_at, "> 2024-01-01T00:00:00Z AND < 2024-02-01T11:00:00Z");
  EXPECT_EQ(q.archive_reason, "ANY_ARCHIVED_OR_NOT_ARCHIVED");
  EXPECT_EQ(q.ids, (std::vector<std::string>{"etr_1", "etr_2"}));
  EXPECT_EQ(q.display_ids, (std::vector<std::string>{"EXP1"}));
  EXPECT_EQ(q.page_size, 100);
  EXPECT_EQ(q.sort, "modifiedAt:desc");
}

TEST(BackfillQuery, OneSidedRanges) {
  Selectors s;
  s.modified_since = "2024-01-01";
  EXPECT_EQ(to_query(s).value().modified_at, "> 2024-01-01T00:00:00Z");
  s = {};
  s.modified_before = "2024-01-01";
  EXPECT_EQ(to_query(s).value().modified_at, "< 2024-01-01T00:00:00Z");
}

TEST(BackfillQuery, BadSelectorsAreRefusedNamingTheFlag) {
  Selectors s;
  s.modified_since = "2024-02-01";
  s.modified_before = "2024-02-01";
  auto q = to_query(s);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().message, "--modified-since must be earlier than --modified-before");

  s = {};
  s.entry_ids = {"etr_1", ""};
  EXPECT_EQ(to_query(s).error().message, "--entry is empty");
  s.entry_ids = {"etr_1 etr_2"};
  EXPECT_EQ(to_query(s).error().message, "--entry contains a comma, space or control character");
  s = {};
  s.project = "src 1";
  EXPECT_EQ(to_query(s).error().message, "--project contains a comma, space or control character");
  s = {};
  s.display_ids.assign(101, "EXP1");
  EXPECT_EQ(to_query(s).error().message, "too many --display-id values: 101");
  s.display_ids.assign(100, "EXP1");
  EXPECT_TRUE(to_query(s));
}

TEST(BackfillQuery, TheFingerprintNamesTheSelectionNotThePage) {
  Selectors a;
  a.project = "src_1";
  auto qa = to_query(a).value();
  auto page2 = qa;
  page2.next_token = "abc";
  EXPECT_EQ(fingerprint(qa), fingerprint(page2));
  EXPECT_EQ(fingerprint(qa).size(), 16u);
  Selectors b = a;
  b.include_archived = true;
  EXPECT_NE(fingerprint(qa), fingerprint(to_query(b).value()));
}

TEST(BackfillQuery, SelectorArgsGiveTheSelectionBack) {
  Selectors s;
  s.project = "src_1";
  s.modified_before = "2024-02-01";
  s.entry_ids = {"etr_1", "etr_2"};
  s.include_archived = true;
  EXPECT_EQ(selector_args(s),
            (std::vector<std::string>{"--project", "src_1", "--modified-before", "2024-02-01", "--entry",
                                      "etr_1", "--entry", "etr_2", "--include-archived"}));
  EXPECT_TRUE(selector_args({}).empty());
}

TEST(BackfillQuery, NamedCountIsKnownOnlyForIdSelections) {
  Selectors s;
  EXPECT_EQ(named_count(s), 0u);
  s.entry_ids = {"a", "b", "c"};
  EXPECT_EQ(named_count(s), 3u);
  s.display_ids = {"X"};
  EXPECT_EQ(named_count(s), 1u);
}

}  // namespace
}  // namespace bw::backfill
