#include "services/runtime/health.h"

#include <utility>

namespace relais {

HealthProber::HealthProber(Probe probe, Report report, absl::Duration interval)
    : probe_(std::move(probe)), report_(std::move(report)), interval_(interval) {}

HealthProber::~HealthProber() { Stop(); }

void HealthProber::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

absl::Status HealthProber::ProbeNow() {
  absl::MutexLock lock(&probe_mu_);
  if (stopped_) return absl::UnavailableError("health prober stopped");
  absl::Status status = probe_();
  report_(status);
  return status;
}

void HealthProber::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&probe_mu_);  // waits for an on-demand probe in progress
  stopped_ = true;
}

void HealthProber::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      // Real time: this paces the probe, no domain decision depends on it.
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
    }
    ProbeNow().IgnoreError();  // reported through report_
  }
}

}  // namespace relais
