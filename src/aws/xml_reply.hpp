// aws/xml_reply.hpp: reading the XML replies of the query-protocol APIs (CloudFormation, CloudWatch, EC2,
// Elastic Load Balancing) and of S3, said once for their clients. Pure.
#pragma once

#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "aws/unreadable_reply.hpp"
#include "core/error.hpp"

namespace bw::aws {

//! Loads `xml` into `doc`; unreadable_reply saying why when it is larger than `of.max_bytes` or not XML.
//! A DOCTYPE is skipped, its entities never defined (pugixml fetches none anyway).
core::Result<void> load_xml_document(pugi::xml_document& doc, std::string_view xml, const ReplyOf& of);

//! load_xml_document, then the root element <{action}Response> of a query-protocol reply, or why not.
core::Result<pugi::xml_node> load_xml_reply(pugi::xml_document& doc, std::string_view xml, const ReplyOf& of);

//! The text of child `name` of `node`, cut to `limit` bytes.
std::string xml_text(pugi::xml_node node, const char* name, std::size_t limit);

}  // namespace bw::aws
