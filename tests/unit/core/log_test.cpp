#include "core/log.hpp"

#include "core/time.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <fcntl.h>

#include <chrono>
#include <string>
#include <thread>

namespace bw::core {
namespace {

using namespace std::chrono_literals;

//! A pipe the logger writes to; read() takes what is there now, without waiting.
struct Pipe {
  Pipe() {
    EXPECT_EQ(::pipe(fds), 0);
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  std::string read() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
    return out;
  }
  bool readable_within(std::chrono::milliseconds timeout) {
    pollfd p{fds[0], POLLIN, 0};
    return ::poll(&p, 1, int(timeout.count())) == 1;
  }
  int fds[2];
};

int count_lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

// A batch waits for the flusher; with a ten-minute delay only flush() or a warning can write it.
TEST(LogOutput, BatchedLinesWaitForAFlushAndArriveInOrder) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 10min);
  log::info("first");
  log::info("second");
  log::info("third");
  EXPECT_EQ(pipe.read(), "");
  log::flush();
  const auto text = pipe.read();
  EXPECT_EQ(count_lines(text), 3) << text;
  EXPECT_LT(text.find("first"), text.find("second"));
  EXPECT_LT(text.find("second"), text.find("third"));
  log::stop_batched_output();
}

// A line is built in a buffer on the stack; one far larger spills to the heap and is still written whole.
TEST(LogOutput, ALineLargerThanItsStackBufferIsWrittenWhole) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 10min);
  boost::json::object fields;
  for (int i = 0; i < 40; ++i) fields["field_" + std::to_string(i)] = std::string(200, char('a' + i % 26));
  fields["big"] = std::string(20000, 'z');
  log::info("large", fields);
  log::flush();
  const auto text = pipe.read();
  ASSERT_EQ(count_lines(text), 1);
  const auto line = boost::json::parse(text).as_object();
  EXPECT_EQ(line.at("msg"), "large");
  EXPECT_EQ(line.at("big").as_string().size(), 20000u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(line.at("field_" + std::to_string(i)).as_string().size(), 200u) << i;
  log::stop_batched_output();
}

// Lines whose length straddles the stack buffer's (4096 bytes, newline included) each end in one newline.
TEST(LogOutput, LinesAroundTheStackBuffersSizeAreWrittenWholeWithOneNewline) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 10min);
  const std::size_t bare = boost::json::serialize(boost::json::object{{"msg", "edge"}, {"pad", ""}}).size();
  for (std::size_t target = 4090; target <= 4100; ++target) {
    log::info("edge", {{"pad", std::string(target - bare - 60, 'p')}});  // ts and level take about 60 more
    log::flush();
    const auto text = pipe.read();
    ASSERT_EQ(count_lines(text), 1) << target;
    ASSERT_TRUE(text.ends_with("\n"));
    EXPECT_EQ(boost::json::parse(text).as_object().at("pad").as_string().size(), target - bare - 60);
  }
  log::stop_batched_output();
}

// Each thread formats the time once per second: a line logged after the second turned has the new one.
TEST(LogOutput, EveryLineHasTheTimeOfItsSecondAlsoAfterTheSecondTurns) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 10min);
  auto logged_time = [&pipe](const char* msg) {
    log::info(msg);
    log::flush();
    auto ts = parse_iso8601(std::string(boost::json::parse(pipe.read()).as_object().at("ts").as_string()));
    EXPECT_TRUE(ts) << msg;
    return ts.value_or(SystemTime{});
  };
  using std::chrono::floor;
  using std::chrono::seconds;
  const auto before = floor<seconds>(system_now());
  const SystemTime first = logged_time("first");
  EXPECT_GE(first, before);
  EXPECT_LE(first, system_now());
  while (floor<seconds>(system_now()) <= first) std::this_thread::sleep_for(10ms);  // the next second
  const SystemTime second = logged_time("second");
  EXPECT_GT(second, first);
  EXPECT_LE(second, system_now());
  log::stop_batched_output();
}

TEST(LogOutput, AWarningGoesOutAtOnceWithTheLinesBeforeIt) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 10min);
  log::info("context");
  log::warn("trouble");
  const auto text = pipe.read();
  ASSERT_EQ(count_lines(text), 2) << text;
  EXPECT_LT(text.find("context"), text.find("trouble"));
  log::stop_batched_output();
}

TEST(LogOutput, TheFlusherWritesABatchByItself) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 1ms);
  log::info("on its own");
  ASSERT_TRUE(pipe.readable_within(10s));
  EXPECT_NE(pipe.read().find("on its own"), std::string::npos);
  log::stop_batched_output();
}

TEST(LogOutput, StopWritesWhatIsPendingThenEachLineIsWrittenAtOnce) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::start_batched_output(pipe.fds[1], 10min);
  log::info("pending at stop");
  log::stop_batched_output();
  EXPECT_NE(pipe.read().find("pending at stop"), std::string::npos);
  log::info("after stop");  // one write per line again, to the same descriptor
  EXPECT_NE(pipe.read().find("after stop"), std::string::npos);
}

TEST(LogOutput, BatchedLinesAreScrubbedOfSecrets) {
  Pipe pipe;
  log::set_level(LogLevel::kInfo);
  log::add_redaction("s3cr3t-log-value");
  log::start_batched_output(pipe.fds[1], 10min);
  log::info("token s3cr3t-log-value here", {{"field", "also s3cr3t-log-value"}});
  log::flush();
  const auto text = pipe.read();
  EXPECT_EQ(text.find("s3cr3t-log-value"), std::string::npos) << text;
  EXPECT_NE(text.find("***"), std::string::npos);
  log::info("long", {{"field", std::string(8000, 'x') + "s3cr3t-log-value"}});  // spilled to the heap
  log::flush();
  const auto spilled = pipe.read();
  EXPECT_EQ(spilled.find("s3cr3t-log-value"), std::string::npos);
  EXPECT_TRUE(spilled.ends_with("***\"}\n")) << spilled.substr(spilled.size() - 20);
  log::stop_batched_output();
}

}  // namespace
}  // namespace bw::core
