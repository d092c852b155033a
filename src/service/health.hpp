// service/health.hpp: the health and configuration endpoints, pure functions of a Snapshot.
#pragma once

#include "config/store.hpp"
#include "http/message.hpp"

namespace bw::service {

//! GET /health: always 200 (the process is up); names the version, and the problem when not ready.
http::ServerResponse health(const config::Snapshot& s);
//! GET /health/live: 200 {"status":"alive"}.
http::ServerResponse health_live();
//! GET /health/ready: 200 once configuration resolved, else 503 with the structured error.
http::ServerResponse health_ready(const config::Snapshot& s);
//! GET /health/secrets: secret status (never values), 503 until resolved.
http::ServerResponse health_secrets(const config::Snapshot& s);
//! GET /config: the resolved configuration with secrets masked, 503 until resolved.
http::ServerResponse config(const config::Snapshot& s);

}  // namespace bw::service
