// Fuzz target: request validation. The first byte picks one of the services' validators
// (Validators(), below), the rest is parsed as that request message, as gRPC would parse it off
// the wire, and validated at a fixed `now` against deploy/catalogue.textproto (loaded once).
//
// What must hold, whatever the bytes:
//   - no crash, no sanitizer report (in the validators and in the rules that trust them);
//   - validation is deterministic: twice the same status;
//   - a refusal is INVALID_ARGUMENT "<field path>: <problem>", short and valid UTF-8 (it is shown
//     to people and written to JSON logs);
//   - an accepted request, re-serialised and parsed again, is accepted again;
//   - the domain rules that take a validated request (NewCrisis, ApplyUpdateCrisis, NewTeamHold,
//     RankSupplies...) run on it without crashing, and their results keep their own invariants.
//
// Append new validators at the end of Validators(): a corpus file's first byte names its entry.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"
#include "services/crisis_registry/crisis_domain.h"
#include "services/inventory/holds_domain.h"
#include "services/inventory/inventory_domain.h"
#include "services/inventory/responder_search.h"
#include "services/inventory/stock_domain.h"
#include "services/inventory/teams_domain.h"
#include "services/mobilisation/mobilisation_domain.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais {
namespace {

namespace v1 = relais::v1;
namespace crisis = relais::crisis;
namespace inventory = relais::inventory;
namespace mobilisation = relais::mobilisation;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 20, 10, 0, 0), absl::UTCTimeZone());

// A broken invariant: name it and abort, which libFuzzer (or ctest, in replay) reports.
void Require(bool ok, std::string_view what, const absl::Status& status = absl::OkStatus()) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_validation: %.*s (%s)\n", static_cast<int>(what.size()), what.data(),
               status.ToString().c_str());
  std::abort();
}

bool IsValidUtf8(std::string_view text) { return Utf8Length(text) >= 0; }

// INVALID_ARGUMENT "<path>: <problem>": the path made of field names, indexes and map keys.
void CheckRefusal(const absl::Status& status) {
  Require(status.code() == absl::StatusCode::kInvalidArgument, "a refusal is not INVALID_ARGUMENT",
          status);
  const std::string_view message(status.message().data(), status.message().size());
  Require(IsValidUtf8(message), "a refusal's message is not valid UTF-8", status);
  Require(message.size() <= 400, "a refusal's message is too long", status);
  const size_t colon = message.find(": ");
  Require(colon != std::string_view::npos && colon > 0, "a refusal names no field", status);
  for (char c : message) Require(c != '\n' && c != '\r', "a refusal spans lines", status);
}

const Catalogue& TheCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto loaded = Catalogue::LoadFile(RELAIS_SOURCE_DIR "/deploy/catalogue.textproto");
    Require(loaded.ok(), "cannot load the catalogue", loaded.status());
    return new Catalogue(*std::move(loaded));
  }();
  return *catalogue;
}

// --- What the rules after validation work on: a few valid records, built once ---

const Principal& Coordinator() {
  static const Principal* const principal = new Principal{"coord-fuzz", Role::kCoordinator, "", ""};
  return *principal;
}

const v1::Crisis& BaseCrisis() {
  static const v1::Crisis* const base = [] {
    v1::DeclareCrisisRequest request;
    request.set_request_id("declare-base");
    request.set_title("Canicule Lyon");
    request.set_kind(v1::CRISIS_KIND_HEATWAVE);
    request.set_scope(v1::CRISIS_SCOPE_LOCAL);
    request.set_severity(v1::SEVERITY_SEVERE);
    request.set_urgency(v1::URGENCY_IMMEDIATE);
    request.set_certainty(v1::CERTAINTY_OBSERVED);
    request.mutable_area()->mutable_center()->set_lat(45.76);
    request.mutable_area()->mutable_center()->set_lon(4.84);
    request.mutable_area()->set_radius_km(10);
    request.mutable_area()->set_description("Lyon");
    request.mutable_area()->set_country("FR");
    v1::NeedSpec* need = request.add_needs();
    need->mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
    need->mutable_resource()->set_code("nurse");
    need->set_quantity(3);
    need->set_priority(v1::NEED_PRIORITY_HIGH);
    need->set_duration_days(7);
    Require(crisis::ValidateDeclare(request, TheCatalogue(), kNow).ok(), "base crisis invalid",
            crisis::ValidateDeclare(request, TheCatalogue(), kNow));
    auto active = crisis::ApplyTransition(
        crisis::NewCrisis(request, "crs_base", {"need_base"}, Coordinator(), kNow),
        v1::CRISIS_STATUS_ACTIVE, "", kNow);
    Require(active.ok(), "base crisis cannot be activated", active.status());
    return new v1::Crisis(*std::move(active));
  }();
  return *base;
}

const v1::Organisation& BaseOrganisation() {
  static const v1::Organisation* const base = [] {
    v1::RegisterOrganisationRequest request;
    request.set_request_id("org-base");
    request.mutable_organisation()->set_name("Croix-Rouge Lyon");
    request.mutable_organisation()->set_kind(v1::ORGANISATION_KIND_NGO);
    request.mutable_organisation()->add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
    request.mutable_organisation()->set_commune("Lyon");
    Require(inventory::ValidateRegisterOrganisation(request).ok(), "base organisation invalid",
            inventory::ValidateRegisterOrganisation(request));
    return new v1::Organisation(inventory::NewOrganisation(request, "org_base", kNow));
  }();
  return *base;
}

const v1::Responder& BaseResponder() {
  static const v1::Responder* const base = [] {
    v1::RegisterResponderRequest request;
    request.set_request_id("rsp-base");
    v1::Responder* responder = request.mutable_responder();
    responder->set_display_name("Camille Martin");
    v1::SkillLevel* skill = responder->add_skills();
    skill->set_code("nurse");
    skill->set_level(3);
    responder->add_languages("fr");
    Require(inventory::ValidateRegisterResponder(request, TheCatalogue()).ok(),
            "base responder invalid",
            inventory::ValidateRegisterResponder(request, TheCatalogue()));
    return new v1::Responder(inventory::NewResponder(request, "rsp_base", "org_base", kNow));
  }();
  return *base;
}

const v1::Warehouse& BaseWarehouse() {
  static const v1::Warehouse* const base = [] {
    v1::RegisterWarehouseRequest request;
    request.set_request_id("wh-base");
    request.mutable_warehouse()->set_name("Entrepôt Saint-Priest");
    request.mutable_warehouse()->set_commune("Saint-Priest");
    request.mutable_warehouse()->mutable_location()->set_lat(45.70);
    request.mutable_warehouse()->mutable_location()->set_lon(4.94);
    Require(inventory::ValidateRegisterWarehouse(request).ok(), "base warehouse invalid",
            inventory::ValidateRegisterWarehouse(request));
    return new v1::Warehouse(inventory::NewWarehouse(request, "wh_base", "org_base", kNow));
  }();
  return *base;
}

const v1::StockLine& BaseStockLine() {
  static const v1::StockLine* const base = [] {
    v1::OfferSuppliesRequest request;
    request.set_request_id("stock-base");
    request.mutable_line()->set_warehouse_id("wh_base");
    request.mutable_line()->set_item_code("ors-sachet");
    request.set_quantity(500);
    Require(inventory::ValidateOfferSupplies(request, TheCatalogue(), kNow).ok(),
            "base stock line invalid",
            inventory::ValidateOfferSupplies(request, TheCatalogue(), kNow));
    v1::StockLine line = inventory::NewStockLine(request, "stl_base", BaseWarehouse(), kNow);
    *line.mutable_ledger() = inventory::InitialLedger(request.quantity());
    return new v1::StockLine(std::move(line));
  }();
  return *base;
}

const v1::Team& BaseTeam() {
  static const v1::Team* const base = [] {
    v1::OfferTeamRequest request;
    request.set_request_id("team-base");
    v1::Team* team = request.mutable_team();
    team->set_name("EMT Lyon");
    team->set_type_code("who-emt-type-1-mobile");
    team->add_member_ids("rsp_a");
    team->add_member_ids("rsp_b");
    v1::KitLine* kit = team->add_kit();
    kit->set_stock_line_id("stl_base");
    kit->set_quantity(10);
    Require(inventory::ValidateOfferTeam(request, TheCatalogue()).ok(), "base team invalid",
            inventory::ValidateOfferTeam(request, TheCatalogue()));
    return new v1::Team(inventory::NewTeam(request, "team_base", "org_base", kNow));
  }();
  return *base;
}

// A COMMITTED hold of each kind, ending in two days.
v1::Hold CommittedHold(v1::HoldKind kind) {
  v1::HoldRequest request;
  request.set_request_id("hold-base");
  *request.mutable_window()->mutable_start() = ToProtoTime(kNow + absl::Hours(1));
  *request.mutable_window()->mutable_end() = ToProtoTime(kNow + absl::Hours(48));
  v1::Hold hold;
  if (kind == v1::HOLD_KIND_RESPONDER) {
    request.set_responder_id("rsp_base");
    hold = inventory::NewResponderHold(request, "hld_base", "org_base", kNow);
  } else if (kind == v1::HOLD_KIND_TEAM) {
    request.set_team_id("team_base");
    hold = inventory::NewTeamHold(request, "hld_base", BaseTeam(), kNow);
  } else {
    request.set_stock_line_id("stl_base");
    request.set_quantity(20);
    hold = inventory::NewStockHold(request, "hld_base", BaseStockLine(), kNow);
  }
  auto committed = inventory::ConfirmHold(hold, kNow);
  Require(committed.ok(), "base hold cannot be confirmed", committed.status());
  return *std::move(committed);
}

// A hold's window holds at least one millisecond, the unit of the bookings.
void CheckNewHold(const v1::Hold& hold) {
  Require(hold.state() == v1::HOLD_STATE_HELD, "a new hold is not HELD");
  if (hold.kind() != v1::HOLD_KIND_STOCK) {
    Require(FromProtoTime(hold.window().start()) < FromProtoTime(hold.window().end()),
            "a new hold's window is empty");
  }
  Require(FromProtoTime(hold.expires_at()) > kNow, "a new hold has expired already");
}

// --- The validators ---

using Validator = std::function<void(const uint8_t* data, size_t size)>;

// Parses `Request`, validates it (twice), re-validates an accepted request after a round trip,
// then hands it to `after`, the rules that trust a validated request.
template <typename Request>
Validator Entry(std::function<absl::Status(const Request&)> validate,
                std::function<void(const Request&)> after = nullptr) {
  return [validate, after](const uint8_t* data, size_t size) {
    Request request;
    if (!request.ParseFromArray(data, static_cast<int>(size))) return;
    const absl::Status status = validate(request);
    // RELAIS_FUZZ_VERBOSE=1: each status, to check what a seed exercises.
    static const bool verbose = std::getenv("RELAIS_FUZZ_VERBOSE") != nullptr;
    if (verbose) {
      std::fprintf(stderr, "%s: %s\n", Request::descriptor()->name().c_str(),
                   status.ToString().c_str());
    }
    Require(validate(request) == status, "validation is not deterministic", status);
    if (!status.ok()) {
      CheckRefusal(status);
      return;
    }
    Request again;
    Require(again.ParseFromString(request.SerializeAsString()), "cannot parse a valid request");
    Require(validate(again).ok(), "a valid request re-serialised is refused", validate(again));
    if (after) after(request);
  };
}

void AfterDeclare(const v1::DeclareCrisisRequest& request) {
  std::vector<std::string> need_ids;
  for (int i = 0; i < request.needs_size(); ++i) need_ids.push_back("need_" + std::to_string(i));
  const v1::Crisis made = crisis::NewCrisis(request, "crs_fuzz", need_ids, Coordinator(), kNow);
  Require(made.version() == 1 && made.status() == v1::CRISIS_STATUS_DECLARED,
          "a new crisis is not DECLARED at version 1");
  Require(made.needs_size() == request.needs_size(), "a new crisis lost needs");
  for (const v1::Need& need : made.needs()) {
    Require(FromProtoTime(need.spec().needed_by()) >=
                FromProtoTime(made.starts_at()) - crisis::kNeededByLeadTime,
            "a need is wanted more than a day before its crisis");
    const v1::TimeWindow window = mobilisation::NeedWindow(need.spec(), kNow);
    Require(FromProtoTime(window.start()) < FromProtoTime(window.end()),
            "a need's window is empty");
  }
  Require(crisis::ApplyTransition(made, v1::CRISIS_STATUS_ACTIVE, "", kNow).ok(),
          "a new crisis cannot be activated");
}

void AfterUpdateCrisis(const v1::UpdateCrisisRequest& request) {
  auto updated = crisis::ApplyUpdateCrisis(BaseCrisis(), request, kNow);
  if (!updated.ok()) {
    CheckRefusal(updated.status());
    return;
  }
  Require(updated->version() == BaseCrisis().version() + 1, "an update did not bump the version");
}

void AfterAddNeed(const v1::AddNeedRequest& request) {
  auto updated = crisis::ApplyAddNeed(BaseCrisis(), request, "need_fuzz", kNow);
  if (!updated.ok()) {
    CheckRefusal(updated.status());
    return;
  }
  Require(updated->needs_size() == BaseCrisis().needs_size() + 1, "a need was not added");
}

void AfterUpdateNeed(const v1::UpdateNeedRequest& request) {
  crisis::UpdateNeedOperation(request);
  (void)crisis::ApplyUpdateNeed(BaseCrisis(), request, kNow);
}

void AfterSetAvailability(const v1::SetAvailabilityRequest& request) {
  auto calendar = inventory::ApplySetAvailability(inventory::NewCalendar("rsp_fuzz"), request,
                                                  "per_fuzz", kNow);
  Require(calendar.ok(), "a valid period cannot be set on an empty calendar", calendar.status());
  Require(calendar->periods_size() == 1, "the period was not added");
  Require(inventory::FirstEndMillis(*calendar).has_value(), "a calendar with a period has no end");
  Require(inventory::CurrentCalendar(*calendar, kNow).periods_size() == 1,
          "a period accepted at now has ended at now");
}

void AfterFindResponders(const v1::FindRespondersRequest& request) {
  const std::string digest = inventory::QueryDigest(request);
  Require(digest.size() == 16, "a query digest is not 16 hex digits");
}

void AfterUpdateTeam(const v1::UpdateTeamRequest& request) {
  const v1::Team updated = inventory::ApplyUpdateTeam(BaseTeam(), request, kNow);
  (void)inventory::CheckMemberChanges(inventory::ChangedMembers(BaseTeam(), updated));
}

void AfterOfferSupplies(const v1::OfferSuppliesRequest& request) {
  const v1::StockLine line = inventory::NewStockLine(request, "stl_fuzz", BaseWarehouse(), kNow);
  const v1::StockLedger ledger = inventory::InitialLedger(request.quantity());
  Require(ledger.available() == request.quantity(), "an offer's units are not all available");
  (void)line;
}

void AfterFindSupplies(const v1::FindSuppliesRequest& request) {
  v1::StockLine other = BaseStockLine();
  other.set_id("stl_other");
  other.set_item_code(request.item_code());
  const v1::FindSuppliesResponse found =
      inventory::RankSupplies(request, kNow, {BaseStockLine(), other});
  Require(found.matches_size() <= 2, "more matches than lines");
}

void AfterHold(const v1::HoldRequest& request) {
  v1::Hold hold;
  switch (request.target_case()) {
    case v1::HoldRequest::kResponderId:
      hold = inventory::NewResponderHold(request, "hld_fuzz", "org_base", kNow);
      break;
    case v1::HoldRequest::kTeamId:
      hold = inventory::NewTeamHold(request, "hld_fuzz", BaseTeam(), kNow);
      break;
    case v1::HoldRequest::kStockLineId:
      hold = inventory::NewStockHold(request, "hld_fuzz", BaseStockLine(), kNow);
      break;
    case v1::HoldRequest::TARGET_NOT_SET:
      Require(false, "a hold without a target was accepted");
  }
  CheckNewHold(hold);
  Require(inventory::ConfirmHold(hold, kNow).ok(), "a new hold cannot be confirmed");
  Require(inventory::ReleaseHold(hold, kNow).ok(), "a new hold cannot be released");
}

void AfterHoldBatch(const v1::HoldBatchRequest& request) {
  for (int i = 0; i < request.items_size(); ++i) {
    // The item's id holds a '/', which no Hold call's can: it is the batch's, not a caller's.
    const v1::HoldRequest item = inventory::BatchItem(request, i);
    Require(item.request_id() == request.request_id() + "/" + std::to_string(i),
            "a batch item's request id is not the batch's");
    AfterHold(item);
  }
}

void AfterMobilise(const v1::MobiliseRequest& request) {
  const v1::MobilisationPolicy policy =
      mobilisation::MergePolicy(v1::MobilisationPolicy(), request.policy());
  Require(mobilisation::ValidatePolicy(policy, "policy").ok(), "a merged policy is invalid");
  const absl::Duration response = mobilisation::ResponseTime(policy, v1::URGENCY_IMMEDIATE);
  Require(response > absl::ZeroDuration(), "a response time is not positive");
  Require(mobilisation::HoldTtl(response) > response, "a hold ends before its deadline");
  Require(mobilisation::OverbookingFactor(policy) >= 1, "an overbooking factor under 1");
}

const std::vector<Validator>& Validators() {
  using namespace crisis;        // NOLINT: the validators' names say which request they check
  using namespace inventory;     // NOLINT
  using namespace mobilisation;  // NOLINT
  static const std::vector<Validator>* const validators = new std::vector<Validator>{
      // 0-8: the crisis registry.
      Entry<v1::DeclareCrisisRequest>(
          [](const auto& r) { return ValidateDeclare(r, TheCatalogue(), kNow); }, AfterDeclare),
      Entry<v1::GetCrisisRequest>(ValidateGetCrisis),
      Entry<v1::ListCrisesRequest>(ValidateListCrises),
      Entry<v1::UpdateCrisisRequest>(
          [](const auto& r) { return ValidateUpdateCrisis(r, TheCatalogue()); }, AfterUpdateCrisis),
      Entry<v1::AddNeedRequest>([](const auto& r) { return ValidateAddNeed(r, TheCatalogue()); },
                                AfterAddNeed),
      Entry<v1::UpdateNeedRequest>(
          [](const auto& r) { return ValidateUpdateNeed(r, TheCatalogue()); }, AfterUpdateNeed),
      Entry<v1::ActivateCrisisRequest>(ValidateActivate),
      Entry<v1::PauseCrisisRequest>(ValidatePause),
      Entry<v1::CloseCrisisRequest>(ValidateClose),
      // 9-22: the inventory's directory, availability and search.
      Entry<v1::RegisterOrganisationRequest>(
          ValidateRegisterOrganisation,
          [](const auto& r) { (void)NewOrganisation(r, "org_fuzz", kNow); }),
      Entry<v1::GetOrganisationRequest>(ValidateGetOrganisation),
      Entry<v1::UpdateOrganisationRequest>(
          ValidateUpdateOrganisation,
          [](const auto& r) { (void)ApplyUpdateOrganisation(BaseOrganisation(), r, kNow); }),
      Entry<v1::ListOrganisationsRequest>(ValidateListOrganisations),
      Entry<v1::RegisterResponderRequest>(
          [](const auto& r) { return ValidateRegisterResponder(r, TheCatalogue()); },
          [](const auto& r) { (void)NewResponder(r, "rsp_fuzz", "org_base", kNow); }),
      Entry<v1::GetResponderRequest>(ValidateGetResponder),
      Entry<v1::UpdateResponderRequest>(
          [](const auto& r) { return ValidateUpdateResponder(r, TheCatalogue()); },
          [](const auto& r) { (void)ApplyUpdateResponder(BaseResponder(), r, kNow); }),
      Entry<v1::ListRespondersRequest>(ValidateListResponders),
      Entry<v1::RemoveResponderRequest>(ValidateRemoveResponder),
      Entry<v1::RecordExperienceRequest>(
          [](const auto& r) { return ValidateRecordExperience(r, TheCatalogue()); },
          [](const auto& r) {
            auto updated = ApplyRecordExperience(BaseResponder(), r, kNow);
            Require(updated.has_value(), "a first mission was not recorded");
            Require(updated->experience_size() <= kMaxExperience, "experience over its cap");
          }),
      Entry<v1::SetAvailabilityRequest>(
          [](const auto& r) { return ValidateSetAvailability(r, kNow); }, AfterSetAvailability),
      Entry<v1::ClearAvailabilityRequest>(ValidateClearAvailability),
      Entry<v1::GetAvailabilityRequest>(ValidateGetAvailability),
      Entry<v1::FindRespondersRequest>(
          [](const auto& r) { return PrepareQuery(r, TheCatalogue(), kNow).status(); },
          AfterFindResponders),
      // 23-27: teams.
      Entry<v1::OfferTeamRequest>(
          [](const auto& r) { return ValidateOfferTeam(r, TheCatalogue()); },
          [](const auto& r) { (void)NewTeam(r, "team_fuzz", "org", kNow); }),
      Entry<v1::GetTeamRequest>(ValidateGetTeam),
      Entry<v1::UpdateTeamRequest>(
          [](const auto& r) { return ValidateUpdateTeam(r, TheCatalogue()); }, AfterUpdateTeam),
      Entry<v1::ListTeamsRequest>(ValidateListTeams),
      Entry<v1::RemoveTeamRequest>(ValidateRemoveTeam),
      // 28-34: warehouses and stock.
      Entry<v1::RegisterWarehouseRequest>(
          ValidateRegisterWarehouse,
          [](const auto& r) { (void)NewWarehouse(r, "wh_fuzz", "org_base", kNow); }),
      Entry<v1::GetWarehouseRequest>(ValidateGetWarehouse),
      Entry<v1::ListWarehousesRequest>(ValidateListWarehouses),
      Entry<v1::OfferSuppliesRequest>(
          [](const auto& r) { return ValidateOfferSupplies(r, TheCatalogue(), kNow); },
          AfterOfferSupplies),
      Entry<v1::AdjustStockRequest>(ValidateAdjustStock),
      Entry<v1::ListStockRequest>(
          [](const auto& r) { return ValidateListStock(r, TheCatalogue()); }),
      Entry<v1::FindSuppliesRequest>(
          [](const auto& r) { return ValidateFindSupplies(r, TheCatalogue()); }, AfterFindSupplies),
      // 35-42: holds and commitments.
      Entry<v1::HoldRequest>([](const auto& r) { return ValidateHold(r, kNow); }, AfterHold),
      Entry<v1::HoldBatchRequest>([](const auto& r) { return ValidateHoldBatch(r, kNow); },
                                  AfterHoldBatch),
      Entry<v1::GetHoldRequest>(ValidateGetHold),
      Entry<v1::ConfirmHoldRequest>(ValidateConfirmHold),
      Entry<v1::ReleaseHoldRequest>(ValidateReleaseHold),
      Entry<v1::ReleaseCommitmentRequest>(ValidateReleaseCommitment,
                                          [](const auto& r) {
                                            (void)ReleaseCommitment(
                                                CommittedHold(v1::HOLD_KIND_TEAM), r, kNow);
                                            (void)ReleaseCommitment(
                                                CommittedHold(v1::HOLD_KIND_STOCK), r, kNow);
                                          }),
      Entry<v1::ExtendCommitmentRequest>(ValidateExtendCommitment,
                                         [](const auto& r) {
                                           auto extended = ExtendCommitment(
                                               CommittedHold(v1::HOLD_KIND_RESPONDER), r, kNow);
                                           if (extended.ok()) {
                                             Require(FromProtoTime(extended->window().start()) <
                                                         FromProtoTime(extended->window().end()),
                                                     "an extended window is empty");
                                           }
                                         }),
      Entry<v1::ConsumeCommitmentRequest>(ValidateConsumeCommitment,
                                          [](const auto& r) {
                                            auto consumed = ConsumeCommitment(
                                                CommittedHold(v1::HOLD_KIND_STOCK), r, kNow);
                                            if (consumed.ok()) {
                                              for (const v1::HeldStock& held : consumed->stock()) {
                                                Require(held.consumed() >= 0 &&
                                                            held.consumed() <= held.quantity(),
                                                        "more consumed than held");
                                              }
                                            }
                                          }),
      // 43-53: the mobilisation service.
      Entry<v1::ProposeCandidatesRequest>(ValidatePropose),
      Entry<v1::MobiliseRequest>(ValidateMobilise, AfterMobilise),
      Entry<v1::RespondRequest>(ValidateRespond),
      Entry<v1::AcknowledgeRequestRequest>(ValidateAcknowledge),
      Entry<v1::DecideProvisionalRequest>(ValidateDecide),
      Entry<v1::WithdrawRequest>(ValidateWithdraw),
      Entry<v1::ReportStatusRequest>([](const auto& r) { return ValidateReportStatus(r, kNow); }),
      Entry<v1::DemobiliseRequest>(ValidateDemobilise),
      Entry<v1::ExtendAssignmentRequest>(ValidateExtend),
      Entry<v1::ListRequestsRequest>(ValidateListRequests),
      Entry<v1::ListAssignmentsRequest>(ValidateListAssignments),
  };
  return *validators;
}

}  // namespace
}  // namespace relais

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Parsing refuses invalid UTF-8 in string fields (as gRPC does) and logs each time: not news.
  static const bool quiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
  const auto& validators = relais::Validators();
  if (size == 0 || data[0] >= validators.size()) return 0;
  validators[data[0]](data + 1, size - 1);
  return 0;
}
