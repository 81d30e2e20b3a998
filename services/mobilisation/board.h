// What dashboards and coordinators read at once: the crisis board (every need's progress, pending
// requests with time left, who was not reached, recent events, and the log cursor to continue
// from with WatchMobilisation) and the outreach view (who was not reached, who has not answered,
// every delivery attempt). Reads only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relais/v1/mobilisation.pb.h"
#include "services/mobilisation/peers.h"
#include "services/mobilisation/redis_mobilisation_store.h"
#include "services/runtime/clock.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::mobilisation {

class Board {
 public:
  // A mobilisation request's notifications (the outbox's), oldest first.
  using NotificationsOf = std::function<absl::StatusOr<std::vector<v1::Notification>>(
      const std::string& mobilisation_request_id)>;

  Board(MobilisationStore& store, CrisisDirectory& crises, RedisClient& redis, const Clock& clock,
        std::string event_log_key, NotificationsOf notifications)
      : store_(store),
        crises_(crises),
        redis_(redis),
        clock_(clock),
        event_log_key_(std::move(event_log_key)),
        notifications_(std::move(notifications)) {}

  absl::Status GetCrisisBoard(const Principal& caller, const v1::GetCrisisBoardRequest& request,
                              v1::CrisisBoard* out);
  absl::Status GetOutreach(const Principal& caller, const v1::GetOutreachRequest& request,
                           v1::Outreach* out);
  // The notifications of every mobilisation request addressed to a responder, newest first,
  // paged by notification id. A responder names themselves; an OSI gets those of its own
  // organisation's requests only (access table).
  absl::Status ListNotifications(const Principal& caller,
                                 const v1::ListNotificationsRequest& request,
                                 v1::ListNotificationsResponse* out);

 private:
  // The newest entry id of the log ("0-0" when empty): read before the state, so that watching
  // from it misses nothing that the snapshot does not show.
  absl::StatusOr<std::string> LogPosition();
  absl::StatusOr<std::vector<v1::Event>> RecentEvents(const std::string& crisis_id, int count);
  // The request's outreach line: reached when acknowledged or a notification was delivered.
  absl::StatusOr<v1::OutreachLine> LineOf(const v1::MobilisationRequest& request);

  MobilisationStore& store_;
  CrisisDirectory& crises_;
  RedisClient& redis_;
  const Clock& clock_;
  const std::string event_log_key_;
  NotificationsOf notifications_;
};

}  // namespace relais::mobilisation
