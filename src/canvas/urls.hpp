// canvas/urls.hpp
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bw::canvas {

// Quilt catalog and QuiltSync links (runtime-spec §7.5). `catalog` is the bare host ("quilt.example.com").

//! https://{catalog}/b/{bucket}/packages/{name} (the name is not encoded, as in the reference).
std::string package_url(std::string_view catalog, std::string_view bucket, std::string_view name);

//! {package_url}/tree/latest/{quote(logical_key, safe="")}: HEAD's form, always the latest revision.
std::string file_url(std::string_view catalog, std::string_view bucket, std::string_view name,
                     std::string_view logical_key);

//! quilt+s3://{bucket}#package={name}(@{version}|:latest)[&path={path}]&catalog={catalog}, with path and
//! catalog encoded by encodeURIComponent as Quilt's catalog writes them (a '&', '#' or '%' in a file name
//! would otherwise end or corrupt the fragment). An empty path or version counts as absent.
std::string raw_sync_uri(std::string_view catalog, std::string_view bucket, std::string_view name,
                         std::optional<std::string_view> path = std::nullopt,
                         std::optional<std::string_view> version = std::nullopt);

//! https://{catalog}/redir/{quote(raw_sync_uri, safe="")}: opens the package (or file) in QuiltSync.
std::string sync_url(std::string_view catalog, std::string_view bucket, std::string_view name,
                     std::optional<std::string_view> path = std::nullopt,
                     std::optional<std::string_view> version = std::nullopt);

//! {package_url}?action=revisePackage (unused by the canvas, kept for parity).
std::string upload_url(std::string_view catalog, std::string_view bucket, std::string_view name);

}  // namespace bw::canvas
