#include "aws/kms.hpp"

#include <gtest/gtest.h>

#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"

namespace bw::aws {
namespace {

TEST(Kms, DescribeKeyGivesArnManagerAndState) {
  auto key = parse_describe_key(R"({"KeyMetadata":{"AWSAccountId":"111122223333",
    "Arn":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","KeyManager":"CUSTOMER","KeyState":"Enabled",
    "KeyUsage":"ENCRYPT_DECRYPT"}})");
  ASSERT_TRUE(key) << key.error().to_text();
  EXPECT_EQ(key->arn, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  EXPECT_TRUE(key->customer_managed());
  EXPECT_EQ(key->state, "Enabled");
  auto aws_managed =
      parse_describe_key(R"({"KeyMetadata":{"Arn":"arn:aws:kms:us-west-2:1:key/x","KeyManager":"AWS"}})");
  ASSERT_TRUE(aws_managed);
  EXPECT_FALSE(aws_managed->customer_managed());
}

TEST(Kms, UnreadableDescribeKeyRepliesAreRemoteErrors) {
  for (const char* bad :
       {"", "[]", "{}", R"({"KeyMetadata":"x"})", R"({"KeyMetadata":{"KeyManager":"AWS"}})"}) {
    auto r = parse_describe_key(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  }
}

TEST(Kms, BucketEncryptionNamesTheAlgorithmAndKey) {
  auto kms = parse_bucket_encryption(
      R"(<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>
    <KMSMasterKeyID>arn:aws:kms:us-east-1:1:key/k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault>
    <BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>)");
  ASSERT_TRUE(kms);
  EXPECT_EQ(kms->algorithm, "aws:kms");
  EXPECT_EQ(kms->kms_key_id, "arn:aws:kms:us-east-1:1:key/k1");
  auto sse_s3 = parse_bucket_encryption(R"(<ServerSideEncryptionConfiguration><Rule>
    <ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>
    </Rule></ServerSideEncryptionConfiguration>)");
  ASSERT_TRUE(sse_s3);
  EXPECT_EQ(sse_s3->algorithm, "AES256");
  EXPECT_EQ(sse_s3->kms_key_id, "");
  EXPECT_FALSE(parse_bucket_encryption("not xml"));
}

TEST(Kms, DescribeSecretNamesItsKey) {
  auto d = parse_describe_secret(R"({"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf","Name":"s",
    "KmsKeyId":"arn:aws:kms:us-east-1:1:key/k2"})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kms_key_id, "arn:aws:kms:us-east-1:1:key/k2");
  auto plain =
      parse_describe_secret(R"({"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf","Name":"s"})");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->kms_key_id, "");
}

}  // namespace
}  // namespace bw::aws
