// packaging/detail/text.hpp: byte-level text checks shared by the ZIP and metadata code.
#pragma once

#include <string>
#include <string_view>

namespace bw::packaging::detail {

//! True when `s` holds a C0 control (including NUL), DEL, or a UTF-8 encoded C1 control (U+0080-U+009F).
bool has_control_char(std::string_view s);

//! `s` made safe for an error message or log: controls, backslashes and bytes that are not valid UTF-8
//! become \xNN, and anything past `max_bytes` is cut with "...". Untrusted names go through this.
std::string printable(std::string_view s, std::size_t max_bytes = 200);

}  // namespace bw::packaging::detail
