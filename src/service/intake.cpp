#include "service/intake.hpp"

#include <boost/json.hpp>

#include <cstdint>

#include "canvas/button_id.hpp"

namespace bw::service {
namespace {
using boost::json::object;

bool is_supported_entry_event(std::string_view type) {
  return type == "v2.entry.created" || type == "v2.entry.updated.fields" ||
         type == "v2.entry.updated.reviewRecord";
}

std::string to_json(const object& body) {
  return boost::json::serialize(body);
}

IntakeDecision no_entry() {
  return {400, to_json({{"error", "entry_id is required and could not be extracted from payload"}}),
          std::nullopt};
}

IntakeDecision accepted(std::string message, JobPlan job) {
  return {202, to_json({{"status", "ACCEPTED"}, {"message", std::move(message)}}), std::move(job)};
}

//! Package jobs group by entry; an entry id is required.
std::optional<JobPlan> package_job(const benchling::Envelope& env) {
  if (!env.entry_id) return std::nullopt;
  return JobPlan{queue::JobKind::kPackage, group_id("entry:", *env.entry_id)};
}

//! Canvas jobs group by canvas, or by entry when Benchling sent no canvas id (initialized events).
std::optional<JobPlan> canvas_job(const benchling::Envelope& env) {
  if (!env.canvas_id.empty()) return JobPlan{queue::JobKind::kCanvas, group_id("canvas:", env.canvas_id)};
  if (env.entry_id) return JobPlan{queue::JobKind::kCanvas, group_id("entry:", *env.entry_id)};
  return std::nullopt;
}

//! The answer to a click: what the canvas shows while its job runs. A page button's page (1-based) is
//! the one canvas::parse_button_id reads from it, page 1 when it reads none.
std::string click_message(canvas::ButtonAction action, std::string_view button) {
  using canvas::ButtonAction;
  switch (action) {
    case ButtonAction::kUpdatePackage:
      return "Package update started!";
    case ButtonAction::kBrowseFiles:
    case ButtonAction::kBrowseLinked:
      return "Loading files...";
    case ButtonAction::kViewMetadata:
    case ButtonAction::kViewMetadataLinked:
      return "Loading metadata...";
    case ButtonAction::kBackToPackage:
      return "Returning to package view...";
    case ButtonAction::kNextPage:
    case ButtonAction::kPrevPage:
    case ButtonAction::kNextPageLinked:
    case ButtonAction::kPrevPageLinked:
      break;
  }
  const auto parsed = canvas::parse_button_id(button);
  const std::int64_t page = parsed && parsed->page ? parsed->page->page : 0;
  return "Loading page " + std::to_string(page + 1) + "...";
}

IntakeDecision canvas_default(const benchling::Envelope& env) {
  auto job = canvas_job(env);
  if (!job) return no_entry();
  return accepted("Canvas update initiated", std::move(*job));
}

IntakeDecision canvas(const benchling::Envelope& env) {
  if (env.event_type != "v2.canvas.userInteracted" || env.button_id.empty()) return canvas_default(env);
  // One parser decides what a button means (canvas/button_id.hpp), the one the canvas worker uses.
  const auto action = canvas::button_action(env.button_id);
  if (!action) return canvas_default(env);  // unknown button: refresh the canvas, as the reference does
  // The package update is an export job, grouped by entry; every other button is a canvas view job.
  auto job = *action == canvas::ButtonAction::kUpdatePackage ? package_job(env) : canvas_job(env);
  if (!job) return no_entry();
  return accepted(click_message(*action, env.button_id), std::move(*job));
}

//! The answers to the lifecycle events, as JSON: they are the most frequent webhooks, and constant.
struct LifecycleAnswer {
  std::string_view type;
  std::string_view body;
};
constexpr LifecycleAnswer kLifecycleAnswers[] = {
    {"v2.app.installed", R"({"status":"success","message":"App installed successfully"})"},
    {"v2.app.activateRequested", R"({"status":"activated","message":"App activated successfully"})"},
    {"v2.app.deactivated", R"({"status":"success","message":"App deactivated successfully"})"},
    {"v2-beta.app.configuration.updated",
     R"({"status":"success","message":"Configuration updated successfully"})"},
};

IntakeDecision lifecycle(const benchling::Envelope& env) {
  const std::string& t = env.event_type;
  for (const auto& answer : kLifecycleAnswers) {
    if (t == answer.type) return {200, std::string(answer.body), std::nullopt};
  }
  return {200,
          to_json({{"status", "ignored"},
                   {"message", "Unknown event type: " + (t.empty() ? std::string("None") : t)}}),
          std::nullopt};
}

IntakeDecision event(const benchling::Envelope& env) {
  if (env.event_type.starts_with("v2.canvas.") || env.event_type.starts_with("v2-beta.canvas.")) {
    return canvas_default(env);
  }
  if (!is_supported_entry_event(env.event_type)) {
    return {200,
            to_json({{"status", "ignored"}, {"message", "Event type " + env.event_type + " not processed"}}),
            std::nullopt};
  }
  auto job = package_job(env);
  if (!job) return no_entry();
  return {200,
          to_json({{"entry_id", *env.entry_id},
                   {"status", "ACCEPTED"},
                   {"message", "Workflow started successfully"},
                   {"orchestration", "sqs"}}),
          std::move(job)};
}
}  // namespace

const char* to_string(WebhookRoute route) {
  switch (route) {
    case WebhookRoute::kEvent:
      return "event";
    case WebhookRoute::kLifecycle:
      return "lifecycle";
    case WebhookRoute::kCanvas:
      return "canvas";
  }
  return "event";
}

IntakeDecision decide(WebhookRoute route, const benchling::Envelope& envelope) {
  switch (route) {
    case WebhookRoute::kLifecycle:
      return lifecycle(envelope);
    case WebhookRoute::kCanvas:
      return canvas(envelope);
    case WebhookRoute::kEvent:
      return event(envelope);
  }
  return event(envelope);
}

}  // namespace bw::service
