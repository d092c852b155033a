#include "deploy/stack_state.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

TEST(StackState, ClassifiesWhatDeployMayDo) {
  EXPECT_EQ(classify_stack_status(""), StackPhase::kAbsent);
  EXPECT_EQ(classify_stack_status("REVIEW_IN_PROGRESS"), StackPhase::kAbsent);  // a never-run change set
  EXPECT_EQ(classify_stack_status("CREATE_COMPLETE"), StackPhase::kStable);
  EXPECT_EQ(classify_stack_status("UPDATE_ROLLBACK_COMPLETE"), StackPhase::kStable);
  EXPECT_EQ(classify_stack_status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), StackPhase::kBusy);
  EXPECT_EQ(classify_stack_status("CREATE_IN_PROGRESS"), StackPhase::kBusy);
  EXPECT_EQ(classify_stack_status("ROLLBACK_COMPLETE"), StackPhase::kDeadCreate);
  EXPECT_EQ(classify_stack_status("UPDATE_ROLLBACK_FAILED"), StackPhase::kStuck);
}

TEST(StackState, AFailedFirstCreateIsRefusedWithTheDestroyCommand) {
  auto r = check_deployable("bw", "ROLLBACK_COMPLETE", "us-east-1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("ROLLBACK_COMPLETE"), std::string::npos);
  EXPECT_NE(r.error().suggestion.find("benchling-webhook destroy --stack-name bw"), std::string::npos);
}

TEST(StackState, AStuckRollbackNamesContinueUpdateRollback) {
  auto r = check_deployable("bw", "UPDATE_ROLLBACK_FAILED", "eu-west-1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().suggestion.find("continue-update-rollback --region eu-west-1 --stack-name bw"),
            std::string::npos);
}

TEST(StackState, BusyStacksAreNeitherDeployedNorDestroyed) {
  EXPECT_FALSE(check_deployable("bw", "UPDATE_IN_PROGRESS", "us-east-1"));
  EXPECT_FALSE(check_destroyable("bw", "UPDATE_IN_PROGRESS"));
  EXPECT_TRUE(check_destroyable("bw", "ROLLBACK_COMPLETE"));
  EXPECT_TRUE(check_destroyable("bw", "UPDATE_ROLLBACK_FAILED"));
}

TEST(StackState, OnlyCompletesAreSuccess) {
  EXPECT_TRUE(is_success_status("CREATE_COMPLETE"));
  EXPECT_TRUE(is_success_status("UPDATE_COMPLETE"));
  EXPECT_FALSE(is_success_status("UPDATE_ROLLBACK_COMPLETE"));
  EXPECT_FALSE(is_success_status("ROLLBACK_COMPLETE"));
  EXPECT_TRUE(is_terminal_status("ROLLBACK_COMPLETE"));
  EXPECT_FALSE(is_terminal_status("UPDATE_ROLLBACK_IN_PROGRESS"));
}

}  // namespace
}  // namespace bw::deploy
