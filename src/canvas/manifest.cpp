#include "canvas/manifest.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <utility>

#include "canvas/top_hash.hpp"

namespace bw::canvas {

namespace {

constexpr std::string_view kDamaged = "The package manifest is damaged; push the package again";

std::string member_string(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

core::Error bad_line(std::size_t line, std::string what) {
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          "manifest line " + std::to_string(line) + " " + std::move(what),
                          std::string(kDamaged))
      .with("line", std::to_string(line));
}

}  // namespace

std::string ManifestHeader::version() const {
  return member_string(meta, "version");
}

std::optional<std::string> ManifestHeader::message() const {
  const auto* v = meta.if_contains("message");
  if (v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

boost::json::value ManifestHeader::user_meta() const {
  const auto* v = meta.if_contains("user_meta");
  return v ? *v : boost::json::value();
}

std::string ManifestEntry::hash_type() const {
  return member_string(hash, "type");
}

std::string ManifestEntry::hash_value() const {
  return member_string(hash, "value");
}

ManifestParser::ManifestParser(EntryFn on_entry) : ManifestParser(std::move(on_entry), Options{}) {}

ManifestParser::ManifestParser(EntryFn on_entry, Options options)
    : on_entry_(std::move(on_entry)), options_(options) {}

ManifestParser::~ManifestParser() = default;

core::Error ManifestParser::fail(core::Error e) {
  failed_ = e;
  partial_.clear();
  partial_.shrink_to_fit();
  return e;
}

core::Result<void> ManifestParser::feed(std::string_view bytes) {
  if (failed_) return *failed_;
  if (finished_) return core::make_error(core::ErrorCode::kInternal, "manifest parser fed after finish()");
  const std::size_t max_line = options_.limits.max_record_bytes + 1;  // room for a '\r' before the '\n'
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);
    if (partial_.size() + piece.size() > max_line) {
      return fail(bad_line(line_ + 1, "is longer than " + std::to_string(options_.limits.max_record_bytes) +
                                          " bytes (quilt3's limit for one record)"));
    }
    if (nl == std::string_view::npos) {
      partial_.append(piece);
      return {};
    }
    core::Result<void> r;
    if (partial_.empty()) {
      r = line(piece);  // the whole line is in this chunk: no copy
    } else {
      partial_.append(piece);
      r = line(partial_);
      partial_.clear();
    }
    if (!r) return fail(r.error());
    bytes.remove_prefix(nl + 1);
  }
  return {};
}

core::Result<void> ManifestParser::finish() {
  if (failed_) return *failed_;
  if (finished_) return {};
  if (!partial_.empty()) {
    auto r = line(partial_);
    partial_.clear();
    if (!r) return fail(r.error());
  }
  finished_ = true;
  if (!header_) {
    return fail(core::make_error(core::ErrorCode::kInvalidArgument, "manifest is empty (no header line)",
                                 std::string(kDamaged)));
  }
  if (hasher_) top_hash_ = hasher_->finish();
  hasher_.reset();
  return {};
}

core::Result<void> ManifestParser::line(std::string_view text) {
  ++line_;
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (is_blank(text)) return {};
  if (text.size() > options_.limits.max_record_bytes) {
    return bad_line(line_, "is longer than " + std::to_string(options_.limits.max_record_bytes) +
                               " bytes (quilt3's limit for one record)");
  }

  boost::json::parse_options popts;
  popts.max_depth = options_.limits.max_depth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, {}, popts);
  if (ec) return bad_line(line_, "is not valid JSON (" + ec.message() + ")");
  if (!v.is_object()) return bad_line(line_, "is not a JSON object");
  boost::json::object& obj = v.get_object();

  if (!header_) {
    obj.erase("top_hash");  // obsolete since quilt PR #130; quilt3 drops it before hashing
    header_ = ManifestHeader{std::move(obj)};
    if (options_.compute_top_hash) hasher_ = std::make_unique<TopHashBuilder>(header_->meta);
    return {};
  }

  if (++records_ > options_.limits.max_entries) {
    return bad_line(line_, "exceeds the limit of " + std::to_string(options_.limits.max_entries) +
                               " entries per manifest");
  }
  const auto* key = obj.if_contains("logical_key");
  if (!key || !key->is_string()) return bad_line(line_, "has no string \"logical_key\"");

  const auto* pks = obj.if_contains("physical_keys");
  if (!pks || pks->is_null() || (pks->is_array() && pks->get_array().empty())) {
    ++dir_meta_;  // directory metadata: not a file, and not part of the top hash
    return {};
  }
  if (!pks->is_array()) return bad_line(line_, "has \"physical_keys\" that is not an array");

  ManifestEntry entry;
  entry.logical_key = std::string(key->get_string());
  if (entry.logical_key.empty() || entry.logical_key.back() == '/') {
    return bad_line(line_, "has a file with logical key '" + entry.logical_key.substr(0, 256) +
                               "' (empty or ending in '/')");
  }
  entry.physical_keys.reserve(pks->get_array().size());
  for (const auto& pk : pks->get_array()) {
    if (!pk.is_string() || pk.get_string().empty()) {
      return bad_line(line_, "has a physical key that is not a non-empty string");
    }
    entry.physical_keys.emplace_back(pk.get_string());
  }

  const auto* size = obj.if_contains("size");
  if (size && size->is_int64() && size->get_int64() >= 0) {
    entry.size = static_cast<std::uint64_t>(size->get_int64());
  } else if (size && size->is_uint64()) {
    entry.size = size->get_uint64();
  } else {
    return bad_line(line_, "has no \"size\" that is a non-negative integer");
  }

  auto* hash = obj.if_contains("hash");
  if (!hash || !hash->is_object() || !hash->get_object().contains("type") ||
      !hash->get_object().at("type").is_string() || !hash->get_object().contains("value") ||
      !hash->get_object().at("value").is_string()) {
    return bad_line(line_, "has no \"hash\" object with string \"type\" and \"value\"");
  }
  entry.hash = std::move(hash->get_object());

  auto* meta = obj.if_contains("meta");
  if (meta && meta->is_object()) {
    entry.meta = std::move(meta->get_object());
  } else if (meta && !meta->is_null()) {
    return bad_line(line_, "has \"meta\" that is not an object");
  }

  ++files_;
  if (hasher_) hasher_->add(entry);
  if (on_entry_) return on_entry_(std::move(entry));
  return {};
}

core::Result<std::string> ManifestParser::top_hash() {
  if (!top_hash_) {
    return core::make_error(core::ErrorCode::kInternal,
                            "manifest top hash requested without compute_top_hash or before finish()");
  }
  return *top_hash_;
}

core::Result<void> ManifestParser::verify(std::string_view expected) {
  auto actual = top_hash();
  if (!actual) return actual.error();
  if (*actual != expected) {
    return core::make_error(
               core::ErrorCode::kInvalidArgument,
               "manifest does not match top hash " + std::string(expected.substr(0, 64)),
               "The manifest was changed or damaged after it was written; push the package again")
        .with("expected", std::string(expected.substr(0, 64)))
        .with("computed", *actual);
  }
  return {};
}

core::Result<Manifest> parse_manifest(std::string_view text, ManifestLimits limits) {
  Manifest m;
  ManifestParser parser(
      [&m](ManifestEntry&& e) -> core::Result<void> {
        m.entries.push_back(std::move(e));
        return {};
      },
      ManifestParser::Options{limits, false});
  if (auto r = parser.feed(text); !r) return r.error();
  if (auto r = parser.finish(); !r) return r.error();
  m.header = *parser.header();
  m.directory_meta_count = parser.directory_meta_count();
  return m;
}

}  // namespace bw::canvas
