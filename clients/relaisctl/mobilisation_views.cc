#include "clients/relaisctl/mobilisation_views.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/table.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

std::string Label(Msg id) { return std::string(Text(id)); }

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string Number(int64_t n) { return absl::StrCat(n); }

// The responder, team or stock line, by kind (whichever is set if the kind is newer than us).
std::string Who(v1::CandidateKind kind, const std::string& responder_id, const std::string& team_id,
                const std::string& stock_line_id) {
  switch (kind) {
    case v1::CANDIDATE_KIND_RESPONDER:
      return OrDash(responder_id);
    case v1::CANDIDATE_KIND_TEAM:
      return OrDash(team_id);
    case v1::CANDIDATE_KIND_STOCK:
      return OrDash(stock_line_id);
    default:
      break;
  }
  for (const std::string* id : {&responder_id, &team_id, &stock_line_id}) {
    if (!id->empty()) return *id;
  }
  return "-";
}

std::string WhoOf(const v1::MobilisationRequest& request) {
  return Who(request.kind(), request.responder_id(), request.team_id(), request.stock_line_id());
}

std::string WhoOf(const v1::Assignment& assignment) {
  return Who(assignment.kind(), assignment.responder_id(), assignment.team_id(),
             assignment.stock_line_id());
}

// The detail field naming who: "Responder", "Team" or "Stock line".
Field WhoField(v1::CandidateKind kind, const std::string& who) {
  const Msg label = kind == v1::CANDIDATE_KIND_TEAM    ? Msg::kFieldTeam
                    : kind == v1::CANDIDATE_KIND_STOCK ? Msg::kFieldStockLine
                                                       : Msg::kFieldResponder;
  return {Label(label), who};
}

std::string What(const v1::ResourceRef& resource) {
  if (resource.code().empty()) return "-";
  return absl::StrCat(ResourceKinds().Name(resource.kind()), ":", resource.code());
}

std::string Window(const v1::TimeWindow& window) {
  return Say(Msg::kWindow, FormatTimestamp(window.start()), FormatTimestamp(window.end()));
}

bool Pending(v1::RequestState state) {
  return state == v1::REQUEST_STATE_REQUESTED || state == v1::REQUEST_STATE_PROVISIONAL;
}

// The deadline and, while the request waits for an answer, how long it has left.
std::string RespondBy(const v1::MobilisationRequest& request, absl::Time now) {
  const std::string at = FormatTimestamp(request.respond_by());
  if (!Pending(request.state()) || !request.has_respond_by()) return at;
  const absl::Duration left = FromTimestamp(request.respond_by()) - now;
  if (left <= absl::ZeroDuration()) return Say(Msg::kHoldExpiryPassed, at);
  return Say(Msg::kRespondByIn, at, FormatSpan(left));
}

std::string CoverageText(const v1::NeedProgress& progress) {
  const std::string word = Coverages().Name(progress.coverage());
  if (progress.uncoverable_reason().empty()) return word;
  return Say(Msg::kCoverageBecause, word, progress.uncoverable_reason());
}

// A timestamp field, only when it is set.
void AddTime(std::vector<Field>& fields, Msg label, const google::protobuf::Timestamp& at,
             bool set) {
  if (set) fields.push_back({Label(label), FormatTimestamp(at)});
}

std::string Lines(const std::string& text) {
  return absl::StrJoin(Wrap(text, kMaxWidth), "\n") + "\n";
}

std::string NotificationText(const v1::Notification& notification) {
  const std::string channel = NotificationChannels().Name(notification.channel());
  const std::string state = DeliveryStates().Name(notification.state());
  if (notification.attempts().empty()) return Say(Msg::kNotificationState, channel, state);
  const v1::DeliveryAttempt& last = *notification.attempts().rbegin();
  return Say(Msg::kNotificationAttempts, channel, state, notification.attempts_size(),
             OrDash(last.detail()));
}

std::string OutreachTable(const google::protobuf::RepeatedPtrField<v1::OutreachLine>& lines) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColRequest), .keep = true},
      {.header = Label(Msg::kColWho), .keep = true},
      {.header = Label(Msg::kColState)},
      {.header = Label(Msg::kColRespondBy)},
  };
  std::vector<Row> rows;
  for (const v1::OutreachLine& line : lines) {
    const v1::MobilisationRequest& request = line.request();
    std::vector<std::string> notes;
    if (request.has_acknowledged_at()) {
      notes.push_back(Say(Msg::kAcknowledgedAt, FormatTimestamp(request.acknowledged_at())));
    }
    for (const v1::Notification& notification : line.notifications()) {
      notes.push_back(NotificationText(notification));
    }
    if (notes.empty()) notes.push_back(Say(Msg::kNoNotifications));
    rows.push_back({.cells = {request.id(), WhoOf(request), RequestStates().Name(request.state()),
                              FormatTimestamp(request.respond_by())},
                    .note = absl::StrJoin(notes, "; "),
                    .wrap_note = true});
  }
  return RenderTable(columns, rows);
}

std::string PendingTable(const google::protobuf::RepeatedPtrField<v1::PendingRequest>& pending) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColRequest), .keep = true},
      {.header = Label(Msg::kColState)},
      {.header = Label(Msg::kColWho), .keep = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
      {.header = Label(Msg::kColLeft), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::PendingRequest& p : pending) {
    const v1::MobilisationRequest& request = p.request();
    rows.push_back(
        {.cells = {request.id(), RequestStates().Name(request.state()), WhoOf(request),
                   Number(request.quantity()), FormatSpan(FromDurationProto(p.time_left()))}});
  }
  return RenderTable(columns, rows);
}

}  // namespace

std::string CandidatesView(const v1::ProposeCandidatesResponse& response) {
  std::string out =
      Lines(Say(Msg::kCandidatesHeader, Window(response.window()), response.already_asked()));
  if (response.candidates().empty()) return out + Say(Msg::kNoCandidates) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColRank), .align = Align::kRight},
      {.header = Label(Msg::kColKind)},
      {.header = Label(Msg::kColCandidate), .keep = true},
      {.header = Label(Msg::kColOrganisationId), .keep = true},
      {.header = Label(Msg::kColScore), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::Candidate& c : response.candidates()) {
    rows.push_back({.cells = {Number(c.rank()), CandidateKinds().Name(c.kind()),
                              Who(c.kind(), c.responder_id(), c.team_id(), c.stock_line_id()),
                              OrDash(c.organisation_id()), absl::StrFormat("%.2f", c.score())},
                    .note = absl::StrJoin(c.reasons(), "; "),
                    .wrap_note = true});
  }
  return out + RenderTable(columns, rows);
}

std::string ProgressLine(const v1::NeedProgress& progress) {
  return Lines(Say(Msg::kProgressLine, progress.need_id(), What(progress.resource()),
                   progress.required(), progress.requested(), progress.accepted(),
                   progress.deployed(), progress.released(), CoverageText(progress)));
}

std::string MobiliseView(const v1::MobiliseResponse& response) {
  std::string out = ProgressLine(response.progress());
  if (response.requests().empty()) return out + Say(Msg::kNoRequestsSent) + "\n";
  return out + "\n" + Say(Msg::kRequestsSentTitle, response.requests_size()) + "\n" +
         RequestTable(response.requests());
}

std::string NeedProgressDetail(const v1::NeedProgress& progress) {
  const v1::MobilisationPolicy& policy = progress.policy();
  const std::string overbooking = policy.overbooking_factor() > 0
                                      ? absl::StrFormat("%g", policy.overbooking_factor())
                                      : Say(Msg::kDefaultValue, "1.5");
  const std::string response_time = policy.has_response_time()
                                        ? FormatSpan(FromDurationProto(policy.response_time()))
                                        : Say(Msg::kResponseByUrgency);
  const std::string rotation = policy.has_rotation_window()
                                   ? FormatSpan(FromDurationProto(policy.rotation_window()))
                                   : Say(Msg::kDefaultValue, "30d");
  const std::string max_pending =
      policy.max_pending() > 0 ? Number(policy.max_pending()) : Say(Msg::kDefaultValue, "50");
  const std::vector<Field> fields = {
      {Label(Msg::kFieldNeed), progress.need_id()},
      {Label(Msg::kFieldCrisis), OrDash(progress.crisis_id())},
      {Label(Msg::kFieldWhat), What(progress.resource())},
      {Label(Msg::kFieldCoverage), CoverageText(progress), true},
      {Label(Msg::kFieldRequired), Number(progress.required())},
      {Label(Msg::kFieldRequested), Number(progress.requested())},
      {Label(Msg::kFieldAccepted), Number(progress.accepted())},
      {Label(Msg::kFieldDeployed), Number(progress.deployed())},
      {Label(Msg::kFieldReleased), Number(progress.released())},
      {Label(Msg::kFieldDeclined), Number(progress.declined())},
      {Label(Msg::kFieldExpired), Number(progress.expired())},
      {Label(Msg::kFieldWithdrawn), Number(progress.withdrawn())},
      {Label(Msg::kFieldRounds), Number(progress.rounds())},
      {Label(Msg::kFieldOverbooking), overbooking},
      {Label(Msg::kFieldResponseTime), response_time},
      {Label(Msg::kFieldRotation), rotation},
      {Label(Msg::kFieldEscalation),
       Label(policy.manual_escalation() ? Msg::kEscalationManual : Msg::kEscalationAutomatic)},
      {Label(Msg::kFieldMaxPending), max_pending},
      {Label(Msg::kFieldVersion), Number(progress.version())},
      {Label(Msg::kFieldUpdated), FormatTimestamp(progress.updated_at())},
  };
  return RenderFields(fields);
}

std::string RequestDetail(const v1::MobilisationRequest& request, absl::Time now) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldRequest), request.id()},
      {Label(Msg::kFieldState), RequestStates().Name(request.state())},
      {Label(Msg::kFieldVersion), Number(request.version())},
      {Label(Msg::kFieldCrisis), OrDash(request.crisis_id())},
      {Label(Msg::kFieldNeed), OrDash(request.need_id())},
      {Label(Msg::kFieldKind), CandidateKinds().Name(request.kind())},
      WhoField(request.kind(), WhoOf(request)),
      {Label(Msg::kFieldOrganisation), OrDash(request.organisation_id())},
      {Label(Msg::kFieldQuantity), Number(request.quantity())},
      {Label(Msg::kFieldWindow), Window(request.window())},
      {Label(Msg::kFieldRespondBy), RespondBy(request, now)},
      {Label(Msg::kFieldHold), OrDash(request.hold_id())},
      {Label(Msg::kFieldAssignment), OrDash(request.assignment_id())},
      {Label(Msg::kFieldRound), Number(request.round())},
  };
  if (!request.reason().empty())
    fields.push_back({Label(Msg::kFieldReason), request.reason(), true});
  fields.push_back({Label(Msg::kFieldCreated), FormatTimestamp(request.created_at())});
  AddTime(fields, Msg::kFieldAcknowledged, request.acknowledged_at(),
          request.has_acknowledged_at());
  AddTime(fields, Msg::kFieldAnswered, request.answered_at(), request.has_answered_at());
  fields.push_back({Label(Msg::kFieldUpdated), FormatTimestamp(request.updated_at())});
  return RenderFields(fields);
}

std::string RequestTable(
    const google::protobuf::RepeatedPtrField<v1::MobilisationRequest>& requests) {
  if (requests.empty()) return Say(Msg::kNoRequests) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColRequest), .keep = true},
      {.header = Label(Msg::kColState)},
      {.header = Label(Msg::kColWho), .keep = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
      {.header = Label(Msg::kColRespondBy)},
  };
  std::vector<Row> rows;
  for (const v1::MobilisationRequest& request : requests) {
    rows.push_back({.cells = {request.id(), RequestStates().Name(request.state()), WhoOf(request),
                              Number(request.quantity()), FormatTimestamp(request.respond_by())},
                    .note = Say(Msg::kRequestNote, OrDash(request.need_id()),
                                OrDash(request.crisis_id()), request.round())});
  }
  return RenderTable(columns, rows);
}

std::string AssignmentDetail(const v1::Assignment& assignment) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldAssignment), assignment.id()},
      {Label(Msg::kFieldState), AssignmentStates().Name(assignment.state())},
      {Label(Msg::kFieldVersion), Number(assignment.version())},
      {Label(Msg::kFieldCrisis), OrDash(assignment.crisis_id())},
      {Label(Msg::kFieldNeed), OrDash(assignment.need_id())},
      {Label(Msg::kFieldRequest), OrDash(assignment.mobilisation_request_id())},
      {Label(Msg::kFieldHold), OrDash(assignment.hold_id())},
      {Label(Msg::kFieldKind), CandidateKinds().Name(assignment.kind())},
      WhoField(assignment.kind(), WhoOf(assignment)),
      {Label(Msg::kFieldOrganisation), OrDash(assignment.organisation_id())},
      {Label(Msg::kFieldQuantity), Number(assignment.quantity())},
      {Label(Msg::kFieldWindow), Window(assignment.window())},
  };
  AddTime(fields, Msg::kFieldDepartureEstimated, assignment.departure_estimated(),
          assignment.has_departure_estimated());
  AddTime(fields, Msg::kFieldDeparted, assignment.departed_at(), assignment.has_departed_at());
  AddTime(fields, Msg::kFieldArrivalEstimated, assignment.arrival_estimated(),
          assignment.has_arrival_estimated());
  AddTime(fields, Msg::kFieldArrived, assignment.arrived_at(), assignment.has_arrived_at());
  AddTime(fields, Msg::kFieldReleasedAt, assignment.released_at(), assignment.has_released_at());
  if (assignment.state() == v1::ASSIGNMENT_STATE_DELIVERED || assignment.quantity_used() != 0) {
    fields.push_back({Label(Msg::kFieldUsed), Number(assignment.quantity_used())});
  }
  if (!assignment.reason().empty()) {
    fields.push_back({Label(Msg::kFieldReason), assignment.reason(), true});
  }
  fields.push_back({Label(Msg::kFieldCreated), FormatTimestamp(assignment.created_at())});
  fields.push_back({Label(Msg::kFieldUpdated), FormatTimestamp(assignment.updated_at())});
  return RenderFields(fields);
}

std::string AssignmentTable(const google::protobuf::RepeatedPtrField<v1::Assignment>& assignments) {
  if (assignments.empty()) return Say(Msg::kNoAssignments) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColAssignment), .keep = true},
      {.header = Label(Msg::kColState)},
      {.header = Label(Msg::kColWho), .keep = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
      {.header = Label(Msg::kColUntil)},
  };
  std::vector<Row> rows;
  for (const v1::Assignment& assignment : assignments) {
    rows.push_back(
        {.cells = {assignment.id(), AssignmentStates().Name(assignment.state()), WhoOf(assignment),
                   Number(assignment.quantity()), FormatTimestamp(assignment.window().end())},
         .note = Say(Msg::kAssignmentNote, OrDash(assignment.need_id()),
                     OrDash(assignment.crisis_id()))});
  }
  return RenderTable(columns, rows);
}

std::string CrisisBoardView(const v1::CrisisBoard& board) {
  std::string out = Lines(Say(Msg::kBoardTitle, board.crisis_id(), board.title(), board.status(),
                              FormatTimestamp(board.as_of())));
  out += Say(Msg::kBoardUnreached, board.unreached()) + "\n\n";
  if (board.needs().empty()) {
    out += Say(Msg::kBoardNoNeeds) + "\n";
  } else {
    const std::vector<Column> columns = {
        {.header = Label(Msg::kColNeedId), .keep = true},
        {.header = Label(Msg::kColRequired), .align = Align::kRight},
        {.header = Label(Msg::kColRequested), .align = Align::kRight},
        {.header = Label(Msg::kColAccepted), .align = Align::kRight},
        {.header = Label(Msg::kColDeployed), .align = Align::kRight},
        {.header = Label(Msg::kColReleased), .align = Align::kRight},
        {.header = Label(Msg::kColCoverage)},
    };
    std::vector<Row> rows;
    for (const v1::NeedBoard& need : board.needs()) {
      const v1::NeedProgress& p = need.progress();
      std::string note = Say(Msg::kBoardNeedNote, What(p.resource()), p.rounds());
      if (!p.uncoverable_reason().empty()) note += "; " + p.uncoverable_reason();
      rows.push_back(
          {.cells = {p.need_id(), Number(p.required()), Number(p.requested()), Number(p.accepted()),
                     Number(p.deployed()), Number(p.released()), Coverages().Name(p.coverage())},
           .note = note,
           .wrap_note = true});
    }
    out += RenderTable(columns, rows);
    for (const v1::NeedBoard& need : board.needs()) {
      if (need.pending().empty()) continue;
      out += "\n" + Say(Msg::kBoardPendingTitle, need.progress().need_id(), need.pending_size()) +
             "\n" + PendingTable(need.pending());
    }
  }
  return out + "\n" + Say(Msg::kBoardCursor, OrDash(board.cursor())) + "\n";
}

std::string OutreachView(const v1::Outreach& outreach) {
  std::string out = Lines(Say(Msg::kOutreachTitle, outreach.crisis_id(), outreach.unreached_size(),
                              outreach.unanswered_size(), outreach.failed_notifications()));
  out += "\n";
  if (outreach.unreached().empty()) {
    out += Say(Msg::kOutreachNoUnreached) + "\n";
  } else {
    out += Say(Msg::kOutreachUnreachedTitle, outreach.unreached_size()) + "\n" +
           OutreachTable(outreach.unreached());
  }
  out += "\n";
  if (outreach.unanswered().empty()) {
    out += Say(Msg::kOutreachNoUnanswered) + "\n";
  } else {
    out += Say(Msg::kOutreachUnansweredTitle, outreach.unanswered_size()) + "\n" +
           OutreachTable(outreach.unanswered());
  }
  return out;
}

std::string EventLine(const v1::Event& event, bool show_crisis) {
  std::vector<std::string> parts;
  auto add = [&parts](const std::string& id) {
    if (id.empty()) return;
    for (const std::string& part : parts) {
      if (part == id) return;
    }
    parts.push_back(id);
  };
  if (show_crisis) add(event.crisis_id());
  add(event.need_id());
  add(event.mobilisation_request_id());
  add(event.assignment_id());
  add(event.responder_id());
  for (const std::string& responder : event.responder_ids()) add(responder);
  add(event.team_id());
  add(event.warehouse_id());
  add(event.stock_line_id());
  add(event.hold_id());
  // The subject, unless it is the crisis this view already shows.
  if (show_crisis || event.subject_id() != event.crisis_id()) add(event.subject_id());
  if (event.quantity() != 0) parts.push_back(Say(Msg::kEventQuantity, event.quantity()));
  if (!event.principal_id().empty()) {
    parts.push_back(event.on_behalf_of().empty()
                        ? Say(Msg::kEventBy, event.principal_id())
                        : Say(Msg::kEventByFor, event.principal_id(), event.on_behalf_of()));
  }

  const std::string time = FormatSecond(event.time());
  const std::string indent(static_cast<size_t>(DisplayWidth(time)) + 2, ' ');
  std::string out;
  std::string line = time + "  " + EventTypes().Name(event.type());
  bool first_part = true;
  for (const std::string& part : parts) {
    const std::string separator = first_part ? "  " : " ";
    first_part = false;
    const std::string flat = Flatten(part);
    if (line != indent &&
        DisplayWidth(line) + DisplayWidth(separator) + DisplayWidth(flat) > kMaxWidth) {
      out += line + "\n";
      line = indent + Truncate(flat, kMaxWidth - DisplayWidth(indent));
      continue;
    }
    line += (line == indent ? "" : separator) + flat;
  }
  return out + line + "\n";
}

}  // namespace relais::cli
