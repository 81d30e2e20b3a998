// Background work a service does on its own, on a schedule: sweeping expired holds, past
// availability periods, due deadlines. One thread per task, started and stopped by the server.
// The task itself reads the injected clock; tests call the task's function directly with a
// FakeClock instead of running the thread (no test waits on this timer).
#pragma once

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace relais {

class PeriodicTask {
 public:
  // `run` returns true when it should run again at once (it stopped at its batch limit with more
  // left to do), false to wait `interval`.
  PeriodicTask(std::string name, absl::Duration interval, std::function<bool()> run);
  ~PeriodicTask();  // Stop()

  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();
  // Waits for a run in progress to finish; idempotent.
  void Stop();

  const std::string& name() const { return name_; }

 private:
  void Loop();

  const std::string name_;
  const absl::Duration interval_;
  const std::function<bool()> run_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace relais
