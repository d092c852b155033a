// canvas/package_reader.hpp: reads Quilt packages straight from the registry bucket, without quilt3
// (runtime-spec §7.3, §7.4, §10.10; anchors §6.1 storage layout).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvas/manifest.hpp"
#include "core/error.hpp"

namespace bw::aws {
class S3;
}

namespace bw::canvas {

//! One file of a package listing.
struct PackageFile {
  std::string logical_key;
  std::uint64_t size = 0;
};

//! What the canvas shows of one package revision.
struct PackageListing {
  std::string bucket;
  std::string package_name;
  std::string top_hash;
  //! Sorted by logical key (byte order, as Python sorts str); keys under ".quilt/" are left out.
  std::vector<PackageFile> files;
  std::uint64_t total_bytes = 0;  //!< sum of the listed sizes (saturating)
  boost::json::value user_meta;   //!< the header's "user_meta" as written; null when absent
  std::optional<std::string> message;
  //! The first physical key of the "entry.json" file, when the package has one (package_metadata()).
  std::optional<std::string> entry_json_physical_key;

  std::size_t total_count() const { return files.size(); }
};

struct PackageReaderOptions {
  ManifestLimits limits;
  std::size_t max_pointer_bytes = 4096;              //!< a "latest" pointer holds 64 hex digits
  std::size_t max_metadata_bytes = 4 * 1024 * 1024;  //!< entry.json
  std::size_t max_listed_pointers = 100'000;         //!< keys listed by list_packages()
  //! Recompute the manifest's top hash and compare it with the pointer (costs memory of the order of the
  //! manifest without its physical keys).
  bool verify_top_hash = false;
};

//! Where an "s3://bucket/key?versionId=…" physical key points.
struct S3Location {
  std::string bucket;
  std::string key;  //!< percent-decoded ('+' stays '+', as in quilt3's unquote)
  std::optional<std::string> version_id;
};

//! Parses a physical key as quilt3's PhysicalKey.from_url does for s3:// URLs: the key is the
//! percent-decoded path, the only query parameter allowed is versionId. Anything else (file://, no bucket,
//! no key, other parameters, malformed escapes) is kInvalidArgument. Pure.
core::Result<S3Location> parse_s3_uri(std::string_view uri);

//! A package name usable in registry keys: "namespace/name" (sub-paths allowed), no empty, "." or ".."
//! segment, no control characters, at most 512 bytes. kInvalidArgument otherwise. Pure.
core::Result<void> validate_package_name(std::string_view name);

//! S3 keys of the v1 registry layout (quilt3 PackageRegistryV1).
std::string latest_pointer_key(std::string_view package_name);  //!< .quilt/named_packages/{name}/latest
std::string manifest_key(std::string_view top_hash);            //!< .quilt/packages/{top_hash}

//! Reads packages of a registry bucket through S3 GetObject and ListObjectsV2. Thread-compatible (the S3
//! client is thread-safe; the reader keeps no state between calls).
class PackageReader {
 public:
  explicit PackageReader(aws::S3& s3, PackageReaderOptions options = {}) : s3_(s3), options_(options) {}

  //! The text of .quilt/named_packages/{name}/latest, trimmed; it must be 64 lowercase hex digits
  //! (kRemote otherwise). No pointer: kNotFound "Package {name} does not exist in s3://{bucket}" (the
  //! canvas shows its "Package Not Created" view for kNotFound); other S3 errors (no bucket, access
  //! denied, network) pass through unchanged.
  core::Result<std::string> latest_top_hash(std::string_view bucket, std::string_view package_name);

  //! The latest revision: latest_top_hash() then read_revision().
  core::Result<PackageListing> read_package(std::string_view bucket, std::string_view package_name);

  //! Streams .quilt/packages/{top_hash} through the manifest parser, holding one record at a time plus the
  //! listing. A malformed manifest is kInvalidArgument naming the line; a pointer to a manifest that does
  //! not exist is kRemote (the package exists but is damaged), so it never reads as "not created"; a
  //! logical key listed twice is kInvalidArgument.
  core::Result<PackageListing> read_revision(std::string_view bucket, std::string_view package_name,
                                             std::string_view top_hash);

  //! The metadata the canvas shows (§7.4): the parsed "entry.json" when the package has one, read through
  //! its physical key (which may name another bucket), else the header's user_meta ({} when absent).
  //! entry.json must be a JSON object of at most max_metadata_bytes (kRemote otherwise).
  //! NOTE: aws::S3 has no GetObject by version yet, so a versionId in the physical key is ignored and the
  //! current version of the object is read.
  core::Result<boost::json::object> package_metadata(std::string_view bucket, std::string_view package_name,
                                                     const PackageListing& listing);

  //! Names of the packages whose name starts with `prefix` (e.g. "benchling/"), from the keys
  //! .quilt/named_packages/{name}/latest; sorted. More than max_listed_pointers pointer keys under the
  //! prefix (each revision has one) is kRemote suggesting a narrower prefix.
  core::Result<std::vector<std::string>> list_packages(std::string_view bucket, std::string_view prefix);

 private:
  aws::S3& s3_;
  PackageReaderOptions options_;
};

}  // namespace bw::canvas
