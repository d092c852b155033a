// http/message.hpp: inbound request/response values, free of any socket.
#pragma once

#include <boost/json/fwd.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/client.hpp"

namespace bw::http {

//! An inbound request as the handlers see it: already read, size-limited and complete.
struct ServerRequest {
  std::string method;  //!< "GET", "POST", ...
  std::string target;  //!< as received: path plus optional query
  std::string path;    //!< target without the query
  Headers headers;     //!< names as received; use header() to look up
  std::string body;    //!< raw bytes as received (signatures are computed over these)
  std::string remote_address;

  std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

struct ServerResponse {
  int status = 200;
  //! A constant (a literal): responses are built for every request, and a string would be allocated.
  std::string_view content_type = "application/json";
  Headers headers;  //!< extra headers (Retry-After, Allow, ...)
  std::string body;
};

//! A handler's answer: the response at once, or the rest of the work, which may block (network calls), to
//! finish off the I/O thread. A handler that answers most requests at once (a verified webhook that needs
//! no job) saves the hand-off to the handler pool and back.
struct Reply {
  std::optional<ServerResponse> now;
  std::function<ServerResponse()> later;  //!< set exactly when `now` is not

  static Reply answer(ServerResponse response) { return Reply{std::move(response), {}}; }
  static Reply defer(std::function<ServerResponse()> rest) { return Reply{std::nullopt, std::move(rest)}; }
};

//! A JSON response from a serialized body.
ServerResponse json_response(int status, std::string body);
//! A JSON response from a JSON object.
ServerResponse json_response(int status, const boost::json::object& body);

}  // namespace bw::http
