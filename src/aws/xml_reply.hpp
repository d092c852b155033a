// aws/xml_reply.hpp: reading the XML replies of the query-protocol APIs (CloudFormation, CloudWatch, EC2,
// Elastic Load Balancing), said once for their clients. Pure.
#pragma once

#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::aws {

//! Whose reply it is, for its errors (unreadable_reply), and how large it may be.
struct XmlReplyOf {
  std::string_view service;     //!< as people name it: "CloudFormation"
  std::string_view service_id;  //!< the endpoint id: "cloudformation"
  std::string_view action;      //!< "DescribeStacks": the root element is "<action>Response"
  std::size_t max_bytes;
};

//! Loads `xml` into `doc` and returns its <{action}Response>; unreadable_reply saying why when it is too
//! large, not XML or another document. A DOCTYPE is skipped, its entities never defined (pugixml fetches
//! none anyway).
core::Result<pugi::xml_node> load_xml_reply(pugi::xml_document& doc, std::string_view xml,
                                            const XmlReplyOf& of);

//! The text of child `name` of `node`, cut to `limit` bytes.
std::string xml_text(pugi::xml_node node, const char* name, std::size_t limit);

}  // namespace bw::aws
