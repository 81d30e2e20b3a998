#include "clients/relaisctl/nouns.h"

namespace relais::cli {

void RegisterNouns(Cli& cli) {
  // One line per noun; later: org, responder, team, availability, warehouse, stock, request,
  // assignment, board, watch, directory, admin.
  RegisterCrisisNoun(cli);
}

}  // namespace relais::cli
