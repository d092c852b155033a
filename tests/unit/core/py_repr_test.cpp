#include "core/py_repr.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace bw::core {
namespace {

// Every expected string below is what python3 (3.11) printed for repr() of the same value, e.g.
//   python3 -c 'print(repr(b"\xc2\x80\xc2\x85\xc2\x9f".decode()))'  ->  '\x80\x85\x9f'
struct StrCase {
  const char* utf8;
  const char* repr;
};

TEST(PyRepr, StrMatchesPython) {
  const StrCase cases[] = {
      {"abc", R"('abc')"},
      {"it's", R"("it's")"},
      {R"(say "hi")", R"('say "hi"')"},
      {R"(both ' and ")", R"('both \' and "')"},
      {R"(back\slash)", R"('back\\slash')"},
      {"\n\r\t", R"('\n\r\t')"},
      {"", "''"},
      {"\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80",
       "'\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80'"},
      {"\xe2\x80\xa8\xe2\x80\xa9", R"('\u2028\u2029')"},  // line and paragraph separators
      {"\xe2\x80\x8b\xe2\x80\x8e", R"('\u200b\u200e')"},  // zero-width space, left-to-right mark
      {"\xef\xbb\xbf", R"('\ufeff')"},                    // byte order mark
      {"\xe3\x80\x80\xe1\x9a\x80", R"('\u3000\u1680')"},  // ideographic and ogham spaces
      {"\xee\x80\x80", R"('\ue000')"},                    // private use
      {"\xf3\xb0\x80\x80", R"('\U000f0000')"},            // supplementary private use
      {"\xf3\xa0\x80\x81", R"('\U000e0001')"},            // language tag
  };
  for (const auto& c : cases) EXPECT_EQ(py_repr_str(c.utf8), c.repr) << c.utf8;
}

// The first and last code point of every range Python does not print, and their assigned neighbours
// (printed as is), in one string; the expected text is python3's repr() of it:
//   cps = sorted({c for a, b in RANGES for c in (a - 1, a, b, b + 1) if <assigned, not ' \\ \n \r \t>})
//   repr("".join(map(chr, cps)))
TEST(PyRepr, EveryRangeEdgeMatchesPython) {
  static constexpr char kText[] =
      "\x00"
      "\x1f"
      " ~\x7f"
      "\xc2"
      "\xa0"
      "\xc2"
      "\xa1"
      "\xc2"
      "\xac"
      "\xc2"
      "\xad"
      "\xc2"
      "\xae"
      "\xd8"
      "\x80"
      "\xd8"
      "\x85"
      "\xd8"
      "\x86"
      "\xd8"
      "\x9b"
      "\xd8"
      "\x9c"
      "\xd8"
      "\x9d"
      "\xdb"
      "\x9c"
      "\xdb"
      "\x9d"
      "\xdb"
      "\x9e"
      "\xdc"
      "\x8f"
      "\xdc"
      "\x90"
      "\xe0"
      "\xa2"
      "\x90"
      "\xe0"
      "\xa2"
      "\x91"
      "\xe0"
      "\xa3"
      "\xa1"
      "\xe0"
      "\xa3"
      "\xa2"
      "\xe0"
      "\xa3"
      "\xa3"
      "\xe1"
      "\x99"
      "\xbf"
      "\xe1"
      "\x9a"
      "\x80"
      "\xe1"
      "\x9a"
      "\x81"
      "\xe1"
      "\xa0"
      "\x8d"
      "\xe1"
      "\xa0"
      "\x8e"
      "\xe1"
      "\xa0"
      "\x8f"
      "\xe2"
      "\x80"
      "\x80"
      "\xe2"
      "\x80"
      "\x8f"
      "\xe2"
      "\x80"
      "\x90"
      "\xe2"
      "\x80"
      "\xa7"
      "\xe2"
      "\x80"
      "\xa8"
      "\xe2"
      "\x80"
      "\xaf"
      "\xe2"
      "\x80"
      "\xb0"
      "\xe2"
      "\x81"
      "\x9e"
      "\xe2"
      "\x81"
      "\x9f"
      "\xe2"
      "\x81"
      "\xa4"
      "\xe2"
      "\x81"
      "\xa6"
      "\xe2"
      "\x81"
      "\xaf"
      "\xe2"
      "\x81"
      "\xb0"
      "\xe3"
      "\x80"
      "\x80"
      "\xe3"
      "\x80"
      "\x81"
      "\xee"
      "\x80"
      "\x80"
      "\xef"
      "\xa3"
      "\xbf"
      "\xef"
      "\xa4"
      "\x80"
      "\xef"
      "\xbb"
      "\xbf"
      "\xef"
      "\xbf"
      "\xb9"
      "\xef"
      "\xbf"
      "\xbb"
      "\xef"
      "\xbf"
      "\xbc"
      "\xf0"
      "\x91"
      "\x82"
      "\xbc"
      "\xf0"
      "\x91"
      "\x82"
      "\xbd"
      "\xf0"
      "\x91"
      "\x82"
      "\xbe"
      "\xf0"
      "\x91"
      "\x83"
      "\x8d"
      "\xf0"
      "\x93"
      "\x90"
      "\xb0"
      "\xf0"
      "\x93"
      "\x90"
      "\xb8"
      "\xf0"
      "\x9b"
      "\xb2"
      "\x9f"
      "\xf0"
      "\x9b"
      "\xb2"
      "\xa0"
      "\xf0"
      "\x9b"
      "\xb2"
      "\xa3"
      "\xf0"
      "\x9d"
      "\x85"
      "\xb2"
      "\xf0"
      "\x9d"
      "\x85"
      "\xb3"
      "\xf0"
      "\x9d"
      "\x85"
      "\xba"
      "\xf0"
      "\x9d"
      "\x85"
      "\xbb"
      "\xf3"
      "\xa0"
      "\x80"
      "\x81"
      "\xf3"
      "\xa0"
      "\x80"
      "\xa0"
      "\xf3"
      "\xa0"
      "\x81"
      "\xbf"
      "\xf3"
      "\xb0"
      "\x80"
      "\x80"
      "\xf3"
      "\xbf"
      "\xbf"
      "\xbd"
      "\xf4"
      "\x80"
      "\x80"
      "\x80"
      "\xf4"
      "\x8f"
      "\xbf"
      "\xbd"
      "";
  const std::string text(kText, sizeof kText - 1);  // it starts with U+0000
  const std::string expected =
      "'\\x00\\x1f ~\\x7f\\xa0\xc2"
      "\xa1"
      "\xc2"
      "\xac"
      "\\xad\xc2"
      "\xae"
      "\\u0600\\u0605\xd8"
      "\x86"
      "\xd8"
      "\x9b"
      "\\u061c\xd8"
      "\x9d"
      "\xdb"
      "\x9c"
      "\\u06dd\xdb"
      "\x9e"
      "\\u070f\xdc"
      "\x90"
      "\\u0890\\u0891\xe0"
      "\xa3"
      "\xa1"
      "\\u08e2\xe0"
      "\xa3"
      "\xa3"
      "\xe1"
      "\x99"
      "\xbf"
      "\\u1680\xe1"
      "\x9a"
      "\x81"
      "\xe1"
      "\xa0"
      "\x8d"
      "\\u180e\xe1"
      "\xa0"
      "\x8f"
      "\\u2000\\u200f\xe2"
      "\x80"
      "\x90"
      "\xe2"
      "\x80"
      "\xa7"
      "\\u2028\\u202f\xe2"
      "\x80"
      "\xb0"
      "\xe2"
      "\x81"
      "\x9e"
      "\\u205f\\u2064\\u2066\\u206f\xe2"
      "\x81"
      "\xb0"
      "\\u3000\xe3"
      "\x80"
      "\x81"
      "\\ue000\\uf8ff\xef"
      "\xa4"
      "\x80"
      "\\ufeff\\ufff9\\ufffb\xef"
      "\xbf"
      "\xbc"
      "\xf0"
      "\x91"
      "\x82"
      "\xbc"
      "\\U000110bd\xf0"
      "\x91"
      "\x82"
      "\xbe"
      "\\U000110cd\\U00013430\\U00013438\xf0"
      "\x9b"
      "\xb2"
      "\x9f"
      "\\U0001bca0\\U0001bca3\xf0"
      "\x9d"
      "\x85"
      "\xb2"
      "\\U0001d173\\U0001d17a\xf0"
      "\x9d"
      "\x85"
      "\xbb"
      "\\U000e0001\\U000e0020\\U000e007f\\U000f0000\\U000ffffd\\U00100000\\U0010fffd'";
  EXPECT_EQ(py_repr_str(text), expected);
}

TEST(PyRepr, ControlCharactersC0AndDelAreEscaped) {
  EXPECT_EQ(py_repr_str(std::string_view("\x00\x1f\x7f", 3)), R"('\x00\x1f\x7f')");
}

// The two writers this one replaced disagreed here: Python escapes C1 controls (U+0080-U+009F), and
// U+00A0 and U+00AD, since str.isprintable() refuses them.
TEST(PyRepr, C1ControlsNoBreakSpaceAndSoftHyphenAreEscapedAsPythonDoes) {
  EXPECT_EQ(py_repr_str("\xc2\x80\xc2\x85\xc2\x9f"), R"('\x80\x85\x9f')");
  EXPECT_EQ(py_repr_str("\xc2\xa0\xc2\xad"), R"('\xa0\xad')");
  EXPECT_EQ(py_repr_str("\xc2\xa1"), "'\xc2\xa1'");  // U+00A1, printable
}

// Not Python's (a str cannot hold such a byte): kept visible rather than copied into the output.
TEST(PyRepr, AByteThatIsNotUtf8IsWrittenAsAnEscape) {
  EXPECT_EQ(py_repr_str("a\xff"
                        "b"),
            R"('a\xffb')");
  EXPECT_EQ(py_repr_str("\xc3"), R"('\xc3')");  // cut short
}

TEST(PyRepr, FloatsMatchPython) {
  const std::pair<double, const char*> cases[] = {
      {1.0, "1.0"},
      {0.0001, "0.0001"},
      {1e-05, "1e-05"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {0.1, "0.1"},
      {-2.5, "-2.5"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {123.456, "123.456"},
      {-0.0, "-0.0"},
      {0.0, "0.0"},
      {1.5e-07, "1.5e-07"},
      {9999999999999998.0, "9999999999999998.0"},
  };
  for (const auto& [d, repr] : cases) {
    std::string out;
    append_py_float(out, d);
    EXPECT_EQ(out, repr);
  }
}

TEST(PyRepr, JsonValuesMatchPython) {
  const std::pair<const char*, const char*> cases[] = {
      {R"([1, "a", null, true])", R"([1, 'a', None, True])"},
      {R"({"k": [1.5, {"x": false}], "it's": "\u0085"})", R"({'k': [1.5, {'x': False}], "it's": '\x85'})"},
      {"18446744073709551615", "18446744073709551615"},
      {"-9223372036854775808", "-9223372036854775808"},
  };
  for (const auto& [json, repr] : cases) EXPECT_EQ(py_repr(boost::json::parse(json)), repr) << json;
}

TEST(PyRepr, ContainersDeeperThanTheLimitAreElided) {
  const auto v = boost::json::parse(R"([1, [2, {"a": [3]}], {"b": {}}])");
  PyReprLimits limits;
  limits.max_depth = 2;
  EXPECT_EQ(py_repr(v, limits), "[1, [2, {...}], {'b': {...}}]");
}

TEST(PyRepr, StopsDescendingPastTheByteLimit) {
  const auto v = boost::json::parse(R"([1, 2, 3, 4, 5])");
  PyReprLimits limits;
  limits.max_bytes = 4;
  EXPECT_EQ(py_repr(v, limits), "[1, 2]");  // the caller cuts; the rest is never rendered
}

}  // namespace
}  // namespace bw::core
