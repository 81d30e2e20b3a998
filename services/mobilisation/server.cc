#include "services/mobilisation/server.h"

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "services/runtime/logging.h"

ABSL_FLAG(std::string, crisis_registry_address, "127.0.0.1:50051",
          "host:port of the crisis registry");
ABSL_FLAG(std::string, inventory_address, "127.0.0.1:50052", "host:port of the inventory");
ABSL_FLAG(std::string, smtp_url, "",
          "SMTP relay for e-mail notifications, e.g. smtp://127.0.0.1:2525; empty: no e-mail");
ABSL_FLAG(std::string, smtp_from, "relais@localhost", "sender address of e-mail notifications");
ABSL_FLAG(std::string, webhook_url, "",
          "HTTP webhook (an SMS gateway) for notifications; empty: none");
ABSL_FLAG(std::string, webhook_token_file, "",
          "file holding the webhook's bearer token (never on the command line)");

namespace relais::mobilisation {

MobilisationOptions MobilisationOptionsFromFlags() {
  MobilisationOptions o;
  o.peers.crisis_registry_address = absl::GetFlag(FLAGS_crisis_registry_address);
  o.peers.inventory_address = absl::GetFlag(FLAGS_inventory_address);
  o.smtp_url = absl::GetFlag(FLAGS_smtp_url);
  o.smtp_from = absl::GetFlag(FLAGS_smtp_from);
  o.webhook_url = absl::GetFlag(FLAGS_webhook_url);
  if (const std::string file = absl::GetFlag(FLAGS_webhook_token_file); !file.empty()) {
    if (auto token = ReadSecretFile(file); token.ok()) o.webhook_token = *token;
  }
  return o;
}

// Addresses come from the inventory when a notification is sent; they are never stored here.
class MobilisationServer::Contacts final : public ContactBook {
 public:
  explicit Contacts(InventoryPort& inventory) : inventory_(inventory) {}
  absl::StatusOr<std::vector<std::string>> AddressesFor(const std::string& responder_id,
                                                        v1::NotificationChannel channel) override {
    auto responder = inventory_.GetResponder(responder_id);
    if (!responder.ok()) return responder.status();
    const v1::ContactKind wanted =
        channel == v1::NOTIFICATION_CHANNEL_EMAIL ? v1::CONTACT_KIND_EMAIL : v1::CONTACT_KIND_SMS;
    std::vector<std::string> out;
    for (const auto& c : responder->contacts()) {
      if (c.kind() == wanted) out.push_back(c.address());
    }
    return out;
  }

 private:
  InventoryPort& inventory_;
};

absl::StatusOr<std::unique_ptr<MobilisationServer>> MobilisationServer::Create(
    const ServerOptions& options, const Clock& clock, IdGenerator& ids, ServiceHostSeams seams,
    MobilisationOptions mobilisation) {
  if (mobilisation.peers.identity == nullptr) {
    auto identity = CallerIdentity::FromOptions(options, "svc-mobilisation", "service");
    if (!identity.ok()) return identity.status();
    mobilisation.peers.identity = *std::move(identity);
  }
  auto core = ServiceCore::Create(options, "mobilisation", clock, std::move(seams));
  if (!core.ok()) return core.status();
  std::unique_ptr<MobilisationServer> server(
      new MobilisationServer(*std::move(core), clock, std::move(mobilisation)));
  MobilisationServer& s = *server;
  ServiceCore& c = *s.core_;
  const MobilisationOptions& o = s.options_;

  s.peers_ = std::make_unique<GrpcPeers>(o.peers);
  s.store_ = std::make_unique<MobilisationStore>(c.redis(), c.committer());
  s.log_ = std::make_unique<EventLog>(c.redis(), c.committer().options().event_log_key);
  s.contacts_ = std::make_unique<Contacts>(*s.peers_);
  std::vector<Notifier*> notifiers;
  MobiliserOptions mobiliser_options;
  mobiliser_options.strategy = o.strategy;
  if (!o.smtp_url.empty()) {
    SmtpOptions smtp;
    smtp.url = o.smtp_url;
    smtp.from = o.smtp_from;
    smtp.from_name = "Relais";
    smtp.clock = &clock;
    s.smtp_ = std::make_unique<SmtpNotifier>(smtp);
    notifiers.push_back(s.smtp_.get());
    mobiliser_options.channels.push_back(v1::NOTIFICATION_CHANNEL_EMAIL);
  }
  if (!o.webhook_url.empty()) {
    WebhookOptions webhook;
    webhook.url = o.webhook_url;
    webhook.bearer_token = o.webhook_token;
    s.webhook_ = std::make_unique<WebhookNotifier>(webhook);
    notifiers.push_back(s.webhook_.get());
    mobiliser_options.channels.push_back(v1::NOTIFICATION_CHANNEL_WEBHOOK);
  }
  s.outbox_ = std::make_unique<Outbox>(c.committer(), c.redis(), clock, *s.contacts_, notifiers,
                                       o.outbox, &c.host().metrics().registry());
  s.mobiliser_ = std::make_unique<Mobiliser>(
      c.committer(), *s.store_, *s.peers_, *s.peers_, clock, ids, mobiliser_options,
      [](const v1::Notification& n, std::vector<EntityWrite>* writes,
         std::vector<IndexOp>* index_ops) {
        OutboxWrites w = NewNotificationWrites(n);
        writes->insert(writes->end(), w.writes.begin(), w.writes.end());
        index_ops->insert(index_ops->end(), w.index_ops.begin(), w.index_ops.end());
      });
  Outbox* outbox = s.outbox_.get();
  s.board_ = std::make_unique<Board>(
      *s.store_, *s.peers_, c.redis(), clock, c.committer().options().event_log_key,
      [outbox](const std::string& id) { return outbox->ForRequest(id); });
  FeedOptions feed = o.feed;
  feed.key = c.committer().options().event_log_key;
  s.feed_ = std::make_unique<FeedHub>(options.redis, clock, feed, &c.host().metrics().registry());
  s.handler_ =
      std::make_unique<MobilisationHandler>(*s.mobiliser_, *s.board_, *s.feed_, c.host().runner());
  c.host().AddService(s.handler_.get(), v1::Mobilisation::service_full_name());
  if (o.background) {
    s.background_ = std::make_unique<PeriodicTask>("mobilisation", o.interval, [&s] {
      auto more = s.SweepOnce();
      if (!more.ok()) {
        if (!absl::IsUnavailable(more.status())) {
          s.host().log().Log(LogLevel::kWarning, "background pass failed",
                             {{"error", more.status().ToString()}});
        }
        return false;
      }
      return *more;
    });
    s.heartbeats_ = std::make_unique<PeriodicTask>("heartbeats", feed.heartbeat_interval, [&s] {
      s.feed_->SendHeartbeats();
      return false;
    });
  }
  return server;
}

MobilisationServer::MobilisationServer(std::unique_ptr<ServiceCore> core, const Clock& clock,
                                       MobilisationOptions options)
    : core_(std::move(core)), clock_(clock), options_(std::move(options)) {}

MobilisationServer::~MobilisationServer() { Shutdown(); }

absl::Status MobilisationServer::Start() {
  if (absl::Status started = core_->Start(); !started.ok()) return started;
  if (absl::Status fed = feed_->Start(); !fed.ok()) {
    host().log().Log(LogLevel::kWarning, "live feed not started yet", {{"error", fed.ToString()}});
  }
  if (background_ != nullptr) background_->Start();
  if (heartbeats_ != nullptr) heartbeats_->Start();
  return absl::OkStatus();
}

void MobilisationServer::Shutdown() {
  if (heartbeats_ != nullptr) heartbeats_->Stop();
  if (background_ != nullptr) background_->Stop();
  // Open streams end before the server drains, so the drain does not wait for them.
  if (feed_ != nullptr) feed_->Stop();
  core_->host().Shutdown();
}

absl::StatusOr<bool> MobilisationServer::SweepOnce() {
  const int batch = options_.batch;
  auto reacted = mobiliser_->ReactToEvents(*log_, batch);
  if (!reacted.ok()) return reacted.status();
  auto expired = mobiliser_->SweepDeadlines(batch);
  if (!expired.ok()) return expired.status();
  auto stepped = mobiliser_->RunSteps(batch);
  if (!stepped.ok()) return stepped.status();
  auto sent = outbox_->DispatchDue();
  if (!sent.ok()) return sent.status();
  return *reacted >= batch || *expired >= batch || *stepped >= batch || *sent;
}

}  // namespace relais::mobilisation
