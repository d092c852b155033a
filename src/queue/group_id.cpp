#include "queue/group_id.hpp"

#include "core/crypto.hpp"

namespace bw::queue {

std::string group_id(std::string_view prefix, std::string_view id) {
  bool printable = !id.empty() && prefix.size() + id.size() <= 128;
  for (unsigned char c : id) printable = printable && c > 0x20 && c < 0x7f;
  if (printable) return std::string(prefix).append(id);
  return std::string(prefix).append("sha256-").append(core::sha256_hex(id).substr(0, 32));
}

}  // namespace bw::queue
