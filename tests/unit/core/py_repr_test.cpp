#include "core/py_repr.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace bw::core {
namespace {

// Every expected string below is what python3 (3.11) printed for repr() of the same value, e.g.
//   python3 -c 'print(repr(b"\xc2\x80\xc2\x85\xc2\x9f".decode()))'  ->  '\x80\x85\x9f'
// `cp` as UTF-8.
std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
  return out;
}

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

// The first and last code point of every range Python does not print, and their assigned neighbours;
// the escape is python3's repr(chr(cp))[1:-1] (nullptr: printed as is). The rows were made with
//   for cp in sorted({c for a, b in RANGES for c in (a - 1, a, b, b + 1)
//                     if unicodedata.category(chr(c)) not in ("Cn", "Cs") and chr(c) not in "'\\\n\r\t"}):
//       r = repr(chr(cp))[1:-1]; print(hex(cp), "nullptr" if r == chr(cp) else r)
TEST(PyRepr, EveryRangeEdgeMatchesPython) {
  const std::pair<char32_t, const char*> cases[] = {
      {0x0, R"(\x00)"},
      {0x1f, R"(\x1f)"},
      {0x20, nullptr},
      {0x7e, nullptr},
      {0x7f, R"(\x7f)"},
      {0xa0, R"(\xa0)"},
      {0xa1, nullptr},
      {0xac, nullptr},
      {0xad, R"(\xad)"},
      {0xae, nullptr},
      {0x600, R"(\u0600)"},
      {0x605, R"(\u0605)"},
      {0x606, nullptr},
      {0x61b, nullptr},
      {0x61c, R"(\u061c)"},
      {0x61d, nullptr},
      {0x6dc, nullptr},
      {0x6dd, R"(\u06dd)"},
      {0x6de, nullptr},
      {0x70f, R"(\u070f)"},
      {0x710, nullptr},
      {0x890, R"(\u0890)"},
      {0x891, R"(\u0891)"},
      {0x8e1, nullptr},
      {0x8e2, R"(\u08e2)"},
      {0x8e3, nullptr},
      {0x167f, nullptr},
      {0x1680, R"(\u1680)"},
      {0x1681, nullptr},
      {0x180d, nullptr},
      {0x180e, R"(\u180e)"},
      {0x180f, nullptr},
      {0x2000, R"(\u2000)"},
      {0x200f, R"(\u200f)"},
      {0x2010, nullptr},
      {0x2027, nullptr},
      {0x2028, R"(\u2028)"},
      {0x202f, R"(\u202f)"},
      {0x2030, nullptr},
      {0x205e, nullptr},
      {0x205f, R"(\u205f)"},
      {0x2064, R"(\u2064)"},
      {0x2066, R"(\u2066)"},
      {0x206f, R"(\u206f)"},
      {0x2070, nullptr},
      {0x3000, R"(\u3000)"},
      {0x3001, nullptr},
      {0xe000, R"(\ue000)"},
      {0xf8ff, R"(\uf8ff)"},
      {0xf900, nullptr},
      {0xfeff, R"(\ufeff)"},
      {0xfff9, R"(\ufff9)"},
      {0xfffb, R"(\ufffb)"},
      {0xfffc, nullptr},
      {0x110bc, nullptr},
      {0x110bd, R"(\U000110bd)"},
      {0x110be, nullptr},
      {0x110cd, R"(\U000110cd)"},
      {0x13430, R"(\U00013430)"},
      {0x13438, R"(\U00013438)"},
      {0x1bc9f, nullptr},
      {0x1bca0, R"(\U0001bca0)"},
      {0x1bca3, R"(\U0001bca3)"},
      {0x1d172, nullptr},
      {0x1d173, R"(\U0001d173)"},
      {0x1d17a, R"(\U0001d17a)"},
      {0x1d17b, nullptr},
      {0xe0001, R"(\U000e0001)"},
      {0xe0020, R"(\U000e0020)"},
      {0xe007f, R"(\U000e007f)"},
      {0xf0000, R"(\U000f0000)"},
      {0xffffd, R"(\U000ffffd)"},
      {0x100000, R"(\U00100000)"},
      {0x10fffd, R"(\U0010fffd)"},
  };
  for (const auto& [cp, escape] : cases) {
    const std::string text = utf8(cp);
    EXPECT_EQ(py_repr_str(text), "'" + (escape ? std::string(escape) : text) + "'")
        << std::hex << unsigned(cp);
  }
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
