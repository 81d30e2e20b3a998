// relaisctl request list|get|respond|ack|decide: the mobilisation requests sent to responders,
// teams and stock lines (proto/relais/v1/mobilisation.proto). Responders (or their organisation)
// answer and acknowledge; coordinators decide provisional answers.
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/mobilisation_requests.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/nouns.h"
#include "relais/v1/mobilisation.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::Mobilisation::Stub;

// The detail view needs the clock: it says how long a pending request has left.
View<v1::MobilisationRequest> Detail(Session& session) {
  const absl::Time now = session.Now();
  return [now](const v1::MobilisationRequest& request) { return RequestDetail(request, now); };
}

CLI::Option* AddRequestId(CLI::App* verb, std::string* into) {
  return verb->add_option("mobilisation-request-id", *into, Say(Msg::kHelpMobRequestId))
      ->required();
}

std::string ListView(const v1::ListRequestsResponse& response) {
  return WithNextPage(RequestTable(response.requests()), response.next_page_token());
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    ListScope scope;
    std::optional<v1::RequestState> state;
    PageFlags page;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "list", Say(Msg::kHelpRequestList), [flags](Session& session) {
    absl::StatusOr<v1::ListRequestsRequest> request =
        BuildListRequestsRequest(flags->scope, session.settings().responder, flags->state);
    if (!request.ok()) return session.UsageError(std::string(request.status().message()));
    request->set_page_size(flags->page.page_size.value_or(0));
    request->set_page_token(flags->page.page_token.value_or(""));
    return ListAndShow(session, flags->page.all, *request, &Stub::ListRequests,
                       &v1::ListRequestsResponse::mutable_requests, &ListView);
  });
  AddTextFlag(verb, "--crisis-id", &flags->scope.crisis_id, Say(Msg::kHelpListCrisisId))
      ->type_name("CRISIS");
  AddTextFlag(verb, "--need-id", &flags->scope.need_id, Say(Msg::kHelpListNeedId))
      ->type_name("NEED");
  AddTextFlag(verb, "--responder-id", &flags->scope.responder_id, Say(Msg::kHelpListResponderId))
      ->type_name("RESPONDER");
  AddWordFlag(verb, "--state", RequestStates(), &flags->state, Say(Msg::kHelpRequestState));
  AddPageFlags(verb, &flags->page, Msg::kHelpMobPageSize);
  verb->footer(Say(Msg::kHelpListScopeFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpRequestGet), [id](Session& session) {
    v1::GetRequestRequest request;
    request.set_mobilisation_request_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetRequest, Detail(session));
  });
  AddRequestId(verb, id.get());
}

void AddRespond(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    AnswerFields answer;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "respond", Say(Msg::kHelpRequestRespond), [flags](Session& session) {
        absl::StatusOr<v1::RespondRequest> request =
            BuildRespondRequest(flags->id, flags->answer, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::Respond, Detail(session));
      });
  AddRequestId(verb, &flags->id);
  AnswerFields& a = flags->answer;
  verb->add_flag("--accept", a.accept, Say(Msg::kHelpAccept));
  verb->add_flag("--decline", a.decline, Say(Msg::kHelpDecline));
  verb->add_flag("--provisional", a.provisional, Say(Msg::kHelpProvisional));
  AddTextFlag(verb, "--reason", &a.reason, Say(Msg::kHelpAnswerReason));
}

void AddAck(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "ack", Say(Msg::kHelpRequestAck), [id](Session& session) {
    v1::AcknowledgeRequestRequest request;
    request.set_request_id(session.settings().request_id);
    request.set_mobilisation_request_id(*id);
    return CallAndShow(session, CallKind::kWrite, request, &Stub::AcknowledgeRequest,
                       Detail(session));
  });
  AddRequestId(verb, id.get());
}

void AddDecide(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    bool confirm = false;
    bool decline = false;
    std::optional<std::string> reason;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "decide", Say(Msg::kHelpRequestDecide), [flags](Session& session) {
        absl::StatusOr<v1::DecideProvisionalRequest> request =
            BuildDecideRequest(flags->id, flags->confirm, flags->decline, flags->reason,
                               session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::DecideProvisional,
                           Detail(session));
      });
  AddRequestId(verb, &flags->id);
  verb->add_flag("--confirm", flags->confirm, Say(Msg::kHelpDecideConfirm));
  verb->add_flag("--decline", flags->decline, Say(Msg::kHelpDecideDecline));
  AddTextFlag(verb, "--reason", &flags->reason, Say(Msg::kHelpDecideReason));
}

}  // namespace

void RegisterRequestNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("request", Say(Msg::kHelpRequestNoun), MobilisationService());
  AddList(cli, noun);
  AddGet(cli, noun);
  AddRespond(cli, noun);
  AddAck(cli, noun);
  AddDecide(cli, noun);
}

}  // namespace relais::cli
