// How organisations, responders and calendars read on a terminal (the default output; --json is
// for scripts). Every line fits in kMaxWidth columns.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "relais/v1/inventory.pb.h"

namespace relais::cli {

// Every field of the organisation.
std::string OrganisationDetail(const relais::v1::Organisation& organisation);

// One line per organisation, or a short sentence when there is none.
std::string OrganisationTable(
    const google::protobuf::RepeatedPtrField<relais::v1::Organisation>& organisations);

// Every field of the responder, then skills, certifications and contacts as tables. `now` marks
// the certifications and passport that have lapsed.
std::string ResponderDetail(const relais::v1::Responder& responder, absl::Time now);

// One line per responder: id, name, external ref, top skills, commune.
std::string ResponderTable(
    const google::protobuf::RepeatedPtrField<relais::v1::Responder>& responders);

// Up to `count` skills, highest level first, then "+N" for the others: "nurse:4 midwife:3 +1".
std::string TopSkills(const relais::v1::Responder& responder, int count);

// The calendar's periods as a table.
std::string CalendarView(const relais::v1::AvailabilityCalendar& calendar);

// What RemoveResponder erased.
std::string RemovedView(const relais::v1::RemoveResponderResponse& response);

}  // namespace relais::cli
