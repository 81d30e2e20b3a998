#include "services/mobilisation/board.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/mobilisation/mobilisation_domain.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais::mobilisation {
namespace {

// The full gRPC name the ownership checks are made under (access_policy.h).
constexpr char kListNotifications[] = "/relais.v1.Mobilisation/ListNotifications";

}  // namespace

absl::StatusOr<std::string> Board::LogPosition() {
  auto reply = redis_.Command({"XREVRANGE", event_log_key_, "+", "-", "COUNT", "1"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::InternalError("redis: " + reply->str());
  if (reply->elements().empty()) return std::string("0-0");
  return reply->elements()[0].elements()[0].str();
}

absl::StatusOr<std::vector<v1::Event>> Board::RecentEvents(const std::string& crisis_id,
                                                           int count) {
  // The log is shared by every service and crisis: look at the newest 2,000 entries only, so the
  // board stays one bounded read.
  auto reply = redis_.Command({"XREVRANGE", event_log_key_, "+", "-", "COUNT", "2000"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::InternalError("redis: " + reply->str());
  std::vector<v1::Event> events;
  for (const Reply& entry : reply->elements()) {
    if (static_cast<int>(events.size()) >= count) break;
    const auto& fields = entry.elements()[1].elements();
    std::string c;
    const std::string* e = nullptr;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str() == "c") c = fields[i + 1].str();
      if (fields[i].str() == "e") e = &fields[i + 1].str();
    }
    if (c != crisis_id || e == nullptr) continue;
    v1::Event event;
    if (!event.ParseFromString(*e)) continue;
    event.set_cursor(entry.elements()[0].str());
    events.push_back(std::move(event));
  }
  std::reverse(events.begin(), events.end());
  return events;
}

absl::StatusOr<v1::OutreachLine> Board::LineOf(const v1::MobilisationRequest& request) {
  v1::OutreachLine line;
  *line.mutable_request() = request;
  line.set_answered(!IsPending(request.state()) ||
                    request.state() == v1::REQUEST_STATE_PROVISIONAL);
  bool reached = request.has_acknowledged_at() || line.answered();
  if (notifications_) {
    auto notes = notifications_(request.id());
    if (!notes.ok()) return notes.status();
    for (auto& n : *notes) {
      if (n.state() == v1::DELIVERY_STATE_DELIVERED) reached = true;
      *line.add_notifications() = std::move(n);
    }
  }
  line.set_reached(reached);
  return line;
}

absl::Status Board::GetCrisisBoard(const Principal& /*caller*/,
                                   const v1::GetCrisisBoardRequest& request, v1::CrisisBoard* out) {
  if (request.crisis_id().empty()) return absl::InvalidArgumentError("crisis_id: required");
  auto cursor = LogPosition();
  if (!cursor.ok()) return cursor.status();
  auto crisis = crises_.GetCrisis(request.crisis_id());
  if (!crisis.ok()) return crisis.status();
  const absl::Time now = clock_.Now();
  out->set_crisis_id(crisis->id());
  out->set_title(crisis->title());
  out->set_status(
      std::string(absl::StripPrefix(v1::CrisisStatus_Name(crisis->status()), "CRISIS_STATUS_")));
  int unreached = 0;
  for (const v1::Need& need : crisis->needs()) {
    v1::NeedBoard& board = *out->add_needs();
    auto stored = store_.ReadNeed(crisis->id(), need.id());
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      *board.mutable_progress() = (*stored)->value.progress();
    } else {
      *board.mutable_progress() = NewProgress(crisis->id(), need, {});
      if (need.status() == v1::NEED_STATUS_CANCELLED) {
        board.mutable_progress()->set_coverage(v1::COVERAGE_CANCELLED);
      }
      continue;
    }
    auto ids = store_.All(keys::RequestsOfNeed(crisis->id(), need.id()));
    if (!ids.ok()) return ids.status();
    auto requests = store_.ReadRequests(*ids);
    if (!requests.ok()) return requests.status();
    for (const auto& r : *requests) {
      if (!IsPending(r.state())) continue;
      v1::PendingRequest& pending = *board.add_pending();
      *pending.mutable_request() = r;
      const absl::Duration left =
          std::max(absl::ZeroDuration(), FromProtoTime(r.respond_by()) - now);
      pending.mutable_time_left()->set_seconds(absl::ToInt64Seconds(left));
      auto line = LineOf(r);
      if (!line.ok()) return line.status();
      if (!line->reached()) ++unreached;
    }
  }
  out->set_unreached(unreached);
  auto recent = RecentEvents(crisis->id(), 50);
  if (!recent.ok()) return recent.status();
  for (auto& e : *recent) *out->add_recent_events() = std::move(e);
  out->set_cursor(*cursor);
  *out->mutable_as_of() = ToProtoTime(now);
  return absl::OkStatus();
}

absl::Status Board::GetOutreach(const Principal& /*caller*/, const v1::GetOutreachRequest& request,
                                v1::Outreach* out) {
  if (request.crisis_id().empty()) return absl::InvalidArgumentError("crisis_id: required");
  auto ids = store_.All(keys::RequestsOfCrisis(request.crisis_id()));
  if (!ids.ok()) return ids.status();
  if (ids->empty()) {
    // Unknown crisis, or nothing sent yet: tell them apart.
    auto crisis = crises_.GetCrisis(request.crisis_id());
    if (!crisis.ok()) return crisis.status();
  }
  auto requests = store_.ReadRequests(*ids);
  if (!requests.ok()) return requests.status();
  out->set_crisis_id(request.crisis_id());
  int failed = 0;
  for (const auto& r : *requests) {
    auto line = LineOf(r);
    if (!line.ok()) return line.status();
    for (const auto& n : line->notifications()) {
      if (n.state() == v1::DELIVERY_STATE_FAILED) ++failed;
    }
    if (r.state() != v1::REQUEST_STATE_REQUESTED) continue;
    if (line->reached()) {
      *out->add_unanswered() = *std::move(line);
    } else {
      *out->add_unreached() = *std::move(line);
    }
  }
  out->set_failed_notifications(failed);
  return absl::OkStatus();
}

absl::Status Board::ListNotifications(const Principal& caller,
                                      const v1::ListNotificationsRequest& request,
                                      v1::ListNotificationsResponse* out) {
  if (auto s = ValidateListNotifications(request); !s.ok()) return s;
  // A responder names themselves; an OSI keeps its own organisation's requests only.
  if (auto s = access::AuthorizeFilter(caller, kListNotifications, {"", request.responder_id()});
      !s.ok()) {
    return s;
  }
  // A responder's requests are few (one per round that asked them), each with a notification per
  // configured channel and change: read them all, then cut the page.
  auto ids = store_.All(keys::RequestsOf(request.responder_id()));
  if (!ids.ok()) return ids.status();
  auto requests = store_.ReadRequests(*ids);
  if (!requests.ok()) return requests.status();
  std::vector<v1::Notification> all;
  for (const v1::MobilisationRequest& r : *requests) {
    if (r.responder_id() != request.responder_id()) continue;
    if (!access::AuthorizeTarget(caller, kListNotifications,
                                 {r.organisation_id(), r.responder_id()})
             .ok()) {
      continue;
    }
    auto sent = notifications_(r.id());
    if (!sent.ok()) return sent.status();
    for (v1::Notification& n : *sent) {
      if (n.responder_id() == request.responder_id()) all.push_back(std::move(n));
    }
  }
  // Newest first: ids are time-ordered. The page token is the last id of the previous page.
  std::sort(all.begin(), all.end(),
            [](const v1::Notification& a, const v1::Notification& b) { return a.id() > b.id(); });
  const int page = EffectivePageSize(request.page_size());
  for (v1::Notification& n : all) {
    if (!request.page_token().empty() && n.id() >= request.page_token()) continue;
    if (out->notifications_size() == page) {
      out->set_next_page_token(out->notifications(page - 1).id());
      break;
    }
    *out->add_notifications() = std::move(n);
  }
  return absl::OkStatus();
}

}  // namespace relais::mobilisation
