// gateway: the dashboard gateway. Serves the dashboard page and bridges the three services to the
// browser (JSON snapshots, Server-Sent Events). Flags, each also settable as RELAIS_<FLAG>:
// --http_address, --crisis_registry_address, --inventory_address, --mobilisation_address,
// --metrics_address, --service_token (its dashboard-role token), --insecure_dev_identity,
// --tls_ca/--tls_cert/--tls_key (its client certificate towards the services), --http_tls_cert/
// --http_tls_key (the HTTPS certificate browsers see), --token_public_key (verifies the tokens
// browsers sign in with). It has no Redis: the runtime's Redis flags are ignored.
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "services/gateway/server.h"
#include "services/runtime/config.h"
#include "services/runtime/logging.h"
#include "services/runtime/service_host.h"

ABSL_FLAG(std::string, http_address, "127.0.0.1:8080",
          "host:port the dashboard is served on (port 0: any free port)");
ABSL_FLAG(std::string, crisis_registry_address, "127.0.0.1:50051",
          "host:port of the crisis registry");
ABSL_FLAG(std::string, inventory_address, "127.0.0.1:50052", "host:port of the inventory");
// Separate from --tls_cert/--tls_key: browsers trust a public (or the organisation's) CA, the
// services trust the Relais CA; one certificate may serve both, as in the local stack.
ABSL_FLAG(std::string, http_tls_cert, "",
          "PEM certificate chain the dashboard is served with over HTTPS (required unless "
          "--insecure_dev_identity)");
ABSL_FLAG(std::string, http_tls_key, "", "PEM private key of --http_tls_cert");
ABSL_FLAG(std::string, mobilisation_address, "127.0.0.1:50053",
          "host:port of the mobilisation service");

int main(int argc, char** argv) {
  relais::BlockTerminationSignals();  // before any thread: only sigwait below receives them
  relais::ParseFlagsWithEnvironment(argc, argv, {.metrics_address = "127.0.0.1:9154"});
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  relais::gateway::GatewayOptions options;
  options.http_address = absl::GetFlag(FLAGS_http_address);
  options.backend.crisis_registry_address = absl::GetFlag(FLAGS_crisis_registry_address);
  options.backend.inventory_address = absl::GetFlag(FLAGS_inventory_address);
  options.backend.mobilisation_address = absl::GetFlag(FLAGS_mobilisation_address);
  const relais::ServerOptions common = relais::ServerOptionsFromFlags();
  options.metrics_address = common.metrics_address;
  // The gateway reads as the dashboard role: its token (--service_token) or, in development, the
  // headers; over TLS with its certificate when --tls_ca/--tls_cert/--tls_key are given.
  auto identity = relais::CallerIdentity::FromOptions(common, "svc-gateway", "dashboard");
  if (!identity.ok()) {
    std::fprintf(stderr, "gateway: %s\n", identity.status().ToString().c_str());
    return 1;
  }
  options.backend.identity = *std::move(identity);
  // Browsers: HTTPS and a sign-in with a token verified by --token_public_key.
  options.browser.tls.cert_path = absl::GetFlag(FLAGS_http_tls_cert);
  options.browser.tls.key_path = absl::GetFlag(FLAGS_http_tls_key);
  options.browser.insecure_dev = common.insecure_dev_identity;
  if (!common.token_public_key_path.empty()) {
    auto key = relais::ReadSecretFile(common.token_public_key_path);
    if (!key.ok()) {
      std::fprintf(stderr, "gateway: token_public_key: cannot read '%s': %s\n",
                   common.token_public_key_path.c_str(), key.status().ToString().c_str());
      return 1;
    }
    options.browser.token_public_key_pem = *std::move(key);
  }

  // Log lines go to stdout: the browser test reads http_port from the start line.
  relais::JsonLog log("gateway", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  auto server = relais::gateway::GatewayServer::Start(options, &log);
  if (!server.ok()) {
    std::fprintf(stderr, "gateway: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::fflush(stdout);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  sigwait(&signals, &received);
  log.Log(relais::LogLevel::kInfo, "stop",
          {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Stop();
  return 0;
}
