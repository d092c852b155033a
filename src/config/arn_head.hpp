// config/arn_head.hpp: the region and account every ARN of the two settings carries. Pure.
#pragma once

#include <optional>
#include <string_view>

namespace bw::config {

//! "arn:aws:<service>:<region>:<account>:<resource>" cut after its service.
struct ArnHead {
  std::string_view region;    //!< non-empty: [a-z0-9-]
  std::string_view account;   //!< 12 digits
  std::string_view resource;  //!< whatever follows, unchecked
};

//! `arn` cut as above when it starts with `prefix` ("arn:aws:<service>:") and its region and account are
//! well formed; nullopt otherwise. Views into `arn`.
std::optional<ArnHead> parse_arn_head(std::string_view arn, std::string_view prefix);

}  // namespace bw::config
