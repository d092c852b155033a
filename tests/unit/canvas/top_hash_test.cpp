#include "canvas/top_hash.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "canvas/manifest.hpp"

namespace bw::canvas {
namespace {

// quilt3's test_top_hash_stable vector (tests/fixtures/quilt/NOTICE).
constexpr const char* kGoldenTopHash = "3426a3f721e41a1d83174c691432a39ff13720426267fc799dccf3583153e850";

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BW_FIXTURES_DIR) + "/quilt/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ManifestEntry entry(std::string key, std::string hash_type, std::string hash_value, boost::json::object meta,
                    std::uint64_t size) {
  ManifestEntry e;
  e.logical_key = std::move(key);
  e.physical_keys = {"s3://bucket/" + e.logical_key};
  e.hash = {{"type", hash_type}, {"value", hash_value}};
  e.meta = std::move(meta);
  e.size = size;
  return e;
}

// A hand-made package; expected hashes computed with CPython's json module and hashlib, walking with
// sorted(entries, key=lambda e: e.logical_key.split('/')).
ManifestHeader hand_made_header() {
  ManifestHeader h;
  h.meta =
      boost::json::parse(
          R"({"version":"v0","message":"hand made","user_meta":{"k":1.5,"z":[1,2.0,null,true],"ü":"é"}})")
          .as_object();
  return h;
}

std::vector<ManifestEntry> hand_made_entries() {
  return {
      entry("a.txt", "SHA256", "00", {}, 1),
      entry("a/b", "sha2-256-chunked", "AAAA", {{"user_meta", {{"x", "y"}}}}, 2),
      entry("a-c", "SHA256", "11", {}, 3),
      entry("\xF0\x9F\x98\x80/z.txt", "SHA256", "22", {}, 0),  // U+1F600, a directory
  };
}

TEST(TopHash, GoldenManifestFromQuilt3HashesToItsPinnedValue) {
  auto m = parse_manifest(read_fixture("top_hash_test_manifest.jsonl"));
  ASSERT_TRUE(m) << m.error().to_text();
  ASSERT_EQ(m->entries.size(), 2u);
  EXPECT_FALSE(m->header.meta.contains("top_hash")) << "the legacy member is not hashed";
  EXPECT_EQ(top_hash(m->header, m->entries), kGoldenTopHash);
}

TEST(TopHash, GoldenManifestHashDoesNotDependOnEntryOrder) {
  auto m = parse_manifest(read_fixture("top_hash_test_manifest.jsonl"));
  ASSERT_TRUE(m);
  std::reverse(m->entries.begin(), m->entries.end());
  EXPECT_EQ(top_hash(m->header, m->entries), kGoldenTopHash);
}

TEST(TopHash, GoldenManifestVerifiesWhileStreaming) {
  ManifestParser parser(nullptr, ManifestParser::Options{{}, /*compute_top_hash=*/true});
  ASSERT_TRUE(parser.feed(read_fixture("top_hash_test_manifest.jsonl")));
  ASSERT_TRUE(parser.finish());
  EXPECT_EQ(parser.top_hash().value(), kGoldenTopHash);
  EXPECT_TRUE(parser.verify(kGoldenTopHash));
  auto bad = parser.verify(std::string(64, '0'));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("does not match"), std::string::npos);
}

TEST(TopHash, HandMadePackageMatchesCPython) {
  EXPECT_EQ(top_hash(hand_made_header(), hand_made_entries()),
            "7943a7648188ab7ffc28c543438d8645bb5d4c6c4aae31cc14d1a79229e7698d");
}

TEST(TopHash, WalkOrderIsNotPlainStringOrder) {
  // Hashing in plain string order ("a-c" < "a.txt" < "a/b") gives CPython's other value: the order matters.
  auto entries = hand_made_entries();
  std::vector<std::string> walked;
  for (const auto& e : entries) walked.push_back(e.logical_key);
  std::sort(walked.begin(), walked.end(), walk_less);
  EXPECT_EQ(walked, (std::vector<std::string>{"a/b", "a-c", "a.txt", "\xF0\x9F\x98\x80/z.txt"}));
  EXPECT_NE(top_hash(hand_made_header(), entries),
            "e1add07820cd6f08550ddbaf3504f90f23a07b7d1a8fe72b6c31cc85d5173456");
}

TEST(TopHash, WalkLessComparesPathComponents) {
  EXPECT_TRUE(walk_less("a/b", "a.txt"));  // directory "a" < file "a.txt"
  EXPECT_FALSE(walk_less("a.txt", "a/b"));
  EXPECT_TRUE(walk_less("a/z", "a0"));
  EXPECT_TRUE(walk_less("a/b/c", "a/b.txt"));
  EXPECT_TRUE(walk_less("B", "a"));         // code point order: uppercase first
  EXPECT_TRUE(walk_less("z", "\xC3\xA9"));  // U+00E9 after ASCII
  EXPECT_FALSE(walk_less("a", "a"));
}

TEST(TopHash, BuilderMatchesTopHashAndRejectsDuplicateKeys) {
  TopHashBuilder builder(hand_made_header().meta);
  for (const auto& e : hand_made_entries()) builder.add(e);
  EXPECT_EQ(builder.finish().value(), "7943a7648188ab7ffc28c543438d8645bb5d4c6c4aae31cc14d1a79229e7698d");

  TopHashBuilder dup(hand_made_header().meta);
  dup.add(entry("x/y", "SHA256", "00", {}, 1));
  dup.add(entry("x/z", "SHA256", "00", {}, 1));
  dup.add(entry("x/y", "SHA256", "01", {}, 1));
  auto r = dup.finish();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'x/y' twice"), std::string::npos) << r.error().message;
}

TEST(TopHash, BuilderRejectsAKeyThatIsBothFileAndDirectory) {
  TopHashBuilder b(hand_made_header().meta);
  b.add(entry("a/b/c", "SHA256", "00", {}, 1));
  b.add(entry("a/b.txt", "SHA256", "00", {}, 1));
  b.add(entry("a/b", "SHA256", "00", {}, 1));
  auto r = b.finish();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'a/b' as a file and as a directory"), std::string::npos)
      << r.error().message;
}

// Expected strings below are CPython 3's json.dumps(..., sort_keys=True, separators=(",", ":")).
TEST(PythonJson, EscapesNonAsciiAsLowercaseUEscapesWithSurrogatePairs) {
  boost::json::value v = boost::json::parse(
      "{\"b\":1,\"a\":\"\\u00e9\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u007f/\xF0\x9F\x98\x80\",\"\xC3\xA9\":null,"
      "\"A\":[true,false]}");
  EXPECT_EQ(python_json(v),
            R"({"A":[true,false],"a":"\u00e9\"\\\n\r\t\b\f\u0001\u007f/\ud83d\ude00","b":1,"\u00e9":null})");
}

TEST(PythonJson, CyrillicKeyAsInTheGoldenManifest) {
  EXPECT_EQ(python_json(boost::json::value("\xD0\xBA\xD1\x83\xD0\xB8\xD0\xBB\xD1\x82.txt")),
            R"("\u043a\u0443\u0438\u043b\u0442.txt")");
}

TEST(PythonJson, InvalidUtf8BytesBecomeReplacementCharacter) {
  EXPECT_EQ(python_json(boost::json::value(std::string("a\xFFz"))), R"("a\ufffdz")");
  EXPECT_EQ(python_json(boost::json::value(std::string("\xC3"))), R"("\ufffd")");  // truncated sequence
}

TEST(PythonJson, FloatsFollowPythonRepr) {
  const std::vector<std::pair<double, std::string>> cases = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {1.5, "1.5"},
      {100.0, "100.0"},
      {0.1, "0.1"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {9999999999999998.0, "9999999999999998.0"},
      {1.2345678901234568e+17, "1.2345678901234568e+17"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-2.5e-7, "-2.5e-07"},
      {123456.789, "123456.789"},
      {1e22, "1e+22"},
      {3.14159, "3.14159"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
  };
  for (const auto& [d, expected] : cases) EXPECT_EQ(python_json(boost::json::value(d)), expected) << expected;
}

TEST(PythonJson, IntegersStayIntegersAndParsedFloatsStayFloats) {
  EXPECT_EQ(python_json(boost::json::parse("[1,-2,18446744073709551615,1.0,1e2,-0]")),
            "[1,-2,18446744073709551615,1.0,100.0,0]");
}

TEST(TopHash, IsTopHashWantsSixtyFourLowercaseHexDigits) {
  EXPECT_TRUE(is_top_hash(kGoldenTopHash));
  EXPECT_FALSE(is_top_hash(std::string(kGoldenTopHash).substr(1)));
  std::string upper = kGoldenTopHash;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_FALSE(is_top_hash(upper));
  EXPECT_FALSE(is_top_hash(std::string(63, 'a') + "g"));
}

}  // namespace
}  // namespace bw::canvas
