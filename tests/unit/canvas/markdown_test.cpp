#include "canvas/markdown.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace bw::canvas {
namespace {

namespace json = boost::json;

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(BW_FIXTURES_DIR) + "/canvas/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every expected value below was produced by the reference's linkify_urls under CPython 3.
TEST(Linkify, PlainUrlBecomesALink) {
  EXPECT_EQ(linkify_urls("Check https://example.com for more"),
            "Check [https://example.com](https://example.com) for more");
}

TEST(Linkify, AlreadyLinkedOrParenthesizedUrlsAreLeftAlone) {
  EXPECT_EQ(linkify_urls("[https://a.com](https://a.com)"), "[https://a.com](https://a.com)");
  EXPECT_EQ(linkify_urls("(https://a.com)"), "(https://a.com)");
  EXPECT_EQ(linkify_urls("See [the docs](https://docs.quilt.bio/)"),
            "See [the docs](https://docs.quilt.bio/)");
}

TEST(Linkify, ClosingBracketAfterUrlMakesTheRegexGiveBackOneCharacter) {
  EXPECT_EQ(linkify_urls("see https://x.io)"), "see [https://x.i](https://x.i)o)");
  EXPECT_EQ(linkify_urls("https://a.com]"), "[https://a.co](https://a.co)m]");
  EXPECT_EQ(linkify_urls("http://a)"), "http://a)");
  EXPECT_EQ(linkify_urls("x http://a) y"), "x http://a) y");
  EXPECT_EQ(linkify_urls("(http://in.paren/x?u=http://b.com)"),
            "(http://in.paren/x?u=[http://b.co](http://b.co)m)");
}

TEST(Linkify, UrlEndsAtWhitespaceOrAngleBracket) {
  EXPECT_EQ(linkify_urls("two http://a.b/c and https://d.e/f?g=1&h=2."),
            "two [http://a.b/c](http://a.b/c) and [https://d.e/f?g=1&h=2.](https://d.e/f?g=1&h=2.)");
  EXPECT_EQ(linkify_urls("<https://a.com/x>"), "<[https://a.com/x](https://a.com/x)>");
  EXPECT_EQ(linkify_urls("https://a.com\u00a0tail"), "[https://a.com](https://a.com)\u00a0tail");
  EXPECT_EQ(linkify_urls("https://a.com\x1ftail"), "[https://a.com](https://a.com)\x1ftail");
}

TEST(Linkify, NonAsciiUrlCharactersAreKept) {
  EXPECT_EQ(linkify_urls("https://ü.example/päth next"),
            "[https://ü.example/päth](https://ü.example/päth) next");
}

TEST(Linkify, OnlyLowercaseSchemeWithABodyMatches) {
  EXPECT_EQ(linkify_urls("HTTP://upper.com"), "HTTP://upper.com");
  EXPECT_EQ(linkify_urls("https://"), "https://");
  EXPECT_EQ(linkify_urls("https:// x"), "https:// x");
  EXPECT_EQ(linkify_urls("nohttp://x.y"), "no[http://x.y](http://x.y)");
  EXPECT_EQ(linkify_urls("https://a.com/https://b.com"),
            "[https://a.com/https://b.com](https://a.com/https://b.com)");
  EXPECT_EQ(linkify_urls(""), "");
}

TEST(Linkify, LongInputIsLinear) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "http://a) ";
  EXPECT_EQ(linkify_urls(text), text);  // nothing matches, and it returns at once
}

TEST(PythonStr, ScalarsAndContainersPrintAsPythonWould) {
  EXPECT_EQ(python_str(json::value("text")), "text");
  EXPECT_EQ(python_str(json::value(nullptr)), "None");
  EXPECT_EQ(python_str(json::value(true)), "True");
  EXPECT_EQ(python_str(json::value(7)), "7");
  EXPECT_EQ(
      python_str(json::parse(
          R"([1,"a",null,true,1.5,["x's"],{"k":"v","n":null},"say \"hi\"","both ' \"","tab\there\n"])")),
      R"([1, 'a', None, True, 1.5, ["x's"], {'k': 'v', 'n': None}, 'say "hi"', 'both \' "', 'tab\there\n'])");
}

TEST(PythonStr, FloatsUseReprForm) {
  const std::pair<double, const char*> cases[] = {
      {1.0, "1.0"},
      {0.1, "0.1"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1.5e300, "1.5e+300"},
      {-2.5, "-2.5"},
      {1e-7, "1e-07"},
      {3.14159, "3.14159"},
      {100.0, "100.0"},
      {2.5e-5, "2.5e-05"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
  };
  for (const auto& [d, want] : cases) EXPECT_EQ(python_str(json::value(d)), want) << d;
}

TEST(DictToMarkdown, MatchesTheReferenceOnNestedMetadata) {
  // metadata_markdown.json is the reference's dict_to_markdown_list(json.load(metadata_input.json)) under
  // CPython.
  const json::object input = json::parse(read_fixture("metadata_input.json")).as_object();
  const json::string want = json::parse(read_fixture("metadata_markdown.json")).as_string();
  EXPECT_EQ(dict_to_markdown_list(input), std::string(want));
}

TEST(DictToMarkdown, NullBoolAndIndentation) {
  const auto obj = json::parse(R"({"a":null,"b":{"c":false,"d":[{"e":1}]}})").as_object();
  EXPECT_EQ(dict_to_markdown_list(obj),
            "- **a**: *null*\n- **b**:\n  - **c**: false\n  - **d**:\n    1.\n      - **e**: 1\n");
  EXPECT_EQ(dict_to_markdown_list(obj, 1).substr(0, 4), "  - ");
}

TEST(DictToMarkdown, DeepNestingIsCutOffInsteadOfRecursingWithoutBound) {
  json::object root;
  json::object* cur = &root;
  for (int i = 0; i < 200; ++i) cur = &(*cur)["k"].emplace_object();
  const std::string md = dict_to_markdown_list(root);
  EXPECT_NE(md.find("- …\n"), std::string::npos);
  EXPECT_LT(md.size(), 200u * 200u);
}

}  // namespace
}  // namespace bw::canvas
