// http/router.hpp: method + path → handler, pure (tested without sockets).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace bw::http {

using Handler = std::function<ServerResponse(const ServerRequest&)>;
//! Answers on the I/O thread when it can, and defers what may block (see Reply).
using StagedHandler = std::function<Reply(const ServerRequest&)>;

class Router {
 public:
  //! Where a route may be reached.
  enum class Prefix {
    kExact,          //!< only at `path`
    kAnyOneSegment,  //!< at `path` and at `/<segment>path` (an API Gateway stage such as /prod)
  };

  //! `blocking` routes may call the network: the server runs them off the I/O threads.
  void add(std::string method, std::string path, Handler handler, Prefix prefix = Prefix::kExact,
           bool blocking = false);
  //! A route that decides on the I/O thread whether the rest must run off it.
  void add_staged(std::string method, std::string path, StagedHandler handler,
                  Prefix prefix = Prefix::kExact);

  struct Match {
    const StagedHandler* handler = nullptr;  //!< null: answer with `fallback`
    std::optional<ServerResponse> fallback;  //!< 404 or 405 (with Allow), exactly when handler is null
  };
  Match match(const std::string& method, const std::string& path) const;

  //! Runs the matching handler, its deferred rest included (or returns the fallback), on the calling thread.
  ServerResponse dispatch(const ServerRequest& request) const;

 private:
  struct Route {
    std::string method, path;
    StagedHandler handler;
    Prefix prefix;
  };
  bool path_matches(const Route& route, const std::string& path) const;
  std::vector<Route> routes_;
};

}  // namespace bw::http
