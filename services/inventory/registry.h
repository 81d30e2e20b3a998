// The inventory's application layer: validates, applies the domain rules of inventory_domain.h to
// what the store holds, and saves the result with its event, safely retried. Knows nothing of
// gRPC; the handler (inventory_handler.h) is a thin adapter around it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "relais/v1/inventory.pb.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/principal.h"

namespace relais::inventory {

class Registry {
 public:
  Registry(InventoryStore& store, const Catalogue& catalogue, const Clock& clock, IdGenerator& ids)
      : store_(store), catalogue_(catalogue), clock_(clock), ids_(ids) {}

  absl::Status RegisterOrganisation(const Principal& caller,
                                    const relais::v1::RegisterOrganisationRequest& request,
                                    relais::v1::Organisation* out);
  absl::Status GetOrganisation(const Principal& caller,
                               const relais::v1::GetOrganisationRequest& request,
                               relais::v1::Organisation* out);
  absl::Status UpdateOrganisation(const Principal& caller,
                                  const relais::v1::UpdateOrganisationRequest& request,
                                  relais::v1::Organisation* out);
  absl::Status ListOrganisations(const Principal& caller,
                                 const relais::v1::ListOrganisationsRequest& request,
                                 relais::v1::ListOrganisationsResponse* out);

  // For the caller's organisation (FAILED_PRECONDITION when it acts for none, or for one that is
  // not in the directory). ALREADY_EXISTS "external_ref: ..." names the responder holding it.
  absl::Status RegisterResponder(const Principal& caller,
                                 const relais::v1::RegisterResponderRequest& request,
                                 relais::v1::Responder* out);
  absl::Status GetResponder(const Principal& caller, const relais::v1::GetResponderRequest& request,
                            relais::v1::Responder* out);
  absl::Status UpdateResponder(const Principal& caller,
                               const relais::v1::UpdateResponderRequest& request,
                               relais::v1::Responder* out);
  absl::Status ListResponders(const Principal& caller,
                              const relais::v1::ListRespondersRequest& request,
                              relais::v1::ListRespondersResponse* out);
  // Erasure: the responder's record, calendar, external_ref claim and index entries go in one
  // step. FAILED_PRECONDITION (stored, so a retry gets it too) while the responder has a live
  // hold or commitment or is a member of a team.
  absl::Status RemoveResponder(const Principal& caller,
                               const relais::v1::RemoveResponderRequest& request,
                               relais::v1::RemoveResponderResponse* out);

  absl::Status SetAvailability(const Principal& caller,
                               const relais::v1::SetAvailabilityRequest& request,
                               relais::v1::AvailabilityCalendar* out);
  absl::Status ClearAvailability(const Principal& caller,
                                 const relais::v1::ClearAvailabilityRequest& request,
                                 relais::v1::AvailabilityCalendar* out);
  absl::Status GetAvailability(const Principal& caller,
                               const relais::v1::GetAvailabilityRequest& request,
                               relais::v1::AvailabilityCalendar* out);

  // Adds a past mission to the responder's experience (the newest kMaxExperience are kept). A
  // mission of an assignment already recorded changes nothing and answers the responder.
  absl::Status RecordExperience(const Principal& caller,
                                const relais::v1::RecordExperienceRequest& request,
                                relais::v1::Responder* out);

  // The principal the sweeper's events name.
  static constexpr std::string_view kSweeperPrincipal = "system:sweeper";
  // Drops the periods that ended at `now` from the calendars due (at most `limit` calendars),
  // each in its own step with an AVAILABILITY_SWEPT event. A calendar that changed meanwhile is
  // skipped, not an error. Returns how many calendars this call rewrote. Safe to run from
  // several processes at once: each calendar version is swept once.
  absl::StatusOr<int> SweepCalendars(absl::Time now, int limit);

 private:
  // Ids an event carries besides its type and caller.
  struct EventIds {
    std::string subject_id;
    int64_t subject_version = 0;
    std::string organisation_id;
    std::string responder_id;
  };
  relais::v1::Event MakeEvent(relais::v1::EventType type, const Principal& caller,
                              const std::string& request_id, EventIds ids) const;

  // The answers to a call already answered once: its first outcome, with today's resource.
  absl::StatusOr<relais::v1::Organisation> ReplayOrganisation(const CommitResult& first);
  absl::StatusOr<relais::v1::Responder> ReplayResponder(const CommitResult& first);
  absl::StatusOr<relais::v1::AvailabilityCalendar> ReplayCalendar(const CommitResult& first);

  // Stores a FAILED_PRECONDITION refusal about `subject_id`; returns what a retry will get.
  absl::StatusOr<CommitResult> StoreRefusal(const IdempotencyKey& idem,
                                            const std::string& subject_id,
                                            const absl::Status& refusal);
  // A retry of a call that succeeded can meet a state its own success changed (the version
  // moved, the period it cleared is gone): its stored outcome, if any, or nullopt.
  absl::StatusOr<std::optional<CommitResult>> EarlierOutcome(const IdempotencyKey& idem);
  // ALREADY_EXISTS for an external_ref held by `holder`, unless this very request was answered.
  absl::StatusOr<relais::v1::Responder> RefuseTakenRef(const IdempotencyKey& idem,
                                                       const std::string& holder);
  // The same for an organisation's external_ref held by the organisation `holder`.
  absl::StatusOr<relais::v1::Organisation> RefuseTakenOrganisationRef(const IdempotencyKey& idem,
                                                                      const std::string& holder);

  // Read-modify-write of one calendar (SetAvailability, ClearAvailability).
  using CalendarChange = std::function<absl::StatusOr<relais::v1::AvailabilityCalendar>(
      const relais::v1::AvailabilityCalendar&)>;
  absl::StatusOr<relais::v1::AvailabilityCalendar> ChangeCalendar(
      const Principal& caller, std::string_view method, const google::protobuf::Message& request,
      const std::string& request_id, const std::string& responder_id, relais::v1::EventType type,
      const std::string& period_id, const CalendarChange& change);

  InventoryStore& store_;
  const Catalogue& catalogue_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace relais::inventory
