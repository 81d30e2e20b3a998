// The walk of the access table (services/runtime/access_policy.h) over the three services running
// on one Redis: every RPC of their descriptors x every role x own/other organisation (and the
// responder themselves / another of their organisation's / another organisation's), called over
// gRPC. A denied cell must answer PERMISSION_DENIED; an allowed one anything but
// PERMISSION_DENIED and UNAUTHENTICATED (OK for reads). An RPC without a row in the table, or
// without a request builder here, fails the walk.
//
// The world: organisations A and B; nurses A1 (the responder who calls), A2, A3 in A and B1, B2 in
// B; a logistician per organisation in its team; a warehouse and a stock line per organisation;
// an active heatwave with a nurse need, mobilised: A1, A2 and B1 accepted (assignments), A3 and B2
// pending; a stock hold per organisation. The walk runs reads first, then writes, with what
// removes or closes things last; within an RPC the denied cells come first.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/proto_time.h"
#include "tests/support/mobilisation_stack.h"

namespace relais::testing {
namespace {

namespace v1 = ::relais::v1;
using access::Rule;

// Where the record a cell acts on sits, seen from the caller (organisation A; responder A1).
enum class Scope {
  kNone,      // the call names no owned record (or only the caller's own, implicitly)
  kSelf,      // responder A1's record
  kSameOrg,   // another responder of organisation A
  kOwnOrg,    // a record of organisation A
  kOtherOrg,  // a record of organisation B
};

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kNone:
      return "no target";
    case Scope::kSelf:
      return "self";
    case Scope::kSameOrg:
      return "own org, other responder";
    case Scope::kOwnOrg:
      return "own org";
    case Scope::kOtherOrg:
      return "other org";
  }
  return "?";
}

// What a builder's record is keyed on.
enum class Kind { kNone, kOrganisation, kResponder };

std::vector<Scope> ScopesOf(Kind kind) {
  switch (kind) {
    case Kind::kNone:
      return {Scope::kNone};
    case Kind::kOrganisation:
      return {Scope::kOwnOrg, Scope::kOtherOrg};
    case Kind::kResponder:
      return {Scope::kSelf, Scope::kSameOrg, Scope::kOtherOrg};
  }
  return {};
}

struct Answer {
  grpc::Status status;
  // The organisations of the records a list returned (to check a cut-down list).
  std::vector<std::string> organisations;
};

struct Builder {
  Kind kind = Kind::kNone;
  // Reads: an allowed cell must be OK.
  bool read = false;
  // Lists cut to the caller's organisation (an own-scope rule admits the call and filters).
  bool filtered = false;
  // Runs after every other RPC (removes or closes what others need).
  bool last = false;
  std::function<Answer(grpc::ClientContext*, Scope)> call;
};

constexpr Role kRoles[] = {Role::kCoordinator, Role::kOsiAdmin, Role::kResponder,
                           Role::kDashboard,   Role::kAdmin,    Role::kService};

class AccessTableTest : public ::testing::Test {
 protected:
  void SetUp() override { BuildWorld(); }

  // --- identities -------------------------------------------------------------------------

  std::unique_ptr<grpc::ClientContext> As(Role role) const {
    switch (role) {
      case Role::kCoordinator:
        return MobilisationStack::As("coord-walk", "coordinator");
      case Role::kOsiAdmin:
        return MobilisationStack::As("osi-walk-a", "osi_admin", org_a);
      case Role::kResponder:
        return MobilisationStack::As("person-a1", "responder", org_a, a1);
      case Role::kDashboard:
        return MobilisationStack::As("dash-walk", "dashboard");
      case Role::kAdmin:
        // The admin acts for organisation A (as an import does, record by record).
        return MobilisationStack::As("admin-walk", "admin", org_a);
      case Role::kService:
        return MobilisationStack::As("svc-walk", "service");
    }
    return nullptr;
  }
  std::unique_ptr<grpc::ClientContext> OsiOf(const std::string& org) const {
    return MobilisationStack::As("osi-" + org, "osi_admin", org);
  }
  static std::unique_ptr<grpc::ClientContext> Admin() {
    return MobilisationStack::As("admin-setup", "admin");
  }

  std::string NextId() { return absl::StrCat("walk-", ++request_counter_); }

  // --- the world ------------------------------------------------------------------------------

  std::string RegisterOrganisation(const std::string& name, const std::string& request_id) {
    v1::RegisterOrganisationRequest request;
    request.set_request_id(request_id);
    v1::Organisation& o = *request.mutable_organisation();
    o.set_name(name);
    o.set_kind(v1::ORGANISATION_KIND_NGO);
    o.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
    o.set_commune("Lyon 7e");
    o.mutable_location()->set_lat(45.745);
    o.mutable_location()->set_lon(4.842);
    v1::Organisation out;
    grpc::Status status = stack_.inventory_stub->RegisterOrganisation(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  v1::Responder Person(const std::string& ref, const std::string& skill, double km_east) const {
    v1::Responder r;
    r.set_display_name("Camille Exemple " + ref);
    r.set_external_ref(ref);
    auto* s = r.add_skills();
    s->set_code(skill);
    s->set_level(3);
    r.add_languages("fr");
    r.mutable_home_base()->set_lat(45.764);
    r.mutable_home_base()->set_lon(4.8357 + km_east / 77.7);
    r.set_home_commune("Villeurbanne");
    r.set_max_deployment_days(30);
    auto* contact = r.add_contacts();
    contact->set_kind(v1::CONTACT_KIND_EMAIL);
    contact->set_address(ref + "@example.org");
    return r;
  }

  std::string RegisterPerson(const std::string& org, const std::string& ref,
                             const std::string& skill, double km_east) {
    v1::RegisterResponderRequest request;
    request.set_request_id("rsp-" + ref);
    *request.mutable_responder() = Person(ref, skill, km_east);
    v1::Responder out;
    grpc::Status status = stack_.inventory_stub->RegisterResponder(OsiOf(org).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::SetAvailabilityRequest period;
    period.set_request_id("avl-" + ref);
    period.set_responder_id(out.id());
    period.mutable_period()->set_kind(v1::AVAILABILITY_KIND_AVAILABLE);
    *period.mutable_period()->mutable_from() = ToProtoTime(DecemberDay(1, 0));
    *period.mutable_period()->mutable_until() = ToProtoTime(DecemberDay(31, 0));
    v1::AvailabilityCalendar calendar;
    status = stack_.inventory_stub->SetAvailability(OsiOf(org).get(), period, &calendar);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (calendar.periods_size() > 0) periods_[out.id()] = calendar.periods(0).id();
    return out.id();
  }

  std::string OfferTeam(const std::string& org, const std::string& member,
                        const std::string& request_id) {
    v1::OfferTeamRequest request;
    request.set_request_id(request_id);
    v1::Team& team = *request.mutable_team();
    team.set_name("EMT " + request_id);
    team.set_type_code("who-emt-type-1-mobile");
    team.add_member_ids(member);
    v1::Team out;
    grpc::Status status = stack_.inventory_stub->OfferTeam(OsiOf(org).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  static v1::RegisterWarehouseRequest WarehouseRequest(const std::string& request_id) {
    v1::RegisterWarehouseRequest request;
    request.set_request_id(request_id);
    request.mutable_warehouse()->set_name("Bioport " + request_id);
    request.mutable_warehouse()->set_commune("Vaulx-en-Velin");
    request.mutable_warehouse()->mutable_location()->set_lat(45.778);
    request.mutable_warehouse()->mutable_location()->set_lon(4.921);
    return request;
  }

  static v1::OfferSuppliesRequest SuppliesRequest(const std::string& request_id,
                                                  const std::string& warehouse) {
    v1::OfferSuppliesRequest offer;
    offer.set_request_id(request_id);
    offer.mutable_line()->set_warehouse_id(warehouse);
    offer.mutable_line()->set_item_code("who-cholera-kit-central");
    offer.mutable_line()->set_lot("LOT-" + request_id);
    *offer.mutable_line()->mutable_expires_at() =
        ToProtoTime(absl::FromCivil(absl::CivilDay(2028, 6, 30), absl::UTCTimeZone()));
    offer.set_quantity(10);
    return offer;
  }

  static v1::TimeWindow Window() {
    v1::TimeWindow window;
    *window.mutable_start() = ToProtoTime(DecemberDay(3));
    *window.mutable_end() = ToProtoTime(DecemberDay(8));
    return window;
  }

  std::string HoldStock(const std::string& line, const std::string& request_id) {
    v1::HoldRequest request;
    request.set_request_id(request_id);
    request.set_stock_line_id(line);
    request.set_quantity(1);
    request.set_holder_ref("walk");
    request.mutable_ttl()->set_seconds(3600);
    v1::Hold out;
    grpc::Status status =
        stack_.inventory_stub->Hold(MobilisationStack::Coordinator().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  void BuildWorld() {
    org_a = RegisterOrganisation("Organisation A", "org-a");
    org_b = RegisterOrganisation("Organisation B", "org-b");
    a1 = RegisterPerson(org_a, "A1", "nurse", 1);
    a2 = RegisterPerson(org_a, "A2", "nurse", 2);
    a3 = RegisterPerson(org_a, "A3", "nurse", 3);
    b1 = RegisterPerson(org_b, "B1", "nurse", 4);
    b2 = RegisterPerson(org_b, "B2", "nurse", 5);
    member_a = RegisterPerson(org_a, "LA", "logistician", 6);
    member_b = RegisterPerson(org_b, "LB", "logistician", 7);
    team_a = OfferTeam(org_a, member_a, "team-a");
    team_b = OfferTeam(org_b, member_b, "team-b");
    for (auto [org, warehouse, line, ref] :
         {std::tuple{org_a, &wh_a, &line_a, "a"}, std::tuple{org_b, &wh_b, &line_b, "b"}}) {
      v1::Warehouse w;
      grpc::Status status = stack_.inventory_stub->RegisterWarehouse(
          OsiOf(org).get(), WarehouseRequest(absl::StrCat("whs-", ref)), &w);
      ASSERT_TRUE(status.ok()) << status.error_message();
      *warehouse = w.id();
      v1::StockLine l;
      status = stack_.inventory_stub->OfferSupplies(
          OsiOf(org).get(), SuppliesRequest(absl::StrCat("stk-", ref), w.id()), &l);
      ASSERT_TRUE(status.ok()) << status.error_message();
      *line = l.id();
    }
    hold_a = HoldStock(line_a, "hold-a");
    hold_b = HoldStock(line_b, "hold-b");

    stack_.DeclareHeatwave(5);
    crisis = stack_.crisis_id;
    need = stack_.need_id;
    // The log position before the mobilisation: streams from it have events at once.
    v1::GetCrisisBoardRequest board_request;
    board_request.set_crisis_id(crisis);
    v1::CrisisBoard board;
    grpc::Status status =
        stack_.stub->GetCrisisBoard(MobilisationStack::Coordinator().get(), board_request, &board);
    ASSERT_TRUE(status.ok()) << status.error_message();
    cursor = board.cursor();
    v1::MobiliseResponse sent = stack_.Mobilise("walk-mobilise", 1.0);
    ASSERT_EQ(sent.requests_size(), 5);
    for (const std::string& who : {a1, a2, b1}) {
      v1::MobilisationRequest answered;
      status = stack_.Respond(stack_.RequestFor(who).id(), who, v1::ANSWER_ACCEPT, &answered);
      ASSERT_TRUE(status.ok()) << status.error_message();
      requests_[who] = answered.id();
      assignments_[who] = answered.assignment_id();
    }
    requests_[a3] = stack_.RequestFor(a3).id();
    requests_[b2] = stack_.RequestFor(b2).id();
    ASSERT_FALSE(assignments_[a1].empty());
  }

  // --- targets --------------------------------------------------------------------------------

  const std::string& Org(Scope scope) const { return scope == Scope::kOtherOrg ? org_b : org_a; }
  const std::string& Responder(Scope scope) const {
    switch (scope) {
      case Scope::kSameOrg:
        return a2;
      case Scope::kOtherOrg:
        return b1;
      default:
        return a1;
    }
  }
  const std::string& RequestOf(Scope scope) { return requests_[Responder(scope)]; }
  const std::string& AssignmentOf(Scope scope) { return assignments_[Responder(scope)]; }
  const std::string& TeamOf(Scope scope) const {
    return scope == Scope::kOtherOrg ? team_b : team_a;
  }
  const std::string& WarehouseOf(Scope scope) const {
    return scope == Scope::kOtherOrg ? wh_b : wh_a;
  }
  const std::string& LineOf(Scope scope) const {
    return scope == Scope::kOtherOrg ? line_b : line_a;
  }
  const std::string& HoldOf(Scope scope) const {
    return scope == Scope::kOtherOrg ? hold_b : hold_a;
  }

  // --- the builders: one per RPC, keyed by full method name --------------------------------

  std::map<std::string, Builder> Builders();

  MobilisationStack stack_;
  int request_counter_ = 0;
  std::string org_a, org_b, a1, a2, a3, b1, b2, member_a, member_b, team_a, team_b;
  std::string wh_a, wh_b, line_a, line_b, hold_a, hold_b, crisis, need, cursor;
  std::map<std::string, std::string> periods_, requests_, assignments_;
};

// Unary calls through the typed stubs.
template <class Stub, class Req, class Resp>
Answer Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
            grpc::ClientContext* ctx, const Req& request, Resp* response = nullptr) {
  Resp local;
  return {(stub->*method)(ctx, request, response != nullptr ? response : &local), {}};
}

// A stream's first read: a message (OK) or how the call ended.
template <class Message>
Answer FirstRead(std::unique_ptr<grpc::ClientReader<Message>> reader, grpc::ClientContext* ctx) {
  Message first;
  if (reader->Read(&first)) {
    ctx->TryCancel();
    reader->Finish();
    return {grpc::Status::OK, {}};
  }
  return {reader->Finish(), {}};
}

std::map<std::string, Builder> AccessTableTest::Builders() {
  std::map<std::string, Builder> b;
  auto* crises = stack_.registry_stub.get();
  auto* inventory = stack_.inventory_stub.get();
  auto* mob = stack_.stub.get();
  using CR = v1::CrisisRegistry::Stub;
  using RI = v1::ResourceInventory::Stub;
  using MB = v1::Mobilisation::Stub;
  const std::string kC = "/relais.v1.CrisisRegistry/";
  const std::string kI = "/relais.v1.ResourceInventory/";
  const std::string kM = "/relais.v1.Mobilisation/";

  // --- Crisis registry
  b[kC + "DeclareCrisis"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                               v1::DeclareCrisisRequest r;
                               r.set_request_id(NextId());
                               r.set_title("Walk crisis");
                               r.set_kind(v1::CRISIS_KIND_HEATWAVE);
                               r.set_scope(v1::CRISIS_SCOPE_LOCAL);
                               r.set_severity(v1::SEVERITY_SEVERE);
                               r.set_urgency(v1::URGENCY_EXPECTED);
                               r.set_certainty(v1::CERTAINTY_LIKELY);
                               auto* area = r.mutable_area();
                               area->mutable_center()->set_lat(45.764);
                               area->mutable_center()->set_lon(4.8357);
                               area->set_radius_km(15);
                               area->set_description("Lyon");
                               area->set_country("FR");
                               area->set_commune("Lyon");
                               *r.mutable_starts_at() = ToProtoTime(DecemberDay(2));
                               return Call(crises, &CR::DeclareCrisis, ctx, r);
                             }};
  b[kC + "GetCrisis"] = {Kind::kNone, true, false, false, [=, this](auto* ctx, Scope) {
                           v1::GetCrisisRequest r;
                           r.set_crisis_id(crisis);
                           return Call(crises, &CR::GetCrisis, ctx, r);
                         }};
  b[kC + "ListCrises"] = {Kind::kNone, true, false, false, [=](auto* ctx, Scope) {
                            return Call(crises, &CR::ListCrises, ctx, v1::ListCrisesRequest());
                          }};
  b[kC + "UpdateCrisis"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                              v1::UpdateCrisisRequest r;
                              r.set_request_id(NextId());
                              r.set_crisis_id(crisis);
                              r.mutable_crisis()->set_description("Mise à jour");
                              r.mutable_update_mask()->add_paths("description");
                              return Call(crises, &CR::UpdateCrisis, ctx, r);
                            }};
  b[kC + "AddNeed"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                         v1::AddNeedRequest r;
                         r.set_request_id(NextId());
                         r.set_crisis_id(crisis);
                         auto* need_spec = r.mutable_need();
                         need_spec->mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
                         need_spec->mutable_resource()->set_code("physician-gp");
                         need_spec->set_quantity(1);
                         need_spec->set_priority(v1::NEED_PRIORITY_MEDIUM);
                         need_spec->set_duration_days(3);
                         return Call(crises, &CR::AddNeed, ctx, r);
                       }};
  b[kC + "UpdateNeed"] = {
      Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
        v1::UpdateNeedRequest r;
        r.set_request_id(NextId());
        r.set_crisis_id(crisis);
        r.set_need_id(need);
        r.mutable_need()->mutable_spec()->set_priority(v1::NEED_PRIORITY_CRITICAL);
        r.mutable_update_mask()->add_paths("spec.priority");
        return Call(crises, &CR::UpdateNeed, ctx, r);
      }};
  b[kC + "ActivateCrisis"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                                v1::ActivateCrisisRequest r;
                                r.set_request_id(NextId());
                                r.set_crisis_id(crisis);
                                return Call(crises, &CR::ActivateCrisis, ctx, r);
                              }};
  b[kC + "PauseCrisis"] = {Kind::kNone, false, false, true, [=, this](auto* ctx, Scope) {
                             v1::PauseCrisisRequest r;
                             r.set_request_id(NextId());
                             r.set_crisis_id(crisis);
                             r.set_reason("pause");
                             return Call(crises, &CR::PauseCrisis, ctx, r);
                           }};
  b[kC + "CloseCrisis"] = {Kind::kNone, false, false, true, [=, this](auto* ctx, Scope) {
                             v1::CloseCrisisRequest r;
                             r.set_request_id(NextId());
                             r.set_crisis_id(crisis);
                             r.set_reason("fin");
                             return Call(crises, &CR::CloseCrisis, ctx, r);
                           }};

  // --- Inventory: directory
  b[kI + "RegisterOrganisation"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                                      v1::RegisterOrganisationRequest r;
                                      r.set_request_id(NextId());
                                      v1::Organisation& o = *r.mutable_organisation();
                                      o.set_name("Organisation " + r.request_id());
                                      o.set_kind(v1::ORGANISATION_KIND_NGO);
                                      o.add_domains(v1::DOMAIN_WASH);
                                      o.set_commune("Lyon");
                                      o.mutable_location()->set_lat(45.75);
                                      o.mutable_location()->set_lon(4.85);
                                      return Call(inventory, &RI::RegisterOrganisation, ctx, r);
                                    }};
  b[kI + "GetOrganisation"] = {Kind::kOrganisation, true, false, false,
                               [=, this](auto* ctx, Scope scope) {
                                 v1::GetOrganisationRequest r;
                                 r.set_organisation_id(Org(scope));
                                 return Call(inventory, &RI::GetOrganisation, ctx, r);
                               }};
  b[kI + "UpdateOrganisation"] = {Kind::kOrganisation, false, false, false,
                                  [=, this](auto* ctx, Scope scope) {
                                    v1::UpdateOrganisationRequest r;
                                    r.set_request_id(NextId());
                                    r.set_organisation_id(Org(scope));
                                    r.mutable_organisation()->set_description("Mise à jour");
                                    r.mutable_update_mask()->add_paths("description");
                                    return Call(inventory, &RI::UpdateOrganisation, ctx, r);
                                  }};
  b[kI + "ListOrganisations"] = {Kind::kNone, true, false, false, [=](auto* ctx, Scope) {
                                   return Call(inventory, &RI::ListOrganisations, ctx,
                                               v1::ListOrganisationsRequest());
                                 }};
  b[kI + "RegisterResponder"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                                   v1::RegisterResponderRequest r;
                                   r.set_request_id(NextId());
                                   *r.mutable_responder() = Person(r.request_id(), "nurse", 9);
                                   return Call(inventory, &RI::RegisterResponder, ctx, r);
                                 }};
  b[kI + "GetResponder"] = {Kind::kResponder, true, false, false,
                            [=, this](auto* ctx, Scope scope) {
                              v1::GetResponderRequest r;
                              r.set_responder_id(Responder(scope));
                              return Call(inventory, &RI::GetResponder, ctx, r);
                            }};
  b[kI + "UpdateResponder"] = {Kind::kResponder, false, false, false,
                               [=, this](auto* ctx, Scope scope) {
                                 v1::UpdateResponderRequest r;
                                 r.set_request_id(NextId());
                                 r.set_responder_id(Responder(scope));
                                 r.mutable_responder()->set_max_deployment_days(20);
                                 r.mutable_update_mask()->add_paths("max_deployment_days");
                                 return Call(inventory, &RI::UpdateResponder, ctx, r);
                               }};
  b[kI + "ListResponders"] = {Kind::kOrganisation, true, false, false,
                              [=, this](auto* ctx, Scope scope) {
                                v1::ListRespondersRequest r;
                                r.set_organisation_id(Org(scope));
                                return Call(inventory, &RI::ListResponders, ctx, r);
                              }};
  // Every nurse is booked and the logisticians are in teams: removal is refused, not denied.
  b[kI + "RemoveResponder"] = {Kind::kResponder, false, false, true,
                               [=, this](auto* ctx, Scope scope) {
                                 v1::RemoveResponderRequest r;
                                 r.set_request_id(NextId());
                                 r.set_responder_id(Responder(scope));
                                 return Call(inventory, &RI::RemoveResponder, ctx, r);
                               }};
  b[kI + "SetAvailability"] = {
      Kind::kResponder, false, false, false, [=, this](auto* ctx, Scope scope) {
        v1::SetAvailabilityRequest r;
        r.set_request_id(NextId());
        r.set_responder_id(Responder(scope));
        r.mutable_period()->set_kind(v1::AVAILABILITY_KIND_ON_CALL);
        *r.mutable_period()->mutable_from() = ToProtoTime(DecemberDay(20));
        *r.mutable_period()->mutable_until() = ToProtoTime(DecemberDay(21));
        return Call(inventory, &RI::SetAvailability, ctx, r);
      }};
  b[kI + "ClearAvailability"] = {Kind::kResponder, false, false, false,
                                 [=, this](auto* ctx, Scope scope) {
                                   v1::ClearAvailabilityRequest r;
                                   r.set_request_id(NextId());
                                   r.set_responder_id(Responder(scope));
                                   r.set_period_id(periods_[Responder(scope)]);
                                   return Call(inventory, &RI::ClearAvailability, ctx, r);
                                 }};
  b[kI + "GetAvailability"] = {Kind::kResponder, true, false, false,
                               [=, this](auto* ctx, Scope scope) {
                                 v1::GetAvailabilityRequest r;
                                 r.set_responder_id(Responder(scope));
                                 return Call(inventory, &RI::GetAvailability, ctx, r);
                               }};
  b[kI + "ListAuditRecords"] = {Kind::kResponder, true, false, false,
                                [=, this](auto* ctx, Scope scope) {
                                  v1::ListAuditRecordsRequest r;
                                  r.set_responder_id(Responder(scope));
                                  return Call(inventory, &RI::ListAuditRecords, ctx, r);
                                }};
  b[kI + "RecordExperience"] = {
      Kind::kResponder, false, false, false, [=, this](auto* ctx, Scope scope) {
        v1::RecordExperienceRequest r;
        r.set_request_id(NextId());
        r.set_responder_id(Responder(scope));
        v1::Mission& m = *r.mutable_mission();
        m.set_kind(v1::CRISIS_KIND_HEATWAVE);
        m.set_role_code("nurse");
        m.set_place("Lyon");
        *m.mutable_started_at() = ToProtoTime(absl::FromUnixSeconds(1700000000));
        *m.mutable_ended_at() = ToProtoTime(absl::FromUnixSeconds(1700086400));
        return Call(inventory, &RI::RecordExperience, ctx, r);
      }};
  b[kI + "FindResponders"] = {Kind::kNone, true, false, false, [=](auto* ctx, Scope) {
                                v1::FindRespondersRequest r;
                                r.set_skill_code("nurse");
                                *r.mutable_window() = Window();
                                r.mutable_local()->mutable_center()->set_lat(45.764);
                                r.mutable_local()->mutable_center()->set_lon(4.8357);
                                r.mutable_local()->set_radius_km(50);
                                return Call(inventory, &RI::FindResponders, ctx, r);
                              }};

  // --- Inventory: teams, warehouses, stock
  b[kI + "OfferTeam"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                           v1::OfferTeamRequest r;
                           r.set_request_id(NextId());
                           r.mutable_team()->set_name("EMT " + r.request_id());
                           r.mutable_team()->set_type_code("who-emt-type-1-mobile");
                           r.mutable_team()->add_member_ids(member_a);
                           return Call(inventory, &RI::OfferTeam, ctx, r);
                         }};
  b[kI + "GetTeam"] = {Kind::kOrganisation, true, false, false, [=, this](auto* ctx, Scope scope) {
                         v1::GetTeamRequest r;
                         r.set_team_id(TeamOf(scope));
                         return Call(inventory, &RI::GetTeam, ctx, r);
                       }};
  b[kI + "UpdateTeam"] = {Kind::kOrganisation, false, false, false,
                          [=, this](auto* ctx, Scope scope) {
                            v1::UpdateTeamRequest r;
                            r.set_request_id(NextId());
                            r.set_team_id(TeamOf(scope));
                            r.mutable_team()->set_description("Mise à jour");
                            r.mutable_update_mask()->add_paths("description");
                            return Call(inventory, &RI::UpdateTeam, ctx, r);
                          }};
  b[kI + "ListTeams"] = {Kind::kOrganisation, true, false, false,
                         [=, this](auto* ctx, Scope scope) {
                           v1::ListTeamsRequest r;
                           r.set_organisation_id(Org(scope));
                           return Call(inventory, &RI::ListTeams, ctx, r);
                         }};
  b[kI + "RemoveTeam"] = {Kind::kOrganisation, false, false, true,
                          [=, this](auto* ctx, Scope scope) {
                            v1::RemoveTeamRequest r;
                            r.set_request_id(NextId());
                            r.set_team_id(TeamOf(scope));
                            return Call(inventory, &RI::RemoveTeam, ctx, r);
                          }};
  b[kI + "RegisterWarehouse"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                                   return Call(inventory, &RI::RegisterWarehouse, ctx,
                                               WarehouseRequest(NextId()));
                                 }};
  b[kI + "GetWarehouse"] = {Kind::kOrganisation, true, false, false,
                            [=, this](auto* ctx, Scope scope) {
                              v1::GetWarehouseRequest r;
                              r.set_warehouse_id(WarehouseOf(scope));
                              return Call(inventory, &RI::GetWarehouse, ctx, r);
                            }};
  b[kI + "ListWarehouses"] = {Kind::kOrganisation, true, false, false,
                              [=, this](auto* ctx, Scope scope) {
                                v1::ListWarehousesRequest r;
                                r.set_organisation_id(Org(scope));
                                return Call(inventory, &RI::ListWarehouses, ctx, r);
                              }};
  b[kI + "OfferSupplies"] = {Kind::kOrganisation, false, false, false,
                             [=, this](auto* ctx, Scope scope) {
                               return Call(inventory, &RI::OfferSupplies, ctx,
                                           SuppliesRequest(NextId(), WarehouseOf(scope)));
                             }};
  b[kI + "AdjustStock"] = {Kind::kOrganisation, false, false, false,
                           [=, this](auto* ctx, Scope scope) {
                             v1::AdjustStockRequest r;
                             r.set_request_id(NextId());
                             r.set_stock_line_id(LineOf(scope));
                             r.set_delta(1);
                             r.set_reason(v1::ADJUSTMENT_REASON_COUNT);
                             return Call(inventory, &RI::AdjustStock, ctx, r);
                           }};
  b[kI + "ListStock"] = {Kind::kOrganisation, true, false, false,
                         [=, this](auto* ctx, Scope scope) {
                           v1::ListStockRequest r;
                           r.set_organisation_id(Org(scope));
                           return Call(inventory, &RI::ListStock, ctx, r);
                         }};
  b[kI + "FindSupplies"] = {Kind::kNone, true, false, false, [=](auto* ctx, Scope) {
                              v1::FindSuppliesRequest r;
                              r.set_item_code("who-cholera-kit-central");
                              r.mutable_near()->set_lat(45.764);
                              r.mutable_near()->set_lon(4.836);
                              r.set_quantity(1);
                              return Call(inventory, &RI::FindSupplies, ctx, r);
                            }};

  // --- Inventory: holds and commitments (the stock holds of each organisation)
  auto hold_request = [this](Scope scope) {
    v1::HoldRequest r;
    r.set_request_id(NextId());
    r.set_stock_line_id(LineOf(scope));
    r.set_quantity(1);
    r.set_holder_ref("walk");
    r.mutable_ttl()->set_seconds(600);
    return r;
  };
  b[kI + "Hold"] = {Kind::kOrganisation, false, false, false, [=](auto* ctx, Scope scope) {
                      return Call(inventory, &RI::Hold, ctx, hold_request(scope));
                    }};
  b[kI + "HoldBatch"] = {Kind::kOrganisation, false, false, false,
                         [=, this](auto* ctx, Scope scope) {
                           v1::HoldBatchRequest r;
                           r.set_request_id(NextId());
                           *r.add_items() = hold_request(scope);
                           return Call(inventory, &RI::HoldBatch, ctx, r);
                         }};
  b[kI + "GetHold"] = {Kind::kOrganisation, true, false, false, [=, this](auto* ctx, Scope scope) {
                         v1::GetHoldRequest r;
                         r.set_hold_id(HoldOf(scope));
                         return Call(inventory, &RI::GetHold, ctx, r);
                       }};
  b[kI + "ConfirmHold"] = {Kind::kOrganisation, false, false, false,
                           [=, this](auto* ctx, Scope scope) {
                             v1::ConfirmHoldRequest r;
                             r.set_request_id(NextId());
                             r.set_hold_id(HoldOf(scope));
                             return Call(inventory, &RI::ConfirmHold, ctx, r);
                           }};
  b[kI + "ReleaseHold"] = {Kind::kOrganisation, false, false, false,
                           [=, this](auto* ctx, Scope scope) {
                             v1::ReleaseHoldRequest r;
                             r.set_request_id(NextId());
                             r.set_hold_id(HoldOf(scope));
                             return Call(inventory, &RI::ReleaseHold, ctx, r);
                           }};
  b[kI + "ReleaseCommitment"] = {Kind::kOrganisation, false, false, false,
                                 [=, this](auto* ctx, Scope scope) {
                                   v1::ReleaseCommitmentRequest r;
                                   r.set_request_id(NextId());
                                   r.set_hold_id(HoldOf(scope));
                                   return Call(inventory, &RI::ReleaseCommitment, ctx, r);
                                 }};
  b[kI + "ExtendCommitment"] = {Kind::kOrganisation, false, false, false,
                                [=, this](auto* ctx, Scope scope) {
                                  v1::ExtendCommitmentRequest r;
                                  r.set_request_id(NextId());
                                  r.set_hold_id(HoldOf(scope));
                                  *r.mutable_new_end() = ToProtoTime(DecemberDay(10));
                                  return Call(inventory, &RI::ExtendCommitment, ctx, r);
                                }};
  b[kI + "ConsumeCommitment"] = {Kind::kOrganisation, false, false, false,
                                 [=, this](auto* ctx, Scope scope) {
                                   v1::ConsumeCommitmentRequest r;
                                   r.set_request_id(NextId());
                                   r.set_hold_id(HoldOf(scope));
                                   r.set_quantity_used(1);
                                   return Call(inventory, &RI::ConsumeCommitment, ctx, r);
                                 }};

  // --- Mobilisation
  b[kM + "ProposeCandidates"] = {Kind::kNone, true, false, false, [=, this](auto* ctx, Scope) {
                                   v1::ProposeCandidatesRequest r;
                                   r.set_crisis_id(crisis);
                                   r.set_need_id(need);
                                   return Call(mob, &MB::ProposeCandidates, ctx, r);
                                 }};
  b[kM + "Mobilise"] = {Kind::kNone, false, false, false, [=, this](auto* ctx, Scope) {
                          v1::MobiliseRequest r;
                          r.set_request_id(NextId());
                          r.set_crisis_id(crisis);
                          r.set_need_id(need);
                          return Call(mob, &MB::Mobilise, ctx, r);
                        }};
  b[kM + "GetNeedProgress"] = {Kind::kNone, true, false, false, [=, this](auto* ctx, Scope) {
                                 v1::GetNeedProgressRequest r;
                                 r.set_crisis_id(crisis);
                                 r.set_need_id(need);
                                 return Call(mob, &MB::GetNeedProgress, ctx, r);
                               }};
  b[kM + "GetRequest"] = {Kind::kResponder, true, false, false, [=, this](auto* ctx, Scope scope) {
                            v1::GetRequestRequest r;
                            r.set_mobilisation_request_id(RequestOf(scope));
                            return Call(mob, &MB::GetRequest, ctx, r);
                          }};
  b[kM + "ListRequests"] = {Kind::kResponder, true, true, false, [=, this](auto* ctx, Scope scope) {
                              v1::ListRequestsRequest r;
                              r.set_responder_id(Responder(scope));
                              v1::ListRequestsResponse out;
                              Answer answer = Call(mob, &MB::ListRequests, ctx, r, &out);
                              for (const auto& q : out.requests()) {
                                answer.organisations.push_back(q.organisation_id());
                              }
                              return answer;
                            }};
  b[kM + "Respond"] = {Kind::kResponder, false, false, false, [=, this](auto* ctx, Scope scope) {
                         v1::RespondRequest r;
                         r.set_request_id(NextId());
                         r.set_mobilisation_request_id(RequestOf(scope));
                         r.set_answer(v1::ANSWER_ACCEPT);
                         return Call(mob, &MB::Respond, ctx, r);
                       }};
  b[kM + "AcknowledgeRequest"] = {Kind::kResponder, false, false, false,
                                  [=, this](auto* ctx, Scope scope) {
                                    v1::AcknowledgeRequestRequest r;
                                    r.set_request_id(NextId());
                                    r.set_mobilisation_request_id(RequestOf(scope));
                                    return Call(mob, &MB::AcknowledgeRequest, ctx, r);
                                  }};
  b[kM + "DecideProvisional"] = {Kind::kResponder, false, false, false,
                                 [=, this](auto* ctx, Scope scope) {
                                   v1::DecideProvisionalRequest r;
                                   r.set_request_id(NextId());
                                   r.set_mobilisation_request_id(RequestOf(scope));
                                   r.set_confirm(true);
                                   return Call(mob, &MB::DecideProvisional, ctx, r);
                                 }};
  b[kM + "GetAssignment"] = {Kind::kResponder, true, false, false,
                             [=, this](auto* ctx, Scope scope) {
                               v1::GetAssignmentRequest r;
                               r.set_assignment_id(AssignmentOf(scope));
                               return Call(mob, &MB::GetAssignment, ctx, r);
                             }};
  b[kM + "ListAssignments"] = {Kind::kResponder, true, true, false,
                               [=, this](auto* ctx, Scope scope) {
                                 v1::ListAssignmentsRequest r;
                                 r.set_responder_id(Responder(scope));
                                 v1::ListAssignmentsResponse out;
                                 Answer answer = Call(mob, &MB::ListAssignments, ctx, r, &out);
                                 for (const auto& a : out.assignments()) {
                                   answer.organisations.push_back(a.organisation_id());
                                 }
                                 return answer;
                               }};
  b[kM + "Withdraw"] = {Kind::kResponder, false, false, false, [=, this](auto* ctx, Scope scope) {
                          v1::WithdrawRequest r;
                          r.set_request_id(NextId());
                          r.set_assignment_id(AssignmentOf(scope));
                          r.set_reason("urgence familiale");
                          return Call(mob, &MB::Withdraw, ctx, r);
                        }};
  b[kM + "ReportStatus"] = {Kind::kResponder, false, false, false,
                            [=, this](auto* ctx, Scope scope) {
                              v1::ReportStatusRequest r;
                              r.set_request_id(NextId());
                              r.set_assignment_id(AssignmentOf(scope));
                              r.set_status(v1::ASSIGNMENT_STATE_EN_ROUTE);
                              return Call(mob, &MB::ReportStatus, ctx, r);
                            }};
  b[kM + "Demobilise"] = {Kind::kResponder, false, false, false, [=, this](auto* ctx, Scope scope) {
                            v1::DemobiliseRequest r;
                            r.set_request_id(NextId());
                            r.set_assignment_id(AssignmentOf(scope));
                            return Call(mob, &MB::Demobilise, ctx, r);
                          }};
  b[kM + "ExtendAssignment"] = {Kind::kResponder, false, false, false,
                                [=, this](auto* ctx, Scope scope) {
                                  v1::ExtendAssignmentRequest r;
                                  r.set_request_id(NextId());
                                  r.set_assignment_id(AssignmentOf(scope));
                                  *r.mutable_new_end() = ToProtoTime(DecemberDay(12));
                                  r.set_grant(false);
                                  r.set_reason("pas de relève");
                                  return Call(mob, &MB::ExtendAssignment, ctx, r);
                                }};
  b[kM + "GetCrisisBoard"] = {Kind::kNone, true, false, false, [=, this](auto* ctx, Scope) {
                                v1::GetCrisisBoardRequest r;
                                r.set_crisis_id(crisis);
                                return Call(mob, &MB::GetCrisisBoard, ctx, r);
                              }};
  b[kM + "GetOutreach"] = {Kind::kNone, true, false, false, [=, this](auto* ctx, Scope) {
                             v1::GetOutreachRequest r;
                             r.set_crisis_id(crisis);
                             return Call(mob, &MB::GetOutreach, ctx, r);
                           }};
  b[kM + "ListNotifications"] = {
      Kind::kResponder, true, true, false, [=, this](auto* ctx, Scope scope) {
        v1::ListNotificationsRequest r;
        r.set_responder_id(Responder(scope));
        v1::ListNotificationsResponse out;
        Answer answer = Call(mob, &MB::ListNotifications, ctx, r, &out);
        // A notification's organisation is its responder's.
        for (const auto& n : out.notifications()) {
          answer.organisations.push_back(n.responder_id() == b1 ? org_b : org_a);
        }
        return answer;
      }};
  b[kM + "WatchMobilisation"] = {Kind::kNone, true, false, false, [=, this](auto* ctx, Scope) {
                                   v1::WatchMobilisationRequest r;
                                   r.add_crisis_ids(crisis);
                                   r.set_cursor(cursor);
                                   return FirstRead(mob->WatchMobilisation(ctx, r), ctx);
                                 }};
  b[kM + "WatchMyAssignments"] = {Kind::kResponder, true, false, false,
                                  [=, this](auto* ctx, Scope scope) {
                                    v1::WatchMyAssignmentsRequest r;
                                    r.set_responder_id(Responder(scope));
                                    r.set_cursor(cursor);
                                    return FirstRead(mob->WatchMyAssignments(ctx, r), ctx);
                                  }};
  return b;
}

// Every method of the three services, by full gRPC name, in the protos' order.
std::vector<std::string> AllMethods() {
  std::vector<std::string> out;
  for (const char* name :
       {"relais.v1.CrisisRegistry", "relais.v1.ResourceInventory", "relais.v1.Mobilisation"}) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    EXPECT_NE(service, nullptr) << name;
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      out.push_back(absl::StrCat("/", name, "/", service->method(i)->name()));
    }
  }
  return out;
}

// What the table says a cell must do.
enum class Expect { kDenied, kAllowed, kAllowedFiltered };

Expect Expected(Rule rule, Scope scope, bool filtered) {
  const bool own = scope == Scope::kNone || scope == Scope::kSelf || scope == Scope::kSameOrg ||
                   scope == Scope::kOwnOrg;
  switch (rule) {
    case Rule::kDeny:
      return Expect::kDenied;
    case Rule::kAny:
    case Rule::kReduced:
      return Expect::kAllowed;
    case Rule::kOwnOrganisation:
      if (own) return Expect::kAllowed;
      return filtered ? Expect::kAllowedFiltered : Expect::kDenied;
    case Rule::kSelf:
      return scope == Scope::kSelf ? Expect::kAllowed : Expect::kDenied;
  }
  return Expect::kDenied;
}

TEST_F(AccessTableTest, EveryRpcEveryRoleEveryOwnership) {
  std::map<std::string, Builder> builders = Builders();
  const std::vector<std::string> methods = AllMethods();
  ASSERT_EQ(methods.size(), 63u);

  struct Cell {
    std::string method;
    size_t method_index;
    Role role;
    Scope scope;
    Expect expect;
    const Builder* builder;
  };
  std::vector<Cell> cells;
  for (size_t index = 0; index < methods.size(); ++index) {
    const std::string& method = methods[index];
    if (access::FindRow(method) == nullptr) {
      ADD_FAILURE() << method << " has no row in the access table";
      continue;
    }
    auto it = builders.find(method);
    if (it == builders.end()) {
      ADD_FAILURE() << method << " has no request builder in this walk";
      continue;
    }
    const Builder& builder = it->second;
    for (Role role : kRoles) {
      const Rule rule = access::RuleFor(role, method);
      if (builder.kind == Kind::kNone && rule == Rule::kSelf) {
        ADD_FAILURE() << method << ": a self rule needs a builder that names a responder";
      }
      for (Scope scope : ScopesOf(builder.kind)) {
        cells.push_back(
            {method, index, role, scope, Expected(rule, scope, builder.filtered), &builder});
      }
    }
  }
  // Reads, then writes, then what removes or closes; denied cells first within each method (a
  // denied call must find its target still there).
  std::stable_sort(cells.begin(), cells.end(), [](const Cell& x, const Cell& y) {
    auto key = [](const Cell& c) {
      return std::tuple(c.builder->last   ? 2
                        : c.builder->read ? 0
                                          : 1,
                        c.method_index, c.expect == Expect::kDenied ? 0 : 1);
    };
    return key(x) < key(y);
  });

  int denied = 0;
  int allowed = 0;
  for (const Cell& cell : cells) {
    const std::string name = std::string(access::ShortName(cell.method)) + " x " +
                             std::string(RoleName(cell.role)) + " x " +
                             std::string(ScopeName(cell.scope));
    auto ctx = As(cell.role);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    const Answer answer = cell.builder->call(ctx.get(), cell.scope);
    const grpc::StatusCode code = answer.status.error_code();
    switch (cell.expect) {
      case Expect::kDenied:
        ++denied;
        EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED)
            << name << ": expected PERMISSION_DENIED, got " << code << " "
            << answer.status.error_message();
        break;
      case Expect::kAllowed:
      case Expect::kAllowedFiltered:
        ++allowed;
        // RELAIS_WALK_VERBOSE=1 lists allowed cells that answered an error: refusals of state
        // (FAILED_PRECONDITION, NOT_FOUND after an earlier cell's write) are expected there.
        if (!answer.status.ok() && std::getenv("RELAIS_WALK_VERBOSE") != nullptr) {
          std::fprintf(stderr, "allowed, answered %d: %s: %s\n", static_cast<int>(code),
                       name.c_str(), answer.status.error_message().c_str());
        }
        EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED)
            << name << ": denied: " << answer.status.error_message();
        EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << name;
        if (cell.builder->read) {
          EXPECT_TRUE(answer.status.ok())
              << name << ": " << code << " " << answer.status.error_message();
        }
        // A list cut to the caller's organisation shows nothing of another one.
        if (cell.builder->filtered && cell.role == Role::kOsiAdmin) {
          for (const std::string& org : answer.organisations) {
            EXPECT_EQ(org, org_a) << name << ": a record of another organisation";
          }
          if (cell.expect == Expect::kAllowedFiltered) {
            EXPECT_TRUE(answer.organisations.empty()) << name;
          }
        }
        break;
    }
  }
  // The walk walked: 422 denied and 292 allowed cells today.
  EXPECT_GT(denied, 400);
  EXPECT_GT(allowed, 250);
}

// An OSI listing a crisis's requests and assignments sees its own organisation's only.
TEST_F(AccessTableTest, OsiListsOfACrisisAreCutToItsOwnOrganisation) {
  v1::ListRequestsRequest requests;
  requests.set_crisis_id(crisis);
  v1::ListRequestsResponse listed;
  grpc::Status status = stack_.stub->ListRequests(As(Role::kOsiAdmin).get(), requests, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> people;
  for (const auto& r : listed.requests()) {
    EXPECT_EQ(r.organisation_id(), org_a);
    people.insert(r.responder_id());
  }
  EXPECT_EQ(people, (std::set<std::string>{a1, a2, a3}));
  // The crisis room sees all five.
  status = stack_.stub->ListRequests(As(Role::kCoordinator).get(), requests, &listed);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(listed.requests_size(), 5);

  v1::ListAssignmentsRequest assignments;
  assignments.set_crisis_id(crisis);
  v1::ListAssignmentsResponse mine;
  status = stack_.stub->ListAssignments(OsiOf(org_b).get(), assignments, &mine);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(mine.assignments_size(), 1);
  EXPECT_EQ(mine.assignments(0).responder_id(), b1);
  // A responder lists by crisis: refused (their filter must name them).
  status = stack_.stub->ListAssignments(As(Role::kResponder).get(), assignments, &mine);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// A dashboard gets a responder with a short name and without contacts, documents or precise home
// base.
TEST_F(AccessTableTest, DashboardsGetReducedResponders) {
  v1::GetResponderRequest request;
  request.set_responder_id(b1);
  v1::Responder full;
  grpc::Status status = stack_.inventory_stub->GetResponder(OsiOf(org_b).get(), request, &full);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(full.display_name(), "Camille Exemple B1");
  EXPECT_EQ(full.contacts_size(), 1);

  v1::Responder reduced;
  status = stack_.inventory_stub->GetResponder(As(Role::kDashboard).get(), request, &reduced);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reduced.id(), b1);
  EXPECT_EQ(reduced.organisation_id(), org_b);
  EXPECT_EQ(reduced.skills_size(), 1);
  EXPECT_EQ(reduced.display_name(), "Camille B.");
  EXPECT_EQ(reduced.external_ref(), "");
  EXPECT_EQ(reduced.contacts_size(), 0);
  EXPECT_EQ(reduced.home_commune(), "");
  EXPECT_NEAR(reduced.home_base().lat(), full.home_base().lat(), 0.005 + 1e-9);
  EXPECT_NEAR(reduced.home_base().lon(), full.home_base().lon(), 0.005 + 1e-9);
  EXPECT_NE(reduced.home_base().lon(), full.home_base().lon());

  v1::ListRespondersRequest list;
  list.set_organisation_id(org_a);
  v1::ListRespondersResponse page;
  status = stack_.inventory_stub->ListResponders(As(Role::kDashboard).get(), list, &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(page.responders_size(), 0);
  for (const auto& r : page.responders()) {
    EXPECT_THAT(r.display_name(), ::testing::MatchesRegex("Camille [A-Z][.]")) << r.id();
    EXPECT_EQ(r.contacts_size(), 0) << r.id();
  }
}

// A write by the wrong organisation is refused and changes nothing.
TEST_F(AccessTableTest, AWriteByAnotherOrganisationChangesNothing) {
  v1::UpdateResponderRequest update;
  update.set_request_id("steal-1");
  update.set_responder_id(b1);
  update.mutable_responder()->set_display_name("Quelqu'un d'autre");
  update.mutable_update_mask()->add_paths("display_name");
  v1::Responder out;
  grpc::Status status =
      stack_.inventory_stub->UpdateResponder(As(Role::kOsiAdmin).get(), update, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            absl::StrCat("UpdateResponder: role osi_admin acts for organisation ", org_a,
                         ", not for the record's organisation ", org_b));

  v1::SetAvailabilityRequest period;
  period.set_request_id("steal-2");
  period.set_responder_id(b1);
  period.mutable_period()->set_kind(v1::AVAILABILITY_KIND_UNAVAILABLE);
  *period.mutable_period()->mutable_from() = ToProtoTime(DecemberDay(20));
  *period.mutable_period()->mutable_until() = ToProtoTime(DecemberDay(21));
  v1::AvailabilityCalendar calendar;
  status = stack_.inventory_stub->SetAvailability(As(Role::kOsiAdmin).get(), period, &calendar);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::GetResponderRequest get;
  get.set_responder_id(b1);
  v1::Responder now;
  ASSERT_TRUE(stack_.inventory_stub->GetResponder(OsiOf(org_b).get(), get, &now).ok());
  EXPECT_EQ(now.display_name(), "Camille Exemple B1");
  EXPECT_EQ(now.version(), 1);
  v1::GetAvailabilityRequest read;
  read.set_responder_id(b1);
  ASSERT_TRUE(stack_.inventory_stub->GetAvailability(OsiOf(org_b).get(), read, &calendar).ok());
  EXPECT_EQ(calendar.periods_size(), 1);

  // The retry under the same request id by the right organisation is a new request: it works.
  status = stack_.inventory_stub->UpdateResponder(OsiOf(org_b).get(), update, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace relais::testing
