// Where the inventory lives. The registry talks to this small interface; RedisInventoryStore
// implements it. Every write goes with its event and its idempotency record in one atomic step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/internal/outcome.pb.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/inventory.pb.h"
#include "services/runtime/redis/committer.h"

namespace relais::inventory {

// The inventory's own key prefix in Redis; it also scopes its idempotency records.
inline constexpr char kKeyPrefix[] = "inv";

struct OrganisationFilter {
  relais::v1::OrganisationKind kind = relais::v1::ORGANISATION_KIND_UNSPECIFIED;  // any
  relais::v1::Domain domain = relais::v1::DOMAIN_UNSPECIFIED;                     // any
  std::string commune;  // any when empty; compared case-insensitively (FoldCase)
};

struct OrganisationPage {
  std::vector<relais::v1::Organisation> organisations;
  std::string next_page_token;  // empty on the last page
};

struct ResponderPage {
  std::vector<relais::v1::Responder> responders;
  std::string next_page_token;  // empty on the last page
};

class InventoryStore {
 public:
  virtual ~InventoryStore() = default;

  // --- Organisations ---

  virtual absl::StatusOr<std::optional<relais::v1::Organisation>> GetOrganisation(
      const std::string& organisation_id) = 0;
  // By case-folded name, then id. INVALID_ARGUMENT "page_token: ..." for a token it did not
  // issue. A page may hold fewer than `page_size` organisations when many had to be skipped by
  // the filter; only an empty next_page_token means the end.
  virtual absl::StatusOr<OrganisationPage> ListOrganisations(const OrganisationFilter& filter,
                                                             int page_size,
                                                             const std::string& page_token) = 0;
  // The organisation holding `external_ref` (unique across organisations), if any.
  virtual absl::StatusOr<std::optional<std::string>> FindOrganisationByExternalRef(
      const std::string& external_ref) = 0;
  // Writes `next` over `previous` (absent for a new organisation) with its index entries, `event`
  // and `outcome` under `idem`, atomically. ABORTED when the stored version is no longer
  // previous' version; a replay returns the first outcome and writes nothing. A new or changed
  // external_ref is claimed in the same step and must not be claimed already (ABORTED otherwise);
  // a changed or cleared one releases the old claim.
  virtual absl::StatusOr<CommitResult> SaveOrganisation(
      const std::optional<relais::v1::Organisation>& previous, const relais::v1::Organisation& next,
      const IdempotencyKey& idem, const relais::v1::Event& event,
      const relais::internal::StoredOutcome& outcome) = 0;

  // --- Responders ---

  virtual absl::StatusOr<std::optional<relais::v1::Responder>> GetResponder(
      const std::string& responder_id) = 0;
  // Several in one round trip, in the order of `responder_ids` (absent ones as nullopt).
  virtual absl::StatusOr<std::vector<std::optional<relais::v1::Responder>>> GetResponders(
      const std::vector<std::string>& responder_ids) = 0;
  // The responder of `organisation_id` holding `external_ref`, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindByExternalRef(
      const std::string& organisation_id, const std::string& external_ref) = 0;
  // In registration order.
  virtual absl::StatusOr<ResponderPage> ListResponders(const std::string& organisation_id,
                                                       int page_size,
                                                       const std::string& page_token) = 0;
  // Writes `next` over `previous` (absent for a new responder, which also gets its empty
  // `calendar` and its place in the organisation's list). A responder's external_ref is claimed
  // in the same step and must not be claimed already (ABORTED otherwise, like a version
  // conflict); a changed or cleared external_ref releases the old claim.
  virtual absl::StatusOr<CommitResult> SaveResponder(
      const std::optional<relais::v1::Responder>& previous, const relais::v1::Responder& next,
      const std::optional<relais::v1::AvailabilityCalendar>& calendar, const IdempotencyKey& idem,
      const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) = 0;
  // Erases `current` in one step: its record, its calendar (at `calendar_version`), its
  // external_ref claim and its index entries. ABORTED when either moved since it was read;
  // FAILED_PRECONDITION (the messages of CheckErasable) when, checked in the same step, the
  // responder has a live booking or belongs to a team.
  virtual absl::StatusOr<CommitResult> EraseResponder(
      const relais::v1::Responder& current, int64_t calendar_version, const IdempotencyKey& idem,
      const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) = 0;
  // OK when nothing keeps the responder from being erased; otherwise FAILED_PRECONDITION
  // "responder <id> has an active hold or commitment" or "responder <id> is a member of team
  // <team id>; remove them from the team first". A read: EraseResponder checks again atomically.
  virtual absl::Status CheckErasable(const std::string& responder_id) = 0;

  // --- Availability ---

  // The calendar as stored (ended periods included); absent when the responder is.
  virtual absl::StatusOr<std::optional<relais::v1::AvailabilityCalendar>> GetCalendar(
      const std::string& responder_id) = 0;
  // Writes `next` over the calendar at `previous_version`; ABORTED when it moved, or when the
  // responder was erased meanwhile. Every calendar write also files the calendar under the time
  // its first period ends (FirstEndMillis), for the sweeper.
  virtual absl::StatusOr<CommitResult> SaveCalendar(
      int64_t previous_version, const relais::v1::AvailabilityCalendar& next,
      const IdempotencyKey& idem, const relais::v1::Event& event,
      const relais::internal::StoredOutcome& outcome) = 0;
  // Responders whose calendar has a period that ended at `now`, at most `limit`, the longest
  // ended first.
  virtual absl::StatusOr<std::vector<std::string>> DueCalendars(absl::Time now, int limit) = 0;

  // --- Idempotency ---

  // Records a refusal (FAILED_PRECONDITION) so that a retry gets the same answer; returns the
  // outcome stored first when the request was already answered.
  virtual absl::StatusOr<CommitResult> Refuse(const IdempotencyKey& idem,
                                              const relais::internal::StoredOutcome& outcome) = 0;
  // The stored outcome of an earlier call with this key, if any.
  virtual absl::StatusOr<std::optional<CommitResult>> FindOutcome(const IdempotencyKey& idem) = 0;
};

}  // namespace relais::inventory
