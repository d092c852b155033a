// http/response_text.hpp: a ServerResponse as the bytes that go on the wire, pure.
#pragma once

#include <string>

#include "http/message.hpp"

namespace bw::http {

//! Replaces `out` with the status line, headers and body of `response` for an HTTP/`version / 10`.`version %
//! 10` client. Written by hand rather than through Beast's serializer: one buffer the connection reuses, so
//! an answer costs no allocation and goes out in one write. Content-Length is always given except where the
//! status forbids a body (1xx, 204, 304); `Connection` says what `keep_alive` decides. A header whose name
//! or value would break the framing (CR, LF, a colon in the name, an empty name) is left out.
void write_response_text(const ServerResponse& response, unsigned version, bool keep_alive, std::string& out);

}  // namespace bw::http
