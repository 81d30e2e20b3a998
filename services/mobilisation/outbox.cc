#include "services/mobilisation/outbox.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/runtime/proto_time.h"

namespace relais::mobilisation {
namespace {

// Every commit of the outbox but the one that gives up: readers of the log skip type 0.
constexpr relais::v1::EventType kBookkeeping = relais::v1::EVENT_TYPE_UNSPECIFIED;

double ScoreOf(absl::Time t) { return static_cast<double>(absl::ToUnixMillis(t)); }

std::string ChannelLabel(v1::NotificationChannel channel) {
  switch (channel) {
    case v1::NOTIFICATION_CHANNEL_EMAIL:
      return "email";
    case v1::NOTIFICATION_CHANNEL_WEBHOOK:
      return "webhook";
    default:
      return "unspecified";
  }
}

absl::StatusOr<std::vector<std::string>> Members(const absl::StatusOr<Reply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  std::vector<std::string> members;
  members.reserve(reply->elements().size());
  for (const Reply& element : reply->elements()) members.push_back(element.str());
  return members;
}

}  // namespace

std::string NotificationKey(std::string_view notification_id) {
  return absl::StrCat("mob:ntf:",
                      absl::string_view(notification_id.data(), notification_id.size()));
}

std::string RequestNotificationsKey(std::string_view mobilisation_request_id) {
  return absl::StrCat("mob:idx:ntf:req:", absl::string_view(mobilisation_request_id.data(),
                                                            mobilisation_request_id.size()));
}

OutboxWrites NewNotificationWrites(const v1::Notification& n) {
  v1::Notification stored = n;
  stored.set_state(v1::DELIVERY_STATE_PENDING);
  stored.clear_attempts();
  stored.set_version(1);
  *stored.mutable_next_attempt_at() = n.created_at();

  OutboxWrites out;
  out.writes.push_back({NotificationKey(n.id()), 0, stored.SerializeAsString(), {}});
  out.index_ops.push_back({IndexOp::Kind::kAdd, std::string(kNotificationDueKey), n.id(),
                           ScoreOf(FromProtoTime(n.created_at()))});
  if (!n.mobilisation_request_id().empty()) {
    out.index_ops.push_back(
        {IndexOp::Kind::kAdd, RequestNotificationsKey(n.mobilisation_request_id()), n.id(), 0});
  }
  return out;
}

Outbox::Outbox(Committer& committer, RedisClient& redis, const Clock& clock, ContactBook& contacts,
               std::vector<Notifier*> notifiers, OutboxOptions options,
               prometheus::Registry* metrics)
    : committer_(committer),
      redis_(redis),
      clock_(clock),
      contacts_(contacts),
      notifiers_(std::move(notifiers)),
      options_(std::move(options)) {
  if (metrics != nullptr) {
    attempts_ = &prometheus::BuildCounter()
                     .Name("relais_notification_attempts_total")
                     .Help("Notification delivery attempts, by channel and result")
                     .Register(*metrics);
    failed_ = &prometheus::BuildCounter()
                   .Name("relais_notifications_failed_total")
                   .Help("Notifications given up after their last attempt, by channel")
                   .Register(*metrics);
  }
}

bool Outbox::HasChannel(v1::NotificationChannel channel) const {
  return NotifierFor(channel) != nullptr;
}

Notifier* Outbox::NotifierFor(v1::NotificationChannel channel) const {
  for (Notifier* notifier : notifiers_) {
    if (notifier != nullptr && notifier->channel() == channel) return notifier;
  }
  return nullptr;
}

absl::Duration Outbox::BackoffAfter(int attempt) const {
  const double factor = std::pow(options_.multiplier, std::max(0, attempt - 1));
  const double seconds = absl::ToDoubleSeconds(options_.initial_backoff) * factor;
  const double cap = absl::ToDoubleSeconds(options_.max_backoff);
  return absl::Seconds(std::min(seconds, cap));
}

void Outbox::CountAttempt(v1::NotificationChannel channel, bool ok) {
  if (attempts_ == nullptr) return;
  attempts_->Add({{"channel", ChannelLabel(channel)}, {"result", ok ? "delivered" : "failed"}})
      .Increment();
}

void Outbox::CountFailed(v1::NotificationChannel channel) {
  if (failed_ == nullptr) return;
  failed_->Add({{"channel", ChannelLabel(channel)}}).Increment();
}

absl::StatusOr<bool> Outbox::DispatchDue() {
  const absl::Time now = clock_.Now();
  auto ids = Members(redis_.Command({"ZRANGE", std::string(kNotificationDueKey), "-inf",
                                     absl::StrCat(absl::ToUnixMillis(now)), "BYSCORE", "LIMIT", "0",
                                     absl::StrCat(std::max(1, options_.batch))}));
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return false;

  std::vector<std::string> keys;
  keys.reserve(ids->size());
  for (const std::string& id : *ids) keys.push_back(NotificationKey(id));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();

  std::string unreadable;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::optional<VersionedValue>& value = (*stored)[i];
    if (!value.has_value()) {
      // A due entry without its notification (both are only ever written together): drop it
      // so that it does not take a place in every batch.
      auto dropped = redis_.Command({"ZREM", std::string(kNotificationDueKey), (*ids)[i]});
      if (!dropped.ok()) return dropped.status();
      continue;
    }
    v1::Notification n;
    if (!n.ParseFromString(value->value)) {
      unreadable = keys[i];
      continue;
    }
    n.set_version(value->version);
    // Handled meanwhile by another replica (claimed, delivered...).
    if (n.state() != v1::DELIVERY_STATE_PENDING || FromProtoTime(n.next_attempt_at()) > now) {
      continue;
    }
    auto handled = Handle(n, now);
    if (!handled.ok()) return handled.status();
    if (*handled == Handled::kStopPass) return false;
  }
  if (!unreadable.empty()) {
    return absl::InternalError(absl::StrCat("stored value is unreadable: ", unreadable));
  }
  return ids->size() == static_cast<size_t>(std::max(1, options_.batch));
}

absl::StatusOr<Outbox::Handled> Outbox::Handle(const v1::Notification& read, absl::Time now) {
  const v1::NotificationChannel channel = read.channel();
  Notifier* notifier = NotifierFor(channel);
  if (notifier == nullptr) {
    // A failed attempt, so that it ends FAILED (and seen) unless the channel comes back.
    v1::Notification next = WithAttempt(read, false, "channel not configured", now, now);
    auto written =
        Write(read, next,
              next.state() == v1::DELIVERY_STATE_FAILED ? relais::v1::EVENT_TYPE_NOTIFICATION_FAILED
                                                        : kBookkeeping,
              now);
    if (!written.ok()) return written.status();
    if (*written) {
      CountAttempt(channel, false);
      if (next.state() == v1::DELIVERY_STATE_FAILED) CountFailed(channel);
    }
    return Handled::kDone;
  }

  auto addresses = contacts_.AddressesFor(read.responder_id(), channel);
  if (!addresses.ok() && !absl::IsNotFound(addresses.status())) {
    // Not an attempt: try again after the first back-off, and spare the inventory the rest of
    // this pass.
    v1::Notification next = read;
    next.set_version(read.version() + 1);
    *next.mutable_next_attempt_at() = ToProtoTime(now + options_.initial_backoff);
    auto written = Write(read, next, kBookkeeping, now);
    if (!written.ok()) return written.status();
    return Handled::kStopPass;
  }
  if (!addresses.ok() || addresses->empty()) {
    // Nobody to send to on this channel (or the responder was erased): not a failure.
    v1::Notification next = read;
    next.set_version(read.version() + 1);
    next.set_state(v1::DELIVERY_STATE_NO_CONTACT);
    auto written = Write(read, next, kBookkeeping, now);
    if (!written.ok()) return written.status();
    return Handled::kDone;
  }

  // Claim: whoever writes the next version sends this attempt.
  v1::Notification claimed = read;
  claimed.set_version(read.version() + 1);
  *claimed.mutable_next_attempt_at() = ToProtoTime(now + options_.lease);
  auto won = Write(read, claimed, kBookkeeping, now);
  if (!won.ok()) return won.status();
  if (!*won) return Handled::kDone;

  Notifier::Message message{"", read.subject(), read.body(), read.id()};
  bool ok = false;
  std::vector<std::string> failures;
  const size_t tries = std::min(
      addresses->size(), static_cast<size_t>(std::max(1, options_.max_addresses_per_attempt)));
  for (size_t i = 0; i < tries && !ok; ++i) {
    message.to = (*addresses)[i];
    DeliveryResult result = notifier->Send(message);
    ok = result.ok;
    if (!ok) failures.push_back(result.detail.empty() ? "failed" : std::move(result.detail));
  }
  CountAttempt(channel, ok);

  const absl::Time done = clock_.Now();
  v1::Notification next = WithAttempt(claimed, ok, absl::StrJoin(failures, "; "), now, done);
  const bool gave_up = next.state() == v1::DELIVERY_STATE_FAILED;
  auto recorded = Write(claimed, next,
                        gave_up ? relais::v1::EVENT_TYPE_NOTIFICATION_FAILED : kBookkeeping, done);
  if (!recorded.ok()) return recorded.status();
  // Not recorded: the lease passed during the send and another replica claimed it again; its
  // attempt is the one that counts.
  if (*recorded && gave_up) CountFailed(channel);
  return Handled::kDone;
}

v1::Notification Outbox::WithAttempt(const v1::Notification& n, bool ok, std::string detail,
                                     absl::Time at, absl::Time now) const {
  v1::Notification next = n;
  next.set_version(n.version() + 1);
  v1::DeliveryAttempt* attempt = next.add_attempts();
  *attempt->mutable_at() = ToProtoTime(at);
  attempt->set_ok(ok);
  attempt->set_detail(std::move(detail));
  if (ok) {
    next.set_state(v1::DELIVERY_STATE_DELIVERED);
  } else if (next.attempts_size() >= options_.max_attempts) {
    next.set_state(v1::DELIVERY_STATE_FAILED);
  } else {
    *next.mutable_next_attempt_at() = ToProtoTime(now + BackoffAfter(next.attempts_size()));
  }
  return next;
}

absl::StatusOr<bool> Outbox::Write(const v1::Notification& read, const v1::Notification& next,
                                   relais::v1::EventType event_type, absl::Time now) {
  // One request id per version: of the replicas that read this version, one writes the next.
  const std::string request_id = absl::StrCat("ntf:", read.id(), ":v", read.version());
  CommitRequest request;
  request.idem = {std::string(kScope), std::string(kPrincipal), "DispatchNotification", request_id,
                  Sha256Hex(request_id)};
  request.writes.push_back(
      {NotificationKey(read.id()), read.version(), next.SerializeAsString(), {}});
  if (next.state() == v1::DELIVERY_STATE_PENDING) {
    request.index_ops.push_back({IndexOp::Kind::kAdd, std::string(kNotificationDueKey), read.id(),
                                 ScoreOf(FromProtoTime(next.next_attempt_at()))});
  } else {
    request.index_ops.push_back(
        {IndexOp::Kind::kRemove, std::string(kNotificationDueKey), read.id(), 0});
  }

  relais::v1::Event& event = request.event;
  event.set_type(event_type);
  *event.mutable_time() = ToProtoTime(now);
  event.set_service(options_.service);
  event.set_principal_id(std::string(kPrincipal));
  event.set_request_id(request_id);
  event.set_crisis_id(read.crisis_id());
  event.set_need_id(read.need_id());
  event.set_mobilisation_request_id(read.mobilisation_request_id());
  event.set_assignment_id(read.assignment_id());
  event.set_subject_id(read.id());
  event.set_subject_version(next.version());
  event.set_responder_id(read.responder_id());

  request.outcome.set_code(0);
  request.outcome.set_subject_id(read.id());
  request.outcome.set_subject_version(next.version());

  auto result = committer_.Commit(request);
  if (!result.ok()) {
    // Another replica wrote this version first (ABORTED), or wrote another change from it
    // under the same request id (a replay, below).
    if (absl::IsAborted(result.status())) return false;
    return result.status();
  }
  return !result->replayed;
}

absl::StatusOr<std::vector<v1::Notification>> Outbox::ForRequest(
    const std::string& mobilisation_request_id) {
  constexpr int kMaxPerRequest = 1000;
  auto ids = Members(redis_.Command({"ZRANGE", RequestNotificationsKey(mobilisation_request_id),
                                     "0", absl::StrCat(kMaxPerRequest - 1)}));
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  keys.reserve(ids->size());
  for (const std::string& id : *ids) keys.push_back(NotificationKey(id));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  std::vector<v1::Notification> notifications;
  notifications.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*stored)[i].has_value()) continue;
    v1::Notification n;
    if (!n.ParseFromString((*stored)[i]->value)) {
      return absl::InternalError(absl::StrCat("stored value is unreadable: ", keys[i]));
    }
    n.set_version((*stored)[i]->version);
    notifications.push_back(std::move(n));
  }
  return notifications;
}

absl::StatusOr<std::optional<v1::Notification>> Outbox::Get(const std::string& id) {
  return ReadMessage<v1::Notification>(committer_, NotificationKey(id));
}

}  // namespace relais::mobilisation
