// Readiness: a service is SERVING only while what it depends on (Redis) answers. A HealthProber
// runs a probe every `interval` on its own thread and on demand, and reports each result; the
// ServiceHost turns results into grpc.health.v1 statuses.
#pragma once

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace relais {

class HealthProber {
 public:
  using Probe = std::function<absl::Status()>;
  // Called after every probe with its result; never concurrently with itself.
  using Report = std::function<void(const absl::Status&)>;

  HealthProber(Probe probe, Report report, absl::Duration interval);
  ~HealthProber();  // Stop()

  HealthProber(const HealthProber&) = delete;
  HealthProber& operator=(const HealthProber&) = delete;

  // Starts the periodic thread (the first probe runs after one interval: call ProbeNow() first
  // for an immediate status).
  void Start();
  // Runs the probe on the calling thread and reports; returns its result.
  absl::Status ProbeNow();
  // Stops the thread; no report happens after Stop() returns. Idempotent.
  void Stop();

 private:
  void Loop();

  const Probe probe_;
  const Report report_;
  const absl::Duration interval_;
  // Serialises probes (periodic and on demand) so reports arrive in probe order.
  absl::Mutex probe_mu_;
  bool stopped_ ABSL_GUARDED_BY(probe_mu_) = false;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace relais
