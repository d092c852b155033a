#include "aws/xml_reply.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

const ReplyOf kOf{"EC2", "ec2", "DescribeVpcs", 1024 * 1024};

std::string why_unreadable(std::string_view xml, ReplyOf of = kOf) {
  pugi::xml_document doc;
  auto root = load_xml_reply(doc, xml, of);
  return root ? "" : root.error().message;
}

TEST(XmlReply, ReturnsTheActionsResponseElement) {
  pugi::xml_document doc;
  auto root = load_xml_reply(doc, "<DescribeVpcsResponse><a>text</a></DescribeVpcsResponse>", kOf);
  ASSERT_TRUE(root);
  EXPECT_EQ(xml_text(*root, "a", 100), "text");
  EXPECT_EQ(xml_text(*root, "a", 2), "te");
  EXPECT_EQ(xml_text(*root, "missing", 100), "");
}

TEST(XmlReply, SaysWhyAReplyIsUnreadable) {
  EXPECT_EQ(why_unreadable("<x"), "EC2 DescribeVpcs reply is unreadable: not XML");
  EXPECT_EQ(why_unreadable("<Other/>"), "EC2 DescribeVpcs reply is unreadable: no DescribeVpcsResponse");
  EXPECT_EQ(why_unreadable(std::string(1024 * 1024 + 1, ' ')),
            "EC2 DescribeVpcs reply is unreadable: larger than 1 MiB");
  EXPECT_EQ(why_unreadable("<DescribeVpcsResponse/>", {"EC2", "ec2", "DescribeVpcs", 10}),
            "EC2 DescribeVpcs reply is unreadable: larger than 10 bytes");
}

TEST(XmlReply, SkipsADoctypeWithoutDefiningItsEntities) {
  pugi::xml_document doc;
  auto root = load_xml_reply(
      doc, "<!DOCTYPE x [<!ENTITY e \"secret\">]><DescribeVpcsResponse><a>&e;</a></DescribeVpcsResponse>",
      kOf);
  ASSERT_TRUE(root);
  EXPECT_EQ(xml_text(*root, "a", 100).find("secret"), std::string::npos);
}

}  // namespace
}  // namespace bw::aws
