// The access table on its own: complete against the three services' descriptors, fail closed,
// and each rule's checks (services/runtime/access_policy.h). The walk over a running stack is
// tests/redis/access_table_redistest.cc.
#include "services/runtime/access_policy.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "relais/v1/crisis_registry.pb.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/mobilisation.pb.h"

namespace relais::access {
namespace {

constexpr Role kAllRoles[] = {Role::kCoordinator, Role::kOsiAdmin, Role::kDashboard,
                              Role::kResponder,   Role::kAdmin,    Role::kService};
constexpr char kServices[][40] = {"relais.v1.CrisisRegistry", "relais.v1.ResourceInventory",
                                  "relais.v1.Mobilisation"};

// Every method of the three services, by full gRPC name, from the linked descriptors.
std::set<std::string> DescriptorMethods() {
  // Referencing the messages links their descriptors into the generated pool.
  relais::v1::Crisis crisis;
  relais::v1::Responder responder;
  relais::v1::Assignment assignment;
  std::set<std::string> out;
  for (const char* name : kServices) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    EXPECT_NE(service, nullptr) << name;
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      out.insert("/" + std::string(name) + "/" + service->method(i)->name());
    }
  }
  return out;
}

Principal Caller(Role role, std::string organisation = "", std::string responder = "") {
  return Principal{"caller-1", role, std::move(organisation), std::move(responder)};
}

TEST(AccessPolicy, EveryMethodOfTheThreeServicesHasARow) {
  const std::set<std::string> methods = DescriptorMethods();
  EXPECT_EQ(methods.size(), 63u);  // 9 + 35 + 19: a new RPC must get its row here
  for (const std::string& method : methods) {
    EXPECT_NE(FindRow(method), nullptr) << method << " has no row in the access table";
  }
}

TEST(AccessPolicy, EveryRowNamesARealMethodOnce) {
  const std::set<std::string> methods = DescriptorMethods();
  std::set<std::string> seen;
  for (const Row& row : Table()) {
    const std::string method(row.method);
    EXPECT_TRUE(methods.contains(method)) << method << " is not a method of the three services";
    EXPECT_TRUE(seen.insert(method).second) << method << " has two rows";
  }
  EXPECT_EQ(seen.size(), methods.size());
}

TEST(AccessPolicy, UnknownMethodsAreDeniedForEveryRole) {
  for (Role role : kAllRoles) {
    for (const char* method : {"/relais.v1.CrisisRegistry/DropCrisis", "DeclareCrisis", "",
                               "/relais.v1.Other/GetCrisis", "/relais.v1.CrisisRegistry/"}) {
      absl::Status status = Authorize(Caller(role, "org_A", "rsp_1"), method);
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied)
          << RoleName(role) << " " << method;
      EXPECT_EQ(RuleFor(role, method), Rule::kDeny);
      EXPECT_EQ(AuthorizeTarget(Caller(role, "org_A", "rsp_1"), method, {"org_A", "rsp_1"}).code(),
                absl::StatusCode::kPermissionDenied);
    }
  }
}

TEST(AccessPolicy, RoleLevelFollowsTheTable) {
  // A few cells that the issue states in words.
  constexpr char kDeclare[] = "/relais.v1.CrisisRegistry/DeclareCrisis";
  EXPECT_TRUE(Authorize(Caller(Role::kCoordinator), kDeclare).ok());
  for (Role role :
       {Role::kOsiAdmin, Role::kResponder, Role::kDashboard, Role::kAdmin, Role::kService}) {
    EXPECT_EQ(Authorize(Caller(role), kDeclare).code(), absl::StatusCode::kPermissionDenied);
  }
  constexpr char kRegisterOrganisation[] = "/relais.v1.ResourceInventory/RegisterOrganisation";
  EXPECT_TRUE(Authorize(Caller(Role::kAdmin), kRegisterOrganisation).ok());
  EXPECT_FALSE(Authorize(Caller(Role::kCoordinator), kRegisterOrganisation).ok());
  // The admin neither runs crises nor answers for responders; the service does nothing people do.
  EXPECT_FALSE(Authorize(Caller(Role::kAdmin), "/relais.v1.Mobilisation/Mobilise").ok());
  EXPECT_FALSE(Authorize(Caller(Role::kAdmin), "/relais.v1.Mobilisation/Respond").ok());
  EXPECT_FALSE(Authorize(Caller(Role::kService), "/relais.v1.Mobilisation/Respond").ok());
  EXPECT_TRUE(Authorize(Caller(Role::kService), "/relais.v1.ResourceInventory/HoldBatch").ok());
  // Reads of crises are for everyone.
  for (Role role : kAllRoles) {
    EXPECT_TRUE(Authorize(Caller(role), "/relais.v1.CrisisRegistry/GetCrisis").ok());
  }
  // A dashboard never writes.
  for (const Row& row : Table()) {
    const std::string_view name = ShortName(row.method);
    const bool read = name.starts_with("Get") || name.starts_with("List") ||
                      name.starts_with("Find") || name.starts_with("Watch");
    if (!read) {
      EXPECT_EQ(RuleFor(Role::kDashboard, row.method), Rule::kDeny) << row.method;
    }
  }
}

TEST(AccessPolicy, SelfNeedsTheCallerToBeTheTargetResponder) {
  constexpr char kRespond[] = "/relais.v1.Mobilisation/Respond";
  EXPECT_TRUE(
      AuthorizeTarget(Caller(Role::kResponder, "", "rsp_1"), kRespond, {"org_A", "rsp_1"}).ok());
  EXPECT_EQ(
      AuthorizeTarget(Caller(Role::kResponder, "org_A", "rsp_1"), kRespond, {"org_A", "rsp_2"})
          .code(),
      absl::StatusCode::kPermissionDenied);
  // A responder principal without a responder id is nobody.
  absl::Status none = AuthorizeTarget(Caller(Role::kResponder, "org_A"), kRespond, {"org_A", ""});
  EXPECT_EQ(none.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(none.message(), "names no responder")) << none;
  // A team's request names no responder: no responder answers it.
  EXPECT_FALSE(
      AuthorizeTarget(Caller(Role::kResponder, "org_A", "rsp_1"), kRespond, {"org_A", ""}).ok());
}

TEST(AccessPolicy, OwnOrganisationNeedsTheRecordToBeTheCallers) {
  constexpr char kUpdateTeam[] = "/relais.v1.ResourceInventory/UpdateTeam";
  EXPECT_TRUE(AuthorizeTarget(Caller(Role::kOsiAdmin, "org_A"), kUpdateTeam, {"org_A", ""}).ok());
  absl::Status other = AuthorizeTarget(Caller(Role::kOsiAdmin, "org_A"), kUpdateTeam, {"org_B"});
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other.message(),
            "UpdateTeam: role osi_admin acts for organisation org_A, not for the record's "
            "organisation org_B");
  EXPECT_EQ(AuthorizeTarget(Caller(Role::kOsiAdmin, ""), kUpdateTeam, {""}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AuthorizeTarget(Caller(Role::kOsiAdmin, "org_A"), kUpdateTeam, {""}).code(),
            absl::StatusCode::kPermissionDenied);
  // The admin is the directory's superuser; a coordinator changes nobody's team.
  EXPECT_TRUE(AuthorizeTarget(Caller(Role::kAdmin), kUpdateTeam, {"org_B"}).ok());
  EXPECT_FALSE(AuthorizeTarget(Caller(Role::kCoordinator, "org_B"), kUpdateTeam, {"org_B"}).ok());
}

// A responder reads their own organisation's teams (their export shows the ones they are in).
TEST(AccessPolicy, AResponderReadsTheirOwnOrganisationsTeams) {
  constexpr char kGetTeam[] = "/relais.v1.ResourceInventory/GetTeam";
  constexpr char kListTeams[] = "/relais.v1.ResourceInventory/ListTeams";
  const Principal responder = Caller(Role::kResponder, "org_A", "rsp_1");
  EXPECT_TRUE(AuthorizeTarget(responder, kGetTeam, {"org_A", ""}).ok());
  EXPECT_FALSE(AuthorizeTarget(responder, kGetTeam, {"org_B", ""}).ok());
  EXPECT_TRUE(AuthorizeFilter(responder, kListTeams, {"org_A", ""}).ok());
  EXPECT_FALSE(AuthorizeFilter(responder, kListTeams, {"org_B", ""}).ok());
  EXPECT_FALSE(AuthorizeFilter(Caller(Role::kResponder, "", "rsp_1"), kListTeams, {"org_A"}).ok());
  // The roles that read every team still do.
  EXPECT_TRUE(AuthorizeTarget(Caller(Role::kOsiAdmin, "org_A"), kGetTeam, {"org_B", ""}).ok());
  EXPECT_TRUE(AuthorizeFilter(Caller(Role::kDashboard), kListTeams, {"org_B", ""}).ok());
}

TEST(AccessPolicy, ListFiltersNameTheCallerOrAreCutToIt) {
  constexpr char kListResponders[] = "/relais.v1.ResourceInventory/ListResponders";
  EXPECT_TRUE(AuthorizeFilter(Caller(Role::kOsiAdmin, "org_A"), kListResponders, {"org_A"}).ok());
  EXPECT_FALSE(AuthorizeFilter(Caller(Role::kOsiAdmin, "org_A"), kListResponders, {"org_B"}).ok());
  EXPECT_TRUE(AuthorizeFilter(Caller(Role::kCoordinator), kListResponders, {"org_B"}).ok());
  EXPECT_FALSE(AuthorizeFilter(Caller(Role::kResponder, "org_A", "rsp_1"), kListResponders,
                               {"org_A", "rsp_1"})
                   .ok());

  constexpr char kListRequests[] = "/relais.v1.Mobilisation/ListRequests";
  // A responder's filter must name them.
  EXPECT_TRUE(
      AuthorizeFilter(Caller(Role::kResponder, "", "rsp_1"), kListRequests, {"", "rsp_1"}).ok());
  EXPECT_FALSE(
      AuthorizeFilter(Caller(Role::kResponder, "", "rsp_1"), kListRequests, {"", "rsp_2"}).ok());
  EXPECT_FALSE(AuthorizeFilter(Caller(Role::kResponder, "", "rsp_1"), kListRequests, {}).ok());
  // An OSI's list by crisis passes the filter; each result is then checked on its own.
  EXPECT_TRUE(AuthorizeFilter(Caller(Role::kOsiAdmin, "org_A"), kListRequests, {}).ok());
  EXPECT_FALSE(AuthorizeFilter(Caller(Role::kOsiAdmin, ""), kListRequests, {}).ok());
  EXPECT_FALSE(AuthorizeTarget(Caller(Role::kOsiAdmin, "org_A"), kListRequests, {"org_B"}).ok());
}

TEST(AccessPolicy, DashboardsSeeReducedRecords) {
  constexpr char kGetResponder[] = "/relais.v1.ResourceInventory/GetResponder";
  EXPECT_TRUE(Reduced(Caller(Role::kDashboard), kGetResponder));
  EXPECT_TRUE(AuthorizeTarget(Caller(Role::kDashboard), kGetResponder, {"org_B", "rsp_9"}).ok());
  for (Role role :
       {Role::kCoordinator, Role::kOsiAdmin, Role::kResponder, Role::kAdmin, Role::kService}) {
    EXPECT_FALSE(Reduced(Caller(role), kGetResponder)) << RoleName(role);
  }
}

TEST(AccessPolicy, MessagesNameMethodAndRoleNeverThePrincipal) {
  absl::Status denied = Authorize(Principal{"person-secret-id", Role::kResponder, "org_A", "rsp_1"},
                                  "/relais.v1.CrisisRegistry/CloseCrisis");
  EXPECT_EQ(denied.message(), "CloseCrisis: role responder may not call it");
  EXPECT_FALSE(absl::StrContains(denied.message(), "person-secret-id"));
}

TEST(AccessPolicy, ShortNames) {
  EXPECT_EQ(ShortName("/relais.v1.CrisisRegistry/DeclareCrisis"), "DeclareCrisis");
  EXPECT_EQ(ShortName("Echo"), "Echo");
  EXPECT_EQ(RuleName(Rule::kOwnOrganisation), "own");
}

}  // namespace
}  // namespace relais::access
