// Per-principal rate limits on the injected clock: one client over its budget is refused, the
// others are not, and budgets refill with time.
#include "services/runtime/rate_limiter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "services/runtime/clock.h"

namespace relais {
namespace {

using ::testing::HasSubstr;

Principal Person(const std::string& id, Role role) { return Principal{id, role, "", ""}; }

TEST(RateLimiter, AResponderOverTheirBudgetIsRefusedUntilItRefills) {
  FakeClock clock;
  RateLimiter limiter(1.0, clock);
  const Principal me = Person("person-rsp_1", Role::kResponder);
  const RoleBudget budget = BudgetOf(Role::kResponder);
  for (int i = 0; i < static_cast<int>(budget.burst); ++i) {
    ASSERT_TRUE(limiter.Admit(me).ok()) << "call " << i;
  }
  absl::Status refused = limiter.Admit(me);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  // 5 calls a second: the next one in 200 ms.
  EXPECT_THAT(refused.message(), HasSubstr("role responder"));
  EXPECT_THAT(refused.message(), HasSubstr("retry in 200 ms"));

  clock.Advance(absl::Milliseconds(199));
  EXPECT_FALSE(limiter.Admit(me).ok());
  clock.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(limiter.Admit(me).ok());
  EXPECT_FALSE(limiter.Admit(me).ok());
  // A quiet spell refills the whole burst, not more.
  clock.Advance(absl::Hours(1));
  for (int i = 0; i < static_cast<int>(budget.burst); ++i) ASSERT_TRUE(limiter.Admit(me).ok());
  EXPECT_FALSE(limiter.Admit(me).ok());
}

TEST(RateLimiter, OneClientOverItsBudgetDoesNotStarveTheOthers) {
  FakeClock clock;
  RateLimiter limiter(0.01, clock);  // coordinator: 0.5 calls/s, bursts of 5
  const Principal runaway = Person("coord-script", Role::kCoordinator);
  const Principal colleague = Person("coord-lyon", Role::kCoordinator);
  int admitted = 0;
  for (int i = 0; i < 100; ++i) admitted += limiter.Admit(runaway).ok() ? 1 : 0;
  EXPECT_EQ(admitted, 5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Admit(colleague).ok()) << "call " << i;
  // The same id in another role has its own budget.
  EXPECT_TRUE(limiter.Admit(Person("coord-script", Role::kDashboard)).ok());
}

TEST(RateLimiter, ServicesAndAScaleOfZeroAreNotLimited) {
  FakeClock clock;
  RateLimiter limiter(1.0, clock);
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(limiter.Admit(Person("svc-mobilisation", Role::kService)).ok());
  }
  RateLimiter off(0, clock);
  EXPECT_FALSE(off.enabled());
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(off.Admit(Person("r", Role::kResponder)).ok());
  // Every people's role has a budget.
  for (Role role :
       {Role::kCoordinator, Role::kOsiAdmin, Role::kResponder, Role::kDashboard, Role::kAdmin}) {
    EXPECT_GT(BudgetOf(role).calls_per_second, 0) << RoleName(role);
    EXPECT_GE(BudgetOf(role).burst, BudgetOf(role).calls_per_second) << RoleName(role);
  }
}

TEST(RateLimiter, ManyPrincipalsKeepMemoryBoundedWithoutForgettingTheBusyOnes) {
  FakeClock clock;
  RateLimiter limiter(0.1, clock, /*max_principals=*/3);  // responder: 0.5 calls/s, bursts of 5
  const Principal busy = Person("person-busy", Role::kResponder);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.Admit(busy).ok());
  EXPECT_FALSE(limiter.Admit(busy).ok());
  ASSERT_TRUE(limiter.Admit(Person("person-0", Role::kResponder)).ok());
  ASSERT_TRUE(limiter.Admit(Person("person-1", Role::kResponder)).ok());

  // 3 s later person-0 and person-1 have refilled (one call back in 2 s) and make room for a new
  // principal; the busy one has not refilled and is kept, with what it has earned since: 1.5 calls.
  clock.Advance(absl::Seconds(3));
  EXPECT_TRUE(limiter.Admit(Person("person-2", Role::kResponder)).ok());
  EXPECT_TRUE(limiter.Admit(busy).ok());
  EXPECT_FALSE(limiter.Admit(busy).ok()) << "forgotten and given a fresh burst";

  // A flood of new principals with nothing refilled: the table starts again rather than grow.
  for (int i = 3; i < 100; ++i) {
    EXPECT_TRUE(limiter.Admit(Person("person-" + std::to_string(i), Role::kResponder)).ok());
  }
}

}  // namespace
}  // namespace relais
