// packaging/detail/zip_directory.hpp: a bounded pass over a ZIP file's central directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace bw::packaging {
struct ZipLimits;
}

namespace bw::packaging::detail {

//! One central-directory record, validated.
struct CentralEntry {
  std::string name;  //!< safe_member_name() of the stored name (a directory's without its trailing '/')
  bool is_dir = false;
  std::uint64_t size = 0;             //!< declared uncompressed size
  std::uint64_t compressed_size = 0;  //!< declared compressed size
  std::uint64_t local_offset = 0;     //!< offset of the local file header
  std::uint16_t method = 0;
};

//! Reads the end-of-central-directory record (ZIP64 too) and every central record, without decompressing
//! anything. Rejects (kInvalidArgument): unsafe or duplicate names, encryption, unsupported methods,
//! symlinks and other special files, too many members, a declared total above the limit, records whose
//! data would overlap (the overlapping-file ZIP bomb), and any structural inconsistency. The result is in
//! local-header order, which is the order libarchive's seekable reader returns entries in.
core::Result<std::vector<CentralEntry>> read_central_directory(const std::filesystem::path& path,
                                                               const ZipLimits& limits);

}  // namespace bw::packaging::detail
