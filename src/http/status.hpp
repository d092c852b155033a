// http/status.hpp
#pragma once

#include <string_view>

namespace bw::http {

//! The standard reason phrase of an HTTP status ("Service Unavailable"); empty when unknown.
std::string_view reason_phrase(int status);

}  // namespace bw::http
