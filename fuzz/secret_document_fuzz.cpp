// fuzz/secret_document_fuzz.cpp: `secret create|update` input: a --from-file text merged onto a current
// secret; the client secret never appears in an error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "deploy/allow_list.hpp"
#include "deploy/secret_document.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = bw::fuzz::as_view(data, size);
  // First line: the current secret; the rest: the file.
  const auto nl = text.find('\n');
  bw::deploy::SecretDocumentInput input;
  input.mode = bw::deploy::SecretMode::kUpdate;
  input.secret_id = "benchling/creds";
  input.current = std::string(text.substr(0, nl));
  if (nl != std::string_view::npos) input.file_text = std::string(text.substr(nl + 1));
  input.file_name = "secret.json";
  input.fields.client_secret = "FUZZ-CLIENT-SECRET-7f3a";
  auto doc = bw::deploy::build_secret_document(input);
  // The flag's client secret must never reach an error (the input itself may be quoted: an unknown key
  // is named, and the fuzzer can spell the marker into one).
  const bool in_input = text.find("FUZZ-CLIENT-SECRET-7f3a") != std::string_view::npos;
  if (!doc && !in_input && doc.error().to_text().find("FUZZ-CLIENT-SECRET-7f3a") != std::string::npos) {
    bw::fuzz::property_failed("client secret in an error");
  }
  (void)bw::deploy::parse_allow_list(text);
  return 0;
}
