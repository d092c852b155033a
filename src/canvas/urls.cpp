#include "canvas/urls.hpp"

#include "core/encoding.hpp"

namespace bw::canvas {

std::string package_url(std::string_view catalog, std::string_view bucket, std::string_view name) {
  std::string out = "https://";
  out.append(catalog).append("/b/").append(bucket).append("/packages/").append(name);
  return out;
}

std::string file_url(std::string_view catalog, std::string_view bucket, std::string_view name,
                     std::string_view logical_key) {
  // core::uri_encode keeps exactly A-Za-z0-9_.-~, which is Python's quote(..., safe="").
  return package_url(catalog, bucket, name) + "/tree/latest/" + core::uri_encode(logical_key);
}

std::string raw_sync_uri(std::string_view catalog, std::string_view bucket, std::string_view name,
                         std::optional<std::string_view> path, std::optional<std::string_view> version) {
  std::string out = "quilt+s3://";
  out.append(bucket).append("#package=").append(name);
  if (version && !version->empty()) {
    out.append("@").append(*version);
  } else {
    out.append(":latest");
  }
  if (path && !path->empty()) out.append("&path=").append(core::encode_uri_component(*path));
  out.append("&catalog=").append(core::encode_uri_component(catalog));
  return out;
}

std::string sync_url(std::string_view catalog, std::string_view bucket, std::string_view name,
                     std::optional<std::string_view> path, std::optional<std::string_view> version) {
  std::string out = "https://";
  out.append(catalog).append("/redir/").append(
      core::uri_encode(raw_sync_uri(catalog, bucket, name, path, version)));
  return out;
}

std::string upload_url(std::string_view catalog, std::string_view bucket, std::string_view name) {
  return package_url(catalog, bucket, name) + "?action=revisePackage";
}

}  // namespace bw::canvas
