// relaisctl crisis declare|get|list|update|add-need|update-need|activate|pause|close: the crisis
// registry (proto/relais/v1/crisis_registry.proto); crisis board|outreach|watch: how the crisis'
// mobilisation goes, from the mobilisation service (proto/relais/v1/mobilisation.proto).
#include <grpcpp/client_context.h>

#include <memory>
#include <string>
#include <vector>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/crisis_requests.h"
#include "clients/relaisctl/crisis_views.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/mobilisation_requests.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/need_syntax.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/watch.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "relais/v1/mobilisation.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::CrisisRegistry::Stub;

// --need is checked while parsing, so this only fails if the two disagree.
absl::StatusOr<std::vector<v1::NeedSpec>> ParseNeeds(const std::vector<std::string>& texts) {
  std::vector<v1::NeedSpec> needs;
  for (const std::string& text : texts) {
    absl::StatusOr<v1::NeedSpec> need = ParseNeed(text);
    if (!need.ok()) return need.status();
    needs.push_back(*std::move(need));
  }
  return needs;
}

CLI::Option* AddNeedFlag(CLI::App* verb, std::vector<std::string>* into, Msg help) {
  return verb->add_option("--need", *into, Say(help))
      ->allow_extra_args(false)  // one need per --need, so a positional after it stays one
      ->check(CLI::Validator(
          [](std::string& text) {
            const absl::StatusOr<v1::NeedSpec> need = ParseNeed(text);
            if (need.ok()) return std::string();
            return Say(Msg::kNeedInvalid, text, std::string(need.status().message()));
          },
          ""))
      ->type_name("KIND:CODE=QUANTITY[,KEY=VALUE...]");
}

// The descriptive flags of declare and update.
void AddCrisisFieldFlags(CLI::App* verb, CrisisFields* f, Msg starts_help) {
  AddTextFlag(verb, "--title", &f->title, Say(Msg::kHelpTitle));
  AddWordFlag(verb, "--kind", CrisisKinds(), &f->kind, Say(Msg::kHelpKind));
  AddWordFlag(verb, "--scope", CrisisScopes(), &f->scope, Say(Msg::kHelpScope));
  AddWordFlag(verb, "--severity", Severities(), &f->severity, Say(Msg::kHelpSeverity));
  AddWordFlag(verb, "--urgency", Urgencies(), &f->urgency, Say(Msg::kHelpUrgency));
  AddWordFlag(verb, "--certainty", Certainties(), &f->certainty, Say(Msg::kHelpCertainty));
  AddNumberFlag(verb, "--lat", &f->lat, Say(Msg::kHelpLat))->type_name("DEGREES");
  AddNumberFlag(verb, "--lon", &f->lon, Say(Msg::kHelpLon))->type_name("DEGREES");
  AddNumberFlag(verb, "--radius-km", &f->radius_km, Say(Msg::kHelpRadius))->type_name("KM");
  AddTextFlag(verb, "--area", &f->area, Say(Msg::kHelpAreaDescription));
  AddTextFlag(verb, "--country", &f->country, Say(Msg::kHelpCountry))->type_name("CC");
  AddTextFlag(verb, "--commune", &f->commune, Say(Msg::kHelpCommune));
  AddTimeFlag(verb, "--starts", &f->starts, Say(starts_help));
  AddTextFlag(verb, "--description", &f->description, Say(Msg::kHelpDescription));
}

CLI::App* AddCrisisId(CLI::App* verb, std::string* into) {
  verb->add_option("crisis-id", *into, Say(Msg::kHelpCrisisId))->required();
  return verb;
}

void AddDeclare(Cli& cli, CLI::App* noun) {
  struct Flags {
    CrisisFields fields;
    std::vector<std::string> needs;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "declare", Say(Msg::kHelpDeclare), [flags](Session& session) {
    absl::StatusOr<std::vector<v1::NeedSpec>> needs = ParseNeeds(flags->needs);
    if (!needs.ok()) return session.UsageError(std::string(needs.status().message()));
    // Without --starts the server starts the crisis when it declares it: the request holds no
    // "now" of ours, so running the same command again with --request-id is the same request.
    const v1::DeclareCrisisRequest request =
        BuildDeclareRequest(flags->fields, *needs, session.settings().request_id);
    return CallAndShow(session, CallKind::kWrite, request, &Stub::DeclareCrisis, &CrisisDetail);
  });
  AddCrisisFieldFlags(verb, &flags->fields, Msg::kHelpStartsDeclare);
  // 0 is a valid latitude and longitude: a forgotten one would silently mean the equator or
  // Greenwich, so these two are required here rather than left to the server.
  verb->get_option("--lat")->required();
  verb->get_option("--lon")->required();
  AddNeedFlag(verb, &flags->needs, Msg::kHelpNeeds);
  verb->footer(Say(Msg::kHelpNeedSyntax) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto crisis_id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpGet), [crisis_id](Session& session) {
    v1::GetCrisisRequest request;
    request.set_crisis_id(*crisis_id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetCrisis, &CrisisDetail);
  });
  AddCrisisId(verb, crisis_id.get());
}

std::string ListView(const v1::ListCrisesResponse& response) {
  std::string out = CrisisTable(response.crises());
  if (!response.next_page_token().empty()) {
    out += Say(Msg::kNextPage, response.next_page_token()) + "\n";
  }
  return out;
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<v1::CrisisStatus> status;
    std::optional<v1::CrisisKind> kind;
    std::optional<int32_t> page_size;
    std::optional<std::string> page_token;
    bool all = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "list", Say(Msg::kHelpList), [flags](Session& session) {
    v1::ListCrisesRequest request;
    request.set_status(flags->status.value_or(v1::CRISIS_STATUS_UNSPECIFIED));
    request.set_kind(flags->kind.value_or(v1::CRISIS_KIND_UNSPECIFIED));
    request.set_page_size(flags->page_size.value_or(0));
    request.set_page_token(flags->page_token.value_or(""));
    return ListAndShow(session, flags->all, request, &Stub::ListCrises,
                       &v1::ListCrisesResponse::mutable_crises, &ListView);
  });
  AddWordFlag(verb, "--status", CrisisStatuses(), &flags->status, Say(Msg::kHelpListStatus));
  AddWordFlag(verb, "--kind", CrisisKinds(), &flags->kind, Say(Msg::kHelpListKind));
  AddNumberFlag(verb, "--page-size", &flags->page_size, Say(Msg::kHelpPageSize))->type_name("N");
  AddTextFlag(verb, "--page-token", &flags->page_token, Say(Msg::kHelpPageToken))
      ->type_name("TOKEN");
  verb->add_flag("--all", flags->all, Say(Msg::kHelpAll));
}

void AddUpdate(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string crisis_id;
    CrisisFields fields;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "update", Say(Msg::kHelpUpdate), [flags](Session& session) {
    absl::StatusOr<v1::UpdateCrisisRequest> request = BuildUpdateRequest(
        flags->crisis_id, flags->fields, flags->expected_version, session.settings().request_id);
    if (!request.ok()) return session.UsageError(std::string(request.status().message()));
    return CallAndShow(session, CallKind::kWrite, *request, &Stub::UpdateCrisis, &CrisisDetail);
  });
  AddCrisisId(verb, &flags->crisis_id);
  AddCrisisFieldFlags(verb, &flags->fields, Msg::kHelpStarts);
  AddExpectedVersionFlag(verb, &flags->expected_version);
  verb->footer(Say(Msg::kHelpUpdateFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddAddNeed(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string crisis_id;
    std::vector<std::string> need;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, "add-need", Say(Msg::kHelpAddNeed), [flags](Session& session) {
    absl::StatusOr<std::vector<v1::NeedSpec>> needs = ParseNeeds(flags->need);
    if (!needs.ok()) return session.UsageError(std::string(needs.status().message()));
    v1::AddNeedRequest request;
    request.set_request_id(session.settings().request_id);
    request.set_crisis_id(flags->crisis_id);
    *request.mutable_need() = needs->front();
    request.set_expected_version(flags->expected_version);
    return CallAndShow(session, CallKind::kWrite, request, &Stub::AddNeed, &NeedDetail);
  });
  AddCrisisId(verb, &flags->crisis_id);
  // One need per call: the server returns that need, and one request_id covers one change.
  AddNeedFlag(verb, &flags->need, Msg::kHelpNeed)->required()->expected(1);
  AddExpectedVersionFlag(verb, &flags->expected_version);
  verb->footer(Say(Msg::kHelpNeedSyntax) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddUpdateNeed(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string crisis_id;
    std::string need_id;
    NeedChanges changes;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "update-need", Say(Msg::kHelpUpdateNeed), [flags](Session& session) {
        absl::StatusOr<v1::UpdateNeedRequest> request =
            BuildUpdateNeedRequest(flags->crisis_id, flags->need_id, flags->changes,
                                   flags->expected_version, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::UpdateNeed, &NeedDetail);
      });
  AddCrisisId(verb, &flags->crisis_id);
  verb->add_option("need-id", flags->need_id, Say(Msg::kHelpNeedId))->required();
  NeedChanges& c = flags->changes;
  AddNumberFlag(verb, "--quantity", &c.quantity, Say(Msg::kHelpQuantity))->type_name("N");
  AddWordFlag(verb, "--priority", NeedPriorities(), &c.priority, Say(Msg::kHelpPriority));
  AddTimeFlag(verb, "--by", &c.by, Say(Msg::kHelpBy));
  AddNumberFlag(verb, "--days", &c.days, Say(Msg::kHelpDays))->type_name("N");
  CLI::Option* reason = AddTextFlag(verb, "--reason", &c.reason, Say(Msg::kHelpCancelReason));
  verb->add_flag("--cancel", c.cancel, Say(Msg::kHelpCancel))->needs(reason);
  AddExpectedVersionFlag(verb, &flags->expected_version);
}

// activate, pause and close: a crisis id, a reason for the last two, an expected version.
template <typename Request>
void AddTransition(Cli& cli, CLI::App* noun, const std::string& name, Msg help,
                   std::optional<Msg> reason_help,
                   grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                v1::Crisis*)) {
  struct Flags {
    std::string crisis_id;
    std::string reason;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(noun, name, Say(help), [flags, method](Session& session) {
    Request request;
    request.set_request_id(session.settings().request_id);
    request.set_crisis_id(flags->crisis_id);
    if constexpr (requires { request.set_reason(flags->reason); }) {
      request.set_reason(flags->reason);
    }
    request.set_expected_version(flags->expected_version);
    return CallAndShow(session, CallKind::kWrite, request, method, &CrisisDetail);
  });
  AddCrisisId(verb, &flags->crisis_id);
  if (reason_help) {
    verb->add_option("--reason", flags->reason, Say(*reason_help))->required()->type_name("TEXT");
  }
  AddExpectedVersionFlag(verb, &flags->expected_version);
}

using MobilisationStub = v1::Mobilisation::Stub;

void AddBoard(Cli& cli, CLI::App* noun) {
  auto crisis_id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(
      noun, "board", Say(Msg::kHelpCrisisBoard),
      [crisis_id](Session& session) {
        v1::GetCrisisBoardRequest request;
        request.set_crisis_id(*crisis_id);
        return CallAndShow(session, CallKind::kRead, request, &MobilisationStub::GetCrisisBoard,
                           &CrisisBoardView);
      },
      MobilisationService());
  AddCrisisId(verb, crisis_id.get());
}

void AddOutreach(Cli& cli, CLI::App* noun) {
  auto crisis_id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(
      noun, "outreach", Say(Msg::kHelpCrisisOutreach),
      [crisis_id](Session& session) {
        v1::GetOutreachRequest request;
        request.set_crisis_id(*crisis_id);
        return CallAndShow(session, CallKind::kRead, request, &MobilisationStub::GetOutreach,
                           &OutreachView);
      },
      MobilisationService());
  AddCrisisId(verb, crisis_id.get());
}

// Takes the board of each crisis and prints it; `cursor` becomes the earliest of their cursors,
// so that no crisis misses an event (another may see a few twice).
grpc::Status TakeBoards(Session& session, MobilisationStub& stub,
                        const std::vector<std::string>& crisis_ids, std::string* cursor) {
  std::string earliest;
  for (const std::string& crisis_id : crisis_ids) {
    v1::GetCrisisBoardRequest request;
    request.set_crisis_id(crisis_id);
    v1::CrisisBoard board;
    const grpc::Status status = session.Call([&](grpc::ClientContext& context) {
      return stub.GetCrisisBoard(&context, request, &board);
    });
    if (!status.ok()) return status;
    session.out() << (session.settings().json ? JsonLineUnder("board", board)
                                              : CrisisBoardView(board) + "\n");
    if (earliest.empty() || CompareCursors(board.cursor(), earliest) < 0) earliest = board.cursor();
  }
  session.out().flush();
  *cursor = earliest;
  return grpc::Status::OK;
}

void AddWatch(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::vector<std::string> crisis_ids;
    std::optional<std::string> cursor;
    std::optional<int64_t> once;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(
      noun, "watch", Say(Msg::kHelpCrisisWatch),
      [flags](Session& session) {
        if (flags->once && *flags->once < 1) return session.UsageError(Say(Msg::kOnceAtLeastOne));
        const std::vector<std::string>& crisis_ids = flags->crisis_ids;
        MobilisationStub stub(session.Channel());
        WatchSpec spec;
        spec.open = [&](grpc::ClientContext* context, const std::string& cursor) {
          v1::WatchMobilisationRequest request;
          for (const std::string& id : crisis_ids) request.add_crisis_ids(id);
          request.set_cursor(cursor);
          return std::unique_ptr<UpdateReader>(stub.WatchMobilisation(context, request));
        };
        spec.resync = [&](std::string* cursor) {
          if (crisis_ids.empty()) {
            // No board covers every crisis: go on from now.
            session.err() << Say(Msg::kWatchNoSnapshot) << "\n";
            cursor->clear();
            return grpc::Status::OK;
          }
          return TakeBoards(session, stub, crisis_ids, cursor);
        };
        spec.show_crisis = crisis_ids.size() != 1;
        spec.once = flags->once;
        std::string cursor = flags->cursor.value_or("");
        // One crisis and nowhere to resume from: its board first, then what follows it.
        if (crisis_ids.size() == 1 && !flags->cursor) {
          const grpc::Status status = TakeBoards(session, stub, crisis_ids, &cursor);
          if (!status.ok()) {
            return session.Finish(
                status, v1::CrisisBoard(), [] { return std::string(); }, CallKind::kRead);
          }
        }
        return Watch(session, spec, cursor);
      },
      MobilisationService());
  verb->add_option("crisis-id", flags->crisis_ids, Say(Msg::kHelpWatchCrisisIds));
  AddTextFlag(verb, "--cursor", &flags->cursor, Say(Msg::kHelpWatchCursor))->type_name("CURSOR");
  AddNumberFlag(verb, "--once", &flags->once, Say(Msg::kHelpWatchOnce))->type_name("N");
  verb->footer(Say(Msg::kHelpWatchFooter) + "\n\n" + verb->get_footer());
}

}  // namespace

void RegisterCrisisNoun(Cli& cli) {
  CLI::App* noun =
      cli.AddNoun("crisis", Say(Msg::kHelpCrisis),
                  {.env_var = "RELAIS_CRISIS_ADDR", .default_target = "127.0.0.1:50051"});
  AddDeclare(cli, noun);
  AddGet(cli, noun);
  AddList(cli, noun);
  AddUpdate(cli, noun);
  AddAddNeed(cli, noun);
  AddUpdateNeed(cli, noun);
  AddTransition<v1::ActivateCrisisRequest>(cli, noun, "activate", Msg::kHelpActivate, std::nullopt,
                                           &Stub::ActivateCrisis);
  AddTransition<v1::PauseCrisisRequest>(cli, noun, "pause", Msg::kHelpPause, Msg::kHelpPauseReason,
                                        &Stub::PauseCrisis);
  AddTransition<v1::CloseCrisisRequest>(cli, noun, "close", Msg::kHelpClose, Msg::kHelpCloseReason,
                                        &Stub::CloseCrisis);
  AddBoard(cli, noun);
  AddOutreach(cli, noun);
  AddWatch(cli, noun);
  noun->footer(noun->get_footer() + "\n" + Say(Msg::kHelpCrisisMobilisationVerbs));
}

}  // namespace relais::cli
