// crisis_registry: the crisis registry service. Flags (or RELAIS_* environment variables):
// see services/runtime/config.h; --helpfull lists them.
#include <cstdio>

#include "absl/synchronization/mutex.h"
#include "services/crisis_registry/server.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/service_host.h"

int main(int argc, char** argv) {
  relais::BlockTerminationSignals();
  // Debian's Abseil is built with its debug lock-graph checks on; they cost ~10% per call
  // (docs/PERFORMANCE.md). Tests keep them.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  relais::ParseFlagsWithEnvironment(
      argc, argv, {.listen_address = "127.0.0.1:50051", .metrics_address = "127.0.0.1:9151"});
  relais::SystemClock clock;
  relais::RandomIdGenerator ids(clock);
  auto server =
      relais::crisis::CrisisRegistryServer::Create(relais::ServerOptionsFromFlags(), clock, ids);
  if (!server.ok()) {
    std::fprintf(stderr, "crisis_registry: %s\n", server.status().ToString().c_str());
    return 1;
  }
  if (auto started = (*server)->Start(); !started.ok()) {
    std::fprintf(stderr, "crisis_registry: %s\n", started.ToString().c_str());
    return 1;
  }
  return (*server)->host().WaitForTerminationSignal();
}
