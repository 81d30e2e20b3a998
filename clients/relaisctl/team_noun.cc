// relaisctl team offer|get|update|list|remove: the teams an organisation offers, its own
// responders and kit deployed together (proto/relais/v1/teams.proto, served by the resource
// inventory).
#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_requests.h"
#include "clients/relaisctl/inventory_syntax.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/nouns.h"
#include "relais/v1/inventory.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::ResourceInventory::Stub;

// The flags of offer and update; --no-kit only on update.
void AddTeamFieldFlags(CLI::App* verb, TeamFields* f, bool update) {
  AddTextFlag(verb, "--name", &f->name, Say(Msg::kHelpTeamName));
  AddTextFlag(verb, "--type", &f->type_code, Say(Msg::kHelpTeamType))->type_name("CODE");
  AddTextsFlag(verb, "--member", &f->members, Say(Msg::kHelpTeamMember))->type_name("RESPONDER");
  CLI::Option* kit = AddSyntaxFlag(verb, "--kit", &f->kit, &ParseKitLine, Say(Msg::kHelpTeamKit))
                         ->type_name("LINE=QTY");
  AddTextFlag(verb, "--description", &f->description, Say(Msg::kHelpTeamDescription));
  AddTextFlag(verb, "--external-ref", &f->external_ref, Say(Msg::kHelpExternalRefOwn))
      ->type_name("REF");
  if (update) {
    verb->add_flag("--no-kit", f->no_kit, Say(Msg::kHelpNoKit))->excludes(kit);
    verb->footer(Say(Msg::kHelpTeamUpdateFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
  }
}

CLI::Option* AddTeamId(CLI::App* verb, std::string* into) {
  return verb->add_option("team-id", *into, Say(Msg::kHelpTeamId))->required();
}

void AddOffer(Cli& cli, CLI::App* noun) {
  auto fields = std::make_shared<TeamFields>();
  CLI::App* verb = cli.AddVerb(noun, "offer", Say(Msg::kHelpTeamOffer), [fields](Session& session) {
    const v1::OfferTeamRequest request =
        BuildOfferTeamRequest(*fields, session.settings().request_id);
    return CallAndShow(session, CallKind::kWrite, request, &Stub::OfferTeam, &TeamDetail);
  });
  AddTeamFieldFlags(verb, fields.get(), /*update=*/false);
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpTeamGet), [id](Session& session) {
    v1::GetTeamRequest request;
    request.set_team_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetTeam, &TeamDetail);
  });
  AddTeamId(verb, id.get());
}

void AddUpdate(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    TeamFields fields;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "update", Say(Msg::kHelpTeamUpdate), [flags](Session& session) {
        absl::StatusOr<v1::UpdateTeamRequest> request = BuildUpdateTeamRequest(
            flags->id, flags->fields, flags->expected_version, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::UpdateTeam, &TeamDetail);
      });
  AddTeamId(verb, &flags->id);
  AddTeamFieldFlags(verb, &flags->fields, /*update=*/true);
  AddExpectedVersionFlag(verb, &flags->expected_version, Msg::kHelpExpectedVersionTeam);
}

std::string ListView(const v1::ListTeamsResponse& response) {
  return WithNextPage(TeamTable(response.teams()), response.next_page_token());
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> organisation_id;
    PageFlags page;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "list", Say(Msg::kHelpTeamList), [flags](Session& session) {
    const std::string organisation = ListedOrganisation(flags->organisation_id, session);
    if (organisation.empty()) {
      return session.UsageError(std::string(Text(Msg::kListTeamsNoOrganisation)));
    }
    v1::ListTeamsRequest request;
    request.set_organisation_id(organisation);
    request.set_page_size(flags->page.page_size.value_or(0));
    request.set_page_token(flags->page.page_token.value_or(""));
    return ListAndShow(session, flags->page.all, request, &Stub::ListTeams,
                       &v1::ListTeamsResponse::mutable_teams, &ListView);
  });
  AddTextFlag(verb, "--organisation-id", &flags->organisation_id,
              Say(Msg::kHelpTeamListOrganisationId))
      ->type_name("ORG");
  AddPageFlags(verb, &flags->page, Msg::kHelpTeamPageSize);
}

void AddRemove(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "remove", Say(Msg::kHelpTeamRemove), [id](Session& session) {
    v1::RemoveTeamRequest request;
    request.set_request_id(session.settings().request_id);
    request.set_team_id(*id);
    return CallAndShow(session, CallKind::kWrite, request, &Stub::RemoveTeam, &TeamRemovedView);
  });
  AddTeamId(verb, id.get());
}

}  // namespace

void RegisterTeamNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("team", Say(Msg::kHelpTeam), InventoryService());
  AddOffer(cli, noun);
  AddGet(cli, noun);
  AddUpdate(cli, noun);
  AddList(cli, noun);
  AddRemove(cli, noun);
}

}  // namespace relais::cli
