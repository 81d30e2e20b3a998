#include "services/runtime/principal.h"

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/runtime/validation.h"

namespace relais {
namespace {

constexpr size_t kMaxIdLength = 128;

std::string HeaderValue(const grpc::ServerContextBase& context, const char* name) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(name);
  if (it == metadata.end()) return {};
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

std::string OnBehalfOf(const Principal& caller) { return caller.on_behalf_of; }

// Principal ids share request ids' alphabet and length (validation.h CheckRequestId).
bool IsPrincipalId(std::string_view id) { return CheckRequestId(id).ok(); }

absl::Status ReadOnBehalfOf(const grpc::ServerContextBase& context, Principal* caller) {
  const auto& metadata = context.client_metadata();
  auto behalf = metadata.find(kOnBehalfOf);
  if (behalf == metadata.end()) return absl::OkStatus();
  if (metadata.count(kOnBehalfOf) > 1) {
    return absl::InvalidArgumentError(absl::StrCat(kOnBehalfOf, ": sent more than once"));
  }
  const std::string_view whom(behalf->second.data(), behalf->second.size());
  switch (caller->role) {
    case Role::kAdmin:
      // The directory's administrator registers an organisation's records for it (imports): the
      // access table then treats the call as that organisation's.
      if (absl::Status s = CheckResourceId(kOnBehalfOf, whom); !s.ok()) return s;
      caller->organisation_id = std::string(whom);
      break;
    case Role::kService:
      // A service doing what a person asked: recorded, and nothing more.
      if (!IsPrincipalId(whom)) {
        return absl::InvalidArgumentError(absl::StrCat(
            kOnBehalfOf, ": a principal id, 1 to 128 characters from [A-Za-z0-9._:-]"));
      }
      break;
    default:
      return absl::PermissionDeniedError(
          absl::StrCat(kOnBehalfOf,
                       ": only the admin (for an organisation) and Relais services (for a person) "
                       "act on another's behalf, not ",
                       std::string(RoleName(caller->role))));
  }
  caller->on_behalf_of = std::string(whom);
  return absl::OkStatus();
}

bool ParseRole(std::string_view text, Role* role) {
  for (Role r : {Role::kCoordinator, Role::kOsiAdmin, Role::kResponder, Role::kDashboard,
                 Role::kAdmin, Role::kService}) {
    if (text == RoleName(r)) {
      *role = r;
      return true;
    }
  }
  return false;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCoordinator:
      return "coordinator";
    case Role::kOsiAdmin:
      return "osi_admin";
    case Role::kResponder:
      return "responder";
    case Role::kDashboard:
      return "dashboard";
    case Role::kAdmin:
      return "admin";
    case Role::kService:
      return "service";
  }
  return "unknown";
}

absl::StatusOr<Principal> DevHeaderPrincipalResolver::Resolve(
    const grpc::ServerContextBase& context) const {
  Principal principal;
  principal.id = HeaderValue(context, "x-relais-principal");
  if (principal.id.empty()) principal.id = "anonymous";
  if (principal.id.size() > kMaxIdLength) {
    return absl::UnauthenticatedError("x-relais-principal: longer than 128 characters");
  }
  std::string role = HeaderValue(context, "x-relais-role");
  if (!role.empty() && !ParseRole(role, &principal.role)) {
    return absl::UnauthenticatedError("x-relais-role: unknown role '" + role.substr(0, 32) + "'");
  }
  principal.organisation_id = HeaderValue(context, "x-relais-organisation").substr(0, kMaxIdLength);
  principal.responder_id = HeaderValue(context, "x-relais-responder").substr(0, kMaxIdLength);
  if (absl::Status s = ReadOnBehalfOf(context, &principal); !s.ok()) return s;
  return principal;
}

}  // namespace relais
