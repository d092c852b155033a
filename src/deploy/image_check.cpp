#include "deploy/image_check.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/json.hpp"

namespace bw::deploy {
namespace {

constexpr std::size_t kMaxManifestBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxPlatforms = 256;

bool ecr_account(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool region_like(std::string_view s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

core::Error unreadable(std::string why) {
  return core::make_error(core::ErrorCode::kRemote,
                          "The image manifest in ECR is unreadable: " + std::move(why),
                          "Push the image again (scripts/image.sh --push), or check it with `aws ecr "
                          "batch-get-image`");
}

std::string platform_string(const boost::json::object& o) {
  std::string os = core::get_string(o, "os").value_or("");
  std::string arch = core::get_string(o, "architecture").value_or("");
  std::string variant = core::get_string(o, "variant").value_or("");
  std::string out = (os.empty() ? std::string("unknown") : os.substr(0, 64));
  out.append("/").append(arch.empty() ? std::string("unknown") : arch.substr(0, 64));
  if (!variant.empty()) out.append("/").append(variant.substr(0, 64));
  return out;
}

}  // namespace

std::optional<EcrImageRef> parse_ecr_image_uri(std::string_view uri) {
  const auto slash = uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view host = uri.substr(0, slash);
  std::string_view rest = uri.substr(slash + 1);
  // <account>.dkr.ecr.<region>.amazonaws.com (or .amazonaws.com.cn)
  constexpr std::string_view kDkr = ".dkr.ecr.";
  const auto dkr = host.find(kDkr);
  if (dkr == std::string_view::npos) return std::nullopt;
  EcrImageRef ref;
  ref.account = std::string(host.substr(0, dkr));
  std::string_view after = host.substr(dkr + kDkr.size());
  std::string_view region;
  for (std::string_view suffix : {".amazonaws.com.cn", ".amazonaws.com"}) {
    if (after.ends_with(suffix)) {
      region = after.substr(0, after.size() - suffix.size());
      break;
    }
  }
  if (!ecr_account(ref.account) || !region_like(region)) return std::nullopt;
  ref.region = std::string(region);
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    ref.repository = std::string(rest.substr(0, at));
    ref.digest = std::string(rest.substr(at + 1));
    if (!ref.digest.starts_with("sha256:") || ref.digest.size() != 7 + 64) return std::nullopt;
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    ref.repository = std::string(rest.substr(0, colon));
    ref.tag = std::string(rest.substr(colon + 1));
    if (ref.tag.empty() || ref.tag.find('/') != std::string::npos) return std::nullopt;
  }
  if (ref.repository.empty()) return std::nullopt;
  return ref;
}

core::Result<ManifestPlatforms> parse_image_manifest(std::string_view manifest, std::string_view media_type) {
  if (manifest.size() > kMaxManifestBytes) return unreadable("larger than 4 MiB");
  auto parsed = core::parse_json(manifest, "image manifest", kMaxManifestBytes);
  if (!parsed || !parsed->is_object()) return unreadable("not a JSON object");
  const auto& root = parsed->get_object();
  std::string type(media_type);
  if (type.empty()) type = core::get_string(root, "mediaType").value_or("");

  ManifestPlatforms out;
  const auto* manifests = root.if_contains("manifests");
  if (type == "application/vnd.docker.distribution.manifest.list.v2+json" ||
      type == "application/vnd.oci.image.index.v1+json" || (type.empty() && manifests != nullptr)) {
    out.index = true;
    if (manifests == nullptr || !manifests->is_array()) return unreadable("an index without manifests");
    for (const auto& m : manifests->get_array()) {
      if (out.platforms.size() >= kMaxPlatforms) break;
      if (!m.is_object()) return unreadable("an index entry is not an object");
      const auto* platform = m.get_object().if_contains("platform");
      if (platform == nullptr || !platform->is_object()) continue;  // e.g. an artifact without a platform
      std::string p = platform_string(platform->get_object());
      if (p == "unknown/unknown") continue;  // buildx provenance / SBOM attestations
      if (std::find(out.platforms.begin(), out.platforms.end(), p) == out.platforms.end()) {
        out.platforms.push_back(std::move(p));
      }
    }
    return out;
  }
  if (root.contains("schemaVersion") && root.at("schemaVersion").is_int64() &&
      root.at("schemaVersion").get_int64() == 1) {
    // Docker schema 1 names its architecture itself (and is Linux-only).
    std::string arch = core::get_string(root, "architecture").value_or("");
    if (arch.empty()) return unreadable("a schema 1 manifest without architecture");
    out.platforms.push_back("linux/" + arch.substr(0, 64));
    return out;
  }
  const auto* config = root.if_contains("config");
  if (config == nullptr || !config->is_object()) return unreadable("a manifest without config");
  out.config_digest = core::get_string(config->get_object(), "digest").value_or("");
  if (!out.config_digest.starts_with("sha256:") || out.config_digest.size() > 128) {
    return unreadable("a manifest whose config has no sha256 digest");
  }
  return out;
}

core::Result<std::string> platform_of_config(std::string_view config_json) {
  auto parsed = core::parse_json(config_json, "image config", kMaxManifestBytes);
  if (!parsed || !parsed->is_object()) return unreadable("its config blob is not a JSON object");
  const auto& o = parsed->get_object();
  if (!core::get_string(o, "architecture")) return unreadable("its config blob names no architecture");
  return platform_string(o);
}

bool platform_matches(std::string_view found, std::string_view needed) {
  auto os_arch = [](std::string_view p) {
    const auto first = p.find('/');
    if (first == std::string_view::npos) return p;
    const auto second = p.find('/', first + 1);
    return second == std::string_view::npos ? p : p.substr(0, second);
  };
  return os_arch(found) == os_arch(needed);
}

core::Error wrong_platform(std::string_view uri, const std::vector<std::string>& found,
                           std::string_view needed) {
  std::string list;
  for (const auto& p : found) list.append(list.empty() ? "" : ", ").append(p);
  if (list.empty()) list = "no platform";
  return core::make_error(core::ErrorCode::kInvalidConfig,
                          "The image is built for " + list + ", but the tasks run on " + std::string(needed),
                          "Rebuild and push it for " + std::string(needed) +
                              " (e.g. `docker buildx build --platform " + std::string(needed) +
                              " --push`, or scripts/image.sh --push on an amd64 machine), then deploy again")
      .with("Image", std::string(uri))
      .with("Found", list)
      .with("Needed", std::string(needed));
}

}  // namespace bw::deploy
