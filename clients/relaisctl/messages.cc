#include "clients/relaisctl/messages.h"

namespace relais::cli {
namespace {

// A switch rather than a table: the compiler (-Wswitch, -Werror) refuses a missing text.
std::string_view English(Msg id) {
  switch (id) {
    case Msg::kUsageLine:
      return "relaisctl: $0";
    case Msg::kUsageHint:
      return "Run '$0 --help' for usage.";
    case Msg::kErrorLine:
      return "relaisctl: $0: $1";
    case Msg::kErrorServerHint:
      return " (server $0)";
    case Msg::kErrorRetryHint:
      return " (outcome unknown: run again with $0, it will not apply twice)";
    case Msg::kBadWord:
      return "'$0' is not one of $1";
    case Msg::kBadTime:
      return "'$0' is not an RFC 3339 time such as 2026-12-01T08:00:00Z";
    case Msg::kBadTimeout:
      return "'$0' is not a duration such as 10s, 500ms or 1m30s";
    case Msg::kNeedInvalid:
      return "'$0': $1";
    case Msg::kNeedEmpty:
      return "empty need: expected KIND:CODE=QUANTITY[,KEY=VALUE...], e.g. skill:nurse=4";
    case Msg::kNeedNoKind:
      return "'$0' does not start with KIND:CODE=QUANTITY, e.g. skill:nurse=4";
    case Msg::kNeedBadKind:
      return "kind '$0' is not one of $1";
    case Msg::kNeedNoCode:
      return "no catalogue code after '$0:'";
    case Msg::kNeedNoQuantity:
      return "no quantity: write $0=<number>";
    case Msg::kNeedQuantityName:
      return "quantity";
    case Msg::kNeedNotANumber:
      return "$0: '$1' is not a whole number";
    case Msg::kNeedEmptyCode:
      return "$0: empty code in '$1' (separate codes with +)";
    case Msg::kNeedBadPriority:
      return "priority: '$0' is not one of $1";
    case Msg::kNeedBadTime:
      return "by: '$0' is not an RFC 3339 time such as 2026-12-01T08:00:00Z";
    case Msg::kNeedUnknownKey:
      return "unknown key '$0' (known: priority, by, days, level, lang, cert)";
    case Msg::kNeedEmptyItem:
      return "empty item between commas";
    case Msg::kNeedNoValue:
      return "'$0' has no value: write $0=...";
    case Msg::kNeedKeyTwice:
      return "'$0' is given twice";
    case Msg::kUpdateAreaIncomplete:
      return "--lat, --lon, --radius-km and --country replace the whole area, with --area: "
             "missing $0";
    case Msg::kUpdateCrisisNothing:
      return "nothing to update: give at least one of the crisis flags (see --help)";
    case Msg::kUpdateNeedNothing:
      return "nothing to update: give --quantity, --priority, --by, --days, --cancel or --reason";

    case Msg::kEllipsis:
      return "…";
    case Msg::kAreaCircle:
      return "$0, $1, radius $2 km";
    case Msg::kNoCrises:
      return "No crises.";
    case Msg::kNextPage:
      return "More: add --page-token $0";
    case Msg::kNoOpenNeeds:
      return "No open needs.";
    case Msg::kOpenNeedsTitle:
      return "Needs ($0 open)";
    case Msg::kCancelledNeedsTitle:
      return "Cancelled needs ($0)";
    case Msg::kNoteLevel:
      return "level $0+";
    case Msg::kNoteLanguages:
      return "speaks $0";
    case Msg::kNoteCertifications:
      return "holds $0";
    case Msg::kColCrisisId:
      return "CRISIS";
    case Msg::kColStatus:
      return "STATUS";
    case Msg::kColKind:
      return "KIND";
    case Msg::kColSeverity:
      return "SEVERITY";
    case Msg::kColStarts:
      return "STARTS";
    case Msg::kColTitle:
      return "TITLE";
    case Msg::kColNeedId:
      return "NEED";
    case Msg::kColWhat:
      return "WHAT";
    case Msg::kColQuantity:
      return "QTY";
    case Msg::kColPriority:
      return "PRIORITY";
    case Msg::kColNeededBy:
      return "NEEDED BY";
    case Msg::kColDays:
      return "DAYS";
    case Msg::kColReason:
      return "REASON";
    case Msg::kFieldCrisis:
      return "Crisis";
    case Msg::kFieldTitle:
      return "Title";
    case Msg::kFieldStatus:
      return "Status";
    case Msg::kFieldVersion:
      return "Version";
    case Msg::kFieldKind:
      return "Kind";
    case Msg::kFieldScope:
      return "Scope";
    case Msg::kFieldSeverity:
      return "Severity";
    case Msg::kFieldUrgency:
      return "Urgency";
    case Msg::kFieldCertainty:
      return "Certainty";
    case Msg::kFieldArea:
      return "Area";
    case Msg::kFieldAreaDescription:
      return "Area name";
    case Msg::kFieldCountry:
      return "Country";
    case Msg::kFieldCommune:
      return "Commune";
    case Msg::kFieldStarts:
      return "Starts";
    case Msg::kFieldDeclared:
      return "Declared";
    case Msg::kFieldDeclaredBy:
      return "Declared by";
    case Msg::kFieldUpdated:
      return "Updated";
    case Msg::kFieldStatusReason:
      return "Status reason";
    case Msg::kFieldDescription:
      return "Description";
    case Msg::kFieldNeed:
      return "Need";
    case Msg::kFieldWhat:
      return "What";
    case Msg::kFieldQuantity:
      return "Quantity";
    case Msg::kFieldPriority:
      return "Priority";
    case Msg::kFieldNeededBy:
      return "Needed by";
    case Msg::kFieldDays:
      return "Days";
    case Msg::kFieldMinLevel:
      return "Minimum level";
    case Msg::kFieldLanguages:
      return "Languages";
    case Msg::kFieldCertifications:
      return "Certifications";
    case Msg::kFieldCancelReason:
      return "Cancelled because";
    case Msg::kFieldCreated:
      return "Created";

    case Msg::kHelpApp:
      return "relaisctl: the command line of Relais for coordinators, OSIs and responders.";
    case Msg::kHelpAppFooter:
      return "Global flags may come anywhere on the line. RELAIS_PRINCIPAL, RELAIS_ROLE and each\n"
             "service's address variable (e.g. RELAIS_CRISIS_ADDR) stand in for flags not given.\n"
             "Exit codes: 0 done; 1 the server refused (stderr: 'relaisctl: CODE: message');\n"
             "2 usage error; 3 server unreachable after retries.";
    case Msg::kHelpNounFooter:
      return "Service address: --server, else $0, else $1.\n"
             "Global flags (--server --principal --role --json --timeout --request-id): "
             "see relaisctl --help.";
    case Msg::kHelpVerbFooter:
      return "Global flags (--server --principal --role --json --timeout --request-id): "
             "see relaisctl --help.";
    case Msg::kHelpServer:
      return "Address of the noun's service (default: its RELAIS_<SERVICE>_ADDR, else its usual "
             "local port)";
    case Msg::kHelpPrincipal:
      return "Who you are, sent as x-relais-principal (env RELAIS_PRINCIPAL; development only)";
    case Msg::kHelpRole:
      return "coordinator, osi_admin, responder, dashboard or admin, sent as x-relais-role "
             "(env RELAIS_ROLE)";
    case Msg::kHelpJson:
      return "Print the response as one JSON document with the proto field names";
    case Msg::kHelpTimeout:
      return "Deadline of each attempt, e.g. 10s, 500ms, 1m (default 10s)";
    case Msg::kHelpRequestId:
      return "Idempotency key of the write (default: a fresh random UUID); give the same one "
             "to retry a write safely";
    case Msg::kHelpExpectedVersion:
      return "Refuse (ABORTED) unless the crisis is at this version; 0 skips the check";

    case Msg::kHelpCrisis:
      return "Declare crises, state what they need, follow and close them";
    case Msg::kHelpDeclare:
      return "Declare a new crisis (status declared) with its first needs";
    case Msg::kHelpGet:
      return "Show a crisis and its needs";
    case Msg::kHelpList:
      return "List crises, newest declared first";
    case Msg::kHelpUpdate:
      return "Change a crisis' description: only the fields whose flags are given";
    case Msg::kHelpUpdateFooter:
      return "--lat, --lon, --radius-km and --country replace the whole area: give them together\n"
             "with --area (and --commune, or it is cleared). --area or --commune alone change\n"
             "just that part. Status and needs have their own verbs.";
    case Msg::kHelpAddNeed:
      return "Add a need to a crisis that is not closed";
    case Msg::kHelpUpdateNeed:
      return "Change a need's quantity, priority, date or duration, or cancel it";
    case Msg::kHelpActivate:
      return "Activate a declared or paused crisis: mobilisation may start";
    case Msg::kHelpPause:
      return "Pause an active crisis: no new mobilisation until it is activated again";
    case Msg::kHelpClose:
      return "Close a crisis for good; what is pending is cancelled";
    case Msg::kHelpCrisisId:
      return "The crisis, e.g. crs_01KZ...";
    case Msg::kHelpNeedId:
      return "The need, e.g. need_01KZ...";
    case Msg::kHelpTitle:
      return "Short title, e.g. \"Choléra - camp de Kalemie\"";
    case Msg::kHelpKind:
      return "Kind of emergency";
    case Msg::kHelpScope:
      return "Local: in the Lyon metropolitan area; abroad: deployment from Lyon";
    case Msg::kHelpSeverity:
      return "CAP severity";
    case Msg::kHelpUrgency:
      return "CAP urgency";
    case Msg::kHelpCertainty:
      return "CAP certainty";
    case Msg::kHelpLat:
      return "Latitude of the area's centre, decimal degrees";
    case Msg::kHelpLon:
      return "Longitude of the area's centre, decimal degrees";
    case Msg::kHelpRadius:
      return "Radius of the area, kilometres";
    case Msg::kHelpAreaDescription:
      return "The area as people name it, e.g. \"Vaulx-en-Velin, Mas du Taureau\"";
    case Msg::kHelpCountry:
      return "ISO 3166-1 alpha-2 code, e.g. FR, HT";
    case Msg::kHelpCommune:
      return "Commune or district, e.g. Villeurbanne";
    case Msg::kHelpStarts:
      return "When it started or starts, RFC 3339";
    case Msg::kHelpStartsDeclare:
      return "When it started or starts, RFC 3339 (default: when declared)";
    case Msg::kHelpDescription:
      return "Free text";
    case Msg::kHelpNeed:
      return "The need (syntax below)";
    case Msg::kHelpNeeds:
      return "A need (syntax below); repeat the flag for each need";
    case Msg::kHelpNeedSyntax:
      return "A need is KIND:CODE=QUANTITY[,KEY=VALUE...] in one word:\n"
             "  KIND      skill, supply or team (catalogue code lists)\n"
             "  CODE      e.g. nurse, iehk-2017-basic-unit, who-emt-type-1-mobile\n"
             "  QUANTITY  people, supply units or teams\n"
             "  priority=low|medium|high|critical  by=<RFC 3339 time>  days=<number>\n"
             "  level=<0-5>  lang=<code>[+<code>...]  cert=<code>[+<code>...]\n"
             "e.g. --need \"skill:nurse=4,priority=high,days=14,by=2026-12-01T08:00:00Z,"
             "lang=fr+en\"";
    case Msg::kHelpListStatus:
      return "Only crises in this status";
    case Msg::kHelpListKind:
      return "Only crises of this kind";
    case Msg::kHelpPageSize:
      return "Crises per page, 1 to 200 (default 50)";
    case Msg::kHelpPageToken:
      return "Start at this page (from a previous list)";
    case Msg::kHelpAll:
      return "Follow the pages to the last one";
    case Msg::kHelpQuantity:
      return "How many people, supply units or teams";
    case Msg::kHelpPriority:
      return "Priority";
    case Msg::kHelpBy:
      return "When they must be there, RFC 3339";
    case Msg::kHelpDays:
      return "How long people or teams are wanted, in days";
    case Msg::kHelpCancel:
      return "Cancel the need, for good (needs --reason)";
    case Msg::kHelpCancelReason:
      return "Why the need is cancelled";
    case Msg::kHelpPauseReason:
      return "Why, shown to everyone following the crisis";
    case Msg::kHelpCloseReason:
      return "Why the crisis is closed";
  }
  return "?";  // an id outside the enum: a bug, but not worth a crash in a message
}

}  // namespace

std::string_view Text(Msg id) { return English(id); }

}  // namespace relais::cli
