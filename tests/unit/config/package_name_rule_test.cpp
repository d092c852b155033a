#include "config/package_name_rule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bw::config {
namespace {

TEST(PackageNameRule, AcceptsAsciiWordCharactersAndDashes) {
  for (const std::string& ok :
       std::vector<std::string>{"benchling", "EXP25000076", "lab-notebook_2", "a", "-", "_", "ABC-123_x",
                                std::string(kMaxPackageNamePartBytes, 'x')}) {
    EXPECT_EQ(package_name_part_problem(ok), std::nullopt) << ok;
  }
}

TEST(PackageNameRule, RefusesWhatQuilt3PackageNameFormatRefuses) {
  // Outside [\w-] for any reading of \w: separators, dots, spaces, punctuation, controls.
  const std::vector<std::string> bad = {
      "a/b", "a.b", "..", "a b", "a\\b", "a:b", "a+b", "a@b", "EXP#1", "a\tb", std::string("a\0b", 3)};
  for (const auto& s : bad) EXPECT_NE(package_name_part_problem(s), std::nullopt) << s;
}

TEST(PackageNameRule, RefusesNonAsciiLettersThatOnlyPythonsUnicodeWordClassAccepts) {
  // quilt3's re pattern would take these; the catalog's JavaScript \w would not, so we do not either.
  for (const std::string& s :
       std::vector<std::string>{"r\xc3\xa9sum\xc3\xa9", "\xe5\xae\x9f\xe9\xa8\x93", "EXP\xc2\xb2"}) {
    auto problem = package_name_part_problem(s);
    ASSERT_NE(problem, std::nullopt) << s;
    EXPECT_NE(problem->find("not ASCII"), std::string::npos) << *problem;
  }
}

TEST(PackageNameRule, RefusesATrailingNewlineThatPythonsDollarWouldLetThrough) {
  auto problem = package_name_part_problem("EXP1\n");
  ASSERT_NE(problem, std::nullopt);
  EXPECT_EQ(*problem, "contains \\x0A (a control character) at byte 5");
}

TEST(PackageNameRule, SaysWhatIsWrongAndWhere) {
  EXPECT_EQ(package_name_part_problem(""), "is empty");
  EXPECT_EQ(package_name_part_problem("EXP 1"), "contains ' ' (a space) at byte 4");
  EXPECT_EQ(package_name_part_problem("EXP.1"), "contains '.' at byte 4");
  EXPECT_EQ(package_name_part_problem(std::string(kMaxPackageNamePartBytes + 1, 'x')),
            "is longer than 255 bytes");
}

}  // namespace
}  // namespace bw::config
