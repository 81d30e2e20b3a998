// How the integration tests start a service: port 0, no metrics endpoint, health probed only
// when a test asks (ProbeNow), the real catalogue, logs discarded.
#pragma once

#include <spdlog/sinks/null_sink.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/runtime/config.h"
#include "services/runtime/redis/redis_acl.h"
#include "services/runtime/service_host.h"
#include "tests/support/redis_server.h"

namespace relais::testing {

inline ServerOptions TestServiceOptions(int redis_port, int threads = 4) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.metrics_address = "";
  options.health_probe_interval = absl::Hours(1);  // tests probe explicitly
  options.executor_threads = threads;
  options.redis.port = redis_port;
  options.redis.connections = threads;
  // The default user and no relais-redis-setup: the service loads its Functions, as in
  // development. The overload below runs it as deployed.
  options.redis.load_functions = true;
  options.catalogue_path = RELAIS_SOURCE_DIR "/deploy/catalogue.textproto";
  // A FakeClock that tests move only when they mean to would never refill a budget; the rate
  // limit has its own tests.
  options.rate_limit_scale = 0;
  // Tests name their caller with x-relais-* headers; the token tests set a key instead.
  options.insecure_dev_identity = true;
  return options;
}

// As deployed: `service` ("inventory") connects as its own Redis ACL user (redis_acl.h) with its
// password file, to a server from RedisServer::StartWithServiceUsers(), and loads no Functions
// (the setup did). A command outside its ACL fails the test's calls with NOPERM.
inline ServerOptions TestServiceOptions(const RedisServer& redis, const std::string& service,
                                        int threads = 4) {
  ServerOptions options = TestServiceOptions(redis.port(), threads);
  const ServiceRedisAcl* acl = FindServiceRedisAcl(service);
  if (acl == nullptr || !redis.has_service_users()) {
    std::fprintf(stderr, "tests: no Redis ACL user for '%s' on this server\n", service.c_str());
    std::abort();
  }
  options.redis.username = acl->user;
  options.redis.password_file = redis.PasswordFile(acl->user);
  options.redis.load_functions = false;
  return options;
}

inline ServiceHostSeams QuietSeams() {
  ServiceHostSeams seams;
  seams.log_sink = std::make_shared<spdlog::sinks::null_sink_mt>();
  return seams;
}

}  // namespace relais::testing
