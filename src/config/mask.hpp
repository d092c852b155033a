// config/mask.hpp
#pragma once

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bw::config {

//! runtime-spec §2.5 mask_value: empty → nullopt (JSON null); at most `show` characters → "***";
//! else "***" + the last `show` characters. Characters are UTF-8 code points, as Python counts them.
std::optional<std::string> mask_value(std::string_view value, std::size_t show = 4);

//! runtime-spec §2.5 mask_arn: empty or not starting with "arn:" → unchanged; else the account (the
//! fifth ':'-separated part) is passed through mask_value. An empty account stays empty (the Python
//! original would have failed joining None).
//! Example: "arn:aws:sqs:us-east-1:123456789012:q" → "arn:aws:sqs:us-east-1:***9012:q".
std::string mask_arn(std::string_view arn);

//! mask_value as a JSON value: a string, or null for an empty input.
boost::json::value mask_value_json(std::string_view value, std::size_t show = 4);

//! mask_arn as a JSON value, with null for an empty input (the /config rendering of optional ARNs).
boost::json::value mask_arn_json(std::string_view arn);

}  // namespace bw::config
