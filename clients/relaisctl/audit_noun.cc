// relaisctl audit crisis|organisation|responder ID: the audit trail of one subject, newest first:
// what changed, when, by whom and on whose behalf (ListAuditRecords, served by the resource
// inventory). Records carry ids only; names are looked up with the other nouns, by those allowed.
#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "relais/v1/inventory.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::ResourceInventory::Stub;

std::string AuditView(const v1::ListAuditRecordsResponse& response) {
  std::string out;
  if (response.records().empty()) {
    out = Say(Msg::kNoAuditRecords) + "\n";
  } else {
    for (const v1::Event& record : response.records()) {
      out += EventLine(record, /*show_crisis=*/true);
      out += Say(Msg::kAuditRecordSource, record.service(), record.request_id()) + "\n";
    }
  }
  if (response.retention_days() > 0) {
    out += Say(Msg::kAuditRetention, response.retention_days()) + "\n";
  }
  return WithNextPage(out, response.next_page_token());
}

// One verb per kind of subject; `set_subject` puts the id in its field of the request.
using SetSubject = void (*)(v1::ListAuditRecordsRequest&, const std::string&);

void AddSubject(Cli& cli, CLI::App* noun, const std::string& name, Msg help, Msg id_help,
                SetSubject set_subject) {
  struct Flags {
    std::string id;
    PageFlags page;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, name, Say(help), [flags, set_subject](Session& session) {
    v1::ListAuditRecordsRequest request;
    set_subject(request, flags->id);
    request.set_page_size(flags->page.page_size.value_or(0));
    request.set_page_token(flags->page.page_token.value_or(""));
    return ListAndShow(session, flags->page.all, request, &Stub::ListAuditRecords,
                       &v1::ListAuditRecordsResponse::mutable_records, &AuditView);
  });
  verb->add_option(name + "-id", flags->id, Say(id_help))->required();
  AddPageFlags(verb, &flags->page, Msg::kHelpAuditPageSize);
}

}  // namespace

void RegisterAuditNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("audit", Say(Msg::kHelpAudit), InventoryService());
  AddSubject(cli, noun, "crisis", Msg::kHelpAuditCrisis, Msg::kHelpCrisisId,
             [](v1::ListAuditRecordsRequest& r, const std::string& id) { r.set_crisis_id(id); });
  AddSubject(
      cli, noun, "organisation", Msg::kHelpAuditOrganisation, Msg::kHelpOrganisationId,
      [](v1::ListAuditRecordsRequest& r, const std::string& id) { r.set_organisation_id(id); });
  AddSubject(cli, noun, "responder", Msg::kHelpAuditResponder, Msg::kHelpResponderId,
             [](v1::ListAuditRecordsRequest& r, const std::string& id) { r.set_responder_id(id); });
}

}  // namespace relais::cli
