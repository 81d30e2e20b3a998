// Who may call what: one table, one row per RPC of the three services (CrisisRegistry,
// ResourceInventory, Mobilisation), keyed by the full gRPC method name
// ("/relais.v1.CrisisRegistry/DeclareCrisis"), with one rule per role. Every decision about roles
// and ownership is taken here; the services only say what record a call acts on.
//
// Two checks, in this order:
//  1. Authorize (role level), in RpcRunner::Run and at the start of the two stream handlers,
//     before validation and before any read: PERMISSION_DENIED when the role's rule is kDeny or
//     the method has no row (fail closed).
//  2. AuthorizeTarget (ownership), in the application layer as soon as the owner of the record
//     acted on is known (often after reading it): kOwnOrganisation needs the record's
//     organisation to be the caller's, kSelf the record's responder to be the caller.
// Lists with an own-scope rule use AuthorizeFilter on the request's filter, then AuthorizeTarget
// on each result (see the table's comments for which list does which).
//
// Messages name the method, the role and what is missing; never personal data.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "services/runtime/principal.h"

namespace relais::access {

enum class Rule : uint8_t {
  // The role may not call the method.
  kDeny,
  // Any record.
  kAny,
  // Any record, with personal data cut down to what a crisis room needs (the domain's Reduce*
  // functions: no names, contacts, documents or precise home base).
  kReduced,
  // Only records of the caller's organisation (Principal::organisation_id, never empty).
  kOwnOrganisation,
  // Only records about the caller themselves (Principal::responder_id, never empty).
  kSelf,
};

// Roles in the order of the Role enum: coordinator, osi_admin, responder, dashboard, admin,
// service.
inline constexpr int kRoleCount = 6;

struct Row {
  // The full gRPC method name, "/relais.v1.<Service>/<Method>".
  std::string_view method;
  std::array<Rule, kRoleCount> rules;
};

// What a call acts on: the owner of the record (its organisation, and the responder it is about,
// when it is about one). Empty fields are unknown and never match.
struct Target {
  std::string_view organisation_id;
  std::string_view responder_id;
};

// The whole table, in the order of the protos.
std::span<const Row> Table();
// The row of `method`, or null.
const Row* FindRow(std::string_view method);
// The role's rule for `method`; kDeny when the method has no row.
Rule RuleFor(Role role, std::string_view method);
// "DeclareCrisis" for "/relais.v1.CrisisRegistry/DeclareCrisis" (what logs and metrics name).
std::string_view ShortName(std::string_view method);
// "kDeny" -> "deny", ... (documentation and test output).
std::string_view RuleName(Rule rule);

// Role level: PERMISSION_DENIED when the caller's role may not call `method` at all.
absl::Status Authorize(const Principal& caller, std::string_view method);
// Ownership: PERMISSION_DENIED unless the caller's rule admits `target` (kAny and kReduced admit
// every target; kDeny none).
absl::Status AuthorizeTarget(const Principal& caller, std::string_view method,
                             const Target& target);
// A list's filter: kSelf needs the filter to name the caller (responder_id); kOwnOrganisation
// needs a named organisation to be the caller's. A filter that names no organisation passes: the
// list then keeps only the results AuthorizeTarget admits.
absl::Status AuthorizeFilter(const Principal& caller, std::string_view method,
                             const Target& filter);
// True when the caller sees reduced records (rule kReduced).
bool Reduced(const Principal& caller, std::string_view method);

}  // namespace relais::access
