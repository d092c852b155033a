// aws/ecr.hpp: the two ECR reads deploy's image pre-flight needs (JSON 1.1 protocol, host api.ecr.<region>,
// signing name "ecr", endpoint variable AWS_ENDPOINT_URL_ECR): an image's manifest (BatchGetImage) and where
// to download one of its blobs (GetDownloadUrlForLayer), to read a single image's platform from its config.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct EcrImage {
  std::string manifest;    //!< imageManifest: the manifest (or manifest list / OCI index) JSON as stored
  std::string media_type;  //!< imageManifestMediaType; may be empty (then the manifest's own mediaType)
  std::string digest;      //!< imageId.imageDigest
};

//! Parses a BatchGetImage reply for one image id: the image, or nullopt when failures[] says it is not
//! there (ImageNotFound, ImageTagDoesNotMatchDigest). Pure; bounded (4 MiB); an unreadable reply is
//! kRemote, never quoted.
core::Result<std::optional<EcrImage>> parse_batch_get_image(std::string_view json);

class Ecr {
 public:
  explicit Ecr(AwsClient& client) : client_(client) {}

  //! BatchGetImage of one image, by tag or by digest ("sha256:..."), accepting manifest lists and OCI
  //! indexes as well as single manifests. nullopt: the repository exists but not the image.
  //! RepositoryNotFoundException -> kNotFound "ECR repository not found: <repository>"; access denied ->
  //! kAccessDenied naming ecr:BatchGetImage; each carries Repository, Registry, Region details.
  core::Result<std::optional<EcrImage>> get_image(std::string_view registry_id, std::string_view repository,
                                                  std::string_view tag_or_digest);

  //! GetDownloadUrlForLayer: a short-lived presigned URL of a blob (a layer or an image config) that is
  //! fetched with a plain GET, unsigned. Errors as get_image (LayersNotFoundException -> kNotFound).
  core::Result<std::string> download_url(std::string_view registry_id, std::string_view repository,
                                         std::string_view digest);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
