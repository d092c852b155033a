#include "canvas/package_reader.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <limits>
#include <utility>

#include "aws/s3.hpp"
#include "canvas/top_hash.hpp"
#include "core/ascii.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"

namespace bw::canvas {

namespace {

constexpr std::string_view kNamedPackages = ".quilt/named_packages/";
constexpr std::string_view kLatestSuffix = "/latest";
constexpr std::size_t kMaxNameBytes = 512;
constexpr std::size_t kMaxUriBytes = 4096;

std::string str(std::string_view s) {
  return std::string(s);
}

std::string bounded(std::string_view s, std::size_t limit = 256) {
  return s.size() <= limit ? str(s) : str(s.substr(0, limit)) + "...";
}

std::string detail_of(const core::Error& e, std::string_view key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return {};
}

// An S3 kNotFound about the object itself (NoSuchKey, bare 404), not about the bucket.
bool object_missing(const core::Error& e) {
  return e.code == core::ErrorCode::kNotFound && detail_of(e, "code") != "NoSuchBucket";
}

core::Error& describe(core::Error& e, std::string_view bucket, std::string_view package_name) {
  e.with("bucket", str(bucket)).with("package", str(package_name));
  return e;
}

// parse_qs-style decoding of a query value: '+' is a space, then %XX.
std::optional<std::string> decode_query_value(std::string_view v) {
  std::string s(v);
  std::replace(s.begin(), s.end(), '+', ' ');
  return core::uri_decode(s);
}

}  // namespace

core::Result<S3Location> parse_s3_uri(std::string_view uri) {
  const auto invalid = [&](std::string why) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "physical key '" + bounded(uri) + "' " + std::move(why),
                            "Physical keys of packages in S3 look like s3://bucket/key?versionId=...");
  };
  if (uri.size() > kMaxUriBytes) return invalid("is longer than 4096 bytes");
  constexpr std::string_view kScheme = "s3://";
  if (!uri.starts_with(kScheme)) return invalid("is not an s3:// URL");
  std::string_view rest = uri.substr(kScheme.size());
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  S3Location loc;
  loc.bucket = str(rest.substr(0, slash));
  if (loc.bucket.empty()) return invalid("has no bucket");
  if (slash == std::string_view::npos || slash + 1 == rest.size()) return invalid("has no key");
  auto key = core::uri_decode(rest.substr(slash + 1));
  if (!key) return invalid("has a malformed %-escape in its key");
  loc.key = std::move(*key);

  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty()) continue;
    const auto eq = param.find('=');
    const std::string_view name = param.substr(0, eq);
    if (name != "versionId") return invalid("has an unexpected query parameter '" + bounded(name, 64) + "'");
    if (eq == std::string_view::npos || eq + 1 == param.size()) continue;  // parse_qs drops empty values
    auto value = decode_query_value(param.substr(eq + 1));
    if (!value) return invalid("has a malformed %-escape in its versionId");
    loc.version_id = std::move(*value);
  }
  return loc;
}

core::Result<void> validate_package_name(std::string_view name) {
  const auto invalid = [&](std::string why) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "Invalid Quilt package name '" + bounded(name, 128) + "': " + std::move(why),
                            "Package names look like 'namespace/name' (letters, digits, '_' and '-')")
        .with("package", bounded(name, 128));
  };
  if (name.empty()) return invalid("it is empty");
  if (name.size() > kMaxNameBytes) return invalid("it is longer than 512 bytes");
  if (name.find('/') == std::string_view::npos) return invalid("it has no '/'");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\') return invalid("it contains a control character or '\\'");
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    auto slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    const std::string_view segment = name.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      return invalid("it has an empty, '.' or '..' part");
    start = slash + 1;
  }
  return {};
}

std::string latest_pointer_key(std::string_view package_name) {
  return str(kNamedPackages) + str(package_name) + str(kLatestSuffix);
}

std::string manifest_key(std::string_view top_hash) {
  return ".quilt/packages/" + str(top_hash);
}

core::Result<std::string> PackageReader::latest_top_hash(std::string_view bucket,
                                                         std::string_view package_name) {
  if (auto ok = validate_package_name(package_name); !ok) return ok.error();
  const std::string key = latest_pointer_key(package_name);
  auto text = s3_.get_object(bucket, key, options_.max_pointer_bytes);
  if (!text) {
    if (!object_missing(text.error())) return text.error();
    core::Error e = core::make_error(
        core::ErrorCode::kNotFound, "Package " + str(package_name) + " does not exist in s3://" + str(bucket),
        "Click Update Package to create it (the packager then writes it), or check the package name");
    return describe(e, bucket, package_name).with("key", key);
  }
  const std::string_view hash = core::ascii_trim(*text);
  if (!is_top_hash(hash)) {
    core::Error e = core::make_error(core::ErrorCode::kRemote,
                                     "The latest pointer of package " + str(package_name) +
                                         " does not hold a top hash (64 lowercase hex digits)",
                                     "Push the package again to rewrite its pointer");
    return describe(e, bucket, package_name).with("key", key).with("content", bounded(hash, 80));
  }
  return str(hash);
}

core::Result<PackageListing> PackageReader::read_package(std::string_view bucket,
                                                         std::string_view package_name) {
  auto hash = latest_top_hash(bucket, package_name);
  if (!hash) return hash.error();
  return read_revision(bucket, package_name, *hash);
}

core::Result<PackageListing> PackageReader::read_revision(std::string_view bucket,
                                                          std::string_view package_name,
                                                          std::string_view top_hash) {
  if (auto ok = validate_package_name(package_name); !ok) return ok.error();
  if (!is_top_hash(top_hash)) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "'" + bounded(top_hash, 80) + "' is not a top hash (64 lowercase hex digits)",
                            "Pass the full top hash of the package revision");
  }
  PackageListing listing;
  listing.bucket = str(bucket);
  listing.package_name = str(package_name);
  listing.top_hash = str(top_hash);

  ManifestParser parser(
      [&listing](ManifestEntry&& e) -> core::Result<void> {
        if (e.logical_key.starts_with(".quilt/")) return {};
        if (e.logical_key == "entry.json") listing.entry_json_physical_key = e.physical_keys.front();
        const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - listing.total_bytes;
        listing.total_bytes += std::min(room, e.size);
        listing.files.push_back(PackageFile{std::move(e.logical_key), e.size});
        return {};
      },
      ManifestParser::Options{options_.limits, options_.verify_top_hash});

  const std::string key = manifest_key(top_hash);
  std::optional<core::Error> parse_error;
  auto got = s3_.get_object_to(bucket, key, [&](std::string_view chunk) {
    auto fed = parser.feed(chunk);
    if (fed) return true;
    parse_error = fed.error();
    return false;  // stop downloading a manifest we cannot use
  });
  if (parse_error) return describe(*parse_error, bucket, package_name).with("key", key);
  if (!got) {
    if (!object_missing(got.error())) return got.error();
    core::Error e = core::make_error(core::ErrorCode::kRemote,
                                     "Package " + str(package_name) + " points at manifest " + str(top_hash) +
                                         ", which does not exist in s3://" + str(bucket),
                                     "Push the package again; its manifest was deleted or not yet written");
    return describe(e, bucket, package_name).with("key", key);
  }
  if (auto done = parser.finish(); !done) {
    core::Error e = done.error();
    return describe(e, bucket, package_name).with("key", key);
  }
  if (options_.verify_top_hash) {
    if (auto ok = parser.verify(top_hash); !ok) {
      core::Error e = ok.error();
      return describe(e, bucket, package_name).with("key", key);
    }
  }

  listing.user_meta = parser.header()->user_meta();
  listing.message = parser.header()->message();
  std::sort(listing.files.begin(), listing.files.end(),
            [](const PackageFile& a, const PackageFile& b) { return a.logical_key < b.logical_key; });
  const auto dup =
      std::adjacent_find(listing.files.begin(), listing.files.end(),
                         [](const auto& a, const auto& b) { return a.logical_key == b.logical_key; });
  if (dup != listing.files.end()) {
    core::Error e = core::make_error(core::ErrorCode::kInvalidArgument,
                                     "manifest lists logical key '" + bounded(dup->logical_key) + "' twice",
                                     "The manifest is not a valid Quilt package; push the package again");
    return describe(e, bucket, package_name).with("key", key);
  }
  return listing;
}

core::Result<boost::json::object> PackageReader::package_metadata(std::string_view bucket,
                                                                  std::string_view package_name,
                                                                  const PackageListing& listing) {
  if (!listing.entry_json_physical_key) {
    if (listing.user_meta.is_null()) return boost::json::object();
    if (listing.user_meta.is_object()) return listing.user_meta.get_object();
    core::Error e = core::make_error(core::ErrorCode::kRemote,
                                     "The metadata of package " + str(package_name) + " is not a JSON object",
                                     "Push the package again with metadata that is a JSON object");
    return describe(e, bucket, package_name);
  }
  auto loc = parse_s3_uri(*listing.entry_json_physical_key);
  if (!loc) {
    core::Error e = loc.error();
    e.code = core::ErrorCode::kRemote;  // the manifest, not our caller, is at fault
    return describe(e, bucket, package_name);
  }
  // loc->version_id is not honoured: aws::S3 cannot GET a specific version yet (see the header).
  auto text = s3_.get_object(loc->bucket, loc->key, options_.max_metadata_bytes);
  if (!text) return text.error();
  auto parsed =
      core::parse_json(*text, "entry.json of package " + str(package_name), options_.max_metadata_bytes);
  if (!parsed) {
    core::Error e = parsed.error();
    return describe(e, bucket, package_name).with("physical key", bounded(*listing.entry_json_physical_key));
  }
  if (!parsed->is_object()) {
    core::Error e = core::make_error(core::ErrorCode::kRemote,
                                     "entry.json of package " + str(package_name) + " is not a JSON object",
                                     "Export the entry again so that entry.json is rewritten");
    return describe(e, bucket, package_name).with("physical key", bounded(*listing.entry_json_physical_key));
  }
  return std::move(parsed->get_object());
}

core::Result<std::vector<std::string>> PackageReader::list_packages(std::string_view bucket,
                                                                    std::string_view prefix) {
  if (prefix.size() > kMaxNameBytes) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "package name prefix is longer than 512 bytes",
                            "Use a shorter prefix such as 'benchling/'");
  }
  const std::string list_prefix = str(kNamedPackages) + str(prefix);
  auto keys = s3_.list_all(bucket, list_prefix, options_.max_listed_pointers + 1);
  if (!keys) return keys.error();
  if (keys->size() > options_.max_listed_pointers) {
    return core::make_error(core::ErrorCode::kRemote,
                            "more than " + std::to_string(options_.max_listed_pointers) +
                                " package pointers under s3://" + str(bucket) + "/" + list_prefix,
                            "Use a narrower package name prefix")
        .with("bucket", str(bucket))
        .with("prefix", bounded(prefix));
  }
  std::vector<std::string> names;
  for (const auto& obj : *keys) {
    std::string_view k = obj.key;
    if (!k.starts_with(kNamedPackages) || !k.ends_with(kLatestSuffix)) continue;  // timestamped pointers
    k.remove_prefix(kNamedPackages.size());
    k.remove_suffix(kLatestSuffix.size());
    if (validate_package_name(k)) names.emplace_back(k);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace bw::canvas
