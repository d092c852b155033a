// benchling/envelope.hpp: the app webhook envelope Benchling posts (runtime-spec §0, §3), pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::benchling {

//! The fields of an envelope the service acts on. Everything else stays in the raw body.
struct Envelope {
  std::string event_type;       //!< message.type, "" when absent
  std::string canvas_id;        //!< message.canvasId, else context.canvasId
  std::string button_id;        //!< message.buttonId (canvas interactions)
  std::string event_id;         //!< message.id
  std::string installation_id;  //!< root installationId (lifecycle events)
  std::string app_id;           //!< app.id: the installed app, which owns the canvases it creates
  //! Per runtime-spec §3 steps 1-2. Step 3 (look the canvas up at Benchling) is the worker's job:
  //! nothing on the request path calls Benchling. Step 4 ("most recent entry") was dropped upstream.
  std::optional<std::string> entry_id;
};

//! Parses an envelope. Errors (kInvalidArgument) carry the 400 message of runtime-spec §10.3:
//! "No JSON payload provided in request" (not JSON) or "Invalid JSON payload provided in request"
//! (JSON, but not an object, or `message` not an object).
core::Result<Envelope> parse_envelope(std::string_view body);

//! The entry id inside a button id (runtime-spec §7.6): the first '-'-separated part starting with an
//! entry-like prefix (etr_, plt_, seq_, cus_, dna_, aa_, rna_); nullopt when none.
std::optional<std::string> entry_id_from_button(std::string_view button_id);

}  // namespace bw::benchling
