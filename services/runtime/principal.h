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
  // An admin acting for `organisation_id` for this call (metadata x-relais-on-behalf-of, e.g. an
  // import of an organisation's lists): events and the audit trail name both.
  bool on_behalf = false;
};

// Whom the caller acts for, as an event records it (Event.on_behalf_of): the organisation an
// admin acts for (on_behalf); empty when the caller acts for itself.
std::string OnBehalfOf(const Principal& caller);

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
