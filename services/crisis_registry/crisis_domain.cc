#include "services/crisis_registry/crisis_domain.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

// Local to this file: returns the first failed check.
namespace relais::crisis {
namespace {

using relais::v1::Area;
using relais::v1::Crisis;
using relais::v1::CrisisStatus;
using relais::v1::Need;
using relais::v1::NeedSpec;
using relais::v1::ResourceKind;

// absl::string_view is not std::string_view in this Abseil build.
absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// --- Masks ---

const UpdateMaskRules& CrisisMaskRules() {
  static const auto* const rules =
      new UpdateMaskRules{{"title", "kind", "scope", "severity", "urgency", "certainty", "area",
                           "area.description", "area.commune", "starts_at", "description"},
                          {
                              {"status", "use ActivateCrisis, PauseCrisis or CloseCrisis"},
                              {"status_reason", "it is set by PauseCrisis and CloseCrisis"},
                              {"needs", "use AddNeed or UpdateNeed"},
                              {"id", "it is set by the server"},
                              {"version", "it is set by the server"},
                              {"declared_at", "it is set by the server"},
                              {"updated_at", "it is set by the server"},
                              {"declared_by", "it is set by the server"},
                              {"area.center", "update the whole 'area'"},
                              {"area.radius_km", "update the whole 'area'"},
                              {"area.country", "update the whole 'area'"},
                          }};
  return *rules;
}

const UpdateMaskRules& NeedMaskRules() {
  constexpr std::string_view kReplace = "cancel the need and add a new one";
  static const auto* const rules =
      new UpdateMaskRules{{"spec.quantity", "spec.priority", "spec.needed_by", "spec.duration_days",
                           "status", "cancel_reason"},
                          {
                              {"spec", "name the fields to change, e.g. 'spec.quantity'"},
                              {"spec.resource", kReplace},
                              {"spec.resource.kind", kReplace},
                              {"spec.resource.code", kReplace},
                              {"spec.min_level", kReplace},
                              {"spec.languages", kReplace},
                              {"spec.certifications", kReplace},
                              {"id", "it is set by the server"},
                              {"crisis_id", "it is set by the server"},
                              {"created_at", "it is set by the server"},
                              {"updated_at", "it is set by the server"},
                          }};
  return *rules;
}

// --- Field checks shared by several requests ---

absl::Status CheckCrisisId(std::string_view crisis_id) {
  return CheckResourceId("crisis_id", crisis_id);
}

absl::Status CheckTitle(const FieldPath& path, std::string_view title) {
  return CheckText(path, title, kMinTitleChars, kMaxTitleChars);
}

absl::Status CheckDescription(const FieldPath& path, std::string_view description) {
  return CheckOptionalText(path, description, kMaxDescriptionChars, TextKind::kMultiLine);
}

absl::Status CheckReason(std::string_view reason) {
  return CheckRequiredText("reason", reason, kMaxReasonChars);
}

absl::Status CheckStartsAt(const FieldPath& path, bool present,
                           const google::protobuf::Timestamp& starts_at) {
  RETURN_IF_ERROR(CheckPresent(path, present));
  return CheckTimestamp(path, starts_at);
}

absl::Status ValidateArea(const FieldPath& path, bool present, const Area& area) {
  RETURN_IF_ERROR(CheckPresent(path, present));
  const FieldPath center = path.Field("center");
  RETURN_IF_ERROR(CheckPresent(center, area.has_center()));
  RETURN_IF_ERROR(CheckDoubleRange(center.Field("lat"), area.center().lat(), -90, 90));
  RETURN_IF_ERROR(CheckDoubleRange(center.Field("lon"), area.center().lon(), -180, 180));
  RETURN_IF_ERROR(
      CheckDoubleAboveAtMost(path.Field("radius_km"), area.radius_km(), 0, kMaxRadiusKm));
  RETURN_IF_ERROR(
      CheckRequiredText(path.Field("description"), area.description(), kMaxAreaDescriptionChars));
  RETURN_IF_ERROR(CheckCountryCode(path.Field("country"), area.country()));
  return CheckOptionalText(path.Field("commune"), area.commune(), kMaxCommuneChars);
}

// What keeps `area` from being LOCAL, as (field under the area, problem); nullopt if nothing.
std::optional<std::pair<std::string_view, std::string>> LocalAreaProblem(const Area& area) {
  if (area.country() != "FR") {
    return std::make_pair(
        "country", absl::StrCat("must be FR for a LOCAL crisis (got '", area.country(), "')"));
  }
  const double km = DistanceKm(area.center().lat(), area.center().lon(), kLyonLat, kLyonLon);
  if (!(km <= kLocalRadiusKm)) {
    return std::make_pair("center", absl::StrFormat("must lie within %g km of Lyon for a LOCAL "
                                                    "crisis (is %.1f km away)",
                                                    kLocalRadiusKm, km));
  }
  return std::nullopt;
}

// --- Needs ---

bool IsSupply(ResourceKind kind) { return kind == relais::v1::RESOURCE_KIND_SUPPLY_ITEM; }

absl::Status CheckNeededBy(const FieldPath& path, const google::protobuf::Timestamp& needed_by,
                           absl::Time crisis_starts_at) {
  if (crisis_starts_at == absl::InfinitePast()) return absl::OkStatus();
  const absl::Time earliest = crisis_starts_at - kNeededByLeadTime;
  if (FromProtoTime(needed_by) < earliest) {
    return InvalidField(
        path,
        absl::StrCat("must not be earlier than 1 day before the crisis "
                     "starts (",
                     absl::FormatTime(absl::RFC3339_sec, earliest, absl::UTCTimeZone()), ")"));
  }
  return absl::OkStatus();
}

// The duration and level rules, which depend on what kind of resource is wanted.
absl::Status CheckKindRules(const FieldPath& path, const NeedSpec& spec) {
  if (IsSupply(spec.resource().kind())) {
    if (spec.duration_days() != 0) {
      return InvalidField(path.Field("duration_days"), "must be 0 for a supply item");
    }
    if (spec.min_level() != 0) {
      return InvalidField(path.Field("min_level"), "must be 0 for a supply item");
    }
    if (spec.languages_size() != 0) {
      return InvalidField(path.Field("languages"), "must be empty for a supply item");
    }
    if (spec.certifications_size() != 0) {
      return InvalidField(path.Field("certifications"), "must be empty for a supply item");
    }
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(
      CheckIntRange(path.Field("duration_days"), spec.duration_days(), 1, kMaxDurationDays));
  return CheckIntRange(path.Field("min_level"), spec.min_level(), 0, kMaxLevel);
}

// Every rule of a need that does not need the catalogue.
absl::Status CheckNeedShape(const FieldPath& path, const NeedSpec& spec,
                            absl::Time crisis_starts_at) {
  const FieldPath resource = path.Field("resource");
  RETURN_IF_ERROR(CheckPresent(resource, spec.has_resource()));
  RETURN_IF_ERROR(CheckRequiredEnum(resource.Field("kind"), spec.resource().kind(),
                                    &relais::v1::ResourceKind_IsValid));
  RETURN_IF_ERROR(CheckRequiredText(resource.Field("code"), spec.resource().code(), 64));
  RETURN_IF_ERROR(CheckIntRange(path.Field("quantity"), spec.quantity(), 1, kMaxQuantity));
  RETURN_IF_ERROR(CheckRequiredEnum(path.Field("priority"), spec.priority(),
                                    &relais::v1::NeedPriority_IsValid));
  if (spec.has_needed_by()) {
    RETURN_IF_ERROR(CheckTimestamp(path.Field("needed_by"), spec.needed_by()));
    RETURN_IF_ERROR(CheckNeededBy(path.Field("needed_by"), spec.needed_by(), crisis_starts_at));
  }
  RETURN_IF_ERROR(CheckKindRules(path, spec));

  const FieldPath languages = path.Field("languages");
  RETURN_IF_ERROR(CheckMaxCount(languages, spec.languages_size(), kMaxLanguages));
  for (int i = 0; i < spec.languages_size(); ++i) {
    RETURN_IF_ERROR(CheckLanguageCode(languages.Index(i), spec.languages(i)));
    for (int j = 0; j < i; ++j) {
      if (spec.languages(j) == spec.languages(i)) {
        return InvalidField(languages.Index(i),
                            absl::StrCat("duplicate '", spec.languages(i), "'"));
      }
    }
  }
  const FieldPath certifications = path.Field("certifications");
  RETURN_IF_ERROR(CheckMaxCount(certifications, spec.certifications_size(), kMaxCertifications));
  for (int i = 0; i < spec.certifications_size(); ++i) {
    RETURN_IF_ERROR(CheckRequiredText(certifications.Index(i), spec.certifications(i), 64));
    for (int j = 0; j < i; ++j) {
      if (spec.certifications(j) == spec.certifications(i)) {
        return InvalidField(certifications.Index(i),
                            absl::StrCat("duplicate '", spec.certifications(i), "'"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNeedCatalogue(const FieldPath& path, const NeedSpec& spec,
                                const Catalogue& catalogue) {
  if (!catalogue.Has(spec.resource().kind(), spec.resource().code())) {
    return InvalidField(path.Field("resource").Field("code"),
                        absl::StrCat("'", spec.resource().code(), "' is not a ",
                                     Av(ResourceKindNoun(spec.resource().kind())), " of catalogue ",
                                     Av(catalogue.version())));
  }
  for (int i = 0; i < spec.certifications_size(); ++i) {
    if (!catalogue.HasCertification(spec.certifications(i))) {
      return InvalidField(
          path.Field("certifications").Index(i),
          absl::StrCat("'", spec.certifications(i), "' is not a certification of catalogue ",
                       Av(catalogue.version())));
    }
  }
  return absl::OkStatus();
}

Need MakeNeed(const NeedSpec& spec, std::string need_id, const Crisis& crisis, absl::Time now) {
  Need need;
  need.set_id(std::move(need_id));
  need.set_crisis_id(crisis.id());
  *need.mutable_spec() = spec;
  if (!spec.has_needed_by()) *need.mutable_spec()->mutable_needed_by() = crisis.starts_at();
  need.set_status(relais::v1::NEED_STATUS_OPEN);
  *need.mutable_created_at() = ToProtoTime(now);
  *need.mutable_updated_at() = ToProtoTime(now);
  return need;
}

// The copy of `current` that a change returns: next version, updated now.
Crisis NextVersion(const Crisis& current, absl::Time now) {
  Crisis next = current;
  next.set_version(current.version() + 1);
  *next.mutable_updated_at() = ToProtoTime(now);
  return next;
}

absl::Status RefuseIfClosed(const Crisis& crisis, std::string_view what) {
  if (crisis.status() == relais::v1::CRISIS_STATUS_CLOSED) {
    return absl::FailedPreconditionError(
        absl::StrCat("crisis ", crisis.id(), " is CLOSED; ", Av(what)));
  }
  return absl::OkStatus();
}

}  // namespace

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
  const double phi1 = lat1 * kRadiansPerDegree;
  const double phi2 = lat2 * kRadiansPerDegree;
  const double half_dphi = (phi2 - phi1) / 2;
  const double half_dlambda = (lon2 - lon1) * kRadiansPerDegree / 2;
  const double h = std::sin(half_dphi) * std::sin(half_dphi) + std::cos(phi1) * std::cos(phi2) *
                                                                   std::sin(half_dlambda) *
                                                                   std::sin(half_dlambda);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

std::string StatusName(CrisisStatus status) {
  const std::string& name = relais::v1::CrisisStatus_Name(status);
  if (name.empty()) return absl::StrCat("status ", static_cast<int>(status));
  return std::string(absl::StripPrefix(name, "CRISIS_STATUS_"));
}

// --- Validation ---

absl::Status ValidateNeedSpec(const NeedSpec& spec, const Catalogue& catalogue,
                              std::string_view path, absl::Time crisis_starts_at) {
  RETURN_IF_ERROR(CheckNeedShape(path, spec, crisis_starts_at));
  return CheckNeedCatalogue(path, spec, catalogue);
}

absl::Status ValidateDeclare(const relais::v1::DeclareCrisisRequest& request,
                             const Catalogue& catalogue, absl::Time now) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckTitle("title", request.title()));
  RETURN_IF_ERROR(CheckRequiredEnum("kind", request.kind(), &relais::v1::CrisisKind_IsValid));
  RETURN_IF_ERROR(CheckRequiredEnum("scope", request.scope(), &relais::v1::CrisisScope_IsValid));
  RETURN_IF_ERROR(CheckRequiredEnum("severity", request.severity(), &relais::v1::Severity_IsValid));
  RETURN_IF_ERROR(CheckRequiredEnum("urgency", request.urgency(), &relais::v1::Urgency_IsValid));
  RETURN_IF_ERROR(
      CheckRequiredEnum("certainty", request.certainty(), &relais::v1::Certainty_IsValid));
  RETURN_IF_ERROR(ValidateArea("area", request.has_area(), request.area()));
  if (request.scope() == relais::v1::CRISIS_SCOPE_LOCAL) {
    if (auto problem = LocalAreaProblem(request.area())) {
      return InvalidField(FieldPath("area").Field(problem->first), problem->second);
    }
  }
  if (request.has_starts_at()) RETURN_IF_ERROR(CheckTimestamp("starts_at", request.starts_at()));
  RETURN_IF_ERROR(CheckDescription("description", request.description()));
  RETURN_IF_ERROR(CheckMaxCount("needs", request.needs_size(), kMaxNeeds));
  const absl::Time starts_at = request.has_starts_at() ? FromProtoTime(request.starts_at()) : now;
  for (int i = 0; i < request.needs_size(); ++i) {
    RETURN_IF_ERROR(ValidateNeedSpec(request.needs(i), catalogue, FieldPath("needs").Index(i).str(),
                                     starts_at));
  }
  return absl::OkStatus();
}

absl::Status ValidateGetCrisis(const relais::v1::GetCrisisRequest& request) {
  return CheckCrisisId(request.crisis_id());
}

absl::Status ValidateListCrises(const relais::v1::ListCrisesRequest& request) {
  RETURN_IF_ERROR(CheckOptionalEnum("status", request.status(), &relais::v1::CrisisStatus_IsValid));
  RETURN_IF_ERROR(CheckOptionalEnum("kind", request.kind(), &relais::v1::CrisisKind_IsValid));
  RETURN_IF_ERROR(CheckPageSize(request.page_size()).status());
  return CheckOptionalText("page_token", request.page_token(), kMaxPageTokenChars);
}

absl::Status ValidateUpdateCrisis(const relais::v1::UpdateCrisisRequest& request,
                                  const Catalogue& /*catalogue*/) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckCrisisId(request.crisis_id()));
  RETURN_IF_ERROR(CheckExpectedVersionField("expected_version", request.expected_version()));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask(), CrisisMaskRules()));

  const Crisis& value = request.crisis();
  const FieldPath crisis("crisis");
  for (const std::string& path : request.update_mask().paths()) {
    const FieldPath field = crisis.Field(path);
    absl::Status status;
    if (path == "title") {
      status = CheckTitle(field, value.title());
    } else if (path == "kind") {
      status = CheckRequiredEnum(field, value.kind(), &relais::v1::CrisisKind_IsValid);
    } else if (path == "scope") {
      status = CheckRequiredEnum(field, value.scope(), &relais::v1::CrisisScope_IsValid);
    } else if (path == "severity") {
      status = CheckRequiredEnum(field, value.severity(), &relais::v1::Severity_IsValid);
    } else if (path == "urgency") {
      status = CheckRequiredEnum(field, value.urgency(), &relais::v1::Urgency_IsValid);
    } else if (path == "certainty") {
      status = CheckRequiredEnum(field, value.certainty(), &relais::v1::Certainty_IsValid);
    } else if (path == "area") {
      status = ValidateArea(field, value.has_area(), value.area());
    } else if (path == "area.description") {
      status = CheckRequiredText(field, value.area().description(), kMaxAreaDescriptionChars);
    } else if (path == "area.commune") {
      status = CheckOptionalText(field, value.area().commune(), kMaxCommuneChars);
    } else if (path == "starts_at") {
      status = CheckStartsAt(field, value.has_starts_at(), value.starts_at());
    } else if (path == "description") {
      status = CheckDescription(field, value.description());
    }
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::Status ValidateAddNeed(const relais::v1::AddNeedRequest& request,
                             const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckCrisisId(request.crisis_id()));
  RETURN_IF_ERROR(CheckExpectedVersionField("expected_version", request.expected_version()));
  RETURN_IF_ERROR(CheckPresent("need", request.has_need()));
  // The needed_by rule needs the crisis' start: ApplyAddNeed checks it.
  return ValidateNeedSpec(request.need(), catalogue, "need", absl::InfinitePast());
}

absl::Status ValidateUpdateNeed(const relais::v1::UpdateNeedRequest& request,
                                const Catalogue& /*catalogue*/) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckCrisisId(request.crisis_id()));
  RETURN_IF_ERROR(CheckResourceId("need_id", request.need_id()));
  RETURN_IF_ERROR(CheckExpectedVersionField("expected_version", request.expected_version()));
  const google::protobuf::FieldMask& mask = request.update_mask();
  RETURN_IF_ERROR(CheckUpdateMask(mask, NeedMaskRules()));

  const bool cancels = MaskHas(mask, "status");
  if (MaskHas(mask, "cancel_reason") && !cancels) {
    return InvalidField("update_mask", "'cancel_reason' can only be set together with 'status'");
  }
  const Need& value = request.need();
  const FieldPath spec("need.spec");
  if (MaskHas(mask, "spec.quantity")) {
    RETURN_IF_ERROR(
        CheckIntRange(spec.Field("quantity"), value.spec().quantity(), 1, kMaxQuantity));
  }
  if (MaskHas(mask, "spec.priority")) {
    RETURN_IF_ERROR(CheckRequiredEnum(spec.Field("priority"), value.spec().priority(),
                                      &relais::v1::NeedPriority_IsValid));
  }
  // An unset needed_by goes back to the crisis' start time.
  if (MaskHas(mask, "spec.needed_by") && value.spec().has_needed_by()) {
    RETURN_IF_ERROR(CheckTimestamp(spec.Field("needed_by"), value.spec().needed_by()));
  }
  // 0 is right for supply items; ApplyUpdateNeed checks it against the need's kind.
  if (MaskHas(mask, "spec.duration_days")) {
    RETURN_IF_ERROR(CheckIntRange(spec.Field("duration_days"), value.spec().duration_days(), 0,
                                  kMaxDurationDays));
  }
  if (cancels) {
    if (value.status() != relais::v1::NEED_STATUS_CANCELLED) {
      return InvalidField("need.status", "can only become NEED_STATUS_CANCELLED");
    }
    RETURN_IF_ERROR(
        CheckRequiredText("need.cancel_reason", value.cancel_reason(), kMaxReasonChars));
  }
  return absl::OkStatus();
}

absl::Status ValidateActivate(const relais::v1::ActivateCrisisRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckCrisisId(request.crisis_id()));
  return CheckExpectedVersionField("expected_version", request.expected_version());
}

absl::Status ValidatePause(const relais::v1::PauseCrisisRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckCrisisId(request.crisis_id()));
  RETURN_IF_ERROR(CheckReason(request.reason()));
  return CheckExpectedVersionField("expected_version", request.expected_version());
}

absl::Status ValidateClose(const relais::v1::CloseCrisisRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckCrisisId(request.crisis_id()));
  RETURN_IF_ERROR(CheckReason(request.reason()));
  return CheckExpectedVersionField("expected_version", request.expected_version());
}

// --- Changes ---

Crisis NewCrisis(const relais::v1::DeclareCrisisRequest& request, std::string crisis_id,
                 const std::vector<std::string>& need_ids, const Principal& declared_by,
                 absl::Time now) {
  if (need_ids.size() != static_cast<size_t>(request.needs_size())) {
    // A caller bug, not bad input: fail loudly rather than store needs without ids.
    std::fprintf(stderr, "NewCrisis: %zu need ids for %d needs\n", need_ids.size(),
                 request.needs_size());
    std::abort();
  }
  Crisis crisis;
  crisis.set_id(std::move(crisis_id));
  crisis.set_version(1);
  crisis.set_title(request.title());
  crisis.set_kind(request.kind());
  crisis.set_scope(request.scope());
  crisis.set_severity(request.severity());
  crisis.set_urgency(request.urgency());
  crisis.set_certainty(request.certainty());
  *crisis.mutable_area() = request.area();
  *crisis.mutable_starts_at() = request.has_starts_at() ? request.starts_at() : ToProtoTime(now);
  crisis.set_description(request.description());
  crisis.set_status(relais::v1::CRISIS_STATUS_DECLARED);
  *crisis.mutable_declared_at() = ToProtoTime(now);
  *crisis.mutable_updated_at() = ToProtoTime(now);
  crisis.set_declared_by(declared_by.id);
  for (int i = 0; i < request.needs_size(); ++i) {
    *crisis.add_needs() = MakeNeed(request.needs(i), need_ids[i], crisis, now);
  }
  return crisis;
}

absl::Status CheckTransition(CrisisStatus from, CrisisStatus to) {
  using relais::v1::CRISIS_STATUS_ACTIVE;
  using relais::v1::CRISIS_STATUS_CLOSED;
  using relais::v1::CRISIS_STATUS_DECLARED;
  using relais::v1::CRISIS_STATUS_PAUSED;
  const bool allowed = (to == CRISIS_STATUS_ACTIVE &&
                        (from == CRISIS_STATUS_DECLARED || from == CRISIS_STATUS_PAUSED)) ||
                       (to == CRISIS_STATUS_PAUSED && from == CRISIS_STATUS_ACTIVE) ||
                       (to == CRISIS_STATUS_CLOSED &&
                        (from == CRISIS_STATUS_DECLARED || from == CRISIS_STATUS_ACTIVE ||
                         from == CRISIS_STATUS_PAUSED));
  if (allowed) return absl::OkStatus();
  if (from == to) {
    return absl::FailedPreconditionError(absl::StrCat("crisis is already ", StatusName(from)));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("crisis is ", StatusName(from), "; it cannot become ", StatusName(to)));
}

absl::StatusOr<Crisis> ApplyTransition(const Crisis& crisis, CrisisStatus to, std::string reason,
                                       absl::Time now) {
  RETURN_IF_ERROR(CheckTransition(crisis.status(), to));
  Crisis next = NextVersion(crisis, now);
  next.set_status(to);
  next.set_status_reason(std::move(reason));
  return next;
}

absl::StatusOr<Crisis> ApplyUpdateCrisis(const Crisis& current,
                                         const relais::v1::UpdateCrisisRequest& request,
                                         absl::Time now) {
  RETURN_IF_ERROR(RefuseIfClosed(current, "it cannot be edited"));
  const Crisis& value = request.crisis();
  const google::protobuf::FieldMask& mask = request.update_mask();
  Crisis next = NextVersion(current, now);
  for (const std::string& path : mask.paths()) {
    if (path == "title") {
      next.set_title(value.title());
    } else if (path == "kind") {
      next.set_kind(value.kind());
    } else if (path == "scope") {
      next.set_scope(value.scope());
    } else if (path == "severity") {
      next.set_severity(value.severity());
    } else if (path == "urgency") {
      next.set_urgency(value.urgency());
    } else if (path == "certainty") {
      next.set_certainty(value.certainty());
    } else if (path == "area") {
      *next.mutable_area() = value.area();
    } else if (path == "area.description") {
      next.mutable_area()->set_description(value.area().description());
    } else if (path == "area.commune") {
      next.mutable_area()->set_commune(value.area().commune());
    } else if (path == "starts_at") {
      *next.mutable_starts_at() = value.starts_at();
    } else if (path == "description") {
      next.set_description(value.description());
    }
  }
  // A LOCAL crisis stays around Lyon. Blame the area if the call moved it, else the scope.
  const bool moved = MaskHas(mask, "area");
  if ((moved || MaskHas(mask, "scope")) && next.scope() == relais::v1::CRISIS_SCOPE_LOCAL) {
    if (auto problem = LocalAreaProblem(next.area())) {
      if (moved)
        return InvalidField(FieldPath("crisis.area").Field(problem->first), problem->second);
      return InvalidField("crisis.scope", absl::StrCat("cannot be LOCAL: area.", Av(problem->first),
                                                       " ", problem->second));
    }
  }
  return next;
}

absl::StatusOr<Crisis> ApplyAddNeed(const Crisis& current,
                                    const relais::v1::AddNeedRequest& request, std::string need_id,
                                    absl::Time now) {
  RETURN_IF_ERROR(RefuseIfClosed(current, "needs cannot be added"));
  if (current.needs_size() >= kMaxNeeds) {
    return absl::FailedPreconditionError(absl::StrCat("crisis ", current.id(), " already has ",
                                                      current.needs_size(),
                                                      " needs, the most "
                                                      "a crisis can have"));
  }
  if (request.need().has_needed_by()) {
    RETURN_IF_ERROR(CheckNeededBy("need.needed_by", request.need().needed_by(),
                                  FromProtoTime(current.starts_at())));
  }
  Crisis next = NextVersion(current, now);
  *next.add_needs() = MakeNeed(request.need(), std::move(need_id), current, now);
  return next;
}

absl::StatusOr<Crisis> ApplyUpdateNeed(const Crisis& current,
                                       const relais::v1::UpdateNeedRequest& request,
                                       absl::Time now) {
  int index = -1;
  for (int i = 0; i < current.needs_size(); ++i) {
    if (current.needs(i).id() == request.need_id()) index = i;
  }
  if (index < 0) {
    return absl::NotFoundError(
        absl::StrCat("need_id: no need ", request.need_id(), " in crisis ", current.id()));
  }
  RETURN_IF_ERROR(RefuseIfClosed(current, "its needs cannot change"));
  if (current.needs(index).status() == relais::v1::NEED_STATUS_CANCELLED) {
    return absl::FailedPreconditionError(
        absl::StrCat("need ", request.need_id(), " is CANCELLED; it cannot change"));
  }

  Crisis next = NextVersion(current, now);
  Need& need = *next.mutable_needs(index);
  NeedSpec& spec = *need.mutable_spec();
  const Need& value = request.need();
  const google::protobuf::FieldMask& mask = request.update_mask();
  if (MaskHas(mask, "spec.quantity")) spec.set_quantity(value.spec().quantity());
  if (MaskHas(mask, "spec.priority")) spec.set_priority(value.spec().priority());
  if (MaskHas(mask, "spec.duration_days")) spec.set_duration_days(value.spec().duration_days());
  const bool moves_needed_by = MaskHas(mask, "spec.needed_by");
  if (moves_needed_by) {
    *spec.mutable_needed_by() =
        value.spec().has_needed_by() ? value.spec().needed_by() : current.starts_at();
  }
  if (MaskHas(mask, "status")) {
    need.set_status(relais::v1::NEED_STATUS_CANCELLED);
    need.set_cancel_reason(value.cancel_reason());
  }
  *need.mutable_updated_at() = ToProtoTime(now);

  // The needed_by rule is checked only when the call moves it: a later change of the crisis'
  // start must not make unrelated edits fail.
  RETURN_IF_ERROR(
      CheckNeedShape("need.spec", spec,
                     moves_needed_by ? FromProtoTime(current.starts_at()) : absl::InfinitePast()));
  return next;
}

// --- Events ---

relais::v1::EventType EventTypeFor(Operation operation) {
  switch (operation) {
    case Operation::kDeclare:
      return relais::v1::EVENT_TYPE_CRISIS_DECLARED;
    case Operation::kUpdate:
      return relais::v1::EVENT_TYPE_CRISIS_UPDATED;
    case Operation::kActivate:
      return relais::v1::EVENT_TYPE_CRISIS_ACTIVATED;
    case Operation::kPause:
      return relais::v1::EVENT_TYPE_CRISIS_PAUSED;
    case Operation::kClose:
      return relais::v1::EVENT_TYPE_CRISIS_CLOSED;
    case Operation::kAddNeed:
      return relais::v1::EVENT_TYPE_NEED_ADDED;
    case Operation::kUpdateNeed:
      return relais::v1::EVENT_TYPE_NEED_UPDATED;
    case Operation::kCancelNeed:
      return relais::v1::EVENT_TYPE_NEED_CANCELLED;
  }
  return relais::v1::EVENT_TYPE_UNSPECIFIED;
}

Operation UpdateNeedOperation(const relais::v1::UpdateNeedRequest& request) {
  return MaskHas(request.update_mask(), "status") ? Operation::kCancelNeed : Operation::kUpdateNeed;
}

}  // namespace relais::crisis

#undef RETURN_IF_ERROR
