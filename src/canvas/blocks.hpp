// canvas/blocks.hpp
#pragma once

#include <boost/json.hpp>

#include <string_view>

namespace bw::canvas {

// App Canvas UI blocks as Benchling's PATCH /app-canvases/{id} expects them (runtime-spec §7.1), with exactly
// the keys the reference sends. A view is a boost::json::array of these objects.

//! {"type":"MARKDOWN","id":id,"value":value}
boost::json::object markdown(std::string_view id, std::string_view value);

//! {"type":"BUTTON","id":id,"text":text,"enabled":enabled}
boost::json::object button(std::string_view id, std::string_view text, bool enabled = true);

//! {"type":"SECTION","id":id,"children":children}; Benchling lays the children (buttons) out in a row.
boost::json::object section(std::string_view id, boost::json::array children);

//! The PATCH body: {"blocks":blocks,"enabled":true}. Always enabled: a canvas must never stay disabled.
boost::json::object canvas_update_body(boost::json::array blocks);

}  // namespace bw::canvas
