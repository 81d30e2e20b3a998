// How organisations, responders, calendars, teams, warehouses, stock and holds read on a terminal
// (the default output; --json is for scripts). Every line fits in kMaxWidth columns.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "relais/v1/holds.pb.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/stock.pb.h"
#include "relais/v1/teams.pb.h"

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

// `table` then, when there are more pages, the hint to get the next one.
std::string WithNextPage(std::string table, const std::string& next_page_token);

// Who can go, in rank order: id, level, distance, availability, past missions, fit, and the
// organisation on a second line.
std::string ResponderMatchTable(const relais::v1::FindRespondersResponse& response);

// Every field of the team, then its kit as a table.
std::string TeamDetail(const relais::v1::Team& team);

// One line per team: id, type, members, kit lines, name.
std::string TeamTable(const google::protobuf::RepeatedPtrField<relais::v1::Team>& teams);

// What RemoveTeam withdrew.
std::string TeamRemovedView(const relais::v1::RemoveTeamResponse& response);

std::string WarehouseDetail(const relais::v1::Warehouse& warehouse);

// One line per warehouse: id, commune, name, external ref.
std::string WarehouseTable(
    const google::protobuf::RepeatedPtrField<relais::v1::Warehouse>& warehouses);

// Every field of the line and where its units are; `now` marks a lot that has expired.
std::string StockLineDetail(const relais::v1::StockLine& line, absl::Time now);

// One line per stock line: id, item, lot, expiry, available/held/committed units, and its
// warehouse on a second line.
std::string StockTable(const google::protobuf::RepeatedPtrField<relais::v1::StockLine>& lines);

// The lines found, nearest first, with their distance, then whether they cover `quantity`.
std::string SupplyMatchesView(const relais::v1::FindSuppliesResponse& response, int64_t quantity);

// Every field of the hold, its members and its stock; `now` says how long a hold has left.
std::string HoldDetail(const relais::v1::Hold& hold, absl::Time now);

}  // namespace relais::cli
