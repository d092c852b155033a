// deploy/allow_list.hpp: the secret's webhook_allow_list, as source-IP conditions for the API's policy.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::deploy {

//! One IPv4/IPv6 address or CIDR block.
struct IpBlock {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  //!< IPv4 uses the first 4
  int prefix = -1;                       //!< -1 for a bare address

  int max_prefix() const { return v6 ? 128 : 32; }
  //! True when no bit past the prefix is set (10.0.0.0/16, not 10.0.0.1/16); a bare address is aligned.
  bool aligned() const;
};

//! Strict parse of "a.b.c.d", "a.b.c.d/n" (n 0-32), an IPv6 address (RFC 4291 text form, "::" at most
//! once, an embedded IPv4 tail allowed, no zone id) or "<v6>/n" (n 0-128). Decimal octets 0-255 without
//! leading zeros (a leading zero means octal to some parsers), prefix lengths without leading zeros.
std::optional<IpBlock> parse_ip_block(std::string_view text);

//! Most entries accepted; the list becomes part of the API's resource policy and the template.
inline constexpr std::size_t kMaxAllowListEntries = 100;
//! The longest entry that can be valid ("ffff:...:255.255.255.255/128" is 49 characters).
inline constexpr std::size_t kMaxAllowListEntryChars = 64;

//! Splits the secret's comma-separated webhook_allow_list: entries trimmed of spaces and tabs, empty
//! entries and repeats dropped, order kept. Each entry must be an address or CIDR block per
//! parse_ip_block; entries are returned as given (API Gateway accepts bare addresses).
//! Errors (kInvalidSecret): "Invalid webhook_allow_list entry '<x>'" (x cut to 64 characters, control
//! and non-ASCII bytes shown as '?'), and
//! more than kMaxAllowListEntries entries; both suggest the accepted form. "" or " , " gives {}.
core::Result<std::vector<std::string>> parse_allow_list(std::string_view list);

}  // namespace bw::deploy
