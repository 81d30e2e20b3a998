// relaisctl warehouse register|get|list: the places where an organisation keeps supplies
// (proto/relais/v1/stock.proto, served by the resource inventory).
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

void AddRegister(Cli& cli, CLI::App* noun) {
  auto f = std::make_shared<WarehouseFields>();
  CLI::App* verb =
      cli.AddVerb(noun, "register", Say(Msg::kHelpWarehouseRegister), [f](Session& session) {
        const v1::RegisterWarehouseRequest request =
            BuildRegisterWarehouseRequest(*f, session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::RegisterWarehouse,
                           &WarehouseDetail);
      });
  AddTextFlag(verb, "--name", &f->name, Say(Msg::kHelpWarehouseName));
  AddTextFlag(verb, "--commune", &f->commune, Say(Msg::kHelpWarehouseCommune));
  // 0 is a valid latitude and longitude: a forgotten one would silently mean the equator.
  AddNumberFlag(verb, "--lat", &f->lat, Say(Msg::kHelpWarehouseLat))
      ->type_name("DEGREES")
      ->required();
  AddNumberFlag(verb, "--lon", &f->lon, Say(Msg::kHelpWarehouseLon))
      ->type_name("DEGREES")
      ->required();
  AddTextFlag(verb, "--external-ref", &f->external_ref, Say(Msg::kHelpExternalRefOwn))
      ->type_name("REF");
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpWarehouseGet), [id](Session& session) {
    v1::GetWarehouseRequest request;
    request.set_warehouse_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetWarehouse, &WarehouseDetail);
  });
  verb->add_option("warehouse-id", *id, Say(Msg::kHelpWarehouseId))->required();
}

std::string ListView(const v1::ListWarehousesResponse& response) {
  return WithNextPage(WarehouseTable(response.warehouses()), response.next_page_token());
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> organisation_id;
    PageFlags page;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "list", Say(Msg::kHelpWarehouseList), [flags](Session& session) {
        const std::string organisation = ListedOrganisation(flags->organisation_id, session);
        if (organisation.empty()) {
          return session.UsageError(std::string(Text(Msg::kListWarehousesNoOrganisation)));
        }
        v1::ListWarehousesRequest request;
        request.set_organisation_id(organisation);
        request.set_page_size(flags->page.page_size.value_or(0));
        request.set_page_token(flags->page.page_token.value_or(""));
        return ListAndShow(session, flags->page.all, request, &Stub::ListWarehouses,
                           &v1::ListWarehousesResponse::mutable_warehouses, &ListView);
      });
  AddTextFlag(verb, "--organisation-id", &flags->organisation_id,
              Say(Msg::kHelpWarehouseListOrganisationId))
      ->type_name("ORG");
  AddPageFlags(verb, &flags->page, Msg::kHelpWarehousePageSize);
}

}  // namespace

void RegisterWarehouseNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("warehouse", Say(Msg::kHelpWarehouse), InventoryService());
  AddRegister(cli, noun);
  AddGet(cli, noun);
  AddList(cli, noun);
}

}  // namespace relais::cli
