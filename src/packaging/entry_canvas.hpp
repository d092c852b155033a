// packaging/entry_canvas.hpp: the App Canvas an entry shows, read from the entry itself, pure.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace bw::packaging {

//! The canvasId of the first app_canvas note (days[].notes[] with type "app_canvas"), or nullopt. An entry
//! event names no canvas; this is where a failure that no retry will fix can still be shown to the user.
std::optional<std::string> entry_canvas_id(const boost::json::object& entry);

}  // namespace bw::packaging
