// aws/client_token.cpp
#include "aws/client_token.hpp"

#include <openssl/rand.h>

#include <array>
#include <random>
#include <string_view>

#include "core/encoding.hpp"

namespace bw::aws {
namespace {

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes;
  if (RAND_bytes(bytes.data(), int(bytes.size())) != 1) {
    // OpenSSL's generator failing is close to impossible; a token only needs to be unique.
    std::random_device rd;
    for (auto& b : bytes) b = static_cast<unsigned char>(rd());
  }
  return bytes;
}

template <std::size_t N>
std::string hex(const std::array<unsigned char, N>& bytes) {
  return core::hex_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

std::string client_token() {
  return hex(random_bytes<32>());
}

std::string client_token_uuid() {
  auto b = random_bytes<16>();
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10
  const std::string h = hex(b);
  std::string out = h.substr(0, 8);
  out.append("-").append(h.substr(8, 4)).append("-").append(h.substr(12, 4)).append("-");
  out.append(h.substr(16, 4)).append("-").append(h.substr(20));
  return out;
}

}  // namespace bw::aws
