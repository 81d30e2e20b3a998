#include "services/inventory/teams_domain.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_domain.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::v1::KitLine;
using relais::v1::Team;

const UpdateMaskRules& TeamMaskRules() {
  static const auto* const rules = new UpdateMaskRules{
      {"external_ref", "name", "type_code", "member_ids", "kit", "description"},
      {
          {"id", "it is set by the server"},
          {"version", "it is set by the server"},
          {"organisation_id", "a team stays with the organisation that offered it"},
          {"created_at", "it is set by the server"},
          {"updated_at", "it is set by the server"},
      }};
  return *rules;
}

absl::Status CheckTeamName(const FieldPath& path, std::string_view name) {
  return CheckText(path, name, kMinTeamNameChars, kMaxTeamNameChars);
}

absl::Status CheckTypeCode(const FieldPath& path, std::string_view code,
                           const Catalogue& catalogue) {
  if (code.empty()) return InvalidField(path, "is required");
  if (!catalogue.Has(relais::v1::RESOURCE_KIND_TEAM_TYPE, code)) {
    return InvalidField(path, absl::StrCat(Quoted(code), " is not a team type in the catalogue"));
  }
  return absl::OkStatus();
}

absl::Status CheckMembers(const FieldPath& path,
                          const google::protobuf::RepeatedPtrField<std::string>& member_ids) {
  if (member_ids.empty()) return InvalidField(path, "must name at least one member");
  RETURN_IF_ERROR(CheckMaxCount(path, member_ids.size(), kMaxTeamMembers));
  std::set<std::string_view> seen;
  for (int i = 0; i < member_ids.size(); ++i) {
    RETURN_IF_ERROR(CheckResourceId(path.Index(i), member_ids[i]));
    if (!seen.insert(member_ids[i]).second) {
      return InvalidField(path.Index(i), absl::StrCat("duplicate ", Quoted(member_ids[i])));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckKit(const FieldPath& path,
                      const google::protobuf::RepeatedPtrField<KitLine>& kit) {
  RETURN_IF_ERROR(CheckMaxCount(path, kit.size(), kMaxKitLines));
  std::set<std::string_view> seen;
  for (int i = 0; i < kit.size(); ++i) {
    const FieldPath line = path.Index(i);
    const FieldPath id = line.Field("stock_line_id");
    RETURN_IF_ERROR(CheckResourceId(id, kit[i].stock_line_id()));
    if (!seen.insert(kit[i].stock_line_id()).second) {
      return InvalidField(id, absl::StrCat("duplicate ", Quoted(kit[i].stock_line_id())));
    }
    RETURN_IF_ERROR(CheckIntRange(line.Field("quantity"), kit[i].quantity(), 1, kMaxKitQuantity));
  }
  return absl::OkStatus();
}

absl::Status CheckTeamDescription(const FieldPath& path, std::string_view description) {
  return CheckOptionalText(path, description, kMaxTeamDescriptionChars, TextKind::kMultiLine);
}

absl::Status CheckTeamId(std::string_view id) { return CheckResourceId("team_id", id); }

}  // namespace

absl::Status ValidateOfferTeam(const relais::v1::OfferTeamRequest& request,
                               const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckPresent("team", request.has_team()));
  const Team& team = request.team();
  const FieldPath path("team");
  RETURN_IF_ERROR(CheckExternalRef(path.Field("external_ref"), team.external_ref()));
  RETURN_IF_ERROR(CheckTeamName(path.Field("name"), team.name()));
  RETURN_IF_ERROR(CheckTypeCode(path.Field("type_code"), team.type_code(), catalogue));
  RETURN_IF_ERROR(CheckMembers(path.Field("member_ids"), team.member_ids()));
  RETURN_IF_ERROR(CheckKit(path.Field("kit"), team.kit()));
  return CheckTeamDescription(path.Field("description"), team.description());
}

absl::Status ValidateGetTeam(const relais::v1::GetTeamRequest& request) {
  return CheckTeamId(request.team_id());
}

absl::Status ValidateUpdateTeam(const relais::v1::UpdateTeamRequest& request,
                                const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckTeamId(request.team_id()));
  RETURN_IF_ERROR(CheckExpectedVersionField("expected_version", request.expected_version()));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask(), TeamMaskRules()));
  const Team& value = request.team();
  const FieldPath team("team");
  for (const std::string& path : request.update_mask().paths()) {
    const FieldPath field = team.Field(path);
    absl::Status status;
    if (path == "external_ref") {
      status = CheckExternalRef(field, value.external_ref());
    } else if (path == "name") {
      status = CheckTeamName(field, value.name());
    } else if (path == "type_code") {
      status = CheckTypeCode(field, value.type_code(), catalogue);
    } else if (path == "member_ids") {
      status = CheckMembers(field, value.member_ids());
    } else if (path == "kit") {
      status = CheckKit(field, value.kit());
    } else if (path == "description") {
      status = CheckTeamDescription(field, value.description());
    }
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::Status ValidateListTeams(const relais::v1::ListTeamsRequest& request) {
  RETURN_IF_ERROR(CheckResourceId("organisation_id", request.organisation_id()));
  RETURN_IF_ERROR(CheckPageSize(request.page_size()).status());
  return CheckOptionalText("page_token", request.page_token(), kMaxPageTokenChars);
}

absl::Status ValidateRemoveTeam(const relais::v1::RemoveTeamRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckTeamId(request.team_id());
}

Team NewTeam(const relais::v1::OfferTeamRequest& request, std::string team_id,
             std::string organisation_id, absl::Time now) {
  Team team = request.team();
  team.set_id(std::move(team_id));
  team.set_version(1);
  team.set_organisation_id(std::move(organisation_id));
  *team.mutable_created_at() = ToProtoTime(now);
  *team.mutable_updated_at() = ToProtoTime(now);
  return team;
}

Team ApplyUpdateTeam(const Team& current, const relais::v1::UpdateTeamRequest& request,
                     absl::Time now) {
  const Team& value = request.team();
  Team next = current;
  next.set_version(current.version() + 1);
  *next.mutable_updated_at() = ToProtoTime(now);
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "external_ref") {
      next.set_external_ref(value.external_ref());
    } else if (path == "name") {
      next.set_name(value.name());
    } else if (path == "type_code") {
      next.set_type_code(value.type_code());
    } else if (path == "member_ids") {
      *next.mutable_member_ids() = value.member_ids();
    } else if (path == "kit") {
      *next.mutable_kit() = value.kit();
    } else if (path == "description") {
      next.set_description(value.description());
    }
  }
  return next;
}

MemberChanges ChangedMembers(const Team& before, const Team& after) {
  const std::set<std::string> was(before.member_ids().begin(), before.member_ids().end());
  const std::set<std::string> is(after.member_ids().begin(), after.member_ids().end());
  MemberChanges changes;
  for (const std::string& id : after.member_ids()) {
    if (!was.contains(id)) changes.joined.push_back(id);
  }
  for (const std::string& id : before.member_ids()) {
    if (!is.contains(id)) changes.left.push_back(id);
  }
  return changes;
}

absl::Status CheckMemberChanges(const MemberChanges& changes) {
  const size_t changed = changes.joined.size() + changes.left.size();
  if (changed > static_cast<size_t>(kMaxMemberChangesPerUpdate)) {
    return absl::FailedPreconditionError(
        absl::StrCat("team.member_ids: this update changes ", changed, " members; at most ",
                     kMaxMemberChangesPerUpdate, " can change in one update (make two updates)"));
  }
  return absl::OkStatus();
}

}  // namespace relais::inventory

#undef RETURN_IF_ERROR
