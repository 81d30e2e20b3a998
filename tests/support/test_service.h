// How the integration tests start a service: port 0, no metrics endpoint, health probed only
// when a test asks (ProbeNow), the real catalogue, logs discarded.
#pragma once

#include <spdlog/sinks/null_sink.h>

#include <memory>

#include "absl/time/time.h"
#include "services/runtime/config.h"
#include "services/runtime/service_host.h"

namespace relais::testing {

inline ServerOptions TestServiceOptions(int redis_port, int threads = 4) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.metrics_address = "";
  options.health_probe_interval = absl::Hours(1);  // tests probe explicitly
  options.executor_threads = threads;
  options.redis.port = redis_port;
  options.redis.connections = threads;
  options.catalogue_path = RELAIS_SOURCE_DIR "/deploy/catalogue.textproto";
  return options;
}

inline ServiceHostSeams QuietSeams() {
  ServiceHostSeams seams;
  seams.log_sink = std::make_shared<spdlog::sinks::null_sink_mt>();
  return seams;
}

}  // namespace relais::testing
