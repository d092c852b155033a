// fuzz/router_fuzz.cpp: request-path routing with the service's route shapes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "http/router.hpp"

namespace {

bw::http::Router make_router() {
  using bw::http::Router;
  Router router;
  auto ok = [](const bw::http::ServerRequest&) { return bw::http::ServerResponse{}; };
  for (const char* path : {"/event", "/lifecycle", "/canvas"}) {
    router.add("POST", path, ok, Router::Prefix::kAnyOneSegment, true);
  }
  for (const char* path : {"/health", "/health/live", "/health/ready", "/health/secrets", "/config"}) {
    router.add("GET", path, ok);
  }
  router.add("GET", "/", ok);
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bw::http::Router router = make_router();
  std::string path(bw::fuzz::as_view(data, size));
  for (const char* method : {"GET", "POST", "PUT"}) {
    auto m = router.match(method, path);
    if (m.handler == nullptr && (!m.fallback || (m.fallback->status != 404 && m.fallback->status != 405))) {
      bw::fuzz::property_failed("no handler and a fallback that is neither 404 nor 405");
    }
    if (m.handler != nullptr && m.fallback) bw::fuzz::property_failed("a handler and a fallback");
  }
  bw::http::ServerRequest request;
  request.method = "POST";
  request.target = path;
  request.path = path;
  (void)router.dispatch(request);
  return 0;
}
