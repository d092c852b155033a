// fuzz/request_reader_fuzz.cpp: HTTP requests as the server reads them, arriving in pieces and pipelined.
// The first byte sets the piece size; the rest are the bytes a client sends on one connection.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "fuzz_util.hpp"
#include "http/request_reader.hpp"

namespace {
constexpr std::size_t kMaxHeader = 1024, kMaxBody = 4096;

void append(boost::beast::flat_buffer& buffer, std::string_view bytes) {
  auto space = buffer.prepare(bytes.size());
  boost::asio::buffer_copy(space, boost::asio::buffer(bytes.data(), bytes.size()));
  buffer.commit(bytes.size());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 64;
  std::string_view input = bw::fuzz::as_view(data + 1, size - 1);
  static auto arena = std::make_unique<bw::http::RequestArena>();
  boost::beast::flat_buffer buffer;
  bw::http::ServerRequest request;
  for (int requests = 0; requests < 64; ++requests) {
    bw::http::RequestReader reader(*arena, kMaxHeader, kMaxBody);
    auto ec = reader.parse_buffered(buffer);
    while (ec == boost::beast::http::error::need_more && !input.empty()) {
      append(buffer, input.substr(0, piece));
      input.remove_prefix(std::min(piece, input.size()));
      ec = reader.parse_buffered(buffer);
    }
    if (ec) return 0;  // refused or incomplete: the server answers 4xx or waits; nothing to copy
    const std::size_t header_bytes = reader.refill(request);
    if (header_bytes > kMaxHeader) bw::fuzz::property_failed("header fields above the header limit");
    if (request.body.size() > kMaxBody) bw::fuzz::property_failed("a body above the body limit");
    if (!request.target.starts_with(request.path))
      bw::fuzz::property_failed("path is not a prefix of target");
    if (request.path.find('?') != std::string::npos) bw::fuzz::property_failed("a query left in the path");
    bw::http::release(request, header_bytes);
    if (!request.body.empty()) bw::fuzz::property_failed("a body kept after release");
  }
  return 0;
}
