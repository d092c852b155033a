// aws/aws_error.hpp: AWS error replies (JSON and XML protocols) and their mapping to core::Error.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/client.hpp"

namespace bw::aws {

//! What an AWS error reply said. Every field is bounded in length.
struct AwsError {
  std::string service;     //!< service id we called ("secretsmanager")
  std::string code;        //!< "ResourceNotFoundException", "ValidationError"; "Unknown" when unreadable
  std::string message;     //!< AWS's message; the HTTP reason phrase when the body said nothing
  std::string request_id;  //!< x-amzn-requestid / x-amz-request-id / <RequestId>, may be empty
  int http_status = 0;
  std::string
      query_code;  //!< x-amzn-query-error code ("AWS.SimpleQueueService.NonExistentQueue"), may be empty
};

//! Parses an error reply: a JSON body ({"__type": "...#Code", "message": ...}), an XML body
//! (<ErrorResponse><Error><Code>, S3's <Error><Code>, EC2's <Response><Errors><Error>), and the headers
//! x-amzn-errortype, x-amzn-query-error and the request-id headers. Never fails: an empty or malformed
//! body gives code "Unknown" and the HTTP reason phrase as message. Only the first 64 KiB are parsed.
AwsError parse_aws_error(std::string_view service, const http::Response& response);

//! Credentials rejected: bad key id, bad signature, expired or missing token.
bool is_credentials_error(const AwsError& e);
bool is_access_denied(const AwsError& e);
bool is_throttling(const AwsError& e);
//! The resource named in the call does not exist (404 or a *NotFound / NoSuch* / DoesNotExist code).
bool is_not_found(const AwsError& e);
//! Throttling, a transient code (RequestTimeout, ...) or a 5xx: a retry may succeed. 4xx client errors never.
bool is_retryable(const AwsError& e);

//! The error a person sees: credentials codes -> kCredentials (with how to fix credentials), access
//! denied -> kAccessDenied, throttling -> kThrottled, not found -> kNotFound, everything else kRemote.
//! Details: service, action, code, HTTP status, request id, "AWS said". Message:
//! "AWS <service> <action> failed: <code>".
core::Error to_core_error(const AwsError& e, std::string_view action);

//! to_core_error with what AWS said also at the end of the message ("... failed: <code>: <AWS message>"),
//! for errors read where only the message shows (a CLI's one line, the canvas).
core::Error to_core_error_saying(const AwsError& e, std::string_view action);

//! The reason phrase for an HTTP status ("Service Unavailable"), "HTTP <n>" when unknown.
std::string http_status_text(int status);

}  // namespace bw::aws
