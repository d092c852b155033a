// http/message.hpp: inbound request/response values, free of any socket.
#pragma once

#include <boost/json/fwd.hpp>

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
  std::string content_type = "application/json";
  Headers headers;  //!< extra headers (Retry-After, Allow, ...)
  std::string body;
};

//! A JSON response from a serialized body.
ServerResponse json_response(int status, std::string body);
//! A JSON response from a JSON object.
ServerResponse json_response(int status, const boost::json::object& body);

}  // namespace bw::http
