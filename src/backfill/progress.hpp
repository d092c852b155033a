// backfill/progress.hpp: how a backfill reports how far it got (a bar on a terminal, lines otherwise, a
// summary), pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace bw::backfill {

struct Progress {
  std::uint64_t pages = 0;     //!< listing pages read
  std::uint64_t listed = 0;    //!< entries listed (on a resume: since the start of the backfill)
  std::uint64_t queued = 0;    //!< jobs confirmed in the work queue (likewise)
  std::uint64_t skipped = 0;   //!< listed but not queued (a display id Quilt cannot name a package after)
  std::uint64_t expected = 0;  //!< entries the selectors name (--entry/--display-id); 0: unknown
  std::chrono::milliseconds elapsed{0};  //!< this run's time so far
  std::uint64_t queued_this_run = 0;     //!< for the rate
};

//! Jobs per second of this run, one decimal ("12.5"); "0.0" before any time passed.
std::string rate_text(const Progress& p);

//! One terminal line, redrawn in place: "[#######.............]  35/100  queued 33  skipped 2  12.5/s" when
//! the total is known, else "page 12  listed 1200  queued 1190  skipped 10  12.5/s". `width` is the bar's.
std::string progress_bar(const Progress& p, int width = 30);

//! A plain line for logs and pipes: "backfill: page 12, listed 1200, queued 1190, skipped 10 (12.5/s)".
std::string progress_line(const Progress& p);

//! The last line: "Backfill complete: listed 1200 entries, queued 1190 jobs, skipped 10 in 95.2 s."
//! (`complete`; "queued 1190 jobs (190 in this run)" after a resume), else "Backfill stopped: listed ...,
//! queued ..., skipped ... so far."; with `dry_run`, "Dry run: 1200 entries would be queued (10 skipped);
//! nothing was queued."
std::string summary(const Progress& p, bool complete, bool dry_run);

}  // namespace bw::backfill
