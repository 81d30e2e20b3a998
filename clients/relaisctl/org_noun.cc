// relaisctl org register|get|update|list: the directory of organisations of the resource
// inventory (proto/relais/v1/inventory.proto).
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

// The descriptive flags of register and update.
void AddOrganisationFieldFlags(CLI::App* verb, OrganisationFields* f) {
  AddTextFlag(verb, "--name", &f->name, Say(Msg::kHelpOrgName));
  AddWordFlag(verb, "--kind", OrganisationKinds(), &f->kind, Say(Msg::kHelpOrgKind));
  AddWordsFlag(verb, "--domain", Domains(), &f->domains, Say(Msg::kHelpOrgDomain));
  AddTextFlag(verb, "--commune", &f->commune, Say(Msg::kHelpOrgCommune));
  AddNumberFlag(verb, "--lat", &f->lat, Say(Msg::kHelpOrgLat))->type_name("DEGREES");
  AddNumberFlag(verb, "--lon", &f->lon, Say(Msg::kHelpOrgLon))->type_name("DEGREES");
  AddTextFlag(verb, "--email", &f->email, Say(Msg::kHelpOrgEmail))->type_name("ADDRESS");
  AddTextFlag(verb, "--phone", &f->phone, Say(Msg::kHelpOrgPhone))->type_name("+E164");
  AddTextFlag(verb, "--website", &f->website, Say(Msg::kHelpOrgWebsite))->type_name("URL");
  AddTextFlag(verb, "--description", &f->description, Say(Msg::kHelpOrgDescription));
  AddTextFlag(verb, "--external-ref", &f->external_ref, Say(Msg::kHelpOrgExternalRef))
      ->type_name("REF");
}

void AddRegister(Cli& cli, CLI::App* noun) {
  auto fields = std::make_shared<OrganisationFields>();
  CLI::App* verb =
      cli.AddVerb(noun, "register", Say(Msg::kHelpOrgRegister), [fields](Session& session) {
        const v1::RegisterOrganisationRequest request =
            BuildRegisterOrganisationRequest(*fields, session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::RegisterOrganisation,
                           &OrganisationDetail);
      });
  AddOrganisationFieldFlags(verb, fields.get());
  // 0 is a valid latitude and longitude: a forgotten one would silently mean the equator.
  verb->get_option("--lat")->required();
  verb->get_option("--lon")->required();
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpOrgGet), [id](Session& session) {
    v1::GetOrganisationRequest request;
    request.set_organisation_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetOrganisation,
                       &OrganisationDetail);
  });
  verb->add_option("organisation-id", *id, Say(Msg::kHelpOrganisationId))->required();
}

void AddUpdate(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    OrganisationFields fields;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "update", Say(Msg::kHelpOrgUpdate), [flags](Session& session) {
    absl::StatusOr<v1::UpdateOrganisationRequest> request = BuildUpdateOrganisationRequest(
        flags->id, flags->fields, flags->expected_version, session.settings().request_id);
    if (!request.ok()) return session.UsageError(std::string(request.status().message()));
    return CallAndShow(session, CallKind::kWrite, *request, &Stub::UpdateOrganisation,
                       &OrganisationDetail);
  });
  verb->add_option("organisation-id", flags->id, Say(Msg::kHelpOrganisationId))->required();
  AddOrganisationFieldFlags(verb, &flags->fields);
  AddExpectedVersionFlag(verb, &flags->expected_version, Msg::kHelpExpectedVersionOrganisation);
  verb->footer(Say(Msg::kHelpOrgUpdateFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

std::string ListView(const v1::ListOrganisationsResponse& response) {
  std::string out = OrganisationTable(response.organisations());
  if (!response.next_page_token().empty()) {
    out += Say(Msg::kNextPage, response.next_page_token()) + "\n";
  }
  return out;
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<v1::OrganisationKind> kind;
    std::optional<v1::Domain> domain;
    std::optional<std::string> commune;
    std::optional<int32_t> page_size;
    std::optional<std::string> page_token;
    bool all = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "list", Say(Msg::kHelpOrgList), [flags](Session& session) {
    v1::ListOrganisationsRequest request;
    request.set_kind(flags->kind.value_or(v1::ORGANISATION_KIND_UNSPECIFIED));
    request.set_domain(flags->domain.value_or(v1::DOMAIN_UNSPECIFIED));
    request.set_commune(flags->commune.value_or(""));
    request.set_page_size(flags->page_size.value_or(0));
    request.set_page_token(flags->page_token.value_or(""));
    return ListAndShow(session, flags->all, request, &Stub::ListOrganisations,
                       &v1::ListOrganisationsResponse::mutable_organisations, &ListView);
  });
  AddWordFlag(verb, "--kind", OrganisationKinds(), &flags->kind, Say(Msg::kHelpOrgListKind));
  AddWordFlag(verb, "--domain", Domains(), &flags->domain, Say(Msg::kHelpOrgListDomain));
  AddTextFlag(verb, "--commune", &flags->commune, Say(Msg::kHelpOrgListCommune));
  AddNumberFlag(verb, "--page-size", &flags->page_size, Say(Msg::kHelpOrgPageSize))->type_name("N");
  AddTextFlag(verb, "--page-token", &flags->page_token, Say(Msg::kHelpPageToken))
      ->type_name("TOKEN");
  verb->add_flag("--all", flags->all, Say(Msg::kHelpAll));
}

}  // namespace

void RegisterOrgNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("org", Say(Msg::kHelpOrg), InventoryService());
  AddRegister(cli, noun);
  AddGet(cli, noun);
  AddUpdate(cli, noun);
  AddList(cli, noun);
}

}  // namespace relais::cli
