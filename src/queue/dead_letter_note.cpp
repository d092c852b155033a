#include "queue/dead_letter_note.hpp"

#include "aws/sqs.hpp"
#include "config/queue_names.hpp"
#include "core/utf8.hpp"

namespace bw::queue {
using config::kFirstReceivedAttribute, config::kLastErrorAttribute, config::kReceivesAttribute,
    config::kSentAtAttribute, config::kSourceMessageIdAttribute, config::kSourceQueueAttribute;

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // …

bool starts_url(std::string_view s, std::size_t i) {
  const auto rest = s.substr(i);
  return rest.starts_with("http://") || rest.starts_with("https://");
}

//! Drops the query string of every http(s) URL: what follows '?' up to the next space.
std::string without_url_queries(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (!starts_url(s, i)) {
      out += s[i++];
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t' && s[end] != '\n' && s[end] != '"' &&
           s[end] != '\'')
      ++end;
    const std::string_view url = s.substr(i, end - i);
    const auto q = url.find('?');
    out.append(url.substr(0, q));
    if (q != std::string_view::npos) out.append("?").append(kEllipsis);
    i = end;
  }
  return out;
}

}  // namespace

std::string last_error_note(const core::Error& error) {
  std::string text = core::to_string(error.code);
  text.append(": ").append(without_url_queries(error.message));
  std::string out;
  out.reserve(std::min<std::size_t>(text.size(), kMaxLastErrorChars * 4));
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (chars == kMaxLastErrorChars) {
      out.append(kEllipsis);
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
      ++i;
    } else if (const std::size_t n = core::utf8_sequence_length(text, i); n == 0) {
      out.append(kReplacement);
      ++i;
    } else {
      const std::string_view seq = std::string_view(text).substr(i, n);
      // SQS refuses U+FFFE and U+FFFF in attribute values, as in bodies.
      out.append(seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF" ? kReplacement : seq);
      i += n;
    }
    ++chars;
  }
  return out;
}

std::map<std::string, std::string> dead_letter_attributes(const aws::SqsMessage& message,
                                                          std::string_view source_queue,
                                                          const core::Error& error) {
  std::map<std::string, std::string> out{
      {kLastErrorAttribute, last_error_note(error)},
      {kSourceQueueAttribute, std::string(source_queue)},
      {kSourceMessageIdAttribute, message.message_id},
      {kReceivesAttribute, std::to_string(message.receive_count())},
  };
  if (auto sent = message.attribute("SentTimestamp"); sent && !sent->empty()) out[kSentAtAttribute] = *sent;
  if (auto first = message.attribute("ApproximateFirstReceiveTimestamp"); first && !first->empty())
    out[kFirstReceivedAttribute] = *first;
  return out;
}

std::size_t attributes_size(const std::map<std::string, std::string>& attributes) {
  std::size_t n = 0;
  for (const auto& [name, value] : attributes) n += name.size() + 6 + value.size();  // 6: "String"
  return n;
}

}  // namespace bw::queue
