#include "aws/cloudwatch.hpp"
#include "aws/unreadable_reply.hpp"
#include "aws/xml_reply.hpp"

#include <pugixml.hpp>

namespace bw::aws {
namespace {

constexpr std::string_view kVersion = "2010-08-01";
constexpr std::size_t kMaxReplyBytes = 1024 * 1024;
constexpr std::size_t kMaxField = 1024;
constexpr std::size_t kMaxAlarms = 100;
constexpr std::size_t kMaxActions = 5;  // CloudWatch allows 5 actions per state

constexpr ReplyOf kReply{"CloudWatch", "monitoring", "DescribeAlarms", kMaxReplyBytes};

core::Error unreadable(std::string_view why) {
  return unreadable_reply(kReply, why);
}

std::string text(pugi::xml_node node, const char* name) {
  return xml_text(node, name, kMaxField);
}

}  // namespace

core::Result<std::vector<MetricAlarm>> parse_describe_alarms(std::string_view xml) {
  pugi::xml_document doc;
  auto root = load_xml_reply(doc, xml, kReply);
  if (!root) return root.error();
  std::vector<MetricAlarm> out;
  for (pugi::xml_node m : root->child("DescribeAlarmsResult").child("MetricAlarms").children("member")) {
    if (out.size() == kMaxAlarms) return unreadable("more than 100 alarms");
    MetricAlarm alarm{text(m, "AlarmName"), text(m, "StateValue"), text(m, "StateReason"),
                      text(m, "Namespace"), text(m, "MetricName"), {}};
    for (pugi::xml_node a : m.child("AlarmActions").children("member")) {
      if (alarm.alarm_actions.size() == kMaxActions) break;
      alarm.alarm_actions.emplace_back(std::string_view(a.text().get()).substr(0, kMaxField));
    }
    out.push_back(std::move(alarm));
  }
  return out;
}

core::Result<std::vector<MetricAlarm>> CloudWatch::describe_alarms(const std::string& prefix) {
  constexpr std::string_view kAction = "DescribeAlarms";
  http::Request req = query_protocol(
      kAction, kVersion,
      {{"AlarmNamePrefix", prefix}, {"AlarmTypes.member.1", "MetricAlarm"}, {"MaxRecords", "100"}});
  req.max_response_bytes = kMaxReplyBytes;
  auto reply = client_.call("monitoring", "monitoring", std::move(req), kAction);
  if (!reply) return reply.error().with("Region", client_.region());
  if (reply->error) return to_core_error(*reply->error, kAction).with("Region", client_.region());
  return parse_describe_alarms(reply->response.body);
}

}  // namespace bw::aws
