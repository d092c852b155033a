// core/py_repr.hpp: Python's repr() of the values json.loads produces, pure. The one writer behind
// config's error texts (config/repr.hpp) and the canvas's metadata lists (canvas/markdown.hpp), so both
// render a value the way the reference's Python did, and the same way as each other.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace bw::core {

//! Bounds for rendering untrusted values (inputs can be megabytes, or nested thousands deep).
struct PyReprLimits {
  //! Lists and dicts are not descended into once the output is longer than this; the caller cuts it.
  std::size_t max_bytes = std::numeric_limits<std::size_t>::max();
  //! Lists and dicts nested this deep (the top level is depth 0) are written "[...]" and "{...}".
  std::size_t max_depth = std::numeric_limits<std::size_t>::max();
};

//! Python 3's repr() of a str holding the UTF-8 text `s`: single quotes unless it holds ' and no ", then
//! double; \\, the quote, \n, \r, \t escaped; every other character str.isprintable() refuses (C0 and C1
//! controls, DEL, U+00A0, U+00AD, the other Zs/Zl/Zp spaces, format characters, private use) as \xNN,
//! \uNNNN or \UNNNNNNNN, Unicode 14 (Python 3.11). Unassigned code points are written as is (which ones
//! they are depends on the Python's Unicode version). A byte that is not UTF-8 (no Python str holds one)
//! is written \xNN.
void append_py_repr_str(std::string& out, std::string_view s);
std::string py_repr_str(std::string_view s);

//! Python's float repr: shortest round-trip digits, fixed notation when the decimal exponent is in
//! [-4, 16) ("1.0", "0.0001", "1e+16", "1.5e-05"), "nan", "inf", "-inf".
void append_py_float(std::string& out, double d);

//! Python's repr() of `v` as json.loads would have produced it: 'str', None, True, False, 12, 1.5,
//! [1, 'a'], {'k': None}.
void append_py_repr(std::string& out, const boost::json::value& v, const PyReprLimits& limits = {});
std::string py_repr(const boost::json::value& v, const PyReprLimits& limits = {});

}  // namespace bw::core
