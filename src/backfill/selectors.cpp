#include "backfill/selectors.hpp"

#include <chrono>
#include <cstdio>

#include "core/crypto.hpp"

namespace bw::backfill {
namespace {

using core::digits;
using core::ErrorCode;

core::Error bad_date(std::string_view flag, std::string_view text, std::string why) {
  return core::make_error(ErrorCode::kInvalidArgument, std::string(flag) + " is not a date: " + why,
                          "give a date as 2024-01-31 (midnight UTC) or a time in RFC 3339, e.g. "
                          "2024-01-31T12:30:00Z or 2024-01-31T12:30:00+02:00")
      .with(std::string(flag), std::string(text.substr(0, 64)));
}

core::Error bad_id(std::string_view flag, std::string_view id, std::string why) {
  return core::make_error(ErrorCode::kInvalidArgument, std::string(flag) + " " + why,
                          "give one id per flag value, as Benchling shows it (e.g. --entry etr_0uKCQZ8f "
                          "--entry etr_1b2C3d4E)")
      .with(std::string(flag), std::string(id.substr(0, 64)));
}

core::Result<void> check_ids(std::string_view flag, const std::vector<std::string>& ids) {
  if (ids.size() > kMaxIdsPerListing) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "too many " + std::string(flag) + " values: " + std::to_string(ids.size()),
                            "Benchling lists at most " + std::to_string(kMaxIdsPerListing) +
                                " ids at once; run backfill once per group of " +
                                std::to_string(kMaxIdsPerListing));
  }
  for (const auto& id : ids) {
    if (id.empty()) return bad_id(flag, id, "is empty");
    for (unsigned char c : id) {
      if (c == ',' || c <= 0x20 || c == 0x7f)
        return bad_id(flag, id, "contains a comma, space or control character");
    }
  }
  return {};
}

core::Result<void> check_id(std::string_view flag, const std::string& id) {
  if (id.empty()) return {};
  return check_ids(flag, {id});
}

}  // namespace

core::Result<std::string> parse_date(std::string_view flag, std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (text.size() < 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return bad_date(flag, text, "expected YYYY-MM-DD at the start");
  }
  std::size_t pos = 10;
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't') return bad_date(flag, text, "expected 'T' after the date");
    if (!digits(text, pos + 1, 2, h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(text, pos + 4, 2, mi)) {
      return bad_date(flag, text, "expected HH:MM after 'T'");
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!digits(text, pos + 1, 2, sec)) return bad_date(flag, text, "expected seconds after HH:MM:");
      pos += 3;
      if (pos < text.size() && text[pos] == '.') {
        const std::size_t start = ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return bad_date(flag, text, "expected digits after '.'");
      }
    }
    const std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
      offset_minutes = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
      int oh = 0, om = 0;
      if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59) {
        return bad_date(flag, text, "the time zone offset is not +HH:MM or -HH:MM");
      }
      offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return bad_date(flag, text, "a time needs its zone: Z or an offset such as +02:00");
    }
  }
  using namespace std::chrono;
  const year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (y < 1970 || y > 2200 || !ymd.ok()) return bad_date(flag, text, "no such day");
  if (h > 23 || mi > 59 || sec > 60) return bad_date(flag, text, "no such time of day");
  const auto t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) - minutes(offset_minutes);
  return core::format_iso8601(time_point_cast<core::SystemTime::duration>(t));
}

core::Result<benchling::EntriesQuery> to_query(const Selectors& s) {
  benchling::EntriesQuery q;
  q.page_size = benchling::kMaxEntriesPageSize;
  q.sort = "modifiedAt:desc";
  std::string since, before;
  if (!s.modified_since.empty()) {
    auto t = parse_date("--modified-since", s.modified_since);
    if (!t) return t.error();
    since = *t;
  }
  if (!s.modified_before.empty()) {
    auto t = parse_date("--modified-before", s.modified_before);
    if (!t) return t.error();
    before = *t;
  }
  // RFC 3339 in UTC with whole seconds compares as text.
  if (!since.empty() && !before.empty() && since >= before) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "--modified-since must be earlier than --modified-before",
                            "swap the two dates, or leave one out")
        .with("--modified-since", since)
        .with("--modified-before", before);
  }
  if (!since.empty()) q.modified_at = "> " + since;
  if (!before.empty()) q.modified_at += (q.modified_at.empty() ? "< " : " AND < ") + before;
  if (auto ok = check_id("--project", s.project); !ok) return ok.error();
  if (auto ok = check_id("--schema", s.schema); !ok) return ok.error();
  if (auto ok = check_ids("--entry", s.entry_ids); !ok) return ok.error();
  if (auto ok = check_ids("--display-id", s.display_ids); !ok) return ok.error();
  q.project_id = s.project;
  q.schema_id = s.schema;
  q.archive_reason = s.include_archived ? "ANY_ARCHIVED_OR_NOT_ARCHIVED" : "NOT_ARCHIVED";
  q.ids = s.entry_ids;
  q.display_ids = s.display_ids;
  return q;
}

std::string fingerprint(const benchling::EntriesQuery& query) {
  benchling::EntriesQuery q = query;
  q.next_token.clear();
  return core::sha256_hex(benchling::entries_query_string(q)).substr(0, 16);
}

std::vector<std::string> selector_args(const Selectors& s) {
  std::vector<std::string> out;
  auto add = [&out](const char* flag, const std::string& v) {
    if (v.empty()) return;
    out.emplace_back(flag);
    out.push_back(v);
  };
  add("--project", s.project);
  add("--schema", s.schema);
  add("--modified-since", s.modified_since);
  add("--modified-before", s.modified_before);
  for (const auto& id : s.entry_ids) add("--entry", id);
  for (const auto& id : s.display_ids) add("--display-id", id);
  if (s.include_archived) out.emplace_back("--include-archived");
  return out;
}

std::size_t named_count(const Selectors& s) {
  if (s.entry_ids.empty()) return s.display_ids.size();
  if (s.display_ids.empty()) return s.entry_ids.size();
  return std::min(s.entry_ids.size(), s.display_ids.size());
}

}  // namespace bw::backfill
