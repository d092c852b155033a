#include "http/router.hpp"

#include <boost/json.hpp>

namespace bw::http {

ServerResponse json_response(int status, std::string body) {
  ServerResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

ServerResponse json_response(int status, const boost::json::object& body) {
  return json_response(status, boost::json::serialize(body));
}

void Router::add(std::string method, std::string path, Handler handler, Prefix prefix, bool blocking) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler), prefix, blocking});
}

bool Router::path_matches(const Route& route, const std::string& path) const {
  if (path == route.path) return true;
  if (route.prefix != Prefix::kAnyOneSegment) return false;
  // "/<segment><route.path>" where segment is non-empty and holds no '/'.
  if (path.size() <= route.path.size() + 1 || path[0] != '/') return false;
  const std::size_t split = path.size() - route.path.size();
  if (path.compare(split, std::string::npos, route.path) != 0) return false;
  const std::string_view segment(path.data() + 1, split - 1);
  return !segment.empty() && segment.find('/') == std::string_view::npos;
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match m;
  std::string allow;
  for (const auto& route : routes_) {
    if (!path_matches(route, path)) continue;
    if (route.method == method) {
      m.handler = &route.handler;
      m.blocking = route.blocking;
      return m;
    }
    if (allow.find(route.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + route.method;
  }
  if (allow.empty()) {
    m.fallback = json_response(404, R"({"error":"Endpoint not found"})");
  } else {
    m.fallback = json_response(405, boost::json::serialize(boost::json::object{
                                        {"error", "Method not allowed"}, {"allowed", allow}}));
    m.fallback.headers.emplace_back("Allow", allow);
  }
  return m;
}

ServerResponse Router::dispatch(const ServerRequest& request) const {
  Match m = match(request.method, request.path);
  if (!m.handler) return m.fallback;
  return (*m.handler)(request);
}

}  // namespace bw::http
