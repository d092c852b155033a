// http/request_reader.hpp: one request read from the bytes a connection has buffered, with Beast's parser
// (header fields in the connection's arena, header and body bounded), then copied into the connection's
// ServerRequest. No socket here: the server reads, this parses.
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>

#include "http/message.hpp"
#include "http/request_arena.hpp"

namespace bw::http {

using RequestParser =
    boost::beast::http::request_parser<boost::beast::http::string_body, ArenaAllocator<char>>;

//! One request's parse. It resets the arena: make it only once the previous request's reader is gone.
class RequestReader {
 public:
  RequestReader(RequestArena& arena, std::size_t max_header_bytes, std::size_t max_body_bytes);

  //! Feeds the parser what `buffer` holds and consumes what it used. need_more when the request is not all
  //! there yet (read more into `buffer`, or use parser() with Beast's read); no error once it is complete;
  //! else why it is refused (header_limit, body_limit, or a malformed request).
  boost::beast::error_code parse_buffered(boost::beast::flat_buffer& buffer);
  RequestParser& parser() { return parser_; }

  //! Of a complete request: copies it into `request`, reusing the storage of the strings it holds from the
  //! connection's previous request (so that request usually costs no allocation for its target and header
  //! fields). The body is moved. Returns the bytes of the header fields' names and values.
  std::size_t refill(ServerRequest& request);

 private:
  RequestParser parser_;
};

//! After the answer: the body goes (it may be large), and so do header fields above the usual size, so an
//! idle connection holds little.
void release(ServerRequest& request, std::size_t header_bytes);

}  // namespace bw::http
