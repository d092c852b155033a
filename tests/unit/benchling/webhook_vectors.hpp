// unit/benchling/webhook_vectors.hpp: loads tests/fixtures/webhooks/vectors.json, the deliveries and
// JWKS signed by tests/fakes/make_webhook_vectors.py (Python `cryptography`, not our code).
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "benchling/jwks.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::benchling::test {

struct Delivery {
  std::string name;
  std::string jwks;  //!< name of the key set it is checked against
  int now_offset = 0;
  http::Headers headers;
  std::string body;
  std::string expect;  //!< "ok" or a VerifyFailure name
};

struct Vectors {
  std::int64_t timestamp = 0;
  boost::json::object jwks;
  std::vector<Delivery> deliveries;

  std::string jwks_text(const std::string& name) const { return boost::json::serialize(jwks.at(name)); }
  PublicKeys keys(const std::string& name) const {
    auto k = parse_jwks(jwks_text(name));
    if (!k) throw std::runtime_error("fixture JWKS " + name + " does not parse: " + k.error().message);
    return *k;
  }
  const Delivery& delivery(const std::string& name) const {
    for (const auto& d : deliveries) {
      if (d.name == name) return d;
    }
    throw std::runtime_error("no delivery named " + name + " in vectors.json");
  }
  //! The signing time plus `offset_s` seconds.
  core::SystemTime now(int offset_s = 0) const {
    return core::SystemTime(std::chrono::seconds(timestamp + offset_s));
  }
};

//! Loaded once; empty when the file is missing (FixtureIsComplete then fails).
inline const Vectors& vectors() {
  static const Vectors v = [] {
    Vectors out;
    std::ifstream in(BW_FIXTURES_DIR "/webhooks/vectors.json", std::ios::binary);
    if (!in) return out;
    std::stringstream text;
    text << in.rdbuf();
    const auto doc = boost::json::parse(text.str()).as_object();
    out.timestamp = doc.at("timestamp").to_number<std::int64_t>();
    out.jwks = doc.at("jwks").as_object();
    for (const auto& item : doc.at("deliveries").as_array()) {
      const auto& o = item.as_object();
      Delivery d;
      d.name = o.at("name").as_string().c_str();
      d.jwks = o.at("jwks").as_string().c_str();
      d.now_offset = o.at("now_offset").to_number<int>();
      for (const auto& h : o.at("headers").as_array()) {
        const auto& pair = h.as_array();
        d.headers.emplace_back(pair.at(0).as_string().c_str(), pair.at(1).as_string().c_str());
      }
      const auto& body = o.at("body").as_string();
      d.body.assign(body.data(), body.size());
      d.expect = o.at("expect").as_string().c_str();
      out.deliveries.push_back(std::move(d));
    }
    return out;
  }();
  return v;
}

}  // namespace bw::benchling::test
