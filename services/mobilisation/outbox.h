// The notification outbox: every message to a responder (a request, a change to it) is written
// to Redis in the same atomic commit as the change that causes it, then delivered by
// DispatchDue on each channel that is configured (e-mail, webhook), with every attempt recorded.
//
// Keys (all under "mob:"):
//   mob:ntf:<id>                     hash {v, d = serialized v1::Notification}, written only by
//                                    Committer commits; Notification.version == v.
//   mob:ntf:due                      zset: member notification id, score next_attempt_at (unix
//                                    ms). Holds exactly the PENDING notifications; its score
//                                    and the entity's next_attempt_at change in the same commit.
//   mob:idx:ntf:req:<request id>     zset, member notification id, score 0 (lexical order =
//                                    creation order, ids being time-ordered): a mobilisation
//                                    request's notifications. None when the notification has no
//                                    mobilisation_request_id.
// No address is ever stored: DispatchDue asks the ContactBook at send time, and a
// DeliveryAttempt's detail is a status ("SMTP 451"), never an address.
//
// Claiming, across replicas. Every change of a notification is a Committer commit that expects
// the version it read and whose request id is "ntf:<id>:v<version read>" (scope "mob",
// principal "system:outbox"), so of several replicas that read the same version exactly one
// writes; the others get ABORTED (or a replay of the winner's record) and leave it alone. A pass:
//   1. ZRANGE mob:ntf:due BYSCORE -inf now LIMIT batch, then one pipelined read of those
//      notifications; one still PENDING and due is handled, anything else skipped.
//   2. The ContactBook is asked before any write (reads only; a racing replica may ask too).
//      - no address, or the responder is gone (NOT_FOUND): one commit -> NO_CONTACT, off due;
//      - any other error (UNAVAILABLE: the inventory is unreachable): not an attempt; one commit
//        pushes next_attempt_at by initial_backoff, and the pass ends there (the rest is retried
//        on the next pass, so an outage costs one look-up per pass, not one per notification);
//      - no notifier configured for the channel: a failed attempt ("channel not configured"),
//        recorded like any other failure (one commit), so it ends FAILED and visible.
//   3. Claim: commit v -> v+1 with next_attempt_at = now + lease (score too). Lost race: skip.
//   4. Send to the addresses in order until one accepts (at most max_addresses_per_attempt).
//   5. Record: commit v+1 -> v+2 with the attempt appended and the new state: DELIVERED (off
//      due), or PENDING at now + backoff, or after max_attempts FAILED (off due), that commit
//      carrying EVENT_TYPE_NOTIFICATION_FAILED.
// A crash (or a lost connection) between 3 and 5 leaves the notification claimed: when the lease
// passes it is due again and sent again, so delivery is at least once; a far end that honours
// Message-ID / Idempotency-Key (the notification id, see notifier.h) drops the repeat. A send
// that outlasts the lease (a notifier's total timeout x addresses must stay under it) finds its
// record ABORTED: the other replica's attempt is the one recorded.
//
// Backoff after failed attempt k (1-based): initial_backoff * multiplier^(k-1), at most
// max_backoff: with the defaults 30 s, 2 min, 8 min, 30 min, so five attempts span ~40 min.
//
// Events: the Committer appends one event per commit. Only FAILED is an event consumers should
// see (EVENT_TYPE_NOTIFICATION_FAILED); every other commit (claims, attempts, NO_CONTACT,
// deferrals) carries an event of type EVENT_TYPE_UNSPECIFIED with the notification's ids, which
// readers must skip. Until functions.lua leaves type 0 out of the log (proposed), each attempt
// adds two such entries to relais:events.
//
// Metrics (when a registry is given): relais_notification_attempts_total{channel,result=
// "delivered"|"failed"}, relais_notifications_failed_total{channel}; channel is "email" or
// "webhook".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/mobilisation.pb.h"
#include "services/mobilisation/notifier.h"
#include "services/runtime/clock.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace prometheus {
class Counter;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace relais::mobilisation {

inline constexpr std::string_view kNotificationDueKey = "mob:ntf:due";
// "mob:ntf:<id>".
std::string NotificationKey(std::string_view notification_id);
// "mob:idx:ntf:req:<mobilisation request id>".
std::string RequestNotificationsKey(std::string_view mobilisation_request_id);

struct OutboxWrites {
  std::vector<EntityWrite> writes;
  std::vector<IndexOp> index_ops;
};

// The writes that create `n` (id, channel, responder_id, created_at, subject and body set by the
// caller), to add to the caller's own CommitRequest: the entity (expected version 0) as PENDING,
// version 1, no attempts, next_attempt_at = created_at; its entry in mob:ntf:due; its entry in
// the request's index when mobilisation_request_id is set. One write and one or two index ops.
OutboxWrites NewNotificationWrites(const v1::Notification& n);

// Seam to the inventory, which holds the contacts.
class ContactBook {
 public:
  virtual ~ContactBook() = default;
  // The responder's addresses for the channel (e-mail addresses for EMAIL, E.164 numbers of
  // CONTACT_KIND_SMS for WEBHOOK), preferred first; empty when none. NOT_FOUND when the
  // responder is gone; UNAVAILABLE when the inventory cannot be reached.
  virtual absl::StatusOr<std::vector<std::string>> AddressesFor(
      const std::string& responder_id, v1::NotificationChannel channel) = 0;
};

struct OutboxOptions {
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Seconds(30);
  double multiplier = 4;
  absl::Duration max_backoff = absl::Minutes(30);
  // How long a claim keeps other replicas off; must exceed the longest send.
  absl::Duration lease = absl::Seconds(60);
  // Notifications handled per DispatchDue pass.
  int batch = 100;
  // Addresses tried in one attempt (each may take a notifier's total timeout).
  int max_addresses_per_attempt = 3;
  // Event.service of the outbox's events.
  std::string service = "mobilisation";
};

class Outbox {
 public:
  static constexpr std::string_view kPrincipal = "system:outbox";
  static constexpr std::string_view kScope = "mob";

  // Everything is borrowed and must outlive the outbox; `notifiers` holds at most one per
  // channel (a channel without one is not configured); `metrics` may be null.
  Outbox(Committer& committer, RedisClient& redis, const Clock& clock, ContactBook& contacts,
         std::vector<Notifier*> notifiers, OutboxOptions options,
         prometheus::Registry* metrics = nullptr);

  // One pass: handles the notifications due now (at most options.batch), one at a time, on the
  // calling thread. Returns whether the batch was full (call again now). UNAVAILABLE when Redis
  // cannot be reached (nothing is lost: what was not recorded is retried); INTERNAL naming the
  // key when a stored notification is unreadable (the others are still handled; it stays due
  // and is reported on every pass). A due entry without its notification is dropped. Call it from
  // one thread per process (several replicas may call it at once).
  absl::StatusOr<bool> DispatchDue();

  // Whether a notifier is configured for `channel`: create notifications only for those.
  bool HasChannel(v1::NotificationChannel channel) const;

  // A mobilisation request's notifications, oldest first (the coordinator's outreach view).
  absl::StatusOr<std::vector<v1::Notification>> ForRequest(
      const std::string& mobilisation_request_id);
  absl::StatusOr<std::optional<v1::Notification>> Get(const std::string& id);

  // The delay after failed attempt `attempt` (1-based).
  absl::Duration BackoffAfter(int attempt) const;

 private:
  enum class Handled { kDone, kStopPass };

  absl::StatusOr<Handled> Handle(const v1::Notification& read, absl::Time now);
  // One version-checked commit of `next` (whose version is that of `read` + 1). Returns false
  // when another writer got there first.
  absl::StatusOr<bool> Write(const v1::Notification& read, const v1::Notification& next,
                             relais::v1::EventType event_type, absl::Time now);
  // The failed or successful attempt `attempt` applied to `n` (already claimed) at `now`.
  v1::Notification WithAttempt(const v1::Notification& n, bool ok, std::string detail,
                               absl::Time at, absl::Time now) const;
  Notifier* NotifierFor(v1::NotificationChannel channel) const;
  void CountAttempt(v1::NotificationChannel channel, bool ok);
  void CountFailed(v1::NotificationChannel channel);

  Committer& committer_;
  RedisClient& redis_;
  const Clock& clock_;
  ContactBook& contacts_;
  const std::vector<Notifier*> notifiers_;
  const OutboxOptions options_;
  prometheus::Family<prometheus::Counter>* attempts_ = nullptr;
  prometheus::Family<prometheus::Counter>* failed_ = nullptr;
};

}  // namespace relais::mobilisation
