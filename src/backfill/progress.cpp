#include "backfill/progress.hpp"

#include <algorithm>
#include <cstdio>

namespace bw::backfill {
namespace {

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string counts(const Progress& p, const char* sep) {
  std::string s = "listed " + std::to_string(p.listed);
  s.append(sep).append("queued ").append(std::to_string(p.queued));
  s.append(sep).append("skipped ").append(std::to_string(p.skipped));
  return s;
}

}  // namespace

std::string rate_text(const Progress& p) {
  if (p.elapsed.count() <= 0) return "0.0";
  return fixed1(double(p.queued_this_run) * 1000.0 / double(p.elapsed.count()));
}

std::string progress_bar(const Progress& p, int width) {
  width = std::clamp(width, 5, 200);
  std::string s;
  if (p.expected > 0) {
    const std::uint64_t done = std::min(p.listed, p.expected);
    const int filled = int(done * std::uint64_t(width) / p.expected);
    s = "[" + std::string(std::size_t(filled), '#') + std::string(std::size_t(width - filled), '.') + "]  ";
    s.append(std::to_string(done)).append("/").append(std::to_string(p.expected)).append("  ");
    s.append("queued ")
        .append(std::to_string(p.queued))
        .append("  skipped ")
        .append(std::to_string(p.skipped));
  } else {
    s = "page " + std::to_string(p.pages) + "  " + counts(p, "  ");
  }
  return s.append("  ").append(rate_text(p)).append("/s");
}

std::string progress_line(const Progress& p) {
  return "backfill: page " + std::to_string(p.pages) + ", " + counts(p, ", ") + " (" + rate_text(p) + "/s)";
}

std::string summary(const Progress& p, bool complete, bool dry_run) {
  const std::string seconds = fixed1(double(p.elapsed.count()) / 1000.0);
  if (dry_run) {
    return "Dry run: " + std::to_string(p.listed - std::min(p.skipped, p.listed)) +
           " entries would be queued (" + std::to_string(p.skipped) + " skipped); nothing was queued.";
  }
  std::string queued = std::to_string(p.queued) + " jobs";
  if (p.queued_this_run != p.queued) queued += " (" + std::to_string(p.queued_this_run) + " in this run)";
  if (complete) {
    return "Backfill complete: listed " + std::to_string(p.listed) + " entries, queued " + queued +
           ", skipped " + std::to_string(p.skipped) + " in " + seconds + " s.";
  }
  return "Backfill stopped: listed " + std::to_string(p.listed) + " entries, queued " + queued +
         ", skipped " + std::to_string(p.skipped) + " so far.";
}

}  // namespace bw::backfill
