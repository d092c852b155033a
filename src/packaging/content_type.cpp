#include "packaging/content_type.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/ascii.hpp"

namespace bw::packaging {

namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";

// Sorted by extension for binary search.
constexpr std::array<std::pair<std::string_view, std::string_view>, 50> kTypes = {{
    {"7z", "application/x-7z-compressed"},
    {"ab1", "application/octet-stream"},
    {"bmp", "image/bmp"},
    {"bz2", "application/x-bzip2"},
    {"csv", "text/csv"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"fa", "text/plain"},
    {"faa", "text/plain"},
    {"fasta", "text/plain"},
    {"fastq", "text/plain"},
    {"fna", "text/plain"},
    {"fq", "text/plain"},
    {"gb", "text/plain"},
    {"gbk", "text/plain"},
    {"genbank", "text/plain"},
    {"gif", "image/gif"},
    {"gz", "application/gzip"},
    {"htm", "text/html"},
    {"html", "text/html"},
    {"ipynb", "application/x-ipynb+json"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript"},
    {"json", "application/json"},
    {"jsonl", "application/x-ndjson"},
    {"log", "text/plain"},
    {"md", "text/markdown"},
    {"mp4", "video/mp4"},
    {"parquet", "application/vnd.apache.parquet"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"rtf", "application/rtf"},
    {"sbd", "application/octet-stream"},
    {"svg", "image/svg+xml"},
    {"tar", "application/x-tar"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"tsv", "text/tab-separated-values"},
    {"txt", "text/plain"},
    {"webp", "image/webp"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"xml", "application/xml"},
    {"yaml", "application/yaml"},
    {"yml", "application/yaml"},
    {"zip", "application/zip"},
    {"zst", "application/zstd"},
}};

constexpr bool sorted() {
  for (std::size_t i = 1; i < kTypes.size(); ++i) {
    if (!(kTypes[i - 1].first < kTypes[i].first)) return false;
  }
  return true;
}

}  // namespace

std::string content_type_for(std::string_view name) {
  const std::size_t slash = name.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  const std::size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == base.size()) return std::string(kOctetStream);
  if (base.size() - dot - 1 > 16) return std::string(kOctetStream);
  const std::string ext = core::ascii_lower(base.substr(dot + 1));
  static_assert(sorted(), "kTypes must stay sorted by extension");
  const auto it = std::lower_bound(kTypes.begin(), kTypes.end(), std::string_view(ext),
                                   [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (it == kTypes.end() || it->first != ext) return std::string(kOctetStream);
  return std::string(it->second);
}

}  // namespace bw::packaging
