#include "services/inventory/holds_domain.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"

namespace relais::inventory {
namespace {

using relais::v1::Hold;
using relais::v1::HoldRequest;
using relais::v1::HoldState;

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::Time ToMillis(absl::Time t) { return absl::FromUnixMillis(absl::ToUnixMillis(t)); }

google::protobuf::Timestamp MillisTimestamp(const google::protobuf::Timestamp& t) {
  return ToProtoTime(ToMillis(FromProtoTime(t)));
}

absl::Status CheckHolderRef(const FieldPath& path, std::string_view value) {
  if (value.empty()) return InvalidField(path, "is required");
  bool well_formed = value.size() <= static_cast<size_t>(kMaxHolderRefChars);
  for (char c : value) {
    well_formed = well_formed &&
                  ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == ':' || c == '/' || c == '-');
  }
  if (!well_formed) {
    return InvalidField(path, "must be at most 128 characters from [A-Za-z0-9._:/-]");
  }
  return absl::OkStatus();
}

absl::Status CheckTtl(const FieldPath& path, const google::protobuf::Duration& ttl) {
  if (ttl.nanos() <= -1'000'000'000 || ttl.nanos() >= 1'000'000'000 ||
      (ttl.seconds() > 0 && ttl.nanos() < 0) || (ttl.seconds() < 0 && ttl.nanos() > 0)) {
    return InvalidField(path, "is not a valid duration");
  }
  const absl::Duration d = absl::Seconds(ttl.seconds()) + absl::Nanoseconds(ttl.nanos());
  if (d < kMinHoldTtl || d > kMaxHoldTtl) {
    return InvalidField(path, "must be between 1 second and 7 days");
  }
  return absl::OkStatus();
}

// The window's shape, after truncation to the millisecond (what will be booked).
absl::Status CheckWindow(const FieldPath& path, bool present, const relais::v1::TimeWindow& window,
                         absl::Time now) {
  if (!present) return InvalidField(path, "is required for a responder or team hold");
  RETURN_IF_ERROR(CheckPresent(path.Field("start"), window.has_start()));
  RETURN_IF_ERROR(CheckTimestamp(path.Field("start"), window.start()));
  RETURN_IF_ERROR(CheckPresent(path.Field("end"), window.has_end()));
  RETURN_IF_ERROR(CheckTimestamp(path.Field("end"), window.end()));
  const absl::Time start = ToMillis(FromProtoTime(window.start()));
  const absl::Time end = ToMillis(FromProtoTime(window.end()));
  if (end <= start) return InvalidField(path.Field("end"), "must be after window.start");
  if (end - start > kMaxHoldWindow) {
    return InvalidField(path.Field("end"), "must be at most 400 days after window.start");
  }
  if (end <= now) return InvalidField(path.Field("end"), "has already passed");
  return absl::OkStatus();
}

absl::Status CheckHoldId(const std::string& hold_id) { return CheckResourceId("hold_id", hold_id); }

absl::Status WrongState(const Hold& hold, HoldState expected) {
  return absl::FailedPreconditionError(absl::StrCat(
      "hold ", hold.id(), " is ", HoldStateName(hold.state()), ", not ", HoldStateName(expected)));
}

// The hold after a change: next version, updated now.
Hold Next(const Hold& current, HoldState state, absl::Time now) {
  Hold next = current;
  next.set_version(current.version() + 1);
  next.set_state(state);
  *next.mutable_updated_at() = ToProtoTime(now);
  return next;
}

Hold NewHold(const HoldRequest& request, std::string hold_id, relais::v1::HoldKind kind,
             std::string organisation_id, absl::Time now) {
  Hold hold;
  hold.set_id(std::move(hold_id));
  hold.set_version(1);
  hold.set_kind(kind);
  hold.set_state(relais::v1::HOLD_STATE_HELD);
  hold.set_organisation_id(std::move(organisation_id));
  if (kind != relais::v1::HOLD_KIND_STOCK) {
    *hold.mutable_window()->mutable_start() = MillisTimestamp(request.window().start());
    *hold.mutable_window()->mutable_end() = MillisTimestamp(request.window().end());
  }
  hold.set_holder_ref(request.holder_ref());
  const absl::Duration ttl = request.has_ttl() ? absl::Seconds(request.ttl().seconds()) +
                                                     absl::Nanoseconds(request.ttl().nanos())
                                               : kDefaultHoldTtl;
  *hold.mutable_expires_at() = ToProtoTime(ToMillis(now + ttl));
  *hold.mutable_created_at() = ToProtoTime(now);
  *hold.mutable_updated_at() = ToProtoTime(now);
  return hold;
}

}  // namespace

// --- Validation ---

absl::Status ValidateHoldItem(const FieldPath& path, const HoldRequest& item, absl::Time now) {
  const bool stock = item.target_case() == HoldRequest::kStockLineId;
  switch (item.target_case()) {
    case HoldRequest::kResponderId:
      RETURN_IF_ERROR(CheckResourceId(path.Field("responder_id"), item.responder_id()));
      break;
    case HoldRequest::kTeamId:
      RETURN_IF_ERROR(CheckResourceId(path.Field("team_id"), item.team_id()));
      break;
    case HoldRequest::kStockLineId:
      RETURN_IF_ERROR(CheckResourceId(path.Field("stock_line_id"), item.stock_line_id()));
      break;
    case HoldRequest::TARGET_NOT_SET:
      return InvalidField(path.Field("target"),
                          "one of responder_id, team_id or stock_line_id is required");
  }
  if (stock) {
    if (item.has_window()) {
      return InvalidField(path.Field("window"), "must not be set for a stock hold");
    }
    RETURN_IF_ERROR(CheckIntRange(path.Field("quantity"), item.quantity(), 1, kMaxHoldQuantity));
  } else {
    RETURN_IF_ERROR(CheckWindow(path.Field("window"), item.has_window(), item.window(), now));
    if (item.quantity() != 0) {
      return InvalidField(path.Field("quantity"), "is only for a stock hold");
    }
  }
  RETURN_IF_ERROR(CheckHolderRef(path.Field("holder_ref"), item.holder_ref()));
  if (item.has_ttl()) RETURN_IF_ERROR(CheckTtl(path.Field("ttl"), item.ttl()));
  return absl::OkStatus();
}

absl::Status ValidateHold(const HoldRequest& request, absl::Time now) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return ValidateHoldItem(FieldPath(), request, now);
}

absl::Status ValidateHoldBatch(const relais::v1::HoldBatchRequest& request, absl::Time now) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.items().empty()) return InvalidField("items", "must have at least one item");
  RETURN_IF_ERROR(CheckMaxCount("items", request.items_size(), kMaxBatchItems));
  for (int i = 0; i < request.items_size(); ++i) {
    RETURN_IF_ERROR(ValidateHoldItem(FieldPath("items").Index(i), request.items(i), now));
  }
  return absl::OkStatus();
}

absl::Status ValidateGetHold(const relais::v1::GetHoldRequest& request) {
  return CheckHoldId(request.hold_id());
}

absl::Status ValidateConfirmHold(const relais::v1::ConfirmHoldRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckHoldId(request.hold_id());
}

absl::Status ValidateReleaseHold(const relais::v1::ReleaseHoldRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckHoldId(request.hold_id());
}

absl::Status ValidateReleaseCommitment(const relais::v1::ReleaseCommitmentRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckHoldId(request.hold_id()));
  RETURN_IF_ERROR(CheckOptionalText("reason", request.reason(), kMaxReleaseReasonChars));
  RETURN_IF_ERROR(CheckMaxCount("kit_used", request.kit_used_size(), kMaxKitUsedLines));
  // In key order, so that the error named is the same whatever the map's order.
  const std::map<std::string, int64_t> kit_used(request.kit_used().begin(),
                                                request.kit_used().end());
  for (const auto& [line_id, used] : kit_used) {
    // The key is named in a path only once it is known to be an id: any other text could hold
    // line breaks or be long (found by tests/fuzz); CheckResourceId quotes it safely.
    RETURN_IF_ERROR(CheckResourceId("kit_used", line_id));
    RETURN_IF_ERROR(
        CheckIntRange(absl::StrCat("kit_used[", line_id, "]"), used, 0, kMaxHoldQuantity));
  }
  return absl::OkStatus();
}

absl::Status ValidateExtendCommitment(const relais::v1::ExtendCommitmentRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckHoldId(request.hold_id()));
  RETURN_IF_ERROR(CheckPresent("new_end", request.has_new_end()));
  return CheckTimestamp("new_end", request.new_end());
}

absl::Status ValidateConsumeCommitment(const relais::v1::ConsumeCommitmentRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckHoldId(request.hold_id()));
  return CheckIntRange("quantity_used", request.quantity_used(), 0, kMaxHoldQuantity);
}

HoldRequest BatchItem(const relais::v1::HoldBatchRequest& batch, int index) {
  HoldRequest item = batch.items(index);
  item.set_request_id(absl::StrCat(batch.request_id(), "/", index));
  return item;
}

// --- New holds ---

Hold NewResponderHold(const HoldRequest& request, std::string hold_id, std::string organisation_id,
                      absl::Time now) {
  Hold hold = NewHold(request, std::move(hold_id), relais::v1::HOLD_KIND_RESPONDER,
                      std::move(organisation_id), now);
  hold.set_responder_id(request.responder_id());
  hold.add_member_ids(request.responder_id());
  return hold;
}

Hold NewTeamHold(const HoldRequest& request, std::string hold_id, const relais::v1::Team& team,
                 absl::Time now) {
  Hold hold =
      NewHold(request, std::move(hold_id), relais::v1::HOLD_KIND_TEAM, team.organisation_id(), now);
  hold.set_team_id(team.id());
  std::set<std::string_view> members;
  for (const std::string& id : team.member_ids()) {
    if (members.insert(id).second) hold.add_member_ids(id);
  }
  std::map<std::string_view, int> line_index;
  for (const auto& kit : team.kit()) {
    auto [it, added] = line_index.emplace(kit.stock_line_id(), hold.stock_size());
    if (added) {
      auto* stock = hold.add_stock();
      stock->set_stock_line_id(kit.stock_line_id());
      stock->set_quantity(kit.quantity());
    } else {
      auto* stock = hold.mutable_stock(it->second);
      stock->set_quantity(stock->quantity() + kit.quantity());
    }
  }
  return hold;
}

Hold NewStockHold(const HoldRequest& request, std::string hold_id,
                  const relais::v1::StockLine& line, absl::Time now) {
  Hold hold = NewHold(request, std::move(hold_id), relais::v1::HOLD_KIND_STOCK,
                      line.organisation_id(), now);
  auto* stock = hold.add_stock();
  stock->set_stock_line_id(line.id());
  stock->set_quantity(request.quantity());
  return hold;
}

absl::Status CheckStockLineUsable(const relais::v1::StockLine& line, absl::Time now) {
  if (line.has_expires_at() && FromProtoTime(line.expires_at()) <= now) {
    return absl::FailedPreconditionError(absl::StrCat("stock line ", line.id(), " expired on ",
                                                      TimeText(FromProtoTime(line.expires_at()))));
  }
  return absl::OkStatus();
}

// --- Changes ---

const char* HoldStateName(HoldState state) {
  switch (state) {
    case relais::v1::HOLD_STATE_HELD:
      return "HELD";
    case relais::v1::HOLD_STATE_COMMITTED:
      return "COMMITTED";
    case relais::v1::HOLD_STATE_RELEASED:
      return "RELEASED";
    case relais::v1::HOLD_STATE_EXPIRED:
      return "EXPIRED";
    case relais::v1::HOLD_STATE_CONSUMED:
      return "CONSUMED";
    default:
      return "UNSPECIFIED";
  }
}

bool HasExpired(const Hold& hold, absl::Time now) {
  return hold.state() == relais::v1::HOLD_STATE_HELD && FromProtoTime(hold.expires_at()) <= now;
}

absl::StatusOr<Hold> ConfirmHold(const Hold& current, absl::Time now) {
  if (current.state() != relais::v1::HOLD_STATE_HELD) {
    return WrongState(current, relais::v1::HOLD_STATE_HELD);
  }
  if (HasExpired(current, now)) {
    return absl::FailedPreconditionError(absl::StrCat("hold ", current.id(), " expired at ",
                                                      TimeText(FromProtoTime(current.expires_at())),
                                                      "; place a new hold"));
  }
  Hold next = Next(current, relais::v1::HOLD_STATE_COMMITTED, now);
  next.clear_expires_at();
  return next;
}

absl::StatusOr<Hold> ReleaseHold(const Hold& current, absl::Time now) {
  if (current.state() != relais::v1::HOLD_STATE_HELD) {
    return WrongState(current, relais::v1::HOLD_STATE_HELD);
  }
  return Next(current, relais::v1::HOLD_STATE_RELEASED, now);
}

absl::StatusOr<Hold> ExpireHold(const Hold& current, absl::Time now) {
  if (current.state() != relais::v1::HOLD_STATE_HELD) {
    return WrongState(current, relais::v1::HOLD_STATE_HELD);
  }
  if (!HasExpired(current, now)) {
    return absl::FailedPreconditionError(absl::StrCat("hold ", current.id(), " expires at ",
                                                      TimeText(FromProtoTime(current.expires_at())),
                                                      ", not yet"));
  }
  return Next(current, relais::v1::HOLD_STATE_EXPIRED, now);
}

absl::StatusOr<Hold> ReleaseCommitment(const Hold& current,
                                       const relais::v1::ReleaseCommitmentRequest& request,
                                       absl::Time now) {
  if (current.state() != relais::v1::HOLD_STATE_COMMITTED) {
    return WrongState(current, relais::v1::HOLD_STATE_COMMITTED);
  }
  if (!request.kit_used().empty() && current.kind() != relais::v1::HOLD_KIND_TEAM) {
    return InvalidField("kit_used", "is only for a team commitment");
  }
  Hold next = Next(current, relais::v1::HOLD_STATE_RELEASED, now);
  next.set_release_reason(request.reason());
  const std::map<std::string, int64_t> kit_used(request.kit_used().begin(),
                                                request.kit_used().end());
  for (const auto& [line_id, used] : kit_used) {
    const std::string path = absl::StrCat("kit_used[", line_id, "]");
    auto held = std::find_if(next.mutable_stock()->begin(), next.mutable_stock()->end(),
                             // Named capture: clang 14 cannot capture a structured binding.
                             [&id = line_id](const auto& s) { return s.stock_line_id() == id; });
    if (held == next.mutable_stock()->end()) {
      return InvalidField(path, absl::StrCat("is not a kit line of hold ", current.id()));
    }
    if (used > held->quantity()) {
      return InvalidField(path, absl::StrCat("must be at most the held quantity ", held->quantity(),
                                             " (got ", used, ")"));
    }
    held->set_consumed(used);
  }
  return next;
}

absl::StatusOr<Hold> ExtendCommitment(const Hold& current,
                                      const relais::v1::ExtendCommitmentRequest& request,
                                      absl::Time now) {
  if (current.state() != relais::v1::HOLD_STATE_COMMITTED) {
    return WrongState(current, relais::v1::HOLD_STATE_COMMITTED);
  }
  if (current.kind() == relais::v1::HOLD_KIND_STOCK || !current.has_window()) {
    return absl::FailedPreconditionError(
        absl::StrCat("hold ", current.id(), " reserves stock, not responders: it has no window"));
  }
  const absl::Time start = FromProtoTime(current.window().start());
  const absl::Time end = FromProtoTime(current.window().end());
  const absl::Time new_end = ToMillis(FromProtoTime(request.new_end()));
  if (new_end <= end) {
    return InvalidField("new_end", absl::StrCat("must be after the current end ", TimeText(end)));
  }
  if (new_end - start > kMaxHoldWindow) {
    return InvalidField("new_end", absl::StrCat("must be at most 400 days after the window's "
                                                "start ",
                                                TimeText(start)));
  }
  Hold next = Next(current, relais::v1::HOLD_STATE_COMMITTED, now);
  *next.mutable_window()->mutable_end() = ToProtoTime(new_end);
  return next;
}

absl::StatusOr<Hold> ConsumeCommitment(const Hold& current,
                                       const relais::v1::ConsumeCommitmentRequest& request,
                                       absl::Time now) {
  if (current.kind() != relais::v1::HOLD_KIND_STOCK || current.stock_size() != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("hold ", current.id(), " is not a stock commitment"));
  }
  if (current.state() != relais::v1::HOLD_STATE_COMMITTED) {
    return WrongState(current, relais::v1::HOLD_STATE_COMMITTED);
  }
  const int64_t held = current.stock(0).quantity();
  const int64_t used = request.quantity_used() == 0 ? held : request.quantity_used();
  if (used > held) {
    return InvalidField("quantity_used", absl::StrCat("must be at most the held quantity ", held,
                                                      " (got ", used, ")"));
  }
  Hold next = Next(current, relais::v1::HOLD_STATE_CONSUMED, now);
  next.mutable_stock(0)->set_consumed(used);
  return next;
}

// --- Events ---

relais::v1::Event HoldEvent(relais::v1::EventType type, const Hold& hold, const Principal& caller,
                            const std::string& request_id, absl::Time now) {
  relais::v1::Event event;
  event.set_type(type);
  *event.mutable_time() = ToProtoTime(now);
  event.set_service("inventory");
  event.set_principal_id(caller.id);
  event.set_on_behalf_of(OnBehalfOf(caller));
  event.set_request_id(request_id);
  event.set_subject_id(hold.id());
  event.set_subject_version(hold.version());
  event.set_hold_id(hold.id());
  event.set_organisation_id(hold.organisation_id());
  event.set_responder_id(hold.responder_id());
  event.set_team_id(hold.team_id());
  for (const std::string& id : hold.member_ids()) event.add_responder_ids(id);
  if (hold.kind() == relais::v1::HOLD_KIND_STOCK && hold.stock_size() == 1) {
    event.set_stock_line_id(hold.stock(0).stock_line_id());
    event.set_quantity(type == relais::v1::EVENT_TYPE_COMMITMENT_CONSUMED
                           ? hold.stock(0).consumed()
                           : hold.stock(0).quantity());
  }
  return event;
}

}  // namespace relais::inventory
