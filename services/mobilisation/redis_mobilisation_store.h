// Where the mobilisation service keeps its state in Redis, and its reads. Writes go through the
// runtime's Committer (one atomic step with the event and the idempotency record); this file
// names the keys those writes touch.
//
// Keys (all under "mob:"):
//   mob:need:<crisis>:<need>         NeedState (progress, who was asked, the round under way)
//   mob:req:<id>                     MobilisationRequest
//   mob:asg:<id>                     Assignment
//   mob:idx:req:c:<crisis>, mob:idx:req:n:<crisis>:<need>, mob:idx:req:r:<responder or target>
//   mob:idx:asg:c:<crisis>, mob:idx:asg:n:<crisis>:<need>, mob:idx:asg:r:<responder or target>
//                                    sorted sets of ids (score 0: lexical = creation order)
//   mob:due                          pending requests by respond_by (ms): the deadline sweeper's
//   mob:todo                         chain steps still to do, member "<kind>:<id>", score = when
//   mob:rot:<responder or target>    requests by creation time (ms): the rotation count
//   mob:needs:c:<crisis>             the needs of a crisis that have a NeedState (member need id)
//   mob:reactor                      hash {cursor}: how far the event reactor has read the log
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/internal/mobilisation_state.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::mobilisation {

namespace keys {
std::string Need(const std::string& crisis_id, const std::string& need_id);
std::string Request(const std::string& id);
std::string Assignment(const std::string& id);
std::string RequestsOfCrisis(const std::string& crisis_id);
std::string RequestsOfNeed(const std::string& crisis_id, const std::string& need_id);
std::string RequestsOf(const std::string& target_id);
std::string AssignmentsOfCrisis(const std::string& crisis_id);
std::string AssignmentsOfNeed(const std::string& crisis_id, const std::string& need_id);
std::string AssignmentsOf(const std::string& target_id);
std::string NeedsOfCrisis(const std::string& crisis_id);
std::string Rotation(const std::string& target_id);
inline constexpr char kDue[] = "mob:due";
inline constexpr char kTodo[] = "mob:todo";
inline constexpr char kReactor[] = "mob:reactor";
}  // namespace keys

// A value as stored, with the version the Committer keeps beside it.
template <class M>
struct Stored {
  M value;
  int64_t version = 0;
};

class MobilisationStore {
 public:
  MobilisationStore(RedisClient& redis, Committer& committer)
      : redis_(redis), committer_(committer) {}

  absl::StatusOr<std::optional<Stored<relais::internal::NeedState>>> ReadNeed(
      const std::string& crisis_id, const std::string& need_id);
  // The message's version field is set from the stored version.
  absl::StatusOr<std::optional<relais::v1::MobilisationRequest>> ReadRequest(const std::string& id);
  absl::StatusOr<std::optional<relais::v1::Assignment>> ReadAssignment(const std::string& id);
  // In the order of `ids`, skipping ids that are gone.
  absl::StatusOr<std::vector<relais::v1::MobilisationRequest>> ReadRequests(
      const std::vector<std::string>& ids);
  absl::StatusOr<std::vector<relais::v1::Assignment>> ReadAssignments(
      const std::vector<std::string>& ids);

  // A page of an index, newest first: ids strictly older than `after` (a previous page's last id;
  // empty for the first page).
  absl::StatusOr<std::vector<std::string>> Page(const std::string& index_key,
                                                const std::string& after, int count);
  // Every id of an index (small indexes: a need's requests).
  absl::StatusOr<std::vector<std::string>> All(const std::string& index_key);

  // Members of a time-scored set with score <= now, at most `limit`, oldest first.
  absl::StatusOr<std::vector<std::string>> Due(const std::string& key, absl::Time now, int limit);
  // Puts a chain step back for later (after a failure), or takes it off once done.
  absl::Status Reschedule(const std::string& member, absl::Time when);
  absl::Status Done(const std::string& member);
  // Adds a chain step unless it is already listed.
  absl::Status Schedule(const std::string& member, absl::Time when);
  // Takes a member off a time-scored set (a deadline answered meanwhile).
  absl::Status Unschedule(const std::string& key, const std::string& member);

  // Requests per target since `since`, in one round trip.
  absl::StatusOr<std::map<std::string, int>> RecentCounts(const std::vector<std::string>& targets,
                                                          absl::Time since);

  absl::StatusOr<std::string> ReactorCursor();
  absl::Status SetReactorCursor(const std::string& cursor);

 private:
  template <class M>
  absl::StatusOr<std::vector<M>> ReadMany(const std::vector<std::string>& keys);

  RedisClient& redis_;
  Committer& committer_;
};

// The EntityWrite of `value` read at `version` (0 = new): stored with version + 1.
template <class M>
EntityWrite WriteOf(const std::string& key, M value, int64_t version) {
  if constexpr (requires { value.set_version(int64_t{1}); }) {
    value.set_version(version + 1);
  } else {
    value.mutable_progress()->set_version(version + 1);  // NeedState
  }
  return EntityWrite{key, version, value.SerializeAsString(), {}};
}

}  // namespace relais::mobilisation
