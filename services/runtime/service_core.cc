#include "services/runtime/service_core.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/runtime/token_auth.h"

namespace relais {

// Feeds the Redis client's errors and reconnects into the service's metrics.
class ServiceCore::RedisMetrics final : public RedisObserver {
 public:
  explicit RedisMetrics(Metrics& metrics) : metrics_(metrics) {}
  void OnCommandError(std::string_view kind) override { metrics_.OnRedisCommandError(kind); }
  void OnReconnect() override { metrics_.OnRedisReconnect(); }

 private:
  Metrics& metrics_;
};

ServiceCore::ServiceCore(const ServerOptions& options, Catalogue catalogue)
    : options_(options), catalogue_(std::move(catalogue)) {}

ServiceCore::~ServiceCore() {
  if (host_) host_->Shutdown();
}

absl::StatusOr<std::unique_ptr<ServiceCore>> ServiceCore::Create(const ServerOptions& options,
                                                                 std::string service_name,
                                                                 const Clock& clock,
                                                                 ServiceHostSeams seams) {
  if (auto status = ValidateServerOptions(options); !status.ok()) return status;
  auto catalogue = Catalogue::LoadFile(options.catalogue_path);
  if (!catalogue.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("catalogue ", options.catalogue_path, ": ", catalogue.status().message()));
  }
  RedisOptions redis_options;
  redis_options.host = options.redis.host;
  redis_options.port = options.redis.port;
  redis_options.connections = options.redis.connections;
  redis_options.connect_timeout = options.redis.connect_timeout;
  redis_options.command_timeout = options.redis.command_timeout;
  redis_options.username = options.redis.username;
  if (!options.redis.password_file.empty()) {
    auto password = ReadSecretFile(options.redis.password_file);
    if (!password.ok()) return password.status();
    redis_options.password = *std::move(password);
  }

  if (seams.principal_resolver == nullptr) {
    auto resolver = MakePrincipalResolver(options, clock);
    if (!resolver.ok()) return resolver.status();
    seams.principal_resolver = *std::move(resolver);
  }
  if (seams.rate_limiter == nullptr && options.rate_limit_scale > 0) {
    seams.rate_limiter = std::make_unique<RateLimiter>(options.rate_limit_scale, clock);
  }

  std::unique_ptr<ServiceCore> core(new ServiceCore(options, *std::move(catalogue)));
  ServiceCore* self = core.get();
  // Ready when Redis answers and the Functions are loaded (relais-redis-setup's job).
  core->host_ = std::make_unique<ServiceHost>(
      options, std::move(service_name), [self] { return self->committer_->CheckReady(); },
      std::move(seams));
  core->redis_metrics_ = std::make_unique<RedisMetrics>(core->host_->metrics());
  core->redis_ = std::make_unique<RedisClient>(redis_options, clock, core->redis_metrics_.get());
  core->committer_ = std::make_unique<Committer>(
      *core->redis_, CommitOptions{.idempotency_ttl = options.idempotency_ttl,
                                   .event_log_key = "relais:events",
                                   .event_log_max_len = options.event_log_max_length,
                                   .audit_retention = options.audit_retention,
                                   .load_functions = options.redis.load_functions});
  return core;
}

absl::Status ServiceCore::Start() {
  // Otherwise relais-redis-setup loaded them; the first probe (health) tells if it did.
  if (options_.redis.load_functions) {
    if (auto loaded = committer_->LoadFunctions(); !loaded.ok()) {
      host_->log().Log(LogLevel::kWarning, "redis functions not loaded yet",
                       nlohmann::json{{"error", loaded.ToString()}});
    }
  }
  host_->log().Log(LogLevel::kInfo, "catalogue loaded",
                   nlohmann::json{{"version", std::string(catalogue_.version())},
                                  {"path", options_.catalogue_path}});
  return host_->Start();
}

}  // namespace relais
