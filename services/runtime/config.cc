#include "services/runtime/config.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#ifndef RELAIS_DEFAULT_CATALOGUE
#define RELAIS_DEFAULT_CATALOGUE ""
#endif

// Defaults come from ServerOptions' initialisers, so that tests building options by hand and
// processes reading flags agree.
ABSL_FLAG(std::string, listen_address, relais::ServerOptions().listen_address,
          "host:port the gRPC server listens on (each service has its own default).");
ABSL_FLAG(int32_t, max_message_bytes, relais::ServerOptions().max_message_bytes,
          "Largest gRPC message accepted or sent, in bytes.");
ABSL_FLAG(absl::Duration, keepalive_time, relais::ServerOptions().keepalive_time,
          "Idle time after which the server pings a client connection.");
ABSL_FLAG(absl::Duration, keepalive_timeout, relais::ServerOptions().keepalive_timeout,
          "How long the server waits for a keepalive ack before closing the connection.");
ABSL_FLAG(absl::Duration, drain_timeout, relais::ServerOptions().drain_timeout,
          "On shutdown, how long in-flight calls may take before they are cancelled.");
ABSL_FLAG(absl::Duration, health_probe_interval, relais::ServerOptions().health_probe_interval,
          "How often the health status is refreshed by pinging Redis.");
ABSL_FLAG(std::string, metrics_address, relais::ServerOptions().metrics_address,
          "host:port of the Prometheus /metrics endpoint; empty disables it.");
ABSL_FLAG(std::string, redis_host, relais::ServerOptions().redis.host, "Redis server host.");
ABSL_FLAG(int32_t, redis_port, relais::ServerOptions().redis.port, "Redis server port.");
ABSL_FLAG(std::string, redis_username, relais::ServerOptions().redis.username,
          "Redis ACL user; empty for the default user.");
ABSL_FLAG(std::string, redis_password_file, relais::ServerOptions().redis.password_file,
          "File holding the Redis password; empty for no AUTH.");
ABSL_FLAG(int32_t, redis_connections, relais::ServerOptions().redis.connections,
          "Maximum open connections to Redis.");
ABSL_FLAG(absl::Duration, redis_connect_timeout, relais::ServerOptions().redis.connect_timeout,
          "Timeout of one Redis connection attempt.");
ABSL_FLAG(absl::Duration, redis_command_timeout, relais::ServerOptions().redis.command_timeout,
          "Timeout of one Redis command.");
ABSL_FLAG(bool, redis_load_functions, relais::ServerOptions().redis.load_functions,
          "Development: load the Redis Functions at start and when Redis lost them (needs a "
          "Redis user allowed FUNCTION). Off: relais-redis-setup loads them at deployment.");
ABSL_FLAG(int32_t, executor_threads, relais::ServerOptions().executor_threads,
          "Threads that run RPC work (they block on Redis calls).");
ABSL_FLAG(int32_t, executor_queue_size, relais::ServerOptions().executor_queue_size,
          "Calls that may wait for an executor thread before new ones get RESOURCE_EXHAUSTED.");
ABSL_FLAG(std::string, catalogue_path, RELAIS_DEFAULT_CATALOGUE,
          "The resource catalogue (text protobuf).");
ABSL_FLAG(absl::Duration, idempotency_ttl, relais::ServerOptions().idempotency_ttl,
          "How long a request id is remembered so that a retried write does nothing twice.");
ABSL_FLAG(int64_t, event_log_max_length, relais::ServerOptions().event_log_max_length,
          "Approximate maximum length of each event stream.");
ABSL_FLAG(absl::Duration, audit_retention, relais::ServerOptions().audit_retention,
          "How long the audit trail keeps each change (e.g. 9600h, 400 days).");
ABSL_FLAG(std::string, token_public_key, "",
          "PEM public key (ES256) that verifies callers' tokens. Required unless "
          "--insecure_dev_identity.");
ABSL_FLAG(bool, insecure_dev_identity, false,
          "Development only: trust the x-relais-* identity headers; authenticates nobody.");
ABSL_FLAG(double, rate_limit_scale, relais::ServerOptions().rate_limit_scale,
          "Multiplies every role's per-principal calls-per-second budget; 0 turns the limit off.");
ABSL_FLAG(std::string, service_token, "",
          "File holding this service's own token, sent when it calls another service.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA that signs Relais certificates: verifies servers and callers' certificates.");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate (chain) of this process; empty: plaintext.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");

namespace relais {
namespace {

// absl's own flags (--flagfile, --fromenv, --help...) are not configuration of ours.
bool IsAbseilFlag(const absl::CommandLineFlag& flag) {
  const std::string file = flag.Filename();
  return absl::StartsWith(file, "absl/") || absl::StrContains(file, "/absl/");
}

std::string EnvironmentName(absl::string_view flag_name) {
  return absl::StrCat("RELAIS_", absl::AsciiStrToUpper(flag_name));
}

absl::Status CheckPositive(absl::Duration d, const char* name) {
  if (d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " must be positive, got ", absl::FormatDuration(d)));
  }
  return absl::OkStatus();
}

absl::Status CheckAtLeast(int64_t value, int64_t min, const char* name) {
  if (value < min) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " must be at least ", min, ", got ", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateServerOptions(const ServerOptions& o) {
  if (o.listen_address.empty()) return absl::InvalidArgumentError("listen_address is empty");
  for (absl::Status s : {
           CheckAtLeast(o.max_message_bytes, 1024, "max_message_bytes"),
           CheckPositive(o.keepalive_time, "keepalive_time"),
           CheckPositive(o.keepalive_timeout, "keepalive_timeout"),
           CheckPositive(o.drain_timeout, "drain_timeout"),
           CheckPositive(o.health_probe_interval, "health_probe_interval"),
           CheckAtLeast(o.executor_threads, 1, "executor_threads"),
           CheckAtLeast(o.executor_queue_size, 1, "executor_queue_size"),
           CheckAtLeast(o.redis.port, 1, "redis_port"),
           CheckAtLeast(o.redis.connections, 1, "redis_connections"),
           CheckPositive(o.redis.connect_timeout, "redis_connect_timeout"),
           CheckPositive(o.redis.command_timeout, "redis_command_timeout"),
           CheckPositive(o.idempotency_ttl, "idempotency_ttl"),
           CheckAtLeast(o.event_log_max_length, 1, "event_log_max_length"),
           CheckPositive(o.audit_retention, "audit_retention"),
       }) {
    if (!s.ok()) return s;
  }
  if (o.redis.port > 65535) return absl::InvalidArgumentError("redis_port must be at most 65535");
  return absl::OkStatus();
}

absl::Status ApplyEnvironmentToFlags() {
  std::vector<std::string> errors;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (IsAbseilFlag(*flag)) continue;
    const std::string variable = EnvironmentName(name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      errors.push_back(
          absl::StrCat(variable, "='", std::string(value).substr(0, 64), "': ", error));
    }
  }
  if (errors.empty()) return absl::OkStatus();
  std::sort(errors.begin(), errors.end());  // GetAllFlags has no stable order
  return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
}

std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv,
                                             const ServiceDefaults& defaults) {
  if (defaults.listen_address) absl::SetFlag(&FLAGS_listen_address, *defaults.listen_address);
  if (defaults.metrics_address) absl::SetFlag(&FLAGS_metrics_address, *defaults.metrics_address);
  if (absl::Status status = ApplyEnvironmentToFlags(); !status.ok()) {
    std::fprintf(stderr, "%s: bad configuration in the environment: %s\n",
                 argc > 0 ? argv[0] : "relais", std::string(status.message()).c_str());
    std::exit(2);
  }
  return absl::ParseCommandLine(argc, argv);
}

ServerOptions ServerOptionsFromFlags() {
  ServerOptions o;
  o.listen_address = absl::GetFlag(FLAGS_listen_address);
  o.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  o.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  o.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  o.drain_timeout = absl::GetFlag(FLAGS_drain_timeout);
  o.health_probe_interval = absl::GetFlag(FLAGS_health_probe_interval);
  o.metrics_address = absl::GetFlag(FLAGS_metrics_address);
  o.executor_threads = absl::GetFlag(FLAGS_executor_threads);
  o.executor_queue_size = absl::GetFlag(FLAGS_executor_queue_size);
  o.redis.host = absl::GetFlag(FLAGS_redis_host);
  o.redis.port = absl::GetFlag(FLAGS_redis_port);
  o.redis.username = absl::GetFlag(FLAGS_redis_username);
  o.redis.password_file = absl::GetFlag(FLAGS_redis_password_file);
  o.redis.connections = absl::GetFlag(FLAGS_redis_connections);
  o.redis.connect_timeout = absl::GetFlag(FLAGS_redis_connect_timeout);
  o.redis.command_timeout = absl::GetFlag(FLAGS_redis_command_timeout);
  o.redis.load_functions = absl::GetFlag(FLAGS_redis_load_functions);
  o.catalogue_path = absl::GetFlag(FLAGS_catalogue_path);
  o.idempotency_ttl = absl::GetFlag(FLAGS_idempotency_ttl);
  o.event_log_max_length = absl::GetFlag(FLAGS_event_log_max_length);
  o.audit_retention = absl::GetFlag(FLAGS_audit_retention);
  o.token_public_key_path = absl::GetFlag(FLAGS_token_public_key);
  o.insecure_dev_identity = absl::GetFlag(FLAGS_insecure_dev_identity);
  o.rate_limit_scale = absl::GetFlag(FLAGS_rate_limit_scale);
  o.service_token_path = absl::GetFlag(FLAGS_service_token);
  o.tls_ca = absl::GetFlag(FLAGS_tls_ca);
  o.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  o.tls_key = absl::GetFlag(FLAGS_tls_key);
  return o;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read secret file '", path, "'"));
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

}  // namespace relais
