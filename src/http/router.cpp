#include "http/router.hpp"

#include <boost/json.hpp>

#include <memory>

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
  StagedHandler staged;
  if (blocking) {
    // The rest outlives the call: it keeps its own copy of the request, and shares the handler.
    staged = [handler = std::make_shared<const Handler>(std::move(handler))](const ServerRequest& request) {
      return Reply::defer([handler, request] { return (*handler)(request); });
    };
  } else {
    staged = [handler = std::move(handler)](const ServerRequest& request) {
      return Reply::answer(handler(request));
    };
  }
  add_staged(std::move(method), std::move(path), std::move(staged), prefix);
}

void Router::add_staged(std::string method, std::string path, StagedHandler handler, Prefix prefix) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler), prefix});
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
      return m;
    }
    if (allow.find(route.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + route.method;
  }
  if (allow.empty()) {
    m.fallback = json_response(404, R"({"error":"Endpoint not found"})");
  } else {
    m.fallback = json_response(405, boost::json::serialize(boost::json::object{
                                        {"error", "Method not allowed"}, {"allowed", allow}}));
    m.fallback->headers.emplace_back("Allow", allow);
  }
  return m;
}

ServerResponse Router::dispatch(const ServerRequest& request) const {
  Match m = match(request.method, request.path);
  if (!m.handler) return std::move(*m.fallback);
  Reply reply = (*m.handler)(request);
  if (reply.now) return std::move(*reply.now);
  return reply.later();
}

}  // namespace bw::http
