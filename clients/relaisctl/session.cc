#include "clients/relaisctl/session.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_format.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/output.h"
#include "services/runtime/tls.h"

namespace relais::cli {
namespace {

// Set by the SIGINT handler a live view installs; only this is async-signal-safe to write.
volatile std::sig_atomic_t g_interrupted = 0;

}  // namespace

Environment SystemEnvironment() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  env.connect = [](const std::string& target) -> std::shared_ptr<grpc::ChannelInterface> {
    return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  };
  env.connect_tls = [](const std::string& target,
                       const std::string& ca_file) -> std::shared_ptr<grpc::ChannelInterface> {
    auto credentials = ChannelCredentialsFor(TlsFiles{.ca = ca_file});
    // Checked readable before the session started; a file that vanished since fails the call
    // with UNAVAILABLE like an unreachable server rather than falling back to plaintext.
    if (!credentials.ok()) credentials = grpc::SslCredentials(grpc::SslCredentialsOptions());
    return grpc::CreateChannel(target, *credentials);
  };
  env.now = [] { return absl::Now(); };
  env.new_request_id = [] { return NewUuidV4(); };
  env.sleep = [](absl::Duration d) {
    // In slices, so that Ctrl-C in a live view does not wait out a back-off.
    const absl::Time until = absl::Now() + d;
    for (absl::Time now = absl::Now(); now < until && g_interrupted == 0; now = absl::Now()) {
      std::this_thread::sleep_for(
          absl::ToChronoNanoseconds(std::min(until - now, absl::Milliseconds(50))));
    }
  };
  env.out = &std::cout;
  env.err = &std::cerr;
  env.catch_interrupts = [] {
    struct sigaction action = {};
    // A second Ctrl-C is the usual one: if the view does not stop, the user still can.
    action.sa_handler = [](int signal) {
      if (g_interrupted != 0) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
      }
      g_interrupted = 1;
    };
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
  };
  env.interrupted = [] { return g_interrupted != 0; };
  env.err_is_terminal = [] { return isatty(STDERR_FILENO) != 0; };
  return env;
}

std::string NewUuidV4() {
  std::random_device device;  // the OS's entropy, good enough for an idempotency key
  unsigned char bytes[16];
  for (size_t i = 0; i < sizeof(bytes); i += 4) {
    const uint32_t word = device();
    for (size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string uuid;
  for (size_t i = 0; i < sizeof(bytes); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
    uuid += absl::StrFormat("%02x", bytes[i]);
  }
  return uuid;
}

Session::Session(const Environment& env, CallSettings settings, std::string command)
    : env_(env), settings_(std::move(settings)), command_(std::move(command)) {}

std::shared_ptr<grpc::ChannelInterface> Session::Channel() {
  if (!channel_) {
    channel_ = settings_.tls_ca.empty() || !env_.connect_tls
                   ? env_.connect(settings_.target)
                   : env_.connect_tls(settings_.target, settings_.tls_ca);
  }
  return channel_;
}

Session Session::WithTarget(const std::string& target) const {
  CallSettings settings = settings_;
  settings.target = target;
  return Session(env_, std::move(settings), command_);
}

grpc::Status Session::Call(const std::function<grpc::Status(grpc::ClientContext&)>& rpc) {
  return CallWithRetry(settings_.retry, env_.sleep, [&] {
    // A ClientContext serves one call only.
    grpc::ClientContext context;
    Prepare(context, /*deadline=*/true);
    return rpc(context);
  });
}

grpc::Status Session::CallFor(const std::string& organisation,
                              const std::function<grpc::Status(grpc::ClientContext&)>& rpc) {
  return CallWithRetry(settings_.retry, env_.sleep, [&] {
    grpc::ClientContext context;
    Prepare(context, /*deadline=*/true, &organisation);
    return rpc(context);
  });
}

void Session::Prepare(grpc::ClientContext& context, bool deadline,
                      const std::string* organisation) const {
  if (deadline) {
    // Deadlines run on the real clock: env_.now only dates what the user declares.
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             absl::ToChronoNanoseconds(settings_.timeout)));
  }
  if (!settings_.token.empty()) {
    // The token says who the caller is and for which organisation. An import by the admin names
    // the organisation of each record (the server accepts it from the admin role only).
    context.AddMetadata("authorization", "Bearer " + settings_.token);
    if (organisation != nullptr && *organisation != settings_.organisation) {
      context.AddMetadata("x-relais-on-behalf-of", *organisation);
    }
    return;
  }
  if (!settings_.principal.empty()) context.AddMetadata("x-relais-principal", settings_.principal);
  if (!settings_.role.empty()) context.AddMetadata("x-relais-role", settings_.role);
  const std::string& acting_for = organisation ? *organisation : settings_.organisation;
  if (!acting_for.empty()) context.AddMetadata("x-relais-organisation", acting_for);
  if (!settings_.responder.empty()) {
    context.AddMetadata("x-relais-responder", settings_.responder);
  }
}

void Session::CatchInterrupts() const {
  if (env_.catch_interrupts) env_.catch_interrupts();
}

bool Session::Interrupted() const { return env_.interrupted && env_.interrupted(); }

int Session::Finish(const grpc::Status& status, const google::protobuf::Message& response,
                    const std::function<std::string()>& human, CallKind kind) {
  if (status.ok()) {
    out() << (settings_.json ? ToJson(response) : human());
    return kExitOk;
  }
  std::string line =
      Say(Msg::kErrorLine, StatusCodeName(status.error_code()), status.error_message());
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    line += Say(Msg::kErrorServerHint, settings_.target);
  }
  if (kind == CallKind::kWrite && IsRetryable(status.error_code())) {
    line += Say(Msg::kErrorRetryHint, "--request-id " + settings_.request_id);
  }
  err() << line << "\n";
  return ExitCodeFor(status);
}

int Session::UsageError(const std::string& message) {
  err() << Say(Msg::kUsageLine, message) << "\n" << Say(Msg::kUsageHint, command_) << "\n";
  return kExitUsage;
}

}  // namespace relais::cli
