#include "aws/credentials_profile.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/ascii.hpp"
#include "core/split.hpp"

namespace bw::aws {

namespace {

constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

// Strips "value # comment" / "value ; comment"; a '#' or ';' glued to the value stays part of it.
std::string_view strip_inline_comment(std::string_view value) {
  for (std::size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && std::isspace(static_cast<unsigned char>(value[i - 1]))) {
      return core::ascii_trim(value.substr(0, i));
    }
  }
  return value;
}

enum class FileState { kMissing, kRead, kFailed };

struct LoadedFile {
  FileState state = FileState::kMissing;
  std::string path;
  std::string problem;  // for kFailed
  IniSections sections;
};

LoadedFile load(const std::string& path) {
  LoadedFile out;
  out.path = path;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return out;
  out.state = FileState::kFailed;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.problem = "cannot read " + path;
    return out;
  }
  if (size > kMaxFileBytes) {
    out.problem = path + " is larger than 1 MiB";
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.problem = "cannot open " + path;
    return out;
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  out.sections = parse_ini(text);
  out.state = FileState::kRead;
  return out;
}

std::string expand_home(std::string path, const std::optional<std::string>& home) {
  if (home && (path == "~" || path.rfind("~/", 0) == 0)) path = *home + path.substr(1);
  return path;
}

const std::map<std::string, std::string>* find_section(const IniSections& sections, std::string_view name) {
  auto it = sections.find(name);
  return it == sections.end() ? nullptr : &it->second;
}

}  // namespace

IniSections parse_ini(std::string_view text) {
  IniSections out;
  std::map<std::string, std::string>* section = nullptr;
  bool last_key_empty = false;
  for (std::string_view raw : core::split(text, '\n')) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    std::string_view line = core::ascii_trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;

    if (line.front() == '[') {
      const auto close = line.find(']');
      if (close == std::string_view::npos) {
        section = nullptr;  // a broken header: ignore its keys rather than give them to the previous section
        continue;
      }
      section = &out[std::string(core::ascii_trim(line.substr(1, close - 1)))];
      last_key_empty = false;
      continue;
    }
    if (section == nullptr) continue;
    if (indented && last_key_empty) continue;  // nested setting ("s3 =\n  max_concurrent_requests = 10")

    auto sep = line.find('=');
    if (sep == std::string_view::npos) sep = line.find(':');
    if (sep == std::string_view::npos) continue;
    const std::string key = core::ascii_lower(core::ascii_trim(line.substr(0, sep)));
    if (key.empty()) continue;
    std::string_view value = strip_inline_comment(core::ascii_trim(line.substr(sep + 1)));
    (*section)[key] = std::string(value);
    last_key_empty = value.empty();
  }
  return out;
}

core::Result<Credentials> ProfileCredentialsProvider::get() {
  const std::string profile = env_value(env_, "AWS_PROFILE").value_or("default");
  const auto home = env_value(env_, "HOME");

  std::vector<std::string> problems;
  auto path_of = [&](const char* variable, const char* default_name) -> std::optional<std::string> {
    if (auto p = env_value(env_, variable)) return expand_home(*p, home);
    if (!home) {
      problems.push_back(std::string(variable) + " is not set and HOME is unknown");
      return std::nullopt;
    }
    return *home + "/.aws/" + default_name;
  };
  const auto credentials_path = path_of("AWS_SHARED_CREDENTIALS_FILE", "credentials");
  const auto config_path = path_of("AWS_CONFIG_FILE", "config");

  // Credentials file first ([name]), then the config file ([profile name], or [default]).
  struct Candidate {
    LoadedFile file;
    std::vector<std::string> section_names;
  };
  std::vector<Candidate> candidates;
  if (credentials_path) candidates.push_back({load(*credentials_path), {profile}});
  if (config_path) {
    std::vector<std::string> names{"profile " + profile};
    if (profile == "default") names.push_back("default");
    candidates.push_back({load(*config_path), names});
  }

  std::vector<std::string> searched;
  bool section_seen = false;
  for (const auto& c : candidates) {
    if (c.file.state == FileState::kFailed) problems.push_back(c.file.problem);
    if (c.file.state != FileState::kRead) continue;
    searched.push_back(c.file.path);
    for (const auto& section_name : c.section_names) {
      const auto* section = find_section(c.file.sections, section_name);
      if (section == nullptr) continue;
      section_seen = true;
      auto key = section->find("aws_access_key_id");
      auto secret = section->find("aws_secret_access_key");
      if (key != section->end() && secret != section->end() && !key->second.empty() &&
          !secret->second.empty()) {
        Credentials creds;
        creds.access_key_id = key->second;
        creds.secret_access_key = secret->second;
        if (auto token = section->find("aws_session_token"); token != section->end()) {
          creds.session_token = token->second;
        }
        creds.source = "profile:" + profile;
        return creds;
      }
      for (const char* unsupported : {"role_arn", "credential_process", "sso_start_url", "sso_session"}) {
        if (section->count(unsupported) != 0) {
          return core::make_error(
                     core::ErrorCode::kCredentials,
                     "AWS profile '" + profile + "' uses " + unsupported + ", which is not supported",
                     "Give the profile aws_access_key_id and aws_secret_access_key, export temporary "
                     "keys into AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, or use "
                     "the ECS task role")
              .with("file", c.file.path);
        }
      }
    }
  }

  std::string where = searched.empty() ? "no shared credentials or config file found" : "searched ";
  for (std::size_t i = 0; i < searched.size(); ++i) where += (i ? ", " : "") + searched[i];
  for (const auto& p : problems) where += "; " + p;
  const std::string message =
      section_seen ? "AWS profile '" + profile + "' has no aws_access_key_id/aws_secret_access_key"
                   : "AWS profile '" + profile + "' not found";
  return core::make_error(core::ErrorCode::kCredentials, message + " (" + where + ")",
                          "Add the profile to ~/.aws/credentials or select another with AWS_PROFILE");
}

}  // namespace bw::aws
