#include "deploy/dead_letter_record.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <ostream>

#include "aws/sqs.hpp"
#include "config/queue_names.hpp"
#include "core/time.hpp"

namespace bw::deploy {
using config::kFirstReceivedAttribute, config::kLastErrorAttribute, config::kReceivesAttribute,
    config::kSentAtAttribute, config::kSourceMessageIdAttribute, config::kSourceQueueAttribute;

namespace {

std::string message_attribute(const aws::SqsMessage& m, const char* name) {
  auto it = m.message_attributes.find(name);
  return it == m.message_attributes.end() ? std::string() : it->second;
}

//! A non-negative decimal of at most 15 digits; nullopt otherwise.
std::optional<std::int64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

std::optional<std::int64_t> first_number(std::string_view a, std::optional<std::string> b) {
  if (auto n = number(a)) return n;
  return b ? number(*b) : std::nullopt;
}

std::string iso(std::optional<std::int64_t> ms) {
  if (!ms) return "";
  return core::format_iso8601(core::SystemTime(std::chrono::milliseconds(*ms)));
}

boost::json::value string_or_null(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_sqs_arn(std::string_view arn) {
  // arn:<partition>:sqs:<region>:<account>:<name>
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const auto colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view name = arn.substr(start);
  if (parts[0] != "arn" || parts[2] != "sqs" || parts[4].size() != 12 || name.empty() ||
      name.find(':') != std::string_view::npos)
    return std::nullopt;
  return std::pair{std::string(name), std::string(parts[4])};
}

DeadLetter read_dead_letter(const aws::SqsMessage& m, std::string_view dlq, const JobDescriber& describe) {
  DeadLetter d;
  d.queue = std::string(dlq);
  d.message_id = m.message_id;
  d.receipt_handle = m.receipt_handle;
  d.body = m.body;
  d.group_id = m.attribute("MessageGroupId").value_or("");
  d.job = describe(m.body);
  d.dead_letter_sent = m.attribute("SentTimestamp").value_or("");
  d.last_error = message_attribute(m, kLastErrorAttribute);

  if (auto noted = message_attribute(m, kSourceQueueAttribute); !noted.empty()) {
    // The consumer moved it: the copy has a new id and new timestamps; the note keeps the originals.
    d.source_queue = noted;
    d.source_message_id = message_attribute(m, kSourceMessageIdAttribute);
  } else if (auto arn = m.attribute("DeadLetterQueueSourceArn")) {
    if (auto parsed = parse_sqs_arn(*arn)) std::tie(d.source_queue, d.source_account) = *parsed;
  }
  if (d.source_message_id.empty()) d.source_message_id = m.message_id;  // SQS's own move keeps the id
  d.sent_ms = first_number(message_attribute(m, kSentAtAttribute), m.attribute("SentTimestamp"));
  d.first_received_ms = first_number(message_attribute(m, kFirstReceivedAttribute),
                                     m.attribute("ApproximateFirstReceiveTimestamp"));
  if (auto n = number(message_attribute(m, kReceivesAttribute)); n && *n < 1000000) {
    d.receives = int(*n);
    d.receives_recorded = true;
  } else {
    d.receives = std::max(0, m.receive_count() - 1);  // less the receive of this very listing
  }
  return d;
}

std::string redrive_dedup_id(const DeadLetter& letter) {
  std::string id = "redrive-";
  id.append(letter.message_id.substr(0, 80));
  if (!letter.dead_letter_sent.empty()) id.append("-").append(letter.dead_letter_sent.substr(0, 20));
  return id;
}

bool is_deployment_queue(std::string_view name, std::string_view prefix) {
  if (prefix.empty() || !name.starts_with(prefix)) return false;
  const std::string_view rest = name.substr(prefix.size());
  return rest == ".fifo" || (rest.size() > 1 && rest.front() == '-');
}

std::string logs_command(const DeadLetter& letter) {
  return "benchling-webhook logs --since 14d --filter '\"" + letter.source_message_id + "\"'";
}

std::string kind_label(std::string_view kind) {
  if (kind == "package") return "entry packaging";
  if (kind == "canvas") return "canvas view";
  if (kind == "package_event") return "package event";
  return "unreadable message";
}

boost::json::object to_json(const DeadLetter& d) {
  boost::json::object o{
      {"message_id", d.message_id},
      {"queue", d.queue},
      {"source_queue", string_or_null(d.source_queue)},
      {"source_message_id", d.source_message_id},
      {"kind", d.job.kind},
      {"entry_id", string_or_null(d.job.entry_id)},
      {"canvas_id", string_or_null(d.job.canvas_id)},
      {"event_type", string_or_null(d.job.event_type)},
      {"package", string_or_null(d.job.package)},
      {"received_at", string_or_null(d.job.received_at)},
      {"sent_at", string_or_null(iso(d.sent_ms))},
      {"first_received_at", string_or_null(iso(d.first_received_ms))},
      {"receives", d.receives},
      {"receives_recorded", d.receives_recorded},
      {"group", string_or_null(d.group_id)},
      {"last_error", string_or_null(d.last_error)},
  };
  if (d.last_error.empty()) o["logs_command"] = logs_command(d);
  return o;
}

void render_dead_letters(std::ostream& out, const std::vector<DeadLetter>& letters) {
  for (const auto& d : letters) {
    out << d.message_id << "  (" << d.queue << ")\n";
    out << "  job:         " << kind_label(d.job.kind);
    if (!d.job.entry_id.empty()) out << ", entry " << d.job.entry_id;
    if (!d.job.canvas_id.empty()) out << ", canvas " << d.job.canvas_id;
    if (!d.job.package.empty()) out << ", package " << d.job.package;
    if (!d.job.event_type.empty()) out << " (" << d.job.event_type << ")";
    out << "\n";
    if (!d.group_id.empty()) out << "  group:       " << d.group_id << "\n";
    out << "  received:    ";
    const std::string first = iso(d.first_received_ms);
    out << (!d.job.received_at.empty() ? d.job.received_at : first.empty() ? iso(d.sent_ms) : first);
    out << "; " << (d.receives_recorded ? "" : "~") << d.receives
        << (d.receives == 1 ? " receive" : " receives") << "\n";
    out << "  source:      " << (d.source_queue.empty() ? "not recorded" : d.source_queue) << "\n";
    out << "  last error:  ";
    if (d.last_error.empty()) {
      out << "not recorded (SQS moved it); see logs: " << logs_command(d) << "\n";
    } else {
      out << d.last_error << "\n";
    }
  }
}

}  // namespace bw::deploy
