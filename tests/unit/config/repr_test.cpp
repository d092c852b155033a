#include "config/repr.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bw::config {
namespace {

std::string repr_of(std::string_view json_text) {
  return py_repr(boost::json::parse(json_text));
}

TEST(PyRepr, ScalarsRenderAsPythonWould) {
  EXPECT_EQ(repr_of("null"), "None");
  EXPECT_EQ(repr_of("true"), "True");
  EXPECT_EQ(repr_of("false"), "False");
  EXPECT_EQ(repr_of("42"), "42");
  EXPECT_EQ(repr_of("-7"), "-7");
  EXPECT_EQ(repr_of("18446744073709551615"), "18446744073709551615");
}

TEST(PyRepr, FloatsUsePythonShortestFormWithPointZeroAndExponentRules) {
  EXPECT_EQ(repr_of("1.0"), "1.0");
  EXPECT_EQ(repr_of("1.5"), "1.5");
  EXPECT_EQ(repr_of("-2.5"), "-2.5");
  EXPECT_EQ(repr_of("0.1"), "0.1");
  EXPECT_EQ(repr_of("0.0001"), "0.0001");
  EXPECT_EQ(repr_of("0.00001"), "1e-05");
  EXPECT_EQ(repr_of("123456789012345.0"), "123456789012345.0");
  EXPECT_EQ(repr_of("1e15"), "1000000000000000.0");
  EXPECT_EQ(repr_of("1e16"), "1e+16");
  EXPECT_EQ(repr_of("1.25e100"), "1.25e+100");
  EXPECT_EQ(repr_of("0.0"), "0.0");
}

TEST(PyRepr, StringsAreSingleQuotedUnlessTheyHoldOnlySingleQuotes) {
  EXPECT_EQ(repr_of(R"("")"), "''");
  EXPECT_EQ(repr_of(R"("yes")"), "'yes'");
  EXPECT_EQ(repr_of(R"("it's")"), "\"it's\"");
  EXPECT_EQ(repr_of(R"("it's \"x\"")"), R"('it\'s "x"')");
  EXPECT_EQ(repr_of(R"("a\\b\n\t\u0001")"), R"('a\\b\n\t\x01')");
  EXPECT_EQ(repr_of(R"("caf\u00e9")"), "'caf\xc3\xa9'");
}

TEST(PyRepr, ContainersUsePythonSeparators) {
  EXPECT_EQ(repr_of("[]"), "[]");
  EXPECT_EQ(repr_of("{}"), "{}");
  EXPECT_EQ(repr_of(R"([1, "a", null, [true]])"), "[1, 'a', None, [True]]");
  EXPECT_EQ(repr_of(R"({"k": null, "n": 2})"), "{'k': None, 'n': 2}");
}

TEST(PyRepr, LongValuesAreCutWithEllipsis) {
  boost::json::array big;
  for (int i = 0; i < 100000; ++i) big.push_back(i);
  const auto r = py_repr(big, 50);
  EXPECT_EQ(r.size(), 53u);
  EXPECT_TRUE(r.starts_with("[0, 1, 2"));
  EXPECT_TRUE(r.ends_with("..."));
}

TEST(PyStr, StringsAreUnquotedOtherValuesAreRepr) {
  EXPECT_EQ(py_str(boost::json::value("info")), "info");
  EXPECT_EQ(py_str(boost::json::value(nullptr)), "None");
  EXPECT_EQ(py_str(boost::json::value(20)), "20");
}

TEST(TruncateForDisplay, CutsOnUtf8Boundary) {
  EXPECT_EQ(truncate_for_display("short", 10), "short");
  EXPECT_EQ(truncate_for_display("abcdef", 3), "abc...");
  // "é" is two bytes; cutting inside it backs up to before it.
  EXPECT_EQ(truncate_for_display("ab\xc3\xa9z", 3), "ab...");
}

}  // namespace
}  // namespace bw::config
