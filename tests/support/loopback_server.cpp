#include "support/loopback_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "http/status.hpp"

namespace bw::testing {
namespace {

constexpr std::size_t kMaxHeadBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> find(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  return find(headers, name);
}

std::string RecordedRequest::path() const {
  return target.substr(0, target.find('?'));
}

Reply Reply::json(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

Reply Reply::text(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "text/plain");
  return r;
}

Reply Reply::empty(int status) {
  Reply r;
  r.status = status;
  return r;
}

Reply Reply::dropped() {
  Reply r;
  r.drop = true;
  return r;
}

Handler sequence(std::vector<Reply> replies) {
  if (replies.empty()) throw std::invalid_argument("sequence() needs at least one reply");
  struct State {
    std::mutex mu;
    std::vector<Reply> replies;
    std::size_t next = 0;
  };
  auto state = std::make_shared<State>();
  state->replies = std::move(replies);
  return [state](const RecordedRequest&) {
    std::lock_guard lock(state->mu);
    std::size_t i = std::min(state->next, state->replies.size() - 1);
    ++state->next;
    return state->replies[i];
  };
}

std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() failed");
  }
  ::close(fd);  // never listened on: connecting gets ECONNREFUSED
  return ntohs(addr.sin_port);
}

struct LoopbackServer::Impl {
  struct Connection {
    int fd = -1;  //!< -1 once the serving thread owns closing it
    std::thread thread;
    bool done = false;
  };

  int listen_fd = -1;
  int wake[2] = {-1, -1};
  std::uint16_t port = 0;

  mutable std::mutex mu;
  mutable std::condition_variable cv;  //!< new requests, and stopping
  bool stopping = false;
  Handler handler;
  std::vector<RecordedRequest> requests;
  std::size_t connections = 0;
  std::list<Connection> conns;
  std::thread acceptor;

  explicit Impl(Handler h) : handler(std::move(h)) {
    listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) throw std::runtime_error("loopback server: socket() failed");
    int one = 1;
    ::setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd, 128) != 0 ||
        ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        ::pipe2(wake, O_CLOEXEC) != 0) {
      ::close(listen_fd);
      throw std::runtime_error(std::string("loopback server: cannot listen: ") + std::strerror(errno));
    }
    port = ntohs(addr.sin_port);
    acceptor = std::thread([this] { accept_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mu);
      stopping = true;
      for (auto& c : conns) {
        if (c.fd >= 0) ::shutdown(c.fd, SHUT_RDWR);  // wakes a blocked recv()
      }
    }
    cv.notify_all();
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(wake[1], &byte, 1);
    acceptor.join();
    std::list<Connection> left;
    {
      std::lock_guard lock(mu);
      left.swap(conns);
    }
    for (auto& c : left) c.thread.join();
    ::close(listen_fd);
    ::close(wake[0]);
    ::close(wake[1]);
  }

  void accept_loop() {
    for (;;) {
      pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake[0], POLLIN, 0}};
      int rc = ::poll(fds, 2, -1);
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0 || (fds[1].revents & POLLIN)) return;
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::list<Connection> finished;
      std::lock_guard lock(mu);
      if (stopping) {
        ::close(fd);
        return;
      }
      for (auto it = conns.begin(); it != conns.end();) {
        auto next = std::next(it);
        if (it->done) finished.splice(finished.end(), conns, it);
        it = next;
      }
      std::size_t id = ++connections;
      auto& c = conns.emplace_back();
      c.fd = fd;
      c.thread = std::thread([this, fd, id, &c] { serve(fd, id, c); });
      // `finished` threads already returned from serve(); joining is immediate.
      for (auto& f : finished) f.thread.join();
    }
  }

  //! Sleeps up to `d`; false if the server is stopping.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mu);
    return !cv.wait_for(lock, d, [this] { return stopping; });
  }

  void serve(int fd, std::size_t id, Connection& self) {
    std::string buf;
    auto read_more = [&]() -> bool {
      char tmp[16384];
      for (;;) {
        ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf.append(tmp, static_cast<std::size_t>(n));
        return true;
      }
    };
    auto read_line = [&](std::size_t& pos, std::string& line) -> bool {
      for (;;) {
        auto end = buf.find("\r\n", pos);
        if (end != std::string::npos) {
          line = buf.substr(pos, end - pos);
          pos = end + 2;
          return true;
        }
        if (buf.size() - pos > kMaxHeadBytes || !read_more()) return false;
      }
    };

    for (;;) {
      // Head.
      std::size_t head_end;
      while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
        if (buf.size() > kMaxHeadBytes) {
          send_all(fd,
                   "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: "
                   "close\r\n\r\n");
          return finish(fd, self);
        }
        if (!read_more()) return finish(fd, self);
      }
      RecordedRequest req;
      req.connection = id;
      {
        std::string_view head(buf.data(), head_end);
        auto line_end = head.find("\r\n");
        std::string_view request_line = head.substr(0, line_end);
        auto sp1 = request_line.find(' ');
        auto sp2 = request_line.rfind(' ');
        if (sp1 == std::string_view::npos || sp2 == sp1) {
          send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
          return finish(fd, self);
        }
        req.method = request_line.substr(0, sp1);
        req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        req.version = request_line.substr(sp2 + 1);
        std::string_view rest =
            line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
        while (!rest.empty()) {
          auto e = rest.find("\r\n");
          std::string_view line = rest.substr(0, e);
          rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 2);
          auto colon = line.find(':');
          if (colon == std::string_view::npos) continue;
          req.headers.emplace_back(std::string(line.substr(0, colon)),
                                   std::string(trim(line.substr(colon + 1))));
        }
      }
      buf.erase(0, head_end + 4);

      // Body.
      auto te = req.header("Transfer-Encoding");
      if (te && iequals(trim(*te), "chunked")) {
        std::size_t pos = 0;
        std::string line;
        for (;;) {
          if (!read_line(pos, line)) return finish(fd, self);
          std::size_t size = 0;
          try {
            size = std::stoul(line, nullptr, 16);
          } catch (const std::exception&) {
            return finish(fd, self);
          }
          if (size == 0) {
            while (read_line(pos, line) && !line.empty()) {
            }  // trailers
            break;
          }
          if (req.body.size() + size > kMaxBodyBytes) return finish(fd, self);
          while (buf.size() - pos < size + 2) {
            if (!read_more()) return finish(fd, self);
          }
          req.body.append(buf, pos, size);
          pos += size + 2;
        }
        buf.erase(0, pos);
      } else if (auto cl = req.header("Content-Length")) {
        std::size_t len = 0;
        try {
          len = std::stoul(*cl);
        } catch (const std::exception&) {
          return finish(fd, self);
        }
        if (len > kMaxBodyBytes) return finish(fd, self);
        while (buf.size() < len) {
          if (!read_more()) return finish(fd, self);
        }
        req.body = buf.substr(0, len);
        buf.erase(0, len);
      }

      Handler h;
      {
        std::lock_guard lock(mu);
        requests.push_back(req);
        h = handler;
      }
      cv.notify_all();

      Reply reply;
      try {
        reply = h ? h(req) : Reply::empty(200);
      } catch (const std::exception& e) {
        reply = Reply::text(500, std::string("handler threw: ") + e.what());
      }

      if (reply.delay.count() > 0 && !pause(reply.delay)) return finish(fd, self);
      if (reply.drop) return finish(fd, self);

      auto conn_hdr = req.header("Connection");
      bool keep_alive = req.version == "HTTP/1.1" ? !(conn_hdr && iequals(*conn_hdr, "close"))
                                                  : (conn_hdr && iequals(*conn_hdr, "keep-alive"));
      if (reply.close || reply.close_after_body_bytes) keep_alive = false;

      std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                        std::string(bw::http::reason_phrase(reply.status)) + "\r\n";
      for (const auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
      if (!find(reply.headers, "Content-Length") && !find(reply.headers, "Transfer-Encoding")) {
        out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
      }
      if (!keep_alive) out += "Connection: close\r\n";
      out += "\r\n";
      bool head_only = req.method == "HEAD" || reply.status == 204 || reply.status == 304;
      if (!send_all(fd, out)) return finish(fd, self);

      if (!head_only) {
        std::string_view body = reply.body;
        if (reply.close_after_body_bytes) {
          body = body.substr(0, std::min(*reply.close_after_body_bytes, body.size()));
        }
        if (reply.trickle_interval.count() > 0) {
          std::size_t chunk = std::max<std::size_t>(reply.trickle_chunk, 1);
          while (!body.empty()) {
            if (!pause(reply.trickle_interval)) return finish(fd, self);
            std::size_t n = std::min(chunk, body.size());
            if (!send_all(fd, body.substr(0, n))) return finish(fd, self);
            body.remove_prefix(n);
          }
        } else if (!send_all(fd, body)) {
          return finish(fd, self);
        }
      }
      if (!keep_alive) return finish(fd, self);
    }
  }

  void finish(int fd, Connection& self) {
    {
      std::lock_guard lock(mu);
      self.fd = -1;
    }
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    std::lock_guard lock(mu);
    self.done = true;
  }
};

LoopbackServer::LoopbackServer() : LoopbackServer(Handler{}) {}

LoopbackServer::LoopbackServer(Handler handler) : impl_(std::make_unique<Impl>(std::move(handler))) {}

LoopbackServer::~LoopbackServer() = default;

std::uint16_t LoopbackServer::port() const {
  return impl_->port;
}

std::string LoopbackServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::string LoopbackServer::url(std::string_view target) const {
  return url() + std::string(target);
}

void LoopbackServer::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mu);
  impl_->handler = std::move(handler);
}

void LoopbackServer::set_reply(Reply reply) {
  set_handler([reply = std::move(reply)](const RecordedRequest&) { return reply; });
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

std::size_t LoopbackServer::request_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests.size();
}

std::size_t LoopbackServer::connection_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->connections;
}

bool LoopbackServer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

void LoopbackServer::clear_requests() {
  std::lock_guard lock(impl_->mu);
  impl_->requests.clear();
}

}  // namespace bw::testing
