// relaisctl stock offer|adjust|list|find: the supply lines in an organisation's warehouses and the
// search for units near a place (proto/relais/v1/stock.proto, served by the resource inventory).
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

// The detail view needs the clock: it marks a lot that has expired.
View<v1::StockLine> Detail(Session& session) {
  const absl::Time now = session.Now();
  return [now](const v1::StockLine& line) { return StockLineDetail(line, now); };
}

void AddOffer(Cli& cli, CLI::App* noun) {
  auto f = std::make_shared<SupplyFields>();
  CLI::App* verb = cli.AddVerb(noun, "offer", Say(Msg::kHelpStockOffer), [f](Session& session) {
    const v1::OfferSuppliesRequest request =
        BuildOfferSuppliesRequest(*f, session.settings().request_id);
    return CallAndShow(session, CallKind::kWrite, request, &Stub::OfferSupplies, Detail(session));
  });
  AddTextFlag(verb, "--warehouse", &f->warehouse_id, Say(Msg::kHelpStockWarehouse))
      ->type_name("WAREHOUSE");
  AddTextFlag(verb, "--item", &f->item_code, Say(Msg::kHelpStockItem))->type_name("CODE");
  AddTextFlag(verb, "--lot", &f->lot, Say(Msg::kHelpStockLot))->type_name("LOT");
  AddNumberFlag(verb, "--quantity", &f->quantity, Say(Msg::kHelpStockQuantity))->type_name("N");
  AddDateFlag(verb, "--expires", &f->expires, Say(Msg::kHelpStockExpires));
  AddTextFlag(verb, "--external-ref", &f->external_ref, Say(Msg::kHelpExternalRefOwn))
      ->type_name("REF");
}

void AddAdjust(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string line_id;
    std::optional<int64_t> delta;
    std::optional<v1::AdjustmentReason> reason;
    std::optional<std::string> note;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "adjust", Say(Msg::kHelpStockAdjust), [flags](Session& session) {
        // --delta and --reason are required: CLI11 has checked they are there.
        const v1::AdjustStockRequest request =
            BuildAdjustStockRequest(flags->line_id, *flags->delta, *flags->reason, flags->note,
                                    session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::AdjustStock, Detail(session));
      });
  verb->add_option("stock-line-id", flags->line_id, Say(Msg::kHelpStockLineId))->required();
  AddNumberFlag(verb, "--delta", &flags->delta, Say(Msg::kHelpStockDelta))
      ->type_name("N")
      ->required();
  AddWordFlag(verb, "--reason", AdjustmentReasons(), &flags->reason, Say(Msg::kHelpStockReason))
      ->required();
  AddTextFlag(verb, "--note", &flags->note, Say(Msg::kHelpStockNote));
}

std::string ListView(const v1::ListStockResponse& response) {
  return WithNextPage(StockTable(response.lines()), response.next_page_token());
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    StockFilter filter;
    PageFlags page;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "list", Say(Msg::kHelpStockList), [flags](Session& session) {
    absl::StatusOr<v1::ListStockRequest> request =
        BuildListStockRequest(flags->filter, session.settings().organisation);
    if (!request.ok()) return session.UsageError(std::string(request.status().message()));
    request->set_page_size(flags->page.page_size.value_or(0));
    request->set_page_token(flags->page.page_token.value_or(""));
    return ListAndShow(session, flags->page.all, *request, &Stub::ListStock,
                       &v1::ListStockResponse::mutable_lines, &ListView);
  });
  AddTextFlag(verb, "--warehouse", &flags->filter.warehouse_id, Say(Msg::kHelpStockListWarehouse))
      ->type_name("WAREHOUSE");
  AddTextFlag(verb, "--organisation-id", &flags->filter.organisation_id,
              Say(Msg::kHelpStockListOrganisationId))
      ->type_name("ORG");
  AddTextFlag(verb, "--item", &flags->filter.item_code, Say(Msg::kHelpStockListItem))
      ->type_name("CODE");
  AddPageFlags(verb, &flags->page, Msg::kHelpStockPageSize);
}

void AddFind(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> item;
    std::optional<v1::GeoPoint> near;
    std::optional<int64_t> quantity;
    std::optional<absl::Time> not_expiring_before;
    std::optional<std::vector<std::string>> exclude;
    std::optional<int32_t> page_size;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "find", Say(Msg::kHelpStockFind), [flags](Session& session) {
    // --item, --near and --quantity are required: CLI11 has checked they are there.
    const SupplySearch search = {.item_code = *flags->item,
                                 .near = *flags->near,
                                 .quantity = *flags->quantity,
                                 .not_expiring_before = flags->not_expiring_before,
                                 .exclude = flags->exclude,
                                 .page_size = flags->page_size};
    const int64_t quantity = *flags->quantity;
    return CallAndShow(session, CallKind::kRead, BuildFindSuppliesRequest(search),
                       &Stub::FindSupplies, [quantity](const v1::FindSuppliesResponse& response) {
                         return SupplyMatchesView(response, quantity);
                       });
  });
  AddTextFlag(verb, "--item", &flags->item, Say(Msg::kHelpStockItem))
      ->type_name("CODE")
      ->required();
  AddParsedFlag(verb, "--near", &flags->near, &ParsePoint, Say(Msg::kHelpStockNear))
      ->type_name("LAT,LON")
      ->required();
  AddNumberFlag(verb, "--quantity", &flags->quantity, Say(Msg::kHelpStockFindQuantity))
      ->type_name("N")
      ->required();
  AddDateFlag(verb, "--not-expiring-before", &flags->not_expiring_before,
              Say(Msg::kHelpNotExpiringBefore));
  AddTextsFlag(verb, "--exclude", &flags->exclude, Say(Msg::kHelpStockExclude))->type_name("LINE");
  AddNumberFlag(verb, "--page-size", &flags->page_size, Say(Msg::kHelpStockFindPageSize))
      ->type_name("N");
}

}  // namespace

void RegisterStockNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("stock", Say(Msg::kHelpStock), InventoryService());
  AddOffer(cli, noun);
  AddAdjust(cli, noun);
  AddList(cli, noun);
  AddFind(cli, noun);
}

}  // namespace relais::cli
