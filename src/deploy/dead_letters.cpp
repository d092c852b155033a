#include "deploy/dead_letters.hpp"

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <set>

#include "aws/sqs.hpp"
#include "config/queue_names.hpp"

namespace bw::deploy {
namespace {

//! A listing holds what it has received this long (seconds): enough to finish, short enough that a
//! listing interrupted before it lets go delays nothing much.
constexpr int kListHideSeconds = 30;
//! A redrive holds what it scanned while it moves them.
constexpr int kRedriveHideSeconds = 120;
//! How many dead letters one redrive scans at most.
constexpr std::size_t kRedriveScanLimit = 1000;

//! The URL of dead-letter queue `name`, checked to exist.
core::Result<std::string> existing_queue(aws::Sqs& sqs, const DeadLetterQueues& queues,
                                         const std::string& name) {
  auto url = sqs.queue_url(queues.account, name);
  if (!url) return url.error();
  if (auto attrs = sqs.get_queue_attributes(*url, {"QueueArn"}); !attrs) {
    if (attrs.error().code != core::ErrorCode::kNotFound) return attrs.error();
    return core::make_error(core::ErrorCode::kNotFound, "Dead-letter queue " + name + " does not exist",
                            "Run `benchling-webhook deploy` first: it creates the service's queues")
        .with("queue", name)
        .with("account", queues.account)
        .with("Region", sqs.client().region());
  }
  return url;
}

//! The URLs of every dead-letter queue of `queues`, in its order, each checked to exist.
core::Result<std::vector<std::string>> existing_queues(aws::Sqs& sqs, const DeadLetterQueues& queues) {
  std::vector<std::string> urls;
  for (const auto& name : queues.names) {
    auto url = existing_queue(sqs, queues, name);
    if (!url) return url.error();
    urls.push_back(*url);
  }
  return urls;
}

struct Scan {
  std::vector<DeadLetter> letters;
  bool truncated = false;
};

//! Receives up to `limit` messages of a queue, leaving them hidden for `hide` seconds. A long poll of one
//! second: a short one may miss messages of a standard queue (it samples SQS's servers).
core::Result<Scan> scan(aws::Sqs& sqs, const std::string& url, const std::string& name,
                        const JobDescriber& describe, std::size_t limit, int hide) {
  Scan out;
  std::set<std::string> seen;
  while (out.letters.size() < limit) {
    const int want = int(std::min<std::size_t>(10, limit - out.letters.size()));
    auto batch = sqs.receive_messages(url, want, 1, hide);
    if (!batch) return batch.error();
    if (batch->empty()) return out;
    bool fresh = false;
    for (const auto& m : *batch) {
      if (!seen.insert(m.message_id).second) continue;
      out.letters.push_back(read_dead_letter(m, name, describe));
      fresh = true;
    }
    if (!fresh) return out;  // only messages seen before, visible again: the queue has been gone through
  }
  out.truncated = true;
  return out;
}

void release(aws::Sqs& sqs, const std::string& url, const std::vector<DeadLetter>& letters) {
  for (const auto& d : letters) (void)sqs.change_visibility(url, d.receipt_handle, 0);
}

}  // namespace

DeadLetterQueues dead_letter_queues(const config::Settings& settings) {
  DeadLetterQueues q;
  q.account = settings.stack.account;
  q.prefix = config::deployment_name(settings.stack.arn, settings.secret_id);
  const config::QueueNames names = config::queue_names(settings.stack.arn, settings.secret_id);
  q.names = {names.dead_letter, names.events_dead_letter};
  return q;
}

core::Result<DeadLetterListing> list_dead_letters(aws::Sqs& sqs, const DeadLetterQueues& queues,
                                                  const JobDescriber& describe, std::size_t limit) {
  auto existing = existing_queues(sqs, queues);
  if (!existing) return existing.error();
  const std::vector<std::string>& urls = *existing;
  DeadLetterListing listing;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const std::size_t left = limit - listing.letters.size();
    if (left == 0) {
      listing.truncated = true;
      break;
    }
    auto found = scan(sqs, urls[i], queues.names[i], describe, left, kListHideSeconds);
    if (!found) return found.error();
    release(sqs, urls[i], found->letters);  // listed: visible again at once
    listing.truncated = listing.truncated || found->truncated;
    for (auto& d : found->letters) listing.letters.push_back(std::move(d));
  }
  return listing;
}

core::Result<RedriveReport> redrive_dead_letters(aws::Sqs& sqs, const DeadLetterQueues& queues,
                                                 const JobDescriber& describe,
                                                 const RedriveRequest& request) {
  auto existing = existing_queues(sqs, queues);
  if (!existing) return existing.error();
  const std::vector<std::string>& urls = *existing;
  // Everything is scanned (hidden) first, so that ids are checked before anything moves.
  std::vector<Scan> scans;
  RedriveReport report;
  auto release_all = [&] {
    for (std::size_t i = 0; i < scans.size(); ++i) release(sqs, urls[i], scans[i].letters);
  };
  for (std::size_t i = 0; i < urls.size(); ++i) {
    auto found = scan(sqs, urls[i], queues.names[i], describe, kRedriveScanLimit, kRedriveHideSeconds);
    if (!found) {
      release_all();
      return found.error();
    }
    report.more = report.more || found->truncated;
    scans.push_back(std::move(*found));
  }

  // Where each one goes: the queue it came from, if it is one of this deployment's.
  auto destination = [&](const DeadLetter& d) -> core::Result<std::string> {
    if (d.source_queue.empty()) {
      return core::make_error(
          core::ErrorCode::kInvalidArgument,
          "Dead letter " + d.message_id + " has no record of the queue it came from",
          "Look at it with `benchling-webhook jobs --json`; purge it or resend it by hand");
    }
    if (!is_deployment_queue(d.source_queue, queues.prefix) ||
        (!d.source_account.empty() && d.source_account != queues.account)) {
      return core::make_error(
          core::ErrorCode::kInvalidArgument,
          "Dead letter " + d.message_id + " came from " + d.source_queue +
              ", which is not one of this deployment's queues",
          "Only " + queues.prefix + "* queues take redriven jobs; purge it or resend it by hand");
    }
    return sqs.queue_url(queues.account, d.source_queue);
  };

  std::set<std::string> wanted(request.ids.begin(), request.ids.end());
  if (!request.all) {
    std::vector<std::string> problems;
    std::set<std::string> found;
    for (const auto& s : scans) {
      for (const auto& d : s.letters) {
        if (!wanted.count(d.message_id)) continue;
        found.insert(d.message_id);
        if (auto to = destination(d); !to) problems.push_back(to.error().message);
      }
    }
    std::vector<std::string> unknown;
    for (const auto& id : request.ids)
      if (!found.count(id) && std::find(unknown.begin(), unknown.end(), id) == unknown.end())
        unknown.push_back(id);
    if (!unknown.empty() || !problems.empty()) {
      release_all();
      if (!unknown.empty()) {
        std::string list;
        for (const auto& id : unknown) list.append(list.empty() ? "" : ", ").append(id);
        return core::make_error(core::ErrorCode::kNotFound,
                                "No dead-lettered job with id " + list + "; nothing was moved",
                                "Use the message ids `benchling-webhook jobs` lists")
            .with("dead-letter queues", queues.names.front() + ", " + queues.names.back());
      }
      return core::make_error(core::ErrorCode::kInvalidArgument, problems.front() + "; nothing was moved",
                              "Redrive the others by id, or purge it");
    }
  }

  for (std::size_t i = 0; i < scans.size(); ++i) {
    std::vector<DeadLetter> kept;
    for (auto& d : scans[i].letters) {
      if (!request.all && !wanted.count(d.message_id)) {
        kept.push_back(std::move(d));
        continue;
      }
      auto to = destination(d);
      core::Result<std::string> sent =
          to ? sqs.send_message(*to, d.body, d.group_id.empty() ? std::nullopt : std::optional(d.group_id),
                                d.group_id.empty() ? std::nullopt : std::optional(redrive_dedup_id(d)))
             : core::Result<std::string>(to.error());
      if (!sent) {
        report.failed.emplace_back(d.message_id, sent.error().message);
        kept.push_back(std::move(d));
        continue;
      }
      // Sent. If the delete fails it is both back and still here: reported (exit 1); redriving it again
      // within 5 minutes is deduplicated by SQS, so that is the safe way to finish.
      if (auto deleted = sqs.delete_message(urls[i], d.receipt_handle); !deleted) {
        report.failed.emplace_back(
            d.message_id, "sent back, but not deleted from " + d.queue + ": " + deleted.error().message);
      }
      report.moved.push_back(Redriven{d, d.source_queue, *sent});
    }
    release(sqs, urls[i], kept);
  }
  return report;
}

core::Result<void> purge_dead_letters(aws::Sqs& sqs, const DeadLetterQueues& queues, bool yes,
                                      Console& console) {
  auto existing = existing_queues(sqs, queues);
  if (!existing) return existing.error();
  const std::vector<std::string>& urls = *existing;
  std::string summary;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const std::string& name = queues.names[i];
    auto attrs = sqs.get_queue_attributes(
        urls[i], {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
    if (!attrs) return attrs.error();
    long n = 0;
    for (const char* key : {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}) {
      auto it = attrs->find(key);
      if (it != attrs->end()) n += std::strtol(it->second.c_str(), nullptr, 10);
    }
    summary.append(summary.empty() ? "" : ", ").append(std::to_string(n)).append(" in ").append(name);
  }
  console.out << "This deletes every dead-lettered job (about " << summary
              << "); they cannot be redriven after.\n";
  if (!yes) {
    if (!console.confirm) {
      return core::make_error(core::ErrorCode::kInvalidArgument, "Not purging: nobody can confirm it here",
                              "Run in a terminal to be asked, or pass --yes");
    }
    if (!console.confirm("Purge the dead-letter queues?")) {
      return core::make_error(core::ErrorCode::kInvalidArgument, "Cancelled: nothing was deleted");
    }
  }
  for (std::size_t i = 0; i < urls.size(); ++i) {
    if (auto purged = sqs.purge_queue(urls[i]); !purged) return purged.error();
    console.out << "Purged " << queues.names[i] << ".\n";
  }
  console.out << "SQS finishes deleting within 60 seconds.\n";
  return {};
}

}  // namespace bw::deploy
