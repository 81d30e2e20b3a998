// relaisctl: the pure parts (need syntax, words, masks, layout, JSON) and whole command lines run
// through relais::cli::Run, the function main calls, against an in-process fake registry.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <deque>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "clients/relaisctl/app.h"
#include "clients/relaisctl/crisis_requests.h"
#include "clients/relaisctl/crisis_views.h"
#include "clients/relaisctl/need_syntax.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/retry.h"
#include "clients/relaisctl/table.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relais/v1/crisis_registry.grpc.pb.h"

namespace {

namespace v1 = relais::v1;
using ::relais::cli::Align;
using ::relais::cli::Column;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

template <typename Message>
Message FromText(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

MATCHER_P(EqualsProto, expected, "") {
  google::protobuf::util::MessageDifferencer differencer;
  std::string diff;
  differencer.ReportDifferencesToString(&diff);
  if (differencer.Compare(expected, arg)) return true;
  *result_listener << "differences:\n" << diff;
  return false;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Every line fits in 100 terminal columns.
void ExpectFits(const std::string& text) {
  for (const std::string& line : Lines(text)) {
    EXPECT_LE(relais::cli::DisplayWidth(line), 100) << "too wide: " << line;
  }
}

absl::Time At(const std::string& rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) << error;
  return time;
}

// --need ---------------------------------------------------------------------------------------

TEST(NeedSyntax, ParsesEveryKey) {
  const auto need = relais::cli::ParseNeed(
      "skill:nurse=4,priority=high,days=14,by=2026-12-01T08:00:00Z,lang=fr+en,"
      "cert=who-emt-training,level=2");
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_THAT(*need, EqualsProto(FromText<v1::NeedSpec>(R"pb(
    resource { kind: RESOURCE_KIND_SKILL code: "nurse" }
    quantity: 4
    priority: NEED_PRIORITY_HIGH
    needed_by { seconds: 1796112000 }
    duration_days: 14
    min_level: 2
    languages: [ "fr", "en" ]
    certifications: "who-emt-training"
  )pb")));
}

TEST(NeedSyntax, HeadAloneIsEnoughAndKindsMapToTheCatalogueLists) {
  const auto supply = relais::cli::ParseNeed("supply:iehk-2017-basic-unit=10");
  ASSERT_TRUE(supply.ok()) << supply.status();
  EXPECT_THAT(*supply, EqualsProto(FromText<v1::NeedSpec>(R"pb(
    resource { kind: RESOURCE_KIND_SUPPLY_ITEM code: "iehk-2017-basic-unit" }
    quantity: 10
  )pb")));
  const auto team = relais::cli::ParseNeed("team:who-emt-type-1-mobile=1");
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->resource().kind(), v1::RESOURCE_KIND_TEAM_TYPE);
}

TEST(NeedSyntax, ToleratesSpacesCaseAndOffsets) {
  const auto need = relais::cli::ParseNeed(
      " Skill : nurse = 2 , Priority=CRITICAL , by=2026-12-01T10:00:00+02:00");
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_EQ(need->resource().code(), "nurse");
  EXPECT_EQ(need->quantity(), 2);
  EXPECT_EQ(need->priority(), v1::NEED_PRIORITY_CRITICAL);
  EXPECT_EQ(relais::cli::FormatTimestamp(need->needed_by()), "2026-12-01T08:00Z");
}

TEST(NeedSyntax, LeavesRangesToTheServer) {
  // Syntax only: the server names the field when a value is out of range.
  const auto need = relais::cli::ParseNeed("skill:nurse=0,days=-3,level=9");
  ASSERT_TRUE(need.ok()) << need.status();
  EXPECT_EQ(need->quantity(), 0);
  EXPECT_EQ(need->duration_days(), -3);
  EXPECT_EQ(need->min_level(), 9);
}

struct NeedError {
  std::string name;
  std::string input;
  std::string message;
};

void PrintTo(const NeedError& error, std::ostream* os) { *os << error.name; }

class NeedSyntaxError : public ::testing::TestWithParam<NeedError> {};

TEST_P(NeedSyntaxError, SaysWhatIsWrongAndWhere) {
  const auto need = relais::cli::ParseNeed(GetParam().input);
  ASSERT_FALSE(need.ok());
  EXPECT_EQ(need.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(need.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    EachError, NeedSyntaxError,
    ::testing::Values(
        NeedError{"empty", "",
                  "empty need: expected KIND:CODE=QUANTITY[,KEY=VALUE...], e.g. skill:nurse=4"},
        NeedError{"blank", "  ",
                  "empty need: expected KIND:CODE=QUANTITY[,KEY=VALUE...], e.g. skill:nurse=4"},
        NeedError{"no_kind", "nurse=4",
                  "'nurse=4' does not start with KIND:CODE=QUANTITY, e.g. skill:nurse=4"},
        NeedError{"bad_kind", "person:nurse=4", "kind 'person' is not one of skill, supply, team"},
        NeedError{"no_code", "skill:=4", "no catalogue code after 'skill:'"},
        NeedError{"no_quantity", "skill:nurse", "no quantity: write nurse=<number>"},
        NeedError{"empty_quantity", "skill:nurse=", "no quantity: write nurse=<number>"},
        NeedError{"quantity_not_a_number", "skill:nurse=four",
                  "quantity: 'four' is not a whole number"},
        NeedError{"quantity_overflow", "skill:nurse=99999999999",
                  "quantity: '99999999999' is not a whole number"},
        NeedError{"trailing_comma", "skill:nurse=4,", "empty item between commas"},
        NeedError{"empty_item", "skill:nurse=4,,days=3", "empty item between commas"},
        NeedError{"key_without_value", "skill:nurse=4,priority",
                  "'priority' has no value: write priority=..."},
        NeedError{"empty_value", "skill:nurse=4,days=", "'days' has no value: write days=..."},
        NeedError{"unknown_key", "skill:nurse=4,prio=high",
                  "unknown key 'prio' (known: priority, by, days, level, lang, cert)"},
        NeedError{"key_twice", "skill:nurse=4,days=3,days=4", "'days' is given twice"},
        NeedError{"bad_priority", "skill:nurse=4,priority=urgent",
                  "priority: 'urgent' is not one of low, medium, high, critical"},
        NeedError{"bad_time", "skill:nurse=4,by=2026-12-01",
                  "by: '2026-12-01' is not an RFC 3339 time such as 2026-12-01T08:00:00Z"},
        NeedError{"days_not_a_number", "skill:nurse=4,days=two",
                  "days: 'two' is not a whole number"},
        NeedError{"level_not_whole", "skill:nurse=4,level=2.5",
                  "level: '2.5' is not a whole number"},
        NeedError{"empty_language", "skill:nurse=4,lang=fr++en",
                  "lang: empty code in 'fr++en' (separate codes with +)"},
        NeedError{"empty_certification", "skill:nurse=4,cert=+a",
                  "cert: empty code in '+a' (separate codes with +)"},
        NeedError{"key_twice_in_any_case", "skill:nurse=4,days=3,DAYS=4", "'days' is given twice"}),
    [](const ::testing::TestParamInfo<NeedError>& info) { return info.param.name; });

// Words ----------------------------------------------------------------------------------------

// Every value of the proto enum but UNSPECIFIED has a word, and the word reads back as the value:
// a value added to the proto without a word fails here.
template <typename Enum>
void ExpectWordForEveryValue(const relais::cli::Vocabulary<Enum>& vocabulary,
                             const google::protobuf::EnumDescriptor* descriptor) {
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto value = static_cast<Enum>(descriptor->value(i)->number());
    if (descriptor->value(i)->number() == 0) {
      EXPECT_EQ(vocabulary.Name(value), "-");
      continue;
    }
    const std::string word = vocabulary.Name(value);
    EXPECT_NE(word.front(), '#') << descriptor->value(i)->name() << " has no word";
    EXPECT_EQ(vocabulary.Parse(word), value) << word;
  }
}

TEST(Words, EveryEnumValueHasAWordThatReadsBack) {
  using namespace relais::cli;  // NOLINT: the vocabularies
  ExpectWordForEveryValue(CrisisKinds(), v1::CrisisKind_descriptor());
  ExpectWordForEveryValue(CrisisScopes(), v1::CrisisScope_descriptor());
  ExpectWordForEveryValue(CrisisStatuses(), v1::CrisisStatus_descriptor());
  ExpectWordForEveryValue(Severities(), v1::Severity_descriptor());
  ExpectWordForEveryValue(Urgencies(), v1::Urgency_descriptor());
  ExpectWordForEveryValue(Certainties(), v1::Certainty_descriptor());
  ExpectWordForEveryValue(NeedPriorities(), v1::NeedPriority_descriptor());
  ExpectWordForEveryValue(NeedStatuses(), v1::NeedStatus_descriptor());
  ExpectWordForEveryValue(ResourceKinds(), v1::ResourceKind_descriptor());
}

TEST(Words, MapBothWays) {
  using relais::cli::CrisisKinds;
  EXPECT_EQ(CrisisKinds().Parse("industrial-accident"), v1::CRISIS_KIND_INDUSTRIAL_ACCIDENT);
  EXPECT_EQ(CrisisKinds().Name(v1::CRISIS_KIND_INDUSTRIAL_ACCIDENT), "industrial-accident");
  EXPECT_EQ(CrisisKinds().Parse("Epidemic"), v1::CRISIS_KIND_EPIDEMIC);
  EXPECT_EQ(relais::cli::ResourceKinds().Parse("supply"), v1::RESOURCE_KIND_SUPPLY_ITEM);
  EXPECT_EQ(relais::cli::ResourceKinds().Name(v1::RESOURCE_KIND_TEAM_TYPE), "team");
  EXPECT_EQ(relais::cli::Certainties().Parse("observed"), v1::CERTAINTY_OBSERVED);
  EXPECT_EQ(relais::cli::Urgencies().Name(v1::URGENCY_PAST), "past");
  EXPECT_EQ(relais::cli::Severities().Parse("unknown"), v1::SEVERITY_UNKNOWN);
}

TEST(Words, RefuseProtoNamesAndUnspecified) {
  using relais::cli::CrisisKinds;
  EXPECT_EQ(CrisisKinds().Parse("industrial_accident"), std::nullopt);
  EXPECT_EQ(CrisisKinds().Parse("CRISIS_KIND_FLOOD"), std::nullopt);
  EXPECT_EQ(CrisisKinds().Parse("unspecified"), std::nullopt);
  EXPECT_EQ(CrisisKinds().Parse(""), std::nullopt);
}

TEST(Words, ShowValuesFromANewerServerAsNumbers) {
  EXPECT_EQ(relais::cli::CrisisKinds().Name(static_cast<v1::CrisisKind>(42)), "#42");
}

// Update masks --------------------------------------------------------------------------------

std::vector<std::string> Paths(const google::protobuf::FieldMask& mask) {
  return {mask.paths().begin(), mask.paths().end()};
}

TEST(UpdateMask, NamesExactlyTheFlagsGiven) {
  relais::cli::CrisisFields fields;
  fields.title = "Choléra - Kalemie";
  fields.severity = v1::SEVERITY_EXTREME;
  fields.starts = At("2026-11-20T08:00:00Z");
  const auto request = relais::cli::BuildUpdateRequest("crs_1", fields, 7, "req-1");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(*request, EqualsProto(FromText<v1::UpdateCrisisRequest>(R"pb(
    request_id: "req-1"
    crisis_id: "crs_1"
    crisis {
      title: "Choléra - Kalemie"
      severity: SEVERITY_EXTREME
      starts_at { seconds: 1795161600 }
    }
    update_mask { paths: [ "title", "severity", "starts_at" ] }
    expected_version: 7
  )pb")));
}

TEST(UpdateMask, AreaPartsAloneChangeJustThatPart) {
  relais::cli::CrisisFields fields;
  fields.area = "Mas du Taureau";
  fields.commune = "Vaulx-en-Velin";
  const auto request = relais::cli::BuildUpdateRequest("crs_1", fields, 0, "req-1");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(Paths(request->update_mask()), ElementsAre("area.description", "area.commune"));
  EXPECT_EQ(request->crisis().area().description(), "Mas du Taureau");
}

TEST(UpdateMask, ACentreOrRadiusReplacesTheWholeArea) {
  relais::cli::CrisisFields fields;
  fields.lat = 45.7677;
  fields.lon = 4.9226;
  fields.radius_km = 3;
  fields.country = "FR";
  fields.area = "Vaulx-en-Velin";
  fields.description = "Heatwave";
  const auto request = relais::cli::BuildUpdateRequest("crs_1", fields, 0, "req-1");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(Paths(request->update_mask()), ElementsAre("area", "description"));
  EXPECT_DOUBLE_EQ(request->crisis().area().center().lat(), 45.7677);
  EXPECT_DOUBLE_EQ(request->crisis().area().radius_km(), 3);
}

TEST(UpdateMask, HalfAnAreaIsAUsageError) {
  relais::cli::CrisisFields fields;
  fields.radius_km = 30;
  const auto request = relais::cli::BuildUpdateRequest("crs_1", fields, 0, "req-1");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(),
            "--lat, --lon, --radius-km and --country replace the whole area, with --area: "
            "missing --lat --lon --country --area");
}

TEST(UpdateMask, NothingToUpdateIsAUsageError) {
  const auto request = relais::cli::BuildUpdateRequest("crs_1", {}, 0, "req-1");
  ASSERT_FALSE(request.ok());
  EXPECT_THAT(std::string(request.status().message()), HasSubstr("nothing to update"));
}

TEST(UpdateNeedMask, NamesExactlyTheFlagsGiven) {
  relais::cli::NeedChanges changes;
  changes.quantity = 6;
  changes.priority = v1::NEED_PRIORITY_CRITICAL;
  changes.days = 21;
  const auto request = relais::cli::BuildUpdateNeedRequest("crs_1", "need_1", changes, 3, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(*request, EqualsProto(FromText<v1::UpdateNeedRequest>(R"pb(
    request_id: "r"
    crisis_id: "crs_1"
    need_id: "need_1"
    need { spec { quantity: 6 priority: NEED_PRIORITY_CRITICAL duration_days: 21 } }
    update_mask { paths: [ "spec.quantity", "spec.priority", "spec.duration_days" ] }
    expected_version: 3
  )pb")));
}

TEST(UpdateNeedMask, CancelSetsStatusAndReason) {
  relais::cli::NeedChanges changes;
  changes.cancel = true;
  changes.reason = "covered by MSF";
  changes.by = At("2026-12-02T00:00:00Z");
  const auto request = relais::cli::BuildUpdateNeedRequest("crs_1", "need_1", changes, 0, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(Paths(request->update_mask()),
              ElementsAre("spec.needed_by", "status", "cancel_reason"));
  EXPECT_EQ(request->need().status(), v1::NEED_STATUS_CANCELLED);
  EXPECT_EQ(request->need().cancel_reason(), "covered by MSF");
}

TEST(UpdateNeedMask, NothingToUpdateIsAUsageError) {
  EXPECT_FALSE(relais::cli::BuildUpdateNeedRequest("crs_1", "need_1", {}, 0, "r").ok());
}

// Layout ---------------------------------------------------------------------------------------

TEST(Layout, WidthCountsCharactersNotBytes) {
  EXPECT_EQ(relais::cli::DisplayWidth("Choléra"), 7);
  EXPECT_EQ(relais::cli::DisplayWidth("…"), 1);
}

TEST(Layout, TruncateCutsOnCharactersAndEndsWithAnEllipsis) {
  EXPECT_EQ(relais::cli::Truncate("Choléra à Kalemie", 6), "Cholé…");
  EXPECT_EQ(relais::cli::Truncate("Choléra", 7), "Choléra");
  EXPECT_EQ(relais::cli::Truncate("Choléra", 1), "…");
  EXPECT_EQ(relais::cli::Truncate("Choléra", 0), "");
}

TEST(Layout, WrapKeepsLinesWithinWidthAndParagraphs) {
  EXPECT_THAT(relais::cli::Wrap("un deux trois quatre\ncinq", 9),
              ElementsAre("un deux", "trois", "quatre", "cinq"));
  EXPECT_THAT(relais::cli::Wrap("abcdefghij", 4), ElementsAre("abcd", "efgh", "ij"));
}

TEST(Layout, TableShrinksFreeTextFirstAndKeepsIds) {
  const std::vector<Column> columns = {
      {.header = "ID", .keep = true},
      {.header = "N", .align = Align::kRight},
      {.header = "TITLE", .flexible = true},
  };
  const std::string id = "crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W";
  const std::string title(150, 'x');
  const std::string table = relais::cli::RenderTable(columns, {{.cells = {id, "12", title}}});
  ExpectFits(table);
  const std::vector<std::string> lines = Lines(table);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(relais::cli::DisplayWidth(lines[1]), 100);
  EXPECT_THAT(lines[1], HasSubstr(id + "  12  xxx"));
  EXPECT_THAT(lines[1], testing::EndsWith("x…"));
  EXPECT_THAT(lines[0], testing::StartsWith("ID" + std::string(id.size() - 2 + 2, ' ') + " N"));
}

TEST(Layout, TableFitsEvenWhenEveryColumnIsWide) {
  std::vector<Column> columns;
  std::vector<std::string> cells;
  for (int i = 0; i < 8; ++i) {
    columns.push_back({.header = "COLUMN" + std::to_string(i), .keep = i == 0});
    cells.push_back(std::string(40, 'a' + i));
  }
  ExpectFits(relais::cli::RenderTable(columns, {{.cells = cells, .note = std::string(300, 'n')}}));
}

TEST(Layout, ControlCharactersCannotBreakATable) {
  const std::string table =
      relais::cli::RenderTable({{.header = "TITLE"}}, {{.cells = {"line one\nline two"}}});
  EXPECT_EQ(table, "TITLE\nline one line two\n");
}

v1::Crisis SampleCrisis() {
  v1::Crisis crisis = FromText<v1::Crisis>(R"pb(
    id: "crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W"
    version: 3
    kind: CRISIS_KIND_INDUSTRIAL_ACCIDENT
    scope: CRISIS_SCOPE_LOCAL
    severity: SEVERITY_SEVERE
    urgency: URGENCY_IMMEDIATE
    certainty: CERTAINTY_OBSERVED
    area {
      center { lat: 45.7271 lon: 4.8225 }
      radius_km: 5
      description: "Vallée de la chimie, Saint-Fons"
      country: "FR"
      commune: "Saint-Fons"
    }
    starts_at { seconds: 1795161600 }
    status: CRISIS_STATUS_ACTIVE
    declared_at { seconds: 1795165200 }
    declared_by: "coord-lyon-1"
    needs {
      id: "need_01KZ8Y3J4M5N6P7Q8R9S0T1V2X"
      spec {
        resource { kind: RESOURCE_KIND_SUPPLY_ITEM code: "iehk-2017-supplementary-unit-for-burns" }
        quantity: 1200
        priority: NEED_PRIORITY_CRITICAL
        needed_by { seconds: 1795176000 }
      }
      status: NEED_STATUS_OPEN
    }
    needs {
      id: "need_01KZ8Y3J4M5N6P7Q8R9S0T1V2Y"
      spec {
        resource { kind: RESOURCE_KIND_SKILL code: "nurse" }
        quantity: 4
        priority: NEED_PRIORITY_HIGH
        duration_days: 14
        min_level: 2
        languages: [ "fr", "en" ]
        certifications: "who-emt-training"
      }
      status: NEED_STATUS_OPEN
    }
    needs {
      id: "need_01KZ8Y3J4M5N6P7Q8R9S0T1V2Z"
      spec {
        resource { kind: RESOURCE_KIND_SKILL code: "psychologist-mhpss" }
        quantity: 2
        priority: NEED_PRIORITY_LOW
      }
      status: NEED_STATUS_CANCELLED
      cancel_reason: "Covered by the Cellule d'urgence médico-psychologique of the SAMU, thanks"
    }
  )pb");
  crisis.set_title("Fuite de chlore - " + std::string(120, 'T'));
  crisis.set_description(std::string(400, 'd') + " end");
  return crisis;
}

TEST(CrisisView, DetailFitsAndShowsWordsTimesAndNeeds) {
  const std::string detail = relais::cli::CrisisDetail(SampleCrisis());
  ExpectFits(detail);
  EXPECT_THAT(detail, HasSubstr("industrial-accident"));
  EXPECT_THAT(detail, HasSubstr("Starts       2026-11-20T08:00Z"));
  EXPECT_THAT(detail, HasSubstr("45.72710, 4.82250, radius 5 km"));
  EXPECT_THAT(detail, HasSubstr("Fuite de chlore - TTT"));
  EXPECT_THAT(detail, HasSubstr("…"));     // the long title
  EXPECT_THAT(detail, HasSubstr(" end"));  // the description wraps, nothing lost
  EXPECT_THAT(detail, HasSubstr("Needs (2 open)"));
  EXPECT_THAT(detail, HasSubstr("need_01KZ8Y3J4M5N6P7Q8R9S0T1V2Y  skill:nurse"));
  EXPECT_THAT(detail, HasSubstr("level 2+; speaks fr+en; holds who-emt-training"));
  EXPECT_THAT(detail, HasSubstr("Cancelled needs (1)"));
  EXPECT_THAT(detail, HasSubstr("need_01KZ8Y3J4M5N6P7Q8R9S0T1V2Z"));
  EXPECT_THAT(detail, Not(HasSubstr("CRISIS_")));
}

TEST(CrisisView, ListFitsAndTruncatesTitles) {
  google::protobuf::RepeatedPtrField<v1::Crisis> crises;
  *crises.Add() = SampleCrisis();
  const std::string table = relais::cli::CrisisTable(crises);
  ExpectFits(table);
  const std::vector<std::string> lines = Lines(table);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], testing::StartsWith("CRISIS"));
  EXPECT_THAT(lines[1], HasSubstr("crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W  active"));
  EXPECT_THAT(lines[1], HasSubstr("2026-11-20T08:00Z"));
  EXPECT_THAT(lines[1], testing::EndsWith("…"));
  EXPECT_EQ(relais::cli::CrisisTable({}), "No crises.\n");
}

TEST(CrisisView, NeedDetailFits) {
  const std::string detail = relais::cli::NeedDetail(SampleCrisis().needs(2));
  ExpectFits(detail);
  EXPECT_THAT(detail, HasSubstr("cancelled"));
  EXPECT_THAT(detail, HasSubstr("Cancelled because"));
}

// Times ----------------------------------------------------------------------------------------

TEST(Times, ParseRfc3339AndTheMinuteFormThisToolPrints) {
  EXPECT_EQ(relais::cli::ParseTime("2026-12-01T08:00:00Z"), At("2026-12-01T08:00:00Z"));
  EXPECT_EQ(relais::cli::ParseTime("2026-12-01T08:00Z"), At("2026-12-01T08:00:00Z"));
  EXPECT_EQ(relais::cli::ParseTime("2026-12-01"), std::nullopt);
  EXPECT_EQ(relais::cli::FormatTimestamp(relais::cli::ToTimestamp(At("2026-12-01T08:00:59Z"))),
            "2026-12-01T08:00Z");
  EXPECT_EQ(relais::cli::FormatTimestamp({}), "-");
}

TEST(Times, TimeoutsAreDurationsOrSeconds) {
  EXPECT_EQ(relais::cli::ParseTimeout("10s"), absl::Seconds(10));
  EXPECT_EQ(relais::cli::ParseTimeout("500ms"), absl::Milliseconds(500));
  EXPECT_EQ(relais::cli::ParseTimeout("2.5"), absl::Milliseconds(2500));
  EXPECT_EQ(relais::cli::ParseTimeout("0"), std::nullopt);
  EXPECT_EQ(relais::cli::ParseTimeout("-1s"), std::nullopt);
  EXPECT_EQ(relais::cli::ParseTimeout("inf"), std::nullopt);
  EXPECT_EQ(relais::cli::ParseTimeout("soon"), std::nullopt);
}

// JSON -----------------------------------------------------------------------------------------

TEST(Json, UsesProtoFieldNamesAndReadsBack) {
  const v1::Crisis crisis = SampleCrisis();
  const std::string json = relais::cli::ToJson(crisis);
  EXPECT_THAT(json, HasSubstr("\"radius_km\""));
  EXPECT_THAT(json, HasSubstr("\"starts_at\""));
  EXPECT_THAT(json, HasSubstr("\"duration_days\""));
  EXPECT_THAT(json, HasSubstr("\"status_reason\""));  // default values are printed too
  EXPECT_THAT(json, Not(HasSubstr("radiusKm")));
  EXPECT_THAT(json, Not(HasSubstr("startsAt")));
  v1::Crisis back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok());
  EXPECT_THAT(back, EqualsProto(crisis));
}

// Retries --------------------------------------------------------------------------------------

TEST(Retry, RetriesTransientCodesWithGrowingBackoff) {
  std::deque<grpc::Status> answers = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"),
                                      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow"),
                                      grpc::Status::OK};
  std::vector<absl::Duration> sleeps;
  int attempts = 0;
  const grpc::Status status = relais::cli::CallWithRetry(
      {}, [&](absl::Duration d) { sleeps.push_back(d); },
      [&] {
        ++attempts;
        grpc::Status next = answers.front();
        answers.pop_front();
        return next;
      });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(attempts, 3);
  EXPECT_THAT(sleeps, ElementsAre(absl::Milliseconds(250), absl::Milliseconds(500)));
}

TEST(Retry, GivesUpAfterThreeAttempts) {
  int attempts = 0;
  const grpc::Status status = relais::cli::CallWithRetry(
      {}, [](absl::Duration) {},
      [&] {
        ++attempts;
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(attempts, 3);
}

TEST(Retry, NeverRetriesOtherCodes) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::ABORTED,
        grpc::StatusCode::FAILED_PRECONDITION, grpc::StatusCode::NOT_FOUND,
        grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::RESOURCE_EXHAUSTED,
        grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN}) {
    int attempts = 0;
    relais::cli::CallWithRetry(
        {}, [](absl::Duration) {},
        [&] {
          ++attempts;
          return grpc::Status(code, "no");
        });
    EXPECT_EQ(attempts, 1) << relais::cli::StatusCodeName(code);
  }
}

TEST(RequestId, IsARandomUuidV4) {
  const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const std::string a = relais::cli::NewUuidV4();
  const std::string b = relais::cli::NewUuidV4();
  EXPECT_TRUE(std::regex_match(a, uuid_v4)) << a;
  EXPECT_NE(a, b);
}

// Whole command lines against an in-process fake registry -------------------------------------

// Records what it receives; answers the scripted statuses first, then a plausible response.
class FakeRegistry final : public v1::CrisisRegistry::Service {
 public:
  grpc::Status DeclareCrisis(grpc::ServerContext* context, const v1::DeclareCrisisRequest* request,
                             v1::Crisis* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    Record(*context, request->request_id());
    declares.push_back(*request);
    if (!scripted.empty()) return Next();
    response->set_id("crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W");
    response->set_version(1);
    response->set_title(request->title());
    response->set_kind(request->kind());
    *response->mutable_area() = request->area();
    *response->mutable_starts_at() = request->starts_at();
    response->set_status(v1::CRISIS_STATUS_DECLARED);
    for (int i = 0; i < request->needs_size(); ++i) {
      v1::Need* need = response->add_needs();
      need->set_id("need_" + std::to_string(i));
      *need->mutable_spec() = request->needs(i);
      need->set_status(v1::NEED_STATUS_OPEN);
    }
    return grpc::Status::OK;
  }

  grpc::Status GetCrisis(grpc::ServerContext* context, const v1::GetCrisisRequest* request,
                         v1::Crisis* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    Record(*context, "");
    if (!scripted.empty()) return Next();
    response->set_id(request->crisis_id());
    return grpc::Status::OK;
  }

  grpc::Status ListCrises(grpc::ServerContext* context, const v1::ListCrisesRequest* request,
                          v1::ListCrisesResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    Record(*context, "");
    lists.push_back(*request);
    // Three pages of one crisis each: "", "p2", "p3".
    const std::string token = request->page_token();
    const int page = token.empty() ? 1 : token[1] - '0';
    response->add_crises()->set_id("crs_page" + std::to_string(page));
    if (page < 3) response->set_next_page_token("p" + std::to_string(page + 1));
    return grpc::Status::OK;
  }

  grpc::Status PauseCrisis(grpc::ServerContext* context, const v1::PauseCrisisRequest* request,
                           v1::Crisis* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    Record(*context, request->request_id());
    pauses.push_back(*request);
    if (!scripted.empty()) return Next();
    response->set_id(request->crisis_id());
    response->set_status(v1::CRISIS_STATUS_PAUSED);
    response->set_status_reason(request->reason());
    return grpc::Status::OK;
  }

  std::vector<v1::DeclareCrisisRequest> declares;
  std::vector<v1::ListCrisesRequest> lists;
  std::vector<v1::PauseCrisisRequest> pauses;
  std::vector<std::string> request_ids;
  std::vector<std::multimap<std::string, std::string>> metadata;
  std::deque<grpc::Status> scripted;

 private:
  void Record(const grpc::ServerContext& context, const std::string& request_id) {
    request_ids.push_back(request_id);
    std::multimap<std::string, std::string> headers;
    for (const auto& [key, value] : context.client_metadata()) {
      headers.emplace(std::string(key.data(), key.size()), std::string(value.data(), value.size()));
    }
    metadata.push_back(std::move(headers));
  }

  grpc::Status Next() {
    grpc::Status status = scripted.front();
    scripted.pop_front();
    return status;
  }

  std::mutex mu_;
};

class RelaisctlRun : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&registry_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);

    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_vars_.find(name);
      if (it == env_vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.connect = [this](const std::string& target) -> std::shared_ptr<grpc::ChannelInterface> {
      targets_.push_back(target);
      return server_->InProcessChannel(grpc::ChannelArguments());
    };
    env_.now = [] { return At("2026-11-26T09:30:05.75Z"); };
    env_.new_request_id = [] { return std::string("req-fixed"); };
    env_.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
    env_.out = &out_;
    env_.err = &err_;
  }

  void TearDown() override { server_->Shutdown(); }

  int Run(const std::vector<std::string>& args) { return relais::cli::Run(args, env_); }

  FakeRegistry registry_;
  std::unique_ptr<grpc::Server> server_;
  relais::cli::Environment env_;
  std::map<std::string, std::string> env_vars_;
  std::vector<std::string> targets_;
  std::vector<absl::Duration> sleeps_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(RelaisctlRun, FullDeclareBuildsTheExactRequest) {
  const int code = Run({"--principal",
                        "coord-lyon-1",
                        "--role",
                        "coordinator",
                        "crisis",
                        "declare",
                        "--title",
                        "Choléra - camp de Kalemie",
                        "--kind",
                        "epidemic",
                        "--scope",
                        "abroad",
                        "--severity",
                        "severe",
                        "--urgency",
                        "immediate",
                        "--certainty",
                        "observed",
                        "--lat",
                        "-5.947",
                        "--lon",
                        "29.194",
                        "--radius-km",
                        "25",
                        "--area",
                        "Camp de Kalemie, Tanganyika",
                        "--country",
                        "CD",
                        "--commune",
                        "Kalemie",
                        "--starts",
                        "2026-11-20T08:00:00Z",
                        "--description",
                        "Flambée de choléra dans le camp",
                        "--need",
                        "skill:nurse=4,priority=high,days=14,by=2026-12-01T08:00:00Z,lang=fr+en,"
                        "cert=who-emt-training,level=2",
                        "--need",
                        "supply:iehk-2017-basic-unit=2,priority=critical"});
  ASSERT_EQ(code, 0) << err_.str();
  ASSERT_EQ(registry_.declares.size(), 1u);
  EXPECT_THAT(registry_.declares[0], EqualsProto(FromText<v1::DeclareCrisisRequest>(R"pb(
                request_id: "req-fixed"
                title: "Choléra - camp de Kalemie"
                kind: CRISIS_KIND_EPIDEMIC
                scope: CRISIS_SCOPE_ABROAD
                severity: SEVERITY_SEVERE
                urgency: URGENCY_IMMEDIATE
                certainty: CERTAINTY_OBSERVED
                area {
                  center { lat: -5.947 lon: 29.194 }
                  radius_km: 25
                  description: "Camp de Kalemie, Tanganyika"
                  country: "CD"
                  commune: "Kalemie"
                }
                starts_at { seconds: 1795161600 }
                description: "Flambée de choléra dans le camp"
                needs {
                  resource { kind: RESOURCE_KIND_SKILL code: "nurse" }
                  quantity: 4
                  priority: NEED_PRIORITY_HIGH
                  needed_by { seconds: 1796112000 }
                  duration_days: 14
                  min_level: 2
                  languages: [ "fr", "en" ]
                  certifications: "who-emt-training"
                }
                needs {
                  resource { kind: RESOURCE_KIND_SUPPLY_ITEM code: "iehk-2017-basic-unit" }
                  quantity: 2
                  priority: NEED_PRIORITY_CRITICAL
                }
              )pb")));
  // The development identity seam and the default address.
  ASSERT_EQ(registry_.metadata.size(), 1u);
  EXPECT_EQ(registry_.metadata[0].find("x-relais-principal")->second, "coord-lyon-1");
  EXPECT_EQ(registry_.metadata[0].find("x-relais-role")->second, "coordinator");
  EXPECT_THAT(targets_, ElementsAre("127.0.0.1:50051"));
  // The detail view of what the server returned.
  EXPECT_THAT(out_.str(), HasSubstr("crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W"));
  EXPECT_THAT(out_.str(), HasSubstr("Needs (2 open)"));
  ExpectFits(out_.str());
  EXPECT_EQ(err_.str(), "");
}

TEST_F(RelaisctlRun, DeclareLeavesTheStartToTheServerUnlessToldOtherwise) {
  ASSERT_EQ(Run({"crisis", "declare", "--lat", "45.76", "--lon", "4.84"}), 0) << err_.str();
  ASSERT_EQ(registry_.declares.size(), 1u);
  // No "now" of the client in the request: a retry by hand is the very same request.
  EXPECT_FALSE(registry_.declares[0].has_starts_at());
  ASSERT_EQ(Run({"crisis", "declare", "--lat", "45.76", "--lon", "4.84", "--starts",
                 "2026-11-20T06:00:00Z"}),
            0)
      << err_.str();
  EXPECT_THAT(registry_.declares[1].starts_at(),
              EqualsProto(relais::cli::ToTimestamp(At("2026-11-20T06:00:00Z"))));
  // No identity given: no identity sent.
  EXPECT_EQ(registry_.metadata[0].count("x-relais-principal"), 0u);
}

TEST_F(RelaisctlRun, AddressAndIdentityComeFromTheEnvironmentUnlessFlagsSayOtherwise) {
  env_vars_ = {{"RELAIS_CRISIS_ADDR", "crisis.relais:7000"},
               {"RELAIS_PRINCIPAL", "osi-hi-2"},
               {"RELAIS_ROLE", "osi_admin"}};
  ASSERT_EQ(Run({"crisis", "get", "crs_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"crisis", "get", "crs_1", "--server", "10.0.0.5:50051", "--role", "admin"}), 0);
  EXPECT_THAT(targets_, ElementsAre("crisis.relais:7000", "10.0.0.5:50051"));
  ASSERT_EQ(registry_.metadata.size(), 2u);
  EXPECT_EQ(registry_.metadata[0].find("x-relais-principal")->second, "osi-hi-2");
  EXPECT_EQ(registry_.metadata[0].find("x-relais-role")->second, "osi_admin");
  EXPECT_EQ(registry_.metadata[1].find("x-relais-role")->second, "admin");
}

TEST_F(RelaisctlRun, JsonPrintsOneDocumentWithProtoFieldNames) {
  ASSERT_EQ(Run({"--json", "crisis", "declare", "--lat", "45.76", "--lon", "4.84", "--radius-km",
                 "2", "--need", "skill:nurse=1,days=3"}),
            0)
      << err_.str();
  v1::Crisis printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  EXPECT_EQ(printed.id(), "crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W");
  EXPECT_THAT(out_.str(), HasSubstr("\"radius_km\": 2"));
  EXPECT_THAT(out_.str(), HasSubstr("\"duration_days\": 3"));
}

TEST_F(RelaisctlRun, WritesRetryTransientFailuresWithTheSameRequestId) {
  registry_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down"),
                        grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")};
  ASSERT_EQ(Run({"crisis", "pause", "crs_1", "--reason", "Routes coupées", "--request-id",
                 "my-req-7", "--expected-version", "4"}),
            0)
      << err_.str();
  ASSERT_EQ(registry_.pauses.size(), 3u);
  for (const v1::PauseCrisisRequest& pause : registry_.pauses) {
    EXPECT_THAT(pause, EqualsProto(FromText<v1::PauseCrisisRequest>(R"pb(
                  request_id: "my-req-7"
                  crisis_id: "crs_1"
                  reason: "Routes coupées"
                  expected_version: 4
                )pb")));
  }
  EXPECT_EQ(sleeps_.size(), 2u);
  EXPECT_THAT(out_.str(), HasSubstr("Routes coupées"));
}

TEST_F(RelaisctlRun, UnreachableAfterRetriesExitsWith3) {
  registry_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                        grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                        grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")};
  EXPECT_EQ(Run({"crisis", "pause", "crs_1", "--reason", "x"}), 3);
  EXPECT_EQ(registry_.pauses.size(), 3u);
  EXPECT_EQ(err_.str(),
            "relaisctl: UNAVAILABLE: connection refused (server 127.0.0.1:50051) (outcome "
            "unknown: run again with --request-id req-fixed, it will not apply twice)\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(RelaisctlRun, RetryHintOfADeclareSendsTheSameRequest) {
  registry_.scripted = {grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow"),
                        grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow"),
                        grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")};
  EXPECT_EQ(Run({"crisis", "declare", "--lat", "45.76", "--lon", "4.84"}), 1);
  EXPECT_EQ(err_.str(),
            "relaisctl: DEADLINE_EXCEEDED: slow (outcome unknown: run again with --request-id "
            "req-fixed, it will not apply twice)\n");
  // Running the hint sends the very same request.
  err_.str("");
  ASSERT_EQ(
      Run({"crisis", "declare", "--lat", "45.76", "--lon", "4.84", "--request-id", "req-fixed"}), 0)
      << err_.str();
  ASSERT_EQ(registry_.declares.size(), 4u);
  EXPECT_THAT(registry_.declares[3], EqualsProto(registry_.declares[0]));
}

TEST_F(RelaisctlRun, ServerRefusalIsOneLineAndExit1WithoutRetry) {
  registry_.scripted = {grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                     "area.radius_km: must be greater than 0 and at most 20000")};
  EXPECT_EQ(Run({"crisis", "declare", "--lat", "45.76", "--lon", "4.84"}), 1);
  EXPECT_EQ(registry_.declares.size(), 1u);
  EXPECT_EQ(err_.str(),
            "relaisctl: INVALID_ARGUMENT: area.radius_km: must be greater than 0 and at most "
            "20000\n");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(RelaisctlRun, ReadsRetryToo) {
  registry_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")};
  EXPECT_EQ(Run({"crisis", "get", "crs_1"}), 0) << err_.str();
  EXPECT_EQ(registry_.request_ids.size(), 2u);
}

TEST_F(RelaisctlRun, ListFollowsPagesWithAll) {
  ASSERT_EQ(Run({"crisis", "list", "--all", "--status", "active", "--page-size", "1", "--json"}), 0)
      << err_.str();
  ASSERT_EQ(registry_.lists.size(), 3u);
  EXPECT_EQ(registry_.lists[0].status(), v1::CRISIS_STATUS_ACTIVE);
  EXPECT_EQ(registry_.lists[2].page_token(), "p3");
  v1::ListCrisesResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  ASSERT_EQ(printed.crises_size(), 3);
  EXPECT_EQ(printed.crises(2).id(), "crs_page3");
  EXPECT_EQ(printed.next_page_token(), "");
}

TEST_F(RelaisctlRun, ListWithoutAllShowsOnePageAndTheNextToken) {
  ASSERT_EQ(Run({"crisis", "list", "--page-token", "p2"}), 0) << err_.str();
  ASSERT_EQ(registry_.lists.size(), 1u);
  EXPECT_THAT(out_.str(), HasSubstr("crs_page2"));
  EXPECT_THAT(out_.str(), HasSubstr("--page-token p3"));
}

TEST_F(RelaisctlRun, UsageErrorsExitWith2AndCallNobody) {
  EXPECT_EQ(Run({"crisis", "declare", "--lat", "1", "--lon", "2", "--need", "skill:nurse"}), 2);
  EXPECT_EQ(err_.str(),
            "relaisctl: --need: 'skill:nurse': no quantity: write nurse=<number>\n"
            "Run 'relaisctl crisis declare --help' for usage.\n");
  err_.str("");
  EXPECT_EQ(Run({"crisis", "declare", "--lat", "1", "--lon", "2", "--kind", "quake"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--kind: 'quake' is not one of epidemic, heatwave"));
  EXPECT_EQ(Run({"crisis", "declare", "--kind", "flood"}), 2);  // --lat and --lon are required
  EXPECT_EQ(Run({"crisis", "update", "crs_1"}), 2);
  EXPECT_EQ(Run({"crisis", "update-need", "crs_1", "need_1", "--cancel"}), 2);
  EXPECT_EQ(Run({"crisis", "pause", "crs_1"}), 2);
  EXPECT_EQ(Run({"--timeout", "never", "crisis", "get", "crs_1"}), 2);
  EXPECT_EQ(Run({"crisis"}), 2);
  EXPECT_EQ(Run({"crisis", "explode"}), 2);
  EXPECT_TRUE(targets_.empty());
  EXPECT_TRUE(registry_.request_ids.empty());
}

TEST_F(RelaisctlRun, HelpOnEveryLevelExitsWith0) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"},
                                             {"crisis", "--help"},
                                             {"crisis", "declare", "--help"},
                                             {"crisis", "update-need", "--help"}}) {
    out_.str("");
    EXPECT_EQ(Run(args), 0) << args.size();
    EXPECT_THAT(out_.str(), HasSubstr("Usage: relaisctl"));
    ExpectFits(out_.str());
  }
}

}  // namespace
