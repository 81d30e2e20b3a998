// relaisctl availability set|clear|get: a responder's availability calendar
// (proto/relais/v1/inventory.proto).
#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_requests.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/nouns.h"
#include "relais/v1/inventory.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::ResourceInventory::Stub;

CLI::Option* AddResponderId(CLI::App* verb, std::string* into) {
  return verb->add_option("responder-id", *into, Say(Msg::kHelpResponderId))->required();
}

void AddSet(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string responder_id;
    std::optional<v1::AvailabilityKind> kind;
    std::optional<absl::Time> from;
    std::optional<absl::Time> until;
    std::optional<std::string> note;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "set", Say(Msg::kHelpAvailabilitySet), [flags](Session& session) {
        // --kind, --from and --until are required: CLI11 has checked they are there.
        const PeriodFields period = {.kind = *flags->kind,
                                     .from = *flags->from,
                                     .until = *flags->until,
                                     .note = flags->note};
        const v1::SetAvailabilityRequest request =
            BuildSetAvailabilityRequest(flags->responder_id, period, session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::SetAvailability,
                           &CalendarView);
      });
  AddResponderId(verb, &flags->responder_id);
  AddWordFlag(verb, "--kind", AvailabilityKinds(), &flags->kind, Say(Msg::kHelpAvailabilityKind))
      ->required();
  AddTimeFlag(verb, "--from", &flags->from, Say(Msg::kHelpAvailabilityFrom))->required();
  AddTimeFlag(verb, "--until", &flags->until, Say(Msg::kHelpAvailabilityUntil))->required();
  AddTextFlag(verb, "--note", &flags->note, Say(Msg::kHelpAvailabilityNote));
}

void AddClear(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string responder_id;
    std::string period_id;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "clear", Say(Msg::kHelpAvailabilityClear), [flags](Session& session) {
        v1::ClearAvailabilityRequest request;
        request.set_request_id(session.settings().request_id);
        request.set_responder_id(flags->responder_id);
        request.set_period_id(flags->period_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::ClearAvailability,
                           &CalendarView);
      });
  AddResponderId(verb, &flags->responder_id);
  verb->add_option("period-id", flags->period_id, Say(Msg::kHelpPeriodId))->required();
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpAvailabilityGet), [id](Session& session) {
    v1::GetAvailabilityRequest request;
    request.set_responder_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetAvailability, &CalendarView);
  });
  AddResponderId(verb, id.get());
}

}  // namespace

void RegisterAvailabilityNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("availability", Say(Msg::kHelpAvailability), InventoryService());
  AddSet(cli, noun);
  AddClear(cli, noun);
  AddGet(cli, noun);
}

}  // namespace relais::cli
