#include "aws/s3.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

#include "aws/unreadable_reply.hpp"
#include "aws/xml_reply.hpp"
#include "core/encoding.hpp"
#include "core/log.hpp"

namespace bw::aws {

namespace {

constexpr std::string_view kDefaultContentType = "application/octet-stream";
constexpr std::size_t kMaxSmallReply = 1024 * 1024;      // Create/Complete/Put replies, error bodies
constexpr std::size_t kMaxListReply = 16 * 1024 * 1024;  // 1000 keys of up to 3 KiB once encoded, plus XML
constexpr std::size_t kMaxBucketBytes = 255;
constexpr std::size_t kMaxUploadIdBytes = 1024;
constexpr std::size_t kMaxEtagBytes = 1024;
constexpr std::size_t kMaxTokenBytes = 4096;
constexpr std::size_t kMaxFieldBytes = 1024;

std::string str(std::string_view s) {
  return std::string(s);
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Bucket names come from configuration: reject what cannot be a bucket rather than build odd URLs.
bool plausible_bucket(std::string_view bucket) {
  if (bucket.empty() || bucket.size() > kMaxBucketBytes) return false;
  return std::all_of(bucket.begin(), bucket.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return is_unreserved(u) && c != '~';
  });
}

core::Error invalid(std::string message, std::string suggestion) {
  return core::make_error(core::ErrorCode::kInvalidArgument, std::move(message), std::move(suggestion));
}

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("S3", "s3", action, why);
}

std::string s3_uri(std::string_view bucket, std::string_view key) {
  std::string out = "s3://";
  out.append(bucket);
  if (!key.empty()) out.append("/").append(key);
  return out;
}

// The IAM action a person must grant for an S3 API call.
std::string_view permission_for(std::string_view action) {
  if (action == "HeadBucket" || action == "ListObjectsV2") return "s3:ListBucket";
  if (action == "GetObject" || action == "HeadObject") return "s3:GetObject";
  if (action == "AbortMultipartUpload") return "s3:AbortMultipartUpload";
  return "s3:PutObject";  // PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string bounded(std::string_view s, std::size_t limit) {
  return std::string(s.substr(0, limit));
}

void xml_escape_into(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      default:
        out.push_back(c);
    }
  }
}

core::Result<void> load_xml(pugi::xml_document& doc, std::string_view xml, std::string_view action,
                            std::size_t limit) {
  return load_xml_document(doc, xml, {"S3", "s3", action, limit});
}

// encoding-type=url: S3 encodes a key like a form value ('+' for a space, %XX otherwise).
std::optional<std::string> decode_listed_key(std::string_view encoded) {
  std::string plus_decoded(encoded);
  std::replace(plus_decoded.begin(), plus_decoded.end(), '+', ' ');
  return core::uri_decode(plus_decoded);
}

ObjectInfo info_from_headers(const http::Response& resp) {
  ObjectInfo info;
  if (auto len = resp.header("content-length")) info.size = parse_u64(*len).value_or(0);
  info.etag = bounded(resp.header("etag").value_or(""), kMaxEtagBytes);
  info.content_type = bounded(resp.header("content-type").value_or(""), kMaxFieldBytes);
  info.last_modified = bounded(resp.header("last-modified").value_or(""), kMaxFieldBytes);
  return info;
}

// Reads until `cap` bytes are in `buf` or the source ends (eof set). A reader claiming more than it was
// offered is a bug on the caller's side.
core::Result<std::size_t> fill(const S3::ReadFn& read, char* buf, std::size_t cap, bool& eof) {
  std::size_t total = 0;
  eof = false;
  while (total < cap) {
    auto n = read(buf + total, cap - total);
    if (!n) return n.error();
    if (*n == 0) {
      eof = true;
      break;
    }
    if (*n > cap - total) {
      return core::make_error(core::ErrorCode::kInternal, "upload source returned more bytes than requested")
          .with("requested", std::to_string(cap - total))
          .with("returned", std::to_string(*n));
    }
    total += *n;
  }
  return total;
}

}  // namespace

struct S3::Target {
  std::string bucket;
  std::string key;  // empty for bucket-level calls
  std::string url;  // the object's URL, or the bucket's (ends in '/' when virtual-hosted)

  core::Error& describe(core::Error& e) const {
    e.details.insert(e.details.begin(), {"bucket", bucket});
    if (!key.empty()) e.details.insert(e.details.begin() + 1, {"key", key});
    return e;
  }
};

std::string s3_encode_key(std::string_view key) {
  return core::uri_encode(key, /*keep_slash=*/true);
}

bool s3_key_has_dot_segment(std::string_view key) {
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t slash = key.find('/', start);
    if (slash == std::string_view::npos) slash = key.size();
    const std::string_view segment = key.substr(start, slash - start);
    if (segment == "." || segment == "..") return true;
    start = slash + 1;
  }
  return false;
}

core::Result<ListPage> parse_list_objects_v2(std::string_view xml) {
  constexpr std::string_view kAction = "ListObjectsV2";
  pugi::xml_document doc;
  auto loaded = load_xml(doc, xml, kAction, kMaxListReply);
  if (!loaded) return loaded.error();
  const pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) return unreadable(kAction, "no ListBucketResult");

  const bool url_encoded = std::string_view(root.child_value("EncodingType")) == "url";
  ListPage page;
  page.truncated = std::string_view(root.child_value("IsTruncated")) == "true";
  for (pugi::xml_node c : root.children("Contents")) {
    if (page.objects.size() >= 1000) return unreadable(kAction, "more than 1000 objects in one page");
    ListedObject obj;
    const std::string_view raw_key = c.child_value("Key");
    if (raw_key.empty() || raw_key.size() > 3 * kS3MaxKeyBytes)
      return unreadable(kAction, "a missing or over-long Key");
    if (url_encoded) {
      auto decoded = decode_listed_key(raw_key);
      if (!decoded) return unreadable(kAction, "a Key with a malformed escape");
      obj.key = std::move(*decoded);
    } else {
      obj.key = str(raw_key);
    }
    auto size = parse_u64(c.child_value("Size"));
    if (!size) return unreadable(kAction, "a Size that is not a number");
    obj.size = *size;
    obj.etag = bounded(c.child_value("ETag"), kMaxEtagBytes);
    obj.last_modified = bounded(c.child_value("LastModified"), kMaxFieldBytes);
    page.objects.push_back(std::move(obj));
  }
  const std::string_view token = root.child_value("NextContinuationToken");
  if (token.size() > kMaxTokenBytes) return unreadable(kAction, "an over-long NextContinuationToken");
  if (!token.empty()) page.next_continuation_token = str(token);
  if (page.truncated && !page.next_continuation_token) {
    return unreadable(kAction, "truncated without a NextContinuationToken");
  }
  if (!page.truncated) page.next_continuation_token.reset();
  return page;
}

core::Result<S3::Target> S3::target(std::string_view bucket, std::string_view key) const {
  if (!plausible_bucket(bucket)) {
    return invalid("Invalid S3 bucket name: '" + bounded(bucket, 128) + "'",
                   "Use the bucket's name only (letters, digits, '.', '-', '_'), without s3:// or a path");
  }
  if (key.size() > kS3MaxKeyBytes) {
    return invalid("S3 key is longer than 1024 bytes", "Use a shorter key")
        .with("bucket", str(bucket))
        .with("key", bounded(key, 128) + "...");
  }
  if (s3_key_has_dot_segment(key)) {
    // libcurl resolves "." and ".." in a URL path (S3 would then store another key), and "%2E" is not what S3
    // or botocore sign; refuse rather than write somewhere else.
    return invalid("S3 key has a '.' or '..' path segment: '" + bounded(key, 256) + "'",
                   "Remove '.' and '..' segments from the key (e.g. sanitize file names taken from archives)")
        .with("bucket", str(bucket));
  }
  auto ep = client_.endpoint("s3");
  if (!ep) return ep.error();
  Target t{str(bucket), str(key), s3_object_url(*ep, bucket, "")};
  if (!key.empty()) {
    if (t.url.back() == '/') t.url.pop_back();
    t.url.append("/").append(s3_encode_key(key));
  }
  return t;
}

http::Request S3::make_request(std::string method, std::string url) const {
  http::Request req{.method = std::move(method), .url = std::move(url), .headers = {}, .body = {}};
  req.timeout = options_.request_timeout;
  req.max_response_bytes = kMaxSmallReply;
  return req;
}

core::Result<http::Response> S3::send(const Target& t, http::Request req, std::string_view action) {
  auto reply = client_.call("s3", "s3", std::move(req), action);
  if (!reply) {
    core::Error e = reply.error();
    return t.describe(e);
  }
  if (!reply->error) return std::move(reply->response);

  const AwsError& err = *reply->error;
  const http::Response& resp = reply->response;
  const std::string& region = client_.region();
  const std::string uri = s3_uri(t.bucket, t.key);
  core::Error e;

  const auto bucket_region = resp.header("x-amz-bucket-region");
  const bool moved = err.http_status == 301 || err.http_status == 307 || err.code == "PermanentRedirect" ||
                     err.code == "AuthorizationHeaderMalformed";
  if (moved && (err.http_status != 400 || (bucket_region && *bucket_region != region))) {
    const std::string where = bucket_region ? bounded(*bucket_region, 64) : std::string("another region");
    e = core::make_error(
        core::ErrorCode::kInvalidConfig, "S3 bucket " + t.bucket + " is in " + where + ", not in " + region,
        "Use a bucket in " + region + ", the region of the Quilt stack that this service calls S3 in");
    e.with("region", region);
    if (bucket_region) e.with("bucket region", bounded(*bucket_region, 64));
  } else if (err.code == "NoSuchBucket" ||
             (err.http_status == 404 && err.code == "Unknown" && t.key.empty())) {
    e = core::make_error(core::ErrorCode::kNotFound, "S3 bucket not found: " + t.bucket,
                         "Check the bucket name and that it exists in this AWS account");
    e.with("region", region);
  } else if (err.code == "NoSuchKey" || (err.http_status == 404 && err.code == "Unknown")) {
    e = core::make_error(core::ErrorCode::kNotFound, "S3 object not found: " + uri,
                         "Check the key (and the bucket) for typos; the object may have been deleted");
    e.with("region", region);
  } else if (err.code == "NoSuchUpload") {
    e = core::make_error(core::ErrorCode::kNotFound, "S3 multipart upload not found for " + uri,
                         "The upload was completed or aborted meanwhile; upload the object again");
  } else if (is_access_denied(err)) {
    const std::string arn =
        "arn:aws:s3:::" + t.bucket +
        (action == "HeadBucket" || action == "ListObjectsV2" ? std::string()
                                                             : "/" + (t.key.empty() ? "*" : t.key));
    e = core::make_error(core::ErrorCode::kAccessDenied,
                         "Access denied: S3 " + str(action) + " on " + (t.key.empty() ? t.bucket : uri),
                         "Grant the IAM role " + str(permission_for(action)) + " on " + arn +
                             " (and check the bucket policy)");
    e.with("region", region);
  } else {
    e = to_core_error(err, action);
    t.describe(e);
    return e;
  }
  e.with("action", str(action)).with("code", err.code).with("HTTP status", std::to_string(err.http_status));
  if (!err.request_id.empty()) e.with("request id", err.request_id);
  e.with("AWS said", err.message);
  return t.describe(e);
}

core::Result<std::string> S3::put(const Target& t, std::string body, std::string_view content_type) {
  http::Request req = make_request("PUT", t.url);
  req.body = std::move(body);
  req.headers.emplace_back("Content-Type",
                           content_type.empty() ? str(kDefaultContentType) : str(content_type));
  req.timeout = options_.transfer_timeout;
  auto resp = send(t, std::move(req), "PutObject");
  if (!resp) return resp.error();
  return bounded(resp->header("etag").value_or(""), kMaxEtagBytes);
}

core::Result<std::string> S3::put_object(std::string_view bucket, std::string_view key, std::string body,
                                         std::string_view content_type) {
  if (key.empty()) return invalid("S3 key is empty", "Give the object a key").with("bucket", str(bucket));
  auto t = target(bucket, key);
  if (!t) return t.error();
  return put(*t, std::move(body), content_type);
}

core::Result<UploadResult> S3::upload(std::string_view bucket, std::string_view key,
                                      std::string_view content_type, const ReadFn& read,
                                      UploadOptions options) {
  if (key.empty()) return invalid("S3 key is empty", "Give the object a key").with("bucket", str(bucket));
  if (options.part_size == 0 || options.part_size > kS3MaxPartBytes) {
    return invalid("S3 upload part size must be 1 byte to 5 GiB", "Use a part size such as 8 MiB")
        .with("part size", std::to_string(options.part_size));
  }
  auto t = target(bucket, key);
  if (!t) return t.error();
  const std::size_t threshold = std::min(options.multipart_threshold, options.part_size);

  std::string buffer(options.part_size, '\0');
  bool eof = false;
  auto n = fill(read, buffer.data(), buffer.size(), eof);
  if (!n) {
    core::Error e = n.error();
    return t->describe(e);
  }
  buffer.resize(*n);
  if (*n == 0 || (eof && *n < threshold)) {
    auto etag = put(*t, std::move(buffer), content_type);
    if (!etag) return etag.error();
    return UploadResult{std::move(*etag), *n, 0};
  }
  return multipart(*t, content_type, read, std::move(buffer), options.part_size, eof);
}

core::Result<UploadResult> S3::multipart(const Target& t, std::string_view content_type, const ReadFn& read,
                                         std::string first, std::size_t part_size, bool eof) {
  // CreateMultipartUpload: the object's Content-Type is given here.
  std::string upload_id;
  {
    http::Request req = make_request("POST", t.url + "?uploads");
    req.headers.emplace_back("Content-Type",
                             content_type.empty() ? str(kDefaultContentType) : str(content_type));
    auto resp = send(t, std::move(req), "CreateMultipartUpload");
    if (!resp) return resp.error();
    pugi::xml_document doc;
    auto loaded = load_xml(doc, resp->body, "CreateMultipartUpload", kMaxSmallReply);
    if (!loaded) return loaded.error();
    upload_id = doc.child("InitiateMultipartUploadResult").child_value("UploadId");
    if (upload_id.empty() || upload_id.size() > kMaxUploadIdBytes) {
      return unreadable("CreateMultipartUpload", "no UploadId");
    }
  }
  const std::string upload_query = "uploadId=" + core::uri_encode(upload_id);

  auto fail = [&](core::Error e) -> core::Error {
    abort_upload(t, upload_id);
    e.with("upload id", upload_id);
    return e;
  };

  std::vector<std::string> etags;
  UploadResult result;
  std::string buffer = std::move(first);
  for (;;) {
    const unsigned part_number = static_cast<unsigned>(etags.size()) + 1;
    const std::size_t part_bytes = buffer.size();
    if (part_number > kS3MaxParts) {
      core::Error e = invalid("S3 upload of " + s3_uri(t.bucket, t.key) + " needs more than 10000 parts of " +
                                  std::to_string(part_size) + " bytes",
                              "Upload with a larger part size (S3 allows 10000 parts of up to 5 GiB)");
      e.with("part size", std::to_string(part_size)).with("bytes read", std::to_string(result.size));
      return fail(t.describe(e));
    }
    http::Request req =
        make_request("PUT", t.url + "?partNumber=" + std::to_string(part_number) + "&" + upload_query);
    req.body = std::move(buffer);
    req.headers.emplace_back("Content-Type", str(kDefaultContentType));
    req.timeout = options_.transfer_timeout;
    auto resp = send(t, std::move(req), "UploadPart");
    if (!resp) {
      core::Error e = resp.error();
      return fail(e.with("part", std::to_string(part_number)));
    }
    auto etag = resp->header("etag");
    if (!etag || etag->empty() || etag->size() > kMaxEtagBytes) {
      core::Error e = unreadable("UploadPart", "no ETag header");
      return fail(t.describe(e.with("part", std::to_string(part_number))));
    }
    etags.push_back(std::move(*etag));
    result.size += part_bytes;
    if (eof) break;

    buffer.assign(part_size, '\0');  // the previous buffer went with the request; peak stays about one part
    auto n = fill(read, buffer.data(), buffer.size(), eof);
    if (!n) {
      core::Error e = n.error();
      return fail(t.describe(e));
    }
    if (*n == 0) break;
    buffer.resize(*n);
  }

  std::string xml = R"(<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
  for (std::size_t i = 0; i < etags.size(); ++i) {
    xml.append("<Part><PartNumber>").append(std::to_string(i + 1)).append("</PartNumber><ETag>");
    xml_escape_into(xml, etags[i]);
    xml.append("</ETag></Part>");
  }
  xml.append("</CompleteMultipartUpload>");

  http::Request req = make_request("POST", t.url + "?" + upload_query);
  req.body = std::move(xml);
  req.headers.emplace_back("Content-Type", "application/xml");
  // S3 may take minutes to assemble a large object (it keeps the connection alive with whitespace).
  req.timeout = std::max(options_.request_timeout, std::chrono::milliseconds(std::chrono::minutes(15)));
  auto resp = send(t, std::move(req), "CompleteMultipartUpload");
  if (!resp) return fail(resp.error());

  pugi::xml_document doc;
  auto loaded = load_xml(doc, resp->body, "CompleteMultipartUpload", kMaxSmallReply);
  if (!loaded) return fail(loaded.error());
  if (doc.child("Error")) {
    // S3 can answer 200 and report the failure in the body once the object is being assembled.
    http::Response as_error = std::move(*resp);
    as_error.status = 500;
    core::Error e = to_core_error(parse_aws_error("s3", as_error), "CompleteMultipartUpload");
    e.message = "S3 CompleteMultipartUpload failed for " + s3_uri(t.bucket, t.key) + ": " +
                bounded(doc.child("Error").child_value("Code"), 128);
    return fail(t.describe(e));
  }
  // S3 names the root CompleteMultipartUploadResult; moto 5.2.1 says CompleteMultipartUploadResponse.
  const std::string_view etag = doc.document_element().child_value("ETag");
  if (etag.empty()) return fail(unreadable("CompleteMultipartUpload", "no ETag"));
  result.etag = bounded(etag, kMaxEtagBytes);
  result.parts = static_cast<unsigned>(etags.size());
  return result;
}

void S3::abort_upload(const Target& t, const std::string& upload_id) {
  http::Request req = make_request("DELETE", t.url + "?uploadId=" + core::uri_encode(upload_id));
  auto resp = send(t, std::move(req), "AbortMultipartUpload");
  if (!resp) {
    // The parts stay billed until a lifecycle rule removes them: say so, but the caller's error matters more.
    core::log::warn("could not abort S3 multipart upload",
                    {{"bucket", t.bucket}, {"key", t.key}, {"error", resp.error().message}});
  }
}

core::Result<std::string> S3::get_object(std::string_view bucket, std::string_view key,
                                         std::size_t max_bytes) {
  if (key.empty()) return invalid("S3 key is empty", "Name the object to read").with("bucket", str(bucket));
  auto t = target(bucket, key);
  if (!t) return t.error();
  http::Request req = make_request("GET", t->url);
  req.timeout = options_.transfer_timeout;
  // Room for an error reply even when max_bytes is tiny; the object's own size is checked below.
  req.max_response_bytes = std::max(max_bytes, std::size_t{64 * 1024});
  auto resp = send(*t, std::move(req), "GetObject");
  const auto too_large = [&] {
    core::Error e = core::make_error(
        core::ErrorCode::kTooLarge,
        "S3 object " + s3_uri(bucket, key) + " is larger than " + std::to_string(max_bytes) + " bytes",
        "The object is too large to read into memory; check that it is the "
        "expected object");
    e.with("limit_bytes", std::to_string(max_bytes));
    return t->describe(e);
  };
  if (!resp) {
    const auto& d = resp.error().details;
    const bool over =
        std::any_of(d.begin(), d.end(), [](const auto& kv) { return kv.first == "limit_bytes"; });
    if (over) return too_large();
    return resp.error();
  }
  if (resp->body.size() > max_bytes) return too_large();
  return std::move(resp->body);
}

core::Result<ObjectInfo> S3::get_object_to(std::string_view bucket, std::string_view key,
                                           const SinkFn& sink) {
  if (key.empty()) return invalid("S3 key is empty", "Name the object to read").with("bucket", str(bucket));
  auto t = target(bucket, key);
  if (!t) return t.error();
  std::uint64_t delivered = 0;
  http::Request req = make_request("GET", t->url);
  req.timeout = options_.transfer_timeout;
  req.max_response_bytes = kS3MaxObjectBytes;
  req.body_sink = [&](std::string_view chunk) {
    delivered += chunk.size();
    return sink(chunk);
  };
  auto resp = send(*t, std::move(req), "GetObject");
  if (!resp) return resp.error();
  ObjectInfo info = info_from_headers(*resp);
  // A transfer cut mid-body is retried from the start, so the sink would have seen the first bytes twice.
  if (resp->header("content-length") && delivered != info.size) {
    core::Error e =
        core::make_error(core::ErrorCode::kTransport,
                         "S3 download of " + s3_uri(bucket, key) + " was interrupted and restarted",
                         "Discard what was received and download the object again");
    e.with("object bytes", std::to_string(info.size)).with("bytes delivered", std::to_string(delivered));
    return t->describe(e);
  }
  info.size = delivered;
  return info;
}

core::Result<ObjectInfo> S3::head_object(std::string_view bucket, std::string_view key) {
  if (key.empty())
    return invalid("S3 key is empty", "Name the object to look up").with("bucket", str(bucket));
  auto t = target(bucket, key);
  if (!t) return t.error();
  http::Request req = make_request("HEAD", t->url);
  auto resp = send(*t, std::move(req), "HeadObject");
  if (!resp) return resp.error();
  return info_from_headers(*resp);
}

core::Result<void> S3::head_bucket(std::string_view bucket) {
  auto t = target(bucket, "");
  if (!t) return t.error();
  http::Request req = make_request("HEAD", t->url);
  auto resp = send(*t, std::move(req), "HeadBucket");
  if (!resp) return resp.error();
  return {};
}

core::Result<BucketEncryption> parse_bucket_encryption(std::string_view xml) {
  pugi::xml_document doc;
  auto loaded = load_xml(doc, xml, "GetBucketEncryption", kMaxSmallReply);
  if (!loaded) return loaded.error();
  pugi::xml_node rule = doc.child("ServerSideEncryptionConfiguration").child("Rule");
  pugi::xml_node by_default = rule.child("ApplyServerSideEncryptionByDefault");
  BucketEncryption out;
  out.algorithm = std::string(std::string_view(by_default.child_value("SSEAlgorithm")).substr(0, 64));
  out.kms_key_id = std::string(std::string_view(by_default.child_value("KMSMasterKeyID")).substr(0, 2048));
  return out;
}

core::Result<BucketEncryption> S3::bucket_encryption(std::string_view bucket) {
  auto t = target(bucket, "");
  if (!t) return t.error();
  auto resp = send(*t, make_request("GET", t->url + "?encryption"), "GetBucketEncryption");
  if (!resp) {
    for (const auto& [key, value] : resp.error().details) {
      if (key == "code" && value == "ServerSideEncryptionConfigurationNotFoundError")
        return BucketEncryption{};
    }
    return resp.error();
  }
  return parse_bucket_encryption(resp->body);
}

core::Result<ListPage> S3::list_objects_v2(std::string_view bucket, std::string_view prefix,
                                           std::optional<std::string> continuation, int max_keys) {
  if (prefix.size() > kS3MaxKeyBytes) {
    return invalid("S3 prefix is longer than 1024 bytes", "Use a shorter prefix").with("bucket", str(bucket));
  }
  auto t = target(bucket, "");
  if (!t) return t.error();
  std::string url =
      t->url + "?list-type=2&encoding-type=url&max-keys=" + std::to_string(std::clamp(max_keys, 1, 1000));
  if (!prefix.empty()) url.append("&prefix=").append(core::uri_encode(prefix));
  if (continuation) url.append("&continuation-token=").append(core::uri_encode(*continuation));
  http::Request req = make_request("GET", std::move(url));
  req.max_response_bytes = kMaxListReply;
  auto resp = send(*t, std::move(req), "ListObjectsV2");
  if (!resp) return resp.error();
  auto page = parse_list_objects_v2(resp->body);
  if (!page) {
    core::Error e = page.error();
    return t->describe(e);
  }
  return page;
}

core::Result<std::vector<ListedObject>> S3::list_all(std::string_view bucket, std::string_view prefix,
                                                     std::size_t limit) {
  std::vector<ListedObject> out;
  std::optional<std::string> token;
  while (out.size() < limit) {
    const int want = static_cast<int>(std::min<std::size_t>(1000, limit - out.size()));
    auto page = list_objects_v2(bucket, prefix, token, want);
    if (!page) return page.error();
    for (auto& obj : page->objects) {
      if (out.size() >= limit) break;
      out.push_back(std::move(obj));
    }
    if (!page->truncated) break;
    if (page->next_continuation_token == token) {
      return unreadable("ListObjectsV2", "the same continuation token twice").with("bucket", str(bucket));
    }
    token = std::move(page->next_continuation_token);
  }
  return out;
}

}  // namespace bw::aws
