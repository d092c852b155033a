#include "http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/ascii.hpp"
#include "core/version.hpp"

namespace bw::http {
namespace {

constexpr std::size_t kMaxHeaderBytes = 256 * 1024;
constexpr std::size_t kMaxStreamedErrorBytes = 64 * 1024;

constexpr auto iequals = core::ascii_iequals;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

//! RFC 9110 token: what a method or header name may contain.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_field_value(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

//! Loopback and link-local hosts (the ECS credentials endpoint, IMDS) never go through a proxy.
bool is_local_host(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host.starts_with("169.254.") ||
         host == "[fd00:ec2::254]";
}

//! curl_global_init is not thread-safe and must run once: a function-local static does both.
void global_init() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)rc;  // a failure shows up as curl_easy_init() returning null
}

struct UrlParts {
  std::string scheme;
  std::string host;
  std::string path;
  std::string query;
  std::string origin;  //!< scheme://host:port, the key for connection affinity
};

core::Result<UrlParts> parse_url(const std::string& url) {
  auto invalid = [] {
    return core::make_error(core::ErrorCode::kInvalidArgument, "invalid URL for an outbound HTTP request",
                            "use an absolute http:// or https:// URL with a host");
  };
  CURLU* u = curl_url();
  if (!u) return core::make_error(core::ErrorCode::kInternal, "out of memory parsing a URL");
  UrlParts parts;
  auto get = [u](CURLUPart part, std::string& out) {
    char* s = nullptr;
    if (curl_url_get(u, part, &s, 0) != CURLUE_OK) return false;
    out = s;
    curl_free(s);
    return true;
  };
  std::string port;
  bool ok = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
            get(CURLUPART_SCHEME, parts.scheme) && get(CURLUPART_HOST, parts.host);
  if (ok) {
    get(CURLUPART_PATH, parts.path);
    get(CURLUPART_QUERY, parts.query);
    char* p = nullptr;
    if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      port = p;
      curl_free(p);
    }
  }
  curl_url_cleanup(u);
  if (!ok || parts.host.empty() || (parts.scheme != "http" && parts.scheme != "https")) return invalid();
  parts.origin = parts.scheme + "://" + parts.host + ":" + port;
  return parts;
}

//! Per-exchange state the libcurl callbacks write into.
struct Transfer {
  CURL* easy = nullptr;
  const std::function<bool(std::string_view)>* sink = nullptr;
  std::size_t max_body = 0;
  std::size_t body_bytes = 0;
  bool body_too_large = false;
  bool sink_refused = false;
  std::size_t header_bytes = 0;
  bool headers_too_large = false;
  core::StopToken stop;
  bool stopped = false;
  Response response;
};

core::Error stopped_error(const UrlParts& url) {
  return core::make_error(core::ErrorCode::kCancelled, "request to " + url.host + " stopped: shutting down")
      .with("host", url.host);
}

//! libcurl calls this about once a second even while nothing moves, and on every chunk.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->stop.stop_requested()) return 0;
  t->stopped = true;
  return 1;  // aborts with CURLE_ABORTED_BY_CALLBACK
}

size_t on_body(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * nmemb;
  if (n > t->max_body - t->body_bytes) {
    t->body_too_large = true;
    return 0;  // anything but n aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body_bytes += n;
  if (t->sink && *t->sink) {
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
      if (!(*t->sink)(std::string_view(data, n))) {
        t->sink_refused = true;
        return 0;
      }
      return n;
    }
    // An error reply to a download: keep enough to read the error, not the download's size limit.
    if (t->response.body.size() + n > kMaxStreamedErrorBytes) {
      t->body_too_large = true;
      return 0;
    }
  }
  t->response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * nmemb;
  t->header_bytes += n;
  if (t->header_bytes > kMaxHeaderBytes) {
    t->headers_too_large = true;
    return 0;
  }
  std::string_view line(data, n);
  auto& headers = t->response.headers;
  if (line.starts_with("HTTP/")) {
    headers.clear();  // a new response head: after a 1xx or a proxy CONNECT
    return n;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {  // obsolete line folding
    auto more = trim(line);
    if (!headers.empty() && !more.empty()) headers.back().second.append(" ").append(more);
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank line ending the head, or junk
  headers.emplace_back(core::ascii_lower(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
  return n;
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

core::Error transport_error(const UrlParts& url, CURLcode code, const char* errbuf) {
  std::string reason = errbuf[0] ? errbuf : curl_easy_strerror(code);
  // curl's own text names host and port; fall back to the generic text if it ever quotes more.
  if ((!url.query.empty() && reason.find(url.query) != std::string::npos) ||
      (url.path.size() > 1 && reason.find(url.path) != std::string::npos)) {
    reason = curl_easy_strerror(code);
  }
  std::string suggestion;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      suggestion = "check the host name and DNS from where this service runs";
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
      suggestion =
          "check that the system CA certificates are installed and the server's certificate is valid";
      break;
    case CURLE_OPERATION_TIMEDOUT:
      suggestion = "the server is slow or unreachable; it is retried later";
      break;
    default:
      suggestion = "check the network path (firewall, proxy, security groups) and that the server is up";
      break;
  }
  auto e = core::make_error(core::ErrorCode::kTransport, "cannot reach " + url.host + ": " + reason,
                            std::move(suggestion));
  e.with("host", url.host).with("curl_code", std::to_string(static_cast<int>(code)));
  return e;
}

}  // namespace

std::optional<std::string_view> find_header_view(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  auto value = find_header_view(headers, name);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

struct Client::Impl {
  struct Handle {
    CURL* easy = nullptr;
    std::string origin;  //!< where its cached connection (if any) points
  };

  ClientOptions options;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  std::mutex pool_mu;
  std::vector<Handle> idle;  //!< most recently used last

  explicit Impl(ClientOptions opts) : options(std::move(opts)) {
    if (options.user_agent.empty()) options.user_agent = std::string("benchling-webhook/") + core::kVersion;
    // DNS and TLS sessions are shared; connections are not (libcurl does not support sharing
    // them across threads), so each pooled easy handle keeps its own.
    share = curl_share_init();
    if (share) {
      curl_share_setopt(share, CURLSHOPT_USERDATA, this);
      curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Impl::lock);
      curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
      curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
      curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
  }

  ~Impl() {
    for (auto& h : idle) curl_easy_cleanup(h.easy);
    if (share) curl_share_cleanup(share);
  }

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[static_cast<std::size_t>(data)].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[static_cast<std::size_t>(data)].unlock();
  }

  //! Prefers an idle handle already connected to `origin`, so keep-alive connections get reused.
  Handle acquire(const std::string& origin) {
    {
      std::lock_guard lock(pool_mu);
      if (!idle.empty()) {
        auto it =
            std::find_if(idle.rbegin(), idle.rend(), [&](const Handle& h) { return h.origin == origin; });
        auto pick = it == idle.rend() ? std::prev(idle.end()) : std::prev(it.base());
        Handle h = std::move(*pick);
        idle.erase(pick);
        curl_easy_reset(h.easy);  // options only: connections, DNS and sessions survive
        return h;
      }
    }
    return Handle{curl_easy_init(), {}};
  }

  void release(Handle h) {
    {
      std::lock_guard lock(pool_mu);
      if (idle.size() < options.max_idle_handles) {
        idle.push_back(std::move(h));
        return;
      }
    }
    curl_easy_cleanup(h.easy);
  }
};

Client::Client() : Client(ClientOptions{}) {}

Client::Client(ClientOptions options) {
  global_init();
  impl_ = std::make_unique<Impl>(std::move(options));
}

Client::~Client() = default;

core::Result<Response> Client::send(const Request& request) {
  if (!is_token(request.method)) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "invalid HTTP method",
                            "use GET, POST, PUT, DELETE, HEAD or PATCH");
  }
  auto url = parse_url(request.url);
  if (!url) return url.error();

  // Build the header list first: a bad header fails before any I/O.
  Slist headers;
  auto append = [&headers](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (!next) return false;
    (void)headers.release();
    headers.reset(next);
    return true;
  };
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name) || !is_field_value(value)) {
      return core::make_error(core::ErrorCode::kInvalidArgument, "invalid HTTP header in an outbound request",
                              "header names must be tokens and values must not contain CR, LF or NUL")
          .with("header", is_token(name) ? name : std::string("(malformed name)"));
    }
    // curl derives framing from the body; a caller's own Expect would re-enable the 1 s stall.
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Expect"))
      continue;
    if (iequals(name, "Content-Type")) has_content_type = true;
    // "Name:" would delete the header in curl's syntax; "Name;" sends it with an empty value.
    if (!append(value.empty() ? name + ";" : name + ": " + value)) {
      return core::make_error(core::ErrorCode::kInternal, "out of memory building HTTP headers");
    }
  }
  // Never let curl add its form Content-Type or "Expect: 100-continue".
  if ((!has_content_type && !append("Content-Type:")) || !append("Expect:")) {
    return core::make_error(core::ErrorCode::kInternal, "out of memory building HTTP headers");
  }

  if (request.stop.stop_requested()) return stopped_error(*url);
  Impl::Handle handle = impl_->acquire(url->origin);
  if (!handle.easy) return core::make_error(core::ErrorCode::kInternal, "cannot create a libcurl handle");
  CURL* easy = handle.easy;

  Transfer transfer;
  transfer.easy = easy;
  transfer.sink = &request.body_sink;
  transfer.max_body = request.max_response_bytes;
  transfer.stop = request.stop;
  char errbuf[CURL_ERROR_SIZE] = {0};
  auto ms = [](std::chrono::milliseconds d) {
    return static_cast<long>(std::max<std::int64_t>(d.count(), 1));
  };

  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  if (impl_->share) curl_easy_setopt(easy, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  if (is_local_host(url->host)) curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, ms(request.connect_timeout));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms(request.timeout));
  // Long transfers get long timeouts; a stalled one still fails after a minute without a byte.
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, impl_->options.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  // Set or cleared on every use: the handle is pooled.
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, request.stop.stop_possible() ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);

  const std::string& method = request.method;
  if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);  // a custom "HEAD" would wait for a body
  } else {
    // Fail fast on a declared Content-Length over the limit; on_body enforces it either way.
    if (request.max_response_bytes > 0) {
      curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_response_bytes));
    }
    bool send_body = !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (send_body) {
      // POSTFIELDS sends the bytes as given with an exact Content-Length (0 included).
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
      if (method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    } else if (method == "GET") {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
  }

  CURLcode code = curl_easy_perform(easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  // Drop pointers into this frame before the handle goes back to the pool.
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, nullptr);
  handle.origin = url->origin;
  impl_->release(std::move(handle));

  if (transfer.stopped) return stopped_error(*url);
  if (transfer.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    auto e = core::make_error(core::ErrorCode::kTooLarge,
                              "response from " + url->host + " is larger than " +
                                  std::to_string(request.max_response_bytes) + " bytes",
                              "the server answered far more than expected; check the endpoint");
    e.with("host", url->host).with("limit_bytes", std::to_string(request.max_response_bytes));
    return e;
  }
  if (transfer.sink_refused) {
    return core::make_error(core::ErrorCode::kInternal,
                            "download from " + url->host + " aborted by its receiver")
        .with("host", url->host);
  }
  if (transfer.headers_too_large) {
    auto e = core::make_error(
        core::ErrorCode::kTooLarge,
        "response headers from " + url->host + " exceed " + std::to_string(kMaxHeaderBytes / 1024) + " KiB",
        "check the endpoint");
    e.with("host", url->host);
    return e;
  }
  if (code != CURLE_OK) return transport_error(*url, code, errbuf);

  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace bw::http
