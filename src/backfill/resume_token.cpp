#include "backfill/resume_token.hpp"

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/json.hpp"

namespace bw::backfill {
namespace {

constexpr std::string_view kPrefix = "bf1.";
constexpr std::size_t kMaxTokenBytes = 8192;

core::Error not_a_token(std::string_view token, std::string why) {
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          "--resume is not a backfill resume token: " + why,
                          "copy the whole token from the command an interrupted backfill printed, and give "
                          "the same selectors")
      .with("--resume", std::string(token.substr(0, 64)) + (token.size() > 64 ? "..." : ""));
}

std::optional<std::uint64_t> count(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::uint64_t{0};
  if (it->value().is_uint64()) return it->value().get_uint64();
  if (it->value().is_int64() && it->value().get_int64() >= 0) return std::uint64_t(it->value().get_int64());
  return std::nullopt;
}

}  // namespace

std::string encode_resume_token(const ResumePoint& p) {
  boost::json::object o{{"p", p.page_token}, {"o", p.offset}, {"f", p.fingerprint},
                        {"q", p.queued},     {"l", p.listed}, {"s", p.skipped}};
  return std::string(kPrefix) + core::base64url_encode(boost::json::serialize(o));
}

core::Result<ResumePoint> decode_resume_token(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return not_a_token(token, "too long");
  if (!token.starts_with(kPrefix))
    return not_a_token(token, "it does not start with " + std::string(kPrefix));
  auto text = core::base64url_decode(token.substr(kPrefix.size()));
  if (!text) return not_a_token(token, "it is not base64url");
  auto parsed = core::parse_json(*text, "resume token", kMaxTokenBytes);
  if (!parsed || !parsed->is_object()) return not_a_token(token, "its content is not readable");
  const auto& o = parsed->get_object();
  ResumePoint p;
  auto page = core::get_string(o, "p");
  auto fp = core::get_string(o, "f");
  auto offset = count(o, "o");
  auto queued = count(o, "q");
  auto listed = count(o, "l");
  auto skipped = count(o, "s");
  if (!page || !fp || !offset || !queued || !listed || !skipped || *offset > 100000) {
    return not_a_token(token, "a field is missing or wrong");
  }
  p.page_token = std::move(*page);
  p.fingerprint = std::move(*fp);
  p.offset = std::size_t(*offset);
  p.queued = *queued;
  p.listed = *listed;
  p.skipped = *skipped;
  return p;
}

}  // namespace bw::backfill
