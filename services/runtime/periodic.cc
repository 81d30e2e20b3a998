#include "services/runtime/periodic.h"

#include <utility>

namespace relais {
namespace {

// Back-to-back runs (a backlog) still yield now and then so Stop() is never kept waiting long.
constexpr int kMaxBackToBackRuns = 100;

}  // namespace

PeriodicTask::PeriodicTask(std::string name, absl::Duration interval, std::function<bool()> run)
    : name_(std::move(name)), interval_(interval), run_(std::move(run)) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  int back_to_back = 0;
  while (true) {
    const bool more = run_();
    back_to_back = more ? back_to_back + 1 : 0;
    const absl::Duration wait =
        more && back_to_back < kMaxBackToBackRuns ? absl::ZeroDuration() : interval_;
    absl::MutexLock lock(&mu_);
    // Wakes at once when Stop() sets stopping_.
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), wait);
    if (stopping_) return;
    if (more && back_to_back >= kMaxBackToBackRuns) back_to_back = 0;
  }
}

}  // namespace relais
