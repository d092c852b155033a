#include "aws/clients.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

TEST(Clients, OneClientPerRegionTheHomeOneForTheHomeRegion) {
  Clients clients(map_env({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"}, {"AWS_SECRET_ACCESS_KEY", "secret"},
                           {"AWS_EC2_METADATA_DISABLED", "true"}}),
                  "us-east-1");
  EXPECT_EQ(&clients.client_for("us-east-1"), &clients.client());
  AwsClient& west = clients.client_for("eu-west-2");
  EXPECT_NE(&west, &clients.client());
  EXPECT_EQ(west.region(), "eu-west-2");
  EXPECT_EQ(&clients.client_for("eu-west-2"), &west);  // kept, not rebuilt
  EXPECT_EQ(clients.client().region(), "us-east-1");
}

}  // namespace
}  // namespace bw::aws
