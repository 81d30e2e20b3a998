// relaisctl need candidates|mobilise|progress: turning a declared need into people and kit (the
// mobilisation service, proto/relais/v1/mobilisation.proto). What a need is stays with the crisis
// registry (crisis add-need, update-need); how far it is covered is the mobilisation service's.
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/mobilisation_requests.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/nouns.h"
#include "relais/v1/mobilisation.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::Mobilisation::Stub;

struct NeedRef {
  std::optional<std::string> crisis_id;
  std::optional<std::string> need_id;
};

void AddNeedRef(CLI::App* verb, NeedRef* into) {
  AddTextFlag(verb, "--crisis-id", &into->crisis_id, Say(Msg::kHelpMobCrisisId))
      ->type_name("CRISIS")
      ->required();
  AddTextFlag(verb, "--need-id", &into->need_id, Say(Msg::kHelpMobNeedId))
      ->type_name("NEED")
      ->required();
}

CLI::Option* AddRotationDays(CLI::App* verb, std::optional<int32_t>* into) {
  return AddNumberFlag(verb, "--rotation-days", into, Say(Msg::kHelpRotationDays))
      ->type_name("DAYS");
}

void AddCandidates(Cli& cli, CLI::App* noun) {
  struct Flags {
    NeedRef need;
    std::optional<int32_t> limit;
    std::optional<int32_t> rotation_days;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "candidates", Say(Msg::kHelpNeedCandidates), [flags](Session& session) {
        // --crisis-id and --need-id are required: CLI11 has checked they are there.
        const v1::ProposeCandidatesRequest request = BuildProposeCandidatesRequest(
            *flags->need.crisis_id, *flags->need.need_id, flags->limit, flags->rotation_days);
        return CallAndShow(session, CallKind::kRead, request, &Stub::ProposeCandidates,
                           &CandidatesView);
      });
  AddNeedRef(verb, &flags->need);
  AddNumberFlag(verb, "--limit", &flags->limit, Say(Msg::kHelpCandidatesLimit))->type_name("N");
  AddRotationDays(verb, &flags->rotation_days);
}

void AddMobilise(Cli& cli, CLI::App* noun) {
  struct Flags {
    NeedRef need;
    PolicyFields policy;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "mobilise", Say(Msg::kHelpNeedMobilise), [flags](Session& session) {
        const v1::MobiliseRequest request =
            BuildMobiliseRequest(*flags->need.crisis_id, *flags->need.need_id, flags->policy,
                                 session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::Mobilise, &MobiliseView);
      });
  AddNeedRef(verb, &flags->need);
  PolicyFields& p = flags->policy;
  AddNumberFlag(verb, "--overbooking", &p.overbooking, Say(Msg::kHelpOverbooking))
      ->type_name("FACTOR");
  AddDurationFlag(verb, "--response-time", &p.response_time, Say(Msg::kHelpResponseTime));
  AddRotationDays(verb, &p.rotation_days);
  verb->add_flag("--manual-escalation", p.manual_escalation, Say(Msg::kHelpManualEscalation));
  AddNumberFlag(verb, "--max-pending", &p.max_pending, Say(Msg::kHelpMaxPending))->type_name("N");
  verb->footer(Say(Msg::kHelpMobiliseFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddProgress(Cli& cli, CLI::App* noun) {
  auto need = std::make_shared<NeedRef>();
  CLI::App* verb =
      cli.AddVerb(noun, "progress", Say(Msg::kHelpNeedProgress), [need](Session& session) {
        v1::GetNeedProgressRequest request;
        request.set_crisis_id(*need->crisis_id);
        request.set_need_id(*need->need_id);
        return CallAndShow(session, CallKind::kRead, request, &Stub::GetNeedProgress,
                           &NeedProgressDetail);
      });
  AddNeedRef(verb, need.get());
}

}  // namespace

void RegisterNeedNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("need", Say(Msg::kHelpNeedNoun), MobilisationService());
  AddCandidates(cli, noun);
  AddMobilise(cli, noun);
  AddProgress(cli, noun);
}

}  // namespace relais::cli
