// canvas/manifest.hpp: Quilt package manifests (JSONL), parsed incrementally with bounded memory
// (anchors §6.1, runtime-spec §10.10). Pure.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::canvas {

class TopHashBuilder;

//! Line 1 of a manifest: {"version":"v0","message":…,"user_meta":{…},"workflow":{…}} (only "version" is
//! always written). `meta` holds every member but the legacy "top_hash", which quilt3 drops on load; it is
//! exactly the dict the top hash starts with.
struct ManifestHeader {
  boost::json::object meta;

  //! "version" when it is a string, else "".
  std::string version() const;
  //! The commit message, when it is a string.
  std::optional<std::string> message() const;
  //! "user_meta" as written (any JSON value), null when absent.
  boost::json::value user_meta() const;
};

//! One file of the package.
struct ManifestEntry {
  std::string logical_key;
  std::vector<std::string> physical_keys;  //!< at least one; "s3://bucket/key?versionId=…"
  std::uint64_t size = 0;
  boost::json::object hash;  //!< {"type","value"} with any further members, as written (it is hashed)
  boost::json::object meta;  //!< entry metadata ({"user_meta":…} and system keys); {} when absent or null

  std::string hash_type() const;   //!< "SHA256", "sha2-256-chunked", …
  std::string hash_value() const;  //!< hex or base64, depending on the type
};

struct ManifestLimits {
  //! Bytes per line (record), newline excluded; quilt3 writes records of at most 1,000,000 bytes
  //! (QUILT_MANIFEST_MAX_RECORD_SIZE).
  std::size_t max_record_bytes = 1'000'000;
  //! Records after the header (files and directory-metadata lines together).
  std::size_t max_entries = 1'000'000;
  //! JSON nesting depth of one record.
  std::size_t max_depth = 128;
};

//! Parses a manifest fed in chunks of any size (a line may span chunks). Each complete record is parsed
//! at once and handed to the entry callback, so the parser holds at most one partial record (bounded by
//! max_record_bytes) and, when verifying, the encoded top-hash parts.
//!
//! Record rules (quilt3's Package._load):
//! - line 1 is the header and must be a JSON object; a legacy "top_hash" member is dropped;
//! - a record without physical keys (absent, null or []) is directory metadata, e.g.
//!   {"logical_key":"dir/","meta":{…}}: counted, not listed, not hashed;
//! - a file record needs "logical_key" (a non-empty string not ending in '/'), "physical_keys" (strings),
//!   "size" (a non-negative integer) and "hash" (an object with string "type" and "value"); "meta" may be
//!   absent or null ({}), otherwise it must be an object; other members are ignored;
//! - "\r\n" line ends are accepted and blank lines skipped.
//! Every failure is kInvalidArgument naming the line number; after an error the parser refuses more input.
class ManifestParser {
 public:
  //! Receives each file entry in manifest order; an error stops the parse and is returned by feed().
  using EntryFn = std::function<core::Result<void>(ManifestEntry&& entry)>;

  struct Options {
    ManifestLimits limits;
    //! Keep what verify() needs: the logical key and encoded part of every entry (about the record's size
    //! without its physical keys).
    bool compute_top_hash = false;
  };

  explicit ManifestParser(EntryFn on_entry);
  ManifestParser(EntryFn on_entry, Options options);
  ~ManifestParser();
  ManifestParser(const ManifestParser&) = delete;
  ManifestParser& operator=(const ManifestParser&) = delete;

  core::Result<void> feed(std::string_view bytes);
  //! End of input: parses a last line without a newline; a manifest without a header is an error.
  core::Result<void> finish();

  //! Set once line 1 has been parsed.
  const std::optional<ManifestHeader>& header() const { return header_; }
  std::size_t file_count() const { return files_; }
  std::size_t directory_meta_count() const { return dir_meta_; }
  //! Lines consumed so far (the number of the line being read, once a partial line is buffered).
  std::size_t line_number() const { return line_; }

  //! After finish() with compute_top_hash: the manifest's top hash (kInvalidArgument if its entries do not
  //! form a package tree; kInternal without compute_top_hash or before finish()).
  core::Result<std::string> top_hash();
  //! top_hash() compared with `expected`: kInvalidArgument "manifest does not match top hash …" on a
  //! mismatch.
  core::Result<void> verify(std::string_view expected);

 private:
  core::Result<void> line(std::string_view text);
  core::Error fail(core::Error e);

  EntryFn on_entry_;
  Options options_;
  std::string partial_;
  std::size_t line_ = 0;  // number of the last complete line handed to line()
  std::size_t records_ = 0;
  std::size_t files_ = 0;
  std::size_t dir_meta_ = 0;
  std::optional<ManifestHeader> header_;
  std::unique_ptr<TopHashBuilder> hasher_;
  std::optional<core::Result<std::string>> top_hash_;
  std::optional<core::Error> failed_;
  bool finished_ = false;
};

//! A whole manifest in memory (tests, small manifests).
struct Manifest {
  ManifestHeader header;
  std::vector<ManifestEntry> entries;  //!< file entries in manifest order
  std::size_t directory_meta_count = 0;
};

core::Result<Manifest> parse_manifest(std::string_view text, ManifestLimits limits = {});

}  // namespace bw::canvas
