#include "aws/ecr.hpp"

#include <boost/json.hpp>

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {
namespace {

constexpr std::size_t kMaxReplyBytes = 4 * 1024 * 1024;
constexpr std::string_view kTarget = "AmazonEC2ContainerRegistry_V20150921.";

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("ECR", "api.ecr", action, why);
}

boost::json::object base_body(std::string_view registry_id, std::string_view repository) {
  boost::json::object body{{"repositoryName", repository}};
  if (!registry_id.empty()) body["registryId"] = registry_id;
  return body;
}

}  // namespace

core::Result<std::optional<EcrImage>> parse_batch_get_image(std::string_view json) {
  auto parsed = load_json_reply(json, {"ECR", "api.ecr", "BatchGetImage", kMaxReplyBytes});
  if (!parsed) return parsed.error();
  const auto& root = *parsed;
  const auto* images = root.if_contains("images");
  if (images != nullptr && images->is_array() && !images->get_array().empty()) {
    const auto& first = images->get_array().front();
    if (!first.is_object()) return unreadable("BatchGetImage", "an image is not an object");
    const auto& o = first.get_object();
    EcrImage image;
    image.manifest = core::get_string(o, "imageManifest").value_or("");
    image.media_type = core::get_string(o, "imageManifestMediaType").value_or("");
    if (const auto* id = o.if_contains("imageId"); id != nullptr && id->is_object()) {
      image.digest = core::get_string(id->get_object(), "imageDigest").value_or("");
    }
    if (image.manifest.empty()) return unreadable("BatchGetImage", "the image has no imageManifest");
    if (image.media_type.size() > 256 || image.digest.size() > 256) {
      return unreadable("BatchGetImage", "oversized imageManifestMediaType or imageDigest");
    }
    return std::optional<EcrImage>(std::move(image));
  }
  const auto* failures = root.if_contains("failures");
  if (failures != nullptr && failures->is_array()) return std::optional<EcrImage>();
  return unreadable("BatchGetImage", "neither images nor failures");
}

core::Result<std::optional<EcrImage>> Ecr::get_image(std::string_view registry_id,
                                                     std::string_view repository,
                                                     std::string_view tag_or_digest) {
  boost::json::object body = base_body(registry_id, repository);
  const bool by_digest = tag_or_digest.starts_with("sha256:");
  body["imageIds"] =
      boost::json::array{boost::json::object{{by_digest ? "imageDigest" : "imageTag", tag_or_digest}}};
  // Without these, ECR answers with a single manifest and converts what it can: ask for what was pushed.
  body["acceptedMediaTypes"] = boost::json::array{
      "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v1+json"};
  http::Request req =
      json_protocol(std::string(kTarget) + "BatchGetImage", boost::json::serialize(body), "1.1");
  req.max_response_bytes = kMaxReplyBytes + 64 * 1024;
  auto reply = client_.call("api.ecr", "ecr", std::move(req), "BatchGetImage");
  auto annotate = [&](core::Error e) {
    return e.with("Repository", std::string(repository))
        .with("Registry", std::string(registry_id))
        .with("Region", client_.region());
  };
  if (!reply) return annotate(reply.error());
  if (reply->error) {
    const AwsError& err = *reply->error;
    if (err.code == "RepositoryNotFoundException") {
      return annotate(core::make_error(core::ErrorCode::kNotFound,
                                       "ECR repository not found: " + std::string(repository),
                                       "Create the repository and push the image to it")
                          .with("AWS said", err.message));
    }
    core::Error e = to_core_error(err, "BatchGetImage");
    if (e.code == core::ErrorCode::kAccessDenied) {
      e.suggestion = "Allow ecr:BatchGetImage on the repository for the identity running deploy";
    }
    return annotate(std::move(e));
  }
  return parse_batch_get_image(reply->response.body);
}

core::Result<std::string> Ecr::download_url(std::string_view registry_id, std::string_view repository,
                                            std::string_view digest) {
  boost::json::object body = base_body(registry_id, repository);
  body["layerDigest"] = digest;
  http::Request req =
      json_protocol(std::string(kTarget) + "GetDownloadUrlForLayer", boost::json::serialize(body), "1.1");
  req.max_response_bytes = 64 * 1024;
  auto reply = client_.call("api.ecr", "ecr", std::move(req), "GetDownloadUrlForLayer");
  auto annotate = [&](core::Error e) {
    return e.with("Repository", std::string(repository))
        .with("Blob", std::string(digest))
        .with("Region", client_.region());
  };
  if (!reply) return annotate(reply.error());
  if (reply->error) {
    core::Error e = to_core_error(*reply->error, "GetDownloadUrlForLayer");
    if (e.code == core::ErrorCode::kAccessDenied) {
      e.suggestion = "Allow ecr:GetDownloadUrlForLayer on the repository for the identity running deploy";
    }
    return annotate(std::move(e));
  }
  auto parsed =
      load_json_reply(reply->response.body, {"ECR", "api.ecr", "GetDownloadUrlForLayer", 64 * 1024});
  if (!parsed) return parsed.error();
  auto url = core::get_string(*parsed, "downloadUrl");
  if (!url || !(url->starts_with("https://") || url->starts_with("http://")) || url->size() > 8192) {
    return unreadable("GetDownloadUrlForLayer", "no usable downloadUrl");
  }
  return *url;
}

}  // namespace bw::aws
