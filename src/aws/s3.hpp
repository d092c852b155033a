// aws/s3.hpp: S3 objects over REST: put, streaming (multipart) upload, get, head, list.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

inline constexpr std::size_t kMiB = 1024 * 1024;
//! S3's limits: parts per multipart upload, bytes per part, bytes per object, bytes per key.
inline constexpr unsigned kS3MaxParts = 10000;
inline constexpr std::uint64_t kS3MaxPartBytes = 5ull * 1024 * kMiB;
inline constexpr std::uint64_t kS3MaxObjectBytes = 5ull * 1024 * 1024 * kMiB;
inline constexpr std::size_t kS3MaxKeyBytes = 1024;

//! What HeadObject / GetObject report about an object.
struct ObjectInfo {
  std::uint64_t size = 0;     //!< Content-Length
  std::string etag;           //!< as S3 sends it, quotes included
  std::string content_type;   //!< may be empty
  std::string last_modified;  //!< HTTP date as sent, may be empty
};

//! One entry of a ListObjectsV2 page.
struct ListedObject {
  std::string key;  //!< decoded (the listing is requested with encoding-type=url)
  std::uint64_t size = 0;
  std::string etag;
  std::string last_modified;  //!< ISO 8601 as sent
};

struct ListPage {
  std::vector<ListedObject> objects;
  std::optional<std::string> next_continuation_token;  //!< set when truncated
  bool truncated = false;
};

struct UploadOptions {
  //! Bytes per part and size of the one buffer upload() holds. Real S3 needs >= 5 MiB for every part
  //! but the last; small values are for tests. Must be 1 byte .. 5 GiB.
  std::size_t part_size = 8 * kMiB;
  //! A source that ends before this many bytes goes up as one PutObject. Values above part_size act as
  //! part_size (the decision is taken on the first buffer, so memory stays one part).
  std::size_t multipart_threshold = 8 * kMiB;
};

struct UploadResult {
  std::string etag;        //!< of the whole object, as S3 sends it
  std::uint64_t size = 0;  //!< bytes uploaded
  unsigned parts = 0;      //!< multipart parts; 0 when one PutObject was used
};

//! A bucket's default encryption rule.
struct BucketEncryption {
  std::string algorithm;   //!< SSEAlgorithm: "AES256", "aws:kms", "aws:kms:dsse"; "" when none
  std::string kms_key_id;  //!< KMSMasterKeyID (ARN, id or alias); "" for aws/s3 or without KMS
};

//! Parses a GetBucketEncryption reply (the first rule). Pure; an unreadable reply is kRemote.
core::Result<BucketEncryption> parse_bucket_encryption(std::string_view xml);

struct S3Options {
  //! Whole-exchange timeout of calls that carry object bytes (PutObject, UploadPart, GetObject).
  std::chrono::milliseconds transfer_timeout{std::chrono::hours(1)};
  //! Timeout of the other calls (head, list, create/complete/abort multipart).
  std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};
};

//! S3 client for one region over AwsClient (signing name "s3"). URLs are virtual-hosted on AWS and
//! path-style on a custom endpoint (s3_object_url). Keys are percent-encoded once per RFC 3986 with '/' kept
//! (the same bytes botocore sends), and signed as sent (S3 rule: no second encoding). Keys with "." or ".."
//! segments are refused (kInvalidArgument). Every body is signed with its real SHA-256.
//!
//! Errors of every call: NoSuchKey (or a 404 on an object) -> kNotFound "S3 object not found: s3://b/k";
//! NoSuchBucket -> kNotFound "S3 bucket not found: b"; a bucket in another region (301/400 with
//! x-amz-bucket-region) -> kInvalidConfig naming both regions; access denied -> kAccessDenied naming the
//! IAM action (s3:GetObject, s3:PutObject, s3:ListBucket); the rest via to_core_error(). Details carry the
//! bucket and key. An empty, over-long or dot-segment key, or a malformed bucket name, is kInvalidArgument
//! before any I/O.
class S3 {
 public:
  //! Reads up to `cap` bytes into `buf`; returns how many (0 at the end of the source).
  using ReadFn = std::function<core::Result<std::size_t>(char* buf, std::size_t cap)>;
  //! Receives a downloaded body in chunks; false aborts the download.
  using SinkFn = std::function<bool(std::string_view chunk)>;

  explicit S3(AwsClient& client, S3Options options = {}) : client_(client), options_(options) {}

  AwsClient& client() const { return client_; }

  //! PutObject; returns the ETag. An empty content_type sends application/octet-stream: a Content-Type is
  //! always sent (moto stores 0 bytes for a form-encoded PUT).
  core::Result<std::string> put_object(std::string_view bucket, std::string_view key, std::string body,
                                       std::string_view content_type = "application/octet-stream");

  //! Uploads everything `read` yields, holding one part_size buffer. A source that ends before the
  //! threshold is one PutObject; otherwise CreateMultipartUpload, UploadPart 1..N and
  //! CompleteMultipartUpload (with the object's Content-Type set on Create). Any failure after Create aborts
  //! the upload (best effort) and returns the error; a source needing more than 10000 parts fails before
  //! part 10001 with kInvalidArgument suggesting a larger part_size. An error from `read` is returned as is.
  core::Result<UploadResult> upload(std::string_view bucket, std::string_view key,
                                    std::string_view content_type, const ReadFn& read,
                                    UploadOptions options = {});

  //! GetObject into memory; an object over max_bytes is kRemote (not retried) naming the limit.
  core::Result<std::string> get_object(std::string_view bucket, std::string_view key, std::size_t max_bytes);
  //! GetObject streamed to `sink` (any size, bounded memory). Returns the object's headers. A download that
  //! was cut and restarted (so the sink may have seen bytes twice) is reported as kTransport, never as
  //! success.
  core::Result<ObjectInfo> get_object_to(std::string_view bucket, std::string_view key, const SinkFn& sink);

  //! HeadObject. A 404 (HEAD replies have no body) is kNotFound "S3 object not found".
  core::Result<ObjectInfo> head_object(std::string_view bucket, std::string_view key);

  //! HeadBucket: 404 -> kNotFound "S3 bucket not found", 403 -> kAccessDenied (suggests s3:ListBucket),
  //! 301 -> kInvalidConfig "bucket is in region X".
  core::Result<void> head_bucket(std::string_view bucket);
  //! GetBucketEncryption: the default encryption new objects get. A bucket without a configuration (only
  //! possible before 2023) gives {"", ""}.
  core::Result<BucketEncryption> bucket_encryption(std::string_view bucket);

  //! One ListObjectsV2 page (max_keys clamped to 1..1000). The reply is bounded and parsed with pugixml.
  core::Result<ListPage> list_objects_v2(std::string_view bucket, std::string_view prefix,
                                         std::optional<std::string> continuation = std::nullopt,
                                         int max_keys = 1000);
  //! Follows continuation tokens until the listing ends or `limit` objects were collected (at most `limit`
  //! are returned). A truncated page without a new token is kRemote rather than a loop.
  core::Result<std::vector<ListedObject>> list_all(std::string_view bucket, std::string_view prefix,
                                                   std::size_t limit);

 private:
  struct Target;
  core::Result<Target> target(std::string_view bucket, std::string_view key) const;
  //! Sends one request; 2xx -> the response, error reply -> mapped core::Error.
  core::Result<http::Response> send(const Target& t, http::Request req, std::string_view action);
  core::Result<std::string> put(const Target& t, std::string body, std::string_view content_type);
  core::Result<UploadResult> multipart(const Target& t, std::string_view content_type, const ReadFn& read,
                                       std::string first, std::size_t part_size, bool eof);
  //! A request with this client's request_timeout and a small reply bound.
  http::Request make_request(std::string method, std::string url) const;
  void abort_upload(const Target& t, const std::string& upload_id);

  AwsClient& client_;
  S3Options options_;
};

//! Percent-encodes a key for an S3 URL path as botocore does: RFC 3986 unreserved bytes and '/' stay,
//! everything else (space, '+', '#', '?', '%', UTF-8) is %XX. Pure.
std::string s3_encode_key(std::string_view key);
//! True when a '/'-separated segment of the key is "." or "..": such keys are refused, since libcurl would
//! resolve them in the URL. Pure.
bool s3_key_has_dot_segment(std::string_view key);

//! Parses a ListObjectsV2 reply (encoding-type=url keys are decoded: '+' is a space, then %XX). Pure.
core::Result<ListPage> parse_list_objects_v2(std::string_view xml);

}  // namespace bw::aws
