// packaging/package_target.hpp: what the entry workflow needs from its caller, as plain values: where the
// package goes, and how to wait without missing a shutdown. The caller (service) builds both from its
// resolved configuration and its job context, so packaging depends on neither.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace bw::packaging {

//! Where an entry's package is written and whom to ask to build it.
struct PackageTarget {
  std::string bucket;      //!< the user bucket: s3://<bucket>/<package name>/...
  std::string pkg_prefix;  //!< package names are "<pkg_prefix>/<display id>"
  std::string api_url;     //!< Benchling's API base, for the metadata's links when the webhook has no baseURL
  std::string packager_queue_url;    //!< Quilt's packager queue
  bool packager_queue_fifo = false;  //!< a FIFO packager queue takes a message group and a deduplication id
  std::string workflow;              //!< the Quilt workflow of the package; "" for the bucket's default
};

//! How a long job notices a shutdown. Any "sleep that wakes on stop" plugs in (the job context's).
struct StopToken {
  //! True once the job should give up; its message then goes back to the queue.
  std::function<bool()> stopping;
  //! Sleeps up to `d`; false when stopping (before or during the sleep).
  std::function<bool(std::chrono::milliseconds d)> sleep_for;
};

}  // namespace bw::packaging
