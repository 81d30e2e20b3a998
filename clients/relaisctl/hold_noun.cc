// relaisctl hold place|get|confirm|release|release-commitment|extend|consume: holds and
// commitments, how nobody and nothing is promised twice (proto/relais/v1/holds.proto, served by
// the resource inventory). Coordinators and the mobilisation service use the same verbs.
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_requests.h"
#include "clients/relaisctl/inventory_syntax.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/time_text.h"
#include "relais/v1/inventory.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::ResourceInventory::Stub;

// The detail view needs the clock: it says how long a hold has left.
View<v1::Hold> Detail(Session& session) {
  const absl::Time now = session.Now();
  return [now](const v1::Hold& hold) { return HoldDetail(hold, now); };
}

CLI::Option* AddHoldId(CLI::App* verb, std::string* into) {
  return verb->add_option("hold-id", *into, Say(Msg::kHelpHoldId))->required();
}

void AddPlace(Cli& cli, CLI::App* noun) {
  auto f = std::make_shared<HoldFields>();
  CLI::App* verb = cli.AddVerb(noun, "place", Say(Msg::kHelpHoldPlace), [f](Session& session) {
    absl::StatusOr<v1::HoldRequest> request = BuildHoldRequest(*f, session.settings().request_id);
    if (!request.ok()) return session.UsageError(std::string(request.status().message()));
    return CallAndShow(session, CallKind::kWrite, *request, &Stub::Hold, Detail(session));
  });
  // --responder and --organisation are the global identity flags: the targets take "-id".
  AddTextFlag(verb, "--responder-id", &f->responder_id, Say(Msg::kHelpHoldResponder))
      ->type_name("RESPONDER");
  AddTextFlag(verb, "--team-id", &f->team_id, Say(Msg::kHelpHoldTeam))->type_name("TEAM");
  AddTextFlag(verb, "--stock-line-id", &f->stock_line_id, Say(Msg::kHelpHoldStockLine))
      ->type_name("LINE");
  AddTimeFlag(verb, "--from", &f->from, Say(Msg::kHelpHoldFrom));
  AddTimeFlag(verb, "--until", &f->until, Say(Msg::kHelpHoldUntil));
  AddNumberFlag(verb, "--quantity", &f->quantity, Say(Msg::kHelpHoldQuantity))->type_name("N");
  verb->add_option("--holder", f->holder_ref, Say(Msg::kHelpHolder))->type_name("REF")->required();
  AddDurationFlag(verb, "--ttl", &f->ttl, Say(Msg::kHelpHoldTtl));
  verb->footer(Say(Msg::kHelpHoldPlaceFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpHoldGet), [id](Session& session) {
    v1::GetHoldRequest request;
    request.set_hold_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetHold, Detail(session));
  });
  AddHoldId(verb, id.get());
}

// confirm and release: a hold id and nothing else.
template <typename Request>
void AddTransition(Cli& cli, CLI::App* noun, const std::string& name, Msg help,
                   grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, v1::Hold*)) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, name, Say(help), [id, method](Session& session) {
    Request request;
    request.set_request_id(session.settings().request_id);
    request.set_hold_id(*id);
    return CallAndShow(session, CallKind::kWrite, request, method, Detail(session));
  });
  AddHoldId(verb, id.get());
}

void AddReleaseCommitment(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    std::optional<std::string> reason;
    std::optional<std::vector<v1::KitLine>> kit_used;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(
      noun, "release-commitment", Say(Msg::kHelpHoldReleaseCommitment), [flags](Session& session) {
        absl::StatusOr<v1::ReleaseCommitmentRequest> request = BuildReleaseCommitmentRequest(
            flags->id, flags->reason, flags->kit_used, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::ReleaseCommitment,
                           Detail(session));
      });
  AddHoldId(verb, &flags->id);
  AddTextFlag(verb, "--reason", &flags->reason, Say(Msg::kHelpHoldReleaseReason));
  AddSyntaxFlag(verb, "--kit-used", &flags->kit_used, &ParseKitLine, Say(Msg::kHelpKitUsed))
      ->type_name("LINE=QTY");
}

void AddExtend(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    std::optional<absl::Time> until;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "extend", Say(Msg::kHelpHoldExtend), [flags](Session& session) {
        v1::ExtendCommitmentRequest request;
        request.set_request_id(session.settings().request_id);
        request.set_hold_id(flags->id);
        *request.mutable_new_end() = ToTimestamp(*flags->until);  // required
        return CallAndShow(session, CallKind::kWrite, request, &Stub::ExtendCommitment,
                           Detail(session));
      });
  AddHoldId(verb, &flags->id);
  AddTimeFlag(verb, "--until", &flags->until, Say(Msg::kHelpHoldExtendUntil))->required();
}

void AddConsume(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    std::optional<int64_t> quantity;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "consume", Say(Msg::kHelpHoldConsume), [flags](Session& session) {
        v1::ConsumeCommitmentRequest request;
        request.set_request_id(session.settings().request_id);
        request.set_hold_id(flags->id);
        request.set_quantity_used(flags->quantity.value_or(0));  // 0: all of it
        return CallAndShow(session, CallKind::kWrite, request, &Stub::ConsumeCommitment,
                           Detail(session));
      });
  AddHoldId(verb, &flags->id);
  AddNumberFlag(verb, "--quantity", &flags->quantity, Say(Msg::kHelpHoldConsumeQuantity))
      ->type_name("N");
}

}  // namespace

void RegisterHoldNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("hold", Say(Msg::kHelpHold), InventoryService());
  AddPlace(cli, noun);
  AddGet(cli, noun);
  AddTransition<v1::ConfirmHoldRequest>(cli, noun, "confirm", Msg::kHelpHoldConfirm,
                                        &Stub::ConfirmHold);
  AddTransition<v1::ReleaseHoldRequest>(cli, noun, "release", Msg::kHelpHoldRelease,
                                        &Stub::ReleaseHold);
  AddReleaseCommitment(cli, noun);
  AddExtend(cli, noun);
  AddConsume(cli, noun);
}

}  // namespace relais::cli
