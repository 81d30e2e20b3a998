// The identity seam: who is calling. Every handler gets the caller's Principal from one place
// (PrincipalResolver); who acts for which organisation comes from here, never from a request
// field. Today the resolver reads development headers; the security work replaces it with signed
// tokens without touching the handlers.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace grpc {
class ServerContextBase;
}

namespace relais {

// kService is another Relais service calling (the mobilisation service holding a responder in
// the inventory); people never get it.
enum class Role { kCoordinator, kOsiAdmin, kResponder, kDashboard, kAdmin, kService };

// "coordinator" for kCoordinator...; false when `text` names no role.
bool ParseRole(std::string_view text, Role* role);

std::string_view RoleName(Role role);

struct Principal {
  // Stable id of the caller, e.g. "coord-lyon-1". Never a name or an e-mail address.
  std::string id;
  Role role = Role::kCoordinator;
  // The organisation the caller acts for (OSI admins, responders), empty otherwise.
  std::string organisation_id;
  // The responder the caller is (responders only).
  std::string responder_id;
  // Whom the caller acts for on this call (metadata x-relais-on-behalf-of); events and the audit
  // trail name both. Two callers may say it:
  // - an admin acting for an organisation (an import of its lists): the organisation's id, also
  //   set as `organisation_id`, which the access table then checks;
  // - a Relais service doing what a person asked (the mobilisation service holding responders for
  //   the coordinator who started a round): that person's principal id. It grants nothing.
  std::string on_behalf_of;
};

// Whom the caller acts for, as an event records it (Event.on_behalf_of); empty when the caller
// acts for itself.
std::string OnBehalfOf(const Principal& caller);

// Metadata naming whom the caller acts for on this call (Principal::on_behalf_of).
inline constexpr char kOnBehalfOf[] = "x-relais-on-behalf-of";

// Reads kOnBehalfOf into `caller`, whose role decides what it may name: an organisation for the
// admin, a person for a service. PERMISSION_DENIED for any other role; INVALID_ARGUMENT for a
// malformed id or the header sent twice.
absl::Status ReadOnBehalfOf(const grpc::ServerContextBase& context, Principal* caller);

// What a service may name as the person it acts for: a principal id as tokens carry it (1 to 128
// characters from [A-Za-z0-9._:-]).
bool IsPrincipalId(std::string_view id);

class PrincipalResolver {
 public:
  virtual ~PrincipalResolver() = default;
  // UNAUTHENTICATED when the call carries no acceptable identity.
  virtual absl::StatusOr<Principal> Resolve(const grpc::ServerContextBase& context) const = 0;
};

// Development mode: trusts the metadata headers x-relais-principal, x-relais-role
// (coordinator | osi_admin | responder | dashboard | admin | service), x-relais-organisation and
// x-relais-responder. A call without x-relais-principal is the principal "anonymous" with the
// coordinator role. Logged loudly at start-up: it authenticates nobody.
class DevHeaderPrincipalResolver final : public PrincipalResolver {
 public:
  absl::StatusOr<Principal> Resolve(const grpc::ServerContextBase& context) const override;
};

}  // namespace relais
