#include "clients/relaisctl/nouns.h"

namespace relais::cli {

void RegisterNouns(Cli& cli) {
  // One line per noun; later: team, warehouse, stock, request, assignment, board, watch,
  // directory, admin.
  RegisterCrisisNoun(cli);
  RegisterOrgNoun(cli);
  RegisterResponderNoun(cli);
  RegisterAvailabilityNoun(cli);
}

ServiceAddress InventoryService() {
  return {.env_var = "RELAIS_INVENTORY_ADDR", .default_target = "127.0.0.1:50052"};
}

}  // namespace relais::cli
