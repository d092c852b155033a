// fuzz/aws_error_fuzz.cpp: AWS error replies (JSON and XML bodies, error headers).
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/aws_error.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = bw::fuzz::as_view(data, size);
  int status = size > 0 ? 400 + data[0] % 200 : 400;

  bw::http::Response as_body;
  as_body.status = status;
  as_body.body = std::string(text);
  auto e = bw::aws::parse_aws_error("sqs", as_body);
  (void)bw::aws::to_core_error(e, "ReceiveMessage");
  (void)bw::aws::is_retryable(e);

  bw::http::Response as_headers;
  as_headers.status = status;
  as_headers.headers = {{"x-amzn-errortype", std::string(text)},
                        {"x-amzn-query-error", std::string(text)},
                        {"x-amzn-requestid", std::string(text)}};
  auto h = bw::aws::parse_aws_error("secretsmanager", as_headers);
  (void)bw::aws::to_core_error(h, "GetSecretValue");
  return 0;
}
