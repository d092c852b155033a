// deploy/allow_list.cpp
#include "deploy/allow_list.hpp"

#include <algorithm>

#include "core/encoding.hpp"
#include "core/split.hpp"
#include "deploy/detail/shown.hpp"

namespace bw::deploy {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A decimal number in [0, max] without a sign or leading zeros.
std::optional<int> parse_decimal(std::string_view s, int max) {
  if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  if (v > max) return std::nullopt;
  return v;
}

bool parse_v4(std::string_view s, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    const auto dot = s.find('.');
    const bool last = i == 3;
    if (last != (dot == std::string_view::npos)) return false;
    auto octet = parse_decimal(last ? s : s.substr(0, dot), 255);
    if (!octet) return false;
    out[i] = static_cast<std::uint8_t>(*octet);
    if (!last) s.remove_prefix(dot + 1);
  }
  return true;
}

// Groups of 1-4 hex digits separated by ':', each group appended to `groups`; the last part may be an
// IPv4 address (two groups) when `allow_v4_tail`.
bool parse_v6_groups(std::string_view s, bool allow_v4_tail, std::vector<std::uint16_t>& groups) {
  if (s.empty()) return true;
  while (true) {
    const auto colon = s.find(':');
    const auto part = s.substr(0, colon);
    if (colon == std::string_view::npos && allow_v4_tail && part.find('.') != std::string_view::npos) {
      std::uint8_t v4[4];
      if (!parse_v4(part, v4)) return false;
      groups.push_back(static_cast<std::uint16_t>(v4[0] << 8 | v4[1]));
      groups.push_back(static_cast<std::uint16_t>(v4[2] << 8 | v4[3]));
      return true;
    }
    if (part.empty() || part.size() > 4) return false;
    std::uint16_t g = 0;
    for (char c : part) {
      const int h = core::hex_digit_value(c);
      if (h < 0) return false;
      g = static_cast<std::uint16_t>(g << 4 | h);
    }
    groups.push_back(g);
    if (colon == std::string_view::npos) return true;
    s.remove_prefix(colon + 1);
    if (s.empty()) return false;  // a trailing single ':'
  }
}

bool parse_v6(std::string_view s, std::uint8_t* out) {
  std::vector<std::uint16_t> head, tail;
  const auto gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_v6_groups(s, true, head) || head.size() != 8) return false;
  } else {
    const auto after = s.substr(gap + 2);
    if (after.find("::") != std::string_view::npos) return false;
    if (!parse_v6_groups(s.substr(0, gap), false, head) || !parse_v6_groups(after, true, tail)) return false;
    if (head.size() + tail.size() > 7) return false;  // "::" stands for at least one group
    head.resize(8 - tail.size(), 0);
    head.insert(head.end(), tail.begin(), tail.end());
  }
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xff);
  }
  return true;
}

core::Error allow_list_error(std::string message) {
  return core::make_error(core::ErrorCode::kInvalidSecret, std::move(message),
                          "Set webhook_allow_list in the Benchling secret to comma-separated IPv4/IPv6 "
                          "addresses or CIDR blocks (e.g. \"203.0.113.0/24,2001:db8::/32\"), or to \"\" to "
                          "accept webhooks from any source")
      .with("field", "webhook_allow_list");
}

}  // namespace

bool IpBlock::aligned() const {
  if (prefix < 0) return true;
  const int bytes_used = v6 ? 16 : 4;
  for (int bit = prefix; bit < bytes_used * 8; ++bit) {
    if (bytes[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

std::optional<IpBlock> parse_ip_block(std::string_view text) {
  if (text.empty() || text.size() > kMaxAllowListEntryChars) return std::nullopt;
  IpBlock block;
  std::string_view address = text;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    const auto prefix = text.substr(slash + 1);
    block.v6 = address.find(':') != std::string_view::npos;
    auto value = parse_decimal(prefix, block.max_prefix());
    if (!value) return std::nullopt;
    block.prefix = *value;
  } else {
    block.v6 = address.find(':') != std::string_view::npos;
  }
  const bool ok = block.v6 ? parse_v6(address, block.bytes.data()) : parse_v4(address, block.bytes.data());
  if (!ok) return std::nullopt;
  return block;
}

core::Result<std::vector<std::string>> parse_allow_list(std::string_view list) {
  std::vector<std::string> out;
  for (std::string_view entry : core::split(list, ',')) {
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    if (entry.empty()) continue;
    if (!parse_ip_block(entry)) {
      return allow_list_error("Invalid webhook_allow_list entry '" +
                              detail::shown(entry, kMaxAllowListEntryChars) + "'");
    }
    if (std::find(out.begin(), out.end(), entry) != out.end()) continue;
    if (out.size() == kMaxAllowListEntries) {
      return allow_list_error("webhook_allow_list has more than " + std::to_string(kMaxAllowListEntries) +
                              " entries")
          .with("limit", std::to_string(kMaxAllowListEntries));
    }
    out.emplace_back(entry);
  }
  return out;
}

}  // namespace bw::deploy
