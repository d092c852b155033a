#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "canvas/markdown.hpp"

namespace bw::canvas {
namespace {

// The canvas renders list items through core/py_repr.hpp, the writer config's errors use.
//   python3 -c 'print(str(["a\x85", "\u2028", 1e-05]))'  ->  ['a\x85', '\u2028', 1e-05]
TEST(MarkdownReprSharedWriter, ListItemsRenderAsPythonStrDoes) {
  EXPECT_EQ(python_str(boost::json::parse(R"(["a\u0085", "\u2028", 1e-05])")),
            R"(['a\x85', '\u2028', 1e-05])");
}

}  // namespace
}  // namespace bw::canvas
