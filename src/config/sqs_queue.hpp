// config/sqs_queue.hpp: an SQS queue named by its ARN or its URL, each derived from the other.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bw::config {

//! One SQS queue, both ways AWS names it. Stacks export either form (Quilt's PackagerQueueUrl / QueueUrl
//! or PackagerQueueArn); IAM and preflight need the ARN, SendMessage needs the URL.
struct SqsQueue {
  std::string arn;      //!< arn:aws:sqs:<region>:<account>:<name>
  std::string url;      //!< as given, or https://sqs.<region>.amazonaws.com/<account>/<name>
  std::string region;   //!< [a-z0-9-]+
  std::string account;  //!< 12 digits
  std::string name;     //!< 1-80 of [A-Za-z0-9_-], optionally ending in ".fifo"
};

//! The older name: the parsed PackagerQueueArn.
using SqsQueueArn = SqsQueue;

//! Parses an SQS queue ARN (the `aws` partition, like the stack ARN); `url` is derived
//! (https://sqs.<region>.amazonaws.com/<account>/<name>). nullopt when malformed. Pure.
std::optional<SqsQueue> parse_sqs_queue_arn(std::string_view arn);

//! Parses an SQS queue URL, http(s)://<host>[:port]/<account>/<name>, keeping it as given in `url` and
//! deriving `arn`. The region comes from the host: sqs.<region>.<domain> (today's form, also LocalStack's),
//! <region>.queue.<domain> (the legacy form), queue.amazonaws.com (legacy us-east-1); any other host is a
//! custom endpoint (moto: http://127.0.0.1:5000/<account>/<name>) whose region is `default_region` (the
//! Quilt stack's). nullopt when the scheme, account, name or path is malformed, or no region is known.
//! Pure.
std::optional<SqsQueue> parse_sqs_queue_url(std::string_view url, std::string_view default_region);

}  // namespace bw::config
