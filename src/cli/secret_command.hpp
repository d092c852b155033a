// cli/secret_command.hpp: `benchling-webhook secret create|update|show`, which write and read the Benchling
// secret (DESIGN "secret JSON") with the document validated before anything is written.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/env.hpp"
#include "deploy/secret_document.hpp"

namespace CLI {
class App;
}

namespace bw::cli {

enum class SecretAction { kNone, kCreate, kUpdate, kShow };

//! What the `secret` subcommands parsed (the three share these variables; only the one chosen is parsed).
struct SecretCommandOptions {
  SecretAction action = SecretAction::kNone;      //!< set when a subcommand is parsed
  std::optional<std::string> benchling_secret;    //!< default: $BenchlingSecret
  std::optional<std::string> region;              //!< default: the secret ARN's, else the stack ARN's
  std::optional<std::string> quilt_stack_arn;     //!< default: $QuiltStackARN (only for its region)
  std::optional<std::string> from_file;           //!< a JSON object of secret keys ("-": stdin)
  std::optional<std::string> client_secret_file;  //!< holds the client secret ("-": stdin)
  std::optional<std::string> description;         //!< create only
  //! Field flags; client_secret stays unset here (it is read from client_secret_file when run).
  deploy::SecretFields fields;
  bool dry_run = false;
  //! Set when someone tried --client-secret VALUE: refused without echoing it (CLI11 would quote it as an
  //! unexpected argument).
  bool plain_client_secret_given = false;
};

//! Adds `secret` and its subcommands create, update and show to `app`; the returned options receive
//! their flags when `app` parses. Wiring in cli.cpp:
//!   auto secret_command = add_secret_command(app);                            // before app.parse
//!   if (int rc = run_secret_command(*secret_command); rc >= 0) return rc;    // after it
std::unique_ptr<SecretCommandOptions> add_secret_command(CLI::App& app);

//! Runs the chosen subcommand and returns its exit code, or -1 when none was chosen. 0: done (or
//! nothing to change); 1: the document is invalid, the secret exists (create) or is missing
//! (update/show), or AWS failed; 2: usage: no secret name, no region, a malformed ARN, an unreadable file.
//! Prints results on stdout (masked: the client secret never, the client id as "***" + last 4) and
//! errors on stderr. Secrets Manager is called with the default credentials chain; `env` is the process
//! environment (AWS_* variables, BenchlingSecret, QuiltStackARN).
int run_secret_command(const SecretCommandOptions& options, const aws::EnvFn& env = aws::process_env());

}  // namespace bw::cli
