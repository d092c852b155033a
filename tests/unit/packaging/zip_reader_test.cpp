#include "packaging/zip_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bw::packaging {
namespace {

namespace fs = std::filesystem;
constexpr std::uint64_t kMiB = 1024 * 1024;

// ---- a tiny ZIP writer with full control over the bytes (stored members only) ----

std::uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>(v >> 8);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
  put16(s, static_cast<std::uint16_t>(v >> 16));
}

constexpr std::uint16_t kUtf8Flag = 0x0800;
constexpr std::uint32_t kFileAttributes = 0100644u << 16;
constexpr std::uint32_t kDirAttributes = 040755u << 16;

struct RawMember {
  std::string name;
  std::string data;
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t external = kFileAttributes;
  std::optional<std::uint32_t> declared_size;  // overrides the uncompressed size in both headers
};

RawMember dir(std::string name) {
  return RawMember{std::move(name), "", 0, 0, kDirAttributes, std::nullopt};
}
RawMember file(std::string name, std::string data, std::uint16_t flags = 0) {
  return RawMember{std::move(name), std::move(data), flags, 0, kFileAttributes, std::nullopt};
}

//! With `alias`, one more central record named `alias` points at the first member's data.
std::string build_zip(const std::vector<RawMember>& members, const std::string& alias = "") {
  std::string out, central;
  std::uint16_t count = 0;
  auto record = [&](const RawMember& m, std::uint32_t offset, std::string_view name) {
    const std::uint32_t crc = crc32(m.data);
    const auto csize = static_cast<std::uint32_t>(m.data.size());
    const std::uint32_t usize = m.declared_size.value_or(csize);
    central += "PK\x01\x02";
    put16(central, (3 << 8) | 20);
    put16(central, 20);
    put16(central, m.flags);
    put16(central, m.method);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, csize);
    put32(central, usize);
    put16(central, static_cast<std::uint16_t>(name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, m.external);
    put32(central, offset);
    central += name;
    ++count;
  };
  for (const auto& m : members) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    out += "PK\x03\x04";
    put16(out, 20);
    put16(out, m.flags);
    put16(out, m.method);
    put16(out, 0);
    put16(out, 0x21);
    put32(out, crc32(m.data));
    put32(out, static_cast<std::uint32_t>(m.data.size()));
    put32(out, m.declared_size.value_or(static_cast<std::uint32_t>(m.data.size())));
    put16(out, static_cast<std::uint16_t>(m.name.size()));
    put16(out, 0);
    out += m.name;
    out += m.data;
    record(m, offset, m.name);
  }
  if (!alias.empty()) record(members.front(), 0, alias);
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  out += "PK\x05\x06";
  put16(out, 0);
  put16(out, 0);
  put16(out, count);
  put16(out, count);
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, cd_offset);
  put16(out, 0);
  return out;
}

// ---- fixtures ----

class ZipReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("bw-zip-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& bytes, const std::string& name = "export.zip") {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  //! A deflated single-member ZIP written by libarchive, `size` bytes from `byte_at`.
  fs::path write_deflated(const std::string& name, std::uint64_t size,
                          const std::function<char(std::uint64_t)>& byte_at) {
    const fs::path p = dir_ / "deflated.zip";
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_zip_set_compression_deflate(a);
    EXPECT_EQ(archive_write_open_filename(a, p.c_str()), ARCHIVE_OK);
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK);
    std::string chunk;
    for (std::uint64_t done = 0; done < size;) {
      const std::uint64_t n = std::min<std::uint64_t>(size - done, 1 * kMiB);
      chunk.resize(n);
      for (std::uint64_t i = 0; i < n; ++i) chunk[i] = byte_at(done + i);
      EXPECT_EQ(archive_write_data(a, chunk.data(), chunk.size()), static_cast<la_ssize_t>(n));
      done += n;
    }
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return p;
  }

  fs::path dir_;
};

std::string read_all(ZipReader& zip, std::size_t chunk = 7) {
  std::string out;
  std::vector<char> buf(chunk);
  for (;;) {
    auto n = zip.read(buf.data(), buf.size());
    EXPECT_TRUE(n) << n.error().message;
    if (!n || *n == 0) return out;
    out.append(buf.data(), *n);
  }
}

std::vector<std::string> names_of(const std::vector<ZipMember>& members) {
  std::vector<std::string> out;
  for (const auto& m : members) out.push_back(m.name);
  return out;
}

// ---- safe_member_name ----

TEST(SafeMemberName, KeepsPlainRelativePaths) {
  EXPECT_EQ(safe_member_name("report.pdf").value(), "report.pdf");
  EXPECT_EQ(safe_member_name("a/b/c.txt").value(), "a/b/c.txt");
  EXPECT_EQ(safe_member_name("...").value(), "...");
  EXPECT_EQ(safe_member_name("a..b/..c").value(), "a..b/..c");
  EXPECT_EQ(safe_member_name("r\xc3\xa9sum\xc3\xa9 \xce\xb2.txt").value(),
            "r\xc3\xa9sum\xc3\xa9 \xce\xb2.txt");
}

TEST(SafeMemberName, NormalizesDotAndEmptySegments) {
  EXPECT_EQ(safe_member_name("./a//b/./c.txt").value(), "a/b/c.txt");
  EXPECT_EQ(safe_member_name("a/b/").value(), "a/b");
}

TEST(SafeMemberName, RejectsTraversalAbsoluteAndControlNames) {
  const std::vector<std::string> bad = {
      "",          "../x",  "/etc/passwd", "a/../../x",   "a/..",          "..",
      "a\\..\\x",  "C:\\x", "C:/x",        "c:x",         "\\\\server\\x", std::string("a\0b", 3),
      "a\x1b[31m", "a\x7f", "a\xc2\x85",   "\xff.txt",    "\xc0\xaf",      "\xed\xa0\x80",
      "./",        "//",    "./C:/a/",     "//e:c/passd",  // drive letters hidden behind "./" (fuzzer)
  };
  for (const auto& name : bad) {
    auto r = safe_member_name(name);
    ASSERT_FALSE(r) << "accepted: " << name;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(SafeMemberName, ErrorNamesTheMemberWithControlsEscaped) {
  auto r = safe_member_name(std::string("evil\0/../x", 10));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("evil\\x00/../x"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find('\0'), std::string::npos);
}

TEST(SafeMemberName, LengthLimitIs1024Bytes) {
  EXPECT_TRUE(safe_member_name(std::string(1024, 'a')));
  EXPECT_FALSE(safe_member_name(std::string(1025, 'a')));
}

// ---- scan ----

TEST_F(ZipReaderTest, ScanListsFilesInArchiveOrderSkippingFolders) {
  const auto p = write(build_zip({dir("data/"), dir("data/raw/"), file("data/raw/plate1.csv", "a,b\n1,2\n"),
                                  file("README.txt", "hi"), file("data/summary.json", "{}")}));
  auto members = scan(p);
  ASSERT_TRUE(members) << members.error().message;
  EXPECT_EQ(names_of(*members),
            (std::vector<std::string>{"data/raw/plate1.csv", "README.txt", "data/summary.json"}));
  EXPECT_EQ((*members)[0].size, 8u);
  EXPECT_EQ((*members)[1].size, 2u);
}

TEST_F(ZipReaderTest, EmptyArchiveHasNoMembers) {
  const auto p = write(build_zip({}));
  auto members = scan(p);
  ASSERT_TRUE(members) << members.error().message;
  EXPECT_TRUE(members->empty());
  auto zip = ZipReader::open(p);
  ASSERT_TRUE(zip) << zip.error().message;
  auto next = zip->next();
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->has_value());
}

TEST_F(ZipReaderTest, ArchiveOfOnlyFoldersYieldsNoMembers) {
  const auto p = write(build_zip({dir("a/"), dir("a/b/")}));
  auto zip = ZipReader::open(p);
  ASSERT_TRUE(zip) << zip.error().message;
  auto next = zip->next();
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_FALSE(next->has_value());
}

TEST_F(ZipReaderTest, ZipSlipNamesAreRejectedByScanAndOpen) {
  const std::vector<std::string> bad = {"../x",     "/etc/passwd", "a/../../x",
                                        "a\\..\\x", "C:\\x",       std::string("ok.txt\0.exe", 11)};
  for (const auto& name : bad) {
    const auto p = write(build_zip({file("good.txt", "fine"), file(name, "evil")}));
    auto members = scan(p);
    ASSERT_FALSE(members) << "accepted: " << name;
    EXPECT_EQ(members.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(members.error().message.find("ZIP export rejected"), std::string::npos)
        << members.error().message;
    // open() scans first, so not even the good member before it can be read.
    EXPECT_FALSE(ZipReader::open(p)) << name;
  }
}

TEST_F(ZipReaderTest, UnsafeFolderNamesAlsoRejectTheArchive) {
  const auto p = write(build_zip({dir("../up/"), file("a.txt", "x")}));
  EXPECT_FALSE(scan(p));
}

TEST_F(ZipReaderTest, InvalidUtf8NameIsRejected) {
  const auto p = write(build_zip({file("caf\xe9.txt", "latin-1 name", kUtf8Flag)}));
  auto members = scan(p);
  ASSERT_FALSE(members);
  EXPECT_NE(members.error().message.find("UTF-8"), std::string::npos);
}

TEST_F(ZipReaderTest, TooManyMembersIsRejected) {
  std::vector<RawMember> members;
  for (int i = 0; i < 11; ++i) {
    std::string name = "f";  // not "f" + to_string(i): GCC 12 -O3 warns falsely (-Wrestrict) on that
    name += std::to_string(i);
    members.push_back(file(name, "x"));
  }
  const auto p = write(build_zip(members));
  ZipLimits limits;
  limits.max_members = 10;
  auto r = scan(p, limits);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("11 members"), std::string::npos) << r.error().message;
  limits.max_members = 11;
  EXPECT_TRUE(scan(p, limits));
}

TEST_F(ZipReaderTest, DuplicateNamesAfterNormalizationAreRejected) {
  const auto p = write(build_zip({file("a.txt", "1"), file("./a.txt", "2")}));
  auto r = scan(p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("twice"), std::string::npos);
}

TEST_F(ZipReaderTest, OverlappingMembersAreRejected) {
  const auto p = write(build_zip({file("a.txt", "payload"), file("b.txt", "other")}, "alias.txt"));
  auto r = scan(p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("overlaps"), std::string::npos) << r.error().message;
}

TEST_F(ZipReaderTest, EncryptedMemberIsRejected) {
  const auto p = write(build_zip({file("secret.txt", "xxxx", 0x0001)}));
  auto r = scan(p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("encrypted"), std::string::npos);
}

TEST_F(ZipReaderTest, UnsupportedCompressionMethodIsRejected) {
  RawMember m = file("a.bin", "xxxx");
  m.method = 9;  // Deflate64
  auto r = scan(write(build_zip({m})));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("compression method 9"), std::string::npos);
}

TEST_F(ZipReaderTest, SymlinkMemberIsRejected) {
  RawMember m = file("link", "/etc/passwd");
  m.external = 0120777u << 16;
  auto r = scan(write(build_zip({m})));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos);
}

TEST_F(ZipReaderTest, StoredMemberWithMismatchedDeclaredSizeIsRejected) {
  RawMember m = file("a.txt", "hello");
  m.declared_size = 5000;
  auto r = scan(write(build_zip({m})));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(ZipReaderTest, GarbageAndTruncatedFilesAreRejected) {
  auto garbage = scan(write(std::string(4096, 'z')));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(scan(write("PK")));

  const std::string zip = build_zip({file("a.txt", std::string(1000, 'a')), file("b.txt", "b")});
  auto cut = scan(write(zip.substr(0, zip.size() - 30)));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(ZipReaderTest, MissingFileIsAnInternalError) {
  auto r = scan(dir_ / "nope.zip");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInternal);
}

// ---- reading ----

TEST_F(ZipReaderTest, ReaderStreamsEachFileInOrder) {
  const auto p = write(build_zip({dir("d/"), file("d/one.txt", "first member"), dir("d/e/"),
                                  file("d/e/two.csv", "x,y\n3,4\n"), file("three", "")}));
  auto zip = ZipReader::open(p);
  ASSERT_TRUE(zip) << zip.error().message;
  EXPECT_EQ(zip->members().size(), 3u);
  std::vector<std::pair<std::string, std::string>> seen;
  for (;;) {
    auto m = zip->next();
    ASSERT_TRUE(m) << m.error().message;
    if (!*m) break;
    seen.emplace_back((*m)->name, read_all(*zip));
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"d/one.txt", "first member"}, {"d/e/two.csv", "x,y\n3,4\n"}, {"three", ""}}));
  EXPECT_EQ(zip->total_bytes_read(), 20u);
}

TEST_F(ZipReaderTest, NonAsciiNamesKeepTheirUtf8Bytes) {
  const std::string flagged =
      "donn\xc3\xa9"
      "es/r\xc3\xa9sum\xc3\xa9-\xce\xb2.txt";
  const std::string unflagged = "\xe5\xae\x9f\xe9\xa8\x93.csv";  // valid UTF-8 without the flag: kept as is
  const auto p = write(build_zip({file(flagged, "one", kUtf8Flag), file(unflagged, "two")}));
  auto zip = ZipReader::open(p);
  ASSERT_TRUE(zip) << zip.error().message;
  auto m = zip->next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->name, flagged);
  EXPECT_EQ(read_all(*zip), "one");
  m = zip->next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->name, unflagged);
  EXPECT_EQ(read_all(*zip), "two");
}

TEST_F(ZipReaderTest, UnreadMemberDataIsSkipped) {
  const auto p = write(build_zip({file("a", std::string(5000, 'a')), file("b", "bee")}));
  auto zip = ZipReader::open(p);
  ASSERT_TRUE(zip);
  ASSERT_TRUE(zip->next().value().has_value());
  auto m = zip->next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->name, "b");
  EXPECT_EQ(read_all(*zip), "bee");
}

TEST_F(ZipReaderTest, LargeMemberStreamsInBoundedChunks) {
  constexpr std::uint64_t kSize = 20 * kMiB;
  auto byte_at = [](std::uint64_t i) { return static_cast<char>((i * 131 + (i >> 12)) & 0xFF); };
  const auto p = write_deflated("big/data.bin", kSize, byte_at);
  auto zip = ZipReader::open(p);
  ASSERT_TRUE(zip) << zip.error().message;
  auto m = zip->next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->size, kSize);

  std::vector<char> buf(64 * 1024);
  std::uint64_t offset = 0;
  std::size_t reads = 0, mismatches = 0;
  for (;;) {
    auto n = zip->read(buf.data(), buf.size());
    ASSERT_TRUE(n) << n.error().message;
    if (*n == 0) break;
    ASSERT_LE(*n, buf.size());
    for (std::size_t i = 0; i < *n; ++i) mismatches += buf[i] != byte_at(offset + i);
    offset += *n;
    ++reads;
  }
  EXPECT_EQ(offset, kSize);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GE(reads, kSize / buf.size());
  EXPECT_FALSE(zip->next().value().has_value());
}

TEST_F(ZipReaderTest, DeclaredTotalAboveLimitIsRejectedBeforeReading) {
  const auto p = write_deflated("zeros.bin", 100 * kMiB, [](std::uint64_t) { return '\0'; });
  EXPECT_LT(fs::file_size(p), 1 * kMiB);
  ZipLimits limits;
  limits.max_total_bytes = 10 * kMiB;
  auto r = scan(p, limits);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("10485760"), std::string::npos) << r.error().message;
  EXPECT_FALSE(ZipReader::open(p, limits));
}

//! Rewrites every uncompressed-size field of a libarchive single-member ZIP (local header, data
//! descriptor, central record) to `size`, the way a bomb lies about its content.
std::string with_declared_size(std::string zip, std::uint32_t size) {
  auto set32 = [&](std::size_t at) {
    for (int k = 0; k < 4; ++k) zip[at + k] = static_cast<char>((size >> (8 * k)) & 0xFF);
  };
  const std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  std::uint32_t cd = 0;
  for (int k = 3; k >= 0; --k) cd = (cd << 8) | static_cast<unsigned char>(zip[eocd + 16 + k]);
  set32(cd + 24);                                           // central record
  set32(22);                                                // local header
  set32(zip.rfind(std::string("PK\x07\x08", 4), cd) + 12);  // data descriptor
  return zip;
}

TEST_F(ZipReaderTest, MemberLargerThanDeclaredFailsWhileReading) {
  const auto honest = write_deflated("zeros.bin", 100 * kMiB, [](std::uint64_t) { return '\0'; });
  std::ifstream in(honest, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto p = write(with_declared_size(bytes, 1 * kMiB), "liar.zip");

  ZipLimits limits;
  limits.max_total_bytes = 10 * kMiB;
  auto zip = ZipReader::open(p, limits);  // the declared sizes pass the checks
  ASSERT_TRUE(zip) << zip.error().message;
  auto m = zip->next();
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->size, 1 * kMiB);
  std::vector<char> buf(64 * 1024);
  std::optional<core::Error> failure;
  while (!failure) {
    auto n = zip->read(buf.data(), buf.size());
    if (!n) {
      failure = n.error();
    } else if (*n == 0) {
      break;
    }
  }
  ASSERT_TRUE(failure) << "read the whole bomb";
  EXPECT_EQ(failure->code, core::ErrorCode::kInvalidArgument);
  EXPECT_LE(zip->total_bytes_read(), 1 * kMiB + buf.size());
  // The reader stays failed.
  EXPECT_FALSE(zip->read(buf.data(), buf.size()));
  EXPECT_FALSE(zip->next());
}

TEST_F(ZipReaderTest, CorruptMemberDataFailsOnRead) {
  std::string zip = build_zip({file("a.txt", std::string(100, 'a'))});
  zip[30 + 5 + 50] = 'b';  // flip one stored byte: the CRC no longer matches
  auto reader = ZipReader::open(write(zip));
  ASSERT_TRUE(reader) << reader.error().message;
  ASSERT_TRUE(reader->next().value().has_value());
  std::vector<char> buf(4096);
  bool failed = false;
  for (int i = 0; i < 10 && !failed; ++i) {
    auto n = reader->read(buf.data(), buf.size());
    if (!n) {
      failed = true;
      EXPECT_EQ(n.error().code, core::ErrorCode::kInvalidArgument);
    } else if (*n == 0) {
      break;
    }
  }
  EXPECT_TRUE(failed);
}

TEST_F(ZipReaderTest, CorruptedArchivesFailCleanlyAndNeverYieldUnsafeNames) {
  const std::string good = build_zip({dir("d/"), file("d/a.txt", std::string(300, 'a')),
                                      file("b.csv", "1,2\n"), file("c", std::string(40, 'c'), kUtf8Flag)});
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto rnd = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<char> buf(64);
  for (int round = 0; round < 1500; ++round) {
    std::string bytes = good;
    const int flips = 1 + static_cast<int>(rnd() % 4);
    for (int k = 0; k < flips; ++k) bytes[rnd() % bytes.size()] = static_cast<char>(rnd() & 0xFF);
    if (round % 5 == 0) bytes.resize(rnd() % bytes.size());
    const auto p = write(bytes, "fuzz.zip");
    auto zip = ZipReader::open(p);
    if (!zip) continue;
    for (int guard = 0; guard < 16; ++guard) {
      auto m = zip->next();
      if (!m || !*m) break;
      ASSERT_TRUE(safe_member_name((*m)->name)) << (*m)->name;
      std::uint64_t got = 0;
      for (;;) {
        auto n = zip->read(buf.data(), buf.size());
        if (!n || *n == 0) break;
        got += *n;
      }
      ASSERT_LE(got, (*m)->size);
    }
  }
}

TEST_F(ZipReaderTest, ReadWithoutCurrentMemberIsAnError) {
  auto zip = ZipReader::open(write(build_zip({file("a", "1")})));
  ASSERT_TRUE(zip);
  char c;
  EXPECT_FALSE(zip->read(&c, 1));
}

}  // namespace
}  // namespace bw::packaging
