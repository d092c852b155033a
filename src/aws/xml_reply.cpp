// aws/xml_reply.cpp
#include "aws/xml_reply.hpp"

#include "aws/unreadable_reply.hpp"

namespace bw::aws {

core::Result<pugi::xml_node> load_xml_reply(pugi::xml_document& doc, std::string_view xml,
                                            const XmlReplyOf& of) {
  const auto unreadable = [&of](std::string_view why) {
    return unreadable_reply(of.service, of.service_id, of.action, why);
  };
  if (xml.size() > of.max_bytes) {
    constexpr std::size_t kMiB = 1024 * 1024;
    return unreadable("larger than " + (of.max_bytes % kMiB == 0
                                            ? std::to_string(of.max_bytes / kMiB) + " MiB"
                                            : std::to_string(of.max_bytes) + " bytes"));
  }
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default & ~pugi::parse_doctype)) {
    return unreadable("not XML");
  }
  std::string root(of.action);
  root.append("Response");
  pugi::xml_node node = doc.child(root.c_str());
  if (!node) return unreadable("no " + root);
  return node;
}

std::string xml_text(pugi::xml_node node, const char* name, std::size_t limit) {
  return std::string(std::string_view(node.child_value(name)).substr(0, limit));
}

}  // namespace bw::aws
