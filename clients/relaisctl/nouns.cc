#include "clients/relaisctl/nouns.h"

namespace relais::cli {

void RegisterNouns(Cli& cli) {
  // One line per noun.
  RegisterCrisisNoun(cli);
  RegisterNeedNoun(cli);
  RegisterRequestNoun(cli);
  RegisterAssignmentNoun(cli);
  RegisterOrgNoun(cli);
  RegisterResponderNoun(cli);
  RegisterAvailabilityNoun(cli);
  RegisterTeamNoun(cli);
  RegisterWarehouseNoun(cli);
  RegisterStockNoun(cli);
  RegisterHoldNoun(cli);
  RegisterImportNoun(cli);
  RegisterAuditNoun(cli);
  RegisterAdminNoun(cli);
}

ServiceAddress InventoryService() {
  return {.env_var = "RELAIS_INVENTORY_ADDR", .default_target = "127.0.0.1:50052"};
}

ServiceAddress MobilisationService() {
  return {.env_var = "RELAIS_MOBILISATION_ADDR",
          .default_target = "127.0.0.1:50053",
          .flag = "--mobilisation"};
}

std::string ListedOrganisation(const std::optional<std::string>& organisation_id,
                               const Session& session) {
  return organisation_id.value_or(session.settings().organisation);
}

}  // namespace relais::cli
