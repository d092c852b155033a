#include "canvas/top_hash.hpp"

#include <openssl/evp.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <system_error>

#include "core/encoding.hpp"
#include "core/py_repr.hpp"

namespace bw::canvas {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void append_u_escape(std::string& out, std::uint32_t unit) {
  out.append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHexDigits[(unit >> shift) & 0xf]);
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or nullopt (i advanced by one
// byte) for an invalid sequence.
std::optional<std::uint32_t> next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xe0) == 0xc0) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return std::nullopt;
  }
  if (i + len > s.size()) {
    ++i;
    return std::nullopt;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++i;
    return std::nullopt;
  }
  i += len;
  return cp;
}

// CPython's c_encode_basestring_ascii.
void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        ++i;
        continue;
      case '\\':
        out.append("\\\\");
        ++i;
        continue;
      case '\n':
        out.append("\\n");
        ++i;
        continue;
      case '\r':
        out.append("\\r");
        ++i;
        continue;
      case '\t':
        out.append("\\t");
        ++i;
        continue;
      case '\b':
        out.append("\\b");
        ++i;
        continue;
      case '\f':
        out.append("\\f");
        ++i;
        continue;
      default:
        break;
    }
    const std::uint32_t cp = next_code_point(s, i).value_or(0xfffd);
    if (cp >= 0x10000) {
      const std::uint32_t v = cp - 0x10000;
      append_u_escape(out, 0xd800 | (v >> 10));
      append_u_escape(out, 0xdc00 | (v & 0x3ff));
    } else {
      append_u_escape(out, cp);
    }
  }
  out.push_back('"');
}

// Python's float.__repr__ (PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)); json.dumps writes
// NaN and Infinity, not repr's nan and inf.
void append_double(std::string& out, double d) {
  if (std::isnan(d)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(d)) {
    out.append(d < 0 ? "-Infinity" : "Infinity");
    return;
  }
  core::append_py_float(out, d);
}

void append_value(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out.append("null");
      return;
    case boost::json::kind::bool_:
      out.append(v.get_bool() ? "true" : "false");
      return;
    case boost::json::kind::int64:
      out.append(std::to_string(v.get_int64()));
      return;
    case boost::json::kind::uint64:
      out.append(std::to_string(v.get_uint64()));
      return;
    case boost::json::kind::double_:
      append_double(out, v.get_double());
      return;
    case boost::json::kind::string:
      append_string(out, v.get_string());
      return;
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_value(out, item);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::object: {
      const auto& obj = v.get_object();
      std::vector<const boost::json::key_value_pair*> members;
      members.reserve(obj.size());
      for (const auto& kv : obj) members.push_back(&kv);
      // std::string_view compares like memcmp (unsigned bytes), i.e. by code point for UTF-8.
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      bool first = true;
      for (const auto* kv : members) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, kv->key());
        out.push_back(':');
        append_value(out, kv->value());
      }
      out.push_back('}');
      return;
    }
  }
}

// Sort key of one byte in walk() order: '/' ends a component, so it sorts before every other byte.
unsigned walk_rank(char c) {
  return c == '/' ? 0u : static_cast<unsigned>(static_cast<unsigned char>(c)) + 1u;
}

std::string entry_part(const ManifestEntry& e) {
  // Keys already in sorted order: hash, logical_key, meta, size.
  std::string out = "{\"hash\":";
  append_value(out, e.hash);
  out.append(",\"logical_key\":");
  append_string(out, e.logical_key);
  out.append(",\"meta\":");
  append_value(out, e.meta);
  out.append(",\"size\":").append(std::to_string(e.size)).push_back('}');
  return out;
}

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Incremental SHA-256 (core::sha256 takes the whole input at once; the parts are hashed one by one).
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr); }
  void update(std::string_view data) { EVP_DigestUpdate(ctx_.get(), data.data(), data.size()); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), md, &len);
    return core::hex_encode(std::string_view(reinterpret_cast<const char*>(md), len));
  }

 private:
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx_;
};

bool is_proper_dir_prefix(std::string_view dir, std::string_view key) {
  return key.size() > dir.size() && key.starts_with(dir) && key[dir.size()] == '/';
}

}  // namespace

std::string python_json(const boost::json::value& v) {
  std::string out;
  append_value(out, v);
  return out;
}

bool walk_less(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return walk_rank(x) < walk_rank(y); });
}

TopHashBuilder::TopHashBuilder(const boost::json::object& meta) {
  append_value(meta_part_, meta);
}

void TopHashBuilder::add(const ManifestEntry& entry) {
  parts_.emplace_back(entry.logical_key, entry_part(entry));
}

core::Result<std::string> TopHashBuilder::finish() {
  std::stable_sort(parts_.begin(), parts_.end(),
                   [](const auto& a, const auto& b) { return walk_less(a.first, b.first); });
  // In walk order a key's extensions ("a/…") directly follow it, so adjacent pairs show every conflict.
  for (std::size_t i = 1; i < parts_.size(); ++i) {
    const std::string& prev = parts_[i - 1].first;
    const std::string& cur = parts_[i].first;
    if (prev == cur || is_proper_dir_prefix(prev, cur)) {
      return core::make_error(core::ErrorCode::kInvalidArgument,
                              prev == cur ? "manifest lists logical key '" + cur + "' twice"
                                          : "manifest lists '" + prev + "' as a file and as a directory",
                              "The manifest is not a valid Quilt package; push the package again")
          .with("logical key", cur);
    }
  }
  Sha256 sha;
  sha.update(meta_part_);
  for (const auto& part : parts_) sha.update(part.second);
  return sha.hex();
}

std::string top_hash(const ManifestHeader& meta, std::vector<ManifestEntry> entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return walk_less(a.logical_key, b.logical_key); });
  Sha256 sha;
  sha.update(python_json(meta.meta));
  for (const auto& e : entries) sha.update(entry_part(e));
  return sha.hex();
}

bool is_top_hash(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace bw::canvas
