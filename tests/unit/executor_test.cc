// The Executor: bounded queue (Submit refuses when full), parallel workers, and a Shutdown that
// runs what was queued before it joins.
#include "services/runtime/executor.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace relais {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(10);

TEST(Executor, RunsEverySubmittedTask) {
  std::atomic<int> ran{0};
  Executor executor(3, 100);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(executor.Submit([&] { ran.fetch_add(1); }));
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 50);
}

TEST(Executor, RunsTasksInParallel) {
  // Each task waits for the other to start: with one worker only, neither would see it.
  Executor executor(2, 10);
  absl::Notification first_started, second_started;
  std::atomic<int> saw_the_other{0};
  auto task = [&](absl::Notification* mine, absl::Notification* other) {
    mine->Notify();
    if (other->WaitForNotificationWithTimeout(kPatience)) saw_the_other.fetch_add(1);
  };
  ASSERT_TRUE(executor.Submit([&] { task(&first_started, &second_started); }));
  ASSERT_TRUE(executor.Submit([&] { task(&second_started, &first_started); }));
  executor.Shutdown();
  EXPECT_EQ(saw_the_other.load(), 2);
}

TEST(Executor, RefusesWhenTheQueueIsFull) {
  Executor executor(1, 2);
  absl::Notification started, release;
  std::atomic<int> ran{0};
  ASSERT_TRUE(executor.Submit([&] {
    started.Notify();
    release.WaitForNotification();
    ran.fetch_add(1);
  }));
  ASSERT_TRUE(started.WaitForNotificationWithTimeout(kPatience));
  // The worker is busy: two tasks fit in the queue, the third does not.
  EXPECT_TRUE(executor.Submit([&] { ran.fetch_add(1); }));
  EXPECT_TRUE(executor.Submit([&] { ran.fetch_add(1); }));
  EXPECT_EQ(executor.queued(), 2u);
  EXPECT_FALSE(executor.Submit([&] { ran.fetch_add(100); }));
  release.Notify();
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 3);
}

TEST(Executor, ShutdownRunsWhatIsQueuedThenRefusesNewWork) {
  Executor executor(1, 10);
  absl::Notification release;
  std::atomic<int> ran{0};
  ASSERT_TRUE(executor.Submit([&] {
    release.WaitForNotification();
    ran.fetch_add(1);
  }));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(executor.Submit([&] { ran.fetch_add(1); }));
  release.Notify();
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 6);
  EXPECT_FALSE(executor.Submit([&] { ran.fetch_add(1); }));
  executor.Shutdown();  // idempotent
  EXPECT_EQ(ran.load(), 6);
}

TEST(Executor, AtLeastOneWorker) {
  Executor executor(0, 1);
  absl::Notification ran;
  ASSERT_TRUE(executor.Submit([&] { ran.Notify(); }));
  EXPECT_TRUE(ran.WaitForNotificationWithTimeout(kPatience));
}

}  // namespace
}  // namespace relais
