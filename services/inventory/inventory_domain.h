// The resource inventory's domain: what a valid request is, how each call changes an organisation,
// a responder or an availability calendar. Plain functions over the relais.v1 messages: no gRPC,
// no Redis, no clock (the caller passes `now`). The registry (registry.h) reads, applies one of
// these, and saves.
//
// Error codes: INVALID_ARGUMENT "<field path>: <problem>" for bad input (paths include the request
// message they sit in: "responder.skills[1].level"); FAILED_PRECONDITION when the state forbids
// the change (its message holds fixed texts and ids only, since refusals are stored); NOT_FOUND
// "period_id: ..." for an unknown period. The expected_version check (ABORTED) belongs to the
// caller, which compares it with the version it read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/inventory.pb.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/principal.h"
#include "services/runtime/validation.h"

namespace relais::inventory {

// Limits from proto/relais/v1/inventory.proto.
inline constexpr int kMinOrganisationNameChars = 2;
inline constexpr int kMaxOrganisationNameChars = 200;
inline constexpr int kMaxDomains = 12;
inline constexpr int kMaxCommuneChars = 100;
inline constexpr int kMaxEmailChars = 254;
inline constexpr int kMinPhoneDigits = 6;
inline constexpr int kMaxPhoneDigits = 15;
inline constexpr int kMaxWebsiteChars = 300;
inline constexpr int kMaxOrganisationDescriptionChars = 2000;
inline constexpr int kMaxExternalRefChars = 64;
inline constexpr int kMinDisplayNameChars = 2;
inline constexpr int kMaxDisplayNameChars = 120;
inline constexpr int kMaxSkills = 20;
inline constexpr int kMaxLevel = 5;
inline constexpr int kMaxLanguages = 10;
inline constexpr int kMaxCertifications = 30;
inline constexpr int kMaxDeploymentDays = 365;
inline constexpr int kMaxContacts = 5;
inline constexpr int kMaxContactAddressChars = 254;
inline constexpr int kMaxPeriods = 100;
inline constexpr absl::Duration kMaxPeriodLength = absl::Hours(24 * 400);
inline constexpr int kMaxNoteChars = 200;
inline constexpr int kMaxPageTokenChars = 1024;
inline constexpr int kMaxExperience = 50;
inline constexpr int kMaxPlaceChars = 100;

// Lower case for comparing and indexing names and communes: ASCII and the Latin letters of
// Latin-1 and Latin Extended-A ("Vénissieux" and "VÉNISSIEUX" fold alike). Other characters are
// kept as they are. `text` must be valid UTF-8 (validation guarantees it).
std::string FoldCase(std::string_view text);

// --- Request validation (INVALID_ARGUMENT naming the field) ---

// An organisation's own reference (organisations, responders, teams...): empty, or at most 64
// characters of [A-Za-z0-9._:/-].
absl::Status CheckExternalRef(const FieldPath& path, std::string_view value);

absl::Status ValidateRegisterOrganisation(const relais::v1::RegisterOrganisationRequest& request);
absl::Status ValidateGetOrganisation(const relais::v1::GetOrganisationRequest& request);
// Request shape, update mask and the values of the masked fields ("organisation.name: ...").
absl::Status ValidateUpdateOrganisation(const relais::v1::UpdateOrganisationRequest& request);
absl::Status ValidateListOrganisations(const relais::v1::ListOrganisationsRequest& request);

absl::Status ValidateRegisterResponder(const relais::v1::RegisterResponderRequest& request,
                                       const Catalogue& catalogue);
absl::Status ValidateGetResponder(const relais::v1::GetResponderRequest& request);
absl::Status ValidateUpdateResponder(const relais::v1::UpdateResponderRequest& request,
                                     const Catalogue& catalogue);
absl::Status ValidateListResponders(const relais::v1::ListRespondersRequest& request);
absl::Status ValidateRemoveResponder(const relais::v1::RemoveResponderRequest& request);
// The mission: kind, role_code (a catalogue skill), place, started_at < ended_at, and an optional
// assignment_id of request-id characters.
absl::Status ValidateRecordExperience(const relais::v1::RecordExperienceRequest& request,
                                      const Catalogue& catalogue);

// A period must lie within kMaxPeriodLength, end after it starts and not have ended at `now`.
absl::Status ValidateSetAvailability(const relais::v1::SetAvailabilityRequest& request,
                                     absl::Time now);
absl::Status ValidateClearAvailability(const relais::v1::ClearAvailabilityRequest& request);
absl::Status ValidateGetAvailability(const relais::v1::GetAvailabilityRequest& request);

// --- Who ---

// The organisation the caller acts for: FAILED_PRECONDITION "caller acts for no organisation"
// when it has none, or one that is not an id.
absl::StatusOr<std::string> CallerOrganisation(const Principal& caller);

// --- Changes (each returns the entity after the call, version + 1) ---

// A new organisation from a validated request: version 1, created_at = updated_at = now.
relais::v1::Organisation NewOrganisation(const relais::v1::RegisterOrganisationRequest& request,
                                         std::string organisation_id, absl::Time now);
// Applies the masked fields of a validated request.
relais::v1::Organisation ApplyUpdateOrganisation(
    const relais::v1::Organisation& current, const relais::v1::UpdateOrganisationRequest& request,
    absl::Time now);

// A new responder of `organisation_id` (the caller's: the request's organisation_id is ignored).
// The experience is the server's (RecordExperience): any sent with the request is dropped.
relais::v1::Responder NewResponder(const relais::v1::RegisterResponderRequest& request,
                                   std::string responder_id, std::string organisation_id,
                                   absl::Time now);
relais::v1::Responder ApplyUpdateResponder(const relais::v1::Responder& current,
                                           const relais::v1::UpdateResponderRequest& request,
                                           absl::Time now);
// Adds the validated request's mission to the experience, kept oldest first (by ended_at) and
// capped at kMaxExperience by dropping the oldest. nullopt when a mission with the same non-empty
// assignment_id is already recorded: nothing to change.
std::optional<relais::v1::Responder> ApplyRecordExperience(
    const relais::v1::Responder& current, const relais::v1::RecordExperienceRequest& request,
    absl::Time now);

// --- What a reduced view shows (access::Rule::kReduced: dashboards) ---

// Home bases in a reduced record are rounded to this many degrees (about 1 km): enough for a
// distance and a bearing from a crisis, not enough to find someone's home.
inline constexpr double kReducedHomeBaseStep = 0.01;
// Cuts a responder down to what a crisis room needs: id, organisation, skills, languages,
// maximum deployment, the home base rounded to kReducedHomeBaseStep, timestamps, and the name
// cut to ShortDisplayName (the room says "Léa M. accepted"; a wall screen shows no full names).
// Clears the organisation's reference, contacts, travel documents, certifications (health data,
// e.g. vaccinations), the home commune and past missions.
void ReduceResponder(relais::v1::Responder* responder);
// "Léa Martin" -> "Léa M.", "Jean-Pierre de La Tour" -> "Jean-Pierre T.", "Amina" -> "Amina":
// the first word and the initial (a whole UTF-8 character) of the last.
std::string ShortDisplayName(std::string_view display_name);

// --- Availability calendars ---

// The empty calendar a responder is registered with (version 1).
relais::v1::AvailabilityCalendar NewCalendar(std::string responder_id);
// True once `now` has reached the period's end ([from, until) is half-open).
bool HasEnded(const relais::v1::AvailabilityPeriod& period, absl::Time now);
// The calendar as callers see it at `now`: without the periods that ended.
relais::v1::AvailabilityCalendar CurrentCalendar(const relais::v1::AvailabilityCalendar& stored,
                                                 absl::Time now);
// When the first of the calendar's periods ends (the soonest `until`), rounded up to the
// millisecond so that a sweeper due at that millisecond finds it ended; nullopt without periods.
std::optional<int64_t> FirstEndMillis(const relais::v1::AvailabilityCalendar& calendar);
// Adds the validated request's period with `period_id`, drops the periods that ended, keeps them
// ordered by `from`. FAILED_PRECONDITION when the calendar already holds kMaxPeriods periods.
absl::StatusOr<relais::v1::AvailabilityCalendar> ApplySetAvailability(
    const relais::v1::AvailabilityCalendar& current,
    const relais::v1::SetAvailabilityRequest& request, std::string period_id, absl::Time now);
// Removes one period and drops the periods that ended. NOT_FOUND "period_id: ..." when the
// calendar has no such period (or it has ended).
absl::StatusOr<relais::v1::AvailabilityCalendar> ApplyClearAvailability(
    const relais::v1::AvailabilityCalendar& current,
    const relais::v1::ClearAvailabilityRequest& request, absl::Time now);

}  // namespace relais::inventory
