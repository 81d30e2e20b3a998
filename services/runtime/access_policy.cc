#include "services/runtime/access_policy.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace relais::access {
namespace {

// Short names keep the table readable: one line per RPC, one letter per role.
constexpr Rule D = Rule::kDeny;
constexpr Rule A = Rule::kAny;
constexpr Rule R = Rule::kReduced;
constexpr Rule O = Rule::kOwnOrganisation;
constexpr Rule S = Rule::kSelf;

#define RELAIS_CRISIS "/relais.v1.CrisisRegistry/"
#define RELAIS_INVENTORY "/relais.v1.ResourceInventory/"
#define RELAIS_MOBILISATION "/relais.v1.Mobilisation/"

// clang-format off
constexpr Row kTable[] = {
    //                                               coord osi  resp dash admin service
    // --- Crisis registry. Coordinators work as one crisis room: any of them runs any crisis.
    // Everyone reads crises (dashboards, responders seeing what they are asked for).
    {RELAIS_CRISIS "DeclareCrisis",                 {A,    D,   D,   D,   D,    D}},
    {RELAIS_CRISIS "GetCrisis",                     {A,    A,   A,   A,   A,    A}},
    {RELAIS_CRISIS "ListCrises",                    {A,    A,   A,   A,   A,    A}},
    {RELAIS_CRISIS "UpdateCrisis",                  {A,    D,   D,   D,   D,    D}},
    {RELAIS_CRISIS "AddNeed",                       {A,    D,   D,   D,   D,    D}},
    {RELAIS_CRISIS "UpdateNeed",                    {A,    D,   D,   D,   D,    D}},
    {RELAIS_CRISIS "ActivateCrisis",                {A,    D,   D,   D,   D,    D}},
    {RELAIS_CRISIS "PauseCrisis",                   {A,    D,   D,   D,   D,    D}},
    {RELAIS_CRISIS "CloseCrisis",                   {A,    D,   D,   D,   D,    D}},

    // --- Inventory: the directory. The admin registers organisations and is the directory's
    // superuser (imports of every organisation's lists run as admin, acting for the organisation
    // of each record). An OSI keeps its own entry and people. Registering (responders, teams,
    // warehouses) is always for the caller's own organisation: the target is the caller's.
    {RELAIS_INVENTORY "RegisterOrganisation",       {D,    D,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "GetOrganisation",            {A,    A,   A,   A,   A,    A}},
    {RELAIS_INVENTORY "UpdateOrganisation",         {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "ListOrganisations",          {A,    A,   A,   A,   A,    A}},
    {RELAIS_INVENTORY "RegisterResponder",          {D,    O,   D,   D,   A,    D}},
    // Dashboards see a reduced record (the map's distances); the service reads contacts to send
    // notifications.
    {RELAIS_INVENTORY "GetResponder",               {A,    O,   S,   R,   A,    A}},
    {RELAIS_INVENTORY "UpdateResponder",            {D,    O,   D,   D,   A,    D}},
    // Filter must match: an OSI names its own organisation_id (else PERMISSION_DENIED).
    {RELAIS_INVENTORY "ListResponders",             {A,    O,   D,   R,   A,    A}},
    {RELAIS_INVENTORY "RemoveResponder",            {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "SetAvailability",            {D,    O,   S,   D,   A,    D}},
    {RELAIS_INVENTORY "ClearAvailability",          {D,    O,   S,   D,   A,    D}},
    {RELAIS_INVENTORY "GetAvailability",            {A,    O,   S,   D,   A,    A}},
    // The mobilisation service records a released mission; an OSI may record one by hand.
    {RELAIS_INVENTORY "RecordExperience",           {D,    O,   D,   D,   A,    A}},
    {RELAIS_INVENTORY "FindResponders",             {A,    D,   D,   D,   A,    A}},

    // --- Inventory: teams, warehouses, stock. What exists is readable by the crisis room and
    // the milieu (no personal data: ids, names of teams and places, quantities); only the owning
    // organisation (or the admin) changes it. A responder reads their own organisation's teams
    // (the ones they may be in: their export shows them).
    {RELAIS_INVENTORY "OfferTeam",                  {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "GetTeam",                    {A,    A,   O,   A,   A,    A}},
    {RELAIS_INVENTORY "UpdateTeam",                 {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "ListTeams",                  {A,    A,   O,   A,   A,    A}},
    {RELAIS_INVENTORY "RemoveTeam",                 {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "RegisterWarehouse",          {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "GetWarehouse",               {A,    A,   D,   A,   A,    A}},
    {RELAIS_INVENTORY "ListWarehouses",             {A,    A,   D,   A,   A,    A}},
    // The target is the warehouse's organisation.
    {RELAIS_INVENTORY "OfferSupplies",              {D,    O,   D,   D,   A,    D}},
    // The target is the stock line's organisation.
    {RELAIS_INVENTORY "AdjustStock",                {D,    O,   D,   D,   A,    D}},
    {RELAIS_INVENTORY "ListStock",                  {A,    A,   D,   A,   A,    A}},
    {RELAIS_INVENTORY "FindSupplies",               {A,    A,   D,   D,   A,    A}},

    // --- Inventory: holds and commitments. The mobilisation service books; a coordinator may
    // too (relaisctl's `hold` noun). The admin runs no crisis, so it books nothing. An OSI may
    // read the holds on its own people and stock; consuming stock goes through the assignment
    // (ReportStatus DELIVERED), never straight to the ledger.
    {RELAIS_INVENTORY "Hold",                       {A,    D,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "HoldBatch",                  {A,    D,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "GetHold",                    {A,    O,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "ConfirmHold",                {A,    D,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "ReleaseHold",                {A,    D,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "ReleaseCommitment",          {A,    D,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "ExtendCommitment",           {A,    D,   D,   D,   D,    A}},
    {RELAIS_INVENTORY "ConsumeCommitment",          {A,    D,   D,   D,   D,    A}},
    // The audit trail (ids only): a coordinator reads any trail, an OSI its organisation's and its
    // responders', a responder their own; a crisis trail has no owner, so only A rules see it.
    {RELAIS_INVENTORY "ListAuditRecords",           {A,    O,   S,   D,   A,    D}},

    // --- Mobilisation. Coordinators mobilise and decide; responders (or their organisation)
    // answer, withdraw and report. Boards and feeds carry ids and counts only: the reduced view
    // of dashboards and OSIs is the same message.
    {RELAIS_MOBILISATION "ProposeCandidates",       {A,    D,   D,   D,   D,    D}},
    {RELAIS_MOBILISATION "Mobilise",                {A,    D,   D,   D,   D,    D}},
    {RELAIS_MOBILISATION "GetNeedProgress",         {A,    R,   D,   R,   D,    D}},
    {RELAIS_MOBILISATION "GetRequest",              {A,    O,   S,   R,   D,    D}},
    // A responder's filter must name them (responder_id); an OSI's list keeps only its own
    // organisation's requests (filtered results, whichever filter it uses).
    {RELAIS_MOBILISATION "ListRequests",            {A,    O,   S,   R,   D,    D}},
    {RELAIS_MOBILISATION "Respond",                 {D,    O,   S,   D,   D,    D}},
    {RELAIS_MOBILISATION "AcknowledgeRequest",      {D,    O,   S,   D,   D,    D}},
    {RELAIS_MOBILISATION "DecideProvisional",       {A,    D,   D,   D,   D,    D}},
    {RELAIS_MOBILISATION "GetAssignment",           {A,    O,   S,   R,   D,    D}},
    // Same as ListRequests.
    {RELAIS_MOBILISATION "ListAssignments",         {A,    O,   S,   R,   D,    D}},
    // The responder (or their organisation) steps back; a coordinator demobilises instead.
    {RELAIS_MOBILISATION "Withdraw",                {D,    O,   S,   D,   D,    D}},
    // Coordinators may report for someone (a phone call from the field).
    {RELAIS_MOBILISATION "ReportStatus",            {A,    O,   S,   D,   D,    D}},
    {RELAIS_MOBILISATION "Demobilise",              {A,    D,   D,   D,   D,    D}},
    {RELAIS_MOBILISATION "ExtendAssignment",        {A,    D,   D,   D,   D,    D}},
    {RELAIS_MOBILISATION "GetCrisisBoard",          {A,    R,   D,   R,   D,    D}},
    {RELAIS_MOBILISATION "GetOutreach",             {A,    R,   D,   R,   D,    D}},
    // One responder's notifications (ids, states, attempts; never an address): the responder
    // themself, their organisation (its own requests' only), the crisis room, and the admin for
    // the right of access.
    {RELAIS_MOBILISATION "ListNotifications",       {A,    O,   S,   D,   A,    D}},
    {RELAIS_MOBILISATION "WatchMobilisation",       {A,    R,   D,   R,   D,    D}},
    // The request names a responder, not an organisation: only that responder watches it.
    {RELAIS_MOBILISATION "WatchMyAssignments",      {D,    D,   S,   D,   D,    D}},
};
// clang-format on

#undef RELAIS_CRISIS
#undef RELAIS_INVENTORY
#undef RELAIS_MOBILISATION

// The table's column of a role (not the enum's value: the enum may grow or move).
int RoleIndex(Role role) {
  switch (role) {
    case Role::kCoordinator:
      return 0;
    case Role::kOsiAdmin:
      return 1;
    case Role::kResponder:
      return 2;
    case Role::kDashboard:
      return 3;
    case Role::kAdmin:
      return 4;
    case Role::kService:
      return 5;
  }
  return -1;
}

// Abseil's string_view is not std::string_view in this build.
absl::string_view Text(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status Denied(std::string_view method, const Principal& caller, std::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(Text(ShortName(method)), ": role ",
                                                  Text(RoleName(caller.role)), " ", Text(why)));
}

}  // namespace

std::span<const Row> Table() { return kTable; }

const Row* FindRow(std::string_view method) {
  // 64 rows: a linear scan is a few hundred nanoseconds, no index to keep in step.
  for (const Row& row : kTable) {
    if (row.method == method) return &row;
  }
  return nullptr;
}

Rule RuleFor(Role role, std::string_view method) {
  const Row* row = FindRow(method);
  const int index = RoleIndex(role);
  if (row == nullptr || index < 0 || index >= kRoleCount) return Rule::kDeny;
  return row->rules[static_cast<size_t>(index)];
}

std::string_view ShortName(std::string_view method) {
  const size_t slash = method.rfind('/');
  return slash == std::string_view::npos ? method : method.substr(slash + 1);
}

std::string_view RuleName(Rule rule) {
  switch (rule) {
    case Rule::kDeny:
      return "deny";
    case Rule::kAny:
      return "allow";
    case Rule::kReduced:
      return "reduced";
    case Rule::kOwnOrganisation:
      return "own";
    case Rule::kSelf:
      return "self";
  }
  return "deny";
}

absl::Status Authorize(const Principal& caller, std::string_view method) {
  if (FindRow(method) == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(Text(ShortName(method)), ": not in the access table"));
  }
  if (RuleFor(caller.role, method) == Rule::kDeny) return Denied(method, caller, "may not call it");
  return absl::OkStatus();
}

absl::Status AuthorizeTarget(const Principal& caller, std::string_view method,
                             const Target& target) {
  switch (RuleFor(caller.role, method)) {
    case Rule::kAny:
    case Rule::kReduced:
      return absl::OkStatus();
    case Rule::kOwnOrganisation:
      if (caller.organisation_id.empty()) {
        return Denied(method, caller, "acts for no organisation");
      }
      if (target.organisation_id != caller.organisation_id) {
        return Denied(method, caller,
                      absl::StrCat("acts for organisation ", caller.organisation_id,
                                   ", not for the record's organisation",
                                   target.organisation_id.empty()
                                       ? std::string()
                                       : absl::StrCat(" ", Text(target.organisation_id))));
      }
      return absl::OkStatus();
    case Rule::kSelf:
      if (caller.responder_id.empty()) return Denied(method, caller, "names no responder");
      if (target.responder_id != caller.responder_id) {
        return Denied(method, caller, "may act only for the responder they are");
      }
      return absl::OkStatus();
    case Rule::kDeny:
      break;
  }
  return Denied(method, caller, "may not call it");
}

absl::Status AuthorizeFilter(const Principal& caller, std::string_view method,
                             const Target& filter) {
  switch (RuleFor(caller.role, method)) {
    case Rule::kAny:
    case Rule::kReduced:
      return absl::OkStatus();
    case Rule::kOwnOrganisation:
      if (caller.organisation_id.empty()) {
        return Denied(method, caller, "acts for no organisation");
      }
      if (!filter.organisation_id.empty() && filter.organisation_id != caller.organisation_id) {
        return Denied(method, caller,
                      absl::StrCat("may list only its own organisation ", caller.organisation_id));
      }
      return absl::OkStatus();
    case Rule::kSelf:
      if (caller.responder_id.empty()) return Denied(method, caller, "names no responder");
      if (filter.responder_id != caller.responder_id) {
        return Denied(method, caller, "may list only their own (responder_id must be theirs)");
      }
      return absl::OkStatus();
    case Rule::kDeny:
      break;
  }
  return Denied(method, caller, "may not call it");
}

bool Reduced(const Principal& caller, std::string_view method) {
  return RuleFor(caller.role, method) == Rule::kReduced;
}

}  // namespace relais::access
