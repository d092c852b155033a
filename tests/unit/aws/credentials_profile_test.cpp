#include "aws/credentials_profile.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "aws/credentials_env.hpp"

namespace bw::aws {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("bw-aws-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(Ini, ToleratesCommentsWhitespaceAndCrlf) {
  auto ini = parse_ini(
      "# top comment\r\n"
      "; another\n"
      "  [ default ]  \r\n"
      "aws_access_key_id = AKIDEXAMPLE   # inline comment\n"
      "AWS_Secret_Access_Key=abc/def+ghi#notacomment\n"
      "\n"
      "region: us-east-1\n"
      "s3 =\n"
      "  max_concurrent_requests = 10\n"
      "junk line without separator\n"
      "[profile dev]\n"
      "aws_access_key_id=DEV\n"
      "[broken\n"
      "aws_access_key_id=LOST\n");
  ASSERT_EQ(ini.count("default"), 1u);
  const auto& d = ini.at("default");
  EXPECT_EQ(d.at("aws_access_key_id"), "AKIDEXAMPLE");
  EXPECT_EQ(d.at("aws_secret_access_key"), "abc/def+ghi#notacomment");
  EXPECT_EQ(d.at("region"), "us-east-1");
  EXPECT_EQ(d.count("max_concurrent_requests"), 0u);
  EXPECT_EQ(ini.at("profile dev").at("aws_access_key_id"), "DEV");
  for (const auto& [name, section] : ini) {
    for (const auto& [k, v] : section) EXPECT_NE(v, "LOST") << name << "." << k;
  }
}

TEST(Ini, EmptyAndGarbageInputGiveNoSections) {
  EXPECT_TRUE(parse_ini("").empty());
  EXPECT_TRUE(parse_ini("key=value\n= =\n\x01\x02").empty());
}

TEST(ProfileCredentials, DefaultProfileFromCredentialsFile) {
  TempDir dir;
  auto creds_file = dir.write("credentials",
                              "[default]\naws_access_key_id = AKID1\naws_secret_access_key = S1\n"
                              "aws_session_token = T1\n");
  ProfileCredentialsProvider p(map_env(
      {{"AWS_SHARED_CREDENTIALS_FILE", creds_file}, {"AWS_CONFIG_FILE", dir.path() + "/missing-config"}}));
  auto c = p.get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "AKID1");
  EXPECT_EQ(c->secret_access_key, "S1");
  EXPECT_EQ(c->session_token, "T1");
  EXPECT_EQ(c->source, "profile:default");
  EXPECT_FALSE(c->expiration);
}

TEST(ProfileCredentials, AwsProfileSelectsSection) {
  TempDir dir;
  auto creds_file = dir.write("credentials",
                              "[default]\naws_access_key_id=DEF\naws_secret_access_key=DEFS\n"
                              "[work]\naws_access_key_id=WORK\naws_secret_access_key=WORKS\n");
  ProfileCredentialsProvider p(map_env({{"AWS_SHARED_CREDENTIALS_FILE", creds_file},
                                        {"AWS_PROFILE", "work"},
                                        {"AWS_CONFIG_FILE", dir.path() + "/none"}}));
  auto c = p.get();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->access_key_id, "WORK");
  EXPECT_EQ(c->source, "profile:work");
}

TEST(ProfileCredentials, ConfigFileUsesProfilePrefixedSections) {
  TempDir dir;
  auto config = dir.write("config",
                          "[work]\naws_access_key_id=WRONG\naws_secret_access_key=WRONG\n"
                          "[profile work]\naws_access_key_id=CFG\naws_secret_access_key=CFGS\n");
  ProfileCredentialsProvider p(map_env({{"AWS_CONFIG_FILE", config},
                                        {"AWS_PROFILE", "work"},
                                        {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}}));
  auto c = p.get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "CFG");
}

TEST(ProfileCredentials, CredentialsFileWinsOverConfigFile) {
  TempDir dir;
  auto creds_file =
      dir.write("credentials", "[default]\naws_access_key_id=FROMCREDS\naws_secret_access_key=S\n");
  auto config = dir.write("config", "[default]\naws_access_key_id=FROMCONFIG\naws_secret_access_key=S\n");
  ProfileCredentialsProvider p(
      map_env({{"AWS_SHARED_CREDENTIALS_FILE", creds_file}, {"AWS_CONFIG_FILE", config}}));
  EXPECT_EQ(p.get()->access_key_id, "FROMCREDS");
}

TEST(ProfileCredentials, DefaultPathsComeFromHome) {
  TempDir dir;
  dir.write(".aws/config", "[default]\naws_access_key_id=HOMEKEY\naws_secret_access_key=S\n");
  ProfileCredentialsProvider p(map_env({{"HOME", dir.path()}}));
  auto c = p.get();
  ASSERT_TRUE(c) << c.error().to_text();
  EXPECT_EQ(c->access_key_id, "HOMEKEY");

  auto tilde = dir.write("other/creds", "[default]\naws_access_key_id=TILDE\naws_secret_access_key=S\n");
  ProfileCredentialsProvider p2(
      map_env({{"HOME", dir.path()}, {"AWS_SHARED_CREDENTIALS_FILE", "~/other/creds"}}));
  EXPECT_EQ(p2.get()->access_key_id, "TILDE");
}

TEST(ProfileCredentials, MissingProfileIsCredentialsErrorNamingProfileAndFile) {
  TempDir dir;
  auto creds_file =
      dir.write("credentials", "[default]\naws_access_key_id=A\naws_secret_access_key=SECRETVALUE\n");
  ProfileCredentialsProvider p(map_env({{"AWS_SHARED_CREDENTIALS_FILE", creds_file},
                                        {"AWS_PROFILE", "prod"},
                                        {"AWS_CONFIG_FILE", dir.path() + "/none"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::ErrorCode::kCredentials);
  EXPECT_NE(c.error().message.find("'prod' not found"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find(creds_file), std::string::npos);
  EXPECT_EQ(c.error().to_text().find("SECRETVALUE"), std::string::npos);
}

TEST(ProfileCredentials, RoleProfilesAreReportedAsUnsupported) {
  TempDir dir;
  auto config =
      dir.write("config", "[profile assume]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n");
  ProfileCredentialsProvider p(map_env(
      {{"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "assume"}, {"AWS_SHARED_CREDENTIALS_FILE", "/none"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("role_arn"), std::string::npos);
}

TEST(ProfileCredentials, OversizedFileIsRefused) {
  TempDir dir;
  std::string big =
      "[default]\naws_access_key_id=A\naws_secret_access_key=S\n" + std::string(1100 * 1024, '#');
  auto creds_file = dir.write("credentials", big);
  ProfileCredentialsProvider p(
      map_env({{"AWS_SHARED_CREDENTIALS_FILE", creds_file}, {"AWS_CONFIG_FILE", dir.path() + "/none"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("larger than 1 MiB"), std::string::npos) << c.error().message;
}

TEST(EnvCredentials, ReadsKeysAndOptionalToken) {
  EnvCredentialsProvider p(map_env(
      {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}, {"AWS_SESSION_TOKEN", "TOKEN"}}));
  auto c = p.get();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->access_key_id, "AKID");
  EXPECT_EQ(c->secret_access_key, "SECRET");
  EXPECT_EQ(c->session_token, "TOKEN");
  EXPECT_EQ(c->source, "environment");

  EnvCredentialsProvider no_token(
      map_env({{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "SECRET"}}));
  EXPECT_EQ(no_token.get()->session_token, "");
}

TEST(EnvCredentials, HalfSetIsAnErrorWithoutTheSecret) {
  EnvCredentialsProvider p(map_env({{"AWS_SECRET_ACCESS_KEY", "TOPSECRET"}}));
  auto c = p.get();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, core::ErrorCode::kCredentials);
  EXPECT_NE(c.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_EQ(c.error().to_text().find("TOPSECRET"), std::string::npos);
  EXPECT_FALSE(
      EnvCredentialsProvider(map_env({{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}})).get());
}

}  // namespace
}  // namespace bw::aws
