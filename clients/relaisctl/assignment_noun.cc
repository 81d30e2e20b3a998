// relaisctl assignment list|get|status|withdraw|demobilise|extend|watch: accepted requests,
// followed until release (proto/relais/v1/mobilisation.proto). Responders report their journey
// and watch their own requests and assignments live; organisations report supplies; coordinators
// demobilise and decide extensions.
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/mobilisation_requests.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/watch.h"
#include "relais/v1/mobilisation.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::Mobilisation::Stub;

CLI::Option* AddAssignmentId(CLI::App* verb, std::string* into) {
  return verb->add_option("assignment-id", *into, Say(Msg::kHelpAssignmentId))->required();
}

std::string ListView(const v1::ListAssignmentsResponse& response) {
  return WithNextPage(AssignmentTable(response.assignments()), response.next_page_token());
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    ListScope scope;
    std::optional<v1::AssignmentState> state;
    PageFlags page;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "list", Say(Msg::kHelpAssignmentList), [flags](Session& session) {
        absl::StatusOr<v1::ListAssignmentsRequest> request =
            BuildListAssignmentsRequest(flags->scope, session.settings().responder, flags->state);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        request->set_page_size(flags->page.page_size.value_or(0));
        request->set_page_token(flags->page.page_token.value_or(""));
        return ListAndShow(session, flags->page.all, *request, &Stub::ListAssignments,
                           &v1::ListAssignmentsResponse::mutable_assignments, &ListView);
      });
  AddTextFlag(verb, "--crisis-id", &flags->scope.crisis_id, Say(Msg::kHelpListCrisisId))
      ->type_name("CRISIS");
  AddTextFlag(verb, "--need-id", &flags->scope.need_id, Say(Msg::kHelpListNeedId))
      ->type_name("NEED");
  AddTextFlag(verb, "--responder-id", &flags->scope.responder_id, Say(Msg::kHelpListResponderId))
      ->type_name("RESPONDER");
  AddWordFlag(verb, "--state", AssignmentStates(), &flags->state, Say(Msg::kHelpAssignmentState));
  AddPageFlags(verb, &flags->page, Msg::kHelpMobPageSize);
  verb->footer(Say(Msg::kHelpListScopeFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpAssignmentGet), [id](Session& session) {
    v1::GetAssignmentRequest request;
    request.set_assignment_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetAssignment, &AssignmentDetail);
  });
  AddAssignmentId(verb, id.get());
}

void AddStatus(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    StatusFields status;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "status", Say(Msg::kHelpAssignmentStatus), [flags](Session& session) {
        absl::StatusOr<v1::ReportStatusRequest> request =
            BuildReportStatusRequest(flags->id, flags->status, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::ReportStatus,
                           &AssignmentDetail);
      });
  AddAssignmentId(verb, &flags->id);
  StatusFields& s = flags->status;
  verb->add_flag("--en-route", s.en_route, Say(Msg::kHelpEnRoute));
  verb->add_flag("--on-site", s.on_site, Say(Msg::kHelpOnSite));
  verb->add_flag("--shipped", s.shipped, Say(Msg::kHelpShipped));
  verb->add_flag("--delivered", s.delivered, Say(Msg::kHelpDelivered));
  verb->add_flag("--returned", s.returned, Say(Msg::kHelpReturned));
  AddTimeFlag(verb, "--eta", &s.eta, Say(Msg::kHelpEta));
  AddNumberFlag(verb, "--used", &s.used, Say(Msg::kHelpUsed))->type_name("N");
  AddTimeFlag(verb, "--at", &s.at, Say(Msg::kHelpStatusAt));
  verb->footer(Say(Msg::kHelpStatusFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddWithdraw(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    std::optional<std::string> reason;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "withdraw", Say(Msg::kHelpAssignmentWithdraw), [flags](Session& session) {
        v1::WithdrawRequest request;
        request.set_request_id(session.settings().request_id);
        request.set_assignment_id(flags->id);
        request.set_reason(*flags->reason);  // required
        return CallAndShow(session, CallKind::kWrite, request, &Stub::Withdraw, &AssignmentDetail);
      });
  AddAssignmentId(verb, &flags->id);
  AddTextFlag(verb, "--reason", &flags->reason, Say(Msg::kHelpWithdrawReason))->required();
}

void AddDemobilise(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    std::optional<std::string> reason;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "demobilise", Say(Msg::kHelpAssignmentDemobilise),
                               [flags](Session& session) {
                                 v1::DemobiliseRequest request;
                                 request.set_request_id(session.settings().request_id);
                                 request.set_assignment_id(flags->id);
                                 request.set_reason(flags->reason.value_or(""));
                                 return CallAndShow(session, CallKind::kWrite, request,
                                                    &Stub::Demobilise, &AssignmentDetail);
                               });
  AddAssignmentId(verb, &flags->id);
  AddTextFlag(verb, "--reason", &flags->reason, Say(Msg::kHelpDemobiliseReason));
}

void AddExtend(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    std::optional<absl::Time> until;
    bool grant = false;
    bool refuse = false;
    std::optional<std::string> reason;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "extend", Say(Msg::kHelpAssignmentExtend), [flags](Session& session) {
        absl::StatusOr<v1::ExtendAssignmentRequest> request =
            BuildExtendAssignmentRequest(flags->id, *flags->until, flags->grant, flags->refuse,
                                         flags->reason, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::ExtendAssignment,
                           &AssignmentDetail);
      });
  AddAssignmentId(verb, &flags->id);
  AddTimeFlag(verb, "--until", &flags->until, Say(Msg::kHelpExtendUntil))->required();
  verb->add_flag("--grant", flags->grant, Say(Msg::kHelpExtendGrant));
  verb->add_flag("--refuse", flags->refuse, Say(Msg::kHelpExtendRefuse));
  AddTextFlag(verb, "--reason", &flags->reason, Say(Msg::kHelpExtendReason));
}

// After OUT_OF_RANGE the responder's view has no snapshot with a cursor: it shows what waits for
// an answer and the assignments, then goes on from now. Events written between those reads and
// the new stream are not shown; the lists say where things stand.
grpc::Status ResyncResponder(Session& session, Stub& stub, const std::string& responder_id,
                             std::string* cursor) {
  v1::ListRequestsRequest pending;
  pending.set_responder_id(responder_id);
  pending.set_state(v1::REQUEST_STATE_REQUESTED);
  v1::ListRequestsResponse requests;
  grpc::Status status = session.Call([&](grpc::ClientContext& context) {
    return stub.ListRequests(&context, pending, &requests);
  });
  if (!status.ok()) return status;
  v1::ListAssignmentsRequest listed;
  listed.set_responder_id(responder_id);
  v1::ListAssignmentsResponse assignments;
  status = session.Call([&](grpc::ClientContext& context) {
    return stub.ListAssignments(&context, listed, &assignments);
  });
  if (!status.ok()) return status;
  session.err() << Say(Msg::kWatchResponderSnapshot) << "\n";
  if (session.settings().json) {
    session.out() << JsonLineUnder("requests", requests)
                  << JsonLineUnder("assignments", assignments);
  } else {
    session.out() << Say(Msg::kWatchPendingTitle, responder_id) << "\n"
                  << RequestTable(requests.requests()) << "\n"
                  << Say(Msg::kWatchAssignmentsTitle, responder_id) << "\n"
                  << AssignmentTable(assignments.assignments());
  }
  session.out().flush();
  cursor->clear();
  return grpc::Status::OK;
}

void AddWatch(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> responder_id;
    std::optional<std::string> cursor;
    std::optional<int64_t> once;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "watch", Say(Msg::kHelpAssignmentWatch), [flags](Session& session) {
        const std::string responder_id = flags->responder_id.value_or(session.settings().responder);
        if (responder_id.empty()) return session.UsageError(Say(Msg::kWatchNoResponder));
        if (flags->once && *flags->once < 1) return session.UsageError(Say(Msg::kOnceAtLeastOne));
        Stub stub(session.Channel());
        WatchSpec spec;
        spec.open = [&](grpc::ClientContext* context, const std::string& cursor) {
          v1::WatchMyAssignmentsRequest request;
          request.set_responder_id(responder_id);
          request.set_cursor(cursor);
          return std::unique_ptr<UpdateReader>(stub.WatchMyAssignments(context, request));
        };
        spec.resync = [&](std::string* cursor) {
          return ResyncResponder(session, stub, responder_id, cursor);
        };
        spec.once = flags->once;
        return Watch(session, spec, flags->cursor.value_or(""));
      });
  AddTextFlag(verb, "--responder-id", &flags->responder_id, Say(Msg::kHelpWatchResponderId))
      ->type_name("RESPONDER");
  AddTextFlag(verb, "--cursor", &flags->cursor, Say(Msg::kHelpWatchCursor))->type_name("CURSOR");
  AddNumberFlag(verb, "--once", &flags->once, Say(Msg::kHelpWatchOnce))->type_name("N");
  verb->footer(Say(Msg::kHelpWatchFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

}  // namespace

void RegisterAssignmentNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("assignment", Say(Msg::kHelpAssignmentNoun), MobilisationService());
  AddList(cli, noun);
  AddGet(cli, noun);
  AddStatus(cli, noun);
  AddWithdraw(cli, noun);
  AddDemobilise(cli, noun);
  AddExtend(cli, noun);
  AddWatch(cli, noun);
}

}  // namespace relais::cli
