// packaging/detail/entry_walk.hpp: reading Benchling's entry JSON without trusting its shape; shared by the
// metadata documents and the link collection.
#pragma once

#include <boost/json.hpp>

#include <string_view>

namespace bw::packaging::detail {

//! obj[key], or a null value when absent.
inline const boost::json::value& member(const boost::json::object& obj, std::string_view key) {
  static const boost::json::value null;
  const auto* v = obj.if_contains(key);
  return v ? *v : null;
}

//! Calls f on every object in days[].notes[], skipping malformed shapes.
template <class F>
void for_each_note(const boost::json::object& entry_data, F&& f) {
  const auto& days = member(entry_data, "days");
  if (!days.is_array()) return;
  for (const auto& day : days.get_array()) {
    if (!day.is_object()) continue;
    const auto& notes = member(day.get_object(), "notes");
    if (!notes.is_array()) continue;
    for (const auto& note : notes.get_array()) {
      if (note.is_object()) f(note.get_object());
    }
  }
}

}  // namespace bw::packaging::detail
