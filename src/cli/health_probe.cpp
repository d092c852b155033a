#include "cli/health_probe.hpp"

#include <algorithm>
#include <iostream>
#include <string>

#include "http/client.hpp"

namespace bw::cli {
namespace {

//! Health bodies are a few hundred bytes; anything far larger is not our service.
constexpr std::size_t kMaxHealthBodyBytes = 64 * 1024;

//! The error's message on one line (health-check logs keep only the first line of output).
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

}  // namespace

std::string default_health_url(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/health/live";
}

int run_health_probe(const std::string& url, std::chrono::milliseconds timeout) {
  http::Request request;
  request.method = "GET";
  request.url = url;
  request.timeout = timeout;
  request.connect_timeout = timeout;
  request.max_response_bytes = kMaxHealthBodyBytes;
  // One probe, one connection: nothing to pool.
  http::Client client(http::ClientOptions{.max_idle_handles = 0, .user_agent = {}});
  auto response = client.send(request);
  if (!response) {
    std::cerr << "unhealthy: " << one_line(response.error().message) << " (" << url << ")\n";
    return 1;
  }
  if (response->status != 200) {
    std::cerr << "unhealthy: HTTP " << response->status << " from " << url << "\n";
    return 1;
  }
  std::cout << "healthy: HTTP 200 from " << url << "\n";
  return 0;
}

}  // namespace bw::cli
