// aws/xml_reply.cpp
#include "aws/xml_reply.hpp"

namespace bw::aws {

core::Result<void> load_xml_document(pugi::xml_document& doc, std::string_view xml, const ReplyOf& of) {
  if (xml.size() > of.max_bytes) return unreadable_reply(of, larger_than(of.max_bytes));
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default & ~pugi::parse_doctype)) {
    return unreadable_reply(of, "not XML");
  }
  return {};
}

core::Result<pugi::xml_node> load_xml_reply(pugi::xml_document& doc, std::string_view xml,
                                            const ReplyOf& of) {
  if (auto loaded = load_xml_document(doc, xml, of); !loaded) return loaded.error();
  std::string root(of.action);
  root.append("Response");
  pugi::xml_node node = doc.child(root.c_str());
  if (!node) return unreadable_reply(of, "no " + root);
  return node;
}

std::string xml_text(pugi::xml_node node, const char* name, std::size_t limit) {
  return std::string(std::string_view(node.child_value(name)).substr(0, limit));
}

}  // namespace bw::aws
