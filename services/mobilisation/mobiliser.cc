#include "services/mobilisation/mobiliser.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/mobilisation/matching.h"
#include "services/mobilisation/mobilisation_domain.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/idempotency.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais::mobilisation {
namespace {

using relais::internal::NeedState;
using relais::internal::PendingRound;
using relais::internal::PlannedRequest;
using relais::internal::StoredOutcome;

constexpr char kScope[] = "mob";
constexpr char kServicePrincipal[] = "svc-mobilisation";
constexpr int kAttempts = 4;

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

StoredOutcome Success(const std::string& subject_id, int64_t version) {
  StoredOutcome outcome;
  outcome.set_subject_id(subject_id);
  outcome.set_subject_version(version);
  return outcome;
}

// The target id of a candidate, request or assignment: who or what is asked.
template <class M>
const std::string& TargetOf(const M& m) {
  if (!m.responder_id().empty()) return m.responder_id();
  if (!m.team_id().empty()) return m.team_id();
  return m.stock_line_id();
}

IndexOp Add(std::string key, std::string member, double score = 0) {
  return IndexOp{IndexOp::Kind::kAdd, std::move(key), std::move(member), score};
}
IndexOp Remove(std::string key, std::string member) {
  return IndexOp{IndexOp::Kind::kRemove, std::move(key), std::move(member), 0};
}
double Ms(absl::Time t) { return static_cast<double>(absl::ToUnixMillis(t)); }

// The full gRPC names the ownership checks are made under (access_policy.h). Who may mobilise,
// decide, demobilise or extend is the role-level check alone (coordinators), made by the runner.
#define RELAIS_MOBILISATION "/relais.v1.Mobilisation/"
constexpr char kGetRequest[] = RELAIS_MOBILISATION "GetRequest";
constexpr char kListRequests[] = RELAIS_MOBILISATION "ListRequests";
constexpr char kRespond[] = RELAIS_MOBILISATION "Respond";
constexpr char kAcknowledgeRequest[] = RELAIS_MOBILISATION "AcknowledgeRequest";
constexpr char kGetAssignment[] = RELAIS_MOBILISATION "GetAssignment";
constexpr char kListAssignments[] = RELAIS_MOBILISATION "ListAssignments";
constexpr char kWithdraw[] = RELAIS_MOBILISATION "Withdraw";
constexpr char kReportStatus[] = RELAIS_MOBILISATION "ReportStatus";
constexpr char kDemobilise[] = RELAIS_MOBILISATION "Demobilise";
constexpr char kExtendAssignment[] = RELAIS_MOBILISATION "ExtendAssignment";
#undef RELAIS_MOBILISATION

// What a call about a request or an assignment acts on: the organisation of the responder, team
// or stock line asked, and the responder (none for a team or stock line: only their organisation
// answers for those).
template <class M>
access::Target OwnerOf(const M& m) {
  return {m.organisation_id(), m.responder_id()};
}

// The ids an event about a request or an assignment carries (never personal data).
void Describe(const v1::MobilisationRequest& r, int64_t version, v1::Event* event) {
  event->set_mobilisation_request_id(r.id());
  event->set_assignment_id(r.assignment_id());
  event->set_subject_id(r.id());
  event->set_subject_version(version);
  event->set_organisation_id(r.organisation_id());
  event->set_responder_id(r.responder_id());
  event->set_team_id(r.team_id());
  event->set_stock_line_id(r.stock_line_id());
  event->set_hold_id(r.hold_id());
  event->set_quantity(r.quantity());
}

void Describe(const v1::Assignment& a, int64_t version, v1::Event* event) {
  event->set_mobilisation_request_id(a.mobilisation_request_id());
  event->set_assignment_id(a.id());
  event->set_subject_id(a.id());
  event->set_subject_version(version);
  event->set_organisation_id(a.organisation_id());
  event->set_responder_id(a.responder_id());
  event->set_team_id(a.team_id());
  event->set_stock_line_id(a.stock_line_id());
  event->set_hold_id(a.hold_id());
  event->set_quantity(a.quantity());
}

absl::Status RefusalStatus(const StoredOutcome& outcome) {
  return absl::Status(static_cast<absl::StatusCode>(outcome.code()), outcome.message());
}

// One page of an index, newest first, keeping what `keep` accepts; returns the next page token
// (empty on the last page). Filtering may read several index pages, at most 2,000 ids per call.
template <class M>
absl::StatusOr<std::string> FilteredPage(
    MobilisationStore& store, const std::string& index, std::string after, int page,
    const std::function<absl::StatusOr<std::vector<M>>(const std::vector<std::string>&)>& read,
    const std::function<bool(const M&)>& keep, google::protobuf::RepeatedPtrField<M>* out) {
  for (int scanned = 0; scanned < 2000 && out->size() < page;) {
    auto ids = store.Page(index, after, page);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return std::string();
    scanned += static_cast<int>(ids->size());
    auto entities = read(*ids);
    if (!entities.ok()) return entities.status();
    for (auto& e : *entities) {
      if (out->size() >= page) break;
      after = e.id();
      if (keep(e)) *out->Add() = std::move(e);
    }
    if (static_cast<int>(ids->size()) < page && out->size() < page) return std::string();
  }
  return after;
}

// The person a step carries out an action for: the caller, unless it is the service itself.
std::string ActorOf(const Principal* caller) {
  return caller != nullptr && caller->role != Role::kService ? caller->id : std::string();
}

}  // namespace

namespace steps {
namespace {
// "|<actor>" when the actor is a principal id (no '|' inside), else nothing.
std::string ActorPart(std::string_view actor) {
  return IsPrincipalId(actor) ? "|" + std::string(actor) : std::string();
}
}  // namespace
std::string Round(const std::string& c, const std::string& n) {
  return absl::StrCat("round|", c, "|", n);
}
std::string Escalate(const std::string& c, const std::string& n) {
  return absl::StrCat("escalate|", c, "|", n);
}
std::string Cover(const std::string& c, const std::string& n) {
  return absl::StrCat("cover|", c, "|", n);
}
std::string Cancel(const std::string& c, const std::string& n, std::string_view actor) {
  return absl::StrCat("cancel|", c, "|", n, ActorPart(actor));
}
std::string Free(const std::string& r, std::string_view actor) {
  return absl::StrCat("free|", r, ActorPart(actor));
}
std::string Confirm(const std::string& a, std::string_view actor) {
  return absl::StrCat("confirm|", a, ActorPart(actor));
}
std::string Release(const std::string& a, std::string_view actor) {
  return absl::StrCat("release|", a, ActorPart(actor));
}
std::string Consume(const std::string& a, std::string_view actor) {
  return absl::StrCat("consume|", a, ActorPart(actor));
}
}  // namespace steps

Mobiliser::Mobiliser(Committer& committer, MobilisationStore& store, CrisisDirectory& crises,
                     InventoryPort& inventory, const Clock& clock, IdGenerator& ids,
                     MobiliserOptions options, NotificationWriter notifications)
    : committer_(committer),
      store_(store),
      crises_(crises),
      inventory_(inventory),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)),
      notifications_(std::move(notifications)),
      strategy_(options_.strategy != nullptr ? *options_.strategy : default_strategy_) {}

// --- Helpers --------------------------------------------------------------------------------

IdempotencyKey Mobiliser::StepKey(std::string_view method, const std::string& request_id) const {
  IdempotencyKey key;
  key.scope = kScope;
  key.principal_id = kServicePrincipal;
  key.method = std::string(method);
  key.request_id = request_id;
  key.fingerprint = Sha256Hex(absl::StrCat(std::string(method), "\n", request_id));
  return key;
}

v1::Event Mobiliser::NewEvent(v1::EventType type, const Principal& caller,
                              const std::string& request_id, const std::string& crisis_id,
                              const std::string& need_id) const {
  v1::Event event;
  event.set_type(type);
  *event.mutable_time() = ToProtoTime(clock_.Now());
  event.set_service("mobilisation");
  event.set_principal_id(caller.id);
  event.set_on_behalf_of(OnBehalfOf(caller));
  event.set_request_id(request_id);
  event.set_crisis_id(crisis_id);
  event.set_need_id(need_id);
  return event;
}

absl::Status Mobiliser::Refuse(const IdempotencyKey& idem, const absl::Status& refusal) {
  StoredOutcome outcome;
  outcome.set_code(static_cast<int>(refusal.code()));
  outcome.set_message(std::string(refusal.message()));
  if (auto recorded = committer_.RecordRefusal(idem, outcome); !recorded.ok()) {
    return recorded.status();
  }
  return refusal;
}

absl::StatusOr<v1::Crisis> Mobiliser::CrisisOf(const std::string& crisis_id) {
  return crises_.GetCrisis(crisis_id);
}

absl::StatusOr<CommitResult> Mobiliser::CommitNeed(const std::string& crisis_id,
                                                   const std::string& need_id,
                                                   const Builder& build) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto need = store_.ReadNeed(crisis_id, need_id);
    if (!need.ok()) return need.status();
    auto commit = build(*need);
    if (!commit.ok()) return commit.status();
    // An empty request: nothing to write after all (answered or finished meanwhile).
    if (commit->idem.request_id.empty()) return CommitResult{};
    auto result = committer_.Commit(*commit);
    if (result.ok() || !absl::IsAborted(result.status())) return result;
  }
  return absl::AbortedError("the need kept changing under this call; try again");
}

void Mobiliser::AddNotification(const v1::MobilisationRequest& request, v1::EventType about,
                                const std::string& subject, const std::string& body,
                                CommitRequest* commit) {
  if (!notifications_ || request.responder_id().empty()) return;
  for (v1::NotificationChannel channel : options_.channels) {
    v1::Notification n;
    n.set_id(ids_.NewId("ntf"));
    n.set_channel(channel);
    n.set_responder_id(request.responder_id());
    n.set_mobilisation_request_id(request.id());
    n.set_assignment_id(request.assignment_id());
    n.set_crisis_id(request.crisis_id());
    n.set_need_id(request.need_id());
    n.set_about(about);
    n.set_state(v1::DELIVERY_STATE_PENDING);
    *n.mutable_created_at() = ToProtoTime(clock_.Now());
    *n.mutable_next_attempt_at() = n.created_at();
    n.set_subject(subject);
    n.set_body(body);
    notifications_(n, &commit->writes, &commit->index_ops);
  }
}

// --- Matching -------------------------------------------------------------------------------

absl::StatusOr<std::vector<v1::Candidate>> Mobiliser::FindCandidates(
    const v1::Crisis& crisis, const v1::Need& need, const NeedState& state, int64_t wanted,
    const v1::MobilisationPolicy& policy) {
  const absl::Time now = clock_.Now();
  const v1::NeedSpec& spec = need.spec();
  const v1::TimeWindow window = NeedWindow(spec, now);
  const std::set<std::string> asked(state.asked().begin(), state.asked().end());
  RankContext context;
  context.skill_code = spec.resource().code();
  context.abroad = crisis.scope() == v1::CRISIS_SCOPE_ABROAD;
  context.kind_word = absl::AsciiStrToLower(
      std::string(absl::StripPrefix(v1::CrisisKind_Name(crisis.kind()), "CRISIS_KIND_")));
  context.rotation_days = static_cast<int>(absl::ToInt64Hours(RotationWindow(policy)) / 24);
  const absl::Time rotation_since = now - RotationWindow(policy);

  switch (KindFor(spec.resource())) {
    case v1::CANDIDATE_KIND_RESPONDER: {
      // Look past the first page: rotation may lower the inventory's first choices, so rank a
      // pool a few times larger than the people wanted.
      const size_t pool = static_cast<size_t>(std::clamp<int64_t>(wanted * 3, 20, 1000));
      v1::FindRespondersRequest find;
      find.set_skill_code(spec.resource().code());
      find.set_min_level(spec.min_level());
      *find.mutable_window() = window;
      for (const auto& l : spec.languages()) find.add_languages(l);
      for (const auto& c : spec.certifications()) find.add_certifications(c);
      // The most recent 1,000 asked (the inventory's limit); older ones are long finished.
      const int skip = std::max(0, state.asked_size() - 1000);
      for (int i = skip; i < state.asked_size(); ++i)
        find.add_exclude_responder_ids(state.asked(i));
      find.set_mission_kind(crisis.kind());
      if (context.abroad) {
        find.mutable_abroad();
      } else {
        *find.mutable_local()->mutable_center() = crisis.area().center();
        find.mutable_local()->set_radius_km(
            std::min(500.0, crisis.area().radius_km() + options_.local_reach_km));
      }
      find.set_page_size(static_cast<int32_t>(std::min<size_t>(200, pool)));
      std::vector<v1::ResponderMatch> matches;
      do {
        auto page = inventory_.FindResponders(find);
        if (!page.ok()) return page.status();
        for (const auto& m : page->matches()) {
          if (!asked.contains(m.responder_id())) matches.push_back(m);
        }
        find.set_page_token(page->next_page_token());
      } while (!find.page_token().empty() && matches.size() < pool);
      std::vector<std::string> ids;
      for (const auto& m : matches) ids.push_back(m.responder_id());
      auto recent = store_.RecentCounts(ids, rotation_since);
      if (!recent.ok()) return recent.status();
      return strategy_.RankResponders(matches, *recent, context);
    }
    case v1::CANDIDATE_KIND_TEAM: {
      auto teams = inventory_.TeamsOfType(spec.resource().code());
      if (!teams.ok()) return teams.status();
      std::vector<v1::Team> free;
      std::vector<std::string> ids;
      for (auto& t : *teams) {
        if (asked.contains(t.id())) continue;
        ids.push_back(t.id());
        free.push_back(std::move(t));
      }
      auto recent = store_.RecentCounts(ids, rotation_since);
      if (!recent.ok()) return recent.status();
      return RankTeams(free, *recent, context);
    }
    case v1::CANDIDATE_KIND_STOCK: {
      v1::FindSuppliesRequest find;
      find.set_item_code(spec.resource().code());
      *find.mutable_near() = crisis.area().center();
      find.set_quantity(std::max<int64_t>(1, wanted));
      *find.mutable_not_expiring_before() = window.end();
      const int skip = std::max(0, state.asked_size() - 200);
      for (int i = skip; i < state.asked_size(); ++i) find.add_exclude_line_ids(state.asked(i));
      find.set_page_size(50);
      auto found = inventory_.FindSupplies(find);
      if (!found.ok()) return found.status();
      std::vector<v1::SupplyMatch> matches;
      for (const auto& m : found->matches()) {
        if (!asked.contains(m.line().id())) matches.push_back(m);
      }
      return RankSupplies(matches);
    }
    default:
      return absl::FailedPreconditionError("need: its resource kind cannot be mobilised");
  }
}

absl::Status Mobiliser::ProposeCandidates(const Principal& /*caller*/,
                                          const v1::ProposeCandidatesRequest& request,
                                          v1::ProposeCandidatesResponse* out) {
  if (auto s = ValidatePropose(request); !s.ok()) return s;
  auto crisis = CrisisOf(request.crisis_id());
  if (!crisis.ok()) return crisis.status();
  auto need = FindNeed(*crisis, request.need_id());
  if (!need.ok()) return need.status();
  auto stored = store_.ReadNeed(request.crisis_id(), request.need_id());
  if (!stored.ok()) return stored.status();
  NeedState state;
  if (stored->has_value()) state = (*stored)->value;
  const int limit = request.limit() == 0 ? 20 : request.limit();
  const v1::MobilisationPolicy policy = MergePolicy(state.progress().policy(), request.policy());
  auto candidates = FindCandidates(*crisis, *need, state, limit, policy);
  if (!candidates.ok()) return candidates.status();
  for (int i = 0; i < static_cast<int>(candidates->size()) && i < limit; ++i) {
    *out->add_candidates() = std::move((*candidates)[i]);
  }
  *out->mutable_window() = NeedWindow(need->spec(), clock_.Now());
  out->set_already_asked(state.asked_size());
  return absl::OkStatus();
}

// --- Mobilisation rounds --------------------------------------------------------------------

absl::Status Mobiliser::Mobilise(const Principal& caller, const v1::MobiliseRequest& request,
                                 v1::MobiliseResponse* out) {
  if (auto s = ValidateMobilise(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "Mobilise", request);
  auto prior = committer_.Lookup(idem);
  if (!prior.ok()) return prior.status();
  std::vector<std::string> sent;
  if (prior->has_value()) {
    const StoredOutcome& outcome = (*prior)->outcome;
    if (outcome.code() != 0) return RefusalStatus(outcome);
    // A retry: finish whatever the first call left half-done, then answer as it would have.
    auto crisis = CrisisOf(request.crisis_id());
    if (!crisis.ok()) return crisis.status();
    if (auto finished = FinishRound(*crisis, request.need_id()); !finished.ok()) {
      return finished.status();
    }
    sent.assign(outcome.ids().begin(), outcome.ids().end());
  } else {
    auto crisis = CrisisOf(request.crisis_id());
    if (!crisis.ok()) return crisis.status();
    auto need = FindNeed(*crisis, request.need_id());
    if (!need.ok()) return need.status();
    if (auto s = CheckMobilisable(*crisis, *need); !s.ok()) return Refuse(idem, s);
    auto rounds = RunRounds(*crisis, request.need_id(), request.policy(), caller);
    if (!rounds.ok()) return rounds.status();
    sent = *std::move(rounds);
    // Remember what this call sent, so a retry answers the same.
    StoredOutcome outcome;
    outcome.set_subject_id(request.need_id());
    for (const auto& id : sent) outcome.add_ids(id);
    // The rounds' own commits and events are written; this only remembers the call's answer.
    if (auto r = committer_.RecordRefusal(idem, outcome); !r.ok()) return r.status();
  }
  auto need = store_.ReadNeed(request.crisis_id(), request.need_id());
  if (!need.ok()) return need.status();
  if (need->has_value()) *out->mutable_progress() = (*need)->value.progress();
  auto requests = store_.ReadRequests(sent);
  if (!requests.ok()) return requests.status();
  for (auto& r : *requests) *out->add_requests() = std::move(r);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> Mobiliser::RunRounds(const v1::Crisis& crisis_read,
                                                              const std::string& need_id,
                                                              const v1::MobilisationPolicy& given,
                                                              const Principal& actor) {
  std::vector<std::string> sent;
  const v1::Crisis* crisis = &crisis_read;
  const std::string& crisis_id = crisis->id();
  auto need = FindNeed(*crisis, need_id);
  if (!need.ok()) return need.status();
  if (auto s = CheckMobilisable(*crisis, *need); !s.ok()) return s;
  for (int round = 0; round < options_.rounds_per_call; ++round) {
    // A round someone left half-done is finished first.
    auto finished = FinishRound(*crisis, need_id);
    if (!finished.ok()) return finished.status();
    sent.insert(sent.end(), finished->begin(), finished->end());

    bool planned = false;
    bool uncoverable = false;
    auto committed = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          planned = false;
          uncoverable = false;
          NeedState state;
          int64_t version = 0;
          if (stored.has_value()) {
            state = stored->value;
            version = stored->version;
          } else {
            *state.mutable_progress() = NewProgress(crisis_id, *need, {});
          }
          if (!state.round().round_id().empty()) {
            return absl::AbortedError("a round is under way");  // finished on the next pass
          }
          v1::NeedProgress& progress = *state.mutable_progress();
          *progress.mutable_policy() = MergePolicy(progress.policy(), given);
          progress.set_required(need->spec().quantity());
          const bool was_uncoverable = progress.coverage() == v1::COVERAGE_UNCOVERABLE;
          if (was_uncoverable) {
            progress.set_coverage(v1::COVERAGE_OPEN);  // asked again: perhaps someone is free now
          }
          UpdateCoverage(&progress);
          const int64_t wanted = strategy_.ToAsk(progress);
          if (wanted <= 0) return CommitRequest{};  // nothing to do
          auto candidates = FindCandidates(*crisis, *need, state, wanted, progress.policy());
          if (!candidates.ok()) return candidates.status();

          CommitRequest commit;
          commit.writes.reserve(1);
          const absl::Time now = clock_.Now();
          *progress.mutable_updated_at() = ToProtoTime(now);
          if (candidates->empty()) {
            // Answers may still come; or it was said already that nobody is left.
            if (progress.requested() > 0 || was_uncoverable) return CommitRequest{};
            uncoverable = true;
            progress.set_coverage(v1::COVERAGE_UNCOVERABLE);
            progress.set_uncoverable_reason(absl::StrCat(
                "nobody left to ask: no ", need->spec().resource().code(),
                need->spec().min_level() > 0 ? absl::StrCat(" of level ", need->spec().min_level())
                                             : "",
                " free for the whole window who was not asked already (", progress.accepted(),
                " of ", progress.required(), " accepted)"));
            commit.event = NewEvent(v1::EVENT_TYPE_NEED_UNCOVERABLE, actor, "", crisis_id, need_id);
            commit.idem =
                StepKey("Uncoverable", absl::StrCat(crisis_id, "/", need_id, "/", version));
          } else {
            PendingRound& r = *state.mutable_round();
            r.set_round(progress.rounds() + 1);
            if (actor.role != Role::kService) r.set_started_by(actor.id);
            progress.set_rounds(r.round());
            r.set_round_id(
                absl::StrCat(Sha256Hex(crisis_id + "/" + need_id).substr(0, 20), ".", r.round()));
            const v1::TimeWindow window = NeedWindow(need->spec(), now);
            *r.mutable_window() = window;
            const absl::Duration response = ResponseTime(progress.policy(), crisis->urgency());
            r.set_respond_by_ms(absl::ToUnixMillis(now + response));
            r.set_hold_ttl_ms(absl::ToInt64Milliseconds(HoldTtl(response)));
            int64_t left = wanted;
            for (const v1::Candidate& c : *candidates) {
              if (left <= 0) break;
              PlannedRequest& p = *r.add_planned();
              p.set_mobilisation_request_id(ids_.NewId("mrq"));
              *p.mutable_candidate() = c;
              const int64_t q =
                  c.kind() == v1::CANDIDATE_KIND_STOCK ? std::min(left, c.available_quantity()) : 1;
              p.set_quantity(q);
              left -= q;
              state.add_asked(TargetOf(c));
            }
            planned = true;
            commit.index_ops.push_back(
                Add(keys::kTodo, steps::Round(crisis_id, need_id), Ms(now + options_.step_retry)));
            commit.event = NewEvent(v1::EVENT_TYPE_ROUND_PLANNED, actor, "", crisis_id, need_id);
            commit.event.set_quantity(r.planned_size());
            commit.idem = StepKey("PlanRound", r.round_id());
          }
          commit.event.set_subject_id(need_id);
          commit.index_ops.push_back(Add(keys::NeedsOfCrisis(crisis_id), need_id));
          commit.writes.push_back(WriteOf(keys::Need(crisis_id, need_id), state, version));
          commit.outcome = Success(need_id, version + 1);
          return commit;
        });
    if (!committed.ok()) {
      if (absl::IsAborted(committed.status())) continue;  // a round appeared: finish it next pass
      return committed.status();
    }
    if (!planned) break;
    auto written = FinishRound(*crisis, need_id);
    if (!written.ok()) return written.status();
    sent.insert(sent.end(), written->begin(), written->end());
  }
  return sent;
}

absl::StatusOr<std::vector<std::string>> Mobiliser::FinishRound(const v1::Crisis& crisis,
                                                                const std::string& need_id) {
  std::vector<std::string> written;
  auto stored = store_.ReadNeed(crisis.id(), need_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value() || (*stored)->value.round().round_id().empty()) return written;
  const PendingRound round = (*stored)->value.round();

  // Hold every planned candidate; a retried batch replays (same holds, same refusals).
  v1::HoldBatchRequest batch;
  batch.set_request_id(round.round_id() + ":hold");
  for (const PlannedRequest& p : round.planned()) {
    v1::HoldRequest& item = *batch.add_items();
    item.set_request_id(p.mobilisation_request_id());
    const v1::Candidate& c = p.candidate();
    if (!c.responder_id().empty()) item.set_responder_id(c.responder_id());
    if (!c.team_id().empty()) item.set_team_id(c.team_id());
    if (!c.stock_line_id().empty()) {
      item.set_stock_line_id(c.stock_line_id());
      item.set_quantity(p.quantity());
    }
    // Stock is held by quantity, people and teams for the need's window.
    if (c.stock_line_id().empty()) *item.mutable_window() = round.window();
    item.set_holder_ref("mob:" + p.mobilisation_request_id());
    item.mutable_ttl()->set_seconds(round.hold_ttl_ms() / 1000);
  }
  auto held = inventory_.HoldBatch(batch, round.started_by());
  if (!held.ok()) return held.status();
  if (held->outcomes_size() != round.planned_size()) {
    return absl::InternalError("inventory: HoldBatch answered a different number of items");
  }
  std::vector<int> ok_items;
  std::vector<std::string> hold_ids(round.planned_size());
  for (int i = 0; i < held->outcomes_size(); ++i) {
    if (held->outcomes(i).code() == 0) {
      ok_items.push_back(i);
      hold_ids[i] = held->outcomes(i).hold().id();
    }
  }

  // Write the requests in chunks small enough for one commit each.
  const int per_request = 6 + 3 * static_cast<int>(options_.channels.size());
  const int chunk = std::max(1, (Committer::kMaxKeysPerCommit - 4) / per_request);
  const Principal service{kServicePrincipal, Role::kService, {}, {}};
  const absl::Time respond_by = absl::FromUnixMillis(round.respond_by_ms());
  for (;;) {
    std::vector<std::string> chunk_ids;
    bool last = false;
    auto committed = CommitNeed(
        crisis.id(), need_id,
        [&](const std::optional<Stored<NeedState>>& stored_now) -> absl::StatusOr<CommitRequest> {
          chunk_ids.clear();
          if (!stored_now.has_value() || stored_now->value.round().round_id() != round.round_id()) {
            last = true;
            return CommitRequest{};  // finished by someone else
          }
          NeedState state = stored_now->value;
          const int start = state.round().written();
          const int end = std::min<int>(start + chunk, static_cast<int>(ok_items.size()));
          last = end >= static_cast<int>(ok_items.size());
          const absl::Time now = clock_.Now();
          CommitRequest commit;
          commit.event = NewEvent(v1::EVENT_TYPE_REQUESTS_SENT, service, "", crisis.id(), need_id);
          // Written by the service, which finishes rounds, for whoever started this one.
          commit.event.set_on_behalf_of(state.round().started_by());
          commit.event.set_subject_id(need_id);
          int64_t quantity = 0;
          for (int k = start; k < end; ++k) {
            const int i = ok_items[k];
            const PlannedRequest& p = round.planned(i);
            const v1::Candidate& c = p.candidate();
            v1::MobilisationRequest r;
            r.set_id(p.mobilisation_request_id());
            r.set_crisis_id(crisis.id());
            r.set_need_id(need_id);
            r.set_kind(c.kind());
            r.set_responder_id(c.responder_id());
            r.set_team_id(c.team_id());
            r.set_stock_line_id(c.stock_line_id());
            r.set_organisation_id(c.organisation_id());
            r.set_quantity(p.quantity());
            *r.mutable_window() = round.window();
            r.set_state(v1::REQUEST_STATE_REQUESTED);
            *r.mutable_respond_by() = ToProtoTime(respond_by);
            r.set_hold_id(hold_ids[i]);
            r.set_round(round.round());
            *r.mutable_created_at() = ToProtoTime(now);
            *r.mutable_updated_at() = ToProtoTime(now);
            quantity += p.quantity();
            const std::string& target = TargetOf(c);
            commit.index_ops.push_back(Add(keys::RequestsOfCrisis(crisis.id()), r.id()));
            commit.index_ops.push_back(Add(keys::RequestsOfNeed(crisis.id(), need_id), r.id()));
            commit.index_ops.push_back(Add(keys::RequestsOf(target), r.id()));
            commit.index_ops.push_back(Add(keys::kDue, r.id(), Ms(respond_by)));
            commit.index_ops.push_back(Add(keys::Rotation(target), r.id(), Ms(now)));
            commit.event.add_responder_ids(target);
            commit.event.add_subject_ids(r.id());
            AddNotification(
                r, v1::EVENT_TYPE_REQUESTS_SENT,
                absl::StrCat("Relais: you are asked to help - ", crisis.title()),
                absl::StrCat("Crisis: ", crisis.title(), " (", crisis.id(), ")\nNeed: ", need_id,
                             "\nFrom ", TimeText(FromProtoTime(round.window().start())), " to ",
                             TimeText(FromProtoTime(round.window().end())), "\nPlease answer by ",
                             TimeText(respond_by), " (request ", r.id(),
                             "): relaisctl request respond ", r.id(), " --accept | --decline\n"),
                &commit);
            commit.writes.push_back(WriteOf(keys::Request(r.id()), r, 0));
            chunk_ids.push_back(r.id());
          }
          commit.event.set_quantity(quantity);
          v1::NeedProgress& progress = *state.mutable_progress();
          progress.set_requested(progress.requested() + quantity);
          *progress.mutable_updated_at() = ToProtoTime(now);
          state.mutable_round()->set_written(end);
          if (last) {
            state.clear_round();
            commit.index_ops.push_back(Remove(keys::kTodo, steps::Round(crisis.id(), need_id)));
          }
          commit.writes.push_back(
              WriteOf(keys::Need(crisis.id(), need_id), state, stored_now->version));
          commit.idem = StepKey("WriteRound", absl::StrCat(round.round_id(), "/w", start));
          commit.outcome = Success(need_id, stored_now->version + 1);
          return commit;
        });
    if (!committed.ok()) return committed.status();
    written.insert(written.end(), chunk_ids.begin(), chunk_ids.end());
    if (last) break;
  }
  return written;
}

absl::Status Mobiliser::GetNeedProgress(const Principal& /*caller*/,
                                        const v1::GetNeedProgressRequest& request,
                                        v1::NeedProgress* out) {
  if (request.crisis_id().empty()) return absl::InvalidArgumentError("crisis_id: required");
  if (request.need_id().empty()) return absl::InvalidArgumentError("need_id: required");
  auto stored = store_.ReadNeed(request.crisis_id(), request.need_id());
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    *out = (*stored)->value.progress();
    return absl::OkStatus();
  }
  // Never mobilised: its progress is all zeros, if the need exists.
  auto crisis = CrisisOf(request.crisis_id());
  if (!crisis.ok()) return crisis.status();
  auto need = FindNeed(*crisis, request.need_id());
  if (!need.ok()) return need.status();
  *out = NewProgress(request.crisis_id(), *need, {});
  return absl::OkStatus();
}

// --- Requests -------------------------------------------------------------------------------

absl::Status Mobiliser::GetRequest(const Principal& caller, const v1::GetRequestRequest& request,
                                   v1::MobilisationRequest* out) {
  if (request.mobilisation_request_id().empty()) {
    return absl::InvalidArgumentError("mobilisation_request_id: required");
  }
  auto r = store_.ReadRequest(request.mobilisation_request_id());
  if (!r.ok()) return r.status();
  if (!r->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("mobilisation request ", request.mobilisation_request_id(), " not found"));
  }
  if (auto s = access::AuthorizeTarget(caller, kGetRequest, OwnerOf(**r)); !s.ok()) return s;
  *out = **r;
  return absl::OkStatus();
}

absl::Status Mobiliser::ListRequests(const Principal& caller,
                                     const v1::ListRequestsRequest& request,
                                     v1::ListRequestsResponse* out) {
  if (auto s = ValidateListRequests(request); !s.ok()) return s;
  // A responder names themselves; an OSI's list keeps its own organisation's requests only.
  if (auto s = access::AuthorizeFilter(caller, kListRequests, {"", request.responder_id()});
      !s.ok()) {
    return s;
  }
  const std::string index =
      !request.responder_id().empty() ? keys::RequestsOf(request.responder_id())
      : !request.need_id().empty()    ? keys::RequestsOfNeed(request.crisis_id(), request.need_id())
                                      : keys::RequestsOfCrisis(request.crisis_id());
  auto token = FilteredPage<v1::MobilisationRequest>(
      store_, index, request.page_token(), EffectivePageSize(request.page_size()),
      [this](const std::vector<std::string>& ids) { return store_.ReadRequests(ids); },
      [&](const v1::MobilisationRequest& r) {
        return (request.state() == v1::REQUEST_STATE_UNSPECIFIED || r.state() == request.state()) &&
               access::AuthorizeTarget(caller, kListRequests, OwnerOf(r)).ok();
      },
      out->mutable_requests());
  if (!token.ok()) return token.status();
  out->set_next_page_token(*token);
  return absl::OkStatus();
}

absl::Status Mobiliser::Respond(const Principal& caller, const v1::RespondRequest& request,
                                v1::MobilisationRequest* out) {
  if (auto s = ValidateRespond(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "Respond", request);
  const absl::Time now = clock_.Now();
  const v1::Answer answer = request.answer();
  return AnswerRequest(
      caller, idem, request.mobilisation_request_id(), request.reason(),
      [&](const v1::MobilisationRequest& r) -> absl::StatusOr<v1::RequestState> {
        if (auto s = access::AuthorizeTarget(caller, kRespond, OwnerOf(r)); !s.ok()) return s;
        return AnswerTransition(r, answer, now);
      },
      out);
}

absl::Status Mobiliser::DecideProvisional(const Principal& caller,
                                          const v1::DecideProvisionalRequest& request,
                                          v1::MobilisationRequest* out) {
  if (auto s = ValidateDecide(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "DecideProvisional", request);
  const absl::Time now = clock_.Now();
  const bool confirm = request.confirm();
  return AnswerRequest(
      caller, idem, request.mobilisation_request_id(), request.reason(),
      [&](const v1::MobilisationRequest& r) { return DecisionTransition(r, confirm, now); }, out);
}

absl::Status Mobiliser::AnswerRequest(
    const Principal& caller, const IdempotencyKey& idem, const std::string& request_id,
    std::string_view reason,
    const std::function<absl::StatusOr<v1::RequestState>(const v1::MobilisationRequest&)>&
        transition,
    v1::MobilisationRequest* out) {
  auto prior = committer_.Lookup(idem);
  if (!prior.ok()) return prior.status();
  if (prior->has_value() && (*prior)->outcome.code() != 0) {
    return RefusalStatus((*prior)->outcome);
  }
  std::vector<std::string> todo;
  if (!prior->has_value()) {
    auto first = store_.ReadRequest(request_id);
    if (!first.ok()) return first.status();
    if (!first->has_value()) {
      return absl::NotFoundError(absl::StrCat("mobilisation request ", request_id, " not found"));
    }
    const std::string crisis_id = (*first)->crisis_id();
    const std::string need_id = (*first)->need_id();
    absl::Status refusal;
    auto committed = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          todo.clear();
          auto read = store_.ReadRequest(request_id);
          if (!read.ok()) return read.status();
          if (!read->has_value() || !stored.has_value()) {
            return absl::InternalError("mobilisation request without its need state");
          }
          v1::MobilisationRequest r = **read;
          const int64_t version = r.version();
          auto to = transition(r);
          if (!to.ok()) {
            if (absl::IsFailedPrecondition(to.status())) refusal = to.status();
            return to.status();
          }
          NeedState state = stored->value;
          v1::NeedProgress& progress = *state.mutable_progress();
          if (*to == v1::REQUEST_STATE_ACCEPTED && progress.accepted() >= progress.required()) {
            refusal = absl::FailedPreconditionError(
                absl::StrCat("mobilisation request ", r.id(),
                             ": no longer needed, the need is already covered"));
            return refusal;
          }
          const absl::Time now = clock_.Now();
          const v1::RequestState from = r.state();
          r.set_state(*to);
          if (!reason.empty()) r.set_reason(std::string(reason));
          *r.mutable_answered_at() = ToProtoTime(now);
          *r.mutable_updated_at() = ToProtoTime(now);
          CountRequestChange(&progress, r.quantity(), from, *to);
          CommitRequest commit;
          v1::EventType type = v1::EVENT_TYPE_REQUEST_PROVISIONAL;
          if (*to != v1::REQUEST_STATE_PROVISIONAL) {
            commit.index_ops.push_back(Remove(keys::kDue, r.id()));
          }
          if (*to == v1::REQUEST_STATE_ACCEPTED) {
            type = v1::EVENT_TYPE_REQUEST_ACCEPTED;
            v1::Assignment a;
            a.set_id(ids_.NewId("asg"));
            a.set_crisis_id(r.crisis_id());
            a.set_need_id(r.need_id());
            a.set_mobilisation_request_id(r.id());
            a.set_hold_id(r.hold_id());
            a.set_kind(r.kind());
            a.set_responder_id(r.responder_id());
            a.set_team_id(r.team_id());
            a.set_stock_line_id(r.stock_line_id());
            a.set_organisation_id(r.organisation_id());
            a.set_quantity(r.quantity());
            a.set_state(FirstAssignmentState(r.kind()));
            *a.mutable_window() = r.window();
            *a.mutable_created_at() = ToProtoTime(now);
            *a.mutable_updated_at() = ToProtoTime(now);
            r.set_assignment_id(a.id());
            CountAssignmentChange(&progress, a.quantity(), v1::ASSIGNMENT_STATE_UNSPECIFIED,
                                  a.state());
            commit.writes.push_back(WriteOf(keys::Assignment(a.id()), a, 0));
            commit.index_ops.push_back(Add(keys::AssignmentsOfCrisis(a.crisis_id()), a.id()));
            commit.index_ops.push_back(
                Add(keys::AssignmentsOfNeed(a.crisis_id(), a.need_id()), a.id()));
            commit.index_ops.push_back(Add(keys::AssignmentsOf(TargetOf(a)), a.id()));
            todo.push_back(steps::Confirm(a.id(), ActorOf(&caller)));
            if (progress.coverage() == v1::COVERAGE_COVERED && progress.requested() > 0) {
              todo.push_back(steps::Cover(crisis_id, need_id));
            }
          } else if (*to == v1::REQUEST_STATE_DECLINED) {
            type = v1::EVENT_TYPE_REQUEST_DECLINED;
            todo.push_back(steps::Free(r.id(), ActorOf(&caller)));
            if (!progress.policy().manual_escalation() && strategy_.ToAsk(progress) > 0) {
              todo.push_back(steps::Escalate(crisis_id, need_id));
            }
          }
          *progress.mutable_updated_at() = ToProtoTime(now);
          for (const auto& step : todo) commit.index_ops.push_back(Add(keys::kTodo, step, Ms(now)));
          commit.writes.push_back(WriteOf(keys::Request(r.id()), r, version));
          commit.writes.push_back(WriteOf(keys::Need(crisis_id, need_id), state, stored->version));
          commit.event = NewEvent(type, caller, idem.request_id, crisis_id, need_id);
          Describe(r, version + 1, &commit.event);
          // An organisation (or the admin) answering for one of its responders acts on their
          // behalf; a coordinator's decision is their own.
          if ((caller.role == Role::kOsiAdmin || caller.role == Role::kAdmin) &&
              !r.responder_id().empty()) {
            commit.event.set_on_behalf_of(r.responder_id());
          }
          commit.idem = idem;
          commit.outcome = Success(r.id(), version + 1);
          return commit;
        });
    if (!committed.ok()) return refusal.ok() ? committed.status() : Refuse(idem, refusal);
    RunStepsNow(todo);
  }
  auto now_stored = store_.ReadRequest(request_id);
  if (!now_stored.ok()) return now_stored.status();
  if (!now_stored->has_value()) {
    return absl::NotFoundError(absl::StrCat("mobilisation request ", request_id, " not found"));
  }
  *out = **now_stored;
  return absl::OkStatus();
}

absl::Status Mobiliser::Acknowledge(const Principal& caller,
                                    const v1::AcknowledgeRequestRequest& request,
                                    v1::MobilisationRequest* out) {
  if (auto s = ValidateAcknowledge(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "AcknowledgeRequest", request);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto read = store_.ReadRequest(request.mobilisation_request_id());
    if (!read.ok()) return read.status();
    if (!read->has_value()) {
      return absl::NotFoundError(
          absl::StrCat("mobilisation request ", request.mobilisation_request_id(), " not found"));
    }
    v1::MobilisationRequest r = **read;
    if (auto s = access::AuthorizeTarget(caller, kAcknowledgeRequest, OwnerOf(r)); !s.ok()) {
      return s;
    }
    if (r.has_acknowledged_at()) {  // the first acknowledgement is the one that counts
      *out = r;
      return absl::OkStatus();
    }
    const int64_t version = r.version();
    *r.mutable_acknowledged_at() = ToProtoTime(clock_.Now());
    *r.mutable_updated_at() = r.acknowledged_at();
    CommitRequest commit;
    commit.writes.push_back(WriteOf(keys::Request(r.id()), r, version));
    commit.event = NewEvent(v1::EVENT_TYPE_REQUEST_ACKNOWLEDGED, caller, request.request_id(),
                            r.crisis_id(), r.need_id());
    commit.event.set_mobilisation_request_id(r.id());
    commit.event.set_subject_id(r.id());
    commit.event.set_subject_version(version + 1);
    commit.event.set_responder_id(r.responder_id());
    commit.event.set_organisation_id(r.organisation_id());
    commit.idem = idem;
    commit.outcome = Success(r.id(), version + 1);
    auto result = committer_.Commit(commit);
    if (!result.ok() && absl::IsAborted(result.status())) continue;
    if (!result.ok()) return result.status();
    return GetRequest(
        caller,
        [&] {
          v1::GetRequestRequest get;
          get.set_mobilisation_request_id(r.id());
          return get;
        }(),
        out);
  }
  return absl::AbortedError("the request kept changing under this call; try again");
}

// --- Assignments ----------------------------------------------------------------------------

absl::Status Mobiliser::GetAssignment(const Principal& caller,
                                      const v1::GetAssignmentRequest& request,
                                      v1::Assignment* out) {
  if (request.assignment_id().empty()) {
    return absl::InvalidArgumentError("assignment_id: required");
  }
  auto a = store_.ReadAssignment(request.assignment_id());
  if (!a.ok()) return a.status();
  if (!a->has_value()) {
    return absl::NotFoundError(absl::StrCat("assignment ", request.assignment_id(), " not found"));
  }
  if (auto s = access::AuthorizeTarget(caller, kGetAssignment, OwnerOf(**a)); !s.ok()) return s;
  *out = **a;
  return absl::OkStatus();
}

absl::Status Mobiliser::ListAssignments(const Principal& caller,
                                        const v1::ListAssignmentsRequest& request,
                                        v1::ListAssignmentsResponse* out) {
  if (auto s = ValidateListAssignments(request); !s.ok()) return s;
  // As ListRequests: a responder names themselves; an OSI's list is cut to its own.
  if (auto s = access::AuthorizeFilter(caller, kListAssignments, {"", request.responder_id()});
      !s.ok()) {
    return s;
  }
  const std::string index =
      !request.responder_id().empty() ? keys::AssignmentsOf(request.responder_id())
      : !request.need_id().empty() ? keys::AssignmentsOfNeed(request.crisis_id(), request.need_id())
                                   : keys::AssignmentsOfCrisis(request.crisis_id());
  auto token = FilteredPage<v1::Assignment>(
      store_, index, request.page_token(), EffectivePageSize(request.page_size()),
      [this](const std::vector<std::string>& ids) { return store_.ReadAssignments(ids); },
      [&](const v1::Assignment& a) {
        return (request.state() == v1::ASSIGNMENT_STATE_UNSPECIFIED ||
                a.state() == request.state()) &&
               access::AuthorizeTarget(caller, kListAssignments, OwnerOf(a)).ok();
      },
      out->mutable_assignments());
  if (!token.ok()) return token.status();
  out->set_next_page_token(*token);
  return absl::OkStatus();
}

absl::Status Mobiliser::MoveAssignment(
    const Principal* caller, std::string_view method, const IdempotencyKey& idem,
    const std::string& assignment_id, v1::AssignmentState to,
    const std::function<absl::Status(v1::Assignment*)>& check_and_edit, v1::Assignment* out) {
  auto prior = committer_.Lookup(idem);
  if (!prior.ok()) return prior.status();
  if (prior->has_value() && (*prior)->outcome.code() != 0) {
    return RefusalStatus((*prior)->outcome);
  }
  std::vector<std::string> todo;
  if (!prior->has_value()) {
    auto first = store_.ReadAssignment(assignment_id);
    if (!first.ok()) return first.status();
    if (!first->has_value()) {
      return absl::NotFoundError(absl::StrCat("assignment ", assignment_id, " not found"));
    }
    // The owner of an assignment never changes: checked once, on this first read.
    if (caller != nullptr) {
      if (auto s = access::AuthorizeTarget(*caller, method, OwnerOf(**first)); !s.ok()) return s;
    }
    const std::string crisis_id = (*first)->crisis_id();
    const std::string need_id = (*first)->need_id();
    absl::Status refusal;
    auto committed = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          todo.clear();
          auto read = store_.ReadAssignment(assignment_id);
          if (!read.ok()) return read.status();
          if (!read->has_value() || !stored.has_value()) {
            return absl::InternalError("assignment without its need state");
          }
          v1::Assignment a = **read;
          const int64_t version = a.version();
          const v1::AssignmentState from = a.state();
          if (to != from) {
            if (auto s = CheckAssignmentTransition(a.kind(), from, to); !s.ok()) {
              refusal = absl::FailedPreconditionError(
                  absl::StrCat("assignment ", a.id(), ": ", s.message()));
              return refusal;
            }
          }
          if (auto s = check_and_edit(&a); !s.ok()) {
            if (absl::IsFailedPrecondition(s)) refusal = s;
            return s;
          }
          const absl::Time now = clock_.Now();
          a.set_state(to);
          *a.mutable_updated_at() = ToProtoTime(now);
          NeedState state = stored->value;
          v1::NeedProgress& progress = *state.mutable_progress();
          CountAssignmentChange(&progress, a.quantity(), from, to);
          *progress.mutable_updated_at() = ToProtoTime(now);
          if (to == v1::ASSIGNMENT_STATE_WITHDRAWN || to == v1::ASSIGNMENT_STATE_RELEASED ||
              to == v1::ASSIGNMENT_STATE_RETURNED) {
            todo.push_back(steps::Release(a.id(), ActorOf(caller)));
          }
          if (to == v1::ASSIGNMENT_STATE_DELIVERED) {
            todo.push_back(steps::Consume(a.id(), ActorOf(caller)));
          }
          if ((to == v1::ASSIGNMENT_STATE_WITHDRAWN || to == v1::ASSIGNMENT_STATE_RETURNED) &&
              !progress.policy().manual_escalation() && strategy_.ToAsk(progress) > 0) {
            todo.push_back(steps::Escalate(crisis_id, need_id));
          }
          CommitRequest commit;
          for (const auto& step : todo) commit.index_ops.push_back(Add(keys::kTodo, step, Ms(now)));
          commit.writes.push_back(WriteOf(keys::Assignment(a.id()), a, version));
          commit.writes.push_back(WriteOf(keys::Need(crisis_id, need_id), state, stored->version));
          v1::EventType type =
              to == from ? v1::EVENT_TYPE_ASSIGNMENT_EXTENDED : AssignmentEventType(to);
          if (to == from && a.reason().starts_with("extension refused")) {
            type = v1::EVENT_TYPE_ASSIGNMENT_EXTENSION_REFUSED;
          }
          commit.event = NewEvent(type, Principal{idem.principal_id, Role::kAdmin, {}, {}},
                                  idem.request_id, crisis_id, need_id);
          Describe(a, version + 1, &commit.event);
          commit.idem = idem;
          commit.outcome = Success(a.id(), version + 1);
          return commit;
        });
    if (!committed.ok()) return refusal.ok() ? committed.status() : Refuse(idem, refusal);
    RunStepsNow(todo);
  }
  auto now_stored = store_.ReadAssignment(assignment_id);
  if (!now_stored.ok()) return now_stored.status();
  if (!now_stored->has_value()) {
    return absl::NotFoundError(absl::StrCat("assignment ", assignment_id, " not found"));
  }
  *out = **now_stored;
  return absl::OkStatus();
}

absl::Status Mobiliser::Withdraw(const Principal& caller, const v1::WithdrawRequest& request,
                                 v1::Assignment* out) {
  if (auto s = ValidateWithdraw(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "Withdraw", request);
  return MoveAssignment(
      &caller, kWithdraw, idem, request.assignment_id(), v1::ASSIGNMENT_STATE_WITHDRAWN,
      [&](v1::Assignment* a) -> absl::Status {
        a->set_reason(request.reason());
        return absl::OkStatus();
      },
      out);
}

absl::Status Mobiliser::ReportStatus(const Principal& caller,
                                     const v1::ReportStatusRequest& request, v1::Assignment* out) {
  const absl::Time now = clock_.Now();
  if (auto s = ValidateReportStatus(request, now); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "ReportStatus", request);
  const absl::Time at = request.has_actual_at() ? FromProtoTime(request.actual_at()) : now;
  return MoveAssignment(
      &caller, kReportStatus, idem, request.assignment_id(), request.status(),
      [&](v1::Assignment* a) -> absl::Status {
        if (a->state() == request.status()) {
          return absl::FailedPreconditionError(absl::StrCat("assignment ", a->id(), " is already ",
                                                            AssignmentStateName(a->state())));
        }
        switch (request.status()) {
          case v1::ASSIGNMENT_STATE_EN_ROUTE:
          case v1::ASSIGNMENT_STATE_SHIPPED:
            *a->mutable_departed_at() = ToProtoTime(at);
            if (request.has_estimated_arrival()) {
              *a->mutable_arrival_estimated() = request.estimated_arrival();
            }
            break;
          case v1::ASSIGNMENT_STATE_ON_SITE:
          case v1::ASSIGNMENT_STATE_DELIVERED:
            *a->mutable_arrived_at() = ToProtoTime(at);
            if (request.quantity_used() > a->quantity()) {
              return absl::InvalidArgumentError(absl::StrCat(
                  "quantity_used: at most the ", a->quantity(), " units of the assignment"));
            }
            a->set_quantity_used(request.quantity_used());
            break;
          case v1::ASSIGNMENT_STATE_RETURNED:
            *a->mutable_released_at() = ToProtoTime(at);
            break;
          default:
            break;
        }
        return absl::OkStatus();
      },
      out);
}

absl::Status Mobiliser::Demobilise(const Principal& caller, const v1::DemobiliseRequest& request,
                                   v1::Assignment* out) {
  if (auto s = ValidateDemobilise(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "Demobilise", request);
  const absl::Time now = clock_.Now();
  return MoveAssignment(
      &caller, kDemobilise, idem, request.assignment_id(), v1::ASSIGNMENT_STATE_RELEASED,
      [&](v1::Assignment* a) -> absl::Status {
        *a->mutable_released_at() = ToProtoTime(now);
        if (!request.reason().empty()) a->set_reason(request.reason());
        return absl::OkStatus();
      },
      out);
}

absl::Status Mobiliser::ExtendAssignment(const Principal& caller,
                                         const v1::ExtendAssignmentRequest& request,
                                         v1::Assignment* out) {
  if (auto s = ValidateExtend(request); !s.ok()) return s;
  const IdempotencyKey idem = MakeIdempotencyKey(kScope, caller, "ExtendAssignment", request);
  auto current = store_.ReadAssignment(request.assignment_id());
  if (!current.ok()) return current.status();
  if (!current->has_value()) {
    return absl::NotFoundError(absl::StrCat("assignment ", request.assignment_id(), " not found"));
  }
  const v1::Assignment a0 = **current;
  if (request.grant()) {
    auto prior = committer_.Lookup(idem);
    if (!prior.ok()) return prior.status();
    if (!prior->has_value()) {
      if (IsFinished(a0.state()) || a0.state() == v1::ASSIGNMENT_STATE_DELIVERED) {
        return absl::FailedPreconditionError(absl::StrCat("assignment ", a0.id(), " is ",
                                                          AssignmentStateName(a0.state()),
                                                          ": nothing to extend"));
      }
      if (FromProtoTime(request.new_end()) <= FromProtoTime(a0.window().end())) {
        return absl::InvalidArgumentError("new_end: must be after the assignment's current end");
      }
      // The inventory first: it refuses an extension that would overlap another booking.
      v1::ExtendCommitmentRequest extend;
      extend.set_request_id(absl::StrCat("mob:", a0.id(), ":ext:", request.new_end().seconds()));
      extend.set_hold_id(a0.hold_id());
      *extend.mutable_new_end() = request.new_end();
      auto extended = inventory_.ExtendCommitment(extend, ActorOf(&caller));
      if (!extended.ok()) {
        return absl::IsFailedPrecondition(extended.status()) ? Refuse(idem, extended.status())
                                                             : extended.status();
      }
    }
  }
  return MoveAssignment(
      &caller, kExtendAssignment, idem, request.assignment_id(), a0.state(),
      [&](v1::Assignment* a) -> absl::Status {
        if (request.grant()) {
          *a->mutable_window()->mutable_end() = request.new_end();
          a->set_reason(request.reason());
        } else {
          a->set_reason(absl::StrCat("extension refused", request.reason().empty() ? "" : ": ",
                                     request.reason()));
        }
        return absl::OkStatus();
      },
      out);
}

// --- Deadlines, chain steps, reactions ------------------------------------------------------

absl::StatusOr<int> Mobiliser::SweepDeadlines(int limit) {
  const absl::Time now = clock_.Now();
  auto due = store_.Due(keys::kDue, now, limit);
  if (!due.ok()) return due.status();
  int expired = 0;
  const Principal service{kServicePrincipal, Role::kService, {}, {}};
  for (const std::string& id : *due) {
    auto first = store_.ReadRequest(id);
    if (!first.ok()) return first.status();
    if (!first->has_value()) continue;
    if (!IsPending((*first)->state())) {
      // Answered or cancelled meanwhile: just take it off the deadlines.
      if (auto s = store_.Unschedule(keys::kDue, id); !s.ok()) return s;
      continue;
    }
    if (FromProtoTime((*first)->respond_by()) > now) continue;
    const std::string crisis_id = (*first)->crisis_id();
    const std::string need_id = (*first)->need_id();
    std::vector<std::string> todo;
    bool stale = false;
    auto committed = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          todo.clear();
          stale = false;
          auto read = store_.ReadRequest(id);
          if (!read.ok()) return read.status();
          if (!read->has_value() || !stored.has_value()) {
            return absl::InternalError("mobilisation request without its need state");
          }
          v1::MobilisationRequest r = **read;
          const int64_t version = r.version();
          CommitRequest commit;
          // The claim: keyed by the request and the version read, so of several replicas only
          // one writes the expiry; the others replay or lose the version check.
          commit.idem = StepKey("Expire", absl::StrCat(id, "/", version));
          if (!IsPending(r.state())) {
            stale = true;  // answered meanwhile
            return CommitRequest{};
          }
          {
            NeedState state = stored->value;
            v1::NeedProgress& progress = *state.mutable_progress();
            CountRequestChange(&progress, r.quantity(), r.state(), v1::REQUEST_STATE_EXPIRED);
            r.set_state(v1::REQUEST_STATE_EXPIRED);
            *r.mutable_updated_at() = ToProtoTime(now);
            *progress.mutable_updated_at() = ToProtoTime(now);
            todo.push_back(steps::Free(r.id()));
            if (!progress.policy().manual_escalation() && strategy_.ToAsk(progress) > 0) {
              todo.push_back(steps::Escalate(crisis_id, need_id));
            }
            for (const auto& step : todo) {
              commit.index_ops.push_back(Add(keys::kTodo, step, Ms(now)));
            }
            commit.index_ops.push_back(Remove(keys::kDue, id));
            commit.writes.push_back(WriteOf(keys::Request(r.id()), r, version));
            commit.writes.push_back(
                WriteOf(keys::Need(crisis_id, need_id), state, stored->version));
          }
          commit.event = NewEvent(v1::EVENT_TYPE_REQUEST_EXPIRED, service, commit.idem.request_id,
                                  crisis_id, need_id);
          Describe(r, version + 1, &commit.event);
          commit.outcome = Success(r.id(), version + 1);
          return commit;
        });
    if (!committed.ok()) {
      if (absl::IsAborted(committed.status())) continue;  // another replica got there first
      return committed.status();
    }
    if (committed->replayed || stale) continue;
    ++expired;
    RunStepsNow(todo);
  }
  return expired;
}

void Mobiliser::RunStepsNow(const std::vector<std::string>& todo) {
  for (const std::string& step : todo) {
    // A failure leaves the step in mob:todo for RunSteps; the caller's change stands.
    if (RunStep(step).ok()) (void)store_.Done(step);
  }
}

absl::StatusOr<int> Mobiliser::RunSteps(int limit) {
  const absl::Time now = clock_.Now();
  auto due = store_.Due(keys::kTodo, now, limit);
  if (!due.ok()) return due.status();
  int done = 0;
  for (const std::string& step : *due) {
    absl::Status ran = RunStep(step);
    if (ran.ok()) {
      if (auto s = store_.Done(step); !s.ok()) return s;
      ++done;
    } else {
      if (absl::IsUnavailable(ran)) {
        (void)store_.Reschedule(step, now + options_.step_retry);
        continue;
      }
      (void)store_.Reschedule(step, now + options_.step_retry);
    }
  }
  return done;
}

absl::Status Mobiliser::RunStep(const std::string& step) {
  const std::vector<std::string> parts = absl::StrSplit(step, '|');
  const std::string& kind = parts[0];
  // The actor, when the step names one, comes last (steps::ActorPart).
  if ((kind == "round" || kind == "escalate" || kind == "cover" || kind == "cancel") &&
      (parts.size() == 3 || (kind == "cancel" && parts.size() == 4))) {
    const std::string& crisis_id = parts[1];
    const std::string& need_id = parts[2];
    const std::string actor = parts.size() == 4 ? parts[3] : std::string();
    if (kind == "cover") {
      return CancelPending(crisis_id, need_id, "no longer needed: the need is covered", false, "");
    }
    auto crisis = CrisisOf(crisis_id);
    if (!crisis.ok()) return crisis.status();
    if (kind == "cancel") {
      // A round under way is written first, so its holds are released with its requests.
      if (auto r = FinishRound(*crisis, need_id); !r.ok()) return r.status();
      return CancelPending(crisis_id, need_id, "no longer needed: the need or crisis was closed",
                           true, actor);
    }
    if (kind == "round") return FinishRound(*crisis, need_id).status();
    // escalate: only while the crisis is ACTIVE and the need OPEN; otherwise nothing to do.
    auto need = FindNeed(*crisis, need_id);
    if (!need.ok() || !CheckMobilisable(*crisis, *need).ok()) return absl::OkStatus();
    return RunRounds(*crisis, need_id, {}, Principal{kServicePrincipal, Role::kService, {}, {}})
        .status();
  }
  if (parts.size() != 2 && parts.size() != 3) return absl::OkStatus();  // unknown: drop it
  const std::string& id = parts[1];
  const std::string actor = parts.size() == 3 ? parts[2] : std::string();
  if (kind == "free") {
    auto r = store_.ReadRequest(id);
    if (!r.ok()) return r.status();
    if (!r->has_value() || (*r)->hold_id().empty()) return absl::OkStatus();
    auto hold = inventory_.GetHold((*r)->hold_id());
    if (!hold.ok()) return absl::IsNotFound(hold.status()) ? absl::OkStatus() : hold.status();
    if (hold->state() == v1::HOLD_STATE_HELD) {
      v1::ReleaseHoldRequest release;
      release.set_request_id("mob:" + id + ":free");
      release.set_hold_id(hold->id());
      auto released = inventory_.ReleaseHold(release, actor);
      if (!released.ok() && !absl::IsFailedPrecondition(released.status())) {
        return released.status();
      }
    } else if (hold->state() == v1::HOLD_STATE_COMMITTED) {
      v1::ReleaseCommitmentRequest release;
      release.set_request_id("mob:" + id + ":free");
      release.set_hold_id(hold->id());
      release.set_reason("mobilisation request ended without an assignment");
      auto released = inventory_.ReleaseCommitment(release, actor);
      if (!released.ok() && !absl::IsFailedPrecondition(released.status())) {
        return released.status();
      }
    }
    return absl::OkStatus();
  }
  auto read = store_.ReadAssignment(id);
  if (!read.ok()) return read.status();
  if (!read->has_value()) return absl::OkStatus();
  const v1::Assignment& a = **read;
  if (kind == "confirm") {
    if (IsFinished(a.state())) return absl::OkStatus();
    v1::ConfirmHoldRequest confirm;
    confirm.set_request_id("mob:" + a.id() + ":confirm");
    confirm.set_hold_id(a.hold_id());
    auto confirmed = inventory_.ConfirmHold(confirm, actor);
    if (confirmed.ok() || !absl::IsFailedPrecondition(confirmed.status())) {
      return confirmed.status();
    }
    // The hold was lost before it could be confirmed (it expired or was released): the
    // assignment cannot stand; withdraw it so the need asks someone else.
    auto hold = inventory_.GetHold(a.hold_id());
    if (hold.ok() && hold->state() == v1::HOLD_STATE_COMMITTED) return absl::OkStatus();
    v1::Assignment ignored;
    return MoveAssignment(
        nullptr, "", StepKey("HoldLost", a.id()), a.id(), v1::ASSIGNMENT_STATE_WITHDRAWN,
        [](v1::Assignment* x) {
          x->set_reason("the inventory hold was lost before confirmation");
          return absl::OkStatus();
        },
        &ignored);
  }
  if (kind == "consume") {
    v1::ConsumeCommitmentRequest consume;
    consume.set_request_id("mob:" + a.id() + ":consume");
    consume.set_hold_id(a.hold_id());
    consume.set_quantity_used(a.quantity_used());
    auto consumed = inventory_.ConsumeCommitment(consume, actor);
    if (!consumed.ok() && !absl::IsFailedPrecondition(consumed.status())) {
      return consumed.status();
    }
    return absl::OkStatus();
  }
  if (kind == "release") {
    auto hold = inventory_.GetHold(a.hold_id());
    if (!hold.ok() && !absl::IsNotFound(hold.status())) return hold.status();
    if (hold.ok() && hold->state() == v1::HOLD_STATE_COMMITTED) {
      v1::ReleaseCommitmentRequest release;
      release.set_request_id("mob:" + a.id() + ":release");
      release.set_hold_id(a.hold_id());
      release.set_reason(a.reason().empty() ? "demobilised" : a.reason().substr(0, 200));
      auto released = inventory_.ReleaseCommitment(release, actor);
      if (!released.ok() && !absl::IsFailedPrecondition(released.status())) {
        return released.status();
      }
    } else if (hold.ok() && hold->state() == v1::HOLD_STATE_HELD) {
      v1::ReleaseHoldRequest release;
      release.set_request_id("mob:" + a.id() + ":release");
      release.set_hold_id(a.hold_id());
      auto released = inventory_.ReleaseHold(release, actor);
      if (!released.ok() && !absl::IsFailedPrecondition(released.status())) {
        return released.status();
      }
    }
    // Experience: a mission counts once they were on site.
    if (a.state() != v1::ASSIGNMENT_STATE_RELEASED || !a.has_arrived_at()) return absl::OkStatus();
    auto crisis = CrisisOf(a.crisis_id());
    if (!crisis.ok()) return crisis.status();
    auto need = FindNeed(*crisis, a.need_id());
    if (!need.ok() || need->spec().resource().kind() != v1::RESOURCE_KIND_SKILL) {
      return absl::OkStatus();  // teams: each member's role is not one skill; not recorded
    }
    v1::RecordExperienceRequest record;
    record.set_request_id("mob:" + a.id() + ":experience");
    record.set_responder_id(a.responder_id());
    v1::Mission& mission = *record.mutable_mission();
    mission.set_kind(crisis->kind());
    mission.set_role_code(need->spec().resource().code());
    mission.set_place(crisis->area().commune().empty() ? crisis->area().country()
                                                       : crisis->area().commune());
    *mission.mutable_started_at() = a.arrived_at();
    *mission.mutable_ended_at() =
        FromProtoTime(a.released_at()) > FromProtoTime(a.arrived_at())
            ? a.released_at()
            : ToProtoTime(FromProtoTime(a.arrived_at()) + absl::Seconds(1));
    mission.set_assignment_id(a.id());
    auto recorded = inventory_.RecordExperience(record, actor);
    if (!recorded.ok() && !absl::IsNotFound(recorded.status())) return recorded.status();
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Mobiliser::CancelPending(const std::string& crisis_id, const std::string& need_id,
                                      const std::string& reason, bool mark_cancelled,
                                      const std::string& actor) {
  auto ids = store_.All(keys::RequestsOfNeed(crisis_id, need_id));
  if (!ids.ok()) return ids.status();
  auto requests = store_.ReadRequests(*ids);
  if (!requests.ok()) return requests.status();
  const Principal service{kServicePrincipal, Role::kService, {}, {}};
  std::vector<std::string> todo;
  for (const v1::MobilisationRequest& pending : *requests) {
    if (!IsPending(pending.state())) continue;
    auto committed = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          auto read = store_.ReadRequest(pending.id());
          if (!read.ok()) return read.status();
          if (!read->has_value() || !stored.has_value()) {
            return absl::InternalError("mobilisation request without its need state");
          }
          v1::MobilisationRequest r = **read;
          const int64_t version = r.version();
          CommitRequest commit;
          commit.idem = StepKey("Cancel", absl::StrCat(r.id(), "/", version));
          if (!IsPending(r.state())) return CommitRequest{};  // answered meanwhile
          NeedState state = stored->value;
          v1::NeedProgress& progress = *state.mutable_progress();
          const absl::Time now = clock_.Now();
          CountRequestChange(&progress, r.quantity(), r.state(), v1::REQUEST_STATE_CANCELLED);
          r.set_state(v1::REQUEST_STATE_CANCELLED);
          r.set_reason(reason);
          *r.mutable_updated_at() = ToProtoTime(now);
          *progress.mutable_updated_at() = ToProtoTime(now);
          commit.index_ops.push_back(Remove(keys::kDue, r.id()));
          commit.index_ops.push_back(Add(keys::kTodo, steps::Free(r.id(), actor), Ms(now)));
          commit.writes.push_back(WriteOf(keys::Request(r.id()), r, version));
          commit.writes.push_back(WriteOf(keys::Need(crisis_id, need_id), state, stored->version));
          AddNotification(r, v1::EVENT_TYPE_REQUEST_CANCELLED,
                          "Relais: request cancelled, no longer needed",
                          absl::StrCat("Request ", r.id(), " for crisis ", crisis_id, ": ", reason,
                                       ". Thank you; your hold is released.\n"),
                          &commit);
          commit.event = NewEvent(v1::EVENT_TYPE_REQUEST_CANCELLED, service, commit.idem.request_id,
                                  crisis_id, need_id);
          Describe(r, version + 1, &commit.event);
          // Written by the service for whoever closed the need or crisis.
          if (!actor.empty()) commit.event.set_on_behalf_of(actor);
          commit.outcome = Success(r.id(), version + 1);
          return commit;
        });
    if (!committed.ok()) return committed.status();
    todo.push_back(steps::Free(pending.id(), actor));
  }
  if (mark_cancelled) {
    auto marked = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          if (!stored.has_value() ||
              stored->value.progress().coverage() == v1::COVERAGE_CANCELLED) {
            return CommitRequest{};
          }
          NeedState state = stored->value;
          state.mutable_progress()->set_coverage(v1::COVERAGE_CANCELLED);
          CommitRequest commit;
          commit.idem = StepKey("CancelNeed", absl::StrCat(crisis_id, "/", need_id));
          commit.writes.push_back(WriteOf(keys::Need(crisis_id, need_id), state, stored->version));
          commit.event = NewEvent(v1::EVENT_TYPE_NEED_UNCOVERABLE, service, commit.idem.request_id,
                                  crisis_id, need_id);
          commit.event.set_subject_id(need_id);
          commit.outcome = Success(need_id, stored->version + 1);
          return commit;
        });
    if (!marked.ok()) return marked.status();
  } else {
    // The need is covered: say so once.
    auto said = CommitNeed(
        crisis_id, need_id,
        [&](const std::optional<Stored<NeedState>>& stored) -> absl::StatusOr<CommitRequest> {
          if (!stored.has_value() || stored->value.progress().coverage() != v1::COVERAGE_COVERED) {
            return CommitRequest{};
          }
          CommitRequest commit;
          commit.idem = StepKey("Covered", absl::StrCat(crisis_id, "/", need_id, "/",
                                                        stored->value.progress().accepted()));
          commit.writes.push_back(
              WriteOf(keys::Need(crisis_id, need_id), stored->value, stored->version));
          commit.event = NewEvent(v1::EVENT_TYPE_NEED_COVERED, service, commit.idem.request_id,
                                  crisis_id, need_id);
          commit.event.set_subject_id(need_id);
          commit.event.set_quantity(stored->value.progress().accepted());
          commit.outcome = Success(need_id, stored->version + 1);
          return commit;
        });
    if (!said.ok()) return said.status();
  }
  RunStepsNow(todo);
  return absl::OkStatus();
}

absl::StatusOr<int> Mobiliser::ReactToEvents(EventLog& log, int limit) {
  auto cursor = store_.ReactorCursor();
  if (!cursor.ok()) return cursor.status();
  std::string from = *cursor;
  if (from.empty()) from = "0-0";
  auto events = log.ReadAfter(from, limit);
  if (!events.ok()) return events.status();
  const absl::Time now = clock_.Now();
  for (const v1::Event& e : *events) {
    if (e.type() == v1::EVENT_TYPE_NEED_CANCELLED) {
      if (auto s =
              store_.Schedule(steps::Cancel(e.crisis_id(), e.need_id(), e.principal_id()), now);
          !s.ok()) {
        return s;
      }
    } else if (e.type() == v1::EVENT_TYPE_CRISIS_CLOSED) {
      auto needs = store_.All(keys::NeedsOfCrisis(e.crisis_id()));
      if (!needs.ok()) return needs.status();
      for (const auto& n : *needs) {
        if (auto s = store_.Schedule(steps::Cancel(e.crisis_id(), n, e.principal_id()), now);
            !s.ok())
          return s;
      }
    }
  }
  if (!events->empty()) {
    if (auto s = store_.SetReactorCursor(events->back().cursor()); !s.ok()) return s;
  }
  return static_cast<int>(events->size());
}

}  // namespace relais::mobilisation
