// deploy/preflight_image.hpp: the image pre-flight: an ECR image must exist and run on the task's platform
// before any change set, so a typo'd tag stops deploy at once instead of after the circuit breaker.
#pragma once

#include <iosfwd>
#include <string_view>

#include "core/error.hpp"

namespace bw::aws {
class Ecr;
}
namespace bw::http {
class Client;
}

namespace bw::deploy {

//! For an ECR --image-uri in `ecr_region` (the region of `ecr`'s client: the caller picks the image's):
//! BatchGetImage the tag or digest; for a manifest list / OCI index, one of its images must be
//! kTaskPlatform; for a single manifest, its config blob (downloaded through GetDownloadUrlForLayer with
//! `http`) must say so. A missing repository or tag, or a wrong platform, is an error naming the image and
//! the fix. An image of another registry (or of a region other than `ecr_region`), or one ECR will not show
//! us (access denied), is printed as unchecked and not refused. Prints one checklist line.
core::Result<void> preflight_image(aws::Ecr& ecr, http::Client& http, std::string_view ecr_region,
                                   std::string_view image_uri, std::ostream& out);

}  // namespace bw::deploy
