// The body of every service's main(): signals, flags and environment, production settings, the
// service's server (built on ServiceCore), then serve until SIGTERM/SIGINT.
#pragma once

#include <cstdio>

#include "absl/synchronization/mutex.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/service_host.h"

namespace relais {

// `Server` has Create(ServerOptions, const Clock&, IdGenerator&), Start() and host().
template <class Server>
int RunServiceMain(int argc, char** argv, const char* name, const ServiceDefaults& defaults) {
  BlockTerminationSignals();  // first: threads started later inherit the mask
  ParseFlagsWithEnvironment(argc, argv, defaults);
  // Debian's Abseil is built with its debug lock-graph checks on; they cost ~10% per call
  // (docs/PERFORMANCE.md). Tests keep them.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SystemClock clock;
  RandomIdGenerator ids(clock);
  auto server = Server::Create(ServerOptionsFromFlags(), clock, ids);
  if (!server.ok()) {
    std::fprintf(stderr, "%s: %s\n", name, server.status().ToString().c_str());
    return 1;
  }
  if (auto started = (*server)->Start(); !started.ok()) {
    std::fprintf(stderr, "%s: %s\n", name, started.ToString().c_str());
    return 1;
  }
  return (*server)->host().WaitForTerminationSignal();
}

}  // namespace relais
