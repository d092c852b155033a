#include "http/request_reader.hpp"

#include <boost/beast/http/error.hpp>

#include <tuple>
#include <utility>

namespace bw::http {
namespace {
namespace bhttp = boost::beast::http;

//! Above this many header bytes a connection does not keep its request's storage for the next one.
constexpr std::size_t kKeptHeaderBytes = 4096;

//! An allocator over the arena, emptied first: the previous request's fields are gone with its reader.
ArenaAllocator<char> emptied(RequestArena& arena) {
  arena.reset();
  return ArenaAllocator<char>(arena);
}
}  // namespace

RequestReader::RequestReader(RequestArena& arena, std::size_t max_header_bytes, std::size_t max_body_bytes)
    : parser_(std::piecewise_construct, std::make_tuple(), std::make_tuple(emptied(arena))) {
  parser_.header_limit(std::uint32_t(max_header_bytes));
  parser_.body_limit(max_body_bytes);
  parser_.eager(true);  // the body in the same pass as the header when it is there
}

boost::beast::error_code RequestReader::parse_buffered(boost::beast::flat_buffer& buffer) {
  boost::beast::error_code ec;
  while (!parser_.is_done()) {
    if (buffer.size() == 0) return bhttp::error::need_more;
    const std::size_t used = parser_.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec) return ec;
    if (used == 0) return bhttp::error::need_more;
  }
  return ec;
}

std::size_t RequestReader::refill(ServerRequest& r) {
  auto& msg = parser_.get();
  r.method.assign(msg.method_string());
  r.target.assign(msg.target());
  r.path.assign(r.target, 0, r.target.find('?'));
  std::size_t n = 0, bytes = 0;
  for (const auto& field : msg) {
    if (n == r.headers.size()) r.headers.emplace_back();
    r.headers[n].first.assign(field.name_string());
    r.headers[n].second.assign(field.value());
    bytes += field.name_string().size() + field.value().size();
    ++n;
  }
  r.headers.resize(n);
  r.body = std::move(msg.body());
  return bytes;
}

void release(ServerRequest& r, std::size_t header_bytes) {
  std::string().swap(r.body);
  if (header_bytes > kKeptHeaderBytes) Headers().swap(r.headers);
}

}  // namespace bw::http
