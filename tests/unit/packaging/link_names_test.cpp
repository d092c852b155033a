#include "packaging/link_names.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "benchling/client.hpp"
#include "benchling/oauth.hpp"
#include "http/client.hpp"
#include "support/loopback_server.hpp"

namespace bw::packaging {
namespace {

using bw::testing::RecordedRequest;
using bw::testing::Reply;

//! A loopback Benchling: the token endpoint, and GET /api/v2/{collection}/{id} answered by `answer`.
struct FakeBenchling {
  FakeBenchling()
      : tokens(http, server.url(),
               [] {
                 return benchling::ClientCredentials{"id", "secret"};
               }),
        client(http, tokens, server.url(),
               {.sleep = [](std::chrono::milliseconds, const core::StopToken&) { return true; }}) {
    server.set_handler([this](const RecordedRequest& r) {
      if (r.path() == "/api/v2/token") {
        return Reply::json(200, R"({"access_token":"tok","token_type":"Bearer","expires_in":900})");
      }
      return answer(r.path());
    });
  }
  std::vector<std::string> paths() const {
    std::vector<std::string> out;
    for (const auto& r : server.requests()) {
      if (r.path() != "/api/v2/token") out.push_back(r.path());
    }
    return out;
  }
  std::function<Reply(const std::string&)> answer = [](const std::string& path) {
    std::string body = "{\"name\":\"Name of ";
    body.append(path, path.rfind('/') + 1);
    body += "\"}";
    return Reply::json(200, body);
  };
  testing::LoopbackServer server;
  http::Client http;
  benchling::TokenSource tokens;
  benchling::Client client;
};

EntryLink link(std::string type, std::string id) {
  EntryLink l;
  l.type = std::move(type);
  l.id = std::move(id);
  return l;
}

TEST(ResolveLinkNames, EachIdOnceByItsCollection) {
  FakeBenchling fake;
  auto names =
      resolve_link_names(fake.client, {link("box", "box_1"), link("entity_link", "bfi_2"),
                                       link("box", "box_1"), link("batch", "bat_3"), link("link", "")});
  EXPECT_EQ(names,
            (std::map<std::string, std::string>{{"box_1", "Name of box_1"}, {"bfi_2", "Name of bfi_2"}}));
  EXPECT_EQ(fake.paths(), (std::vector<std::string>{"/api/v2/boxes/box_1", "/api/v2/custom-entities/bfi_2"}));
}

TEST(ResolveLinkNames, FailuresLeaveTheNameOutAndNeverThrow) {
  FakeBenchling fake;
  fake.answer = [](const std::string& path) {
    if (path.ends_with("/gone")) return Reply::json(404, R"({"error":{"message":"not found"}})");
    if (path.ends_with("/secret")) return Reply::json(403, R"({"error":{"message":"forbidden"}})");
    if (path.ends_with("/garbage")) return Reply::text(200, "<html>");
    if (path.ends_with("/nameless")) return Reply::json(200, R"({"id":"x"})");
    if (path.ends_with("/entry")) return Reply::json(200, R"({"entry":{"name":"Wrapped"}})");
    return Reply::json(200, R"({"name":"ok"})");
  };
  auto names =
      resolve_link_names(fake.client, {link("box", "gone"), link("box", "secret"), link("box", "garbage"),
                                       link("box", "nameless"), link("entry", "entry"), link("box", "fine")});
  EXPECT_EQ(names, (std::map<std::string, std::string>{{"entry", "Wrapped"}, {"fine", "ok"}}));
}

TEST(ResolveLinkNames, AtMostTheCapOfLookups) {
  FakeBenchling fake;
  std::vector<EntryLink> links;
  for (const char* id : {"plt_0", "plt_1", "plt_2", "plt_3", "plt_4"}) links.push_back(link("plate", id));
  LinkNameOptions options;
  options.max_lookups = 3;
  auto names = resolve_link_names(fake.client, links, {}, options);
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(fake.paths().size(), 3u);
  EXPECT_FALSE(names.contains("plt_3"));
}

TEST(ResolveLinkNames, StopsAfterConsecutiveOutagesButNotAfterRefusals) {
  FakeBenchling fake;
  std::atomic<bool> down{true};
  fake.answer = [&](const std::string& path) {
    if (path.find("/boxes/") != std::string::npos) return Reply::json(404, "{}");  // fast, not an outage
    return down ? Reply::json(503, "{}") : Reply::json(200, R"({"name":"n"})");
  };
  std::vector<EntryLink> links = {link("box", "a"), link("box", "b"), link("box", "c"), link("box", "d")};
  for (const char* id : {"p0", "p1", "p2", "p3", "p4"}) links.push_back(link("plate", id));
  auto names = resolve_link_names(fake.client, links);
  EXPECT_TRUE(names.empty());
  std::size_t plate_requests = 0;
  for (const auto& p : fake.paths()) plate_requests += p.find("/plates/") != std::string::npos;
  // Four 404s in a row do not stop it; three plates that stay down after the client's 5 attempts do.
  EXPECT_EQ(fake.paths().size() - plate_requests, 4u);
  EXPECT_EQ(plate_requests, 3u * 5u);
}

TEST(ResolveLinkNames, NothingMoreOnceStopping) {
  FakeBenchling fake;
  int polls = 0;
  auto names =
      resolve_link_names(fake.client, {link("box", "a"), link("box", "b")}, [&] { return ++polls > 1; });
  EXPECT_EQ(names.size(), 1u);
  EXPECT_EQ(fake.paths().size(), 1u);
}

}  // namespace
}  // namespace bw::packaging
