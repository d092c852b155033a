// aws/json_reply.cpp
#include "aws/json_reply.hpp"

#include "core/json.hpp"

namespace bw::aws {

core::Result<boost::json::object> load_json_reply(std::string_view json, const ReplyOf& of) {
  if (json.size() > of.max_bytes) return unreadable_reply(of, larger_than(of.max_bytes));
  auto parsed = core::parse_json(json, "reply", of.max_bytes);
  if (!parsed) return unreadable_reply(of, "not valid JSON");
  if (!parsed->is_object()) return unreadable_reply(of, "not a JSON object");
  return std::move(parsed->get_object());
}

}  // namespace bw::aws
