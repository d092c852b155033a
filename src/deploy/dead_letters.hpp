// deploy/dead_letters.hpp: `benchling-webhook jobs`: list, redrive and purge the jobs in the service's two
// dead-letter queues (the work queue's and the package-events queue's).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "core/error.hpp"
#include "deploy/console.hpp"
#include "deploy/dead_letter_record.hpp"

namespace bw::aws {
class Sqs;
}

namespace bw::deploy {

//! Where this deployment's dead letters are, from the two settings.
struct DeadLetterQueues {
  std::string account;
  std::string prefix;              //!< "benchling-webhook-<h>": every queue of the deployment starts with it
  std::vector<std::string> names;  //!< the work queue's dead-letter queue, then the package-events one
};
DeadLetterQueues dead_letter_queues(const config::Settings& settings);

struct DeadLetterListing {
  std::vector<DeadLetter> letters;
  bool truncated = false;  //!< `limit` reached: there may be more
};

//! Lists up to `limit` dead letters of every queue without consuming them: each is received hidden for a
//! few seconds, and made visible again as soon as the listing has it. A missing queue is kNotFound saying
//! to deploy first.
core::Result<DeadLetterListing> list_dead_letters(aws::Sqs& sqs, const DeadLetterQueues& queues,
                                                  const JobDescriber& describe, std::size_t limit);

struct RedriveRequest {
  bool all = false;
  std::vector<std::string> ids;  //!< message ids as the listing shows them
};

struct Redriven {
  DeadLetter letter;
  std::string to_queue;
  std::string new_message_id;
};

struct RedriveReport {
  std::vector<Redriven> moved;
  //! Dead letters --all could not move, with why (no source recorded, the send failed, ...).
  std::vector<std::pair<std::string, std::string>> failed;
  bool more = false;  //!< the scan stopped at its bound: run again for the rest
};

//! Sends the chosen dead letters back to the queue each came from (same body, same message group, a
//! deduplication id from redrive_dedup_id), then deletes them from the dead-letter queue. With ids, every
//! id must be found and have a source before anything moves: an unknown id is kNotFound naming it.
core::Result<RedriveReport> redrive_dead_letters(aws::Sqs& sqs, const DeadLetterQueues& queues,
                                                 const JobDescriber& describe, const RedriveRequest& request);

//! Deletes every message of both dead-letter queues, after confirmation (`yes`, or console.confirm).
//! Without either it refuses and deletes nothing.
core::Result<void> purge_dead_letters(aws::Sqs& sqs, const DeadLetterQueues& queues, bool yes,
                                      Console& console);

}  // namespace bw::deploy
