// cli/monitoring_flags.hpp: the template/deploy flags of alarms, API access logs and throttling.
#pragma once

#include <optional>
#include <string>

#include "deploy/template.hpp"

namespace CLI {
class App;
}

namespace bw::cli {

//! Adds --alarm-topic-arn, --alarm-email, --oldest-job-alarm-minutes, --api-burst-limit, --api-rate-limit
//! to `cmd`, parsed into `m` (checked by deploy::validate_flags).
void add_monitoring_flags(CLI::App* cmd, deploy::MonitoringOptions& m);

//! The line deploy prints when the alarms notify nobody, with how to add a recipient; nullopt when they do.
std::optional<std::string> no_alarm_recipient_note(const deploy::MonitoringOptions& m);

}  // namespace bw::cli
