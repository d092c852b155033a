// aws/kms.hpp: KMS DescribeKey (JSON 1.1 protocol), so deploy can tell customer-managed keys, whose key
// policy and IAM must let the task use them, from AWS-managed ones, which need nothing.
#pragma once

#include <string>
#include <string_view>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct KmsKey {
  std::string arn;      //!< KeyMetadata.Arn: what an IAM statement names
  std::string manager;  //!< KeyMetadata.KeyManager: "AWS" or "CUSTOMER"
  std::string state;    //!< KeyMetadata.KeyState: "Enabled", "Disabled", "PendingDeletion", ...

  bool customer_managed() const { return manager == "CUSTOMER"; }
};

//! Parses a DescribeKey reply. Pure, bounded (64 KiB); an unreadable reply is kRemote, never quoted.
core::Result<KmsKey> parse_describe_key(std::string_view json);

class Kms {
 public:
  explicit Kms(AwsClient& client) : client_(client) {}

  //! DescribeKey of a key id, key ARN, alias name ("alias/x") or alias ARN. NotFoundException: kNotFound
  //! "KMS key not found: <id>"; access denied: kAccessDenied naming kms:DescribeKey.
  core::Result<KmsKey> describe_key(std::string_view key_id);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
