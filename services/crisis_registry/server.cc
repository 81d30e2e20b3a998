#include "services/crisis_registry/server.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace relais::crisis {

// Feeds the Redis client's errors and reconnects into the service's metrics.
class CrisisRegistryServer::RedisMetrics final : public RedisObserver {
 public:
  explicit RedisMetrics(Metrics& metrics) : metrics_(metrics) {}
  void OnCommandError(std::string_view kind) override { metrics_.OnRedisCommandError(kind); }
  void OnReconnect() override { metrics_.OnRedisReconnect(); }

 private:
  Metrics& metrics_;
};

CrisisRegistryServer::CrisisRegistryServer(const ServerOptions& options, Catalogue catalogue)
    : options_(options), catalogue_(std::move(catalogue)) {}

CrisisRegistryServer::~CrisisRegistryServer() {
  if (host_) host_->Shutdown();
}

absl::StatusOr<std::unique_ptr<CrisisRegistryServer>> CrisisRegistryServer::Create(
    const ServerOptions& options, const Clock& clock, IdGenerator& ids, ServiceHostSeams seams) {
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

  std::unique_ptr<CrisisRegistryServer> server(
      new CrisisRegistryServer(options, *std::move(catalogue)));
  CrisisRegistryServer* self = server.get();
  server->host_ = std::make_unique<ServiceHost>(
      options, "crisis_registry", [self] { return self->redis_->Ping(); }, std::move(seams));
  server->redis_metrics_ = std::make_unique<RedisMetrics>(server->host_->metrics());
  server->redis_ =
      std::make_unique<RedisClient>(redis_options, clock, server->redis_metrics_.get());
  server->committer_ = std::make_unique<Committer>(
      *server->redis_, CommitOptions{.idempotency_ttl = options.idempotency_ttl,
                                     .event_log_key = "relais:events",
                                     .event_log_max_len = options.event_log_max_length});
  server->store_ = std::make_unique<RedisCrisisStore>(*server->redis_, *server->committer_);
  server->registry_ = std::make_unique<Registry>(*server->store_, server->catalogue_, clock, ids);
  server->handler_ = std::make_unique<CrisisHandler>(*server->registry_, server->host_->runner());
  server->host_->AddService(server->handler_.get(),
                            relais::v1::CrisisRegistry::service_full_name());
  return server;
}

absl::Status CrisisRegistryServer::Start() {
  // Best effort: the committer loads the Functions again by itself if Redis comes up later
  // (or loses them), so a Redis outage at start-up is not fatal.
  if (auto loaded = committer_->LoadFunctions(); !loaded.ok()) {
    host_->log().Log(LogLevel::kWarning, "redis functions not loaded yet",
                     nlohmann::json{{"error", loaded.ToString()}});
  }
  host_->log().Log(LogLevel::kInfo, "catalogue loaded",
                   nlohmann::json{{"version", std::string(catalogue_.version())},
                                  {"path", options_.catalogue_path}});
  return host_->Start();
}

}  // namespace relais::crisis
