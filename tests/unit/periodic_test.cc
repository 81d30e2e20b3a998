// PeriodicTask: runs at once, again at once while the task says there is more, and Stop() wakes
// it from a long wait. No sleeps: the test waits on notifications the task sends.
#include "services/runtime/periodic.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/notification.h"

namespace relais {
namespace {

TEST(PeriodicTask, RunsBackToBackWhileThereIsMoreThenWaitsAndStopsPromptly) {
  std::atomic<int> runs = 0;
  absl::Notification caught_up;
  PeriodicTask task("sweep", absl::Hours(1), [&] {
    const int n = ++runs;
    if (n == 3) caught_up.Notify();
    return n < 3;  // a backlog of three batches, then nothing left
  });
  task.Start();
  caught_up.WaitForNotification();
  // Waiting an hour for the next run: Stop() must not wait for it.
  task.Stop();
  EXPECT_EQ(runs.load(), 3);
  task.Stop();  // idempotent
}

TEST(PeriodicTask, StopWithoutStartAndStartAfterStopDoNothing) {
  std::atomic<int> runs = 0;
  PeriodicTask task("idle", absl::Milliseconds(1), [&] {
    ++runs;
    return false;
  });
  task.Stop();
  task.Start();
  task.Stop();
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace relais
