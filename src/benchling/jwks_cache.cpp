#include "benchling/jwks_cache.hpp"

namespace bw::benchling {
namespace {

const PublicKeysPtr& empty_keys() {
  static const PublicKeysPtr empty = std::make_shared<const PublicKeys>();
  return empty;
}

core::Error with_url(core::Error e, const std::string& url) {
  // Whatever went wrong with the key set (a refused URL, an oversized reply) is Benchling's to fix, and the
  // next fetch may succeed: keys are always worth fetching again.
  if (!e.healable()) e.code = core::ErrorCode::kRemote;
  e.with("jwks_url", url);
  return e;
}

}  // namespace

JwksCache::JwksCache(http::Client& client, core::NowFn now, JwksCacheOptions options)
    : client_(client), now_(std::move(now)), options_(options), keys_(empty_keys()) {}

JwksCache::~JwksCache() {
  if (background_.joinable()) background_.join();  // at most one fetch, bounded by options_.timeout
}

core::Result<void> JwksCache::refresh(const std::string& url) {
  return fetch_single_flight(url);
}

core::Result<void> JwksCache::refresh_if_stale(const std::string& url, std::chrono::seconds ttl) {
  {
    std::lock_guard lock(mutex_);
    if (url == url_ && loaded_at_ && !keys_->empty() && now_() - *loaded_at_ < ttl) return {};
  }
  return refresh(url);
}

JwksCache::Refetch JwksCache::refetch_if_allowed(const std::string& url, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::unique_lock lock(mutex_);
  switch_url_locked(url);
  if (!in_flight_) {
    if (last_miss_fetch_ && now_() - *last_miss_fetch_ < options_.min_refetch_interval) {
      // last_error_ is cleared by a success and by a URL switch: set, the latest fetch of `url` failed.
      return last_error_ ? Refetch::kUnavailable : Refetch::kFresh;
    }
    begin_fetch_locked(/*miss=*/true);
    // The previous background fetch has finished (nothing is in flight): joining it does not block.
    if (background_.joinable()) background_.join();
    background_ = std::thread([this, url] {
      auto fetched = fetch(url);
      std::lock_guard guard(mutex_);
      finish_fetch_locked(url, std::move(fetched));
    });
  }
  const std::uint64_t generation = generation_;
  if (!fetched_.wait_until(lock, deadline, [&] { return generation_ != generation; })) {
    return Refetch::kUnavailable;  // still running: it keeps going and serves the next delivery
  }
  if (last_result_url_ != url || last_result_error_) return Refetch::kUnavailable;
  return Refetch::kFetched;
}

void JwksCache::begin_fetch_locked(bool miss) {
  in_flight_ = true;
  last_attempt_ = now_();
  // Only misses count against the limit: a key rotated just after a scheduled fetch is still picked up.
  if (miss) last_miss_fetch_ = last_attempt_;
  ++fetch_count_;
}

void JwksCache::finish_fetch_locked(const std::string& url, core::Result<PublicKeys> fetched) {
  in_flight_ = false;
  ++generation_;
  last_result_url_ = url;
  if (fetched) {
    last_result_error_.reset();
  } else {
    last_result_error_ = fetched.error();
  }
  if (url == url_) {  // the URL may have changed while we fetched
    if (fetched) {
      keys_ = std::make_shared<const PublicKeys>(std::move(*fetched));
      loaded_at_ = now_();
      last_error_.reset();
    } else {
      last_error_ = fetched.error();  // the keys already held stay in use
    }
  }
  fetched_.notify_all();
}

void JwksCache::switch_url_locked(const std::string& url) {
  if (url == url_) return;
  // Keys of another app definition must never verify this one's deliveries.
  url_ = url;
  keys_ = empty_keys();
  loaded_at_.reset();
  last_attempt_.reset();
  last_miss_fetch_.reset();
  last_error_.reset();
}

core::Result<void> JwksCache::fetch_single_flight(const std::string& url) {
  std::unique_lock lock(mutex_);
  for (;;) {
    switch_url_locked(url);
    if (in_flight_) {
      const std::uint64_t generation = generation_;
      fetched_.wait(lock, [&] { return generation_ != generation; });
      if (last_result_url_ == url) {
        if (last_result_error_) return *last_result_error_;
        return {};
      }
      continue;  // that fetch was for a URL no longer wanted: look again
    }
    break;
  }
  begin_fetch_locked(/*miss=*/false);
  lock.unlock();

  auto fetched = fetch(url);
  std::optional<core::Error> failed;
  if (!fetched) failed = fetched.error();

  lock.lock();
  finish_fetch_locked(url, std::move(fetched));
  if (failed) return *failed;
  return {};
}

core::Result<PublicKeys> JwksCache::fetch(const std::string& url) {
  http::Request request;
  request.method = "GET";
  request.url = url;
  request.headers = {{"Accept", "application/json"}};
  request.timeout = options_.timeout;
  request.connect_timeout = options_.connect_timeout;
  request.max_response_bytes = kMaxJwksBytes;
  auto response = client_.send(request);
  if (!response) {
    auto e = response.error();
    e.message = "cannot fetch the webhook JWKS: " + e.message;
    return with_url(std::move(e), url);
  }
  if (response->status != 200) {
    return with_url(
        core::make_error(core::ErrorCode::kRemote,
                         "cannot fetch the webhook JWKS: HTTP " + std::to_string(response->status),
                         "check app_definition_id (or jwks_url) in the Benchling secret")
            .with("status", std::to_string(response->status)),
        url);
  }
  auto keys = parse_jwks(response->body);
  if (!keys) return with_url(keys.error(), url);
  return keys;
}

PublicKeysPtr JwksCache::keys(const std::string& url) const {
  std::lock_guard lock(mutex_);
  return url == url_ ? keys_ : empty_keys();
}

PublicKeysPtr JwksCache::keys() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

bool JwksCache::loaded() const {
  std::lock_guard lock(mutex_);
  return !keys_->empty();
}

std::optional<std::chrono::milliseconds> JwksCache::age() const {
  std::lock_guard lock(mutex_);
  if (!loaded_at_ || keys_->empty()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(now_() - *loaded_at_);
}

std::optional<core::Error> JwksCache::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::uint64_t JwksCache::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetch_count_;
}

}  // namespace bw::benchling
