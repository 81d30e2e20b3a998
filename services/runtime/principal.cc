#include "services/runtime/principal.h"

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/status.h"

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

std::string OnBehalfOf(const Principal& caller) {
  return caller.on_behalf ? caller.organisation_id : std::string();
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
  return principal;
}

}  // namespace relais
