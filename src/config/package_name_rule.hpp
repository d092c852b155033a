// config/package_name_rule.hpp: which "<pkg_prefix>/<display id>" names Quilt accepts, pure. Shared by the
// secret schema (pkg_prefix) and the packaging (display ids), so both refuse the same names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bw::config {

//! quilt3 refuses a package name unless it matches PACKAGE_NAME_FORMAT = r"^[\w-]+/[\w-]+$"
//! (quilt3/util.py, validate_package_name; the packager lambda calls it), and refuses it silently for us:
//! the packager message is simply dropped. Python's \w is Unicode-aware, so quilt3 alone would take "é" or
//! "実験"; the catalog derives names with JavaScript's ASCII-only \w, and its `$` also lets a trailing
//! newline through. We accept the part every Quilt component agrees on: ASCII letters, digits, '_' and '-'.
inline constexpr std::string_view kPackageNamePartAllowed = "ASCII letters, digits 0-9, '_' and '-'";

//! Longest part we form: it is also one S3 key segment, and keys end at 1024 bytes.
inline constexpr std::size_t kMaxPackageNamePartBytes = 255;

//! Why `part` cannot be one half of a Quilt package name ("is empty", "contains ' ' (byte 4)", ...), or
//! nullopt when it can. The offending byte is shown escaped (\xNN) when it is not printable ASCII.
std::optional<std::string> package_name_part_problem(std::string_view part);

}  // namespace bw::config
