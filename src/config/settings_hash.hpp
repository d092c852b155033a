// config/settings_hash.hpp: the <h> in the names of the resources a deployment owns.
#pragma once

#include <string>
#include <string_view>

namespace bw::config {

//! First 16 lowercase hex digits of SHA-256(stack_arn + "|" + secret), over the literal settings as given
//! (DESIGN "work queue"): every task of one deployment, and its template, derive the same names from
//! the two settings alone. Pure.
std::string settings_hash(std::string_view stack_arn, std::string_view secret);

}  // namespace bw::config
