// cli/health_probe.hpp
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace bw::cli {

//! Where the image's HEALTHCHECK and the ECS container health check look by default: liveness of
//! `serve` on `port` (the PORT setting, 8080 unless set). /health/live answers 200 while configuration
//! is still resolving, so an AWS outage never makes ECS kill and replace healthy tasks.
std::string default_health_url(uint16_t port);

//! `benchling-webhook health`: one GET of `url` with the project's HTTP client, bounded by `timeout`
//! (connect and whole exchange). The image has no curl and no shell, so this is the health check.
//! Returns 0 on HTTP 200, 1 otherwise; prints one line: the status on stdout when healthy, the
//! status or the transport error on stderr when not.
int run_health_probe(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace bw::cli
