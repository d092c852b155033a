// canvas/top_hash.hpp: quilt3's package top hash (Package._calculate_top_hash) and the Python-compatible
// JSON encoding it hashes (anchors §6.2). Pure.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "canvas/manifest.hpp"
#include "core/error.hpp"

namespace bw::canvas {

//! `json.dumps(v, sort_keys=True, separators=(",", ":"))` as CPython writes it (ensure_ascii=True):
//! - object keys sorted by code point (UTF-8 byte order), no whitespace;
//! - strings: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`; every other character outside U+0020..U+007E becomes
//! `\uxxxx`
//!   (lowercase hex, a surrogate pair above U+FFFF); invalid UTF-8 (only possible in values built by hand:
//!   the JSON parser rejects it) becomes `\ufffd`;
//! - integers as decimal (int64/uint64; Boost.JSON parses larger integers as doubles, where Python would keep
//!   them exact: such manifests hash differently);
//! - doubles as Python's repr(): shortest round-trip digits, positional for 1e-4 <= |x| < 1e16 with at least
//!   one fractional digit ("1.0"), otherwise "1e+16" / "1.5e-05"; NaN and infinities as "NaN", "Infinity",
//!   "-Infinity" (Python's default allow_nan=True).
std::string python_json(const boost::json::value& v);

//! True when logical key `a` comes before `b` in quilt3's Package.walk() order: children sorted by name at
//! each directory level, so keys compare '/'-component by component ("a/b" < "a.txt", unlike a plain
//! string sort).
bool walk_less(std::string_view a, std::string_view b);

//! Accumulates the parts of a top hash one entry at a time (for a manifest being streamed), keeping only
//! the logical key and the encoded part of each entry. finish() sorts them into walk() order.
class TopHashBuilder {
 public:
  //! `meta` is line 1 of the manifest without the legacy "top_hash" member (see ManifestHeader).
  explicit TopHashBuilder(const boost::json::object& meta);

  void add(const ManifestEntry& entry);
  std::size_t size() const { return parts_.size(); }

  //! The lowercase hex SHA-256. Entries quilt3 could not load as one package tree — a duplicate logical
  //! key, or a key that is both a file and a directory ("a" and "a/b") — are kInvalidArgument naming the key.
  core::Result<std::string> finish();

 private:
  std::string meta_part_;
  std::vector<std::pair<std::string, std::string>> parts_;  // (logical key, encoded entry dict)
};

//! The top hash of a package: SHA-256 over python_json(meta) followed by python_json of
//! {"hash","logical_key","meta","size"} of each entry in walk() order. Physical keys and directory
//! metadata do not take part (as in quilt3). The entries are assumed to form a valid package tree (the
//! parser's verify() checks that); duplicates would simply be hashed twice.
std::string top_hash(const ManifestHeader& meta, std::vector<ManifestEntry> entries);

//! True for exactly 64 lowercase hex digits, the form of a top hash.
bool is_top_hash(std::string_view text);

}  // namespace bw::canvas
