#include "packaging/zip_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cctype>

#include "core/utf8.hpp"
#include "packaging/detail/text.hpp"
#include "packaging/detail/zip_directory.hpp"

namespace bw::packaging {

namespace {

constexpr std::size_t kArchiveBlockBytes = 64 * 1024;

core::Error name_error(std::string_view raw, std::string why) {
  const std::string shown = detail::printable(raw);
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          "ZIP member name '" + shown + "' " + std::move(why),
                          "rename the attachment in Benchling to a plain relative path and export again")
      .with("member", shown);
}

core::Error read_error(std::string message, std::string_view member) {
  core::Error e =
      core::make_error(core::ErrorCode::kInvalidArgument, "ZIP export rejected: " + std::move(message),
                       "check the entry's attachments in Benchling and export it again");
  if (!member.empty()) e.with("member", detail::printable(member));
  return e;
}

}  // namespace

core::Result<std::string> safe_member_name(std::string_view raw) {
  if (raw.empty()) return name_error(raw, "is empty");
  if (raw.size() > kMaxMemberNameBytes) {
    return name_error(raw, "is longer than " + std::to_string(kMaxMemberNameBytes) + " bytes");
  }
  if (!core::is_valid_utf8(raw)) return name_error(raw, "is not valid UTF-8");
  if (detail::has_control_char(raw)) return name_error(raw, "contains a control character");
  if (raw.find('\\') != std::string_view::npos) {
    return name_error(raw, "contains a backslash, which Windows reads as a path separator");
  }
  if (raw.front() == '/') return name_error(raw, "is an absolute path");
  std::string out;
  out.reserve(raw.size());
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('/', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view segment = raw.substr(start, end - start);
    if (segment == "..") return name_error(raw, "contains a '..' segment that leaves the package folder");
    if (!segment.empty() && segment != ".") {
      if (!out.empty()) out += '/';
      out.append(segment);
    }
    start = end + 1;
  }
  if (out.empty()) return name_error(raw, "names no file");
  // Checked on the normalized name: "./C:/x" is still a drive path once "./" is gone (found by fuzzing).
  if (out.size() >= 2 && out[1] == ':' && std::isalpha(static_cast<unsigned char>(out[0]))) {
    return name_error(raw, "starts with a Windows drive letter");
  }
  return out;
}

core::Result<std::vector<ZipMember>> scan(const std::filesystem::path& path, const ZipLimits& limits) {
  auto entries = detail::read_central_directory(path, limits);
  if (!entries) return entries.error();
  std::vector<ZipMember> members;
  for (const auto& e : *entries) {
    if (!e.is_dir) members.push_back(ZipMember{e.name, e.size, e.compressed_size});
  }
  return members;
}

struct ZipReader::Impl {
  ZipLimits limits;
  std::filesystem::path path;
  std::vector<detail::CentralEntry> entries;  // every record, in local-header order
  std::vector<ZipMember> members;
  archive* a = nullptr;
  std::size_t next_index = 0;          // next record libarchive will return
  std::optional<std::size_t> current;  // record being read
  std::uint64_t member_bytes = 0;
  std::uint64_t total_bytes = 0;
  bool member_done = false;
  std::optional<core::Error> failure;

  ~Impl() {
    if (a) archive_read_free(a);
  }

  core::Error fail(core::Error e) {
    failure = e;
    return e;
  }
  std::string libarchive_message() const {
    const char* s = a ? archive_error_string(a) : nullptr;
    return s ? detail::printable(s) : std::string("unknown libarchive error");
  }
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

core::Result<ZipReader> ZipReader::open(const std::filesystem::path& path, const ZipLimits& limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->path = path;
  auto entries = detail::read_central_directory(path, limits);
  if (!entries) return entries.error();
  impl->entries = std::move(*entries);
  for (const auto& e : impl->entries) {
    if (!e.is_dir) impl->members.push_back(ZipMember{e.name, e.size, e.compressed_size});
  }
  // libarchive does not recognize an archive without records: nothing to stream then.
  if (impl->entries.empty()) return ZipReader(std::move(impl));

  impl->a = archive_read_new();
  if (!impl->a) return core::make_error(core::ErrorCode::kInternal, "libarchive could not allocate a reader");
  // Only the seekable ZIP reader: it trusts the central directory (which scan() checked), never a
  // streamed guess from local headers.
  archive_read_support_format_zip_seekable(impl->a);
  if (archive_read_open_filename(impl->a, path.c_str(), kArchiveBlockBytes) != ARCHIVE_OK) {
    return read_error("libarchive cannot open it: " + impl->libarchive_message(), "");
  }
  return ZipReader(std::move(impl));
}

core::Result<std::optional<ZipMember>> ZipReader::next() {
  Impl& s = *impl_;
  if (s.failure) return *s.failure;
  s.current.reset();
  while (s.next_index < s.entries.size()) {
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(s.a, &entry);
    const std::size_t index = s.next_index++;
    const detail::CentralEntry& ce = s.entries[index];
    if (rc == ARCHIVE_EOF) {
      return s.fail(
          read_error("the archive ends before member '" + detail::printable(ce.name) + "'", ce.name));
    }
    // ARCHIVE_WARN is a name-conversion warning; the name we use comes from scan().
    if (rc < ARCHIVE_WARN) {
      return s.fail(read_error(
          "member '" + detail::printable(ce.name) + "' is corrupt: " + s.libarchive_message(), ce.name));
    }
    if (archive_entry_is_encrypted(entry)) {
      return s.fail(read_error("member '" + detail::printable(ce.name) + "' is encrypted", ce.name));
    }
    const auto type = archive_entry_filetype(entry);
    const bool dir = type == AE_IFDIR;
    if (dir != ce.is_dir || (!dir && type != AE_IFREG)) {
      return s.fail(read_error("member '" + detail::printable(ce.name) +
                                   "' has a local header that disagrees with the central directory",
                               ce.name));
    }
    if (dir) continue;
    s.current = index;
    s.member_bytes = 0;
    s.member_done = false;
    return std::optional<ZipMember>(ZipMember{ce.name, ce.size, ce.compressed_size});
  }
  return std::optional<ZipMember>();
}

core::Result<std::size_t> ZipReader::read(char* buf, std::size_t cap) {
  Impl& s = *impl_;
  if (s.failure) return *s.failure;
  if (!s.current) {
    return core::make_error(core::ErrorCode::kInternal, "ZipReader::read called without a current member");
  }
  if (cap == 0)
    return core::make_error(core::ErrorCode::kInternal, "ZipReader::read called with an empty buffer");
  if (s.member_done) return std::size_t{0};
  const detail::CentralEntry& ce = s.entries[*s.current];
  const std::string shown = detail::printable(ce.name);

  const la_ssize_t n = archive_read_data(s.a, buf, cap);
  if (n < 0)
    return s.fail(read_error("member '" + shown + "' cannot be read: " + s.libarchive_message(), ce.name));
  if (n == 0) {
    if (s.member_bytes != ce.size) {
      return s.fail(read_error("member '" + shown + "' ends after " + std::to_string(s.member_bytes) +
                                   " bytes but declares " + std::to_string(ce.size),
                               ce.name));
    }
    s.member_done = true;
    return std::size_t{0};
  }
  s.member_bytes += static_cast<std::uint64_t>(n);
  s.total_bytes += static_cast<std::uint64_t>(n);
  if (s.member_bytes > ce.size) {
    return s.fail(read_error("member '" + shown + "' holds more than its declared " +
                                 std::to_string(ce.size) + " bytes (a ZIP bomb or a corrupt archive)",
                             ce.name));
  }
  if (s.total_bytes > s.limits.max_total_bytes) {
    return s.fail(read_error("the archive expands to more than the limit of " +
                                 std::to_string(s.limits.max_total_bytes) + " bytes",
                             ce.name));
  }
  return static_cast<std::size_t>(n);
}

const std::vector<ZipMember>& ZipReader::members() const {
  return impl_->members;
}

std::uint64_t ZipReader::total_bytes_read() const {
  return impl_->total_bytes;
}

}  // namespace bw::packaging
