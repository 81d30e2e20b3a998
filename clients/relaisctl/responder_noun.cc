// relaisctl responder register|get|update|list|remove|find|experience|export: the responders an
// organisation offers, the search for who can go, their past missions
// (proto/relais/v1/inventory.proto). Their records hold personal data: remove erases it, export
// gathers all of it (responder_export.h).
#include <filesystem>
#include <memory>
#include <string>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/inventory_requests.h"
#include "clients/relaisctl/inventory_syntax.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/responder_export.h"
#include "relais/v1/inventory.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::ResourceInventory::Stub;

// The flags of register and update; the --no-* ones only on update.
void AddResponderFieldFlags(CLI::App* verb, ResponderFields* f, bool update) {
  AddTextFlag(verb, "--name", &f->name, Say(Msg::kHelpResponderName));
  AddTextFlag(verb, "--external-ref", &f->external_ref, Say(Msg::kHelpExternalRef))
      ->type_name("REF");
  AddSyntaxFlag(verb, "--skill", &f->skills, &ParseSkill, Say(Msg::kHelpSkill))
      ->type_name("CODE:LEVEL");
  CLI::Option* lang =
      AddSyntaxFlag(verb, "--lang", &f->languages, &ParseLanguage, Say(Msg::kHelpLanguage))
          ->type_name("CODE");
  CLI::Option* cert =
      AddSyntaxFlag(verb, "--cert", &f->certifications, &ParseCertification, Say(Msg::kHelpCert))
          ->type_name("CODE[:DATE]");
  CLI::Option* until =
      AddDateFlag(verb, "--passport-until", &f->passport_until, Say(Msg::kHelpPassportUntil));
  CLI::Option* country =
      AddTextFlag(verb, "--passport-country", &f->passport_country, Say(Msg::kHelpPassportCountry))
          ->type_name("CC");
  AddNumberFlag(verb, "--lat", &f->lat, Say(Msg::kHelpHomeLat))->type_name("DEGREES");
  AddNumberFlag(verb, "--lon", &f->lon, Say(Msg::kHelpHomeLon))->type_name("DEGREES");
  AddTextFlag(verb, "--commune", &f->commune, Say(Msg::kHelpHomeCommune));
  AddNumberFlag(verb, "--max-days", &f->max_days, Say(Msg::kHelpMaxDays))->type_name("N");
  AddSyntaxFlag(verb, "--contact", &f->contacts, &ParseContact, Say(Msg::kHelpContact))
      ->type_name("KIND:ADDRESS");
  if (update) {
    verb->add_flag("--no-lang", f->no_languages, Say(Msg::kHelpNoLanguages))->excludes(lang);
    verb->add_flag("--no-cert", f->no_certifications, Say(Msg::kHelpNoCertifications))
        ->excludes(cert);
    verb->add_flag("--no-passport", f->no_passport, Say(Msg::kHelpNoPassport))
        ->excludes(until)
        ->excludes(country);
  }
  std::string footer = Say(Msg::kHelpResponderSyntax) + "\n\n";
  if (update) footer += Say(Msg::kHelpResponderUpdateFooter) + "\n\n";
  verb->footer(footer + Say(Msg::kHelpVerbFooter));
}

CLI::Option* AddResponderId(CLI::App* verb, std::string* into) {
  return verb->add_option("responder-id", *into, Say(Msg::kHelpResponderId))->required();
}

// The detail view needs the clock: it marks what has lapsed.
View<v1::Responder> Detail(Session& session) {
  const absl::Time now = session.Now();
  return [now](const v1::Responder& responder) { return ResponderDetail(responder, now); };
}

void AddRegister(Cli& cli, CLI::App* noun) {
  auto fields = std::make_shared<ResponderFields>();
  CLI::App* verb =
      cli.AddVerb(noun, "register", Say(Msg::kHelpResponderRegister), [fields](Session& session) {
        const v1::RegisterResponderRequest request =
            BuildRegisterResponderRequest(*fields, session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::RegisterResponder,
                           Detail(session));
      });
  AddResponderFieldFlags(verb, fields.get(), /*update=*/false);
  // 0 is a valid latitude and longitude: a forgotten one would silently mean the equator.
  verb->get_option("--lat")->required();
  verb->get_option("--lon")->required();
}

void AddGet(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb = cli.AddVerb(noun, "get", Say(Msg::kHelpResponderGet), [id](Session& session) {
    v1::GetResponderRequest request;
    request.set_responder_id(*id);
    return CallAndShow(session, CallKind::kRead, request, &Stub::GetResponder, Detail(session));
  });
  AddResponderId(verb, id.get());
}

void AddUpdate(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string id;
    ResponderFields fields;
    int64_t expected_version = 0;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "update", Say(Msg::kHelpResponderUpdate), [flags](Session& session) {
        absl::StatusOr<v1::UpdateResponderRequest> request = BuildUpdateResponderRequest(
            flags->id, flags->fields, flags->expected_version, session.settings().request_id);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return CallAndShow(session, CallKind::kWrite, *request, &Stub::UpdateResponder,
                           Detail(session));
      });
  AddResponderId(verb, &flags->id);
  AddResponderFieldFlags(verb, &flags->fields, /*update=*/true);
  AddExpectedVersionFlag(verb, &flags->expected_version, Msg::kHelpExpectedVersionResponder);
}

std::string ListView(const v1::ListRespondersResponse& response) {
  std::string out = ResponderTable(response.responders());
  if (!response.next_page_token().empty()) {
    out += Say(Msg::kNextPage, response.next_page_token()) + "\n";
  }
  return out;
}

void AddList(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> organisation_id;
    std::optional<int32_t> page_size;
    std::optional<std::string> page_token;
    bool all = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "list", Say(Msg::kHelpResponderList), [flags](Session& session) {
        // Without --organisation-id: the caller's own organisation.
        const std::string organisation = ListedOrganisation(flags->organisation_id, session);
        if (organisation.empty()) {
          return session.UsageError(std::string(Text(Msg::kListRespondersNoOrganisation)));
        }
        v1::ListRespondersRequest request;
        request.set_organisation_id(organisation);
        request.set_page_size(flags->page_size.value_or(0));
        request.set_page_token(flags->page_token.value_or(""));
        return ListAndShow(session, flags->all, request, &Stub::ListResponders,
                           &v1::ListRespondersResponse::mutable_responders, &ListView);
      });
  AddTextFlag(verb, "--organisation-id", &flags->organisation_id, Say(Msg::kHelpListOrganisationId))
      ->type_name("ORG");
  AddNumberFlag(verb, "--page-size", &flags->page_size, Say(Msg::kHelpResponderPageSize))
      ->type_name("N");
  AddTextFlag(verb, "--page-token", &flags->page_token, Say(Msg::kHelpPageToken))
      ->type_name("TOKEN");
  verb->add_flag("--all", flags->all, Say(Msg::kHelpAll));
}

void AddRemove(Cli& cli, CLI::App* noun) {
  auto id = std::make_shared<std::string>();
  CLI::App* verb =
      cli.AddVerb(noun, "remove", Say(Msg::kHelpResponderRemove), [id](Session& session) {
        v1::RemoveResponderRequest request;
        request.set_request_id(session.settings().request_id);
        request.set_responder_id(*id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::RemoveResponder,
                           &RemovedView);
      });
  AddResponderId(verb, id.get());
  verb->footer(Say(Msg::kHelpResponderRemoveFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

std::string FindView(const v1::FindRespondersResponse& response) {
  return ResponderMatchTable(response);
}

void AddFind(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> skill;
    std::optional<absl::Time> from;
    std::optional<absl::Time> until;
    ResponderSearch search;
    bool all = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "find", Say(Msg::kHelpResponderFind), [flags](Session& session) {
        // --skill, --from and --until are required: CLI11 has checked they are there.
        ResponderSearch search = flags->search;
        search.skill_code = *flags->skill;
        search.from = *flags->from;
        search.until = *flags->until;
        absl::StatusOr<v1::FindRespondersRequest> request = BuildFindRespondersRequest(search);
        if (!request.ok()) return session.UsageError(std::string(request.status().message()));
        return ListAndShow(session, flags->all, *request, &Stub::FindResponders,
                           &v1::FindRespondersResponse::mutable_matches, &FindView);
      });
  ResponderSearch& s = flags->search;
  AddTextFlag(verb, "--skill", &flags->skill, Say(Msg::kHelpFindSkill))
      ->type_name("CODE")
      ->required();
  AddNumberFlag(verb, "--min-level", &s.min_level, Say(Msg::kHelpFindMinLevel))->type_name("N");
  AddTimeFlag(verb, "--from", &flags->from, Say(Msg::kHelpFindFrom))->required();
  AddTimeFlag(verb, "--until", &flags->until, Say(Msg::kHelpFindUntil))->required();
  AddSyntaxFlag(verb, "--language", &s.languages, &ParseLanguage, Say(Msg::kHelpFindLanguage))
      ->type_name("CODE");
  AddTextsFlag(verb, "--certification", &s.certifications, Say(Msg::kHelpFindCertification))
      ->type_name("CODE");
  AddTextsFlag(verb, "--exclude", &s.exclude, Say(Msg::kHelpFindExclude))->type_name("RESPONDER");
  AddWordFlag(verb, "--mission-kind", CrisisKinds(), &s.mission_kind,
              Say(Msg::kHelpFindMissionKind));
  AddParsedFlag(verb, "--near", &s.near, &ParsePoint, Say(Msg::kHelpFindNear))
      ->type_name("LAT,LON");
  AddNumberFlag(verb, "--radius-km", &s.radius_km, Say(Msg::kHelpFindRadius))->type_name("KM");
  verb->add_flag("--abroad", s.abroad, Say(Msg::kHelpFindAbroad));
  AddTextsFlag(verb, "--entry-certification", &s.entry_certifications,
               Say(Msg::kHelpFindEntryCertification))
      ->type_name("CODE");
  AddNumberFlag(verb, "--page-size", &s.page_size, Say(Msg::kHelpFindPageSize))->type_name("N");
  CLI::Option* token = AddTextFlag(verb, "--page-token", &s.page_token, Say(Msg::kHelpPageToken))
                           ->type_name("TOKEN");
  verb->add_flag("--all", flags->all, Say(Msg::kHelpAll))->excludes(token);
  verb->footer(Say(Msg::kHelpFindFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

void AddExperience(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::string responder_id;
    std::optional<v1::CrisisKind> kind;
    std::optional<std::string> role;
    std::optional<std::string> place;
    std::optional<absl::Time> from;
    std::optional<absl::Time> until;
    std::optional<std::string> assignment;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb = cli.AddVerb(
      noun, "experience", Say(Msg::kHelpResponderExperience), [flags](Session& session) {
        // All but --assignment are required: CLI11 has checked they are there.
        const MissionFields mission = {.kind = *flags->kind,
                                       .role_code = *flags->role,
                                       .place = *flags->place,
                                       .from = *flags->from,
                                       .until = *flags->until,
                                       .assignment_id = flags->assignment};
        const v1::RecordExperienceRequest request = BuildRecordExperienceRequest(
            flags->responder_id, mission, session.settings().request_id);
        return CallAndShow(session, CallKind::kWrite, request, &Stub::RecordExperience,
                           Detail(session));
      });
  AddResponderId(verb, &flags->responder_id);
  AddWordFlag(verb, "--kind", CrisisKinds(), &flags->kind, Say(Msg::kHelpExperienceKind))
      ->required();
  AddTextFlag(verb, "--role", &flags->role, Say(Msg::kHelpExperienceRole))
      ->type_name("CODE")
      ->required();
  AddTextFlag(verb, "--place", &flags->place, Say(Msg::kHelpExperiencePlace))->required();
  AddTimeFlag(verb, "--from", &flags->from, Say(Msg::kHelpExperienceFrom))->required();
  AddTimeFlag(verb, "--until", &flags->until, Say(Msg::kHelpExperienceUntil))->required();
  AddTextFlag(verb, "--assignment", &flags->assignment, Say(Msg::kHelpExperienceAssignment))
      ->type_name("ID");
}

void AddExport(Cli& cli, CLI::App* noun) {
  struct Flags {
    std::optional<std::string> responder_id;
    std::optional<std::string> out;
    bool force = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* verb =
      cli.AddVerb(noun, "export", Say(Msg::kHelpResponderExport), [flags](Session& session) {
        // --responder-id is required: CLI11 has checked it is there.
        if (flags->responder_id->empty()) {
          return session.UsageError(Say(Msg::kEmptyFlag, "--responder-id"));
        }
        if (flags->out && flags->out->empty()) {
          return session.UsageError(Say(Msg::kEmptyFlag, "--out"));
        }
        // Said before any call; WriteExportFile checks again (O_EXCL) when it creates the file.
        std::error_code ignored;
        if (flags->out && !flags->force && std::filesystem::exists(*flags->out, ignored)) {
          return session.UsageError(Say(Msg::kExportFileExists, *flags->out));
        }
        Session mobilisation =
            session.WithTarget(session.settings().targets.at(MobilisationService().env_var));
        ResponderExport data;
        const grpc::Status status =
            GatherResponderExport(session, mobilisation, *flags->responder_id, &data);
        if (!status.ok()) {
          // Nothing is written: the error line only.
          return session.Finish(
              status, data.responder, [] { return std::string(); }, CallKind::kRead);
        }
        const std::string document = ResponderExportDocument(data).dump(2) + "\n";
        if (flags->out) {
          if (auto error = WriteExportFile(*flags->out, document, flags->force)) {
            return session.UsageError(*error);
          }
          session.err() << Say(Msg::kExportWritten, data.responder_id, *flags->out) << "\n";
        } else {
          session.out() << document;
        }
        if (!data.withheld.empty()) {
          std::string sections;
          for (const auto& [section, message] : data.withheld) {
            sections += (sections.empty() ? "" : ", ") + section;
          }
          session.err() << Say(Msg::kExportIncomplete, session.settings().role, sections) << "\n";
        }
        return static_cast<int>(kExitOk);
      });
  AddTextFlag(verb, "--responder-id", &flags->responder_id, Say(Msg::kHelpExportResponderId))
      ->type_name("RESPONDER")
      ->required();
  CLI::Option* out =
      AddTextFlag(verb, "--out", &flags->out, Say(Msg::kHelpExportOut))->type_name("FILE");
  verb->add_flag("--force", flags->force, Say(Msg::kHelpExportForce))->needs(out);
  verb->footer(Say(Msg::kHelpResponderExportFooter) + "\n\n" +
               Say(Msg::kHelpVerbServiceFooter, MobilisationService().flag,
                   MobilisationService().env_var, MobilisationService().default_target) +
               "\n" + Say(Msg::kHelpVerbFooter));
}

}  // namespace

void RegisterResponderNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("responder", Say(Msg::kHelpResponder), InventoryService());
  AddRegister(cli, noun);
  AddGet(cli, noun);
  AddUpdate(cli, noun);
  AddList(cli, noun);
  AddRemove(cli, noun);
  AddFind(cli, noun);
  AddExperience(cli, noun);
  AddExport(cli, noun);
}

}  // namespace relais::cli
