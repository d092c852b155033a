#include "queue/job.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"

namespace bw::queue {

namespace {

constexpr std::size_t kMaxRouteBytes = 64;
constexpr std::size_t kMaxWebhookIdBytes = 1024;
constexpr std::size_t kMaxReceivedAtBytes = 64;
constexpr std::size_t kMaxGroupIdBytes = 128;
constexpr std::size_t kMaxCanvasIdBytes = 128;

core::Error invalid(std::string message) {
  return core::make_error(core::ErrorCode::kInvalidArgument, std::move(message),
                          "The job was not written by this release of benchling-webhook; run one release on "
                          "every task (a message that keeps failing moves to the dead-letter queue)");
}

// Appends `s` (valid UTF-8) as a JSON string whose characters SQS accepts: #x9 #xA #xD #x20-#xD7FF
// #xE000-#xFFFD #x10000-#x10FFFF. Control characters and the noncharacters U+FFFE/U+FFFF are escaped.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c >= 0x80) {
      const std::size_t n = core::utf8_sequence_length(s, i);  // validated by the caller: n is 2..4
      if (n == 0) {  // unreachable after validate_job; never loop or emit invalid UTF-8 regardless
        out += "\\ufffd";
        ++i;
        continue;
      }
      if (n == 3 && c == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
          static_cast<unsigned char>(s[i + 2]) >= 0xBE) {
        out += static_cast<unsigned char>(s[i + 2]) == 0xBE ? "\\ufffe" : "\\uffff";
      } else {
        out.append(s.substr(i, n));
      }
      i += n;
      continue;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

bool is_sqs_id_char(unsigned char c) {
  return c > 0x20 && c < 0x7f;  // SQS: alphanumerics and punctuation
}

bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string_view kind_text(JobKind kind) {
  return to_string(kind);
}

}  // namespace

const char* to_string(JobKind kind) {
  switch (kind) {
    case JobKind::kPackage:
      return "package";
    case JobKind::kCanvas:
      return "canvas";
  }
  return "package";
}

std::optional<JobKind> parse_job_kind(std::string_view text) {
  if (text == "package") return JobKind::kPackage;
  if (text == "canvas") return JobKind::kCanvas;
  return std::nullopt;
}

core::Result<void> validate_job(const Job& job) {
  if (job.kind != JobKind::kPackage && job.kind != JobKind::kCanvas)
    return invalid("Job has an unknown kind");
  if (job.route.empty() || job.route.size() > kMaxRouteBytes)
    return invalid("Job route is empty or too long");
  for (unsigned char c : job.route) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return invalid("Job route has a character other than letters, digits, '/', '-', '_', '.'");
  }
  if (job.webhook_id.size() > kMaxWebhookIdBytes) {
    return invalid("Job webhook_id is longer than " + std::to_string(kMaxWebhookIdBytes) + " bytes");
  }
  if (!core::is_valid_utf8(job.webhook_id) || has_control(job.webhook_id)) {
    return invalid("Job webhook_id is not printable UTF-8");
  }
  // Strict ISO 8601 UTC ('T' separator, explicit zone), which core::parse_iso8601 alone does not demand.
  const std::string_view at = job.received_at;
  if (at.size() < 20 || at.size() > kMaxReceivedAtBytes || at[10] != 'T' ||
      !(at.ends_with("Z") || at.ends_with("+00:00")) || !core::parse_iso8601(at)) {
    return invalid("Job received_at is not an ISO 8601 UTC time");
  }
  if (job.group_id.empty() || job.group_id.size() > kMaxGroupIdBytes) {
    return invalid("Job group_id must be 1-128 characters");
  }
  for (unsigned char c : job.group_id) {
    if (!is_sqs_id_char(c))
      return invalid("Job group_id has a character SQS does not accept in a MessageGroupId");
  }
  if (job.canvas_id.size() > kMaxCanvasIdBytes) return invalid("Job canvas_id is longer than 128 bytes");
  for (unsigned char c : job.canvas_id) {
    if (!is_sqs_id_char(c)) return invalid("Job canvas_id has a character other than printable ASCII");
  }
  if (job.envelope.empty()) return invalid("Job envelope is empty");
  if (job.envelope.size() > kMaxJobBytes) {
    return invalid("Job envelope is larger than " + std::to_string(kMaxJobBytes) + " bytes");
  }
  if (!core::is_valid_utf8(job.envelope)) return invalid("Job envelope is not valid UTF-8");
  return {};
}

namespace {

core::Error too_large(std::size_t size) {
  return core::make_error(
             core::ErrorCode::kTooLarge, "Webhook payload too large for the work queue",
             "SQS takes messages of at most 256 KiB; Benchling webhook payloads are far smaller, "
             "so check what is sending this request")
      .with("size (bytes)", std::to_string(size))
      .with("SQS limit (bytes)", std::to_string(kMaxJobBytes));
}

}  // namespace

core::Result<std::string> encode_job(const Job& job) {
  if (job.envelope.size() > kMaxJobBytes) return too_large(job.envelope.size());
  if (auto ok = validate_job(job); !ok) return ok.error();
  std::string out;
  out.reserve(job.envelope.size() + job.envelope.size() / 8 + 256);
  out += R"({"v":1,"kind":)";
  append_json_string(out, kind_text(job.kind));
  out += R"(,"route":)";
  append_json_string(out, job.route);
  out += R"(,"webhook_id":)";
  append_json_string(out, job.webhook_id);
  out += R"(,"received_at":)";
  append_json_string(out, job.received_at);
  out += R"(,"group_id":)";
  append_json_string(out, job.group_id);
  if (!job.canvas_id.empty()) {
    out += R"(,"canvas_id":)";
    append_json_string(out, job.canvas_id);
  }
  out += R"(,"envelope":)";
  append_json_string(out, job.envelope);
  out += '}';
  if (out.size() > kMaxJobBytes) return too_large(out.size());
  return out;
}

core::Result<Job> decode_job(std::string_view text) {
  if (text.size() > kMaxJobBytes) {
    return invalid("Job is larger than " + std::to_string(kMaxJobBytes) + " bytes")
        .with("size (bytes)", std::to_string(text.size()));
  }
  auto parsed = core::parse_json(text, "job", kMaxJobBytes);
  if (!parsed) return invalid("Job is not valid JSON");
  if (!parsed->is_object()) return invalid("Job is not a JSON object");
  const auto& obj = parsed->get_object();

  const auto* v = obj.if_contains("v");
  if (v == nullptr) return invalid("Job has no version (\"v\")");
  if (!(v->is_int64() || v->is_uint64())) return invalid("Job version (\"v\") is not an integer");
  if (!(v->is_int64() && v->get_int64() == kJobVersion)) {
    const std::string shown =
        v->is_int64() ? std::to_string(v->get_int64()) : std::to_string(v->get_uint64());
    return invalid("Unsupported job version " + shown).with("supported", std::to_string(kJobVersion));
  }

  auto field = [&](std::string_view key) -> core::Result<std::string> {
    const auto* f = obj.if_contains(key);
    if (f == nullptr) return invalid("Job has no \"" + std::string(key) + "\"");
    if (!f->is_string()) return invalid("Job \"" + std::string(key) + "\" is not a string");
    return std::string(f->get_string());
  };

  Job job;
  auto kind = field("kind");
  if (!kind) return kind.error();
  auto parsed_kind = parse_job_kind(*kind);
  if (!parsed_kind) {
    // Quote the kind only when it is short and printable: the message may end up in logs.
    std::string shown = kind->size() <= 32 && !has_control(*kind) ? *kind : "<unprintable>";
    return invalid("Unknown job kind \"" + shown + "\"").with("supported", "package, canvas");
  }
  job.kind = *parsed_kind;
  for (auto [key, dest] : {std::pair<std::string_view, std::string*>{"route", &job.route},
                           {"webhook_id", &job.webhook_id},
                           {"received_at", &job.received_at},
                           {"group_id", &job.group_id},
                           {"envelope", &job.envelope}}) {
    auto value = field(key);
    if (!value) return value.error();
    *dest = std::move(*value);
  }
  if (obj.contains("canvas_id")) {
    auto value = field("canvas_id");
    if (!value) return value.error();
    job.canvas_id = std::move(*value);
  }
  if (auto ok = validate_job(job); !ok) return ok.error();
  return job;
}

}  // namespace bw::queue
