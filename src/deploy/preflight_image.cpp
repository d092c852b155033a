#include "deploy/preflight_image.hpp"

#include <ostream>

#include "aws/ecr.hpp"
#include "deploy/image_check.hpp"
#include "http/client.hpp"

namespace bw::deploy {
namespace {

void line(std::ostream& out, std::string_view mark, std::string_view uri, const std::string& detail) {
  out << "  " << mark << "Image " << uri << ": " << detail << "\n";
}

//! The platform of a single-manifest image, from its config blob; an error says why it is unknown.
core::Result<std::string> config_platform(aws::Ecr& ecr, http::Client& http, const EcrImageRef& ref,
                                          const std::string& config_digest) {
  auto url = ecr.download_url(ref.account, ref.repository, config_digest);
  if (!url) return url.error();
  http::Request req;
  req.url = *url;  // presigned: fetched as is, never signed again
  req.max_response_bytes = 4 * 1024 * 1024;
  auto blob = http.send(req);
  if (!blob) return blob.error();
  if (blob->status != 200) {
    return core::make_error(core::ErrorCode::kRemote,
                            "downloading the config blob gave HTTP " + std::to_string(blob->status), "");
  }
  return platform_of_config(blob->body);
}

}  // namespace

core::Result<void> preflight_image(aws::Ecr& ecr, http::Client& http, std::string_view ecr_region,
                                   std::string_view uri, std::ostream& out) {
  const std::string needed(kTaskPlatform);
  auto ref = parse_ecr_image_uri(uri);
  if (!ref) {
    line(out, "[--]   ", uri,
         "unchecked (not an ECR image: make sure it exists and is built for " + needed + ")");
    return {};
  }
  if (ref->region != ecr_region) {
    line(out, "[--]   ", uri,
         "unchecked (ECR in " + ref->region + ": make sure it exists and is built for " + needed + ")");
    return {};
  }
  auto image = ecr.get_image(ref->account, ref->repository, ref->reference());
  if (!image) {
    core::Error e = image.error();
    if (e.code == core::ErrorCode::kAccessDenied) {
      line(out, "[--]   ", uri, "unchecked (not allowed to read it from ECR: " + e.message + ")");
      return {};
    }
    if (e.code == core::ErrorCode::kNotFound) {
      e = core::make_error(core::ErrorCode::kInvalidConfig,
                           "ECR repository " + ref->repository + " does not exist in account " +
                               ref->account + " (" + ref->region + ")",
                           "Create the repository and push the image (scripts/image.sh --push), or fix "
                           "--image-uri")
              .with("Image", std::string(uri));
    }
    line(out, "[FAIL] ", uri, e.message);
    return e;
  }
  if (!*image) {
    const std::string what = ref->digest.empty() ? "tag " + ref->tag : "digest " + ref->digest;
    core::Error e =
        core::make_error(core::ErrorCode::kInvalidConfig,
                         "ECR repository " + ref->repository + " has no image with " + what,
                         "Push the image first (scripts/image.sh --push), or give --image-uri a " +
                             std::string(ref->digest.empty() ? "tag" : "digest") +
                             " that `aws ecr describe-images --repository-name " + ref->repository +
                             " --region " + ref->region + "` lists")
            .with("Image", std::string(uri));
    line(out, "[FAIL] ", uri, e.message);
    return e;
  }
  auto manifest = parse_image_manifest((*image)->manifest, (*image)->media_type);
  if (!manifest) {
    line(out, "[FAIL] ", uri, manifest.error().message);
    return manifest.error().with("Image", std::string(uri));
  }
  std::vector<std::string> found = manifest->platforms;
  if (!manifest->config_digest.empty()) {
    auto platform = config_platform(ecr, http, *ref, manifest->config_digest);
    if (!platform) {
      line(out, "[ok]   ", uri,
           "in ECR; platform unchecked (its config blob could not be read: " + platform.error().message +
               "); it must be " + needed);
      return {};
    }
    found = {*platform};
  }
  for (const auto& p : found) {
    if (platform_matches(p, needed)) {
      line(out, "[ok]   ", uri,
           "in ECR" + std::string(manifest->index ? " (multi-platform)" : "") + ", " + p +
               ((*image)->digest.empty() ? std::string() : ", " + (*image)->digest));
      return {};
    }
  }
  core::Error e = wrong_platform(uri, found, needed);
  line(out, "[FAIL] ", uri, e.message);
  return e;
}

}  // namespace bw::deploy
