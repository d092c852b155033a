// packaging/zip_reader.hpp: streaming, validated reading of a Benchling export ZIP (runtime-spec §6.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::packaging {

//! Bounds on what one archive may cost. Exceeding any of them rejects the archive (kInvalidArgument).
struct ZipLimits {
  std::size_t max_members = 100000;             //!< central-directory records, folders included
  std::uint64_t max_total_bytes = 64ULL << 30;  //!< uncompressed bytes, declared and actually read
};

//! Longest member name accepted, in bytes (S3 keys are at most 1024 bytes).
inline constexpr std::size_t kMaxMemberNameBytes = 1024;

//! One file member (folders are never reported).
struct ZipMember {
  std::string name;                   //!< safe_member_name() of the stored name
  std::uint64_t size = 0;             //!< declared uncompressed size; read() enforces it
  std::uint64_t compressed_size = 0;  //!< declared compressed size
};

//! The member name as a safe relative path, or kInvalidArgument naming the member. Rejected: empty
//! names, more than kMaxMemberNameBytes, invalid UTF-8, control characters (NUL, C0, DEL, C1), any
//! backslash (a separator on Windows, so "a\..\x" is a traversal there), absolute paths ("/x",
//! "C:..."), and any ".." segment. Normalized rather than rejected: "." segments and empty segments
//! ("./a//b" -> "a/b"), and a trailing '/'. A name that normalizes to nothing is rejected.
core::Result<std::string> safe_member_name(std::string_view raw);

//! Validates a whole archive without decompressing anything: the central directory only. Checks every
//! name, encryption, compression methods, the member count and the declared total against `limits`,
//! duplicate names and overlapping member data. Returns the file members in archive order (folders
//! skipped); an empty archive gives an empty list. Call this before uploading anything.
core::Result<std::vector<ZipMember>> scan(const std::filesystem::path& path, const ZipLimits& limits = {});

//! Streams the members of a ZIP file in archive order with bounded memory, whatever their size:
//!
//!     auto zip = ZipReader::open(path);  // scans first: a bad archive is rejected before any upload
//!     if (!zip) return zip.error();
//!     for (;;) {
//!       auto m = zip->next();            // the next file member, or nullopt after the last
//!       if (!m) return m.error();
//!       if (!*m) break;
//!       for (;;) {
//!         auto n = zip->read(buf, sizeof buf);
//!         if (!n) return n.error();
//!         if (*n == 0) break;
//!         upload((*m)->name, buf, *n);
//!       }
//!     }
//!
//! Every byte read is counted: a member that yields more (or fewer) bytes than it declares, or an
//! archive that yields more than limits.max_total_bytes, fails read() with kInvalidArgument (a lying
//! header is how ZIP bombs get past declared-size checks). After any error the reader stays failed.
class ZipReader {
 public:
  static core::Result<ZipReader> open(const std::filesystem::path& path, const ZipLimits& limits = {});

  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) noexcept;
  ~ZipReader();

  //! The next file member, nullopt after the last. Unread data of the previous member is skipped.
  core::Result<std::optional<ZipMember>> next();
  //! Up to `cap` (> 0) bytes of the current member's data; 0 at its end.
  core::Result<std::size_t> read(char* buf, std::size_t cap);

  //! All file members, as scan() returned them.
  const std::vector<ZipMember>& members() const;
  //! Uncompressed bytes read so far, over all members.
  std::uint64_t total_bytes_read() const;

 private:
  struct Impl;
  explicit ZipReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bw::packaging
