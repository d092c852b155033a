#include "canvas/manifest.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "canvas/top_hash.hpp"

namespace bw::canvas {
namespace {

// A small manifest as quilt3 writes it (ensure_ascii=False), with a directory-metadata line.
const std::string kManifest =
    "{\"version\": \"v0\", \"message\": \"Benchling webhook payload\", \"user_meta\": {\"entry_id\": "
    "\"etr_123\", \"n\": 2}, \"workflow\": {\"id\": \"benchling\", \"config\": \"s3://b/.quilt/workflows/"
    "config.yml\"}}\n"
    "{\"logical_key\": \"data/\", \"meta\": {\"user_meta\": {\"dir\": true}}}\n"
    "{\"logical_key\": \"entry.json\", \"physical_keys\": [\"s3://b/pkg/entry.json?versionId=v1\"], "
    "\"size\": 42, \"hash\": {\"type\": \"sha2-256-chunked\", \"value\": \"q83vEjRWeJA=\"}, \"meta\": {}}\n"
    "{\"logical_key\": \"data/\xC3\xA9t\xC3\xA9.csv\", \"physical_keys\": "
    "[\"s3://b/pkg/data/%C3%A9t%C3%A9.csv\"], "
    "\"size\": 1024, \"hash\": {\"type\": \"SHA256\", \"value\": \"ab\"}, \"meta\": {\"user_meta\": {\"x\": "
    "1}}}\n";

struct Collected {
  std::vector<ManifestEntry> entries;
  ManifestParser::EntryFn sink() {
    return [this](ManifestEntry&& e) -> core::Result<void> {
      entries.push_back(std::move(e));
      return {};
    };
  }
};

std::vector<std::string> keys(const std::vector<ManifestEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.logical_key);
  return out;
}

core::Error parse_error(std::string_view text, ManifestLimits limits = {}) {
  auto r = parse_manifest(text, limits);
  EXPECT_FALSE(r) << "parsed: " << text;
  return r ? core::Error{} : r.error();
}

std::string header() {
  return "{\"version\":\"v0\"}\n";
}

std::string file_line(std::string key, std::string extra = "") {
  return "{\"logical_key\":\"" + key +
         "\",\"physical_keys\":[\"s3://b/k\"],\"size\":1,\"hash\":{\"type\":\"SHA256\",\"value\":\"00\"}" +
         extra + "}\n";
}

TEST(Manifest, ParsesHeaderFilesAndSkipsDirectoryMetadata) {
  auto m = parse_manifest(kManifest);
  ASSERT_TRUE(m) << m.error().to_text();
  EXPECT_EQ(m->header.version(), "v0");
  EXPECT_EQ(m->header.message(), "Benchling webhook payload");
  EXPECT_EQ(m->header.user_meta().at("entry_id"), "etr_123");
  EXPECT_TRUE(m->header.meta.contains("workflow"));
  EXPECT_EQ(m->directory_meta_count, 1u);
  ASSERT_EQ(keys(m->entries), (std::vector<std::string>{"entry.json", "data/\xC3\xA9t\xC3\xA9.csv"}));
  const ManifestEntry& e = m->entries[0];
  EXPECT_EQ(e.physical_keys, std::vector<std::string>{"s3://b/pkg/entry.json?versionId=v1"});
  EXPECT_EQ(e.size, 42u);
  EXPECT_EQ(e.hash_type(), "sha2-256-chunked");
  EXPECT_EQ(e.hash_value(), "q83vEjRWeJA=");
  EXPECT_TRUE(e.meta.empty());
  EXPECT_EQ(m->entries[1].meta.at("user_meta").at("x"), 1);
}

TEST(Manifest, HeaderDropsLegacyTopHashOnly) {
  auto m = parse_manifest(
      "{\"version\":\"v0\",\"top_hash\":{\"alg\":\"v0\",\"value\":\"ab\"},\"message\":null}\n");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->header.meta.contains("top_hash"));
  EXPECT_TRUE(m->header.meta.contains("message"));
  EXPECT_EQ(m->header.message(), std::nullopt);
  EXPECT_TRUE(m->header.user_meta().is_null());
  EXPECT_TRUE(m->entries.empty());
}

TEST(Manifest, EveryTwoChunkSplitGivesTheSameResult) {
  const auto whole = parse_manifest(kManifest).value();
  for (std::size_t split = 0; split <= kManifest.size(); ++split) {
    Collected got;
    ManifestParser parser(got.sink());
    ASSERT_TRUE(parser.feed(std::string_view(kManifest).substr(0, split))) << split;
    ASSERT_TRUE(parser.feed(std::string_view(kManifest).substr(split))) << split;
    ASSERT_TRUE(parser.finish()) << split;
    ASSERT_EQ(keys(got.entries), keys(whole.entries)) << split;
    EXPECT_EQ(got.entries[1].size, 1024u) << split;
    EXPECT_EQ(got.entries[1].meta, whole.entries[1].meta) << split;
    EXPECT_EQ(parser.header()->meta, whole.header.meta) << split;
    EXPECT_EQ(parser.directory_meta_count(), 1u) << split;
  }
}

TEST(Manifest, ByteAtATimeWithCrlfAndNoFinalNewlineGivesTheSameResult) {
  std::string crlf;
  for (char c : kManifest) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  crlf.pop_back();  // no newline after the last record
  Collected got;
  ManifestParser parser(got.sink(), ManifestParser::Options{{}, /*compute_top_hash=*/true});
  for (char c : crlf) ASSERT_TRUE(parser.feed(std::string_view(&c, 1)));
  ASSERT_TRUE(parser.finish());
  EXPECT_EQ(keys(got.entries), keys(parse_manifest(kManifest)->entries));
  auto whole = parse_manifest(kManifest).value();
  EXPECT_EQ(parser.top_hash().value(), top_hash(whole.header, whole.entries));
}

TEST(Manifest, BlankLinesAreSkippedButCounted) {
  auto r = parse_manifest(header() + "\n  \n" + file_line("a") + "{oops}\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 5 "), std::string::npos) << r.error().message;
}

TEST(Manifest, MalformedJsonNamesItsLine) {
  const auto e = parse_error(header() + file_line("a") + "{\"logical_key\": \"b\", \n" + file_line("c"));
  EXPECT_EQ(e.code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message.find("manifest line 3 is not valid JSON"), std::string::npos) << e.message;
  EXPECT_FALSE(e.suggestion.empty());
}

TEST(Manifest, RecordLongerThanTheLimitFailsBeforeItsNewlineArrives) {
  ManifestParser::Options opts;
  opts.limits.max_record_bytes = 64;
  ManifestParser parser(nullptr, opts);
  ASSERT_TRUE(parser.feed(header()));
  // 200 bytes of one line without a newline: refused at once, never buffered past the limit.
  auto r = parser.feed(std::string(200, 'x'));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("manifest line 2 is longer than 64 bytes"), std::string::npos)
      << r.error().message;
  // A failed parser stays failed.
  EXPECT_FALSE(parser.feed("\n"));
  EXPECT_FALSE(parser.finish());
}

TEST(Manifest, RecordOfExactlyTheLimitIsAccepted) {
  const std::string line = file_line("a");  // includes its '\n'
  ManifestLimits limits;
  limits.max_record_bytes = line.size() - 1;
  EXPECT_TRUE(parse_manifest(header() + line, limits));
  EXPECT_TRUE(parse_manifest(header() + line.substr(0, line.size() - 1) + "\r\n", limits))
      << "CR not counted";
  limits.max_record_bytes = line.size() - 2;
  EXPECT_NE(parse_error(header() + line, limits).message.find("line 2 is longer"), std::string::npos);
}

TEST(Manifest, DefaultRecordLimitIsQuilt3sMillionBytes) {
  EXPECT_EQ(ManifestLimits{}.max_record_bytes, 1'000'000u);
  const std::string big =
      file_line("a", ",\"meta\":{\"user_meta\":{\"pad\":\"" + std::string(1'000'000, 'p') + "\"}}");
  EXPECT_NE(parse_error(header() + big).message.find("line 2 is longer than 1000000 bytes"),
            std::string::npos);
}

TEST(Manifest, TooManyEntriesIsAnError) {
  ManifestLimits limits;
  limits.max_entries = 2;
  EXPECT_TRUE(parse_manifest(header() + file_line("a") + file_line("b"), limits));
  const auto e = parse_error(header() + file_line("a") + file_line("b") + file_line("c"), limits);
  EXPECT_NE(e.message.find("line 4 exceeds the limit of 2 entries"), std::string::npos) << e.message;
}

TEST(Manifest, EmptyInputHasNoHeader) {
  EXPECT_NE(parse_error("").message.find("no header"), std::string::npos);
  EXPECT_NE(parse_error("\n\n").message.find("no header"), std::string::npos);
}

TEST(Manifest, RejectsRecordsThatAreNotFileEntries) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[1,2]\n", "line 1 is not a JSON object"},
      {header() + "42\n", "line 2 is not a JSON object"},
      {header() + "{\"physical_keys\":[\"s3://b/k\"]}\n", "no string \"logical_key\""},
      {header() + "{\"logical_key\":7,\"physical_keys\":[\"s3://b/k\"]}\n", "no string \"logical_key\""},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":\"s3://b/k\"}\n", "not an array"},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[3]}\n", "physical key that is not"},
      {header() + "{\"logical_key\":\"a/\",\"physical_keys\":[\"s3://b/k\"],\"size\":1}\n", "ending in '/'"},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[\"s3://b/k\"]}\n", "\"size\""},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[\"s3://b/k\"],\"size\":-1}\n", "\"size\""},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[\"s3://b/k\"],\"size\":1.0}\n", "\"size\""},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[\"s3://b/k\"],\"size\":\"1\"}\n", "\"size\""},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[\"s3://b/k\"],\"size\":1}\n", "\"hash\""},
      {header() + "{\"logical_key\":\"a\",\"physical_keys\":[\"s3://b/"
                  "k\"],\"size\":1,\"hash\":{\"type\":\"SHA256\"}}\n",
       "\"hash\""},
      {header() + file_line("a", ",\"meta\":[]"), "\"meta\" that is not an object"},
      {header() + "{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}\n",
       "line 2 is not valid JSON"},
      {header() + "{\"logical_key\":\"\xFF\"}\n", "line 2 is not valid JSON"},  // invalid UTF-8
  };
  for (const auto& [text, expected] : cases) {
    const auto e = parse_error(text);
    EXPECT_EQ(e.code, core::ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(e.message.find(expected), std::string::npos) << "got: " << e.message << "\nfor: " << text;
    EXPECT_FALSE(e.details.empty()) << text;
  }
}

TEST(Manifest, NullOrMissingMetaIsEmptyAndEmptyPhysicalKeysIsDirectoryMetadata) {
  auto m = parse_manifest(header() + file_line("a", ",\"meta\":null") + file_line("b") +
                          "{\"logical_key\":\"d/\",\"physical_keys\":[],\"meta\":{}}\n" +
                          "{\"logical_key\":\"e/\",\"physical_keys\":null}\n");
  ASSERT_TRUE(m) << m.error().to_text();
  ASSERT_EQ(m->entries.size(), 2u);
  EXPECT_TRUE(m->entries[0].meta.empty());
  EXPECT_TRUE(m->entries[1].meta.empty());
  EXPECT_EQ(m->directory_meta_count, 2u);
}

TEST(Manifest, AnErrorFromTheEntryCallbackStopsTheParse) {
  int seen = 0;
  ManifestParser parser([&](ManifestEntry&&) -> core::Result<void> {
    if (++seen == 2) return core::make_error(core::ErrorCode::kInternal, "enough");
    return {};
  });
  auto r = parser.feed(header() + file_line("a") + file_line("b") + file_line("c"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "enough");
  EXPECT_EQ(seen, 2);
}

TEST(Manifest, TopHashIsUnavailableWithoutComputeOrBeforeFinish) {
  ManifestParser parser(nullptr);
  ASSERT_TRUE(parser.feed(kManifest));
  EXPECT_EQ(parser.top_hash().error().code, core::ErrorCode::kInternal);
  ASSERT_TRUE(parser.finish());
  EXPECT_EQ(parser.top_hash().error().code, core::ErrorCode::kInternal);
}

TEST(Manifest, VerifyReportsDuplicateLogicalKeys) {
  ManifestParser parser(nullptr, ManifestParser::Options{{}, true});
  ASSERT_TRUE(parser.feed(header() + file_line("a") + file_line("a")));
  ASSERT_TRUE(parser.finish());
  auto r = parser.verify(std::string(64, '0'));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("twice"), std::string::npos);
}

TEST(Manifest, DuplicateJsonMembersKeepTheLastLikePython) {
  auto m = parse_manifest(header() + file_line("a", ",\"meta\":{\"k\":1,\"k\":2}"));
  ASSERT_TRUE(m);
  EXPECT_EQ(python_json(m->entries[0].meta), "{\"k\":2}");
}

}  // namespace
}  // namespace bw::canvas
