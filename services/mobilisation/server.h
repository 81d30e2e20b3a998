// The mobilisation service process, assembled: the shared ServiceCore (catalogue, host, Redis
// client, committer) plus the clients of the other two services, the store, the application
// layer (Mobiliser, Board), the outbox and its notifiers, the live feed, the gRPC handler and the
// background work. main.cc, the integration tests and the benchmarks all start it through this
// class, so they run the same wiring.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/mobilisation/board.h"
#include "services/mobilisation/feed_hub.h"
#include "services/mobilisation/mobilisation_handler.h"
#include "services/mobilisation/mobiliser.h"
#include "services/mobilisation/outbox.h"
#include "services/mobilisation/peers.h"
#include "services/mobilisation/redis_mobilisation_store.h"
#include "services/mobilisation/smtp_notifier.h"
#include "services/mobilisation/webhook_notifier.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/periodic.h"
#include "services/runtime/redis/event_log.h"
#include "services/runtime/service_core.h"

namespace relais::mobilisation {

struct MobilisationOptions {
  PeerOptions peers;
  // E-mail: on when smtp_url and smtp_from are set.
  std::string smtp_url;
  std::string smtp_from;
  // SMS gateway webhook: on when webhook_url is set.
  std::string webhook_url;
  std::string webhook_token;
  // Background work: deadlines, chain steps, reactions to closed crises, the outbox, heartbeats.
  // Off in tests, which call SweepOnce() on a FakeClock instead.
  bool background = true;
  absl::Duration interval = absl::Seconds(1);
  int batch = 100;
  FeedOptions feed;
  OutboxOptions outbox;
  // How many to ask and in what order (a simulator's); null: the default. Borrowed.
  const Strategy* strategy = nullptr;
};

// The flags --crisis_registry_address, --inventory_address, --smtp_url, --smtp_from,
// --webhook_url, --webhook_token_file (each also RELAIS_<NAME>).
MobilisationOptions MobilisationOptionsFromFlags();

class MobilisationServer {
 public:
  static absl::StatusOr<std::unique_ptr<MobilisationServer>> Create(
      const ServerOptions& options, const Clock& clock, IdGenerator& ids,
      ServiceHostSeams seams = {},
      MobilisationOptions mobilisation = MobilisationOptionsFromFlags());
  ~MobilisationServer();  // Shutdown()

  // Serves, starts the feed's reader and the background work.
  absl::Status Start();
  void Shutdown();

  // One pass of the background work at the clock's now: passed deadlines, due chain steps,
  // reactions to the event log, due notifications. Returns whether a batch was full.
  absl::StatusOr<bool> SweepOnce();

  ServiceHost& host() { return core_->host(); }
  int port() { return core_->host().port(); }
  RedisClient& redis() { return core_->redis(); }
  Committer& committer() { return core_->committer(); }
  Mobiliser& mobiliser() { return *mobiliser_; }
  Board& board() { return *board_; }
  Outbox& outbox() { return *outbox_; }
  FeedHub& feed() { return *feed_; }
  MobilisationStore& store() { return *store_; }

 private:
  class Contacts;
  MobilisationServer(std::unique_ptr<ServiceCore> core, const Clock& clock,
                     MobilisationOptions options);

  // Declared first, destroyed last.
  std::unique_ptr<ServiceCore> core_;
  const Clock& clock_;
  const MobilisationOptions options_;
  std::unique_ptr<GrpcPeers> peers_;
  std::unique_ptr<MobilisationStore> store_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<Contacts> contacts_;
  std::unique_ptr<SmtpNotifier> smtp_;
  std::unique_ptr<WebhookNotifier> webhook_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Mobiliser> mobiliser_;
  std::unique_ptr<Board> board_;
  std::unique_ptr<FeedHub> feed_;
  std::unique_ptr<MobilisationHandler> handler_;
  // Declared last, stopped first.
  std::unique_ptr<PeriodicTask> background_;
  std::unique_ptr<PeriodicTask> heartbeats_;
};

}  // namespace relais::mobilisation
