#include "deploy/status_monitoring.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

TEST(StatusTargets, CountsHealthyAndNamesTheOthersWithTheirReason) {
  auto r = targets_row({{"10.0.0.7", "8080", "healthy", "", ""},
                        {"10.0.1.9", "8080", "unhealthy", "Target.FailedHealthChecks", "x"}});
  EXPECT_EQ(r.text, "1 of 2 healthy; 10.0.1.9:8080 unhealthy (Target.FailedHealthChecks)");
  EXPECT_EQ(r.problem, "load balancer targets fail their health checks");
}

TEST(StatusTargets, AllHealthyIsNoProblemButNoneRegisteredOrOnlyStartingIs) {
  EXPECT_EQ(targets_row({{"a", "8080", "healthy", "", ""}}).problem, "");
  EXPECT_EQ(targets_row({}).text, "none registered");
  EXPECT_NE(targets_row({}).problem, "");
  auto starting = targets_row({{"a", "8080", "initial", "Elb.RegistrationInProgress", ""}});
  EXPECT_EQ(starting.problem, "no healthy target behind the load balancer");
}

TEST(StatusDeadLetters, ShowsBothQueuesAndTheEventsOneIsAProblemWhenNotEmpty) {
  QueueDepth jobs{"w-dlq.fifo", 2, 0, 0};
  QueueDepth events{"w-events-dlq", 0, 0, 0};
  auto r = dead_letters_row(jobs, events);
  EXPECT_EQ(r.text, "jobs 2 (w-dlq.fifo), package events 0 (w-events-dlq)");
  EXPECT_EQ(r.problem, "");  // the work queue's dead letters are the Jobs row's problem
  events.waiting = 3;
  EXPECT_EQ(dead_letters_row(jobs, events).problem,
            "3 package event(s) failed 5 times and wait in w-events-dlq");
  EXPECT_EQ(dead_letters_row(std::nullopt, std::nullopt).text,
            "jobs not readable, package events not readable");
}

TEST(StatusAlarms, CountsStatesNamesFiringAlarmsAndTheRecipient) {
  std::vector<aws::MetricAlarm> alarms = {
      {"p-work-dlq", "ALARM", "Threshold Crossed", "AWS/SQS", "m", {"arn:aws:sns:us-east-1:1:ops"}},
      {"p-api-5xx", "OK", "", "AWS/ApiGateway", "5XXError", {"arn:aws:sns:us-east-1:1:ops"}},
  };
  auto r = alarms_row(alarms);
  EXPECT_EQ(r.text, "2: 1 ALARM, 1 OK (p-work-dlq); notify arn:aws:sns:us-east-1:1:ops");
  EXPECT_EQ(r.problem, "alarm p-work-dlq is in ALARM: Threshold Crossed");
  alarms[0].state = "OK";
  alarms[0].alarm_actions.clear();
  alarms[1].alarm_actions.clear();
  r = alarms_row(alarms);
  EXPECT_EQ(r.problem, "");
  EXPECT_NE(r.text.find("notify nobody"), std::string::npos);
}

}  // namespace
}  // namespace bw::deploy
