#include "backfill/run.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "queue/job.hpp"
#include "support/manual_steady_clock.hpp"

namespace bw::backfill {
namespace {

using benchling::EntriesPage;
using benchling::EntriesQuery;
using benchling::EntrySummary;

const core::SystemTime kNow = core::parse_iso8601("2026-12-03T16:00:00Z").value();

//! A Benchling listing of `n` entries in pages of `page`: tokens "p1", "p2", ...
struct Listing {
  Listing(int n, int page) {
    for (int i = 0; i < n; ++i) {
      const std::string token = i / page == 0 ? "" : "p" + std::to_string(i / page);
      pages[token].entries.push_back(
          {"etr_" + std::to_string(i), "EXP" + std::to_string(i), "", "2025-01-01T00:00:00Z"});
      if ((i + 1) % page == 0 && i + 1 < n) pages[token].next_token = "p" + std::to_string(i / page + 1);
    }
  }
  core::Result<EntriesPage> operator()(const EntriesQuery& q) {
    queries.push_back(q);
    if (fail_at && queries.size() == *fail_at) return *fail_with;
    return pages.at(q.next_token);
  }
  std::map<std::string, EntriesPage> pages;
  std::vector<EntriesQuery> queries;
  std::optional<std::size_t> fail_at;
  std::optional<core::Error> fail_with;
};

//! SQS: takes every message unless told to fail some (by entry id) a number of times.
struct Queue {
  core::Result<aws::SqsBatchResult> operator()(const std::vector<aws::SqsBatchEntry>& batch) {
    ++calls;
    EXPECT_LE(batch.size(), 10u);
    if (error) return *error;
    aws::SqsBatchResult r;
    for (const auto& m : batch) {
      const auto entry = entry_of(m);
      if (auto f = failing.find(entry); f != failing.end() && f->second > 0) {
        --f->second;
        r.failed.push_back(
            {m.id, sender_fault ? "InvalidParameterValue" : "InternalError", "nope", sender_fault});
        continue;
      }
      r.sent[m.id] = "msg-" + entry;
      sent.push_back(entry);
      dedup_ids.push_back(m.dedup_id.value_or(""));
      EXPECT_EQ(m.group_id, "entry:" + entry);
    }
    return r;
  }
  static std::string entry_of(const aws::SqsBatchEntry& m) {
    auto job = queue::decode_job(m.body).value();
    return std::string(boost::json::parse(job.envelope).at("message").at("resourceId").as_string());
  }
  int calls = 0;
  std::vector<std::string> sent;
  std::vector<std::string> dedup_ids;
  std::map<std::string, int> failing;
  bool sender_fault = false;
  std::optional<core::Error> error;
};

struct Harness {
  Harness(int n, int page) : listing(n, page) {}
  core::Result<Outcome> run(RunOptions options = {}) {
    RunDeps deps{[this](const EntriesQuery& q) { return listing(q); },
                 [this](const std::vector<aws::SqsBatchEntry>& b) { return queue(b); }, clock,
                 [] { return kNow; }, stop.get_token()};
    return run_backfill(options, deps, events);
  }
  Listing listing;
  Queue queue;
  testing::ManualSteadyClock clock;
  core::StopSource stop;
  RunEvents events;
};

std::vector<std::string> ids(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("etr_" + std::to_string(i));
  return out;
}

TEST(BackfillRun, ListsEveryPageAndQueuesEachEntryOnceInBatchesOfTen) {
  Harness h(25, 7);
  auto out = h.run().value();
  EXPECT_TRUE(out.complete);
  EXPECT_FALSE(out.resume);
  EXPECT_EQ(h.listing.queries.size(), 4u);
  EXPECT_EQ(h.listing.queries[1].next_token, "p1");
  EXPECT_EQ(h.queue.sent, ids(0, 25));
  EXPECT_EQ(h.queue.calls, 4);  // a batch never spans pages: 7 + 7 + 7 + 4
  EXPECT_EQ(out.progress.listed, 25u);
  EXPECT_EQ(out.progress.queued, 25u);
  EXPECT_EQ(out.progress.pages, 4u);
  EXPECT_EQ(h.queue.dedup_ids[0], "backfill-etr_0-2025-01-01T00:00:00Z");
}

TEST(BackfillRun, FailedBatchEntriesAreSentAgainUntilTaken) {
  Harness h(12, 100);
  h.queue.failing = {{"etr_3", 2}, {"etr_11", 1}};
  std::atomic<bool> done{false};
  std::thread clock_mover([&] {  // the waits between resends pass whenever the run sleeps
    while (!done) {
      if (h.clock.wait_for_sleepers(1, std::chrono::seconds(1))) h.clock.advance(std::chrono::seconds(60));
    }
  });
  auto out = h.run().value();
  done = true;
  clock_mover.join();
  EXPECT_EQ(h.queue.calls, 5);  // 2 + 1 resends
  EXPECT_TRUE(out.complete);
  auto sent = h.queue.sent;
  std::sort(sent.begin(), sent.end());
  auto want = ids(0, 12);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(sent, want);
  EXPECT_EQ(out.progress.queued, 12u);
}

TEST(BackfillRun, AnEntrySqsRefusesStopsTheRunWhereNothingIsLost) {
  Harness h(12, 100);
  h.queue.failing = {{"etr_4", 99}};
  h.queue.sender_fault = true;
  auto out = h.run().value();
  EXPECT_FALSE(out.complete);
  ASSERT_TRUE(out.error);
  EXPECT_NE(out.error->message.find("SQS did not take 1 job(s)"), std::string::npos) << out.error->message;
  ASSERT_TRUE(out.resume);
  EXPECT_EQ(out.resume->page_token, "");
  EXPECT_EQ(out.resume->offset, 4u);  // 0-3 are in; 4 is not; 5-9 went in but come again on resume
  EXPECT_EQ(out.resume->queued, 4u);
  EXPECT_EQ(out.resume->listed, 4u);
  EXPECT_EQ(out.progress.queued, 4u);
}

TEST(BackfillRun, AResumeSkipsWhatThePartlyQueuedPageAlreadyQueued) {
  Harness h(30, 10);
  RunOptions o;
  o.resume = ResumePoint{"p1", 4, fingerprint(to_query({}).value()), 14, 14, 0};
  auto out = h.run(o).value();
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(h.listing.queries.front().next_token, "p1");
  EXPECT_EQ(h.queue.sent, ids(14, 30));
  EXPECT_EQ(out.progress.queued, 30u);
  EXPECT_EQ(out.progress.queued_this_run, 16u);
  EXPECT_EQ(out.progress.listed, 30u);
}

TEST(BackfillRun, ATokenOfOtherSelectorsIsRefusedBeforeListing) {
  Harness h(3, 10);
  RunOptions o;
  o.selectors.project = "src_2";
  o.resume = ResumePoint{"", 0, fingerprint(to_query({}).value()), 0, 0, 0};
  auto out = h.run(o);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message, "--resume belongs to a backfill with other selectors");
  EXPECT_TRUE(h.listing.queries.empty());
}

TEST(BackfillRun, AListingFailureMidWayResumesAtTheRefusedPage) {
  Harness h(30, 10);
  h.listing.fail_at = 3;
  h.listing.fail_with = core::make_error(core::ErrorCode::kRemote, "Benchling failed");
  auto out = h.run().value();
  EXPECT_FALSE(out.complete);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->message, "Benchling failed");
  EXPECT_EQ(out.resume->page_token, "p2");
  EXPECT_EQ(out.resume->offset, 0u);
  EXPECT_EQ(out.resume->queued, 20u);
  EXPECT_EQ(out.resume->listed, 20u);
}

TEST(BackfillRun, AProjectTheAppCannotSeeSaysToAddTheApp) {
  for (auto code : {core::ErrorCode::kGone, core::ErrorCode::kAccessDenied}) {
    Harness h(3, 10);
    h.listing.fail_at = 1;
    h.listing.fail_with = core::make_error(code, "Benchling project not found").with("status", "404");
    RunOptions o;
    o.selectors.project = "src_hidden";
    auto out = h.run(o).value();
    ASSERT_TRUE(out.error);
    EXPECT_EQ(out.error->code, core::ErrorCode::kAccessDenied);
    EXPECT_EQ(out.error->message, "The Benchling app cannot see project src_hidden");
    EXPECT_NE(out.error->suggestion.find("add the app to project src_hidden"), std::string::npos);
    EXPECT_EQ(h.queue.calls, 0);
  }
}

TEST(BackfillRun, AStopEndsTheRunAtABatchWithAResumePoint) {
  Harness h(30, 30);
  int batches = 0;
  h.events.progress = [&](const Progress& p) {
    if (p.queued >= 10 && batches++ == 0) h.stop.request_stop();
  };
  auto out = h.run().value();
  EXPECT_FALSE(out.complete);
  EXPECT_FALSE(out.error);  // a stop is no failure
  EXPECT_EQ(out.resume->offset, 10u);
  EXPECT_EQ(out.resume->queued, 10u);
  EXPECT_EQ(h.queue.sent, ids(0, 10));
}

TEST(BackfillRun, ADryRunListsAndCountsButQueuesNothing) {
  Harness h(25, 10);
  h.listing.pages[""].entries[2].display_id = "EXP 2";
  std::vector<std::string> listed, skipped;
  h.events.listed = [&](const EntrySummary& e) { listed.push_back(e.id); };
  h.events.skipped = [&](const EntrySummary& e, const std::string& why) {
    skipped.push_back(e.id + ": " + why);
  };
  RunOptions o;
  o.dry_run = true;
  auto out = h.run(o).value();
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(h.queue.calls, 0);
  EXPECT_EQ(listed.size(), 24u);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0],
            "etr_2: its display ID contains ' ' (a space) at byte 4, so it cannot name a Quilt package");
  EXPECT_EQ(out.progress.listed, 25u);
  EXPECT_EQ(out.progress.skipped, 1u);
}

TEST(BackfillRun, ThePaceHoldsBatchesApart) {
  Harness h(20, 100);
  RunOptions o;
  o.rate = 10;
  std::thread t([&] {
    ASSERT_TRUE(h.clock.wait_for_sleepers(1));
    EXPECT_EQ(h.queue.calls, 1);  // the second batch waits a second
    h.clock.advance(std::chrono::seconds(1));
  });
  auto out = h.run(o).value();
  t.join();
  EXPECT_TRUE(out.complete);
  EXPECT_EQ(h.queue.calls, 2);
}

}  // namespace
}  // namespace bw::backfill
