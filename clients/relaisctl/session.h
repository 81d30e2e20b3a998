// One run of relaisctl once its command line is parsed: where to call, as whom, how to print.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "clients/relaisctl/retry.h"

namespace grpc {
class ChannelInterface;
class ClientContext;
}  // namespace grpc

namespace relais::cli {

// Everything a run takes from the outside world. SystemEnvironment() is the real one; tests pass
// an in-process channel, a fixed clock and request id, a sleep that only records, string streams.
struct Environment {
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  std::function<std::shared_ptr<grpc::ChannelInterface>(const std::string& target)> connect;
  // Over TLS, verifying the server with the CA in `ca_file` (--tls-ca, RELAIS_TLS_CA). Empty
  // (tests): `connect` is used.
  std::function<std::shared_ptr<grpc::ChannelInterface>(const std::string& target,
                                                        const std::string& ca_file)>
      connect_tls;
  std::function<absl::Time()> now;
  std::function<std::string()> new_request_id;
  std::function<void(absl::Duration)> sleep;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Live views (watch verbs) stop cleanly on Ctrl-C: catch_interrupts turns SIGINT into a flag
  // that interrupted reads. Either may be empty (never interrupted).
  std::function<void()> catch_interrupts;
  std::function<bool()> interrupted;
  // Whether stderr is a terminal (progress lines that rewrite themselves); empty means no.
  std::function<bool()> err_is_terminal;
};

Environment SystemEnvironment();

// A random UUID version 4, e.g. "0f8c3b9e-6a1d-4c2e-9b7a-2f4d8e1c5a63".
std::string NewUuidV4();

// The global flags, resolved against the environment for the chosen noun's service.
struct CallSettings {
  std::string target;
  // Where every service of relaisctl listens in this run, by its environment variable (e.g.
  // "RELAIS_MOBILISATION_ADDR"): a verb that gathers from several services (responder export)
  // calls each where the user said it is.
  std::map<std::string, std::string> targets;
  // Sent as x-relais-principal / x-relais-role / x-relais-organisation / x-relais-responder
  // when not empty (the development identity seam).
  std::string principal;
  std::string role;
  std::string organisation;
  std::string responder;
  // The caller's signed token (--token-file, RELAIS_TOKEN_FILE, RELAIS_TOKEN). When set it is
  // sent as `authorization: Bearer` and the development headers above are not sent.
  std::string token;
  // The CA that signs the servers' certificates; empty: plaintext (development stacks).
  std::string tls_ca;
  // Deadline of each attempt.
  absl::Duration timeout = absl::Seconds(10);
  // Carried by every write of this run, and by each of its retries.
  std::string request_id;
  bool json = false;
  RetryPolicy retry;
};

enum class CallKind { kRead, kWrite };

class Session {
 public:
  // `command` names the verb for usage hints, e.g. "relaisctl crisis update".
  Session(const Environment& env, CallSettings settings, std::string command);

  const CallSettings& settings() const { return settings_; }
  absl::Time Now() const { return env_.now(); }
  std::optional<std::string> Getenv(const std::string& name) const { return env_.getenv(name); }
  std::ostream& out() { return *env_.out; }
  std::ostream& err() { return *env_.err; }

  // Connects on first use.
  std::shared_ptr<grpc::ChannelInterface> Channel();

  // The same caller, settings and outputs, calling `target` on its own channel.
  Session WithTarget(const std::string& target) const;

  // Runs one RPC with retries; each attempt gets a fresh context with the deadline and identity.
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext&)>& rpc);
  // The same, sent for `organisation` (x-relais-organisation) instead of the run's own: an
  // admin's import writes each row for the organisation it names.
  grpc::Status CallFor(const std::string& organisation,
                       const std::function<grpc::Status(grpc::ClientContext&)>& rpc);
  bool ErrIsTerminal() const { return env_.err_is_terminal && env_.err_is_terminal(); }

  // The identity metadata on a context and, with `deadline`, the deadline of one attempt. A
  // stream that lives as long as the user watches gets no deadline.
  void Prepare(grpc::ClientContext& context, bool deadline,
               const std::string* organisation = nullptr) const;

  // Waits between reconnections of a live view (recorded by tests).
  void Sleep(absl::Duration duration) { env_.sleep(duration); }

  // Ctrl-C stops a live view from now on; Interrupted says whether it was pressed.
  void CatchInterrupts() const;
  bool Interrupted() const;

  // After a call: prints the response (JSON with --json, else `human()`) or the error line;
  // returns the exit code. A write whose outcome is unknown reminds of its request id.
  int Finish(const grpc::Status& status, const google::protobuf::Message& response,
             const std::function<std::string()>& human, CallKind kind);

  // The command line made sense to CLI11 but not to us: prints why, returns kExitUsage.
  int UsageError(const std::string& message);

 private:
  const Environment& env_;
  CallSettings settings_;
  std::string command_;
  std::shared_ptr<grpc::ChannelInterface> channel_;
};

}  // namespace relais::cli
