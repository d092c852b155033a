#include "packaging/detail/zip_directory.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "packaging/detail/text.hpp"
#include "packaging/zip_reader.hpp"

namespace bw::packaging::detail {

namespace {

constexpr std::uint32_t kEocdSignature = 0x06054b50;
constexpr std::uint32_t kZip64EocdSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kCentralSignature = 0x02014b50;
constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::size_t kEocdSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EocdSize = 56;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kMaxCommentBytes = 0xFFFF;

constexpr std::uint16_t kFlagEncrypted = 0x0001;
constexpr std::uint16_t kFlagStrongEncryption = 0x0040;
constexpr std::uint16_t kMethodAes = 99;
// Methods libarchive 3.6 decodes: stored, deflate, bzip2, lzma, zstd, xz, ppmd8.
constexpr std::array<std::uint16_t, 7> kSupportedMethods = {0, 8, 12, 14, 93, 95, 98};

constexpr std::uint8_t kHostMsDos = 0;
constexpr std::uint8_t kHostUnix = 3;
constexpr std::uint32_t kUnixTypeMask = 0170000;
constexpr std::uint32_t kUnixDir = 0040000;
constexpr std::uint32_t kUnixRegular = 0100000;
constexpr std::uint32_t kMsDosDirAttribute = 0x10;

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

std::uint16_t le16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t le64(const unsigned char* p) {
  return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}

core::Error archive_error(std::string message, const std::filesystem::path& path) {
  return core::make_error(core::ErrorCode::kInvalidArgument, "ZIP export rejected: " + std::move(message),
                          "check the entry's attachments in Benchling and export it again; "
                          "nothing from a rejected archive is uploaded")
      .with("zip", path.filename().string());
}

core::Error member_error(std::string message, std::string_view name, const std::filesystem::path& path) {
  return archive_error("member '" + printable(name) + "' " + std::move(message), path)
      .with("member", printable(name));
}

class Reader {
 public:
  Reader(std::FILE* f, const std::filesystem::path& path) : f_(f), path_(path) {}

  core::Result<void> seek(std::uint64_t offset) {
    if (fseeko(f_, static_cast<off_t>(offset), SEEK_SET) != 0) return truncated();
    return {};
  }
  core::Result<void> read(void* buf, std::size_t n) {
    if (n != 0 && std::fread(buf, 1, n, f_) != n) return truncated();
    return {};
  }
  core::Result<void> skip(std::uint64_t n) {
    if (n != 0 && fseeko(f_, static_cast<off_t>(n), SEEK_CUR) != 0) return truncated();
    return {};
  }

 private:
  core::Error truncated() const { return archive_error("the archive is truncated or unreadable", path_); }
  std::FILE* f_;
  const std::filesystem::path& path_;
};

struct Directory {
  std::uint64_t entries = 0;
  std::uint64_t size = 0;
  std::uint64_t offset = 0;
  std::uint64_t end = 0;  //!< where the central directory must end (the ZIP64 or classic EOCD)
};

core::Result<Directory> find_directory(Reader& in, std::uint64_t file_size,
                                       const std::filesystem::path& path) {
  if (file_size < kEocdSize) return archive_error("the file is too short to be a ZIP archive", path);
  const std::size_t tail_len =
      static_cast<std::size_t>(std::min<std::uint64_t>(file_size, kEocdSize + kMaxCommentBytes));
  std::vector<unsigned char> tail(tail_len);
  const std::uint64_t tail_start = file_size - tail_len;
  if (auto ok = in.seek(tail_start); !ok) return ok.error();
  if (auto ok = in.read(tail.data(), tail.size()); !ok) return ok.error();

  // The last EOCD signature whose comment fits in the file.
  std::optional<std::size_t> eocd;
  for (std::size_t i = tail_len - kEocdSize + 1; i-- > 0;) {
    if (le32(&tail[i]) == kEocdSignature && i + kEocdSize + le16(&tail[i + 20]) <= tail_len) {
      eocd = i;
      break;
    }
  }
  if (!eocd)
    return archive_error("no end-of-central-directory record (not a ZIP archive, or truncated)", path);
  const unsigned char* e = &tail[*eocd];
  const std::uint64_t eocd_pos = tail_start + *eocd;
  if (le16(e + 4) != 0 || le16(e + 6) != 0 || le16(e + 8) != le16(e + 10)) {
    return archive_error("multi-volume ZIP archives are not supported", path);
  }
  Directory dir{le16(e + 10), le32(e + 12), le32(e + 16), eocd_pos};

  if (dir.entries == 0xFFFF || dir.size == 0xFFFFFFFF || dir.offset == 0xFFFFFFFF) {
    if (eocd_pos < kZip64LocatorSize) return archive_error("the ZIP64 locator is missing", path);
    unsigned char loc[kZip64LocatorSize];
    if (auto ok = in.seek(eocd_pos - kZip64LocatorSize); !ok) return ok.error();
    if (auto ok = in.read(loc, sizeof loc); !ok) return ok.error();
    if (le32(loc) != kZip64LocatorSignature) return archive_error("the ZIP64 locator is missing", path);
    const std::uint64_t z64_pos = le64(loc + 8);
    if (z64_pos > eocd_pos - kZip64LocatorSize || eocd_pos - kZip64LocatorSize - z64_pos < kZip64EocdSize) {
      return archive_error("the ZIP64 end record points outside the archive", path);
    }
    unsigned char z[kZip64EocdSize];
    if (auto ok = in.seek(z64_pos); !ok) return ok.error();
    if (auto ok = in.read(z, sizeof z); !ok) return ok.error();
    if (le32(z) != kZip64EocdSignature) return archive_error("the ZIP64 end record is corrupt", path);
    if (le32(z + 16) != 0 || le32(z + 20) != 0 || le64(z + 24) != le64(z + 32)) {
      return archive_error("multi-volume ZIP archives are not supported", path);
    }
    dir = Directory{le64(z + 32), le64(z + 40), le64(z + 48), z64_pos};
  }
  if (dir.offset > dir.end || dir.size > dir.end - dir.offset) {
    return archive_error("the central directory points outside the archive", path);
  }
  return dir;
}

struct RawRecord {
  std::string raw_name;
  std::uint8_t host = 0;
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t external_attributes = 0;
  std::uint64_t size = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t local_offset = 0;
};

core::Result<RawRecord> read_record(Reader& in, const std::filesystem::path& path) {
  unsigned char h[kCentralHeaderSize];
  if (auto ok = in.read(h, sizeof h); !ok) return ok.error();
  if (le32(h) != kCentralSignature) return archive_error("the central directory is corrupt", path);
  RawRecord r;
  r.host = h[5];
  r.flags = le16(h + 8);
  r.method = le16(h + 10);
  r.compressed_size = le32(h + 20);
  r.size = le32(h + 24);
  const std::uint16_t name_len = le16(h + 28);
  const std::uint16_t extra_len = le16(h + 30);
  const std::uint16_t comment_len = le16(h + 32);
  const std::uint16_t disk = le16(h + 34);
  r.external_attributes = le32(h + 38);
  r.local_offset = le32(h + 42);

  r.raw_name.resize(name_len);
  if (auto ok = in.read(r.raw_name.data(), name_len); !ok) return ok.error();
  std::vector<unsigned char> extra(extra_len);
  if (auto ok = in.read(extra.data(), extra_len); !ok) return ok.error();
  if (auto ok = in.skip(comment_len); !ok) return ok.error();

  // ZIP64 extended information: only the fields whose classic value is saturated, in this order.
  bool need_size = r.size == 0xFFFFFFFF, need_csize = r.compressed_size == 0xFFFFFFFF,
       need_offset = r.local_offset == 0xFFFFFFFF;
  for (std::size_t i = 0; i + 4 <= extra.size();) {
    const std::uint16_t id = le16(&extra[i]);
    const std::uint16_t len = le16(&extra[i + 2]);
    if (i + 4 + len > extra.size()) break;
    if (id == 0x0001) {
      std::size_t p = i + 4;
      const std::size_t end = p + len;
      auto take = [&](bool need, std::uint64_t& field) {
        if (!need) return true;
        if (p + 8 > end) return false;
        field = le64(&extra[p]);
        p += 8;
        return true;
      };
      if (!take(need_size, r.size) || !take(need_csize, r.compressed_size) ||
          !take(need_offset, r.local_offset)) {
        return member_error("has a truncated ZIP64 field", r.raw_name, path);
      }
      need_size = need_csize = need_offset = false;
    }
    i += 4 + len;
  }
  if (need_size || need_csize || need_offset) {
    return member_error("lacks the ZIP64 sizes its header announces", r.raw_name, path);
  }
  if (disk != 0 && disk != 0xFFFF) return archive_error("multi-volume ZIP archives are not supported", path);
  return r;
}

core::Result<CentralEntry> classify(const RawRecord& r, const std::filesystem::path& path) {
  CentralEntry e;
  e.size = r.size;
  e.compressed_size = r.compressed_size;
  e.local_offset = r.local_offset;
  e.method = r.method;

  const std::uint32_t unix_mode = r.external_attributes >> 16;
  const std::uint32_t unix_type = unix_mode & kUnixTypeMask;
  const bool slash = !r.raw_name.empty() && r.raw_name.back() == '/';
  // The same rule as libarchive: a trailing '/' or a directory mode makes a directory.
  e.is_dir = slash || (r.host == kHostUnix && unix_type == kUnixDir) ||
             (r.host == kHostMsDos && (r.external_attributes & kMsDosDirAttribute) != 0);
  if (!e.is_dir && r.host == kHostUnix && unix_type != 0 && unix_type != kUnixRegular) {
    return member_error("is a symbolic link or special file; only regular files and folders are accepted",
                        r.raw_name, path);
  }

  std::string_view raw = r.raw_name;
  if (slash) raw.remove_suffix(1);
  auto name = safe_member_name(raw);
  if (!name) {
    core::Error err = name.error();
    err.message = "ZIP export rejected: " + err.message;
    err.details.emplace_back("zip", path.filename().string());
    return err;
  }
  e.name = std::move(*name);
  if (e.is_dir) return e;

  if ((r.flags & (kFlagEncrypted | kFlagStrongEncryption)) != 0 || r.method == kMethodAes) {
    return member_error("is encrypted; password-protected archives are not supported", e.name, path);
  }
  if (std::find(kSupportedMethods.begin(), kSupportedMethods.end(), r.method) == kSupportedMethods.end()) {
    return member_error("uses compression method " + std::to_string(r.method) + ", which is not supported",
                        e.name, path);
  }
  if (r.method == 0 && r.size != r.compressed_size) {
    return member_error("is stored uncompressed but declares " + std::to_string(r.size) +
                            " bytes of content in " + std::to_string(r.compressed_size) + " bytes of data",
                        e.name, path);
  }
  return e;
}

}  // namespace

core::Result<std::vector<CentralEntry>> read_central_directory(const std::filesystem::path& path,
                                                               const ZipLimits& limits) {
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) {
    return core::make_error(core::ErrorCode::kInternal, "cannot read the downloaded export ZIP")
        .with("path", path.string())
        .with("error", ec.message());
  }
  FilePtr file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    return core::make_error(core::ErrorCode::kInternal, "cannot open the downloaded export ZIP")
        .with("path", path.string());
  }
  Reader in(file.get(), path);
  auto found = find_directory(in, file_size, path);
  if (!found) return found.error();
  const Directory dir = *found;

  if (dir.entries > limits.max_members) {
    return archive_error("it has " + std::to_string(dir.entries) + " members, more than the limit of " +
                             std::to_string(limits.max_members),
                         path);
  }
  // Each record takes at least 46 bytes: a count the directory cannot hold is a lie.
  if (dir.entries > dir.size / kCentralHeaderSize) {
    return archive_error("the central directory is too small for the members it declares", path);
  }

  std::vector<CentralEntry> entries;
  entries.reserve(static_cast<std::size_t>(dir.entries));
  std::vector<std::uint64_t> min_spans;  // local header + name + data, a lower bound on each member's extent
  min_spans.reserve(entries.capacity());
  std::unordered_set<std::string> names;
  std::uint64_t total = 0;
  if (auto ok = in.seek(dir.offset); !ok) return ok.error();
  for (std::uint64_t i = 0; i < dir.entries; ++i) {
    auto raw = read_record(in, path);
    if (!raw) return raw.error();
    auto classified = classify(*raw, path);
    if (!classified) return classified.error();
    CentralEntry entry = std::move(*classified);
    if (!entry.is_dir) {
      if (!names.insert(entry.name).second) return member_error("appears twice", entry.name, path);
      if (entry.size > limits.max_total_bytes - std::min(total, limits.max_total_bytes)) {
        return archive_error("its members declare more than the limit of " +
                                 std::to_string(limits.max_total_bytes) + " uncompressed bytes",
                             path)
            .with("member", entry.name);
      }
      total += entry.size;
    }
    if (entry.local_offset > dir.offset) {
      return member_error("points outside the archive's data", entry.name, path);
    }
    min_spans.push_back(kLocalHeaderSize + raw->raw_name.size() + entry.compressed_size);
    entries.push_back(std::move(entry));
  }

  // Members must not share or overlap their data: overlapping records are how small archives
  // expand to petabytes (and how two names can hide one payload).
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return entries[a].local_offset < entries[b].local_offset; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    const std::uint64_t limit = k + 1 < order.size() ? entries[order[k + 1]].local_offset : dir.offset;
    if (min_spans[i] > limit - entries[i].local_offset) {
      return member_error(
          "overlaps another member's data (an overlapping-member ZIP bomb or a corrupt archive)",
          entries[i].name, path);
    }
  }
  // Spot-check that the first member's local header is where the directory says.
  if (!order.empty()) {
    unsigned char sig[4];
    if (auto ok = in.seek(entries[order.front()].local_offset); !ok) return ok.error();
    if (auto ok = in.read(sig, sizeof sig); !ok) return ok.error();
    if (le32(sig) != kLocalSignature) {
      return archive_error("the central directory does not match the member data (corrupt archive)", path);
    }
  }

  std::vector<CentralEntry> sorted;
  sorted.reserve(entries.size());
  for (std::size_t i : order) sorted.push_back(std::move(entries[i]));
  return sorted;
}

}  // namespace bw::packaging::detail
