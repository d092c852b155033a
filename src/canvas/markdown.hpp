// canvas/markdown.hpp
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace bw::canvas {

//! Turns bare http(s) URLs into "[url](url)", exactly like the reference's
//! re.sub(r"(?<![\[\(])(https?://[^\s\)>\]]+)(?![\]\)])", ...) on a Python str (runtime-spec §7.4): a URL
//! right after '[' or '(' is left alone, '\s' is Unicode whitespace, and when ']' or ')' follows the URL the
//! regex gives back one character, so "see https://x.io)" becomes "see [https://x.i](https://x.i)o)" as in
//! Python. One linear pass; an invalid UTF-8 byte counts as one (non-space) character.
std::string linkify_urls(std::string_view text);

//! The reference's dict_to_markdown_list(d, level) (runtime-spec §7.4): "- **key**: value" lines indented by
//! two spaces per level; dicts recurse, lists are numbered, null is *null*, booleans true/false, strings are
//! linkified, numbers and list items are rendered as Python's str() would. Nesting deeper than
//! kMaxMarkdownDepth is cut off with a "…" line.
std::string dict_to_markdown_list(const boost::json::object& data, std::size_t level = 0);

inline constexpr std::size_t kMaxMarkdownDepth = 32;

//! Python's str() of a JSON value as json.loads would have produced it: strings as is, True/False/None,
//! floats in repr form ("1.0", "1e-05"), lists and dicts in repr form ("['a', 1]", "{'k': None}").
std::string python_str(const boost::json::value& v);

}  // namespace bw::canvas
