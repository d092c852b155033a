// deploy/image_check.hpp: whether --image-uri names an ECR image that exists and runs on the task's platform,
// judged from what ECR says about it (pure: preflight_image fetches, this decides).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::deploy {

//! The platform the task definition runs (template.cpp: RuntimePlatform LINUX / X86_64).
inline constexpr std::string_view kTaskPlatform = "linux/amd64";

//! The parts of <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>(:<tag>|@sha256:<digest>).
struct EcrImageRef {
  std::string account;
  std::string region;
  std::string repository;  //!< may contain '/' (namespaces)
  std::string tag;         //!< empty when pinned by digest
  std::string digest;      //!< "sha256:<hex>"; empty when given by tag

  //! The tag or the digest: what BatchGetImage is asked for.
  const std::string& reference() const { return digest.empty() ? tag : digest; }
};

//! nullopt for an image of another registry (Docker Hub, public.ecr.aws, ghcr.io, ...) or an ECR URI
//! without a tag or digest (validate_flags refuses those). Pure.
std::optional<EcrImageRef> parse_ecr_image_uri(std::string_view uri);

//! What a manifest says about platforms.
struct ManifestPlatforms {
  bool index = false;  //!< a Docker manifest list or an OCI image index
  //! For an index: "os/architecture[/variant]" of each image in it, attestation entries
  //! ("unknown/unknown") left out. For a Docker schema 1 manifest: its own architecture.
  std::vector<std::string> platforms;
  std::string config_digest;  //!< for a single (schema 2 / OCI) manifest: the config blob to read
};

//! Reads a manifest by its media type (ECR's imageManifestMediaType, else the manifest's own mediaType).
//! kRemote when it is not a manifest JSON this understands. Pure.
core::Result<ManifestPlatforms> parse_image_manifest(std::string_view manifest, std::string_view media_type);

//! "os/architecture[/variant]" from an image config blob ({"architecture":"amd64","os":"linux",...}). Pure.
core::Result<std::string> platform_of_config(std::string_view config_json);

//! True when `found` ("linux/amd64", "linux/arm64/v8") runs as `needed` ("linux/amd64"): same os and
//! architecture, any variant. Pure.
bool platform_matches(std::string_view found, std::string_view needed);

//! kInvalidConfig: the image `uri` has no `needed` platform; names what was found and how to rebuild.
core::Error wrong_platform(std::string_view uri, const std::vector<std::string>& found,
                           std::string_view needed);

}  // namespace bw::deploy
