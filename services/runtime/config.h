// Configuration of a service process: absl flags, each also settable through the environment as
// RELAIS_<FLAG_NAME_IN_CAPITALS> (e.g. RELAIS_REDIS_HOST). The command line wins over the
// environment, which wins over the service's defaults, which win over the flag defaults.
//
// A service main:
//   int main(int argc, char** argv) {
//     relais::BlockTerminationSignals();  // service_host.h; before any thread starts
//     relais::ParseFlagsWithEnvironment(argc, argv, {.listen_address = "127.0.0.1:50051",
//                                                    .metrics_address = "127.0.0.1:9151"});
//     relais::ServerOptions options = relais::ServerOptionsFromFlags();
//     ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace relais {

// Where and how to reach Redis. The lead's RedisClient takes its own RedisOptions; the password
// is read from a file so that it never shows in `ps` or in the environment.
struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;       // empty: the default user
  std::string password_file;  // empty: no AUTH
  // As many as executor threads, so a worker never waits for a connection.
  int connections = 8;
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(500);
  // Development and tests: the service loads the Redis Functions itself (and again when Redis
  // lost them). Off by default: relais-redis-setup loads them at deployment, as an administrative
  // user, and a service whose Functions are missing answers UNAVAILABLE and is NOT_SERVING.
  bool load_functions = false;
};

// Everything a service process needs to start. The member initialisers are the flag defaults.
struct ServerOptions {
  // host:port; port 0 picks a free port (tests).
  std::string listen_address = "127.0.0.1:50051";
  int max_message_bytes = 4 * 1024 * 1024;
  // Server-side keepalive pings on idle connections, and how long to wait for the ack.
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
  // On SIGTERM: how long in-flight calls may take to finish before they are cancelled.
  absl::Duration drain_timeout = absl::Seconds(10);
  absl::Duration health_probe_interval = absl::Seconds(5);
  // host:port of the Prometheus endpoint; empty: none.
  std::string metrics_address = "127.0.0.1:9464";
  // Threads that run RPC work (they block on Redis), and calls that may wait for one.
  int executor_threads = 8;
  int executor_queue_size = 1000;

  RedisSettings redis;
  // How callers are authenticated. One of the two must be set, or the service refuses to start.
  // PEM public key (ES256) that verifies callers' tokens (`relaisctl admin issue-token`).
  std::string token_public_key_path;
  // Development only: trust x-relais-* headers instead of tokens. Logged loudly at start-up.
  bool insecure_dev_identity = false;
  // Multiplies every role's calls-per-second budget (rate_limiter.h); 0: no rate limit.
  double rate_limit_scale = 1.0;
  // This service's own token, sent when it calls another service; empty: none (dev identity).
  std::string service_token_path;
  // TLS (PEM paths; all empty: plaintext, development only). The certificate serves callers and
  // is presented as the client certificate when this service calls another (mutual TLS).
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  // Flag default: the catalogue of the source tree (RELAIS_DEFAULT_CATALOGUE at build time).
  std::string catalogue_path;
  // How long a request id is remembered, so that a retried write does nothing twice.
  absl::Duration idempotency_ttl = absl::Hours(24 * 7);
  // Approximate cap on each event stream (XADD MAXLEN ~).
  int64_t event_log_max_length = 500000;
  // How long the audit trail keeps a change (issue #6): 400 days, a year and a month of margin
  // for the yearly review of who did what. The live feed is trimmed by length and forgets sooner.
  absl::Duration audit_retention = absl::Hours(24 * 400);
};

// INVALID_ARGUMENT naming the first bad field.
absl::Status ValidateServerOptions(const ServerOptions& options);

// Per-service defaults, applied before the environment and the command line.
struct ServiceDefaults {
  std::optional<std::string> listen_address;
  std::optional<std::string> metrics_address;  // "" = no metrics endpoint by default
};

// Applies `defaults`, then RELAIS_* variables, then parses the command line (absl exits on a
// bad command-line flag). A bad environment value prints every offending variable and exits
// with status 2. Returns the positional arguments (argv[0] first).
std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv,
                                             const ServiceDefaults& defaults = {});

// The environment step alone: for every flag our code defines (absl's own are skipped), parses
// RELAIS_<NAME> when set. INVALID_ARGUMENT listing every bad variable; flags with good values
// are still applied.
absl::Status ApplyEnvironmentToFlags();

// The common flags' current values.
ServerOptions ServerOptionsFromFlags();

// The content of a secret file (a password), without its trailing newline.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace relais
