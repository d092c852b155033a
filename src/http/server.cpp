// The only translation unit that includes Beast (it is slow to compile).
#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/log.hpp"
#include "http/request_reader.hpp"
#include "http/response_text.hpp"

namespace bw::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {
constexpr std::size_t kMaxDiscardBytes = 16 * 1024 * 1024;
//! A connection keeps its answer buffer for the next answer up to this size (webhook answers are ~150 bytes).
constexpr std::size_t kKeptAnswerBytes = 64 * 1024;
//! accept() retries after running out of descriptors: short at first (a shed idle connection frees
//! one at once), capped so a full process neither spins nor takes long to notice freed descriptors.
constexpr std::chrono::milliseconds kAcceptRetryMin{5}, kAcceptRetryMax{500};
//! Warnings a peer can trigger (connection limit, descriptor exhaustion) are logged at most this often.
constexpr std::chrono::seconds kOverloadLogInterval{10};

using Clock = std::chrono::steady_clock;

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

//! Logs the first of a burst of identical warnings, then at most one per interval with the count.
class ThrottledWarning {
 public:
  explicit ThrottledWarning(const char* message) : message_(message) {}
  void warn(boost::json::object fields) {
    ++unlogged_;
    const auto now = Clock::now();
    if (logged_ && now - last_ < kOverloadLogInterval) return;
    fields["occurrences"] = unlogged_;
    core::log::warn(message_, std::move(fields));
    logged_ = true;
    last_ = now;
    unlogged_ = 0;
  }

 private:
  const char* message_;
  bool logged_ = false;
  Clock::time_point last_{};
  std::uint64_t unlogged_ = 0;  //!< occurrences since the last line, this one included
};

ServerResponse error_reply(int status, const char* message) {
  return json_response(status, std::string(R"({"error":")") + message + "\"}");
}

//! A free coroutine, not a lambda: its arguments live in the coroutine frame, whereas a lambda's
//! captures would die with the temporary closure while the coroutine still runs.
net::awaitable<ServerResponse> run_rest(std::function<ServerResponse()> rest) {
  co_return rest();
}

}  // namespace

//! One connection's state, shared by its coroutine and the server's registry.
struct Connection {
  explicit Connection(tcp::socket&& s) : stream(std::move(s)) {
    beast::error_code ec;
    stream.socket().non_blocking(true, ec);
    writes_at_once = !ec;
  }
  beast::tcp_stream stream;
  std::atomic<bool> busy{false};  //!< a request is being read, handled or written
  std::atomic<bool> shed{false};  //!< chosen to be closed to make room for a new connection
  std::atomic<Clock::rep> idle_since{Clock::now().time_since_epoch().count()};
  RequestArena fields;          //!< the current request's header fields, as parsed
  ServerRequest request;        //!< the current request, refilled in place (RequestReader::refill)
  std::string answer;           //!< the current response's bytes; its capacity serves the next ones
  bool writes_at_once = false;  //!< the socket is non-blocking: a write tries the socket before waiting
};

struct Server::Impl {
  Impl(const Router& r, ServerOptions o)
      : router(r),
        options(std::move(o)),
        contexts(make_contexts(options.io_threads)),
        pool(options.handler_threads),
        acceptor(*contexts.front()) {}

  //! One single-threaded context per I/O thread: a connection lives on one thread from accept to close, so
  //! it needs no strand, and its request never waits for a lock another I/O thread holds.
  static std::vector<std::unique_ptr<net::io_context>> make_contexts(std::size_t n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (std::size_t i = 0; i < std::max<std::size_t>(n, 1); ++i)
      out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }
  //! Round-robin over the contexts. One acceptor, not one per thread with SO_REUSEPORT: with that option a
  //! second process of the same user could bind the same port and silently take half the connections.
  net::io_context& next_context() { return *contexts[next_accept++ % contexts.size()]; }

  const Router& router;
  ServerOptions options;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::size_t next_accept = 0;  //!< only the accept loop touches it
  net::thread_pool pool;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::condition_variable drained;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  struct Incoming;
  struct Registration;

  net::awaitable<void> accept_loop();
  //! One connection's life: wait for a request, read it, dispatch it, write the answer; again while
  //! keep-alive; then linger after a rejected request.
  net::awaitable<void> session(std::shared_ptr<Connection> conn);
  net::awaitable<bool> wait_for_request(Connection& conn, beast::flat_buffer& buffer);
  net::awaitable<beast::error_code> read_rest(Connection& conn, beast::flat_buffer& buffer,
                                              RequestParser& parser);
  Incoming incoming(beast::error_code ec, RequestReader& reader, ServerRequest& request) const;
  Reply stage(const ServerRequest& request) const;
  net::awaitable<ServerResponse> finish_on_pool(std::function<ServerResponse()> rest);
  //! Sends conn.answer from byte `sent` on, within the write timeout.
  net::awaitable<bool> write_rest(Connection& conn, std::size_t sent);
  net::awaitable<void> linger(Connection& conn);
  bool shed_idle_connection();
  void forget(const std::shared_ptr<Connection>& conn) {
    std::lock_guard lock(mutex);
    connections.erase(conn);
    drained.notify_all();
  }
};

//! Closes the connection that has waited longest for a request, so that silent or idle connections
//! cannot keep new clients out; connections inside a request (bounded by the read timeout) are kept.
bool Server::Impl::shed_idle_connection() {
  std::lock_guard lock(mutex);
  std::shared_ptr<Connection> oldest;
  for (const auto& conn : connections) {
    if (conn->busy || conn->shed) continue;
    if (!oldest || conn->idle_since < oldest->idle_since) oldest = conn;
  }
  if (!oldest) return false;
  oldest->shed = true;
  // Checked again on the connection's strand: a request that started meanwhile is not cut.
  net::post(oldest->stream.get_executor(), [oldest] {
    if (oldest->busy)
      oldest->shed = false;
    else
      oldest->stream.cancel();
  });
  return true;
}

net::awaitable<void> Server::Impl::accept_loop() {
  ThrottledWarning limit_warning("connection limit reached; closing idle connections or refusing new ones");
  ThrottledWarning descriptor_warning("accept failed: out of file descriptors; closing idle connections");
  net::steady_timer retry(co_await net::this_coro::executor);
  auto retry_delay = kAcceptRetryMin;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(next_context(), net::as_tuple(net::use_awaitable));
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) co_return;
      if (out_of_descriptors(ec)) {
        // The kernel keeps queueing connections; accepting again at once would spin on the same error.
        descriptor_warning.warn({{"error", ec.message()}});
        retry_delay = shed_idle_connection() ? kAcceptRetryMin : std::min(retry_delay * 2, kAcceptRetryMax);
        retry.expires_after(retry_delay);
        co_await retry.async_wait(net::as_tuple(net::use_awaitable));
        continue;
      }
      core::log::warn("accept failed", {{"error", ec.message()}});
      continue;
    }
    retry_delay = kAcceptRetryMin;
    auto conn = std::make_shared<Connection>(std::move(socket));
    bool full = false;
    {
      std::lock_guard lock(mutex);
      full = connections.size() >= options.max_connections;
    }
    if (full) {
      limit_warning.warn({{"limit", options.max_connections}});
      if (!shed_idle_connection()) continue;  // every connection is inside a request: refuse this one
    }
    {
      std::lock_guard lock(mutex);
      connections.insert(conn);
    }
    auto ex = conn->stream.get_executor();
    net::co_spawn(ex, session(conn), net::detached);
  }
}

//! The route's first stage, on the I/O thread. A handler bug must not take the connection (or the server)
//! with it: the client gets a 500.
Reply Server::Impl::stage(const ServerRequest& request) const {
  try {
    Router::Match m = router.match(request.method, request.path);
    if (!m.handler) return Reply::answer(std::move(*m.fallback));
    return (*m.handler)(request);
  } catch (const std::exception& e) {
    core::log::error("request handler threw", {{"error", e.what()}});
  }
  return Reply::answer(error_reply(500, "Internal server error"));
}

//! What may block (network calls) runs on the handler pool; the coroutine resumes on its connection's thread.
net::awaitable<ServerResponse> Server::Impl::finish_on_pool(std::function<ServerResponse()> rest) {
  // (No co_await inside a conditional operator or a co_return here: GCC 12 miscompiles both around
  // temporaries.)
  std::optional<ServerResponse> reply;
  try {
    ServerResponse finished = co_await net::co_spawn(pool, run_rest(std::move(rest)), net::use_awaitable);
    reply = std::move(finished);
  } catch (const std::exception& e) {
    core::log::error("request handler threw", {{"error", e.what()}});
  }
  if (!reply) reply = error_reply(500, "Internal server error");
  co_return std::move(*reply);
}

//! One request as read from the wire: to dispatch, or already answered (a malformed or oversized one), or
//! none (the client went away or timed out).
struct Server::Impl::Incoming {
  enum class Kind { kRequest, kRejected, kClosed } kind = Kind::kClosed;
  ServerResponse rejection;
  unsigned version = 11;
  bool keep_alive = false;
  std::size_t header_bytes = 0;  //!< of a request: it is in the connection's `request`
};

//! Keeps the registry honest whatever way a session ends, an exception included: the connection is
//! closed, no longer counted as busy, and forgotten.
struct Server::Impl::Registration {
  Impl& server;
  std::shared_ptr<Connection> conn;
  ~Registration() {
    conn->busy = false;
    server.forget(conn);  // first: once the client sees the close, the slot is free
    beast::error_code ec;
    conn->stream.socket().close(ec);
  }
};

net::awaitable<bool> Server::Impl::wait_for_request(Connection& conn, beast::flat_buffer& buffer) {
  if (buffer.size() > 0) co_return true;  // pipelined: the next request is already here
  // Idle: wait for its first byte with the long keep-alive timeout.
  conn.idle_since = Clock::now().time_since_epoch().count();
  conn.stream.expires_after(options.idle_timeout);
  beast::error_code ec;
  std::size_t n =
      co_await conn.stream.async_read_some(buffer.prepare(4096), net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return false;  // closed, idle timeout, or stop()
  buffer.commit(n);
  co_return true;
}

net::awaitable<beast::error_code> Server::Impl::read_rest(Connection& conn, beast::flat_buffer& buffer,
                                                          RequestParser& parser) {
  conn.stream.expires_after(options.read_timeout);
  beast::error_code ec;
  co_await bhttp::async_read(conn.stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
  co_return ec;
}

Server::Impl::Incoming Server::Impl::incoming(beast::error_code ec, RequestReader& reader,
                                              ServerRequest& request) const {
  Incoming in;
  if (ec == bhttp::error::body_limit) {
    in.kind = Incoming::Kind::kRejected;
    in.rejection = error_reply(413, "Request body too large");
  } else if (ec == bhttp::error::header_limit) {
    in.kind = Incoming::Kind::kRejected;
    in.rejection = error_reply(431, "Request headers too large");
  } else if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == net::error::eof ||
             ec == net::error::connection_reset || ec == net::error::operation_aborted) {
    in.kind = Incoming::Kind::kClosed;
  } else if (ec) {
    in.kind = Incoming::Kind::kRejected;
    in.rejection = error_reply(400, "Malformed HTTP request");
  } else {
    auto& msg = reader.parser().get();
    in.kind = Incoming::Kind::kRequest;
    in.version = msg.version();
    in.keep_alive = msg.keep_alive() && !stopping;
    in.header_bytes = reader.refill(request);
  }
  return in;
}

net::awaitable<bool> Server::Impl::write_rest(Connection& conn, std::size_t sent) {
  conn.stream.expires_after(options.write_timeout);
  beast::error_code ec;
  co_await net::async_write(conn.stream, net::buffer(conn.answer) + sent,
                            net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
}

net::awaitable<void> Server::Impl::linger(Connection& conn) {
  // A client still sending a rejected body would get a reset instead of our answer: discard what it
  // sends, bounded in bytes and time.
  std::array<char, 16384> scratch;
  std::size_t discarded = 0;
  conn.stream.expires_after(options.read_timeout);
  beast::error_code ec;
  while (discarded < kMaxDiscardBytes) {
    std::size_t n = co_await conn.stream.async_read_some(net::buffer(scratch),
                                                         net::redirect_error(net::use_awaitable, ec));
    if (ec) break;
    discarded += n;
  }
}

net::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> conn) {
  Registration registration{*this, conn};
  {
    boost::system::error_code ec;
    auto ep = conn->stream.socket().remote_endpoint(ec);
    if (!ec) conn->request.remote_address = ep.address().to_string();
  }
  beast::flat_buffer buffer;
  bool rejected = false;
  while (!stopping && co_await wait_for_request(*conn, buffer)) {
    conn->busy = true;
    conn->shed = false;  // a shed that lost the race with this request; idle again later, eligible again
    // The whole request within the read timeout, with bounded header and body. Usually it is all in the
    // buffer already and is parsed without suspending; only a request still arriving waits for the socket.
    RequestReader reader(conn->fields, options.max_header_bytes, options.max_body_bytes);
    beast::error_code ec = reader.parse_buffered(buffer);
    if (ec == bhttp::error::need_more) ec = co_await read_rest(*conn, buffer, reader.parser());
    Incoming in = incoming(ec, reader, conn->request);
    if (in.kind == Incoming::Kind::kClosed) break;
    rejected = in.kind == Incoming::Kind::kRejected;
    ServerResponse reply = std::move(in.rejection);
    if (!rejected) {
      Reply staged = stage(conn->request);
      if (staged.now) {
        reply = std::move(*staged.now);
      } else {
        ServerResponse finished = co_await finish_on_pool(std::move(staged.later));
        reply = std::move(finished);
      }
      release(conn->request, in.header_bytes);
    }
    // Let the other connections whose requests are ready be handled first, then answer them together: the
    // peer wakes once for several answers, not once for each (on a VM each wake-up is a costly interrupt).
    co_await net::post(conn->stream.get_executor(), net::use_awaitable);
    write_response_text(reply, in.version, in.keep_alive, conn->answer);
    // The socket (non-blocking) usually takes a whole answer at once: then it needs no timer and no
    // asynchronous operation. What it does not take is sent asynchronously, within the write timeout.
    beast::error_code write_ec;
    std::size_t sent = 0;
    if (conn->writes_at_once) sent = conn->stream.socket().write_some(net::buffer(conn->answer), write_ec);
    if (write_ec == net::error::would_block) {
      write_ec = {};
      sent = 0;
    }
    bool written = !write_ec && sent == conn->answer.size();
    if (!written && !write_ec) written = co_await write_rest(*conn, sent);
    if (conn->answer.capacity() > kKeptAnswerBytes)
      std::string().swap(conn->answer);  // an idle one holds little
    conn->busy = false;
    if (!written || !in.keep_alive) break;
  }
  beast::error_code ec;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (rejected) co_await linger(*conn);
}

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() {
  stop(std::chrono::milliseconds(0));
}

core::Result<uint16_t> Server::start() {
  auto& im = *impl_;
  boost::system::error_code ec;
  auto address = net::ip::make_address(im.options.address, ec);
  if (ec)
    return core::make_error(core::ErrorCode::kInvalidArgument, "invalid listen address")
        .with("address", im.options.address);
  tcp::endpoint ep(address, im.options.port);
  im.acceptor.open(ep.protocol(), ec);
  if (!ec) im.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) im.acceptor.bind(ep, ec);
  if (!ec) im.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "cannot listen on port " + std::to_string(im.options.port),
                            "choose a free port with the PORT environment variable")
        .with("error", ec.message());
  }
  const uint16_t port = im.acceptor.local_endpoint().port();
  net::co_spawn(*im.contexts.front(), im.accept_loop(), net::detached);
  for (auto& context : im.contexts) {
    // Runs until stop(): the accept loop or a guard keeps it from running out of work.
    im.threads.emplace_back([&context] {
      auto guard = net::make_work_guard(*context);
      context->run();
    });
  }
  return port;
}

void Server::stop(std::chrono::milliseconds grace) {
  auto& im = *impl_;
  if (im.threads.empty() || im.stopping.exchange(true)) return;
  net::post(im.acceptor.get_executor(), [&im] {
    boost::system::error_code ec;
    im.acceptor.close(ec);
  });
  {
    // Idle connections close now; busy ones finish their request and then close (keep-alive off).
    std::unique_lock lock(im.mutex);
    for (const auto& conn : im.connections) {
      if (!conn->busy) net::post(conn->stream.get_executor(), [conn] { conn->stream.cancel(); });
    }
    im.drained.wait_for(lock, grace, [&im] { return im.connections.empty(); });
  }
  for (auto& context : im.contexts) context->stop();
  for (auto& t : im.threads) t.join();
  im.threads.clear();
  im.pool.join();
}

}  // namespace bw::http
