#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "config/repr.hpp"

namespace bw::config {
namespace {

// config's error texts and the canvas's metadata lists share one writer (core/py_repr.hpp); before, this
// one copied C1 controls into the text where Python (and the canvas) escaped them.
//   python3 -c 'print(repr("a\x85b\xa0"))'  ->  'a\x85b\xa0'
TEST(ReprSharedWriter, C1ControlsAreEscapedAsInPython) {
  EXPECT_EQ(py_repr(boost::json::value("a\xc2\x85"
                                       "b\xc2\xa0")),
            R"('a\x85b\xa0')");
  EXPECT_EQ(py_repr(boost::json::parse(R"({"k": ["\u009f"]})")), R"({'k': ['\x9f']})");
}

}  // namespace
}  // namespace bw::config
