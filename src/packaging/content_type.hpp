// packaging/content_type.hpp: the Content-Type an uploaded export file is stored with.
#pragma once

#include <string>
#include <string_view>

namespace bw::packaging {

//! The media type for a file name, by its extension (case-insensitive), so the Quilt catalog and
//! browsers preview files instead of downloading opaque blobs. Sequence formats (FASTA, GenBank) are
//! text/plain; unknown extensions, and names without one, are application/octet-stream.
std::string content_type_for(std::string_view name);

}  // namespace bw::packaging
