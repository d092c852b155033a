// backfill/resume_token.hpp: where an interrupted backfill stops and the next run starts, as one
// shell-safe word (--resume TOKEN), pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::backfill {

//! A place in the listing: the page (the nextToken that fetched it; "" for the first page) and how many
//! of its entries, in listing order, are already queued. Resuming fetches that page again and skips them,
//! so a partly queued page loses nothing and repeats nothing that was confirmed queued.
struct ResumePoint {
  std::string page_token;
  std::size_t offset = 0;
  std::string fingerprint;    //!< selectors' fingerprint(): a token resumes only its own selection
  std::uint64_t queued = 0;   //!< entries queued by the runs before, for the totals
  std::uint64_t listed = 0;   //!< entries listed by the runs before (skipped ones included)
  std::uint64_t skipped = 0;  //!< entries skipped by the runs before

  bool operator==(const ResumePoint&) const = default;
};

//! "bf1." + base64url (no padding) of compact JSON {"p","o","f","q","l","s"}: only [A-Za-z0-9._-], so it
//! needs no quoting in a shell.
std::string encode_resume_token(const ResumePoint& point);

//! The point of a token from encode_resume_token. kInvalidArgument "--resume is not a backfill resume
//! token" (bounded, the token not quoted beyond 64 characters) for anything else.
core::Result<ResumePoint> decode_resume_token(std::string_view token);

}  // namespace bw::backfill
