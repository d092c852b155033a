#include "packaging/workflow.hpp"

#include <boost/json.hpp>

#include <unistd.h>
#include <cstdio>
#include <random>

#include "aws/sqs.hpp"
#include "benchling/client.hpp"
#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "packaging/content_type.hpp"
#include "packaging/entry_links.hpp"
#include "packaging/link_names.hpp"
#include "packaging/metadata.hpp"
#include "packaging/packager_message.hpp"

namespace bw::packaging {
namespace {
using boost::json::object;

core::Error stopped() {
  return core::make_error(core::ErrorCode::kCancelled, "stopped before the job finished",
                          "nothing to do: the job runs again from its message");
}

//! A temporary file removed when this goes out of scope, whatever happened.
class TempFile {
 public:
  static core::Result<TempFile> create(const std::filesystem::path& dir) {
    std::string pattern = (dir.empty() ? std::filesystem::temp_directory_path() : dir) / "bw-export-XXXXXX";
    int fd = mkstemp(pattern.data());
    if (fd < 0) {
      return core::make_error(core::ErrorCode::kInternal, "cannot create a temporary file for the export",
                              "the service needs a writable temporary directory (TMPDIR, default /tmp)")
          .with("directory", pattern);
    }
    TempFile t;
    t.path_ = pattern;
    t.file_ = fdopen(fd, "wb");
    return t;
  }
  TempFile() = default;
  TempFile(TempFile&& o) noexcept : path_(std::move(o.path_)), file_(std::exchange(o.file_, nullptr)) {}
  ~TempFile() {
    if (file_) std::fclose(file_);
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::FILE* file() { return file_; }
  bool close() {
    bool ok = file_ && std::fclose(file_) == 0;
    file_ = nullptr;
    return ok;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

//! Polls the export task until it succeeds, fails or runs out of time; returns the download URL.
core::Result<std::string> wait_for_export(benchling::Client& benchling, const std::string& entry_id,
                                          const std::string& task_id, const StopToken& stop,
                                          const WorkflowOptions& options) {
  const auto deadline = std::chrono::steady_clock::now() + options.export_timeout;
  auto delay = options.poll_first;
  for (;;) {
    auto task = benchling.get_task(task_id);
    if (!task) return task.error();
    if (task->status == "SUCCEEDED") {
      if (task->download_url && !task->download_url->empty()) return *task->download_url;
      return core::make_error(core::ErrorCode::kRemote, "Export succeeded but no downloadURL",
                              "The job is retried (a new export); if it persists, contact Benchling support")
          .with("entry", entry_id)
          .with("task", task_id);
    }
    if (task->status == "FAILED") {
      auto e = core::make_error(core::ErrorCode::kRemote,
                                "Benchling export failed for entry " + entry_id + ": " +
                                    task->message.value_or("Benchling gave no reason"),
                                "check the entry in Benchling; the job is retried and then kept in the "
                                "dead-letter queue");
      return e.with("task", task_id);
    }
    if (task->status != "RUNNING" && task->status != "QUEUED") {
      return core::make_error(core::ErrorCode::kRemote, "Unknown export status: " + task->status)
          .with("task", task_id);
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return core::make_error(core::ErrorCode::kRemote,
                              "Export of entry " + entry_id + " did not complete within " +
                                  std::to_string(options.export_timeout.count()) + " seconds",
                              "Benchling may be busy; the job is retried. For very large entries, raise "
                              "`serve --export-timeout`")
          .with("task", task_id);
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (!stop.sleep_for(std::min(delay, left))) return stopped();
    delay = std::min(delay * 2, options.poll_cap);
  }
}

//! The canvas this entry's package is shown on: the job's, else the one recorded in an earlier
//! entry.json (so a later entry event can still refresh it; runtime-spec §10.7).
std::optional<std::string> find_canvas_id(const std::string& known, aws::S3& s3, const std::string& bucket,
                                          const std::string& package_name) {
  if (!known.empty()) return known;
  auto previous = s3.get_object(bucket, package_name + "/entry.json", 1024 * 1024);
  if (!previous) return std::nullopt;  // none yet (or unreadable): not worth failing the job over
  auto parsed = core::parse_json(*previous, "entry.json");
  if (!parsed || !parsed->is_object()) return std::nullopt;
  auto id = core::get_string(parsed->get_object(), "canvas_id");
  if (id && id->empty()) return std::nullopt;
  return id;
}

std::string random_hex() {
  std::random_device rd;
  return core::hex_encode(std::to_string(rd()) + std::to_string(rd())).substr(0, 32);
}
}  // namespace

core::Result<PackageResult> package_entry(const std::string& entry_id, const object& envelope,
                                          const std::string& canvas_id, const PackageTarget& target,
                                          WorkflowDeps& deps, const StopToken& stop,
                                          const WorkflowOptions& options) {
  const std::string& bucket = target.bucket;
  object message;
  if (auto it = envelope.find("message"); it != envelope.end() && it->value().is_object()) {
    message = it->value().get_object();
  }

  // 1. The entry, for its display id (the package name) and metadata.
  auto entry = deps.benchling.get_entry(entry_id);
  if (!entry) return entry.error();
  object entry_data = make_entry_data(*entry);
  // Checked before the export: an entry that cannot be described must not leave files without metadata.
  if (auto valid = validate_entry_data(entry_data, entry_id); !valid) return valid.error();
  std::string display_id = core::get_string(entry_data, "display_id").value_or(entry_id);
  auto name = package_name(target.pkg_prefix, display_id);
  if (!name) {
    // Before the export starts: nothing is uploaded for a name the packager would drop.
    core::Error e = name.error();
    e.message = "Entry " + entry_id + " cannot be packaged: " + e.message;
    if (e.permanent) {
      e.suggestion +=
          ". The job is not retried: rename the entry's display ID in Benchling (or change its ID "
          "format), then update the entry to package it";
    }
    return e.with("entry", entry_id);
  }
  PackageResult result;
  result.display_id = display_id;
  result.package_name = *name;

  // 2-3. Export and wait for it.
  auto task_id = deps.benchling.start_export(entry_id);
  if (!task_id) return task_id.error();
  auto download_url = wait_for_export(deps.benchling, entry_id, *task_id, stop, options);
  if (!download_url) return download_url.error();
  if (stop.stopping()) return stopped();

  // 4. Spool the ZIP to disk: memory stays bounded whatever its size.
  auto spool = TempFile::create(options.temp_dir);
  if (!spool) return spool.error();
  // A stop aborts the download at once: the message goes back to the queue while the grace lasts, and
  // the spool file is removed here, not left behind.
  bool stopped_during_download = false;
  auto downloaded = deps.benchling.download(*download_url, [&](std::string_view chunk) {
    if (stop.stopping()) {
      stopped_during_download = true;
      return false;
    }
    return std::fwrite(chunk.data(), 1, chunk.size(), spool->file()) == chunk.size();
  });
  if (stopped_during_download) return stopped();
  if (!spool->close() && downloaded) {
    return core::make_error(core::ErrorCode::kInternal, "cannot write the export to a temporary file",
                            "check free space in the temporary directory");
  }
  if (!downloaded) return downloaded.error();

  // 5. Every name and limit is checked before anything is written.
  auto zip = ZipReader::open(spool->path(), options.zip_limits);
  if (!zip) {
    core::Error e = zip.error();
    e.message = "Export of entry " + entry_id + " rejected: " + e.message;
    return e;
  }

  // 6. Stream each member to S3 (multipart above the threshold, one part buffer in memory).
  std::vector<PackageFile> files;
  for (;;) {
    if (stop.stopping()) return stopped();
    auto member = zip->next();
    if (!member) return member.error();
    if (!*member) break;
    const ZipMember m = **member;
    if (is_metadata_file_name(m.name)) {
      core::log::warn("export member has the name of a metadata document; the document wins",
                      {{"entry", entry_id}, {"member", m.name}});
      continue;
    }
    auto key = s3_key(*name, m.name);
    if (!key) return key.error();
    auto uploaded = deps.s3.upload(
        bucket, *key, content_type_for(m.name),
        [&zip](char* buf, std::size_t cap) -> core::Result<std::size_t> { return zip->read(buf, cap); },
        options.upload);
    if (!uploaded) return uploaded.error();
    files.push_back({m.name, *key, uploaded->size});
    result.bytes += uploaded->size;
  }
  result.files = files.size();

  // 7. The metadata documents (entry.json is the package metadata).
  MetadataInput in;
  in.entry_id = entry_id;
  in.package_name = *name;
  in.registry = bucket;
  in.entry_data = std::move(entry_data);
  in.message = message;
  in.base_url = resolve_base_url(core::get_string(envelope, "baseURL").value_or(""), target.api_url);
  in.export_url = *download_url;
  in.timestamp = event_timestamp(message);
  in.files = std::move(files);
  in.canvas_id = find_canvas_id(canvas_id, deps.s3, bucket, *name);
  result.canvas_id = in.canvas_id;
  // Names make entry.json `links` searchable; best effort, bounded, never a reason to fail the job.
  in.link_names = resolve_link_names(deps.benchling, collect_entry_links(in.entry_data), stop.stopping);
  if (stop.stopping()) return stopped();
  auto documents = build_metadata_files(in);
  if (!documents) return documents.error();
  for (const auto& doc : *documents) {
    auto put = deps.s3.put_object(bucket, *name + "/" + doc.name, doc.body, doc.content_type);
    if (!put) return put.error();
  }

  // 8. Ask the Quilt packager to build the package from the prefix.
  // The URL the stack exports (or the one derived from its ARN). SQS takes it in the request body and
  // the request goes to the configured endpoint, so an AWS-host URL also reaches moto or a VPC endpoint.
  const std::string& url = target.packager_queue_url;
  PackagerMessageInput msg;
  msg.bucket = bucket;
  msg.package_name = *name;
  msg.event_type = core::get_string(message, "type").value_or("");
  msg.timestamp = in.timestamp;
  msg.workflow = target.workflow;
  const std::string body = packager_message_body(msg);
  const bool fifo = target.packager_queue_fifo;
  // One message per run: a FIFO packager queue gets a fresh dedup id each time.
  auto sent = deps.sqs.send_message(url, body, fifo ? std::optional<std::string>(*name) : std::nullopt,
                                    fifo ? std::optional<std::string>(random_hex()) : std::nullopt);
  if (!sent) return sent.error();
  result.packager_message_id = *sent;
  return result;
}

}  // namespace bw::packaging
