// relaisctl: the pure parts (need and responder syntaxes, words, masks, layout, JSON) and whole
// command lines run through relais::cli::Run, the function main calls, against in-process fakes
// of the crisis registry and the resource inventory.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/relaisctl/app.h"
#include "clients/relaisctl/crisis_requests.h"
#include "clients/relaisctl/crisis_views.h"
#include "clients/relaisctl/inventory_requests.h"
#include "clients/relaisctl/inventory_syntax.h"
#include "clients/relaisctl/inventory_views.h"
#include "clients/relaisctl/mobilisation_requests.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/need_syntax.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/retry.h"
#include "clients/relaisctl/table.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "relais/v1/mobilisation.grpc.pb.h"

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

// Busy, or over the caller's rate budget (rate_limiter.h): the server did nothing, and waiting
// helps.
TEST(Retry, RetriesAServerThatSaysItIsBusyOrTheCallerOverItsBudget) {
  std::deque<grpc::Status> answers = {
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "rate limit: retry in 120 ms"),
      grpc::Status::OK};
  int attempts = 0;
  std::vector<absl::Duration> sleeps;
  const grpc::Status status = relais::cli::CallWithRetry(
      {}, [&](absl::Duration d) { sleeps.push_back(d); },
      [&] {
        ++attempts;
        grpc::Status next = answers.front();
        answers.pop_front();
        return next;
      });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(attempts, 2);
  EXPECT_THAT(sleeps, ElementsAre(absl::Milliseconds(250)));
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
        grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::PERMISSION_DENIED,
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

// Responder flag syntaxes ----------------------------------------------------------------------

TEST(InventorySyntax, SkillIsCodeAndLevel) {
  const auto skill = relais::cli::ParseSkill(" nurse : 3 ");
  ASSERT_TRUE(skill.ok()) << skill.status();
  EXPECT_THAT(*skill, EqualsProto(FromText<v1::SkillLevel>(R"pb(code: "nurse" level: 3)pb")));
  // Syntax only: the server names the field when the level is out of range.
  EXPECT_EQ(relais::cli::ParseSkill("nurse:9")->level(), 9);
}

TEST(InventorySyntax, CertificationWithOrWithoutAnExpiry) {
  const auto dated = relais::cli::ParseCertification("yellow-fever-vaccination:2030-01-01");
  ASSERT_TRUE(dated.ok()) << dated.status();
  EXPECT_THAT(*dated, EqualsProto(FromText<v1::HeldCertification>(R"pb(
    code: "yellow-fever-vaccination"
    valid_until { seconds: 1893456000 }
  )pb")));
  const auto lasting = relais::cli::ParseCertification("who-emt-training");
  ASSERT_TRUE(lasting.ok()) << lasting.status();
  EXPECT_EQ(lasting->code(), "who-emt-training");
  EXPECT_FALSE(lasting->has_valid_until());
  // An RFC 3339 time keeps its colons: only the first one separates the code.
  const auto timed = relais::cli::ParseCertification("bls:2026-12-01T08:00:00Z");
  ASSERT_TRUE(timed.ok()) << timed.status();
  EXPECT_EQ(timed->valid_until().seconds(), 1796112000);
}

TEST(InventorySyntax, ContactKindsAreWords) {
  const auto email = relais::cli::ParseContact("email:amina@example.org");
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_THAT(*email,
              EqualsProto(FromText<v1::ContactChannel>(R"pb(kind: CONTACT_KIND_EMAIL
                                                            address: "amina@example.org")pb")));
  EXPECT_EQ(relais::cli::ParseContact("SMS: +33600000000")->kind(), v1::CONTACT_KIND_SMS);
  EXPECT_EQ(relais::cli::ParseContact("SMS: +33600000000")->address(), "+33600000000");
  EXPECT_EQ(relais::cli::ParseContact("phone:+33478000000")->kind(), v1::CONTACT_KIND_PHONE);
  EXPECT_EQ(relais::cli::ContactText(*email), "email:amina@example.org");
}

TEST(InventorySyntax, LanguageIsATrimmedCode) {
  EXPECT_EQ(relais::cli::ParseLanguage(" fr ").value(), "fr");
  EXPECT_FALSE(relais::cli::ParseLanguage("  ").ok());
}

struct SyntaxError {
  std::string name;
  std::string input;
  std::string message;
};

void PrintTo(const SyntaxError& error, std::ostream* os) { *os << error.name; }

// Any of the three parsers, as one status.
absl::Status ParseAny(const std::string& flag, const std::string& text) {
  if (flag == "skill") return relais::cli::ParseSkill(text).status();
  if (flag == "cert") return relais::cli::ParseCertification(text).status();
  return relais::cli::ParseContact(text).status();
}

class InventorySyntaxError : public ::testing::TestWithParam<SyntaxError> {};

TEST_P(InventorySyntaxError, SaysWhatIsWrong) {
  const std::vector<std::string> flag_and_input = absl::StrSplit(GetParam().input, '|');
  const absl::Status status = ParseAny(flag_and_input[0], flag_and_input[1]);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    EachError, InventorySyntaxError,
    ::testing::Values(
        SyntaxError{"skill_empty", "skill| ", "empty skill: expected CODE:LEVEL, e.g. nurse:3"},
        SyntaxError{"skill_no_code", "skill|:3",
                    "no skill code before ':': expected CODE:LEVEL, e.g. nurse:3"},
        SyntaxError{"skill_no_level", "skill|nurse", "no level: write nurse:<1-5>"},
        SyntaxError{"skill_empty_level", "skill|nurse:", "no level: write nurse:<1-5>"},
        SyntaxError{"skill_level_not_a_number", "skill|nurse:expert",
                    "level: 'expert' is not a whole number"},
        SyntaxError{"skill_level_not_whole", "skill|nurse:2.5",
                    "level: '2.5' is not a whole number"},
        SyntaxError{"cert_empty", "cert|",
                    "empty certification: expected CODE[:DATE], e.g. "
                    "yellow-fever-vaccination:2030-01-01"},
        SyntaxError{"cert_no_code", "cert|:2030-01-01",
                    "no certification code before ':': expected CODE[:DATE]"},
        SyntaxError{"cert_no_date", "cert|bls:",
                    "no date after 'bls:': write bls:YYYY-MM-DD, or bls alone if it does not "
                    "lapse"},
        SyntaxError{"cert_bad_date", "cert|bls:2030-13-01",
                    "'2030-13-01' is not a date such as 2030-01-01 (or an RFC 3339 time)"},
        SyntaxError{"cert_short_date", "cert|bls:30-1-1",
                    "'30-1-1' is not a date such as 2030-01-01 (or an RFC 3339 time)"},
        SyntaxError{"contact_empty", "contact|",
                    "empty contact: expected KIND:ADDRESS, e.g. email:amina@example.org"},
        SyntaxError{"contact_no_kind", "contact|amina@example.org",
                    "'amina@example.org' does not start with KIND: (email, sms, phone), e.g. "
                    "email:amina@example.org"},
        SyntaxError{"contact_bad_kind", "contact|fax:+33478000000",
                    "kind 'fax' is not one of email, sms, phone"},
        SyntaxError{"contact_no_address", "contact|sms: ", "no address after 'sms:'"}),
    [](const ::testing::TestParamInfo<SyntaxError>& info) { return info.param.name; });

TEST(Dates, ADateIsMidnightUtcAndPrintsBackAsADate) {
  EXPECT_EQ(relais::cli::ParseDate("2030-01-01"), At("2030-01-01T00:00:00Z"));
  EXPECT_EQ(relais::cli::ParseDate("2030-01-01T10:00:00+02:00"), At("2030-01-01T08:00:00Z"));
  EXPECT_EQ(relais::cli::ParseDate("01/01/2030"), std::nullopt);
  EXPECT_EQ(relais::cli::FormatDate(relais::cli::ToTimestamp(At("2030-01-01T00:00:00Z"))),
            "2030-01-01");
  EXPECT_EQ(relais::cli::FormatDate(relais::cli::ToTimestamp(At("2030-01-01T08:00:00Z"))),
            "2030-01-01T08:00Z");
  EXPECT_EQ(relais::cli::FormatDate({}), "-");
}

// Inventory words ------------------------------------------------------------------------------

TEST(Words, EveryInventoryEnumValueHasAWordThatReadsBack) {
  using namespace relais::cli;  // NOLINT: the vocabularies
  ExpectWordForEveryValue(OrganisationKinds(), v1::OrganisationKind_descriptor());
  ExpectWordForEveryValue(Domains(), v1::Domain_descriptor());
  ExpectWordForEveryValue(ContactKinds(), v1::ContactKind_descriptor());
  ExpectWordForEveryValue(AvailabilityKinds(), v1::AvailabilityKind_descriptor());
}

TEST(Words, InventoryWordsMapBothWays) {
  using namespace relais::cli;  // NOLINT: the vocabularies
  EXPECT_EQ(OrganisationKinds().Parse("public-body"), v1::ORGANISATION_KIND_PUBLIC_BODY);
  EXPECT_EQ(OrganisationKinds().Name(v1::ORGANISATION_KIND_EMERGENCY_SERVICE), "emergency-service");
  EXPECT_EQ(Domains().Parse("Refugee-Reception"), v1::DOMAIN_REFUGEE_RECEPTION);
  EXPECT_EQ(Domains().Name(v1::DOMAIN_MHPSS), "mhpss");
  EXPECT_EQ(ContactKinds().Parse("sms"), v1::CONTACT_KIND_SMS);
  EXPECT_EQ(AvailabilityKinds().Parse("on-call"), v1::AVAILABILITY_KIND_ON_CALL);
  EXPECT_EQ(AvailabilityKinds().Name(v1::AVAILABILITY_KIND_UNAVAILABLE), "unavailable");
  EXPECT_EQ(AvailabilityKinds().Parse("on_call"), std::nullopt);
  EXPECT_EQ(Domains().Parse("DOMAIN_WASH"), std::nullopt);
}

// Inventory update masks -----------------------------------------------------------------------

TEST(OrganisationMask, NamesExactlyTheFlagsGiven) {
  relais::cli::OrganisationFields fields;
  fields.name = "Humanity & Inclusion";
  fields.domains = std::vector<v1::Domain>{v1::DOMAIN_REHABILITATION, v1::DOMAIN_MHPSS};
  fields.lat = 45.7342;
  fields.lon = 4.8631;
  const auto request = relais::cli::BuildUpdateOrganisationRequest("org_1", fields, 4, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(*request, EqualsProto(FromText<v1::UpdateOrganisationRequest>(R"pb(
    request_id: "r"
    organisation_id: "org_1"
    organisation {
      name: "Humanity & Inclusion"
      domains: [ DOMAIN_REHABILITATION, DOMAIN_MHPSS ]
      location { lat: 45.7342 lon: 4.8631 }
    }
    update_mask { paths: [ "name", "domains", "location" ] }
    expected_version: 4
  )pb")));
}

TEST(OrganisationMask, ContactFlagsAreOnePathAndComeTogether) {
  relais::cli::OrganisationFields fields;
  fields.email = "contact@example.org";
  fields.phone = "+33478000000";
  fields.website = "";  // cleared
  fields.kind = v1::ORGANISATION_KIND_NGO;
  fields.commune = "Lyon";
  fields.description = "Soins";
  const auto request = relais::cli::BuildUpdateOrganisationRequest("org_1", fields, 0, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(Paths(request->update_mask()),
              ElementsAre("kind", "commune", "contact", "description"));
  EXPECT_EQ(request->organisation().contact().email(), "contact@example.org");

  relais::cli::OrganisationFields half;
  half.phone = "+33478000000";
  const auto refused = relais::cli::BuildUpdateOrganisationRequest("org_1", half, 0, "r");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "--email, --phone and --website replace the whole contact: give all three (\"\" "
            "clears one): missing --email --website");
}

TEST(OrganisationMask, HalfALocationOrNothingIsAUsageError) {
  relais::cli::OrganisationFields fields;
  fields.lon = 4.85;
  const auto request = relais::cli::BuildUpdateOrganisationRequest("org_1", fields, 0, "r");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(),
            "--lat and --lon replace the location together: missing --lat");
  const auto nothing = relais::cli::BuildUpdateOrganisationRequest("org_1", {}, 0, "r");
  ASSERT_FALSE(nothing.ok());
  EXPECT_THAT(std::string(nothing.status().message()), HasSubstr("nothing to update"));
}

TEST(ResponderMask, NamesEveryFlagGivenInTheProtoOrder) {
  relais::cli::ResponderFields f;
  f.max_days = 21;
  f.contacts = std::vector<v1::ContactChannel>{*relais::cli::ParseContact("sms:+33600000000")};
  f.commune = "Villeurbanne";
  f.lat = 45.77;
  f.lon = 4.88;
  f.passport_until = At("2031-05-01T00:00:00Z");
  f.passport_country = "FR";
  f.certifications = std::vector<v1::HeldCertification>{*relais::cli::ParseCertification("bls")};
  f.languages = std::vector<std::string>{"fr", "ar"};
  f.skills = std::vector<v1::SkillLevel>{*relais::cli::ParseSkill("nurse:4")};
  f.name = "Amina D.";
  f.external_ref = "HI-2024-017";
  const auto request = relais::cli::BuildUpdateResponderRequest("rsp_1", f, 2, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(*request, EqualsProto(FromText<v1::UpdateResponderRequest>(R"pb(
    request_id: "r"
    responder_id: "rsp_1"
    responder {
      external_ref: "HI-2024-017"
      display_name: "Amina D."
      skills { code: "nurse" level: 4 }
      languages: [ "fr", "ar" ]
      certifications { code: "bls" }
      travel {
        passport_valid_until { seconds: 1935360000 }
        passport_country: "FR"
      }
      home_base { lat: 45.77 lon: 4.88 }
      home_commune: "Villeurbanne"
      max_deployment_days: 21
      contacts { kind: CONTACT_KIND_SMS address: "+33600000000" }
    }
    update_mask {
      paths: [
        "external_ref",
        "display_name",
        "skills",
        "languages",
        "certifications",
        "travel",
        "home_base",
        "home_commune",
        "max_deployment_days",
        "contacts"
      ]
    }
    expected_version: 2
  )pb")));
}

TEST(ResponderMask, NoFlagsEmptyTheirField) {
  relais::cli::ResponderFields f;
  f.no_languages = true;
  f.no_certifications = true;
  f.no_passport = true;
  const auto request = relais::cli::BuildUpdateResponderRequest("rsp_1", f, 0, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(Paths(request->update_mask()), ElementsAre("languages", "certifications", "travel"));
  EXPECT_THAT(request->responder(), EqualsProto(v1::Responder()));
}

TEST(ResponderMask, HalfAPairOrNothingIsAUsageError) {
  relais::cli::ResponderFields travel;
  travel.passport_until = At("2031-05-01T00:00:00Z");
  const auto half_travel = relais::cli::BuildUpdateResponderRequest("rsp_1", travel, 0, "r");
  ASSERT_FALSE(half_travel.ok());
  EXPECT_EQ(half_travel.status().message(),
            "--passport-until and --passport-country replace the travel readiness together "
            "(--no-passport empties it): missing --passport-country");
  relais::cli::ResponderFields home;
  home.lat = 45.7;
  const auto half_home = relais::cli::BuildUpdateResponderRequest("rsp_1", home, 0, "r");
  ASSERT_FALSE(half_home.ok());
  EXPECT_EQ(half_home.status().message(),
            "--lat and --lon replace the home base together: missing --lon");
  const auto nothing = relais::cli::BuildUpdateResponderRequest("rsp_1", {}, 0, "r");
  ASSERT_FALSE(nothing.ok());
  EXPECT_THAT(std::string(nothing.status().message()), HasSubstr("nothing to update"));
}

TEST(ResponderRequest, RegisterCarriesNoOrganisation) {
  relais::cli::ResponderFields f;
  f.name = "Amina D.";
  f.lat = 0;
  f.lon = 0;
  const v1::RegisterResponderRequest request = relais::cli::BuildRegisterResponderRequest(f, "r");
  EXPECT_EQ(request.responder().organisation_id(), "");
  EXPECT_TRUE(request.responder().has_home_base());  // the equator, but said so
  EXPECT_FALSE(request.responder().has_travel());
}

// Inventory views ------------------------------------------------------------------------------

v1::Organisation SampleOrganisation() {
  v1::Organisation organisation = FromText<v1::Organisation>(R"pb(
    id: "org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"
    version: 2
    kind: ORGANISATION_KIND_NGO
    domains: [ DOMAIN_HUMANITARIAN_HEALTH, DOMAIN_REHABILITATION, DOMAIN_MHPSS ]
    commune: "Lyon"
    location { lat: 45.7342 lon: 4.8631 }
    contact { email: "contact@example.org" website: "https://example.org" }
    created_at { seconds: 1795132800 }
  )pb");
  organisation.set_name("Handicap International - Humanity & Inclusion " + std::string(80, 'N'));
  organisation.set_description(std::string(300, 'd') + " fin");
  return organisation;
}

TEST(InventoryView, OrganisationDetailAndTableFit) {
  const std::string detail = relais::cli::OrganisationDetail(SampleOrganisation());
  ExpectFits(detail);
  EXPECT_THAT(detail, HasSubstr("humanitarian-health, rehabilitation, mhpss"));
  EXPECT_THAT(detail, HasSubstr("45.73420, 4.86310"));
  EXPECT_THAT(detail, HasSubstr("contact@example.org"));
  EXPECT_THAT(detail, HasSubstr(" fin"));
  EXPECT_THAT(detail, Not(HasSubstr("DOMAIN_")));

  google::protobuf::RepeatedPtrField<v1::Organisation> organisations;
  *organisations.Add() = SampleOrganisation();
  const std::string table = relais::cli::OrganisationTable(organisations);
  ExpectFits(table);
  const std::vector<std::string> lines = Lines(table);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], testing::StartsWith("ORGANISATION"));
  EXPECT_THAT(lines[1], HasSubstr("org_01M8Y3J4M5N6P7Q8R9S0T1V2W3  -"));
  EXPECT_THAT(lines[1], HasSubstr("  ngo  "));
  EXPECT_THAT(lines[0], HasSubstr("EXTERNAL REF"));
  EXPECT_EQ(relais::cli::OrganisationTable({}), "No organisations.\n");
}

v1::Responder SampleResponder() {
  return FromText<v1::Responder>(R"pb(
    id: "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4"
    version: 3
    organisation_id: "org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"
    external_ref: "HI-2024-017"
    display_name: "Amina Diallo"
    skills { code: "nurse" level: 4 }
    skills { code: "psychologist-mhpss" level: 2 }
    skills { code: "midwife" level: 5 }
    skills { code: "logistician" level: 1 }
    languages: [ "fr", "en", "wo" ]
    certifications {
      code: "yellow-fever-vaccination"
      valid_until { seconds: 1893456000 }
    }
    certifications {
      code: "bls"
      valid_until { seconds: 1795132800 }
    }
    certifications { code: "who-emt-training" }
    travel {
      passport_valid_until { seconds: 1935360000 }
      passport_country: "FR"
    }
    home_base { lat: 45.7719 lon: 4.8902 }
    home_commune: "Villeurbanne"
    max_deployment_days: 21
    contacts { kind: CONTACT_KIND_EMAIL address: "amina@example.org" }
    contacts { kind: CONTACT_KIND_SMS address: "+33600000000" }
  )pb");
}

TEST(InventoryView, ResponderDetailShowsSkillsCertificationsTravelAndContacts) {
  const std::string detail =
      relais::cli::ResponderDetail(SampleResponder(), At("2026-11-26T09:30:00Z"));
  ExpectFits(detail);
  EXPECT_THAT(detail, HasSubstr("Amina Diallo"));
  EXPECT_THAT(detail, HasSubstr("HI-2024-017"));
  EXPECT_THAT(detail, HasSubstr("fr, en, wo"));
  EXPECT_THAT(detail, HasSubstr("21 days"));
  EXPECT_THAT(detail, HasSubstr("FR, valid until 2031-05-01"));
  EXPECT_THAT(detail, HasSubstr("Skills (4)"));
  EXPECT_THAT(detail, testing::ContainsRegex("nurse +4"));
  EXPECT_THAT(detail, HasSubstr("Certifications (3)"));
  EXPECT_THAT(detail, testing::ContainsRegex("yellow-fever-vaccination +2030-01-01 +valid"));
  EXPECT_THAT(detail, testing::ContainsRegex("bls +2026-11-20 +LAPSED"));
  EXPECT_THAT(detail, testing::ContainsRegex("who-emt-training +no expiry +valid"));
  EXPECT_THAT(detail, HasSubstr("Contacts (2)"));
  EXPECT_THAT(detail, testing::ContainsRegex("sms +\\+33600000000"));
  EXPECT_THAT(detail, Not(HasSubstr("CONTACT_KIND")));

  v1::Responder bare = SampleResponder();
  bare.clear_certifications();
  bare.clear_travel();
  const std::string later = relais::cli::ResponderDetail(bare, At("2032-01-01T00:00:00Z"));
  EXPECT_THAT(later, HasSubstr("No certifications."));
  EXPECT_THAT(later, testing::ContainsRegex("Passport +none"));
  bare.mutable_travel()->set_passport_country("FR");
  bare.mutable_travel()->mutable_passport_valid_until()->set_seconds(1935360000);
  EXPECT_THAT(relais::cli::ResponderDetail(bare, At("2032-01-01T00:00:00Z")),
              HasSubstr("FR, LAPSED on 2031-05-01"));
}

TEST(InventoryView, ResponderTableShowsTopSkillsAndFits) {
  EXPECT_EQ(relais::cli::TopSkills(SampleResponder(), 3),
            "midwife:5 nurse:4 psychologist-mhpss:2 +1");
  google::protobuf::RepeatedPtrField<v1::Responder> responders;
  *responders.Add() = SampleResponder();
  v1::Responder& long_one = *responders.Add();
  long_one = SampleResponder();
  long_one.set_display_name(std::string(90, 'A'));
  long_one.set_home_commune(std::string(60, 'C'));
  const std::string table = relais::cli::ResponderTable(responders);
  ExpectFits(table);
  const std::vector<std::string> lines = Lines(table);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0],
              testing::ContainsRegex("RESPONDER +NAME +EXTERNAL REF +TOP SKILLS +COMMUNE"));
  EXPECT_THAT(lines[1], HasSubstr("rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4  Amina Diallo"));
  EXPECT_THAT(lines[1], HasSubstr("HI-2024-017"));
  EXPECT_THAT(lines[1], HasSubstr("midwife:5"));
  EXPECT_EQ(relais::cli::ResponderTable({}), "No responders.\n");
}

TEST(InventoryView, CalendarIsATableOfPeriods) {
  v1::AvailabilityCalendar calendar = FromText<v1::AvailabilityCalendar>(R"pb(
    responder_id: "rsp_1"
    version: 5
    periods {
      id: "avl_01M8Y3J4M5N6P7Q8R9S0T1V2W5"
      kind: AVAILABILITY_KIND_ON_CALL
      from { seconds: 1796112000 }
      until { seconds: 1797357600 }
    }
  )pb");
  calendar.mutable_periods(0)->set_note(std::string(150, 'n'));
  const std::string view = relais::cli::CalendarView(calendar);
  ExpectFits(view);
  EXPECT_THAT(view, HasSubstr("Availability of rsp_1 (calendar version 5)"));
  EXPECT_THAT(view, testing::ContainsRegex("avl_01M8Y3J4M5N6P7Q8R9S0T1V2W5 +on-call +"
                                           "2026-12-01T08:00Z +2026-12-15T18:00Z +nnn"));
  calendar.clear_periods();
  EXPECT_THAT(relais::cli::CalendarView(calendar), HasSubstr("No periods ahead."));
}

// A stock line as the server returns it, with long ids.
v1::StockLine SampleStockLine() {
  return FromText<v1::StockLine>(R"pb(
    id: "stk_01M8Y3J4M5N6P7Q8R9S0T1V2W8"
    version: 1
    organisation_id: "org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"
    warehouse_id: "whs_01M8Y3J4M5N6P7Q8R9S0T1V2W7"
    location { lat: 45.7677 lon: 4.9226 }
    item_code: "who-cholera-kit-central"
    lot: "L2024-118"
    expires_at { seconds: 1814400000 }
    ledger { offered: 140 adjusted: -2 available: 120 held: 10 committed: 5 consumed: 3 }
  )pb");
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

// Records what it receives, by method; answers the scripted statuses first, then a plausible
// response built from the request.
class FakeInventory final : public v1::ResourceInventory::Service {
 public:
  grpc::Status RegisterOrganisation(grpc::ServerContext* context,
                                    const v1::RegisterOrganisationRequest* request,
                                    v1::Organisation* response) override {
    return Answer(*context, "RegisterOrganisation", *request, [&] {
      *response = request->organisation();
      response->set_id("org_01M8Y3J4M5N6P7Q8R9S0T1V2W3");
      response->set_version(1);
    });
  }

  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const v1::GetOrganisationRequest* request,
                               v1::Organisation* response) override {
    return Answer(*context, "GetOrganisation", *request,
                  [&] { response->set_id(request->organisation_id()); });
  }

  grpc::Status UpdateOrganisation(grpc::ServerContext* context,
                                  const v1::UpdateOrganisationRequest* request,
                                  v1::Organisation* response) override {
    return Answer(*context, "UpdateOrganisation", *request, [&] {
      *response = request->organisation();
      response->set_id(request->organisation_id());
    });
  }

  grpc::Status ListOrganisations(grpc::ServerContext* context,
                                 const v1::ListOrganisationsRequest* request,
                                 v1::ListOrganisationsResponse* response) override {
    // Two pages of one organisation each: "" and "o2".
    return Answer(*context, "ListOrganisations", *request, [&] {
      const bool first = request->page_token().empty();
      v1::Organisation* organisation = response->add_organisations();
      organisation->set_id(first ? "org_page1" : "org_page2");
      organisation->set_kind(v1::ORGANISATION_KIND_HOSPITAL);
      organisation->set_name("Hospices Civils de Lyon");
      if (first) response->set_next_page_token("o2");
    });
  }

  grpc::Status RegisterResponder(grpc::ServerContext* context,
                                 const v1::RegisterResponderRequest* request,
                                 v1::Responder* response) override {
    return Answer(*context, "RegisterResponder", *request, [&] {
      *response = request->responder();
      response->set_id("rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4");
      response->set_version(1);
      // The caller's organisation, as the real service does.
      auto it = last_metadata().find("x-relais-organisation");
      if (it != last_metadata().end()) response->set_organisation_id(it->second);
    });
  }

  grpc::Status GetResponder(grpc::ServerContext* context, const v1::GetResponderRequest* request,
                            v1::Responder* response) override {
    return Answer(*context, "GetResponder", *request, [&] {
      response->set_id(request->responder_id());
      response->set_display_name("Amina Diallo");
      response->add_skills()->set_code("nurse");
      response->mutable_skills(0)->set_level(4);
      v1::HeldCertification* cert = response->add_certifications();
      cert->set_code("bls");
      cert->mutable_valid_until()->set_seconds(1795132800);  // 2026-11-20: before "now"
    });
  }

  grpc::Status UpdateResponder(grpc::ServerContext* context,
                               const v1::UpdateResponderRequest* request,
                               v1::Responder* response) override {
    return Answer(*context, "UpdateResponder", *request, [&] {
      *response = request->responder();
      response->set_id(request->responder_id());
    });
  }

  grpc::Status ListResponders(grpc::ServerContext* context,
                              const v1::ListRespondersRequest* request,
                              v1::ListRespondersResponse* response) override {
    return Answer(*context, "ListResponders", *request, [&] {
      v1::Responder* responder = response->add_responders();
      responder->set_id("rsp_of_" + request->organisation_id());
      responder->set_display_name("Amina Diallo");
      responder->add_skills()->set_code("nurse");
      responder->set_home_commune("Villeurbanne");
    });
  }

  grpc::Status RemoveResponder(grpc::ServerContext* context,
                               const v1::RemoveResponderRequest* request,
                               v1::RemoveResponderResponse* response) override {
    return Answer(*context, "RemoveResponder", *request,
                  [&] { response->set_responder_id(request->responder_id()); });
  }

  grpc::Status SetAvailability(grpc::ServerContext* context,
                               const v1::SetAvailabilityRequest* request,
                               v1::AvailabilityCalendar* response) override {
    return Answer(*context, "SetAvailability", *request, [&] {
      response->set_responder_id(request->responder_id());
      response->set_version(1);
      *response->add_periods() = request->period();
      response->mutable_periods(0)->set_id("avl_01M8Y3J4M5N6P7Q8R9S0T1V2W5");
    });
  }

  grpc::Status ClearAvailability(grpc::ServerContext* context,
                                 const v1::ClearAvailabilityRequest* request,
                                 v1::AvailabilityCalendar* response) override {
    return Answer(*context, "ClearAvailability", *request, [&] {
      response->set_responder_id(request->responder_id());
      response->set_version(2);
    });
  }

  grpc::Status GetAvailability(grpc::ServerContext* context,
                               const v1::GetAvailabilityRequest* request,
                               v1::AvailabilityCalendar* response) override {
    return Answer(*context, "GetAvailability", *request, [&] {
      response->set_responder_id(request->responder_id());
      response->set_version(7);
      *response->add_periods() = FromText<v1::AvailabilityPeriod>(R"pb(
        id: "avl_a"
        kind: AVAILABILITY_KIND_AVAILABLE
        from { seconds: 1796112000 }
        until { seconds: 1797357600 }
        note: "disponible"
      )pb");
    });
  }

  grpc::Status RecordExperience(grpc::ServerContext* context,
                                const v1::RecordExperienceRequest* request,
                                v1::Responder* response) override {
    return Answer(*context, "RecordExperience", *request, [&] {
      response->set_id(request->responder_id());
      response->set_display_name("Amina Diallo");
      *response->add_experience() = request->mission();
    });
  }

  grpc::Status FindResponders(grpc::ServerContext* context,
                              const v1::FindRespondersRequest* request,
                              v1::FindRespondersResponse* response) override {
    // Two pages of one match each: "" and "f2".
    return Answer(*context, "FindResponders", *request, [&] {
      const bool first = request->page_token().empty();
      *response->add_matches() = FromText<v1::ResponderMatch>(R"pb(
        organisation_id: "org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"
        level: 4
        distance_km: 3.46
        availability: AVAILABILITY_KIND_ON_CALL
        missions_of_kind: 2
      )pb");
      response->mutable_matches(0)->set_responder_id(first ? "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4"
                                                           : "rsp_page2");
      if (request->has_abroad()) response->mutable_matches(0)->set_fit(0.8125);
      if (first) response->set_next_page_token("f2");
    });
  }

  grpc::Status OfferTeam(grpc::ServerContext* context, const v1::OfferTeamRequest* request,
                         v1::Team* response) override {
    return Answer(*context, "OfferTeam", *request, [&] {
      *response = request->team();
      response->set_id("team_01M8Y3J4M5N6P7Q8R9S0T1V2W6");
      response->set_version(1);
    });
  }

  grpc::Status GetTeam(grpc::ServerContext* context, const v1::GetTeamRequest* request,
                       v1::Team* response) override {
    return Answer(*context, "GetTeam", *request, [&] { response->set_id(request->team_id()); });
  }

  grpc::Status UpdateTeam(grpc::ServerContext* context, const v1::UpdateTeamRequest* request,
                          v1::Team* response) override {
    return Answer(*context, "UpdateTeam", *request, [&] {
      *response = request->team();
      response->set_id(request->team_id());
    });
  }

  grpc::Status ListTeams(grpc::ServerContext* context, const v1::ListTeamsRequest* request,
                         v1::ListTeamsResponse* response) override {
    // Two pages of one team each: "" and "t2".
    return Answer(*context, "ListTeams", *request, [&] {
      const bool first = request->page_token().empty();
      v1::Team* team = response->add_teams();
      team->set_id(first ? "team_page1" : "team_page2");
      team->set_type_code("who-emt-type-1-mobile");
      team->set_name("EMT HI Lyon 1");
      team->add_member_ids("rsp_1");
      team->add_member_ids("rsp_2");
      if (first) response->set_next_page_token("t2");
    });
  }

  grpc::Status RemoveTeam(grpc::ServerContext* context, const v1::RemoveTeamRequest* request,
                          v1::RemoveTeamResponse* response) override {
    return Answer(*context, "RemoveTeam", *request,
                  [&] { response->set_team_id(request->team_id()); });
  }

  grpc::Status RegisterWarehouse(grpc::ServerContext* context,
                                 const v1::RegisterWarehouseRequest* request,
                                 v1::Warehouse* response) override {
    return Answer(*context, "RegisterWarehouse", *request, [&] {
      *response = request->warehouse();
      response->set_id("whs_01M8Y3J4M5N6P7Q8R9S0T1V2W7");
      response->set_version(1);
    });
  }

  grpc::Status GetWarehouse(grpc::ServerContext* context, const v1::GetWarehouseRequest* request,
                            v1::Warehouse* response) override {
    return Answer(*context, "GetWarehouse", *request,
                  [&] { response->set_id(request->warehouse_id()); });
  }

  grpc::Status ListWarehouses(grpc::ServerContext* context,
                              const v1::ListWarehousesRequest* request,
                              v1::ListWarehousesResponse* response) override {
    return Answer(*context, "ListWarehouses", *request, [&] {
      v1::Warehouse* warehouse = response->add_warehouses();
      warehouse->set_id("whs_of_" + request->organisation_id());
      warehouse->set_commune("Vaulx-en-Velin");
      warehouse->set_name("Bioport");
    });
  }

  // Two pages: a record made by the admin for an organisation, then an older one.
  grpc::Status ListAuditRecords(grpc::ServerContext* context,
                                const v1::ListAuditRecordsRequest* request,
                                v1::ListAuditRecordsResponse* response) override {
    return Answer(*context, "ListAuditRecords", *request, [&] {
      v1::Event* record = response->add_records();
      record->mutable_time()->set_seconds(1780000000);
      if (request->page_token().empty()) {
        record->set_cursor("1780000000000-1");
        record->set_type(v1::EVENT_TYPE_RESPONDER_UPDATED);
        record->set_responder_id("rsp_1");
        record->set_principal_id("admin-lyon");
        record->set_on_behalf_of("org_hi");
        record->set_service("inventory");
        record->set_request_id("import-hi-7");
        response->set_next_page_token("1780000000000-1");
      } else {
        record->set_cursor("1770000000000-0");
        record->set_type(v1::EVENT_TYPE_RESPONDER_REGISTERED);
        record->set_responder_id("rsp_1");
        record->set_principal_id("osi-admin-hi");
        record->set_service("inventory");
        record->set_request_id("rsp-hi-1");
      }
      response->set_retention_days(400);
    });
  }

  grpc::Status OfferSupplies(grpc::ServerContext* context, const v1::OfferSuppliesRequest* request,
                             v1::StockLine* response) override {
    return Answer(*context, "OfferSupplies", *request, [&] {
      *response = request->line();
      response->set_id("stk_01M8Y3J4M5N6P7Q8R9S0T1V2W8");
      response->mutable_ledger()->set_offered(request->quantity());
      response->mutable_ledger()->set_available(request->quantity());
    });
  }

  grpc::Status AdjustStock(grpc::ServerContext* context, const v1::AdjustStockRequest* request,
                           v1::StockLine* response) override {
    return Answer(*context, "AdjustStock", *request, [&] {
      response->set_id(request->stock_line_id());
      response->set_item_code("who-cholera-kit-central");
      response->mutable_ledger()->set_offered(100);
      response->mutable_ledger()->set_adjusted(request->delta());
      response->mutable_ledger()->set_available(100 + request->delta());
    });
  }

  grpc::Status ListStock(grpc::ServerContext* context, const v1::ListStockRequest* request,
                         v1::ListStockResponse* response) override {
    return Answer(*context, "ListStock", *request,
                  [&] { *response->add_lines() = SampleStockLine(); });
  }

  grpc::Status FindSupplies(grpc::ServerContext* context, const v1::FindSuppliesRequest* request,
                            v1::FindSuppliesResponse* response) override {
    return Answer(*context, "FindSupplies", *request, [&] {
      v1::SupplyMatch* match = response->add_matches();
      *match->mutable_line() = SampleStockLine();
      match->set_distance_km(12.34);
      response->set_total_available(120);
      response->set_covered(request->quantity() <= 120);
    });
  }

  grpc::Status Hold(grpc::ServerContext* context, const v1::HoldRequest* request,
                    v1::Hold* response) override {
    return Answer(*context, "Hold", *request, [&] {
      response->set_id("hld_01M8Y3J4M5N6P7Q8R9S0T1V2W9");
      response->set_state(v1::HOLD_STATE_HELD);
      response->set_holder_ref(request->holder_ref());
      response->set_responder_id(request->responder_id());
      response->set_team_id(request->team_id());
      if (request->has_window()) *response->mutable_window() = request->window();
      // now (2026-11-26T09:30:05.75Z) + 15 minutes.
      response->mutable_expires_at()->set_seconds(1795686305);
    });
  }

  grpc::Status GetHold(grpc::ServerContext* context, const v1::GetHoldRequest* request,
                       v1::Hold* response) override {
    return Answer(*context, "GetHold", *request, [&] {
      *response = FromText<v1::Hold>(R"pb(
        kind: HOLD_KIND_TEAM
        state: HOLD_STATE_COMMITTED
        team_id: "team_1"
        member_ids: [ "rsp_1", "rsp_2" ]
        stock { stock_line_id: "stk_kit" quantity: 4 consumed: 1 }
        window {
          start { seconds: 1796112000 }
          end { seconds: 1797357600 }
        }
        holder_ref: "mob:req_7"
      )pb");
      response->set_id(request->hold_id());
    });
  }

  // The hold's id and the state a transition leads to.
  template <typename Request>
  grpc::Status Transition(grpc::ServerContext* context, const std::string& method,
                          const Request& request, v1::HoldState state, v1::Hold* response) {
    return Answer(*context, method, request, [&] {
      response->set_id(request.hold_id());
      response->set_state(state);
    });
  }

  grpc::Status ConfirmHold(grpc::ServerContext* context, const v1::ConfirmHoldRequest* request,
                           v1::Hold* response) override {
    return Transition(context, "ConfirmHold", *request, v1::HOLD_STATE_COMMITTED, response);
  }

  grpc::Status ReleaseHold(grpc::ServerContext* context, const v1::ReleaseHoldRequest* request,
                           v1::Hold* response) override {
    return Transition(context, "ReleaseHold", *request, v1::HOLD_STATE_RELEASED, response);
  }

  grpc::Status ReleaseCommitment(grpc::ServerContext* context,
                                 const v1::ReleaseCommitmentRequest* request,
                                 v1::Hold* response) override {
    return Transition(context, "ReleaseCommitment", *request, v1::HOLD_STATE_RELEASED, response);
  }

  grpc::Status ExtendCommitment(grpc::ServerContext* context,
                                const v1::ExtendCommitmentRequest* request,
                                v1::Hold* response) override {
    return Transition(context, "ExtendCommitment", *request, v1::HOLD_STATE_COMMITTED, response);
  }

  grpc::Status ConsumeCommitment(grpc::ServerContext* context,
                                 const v1::ConsumeCommitmentRequest* request,
                                 v1::Hold* response) override {
    return Transition(context, "ConsumeCommitment", *request, v1::HOLD_STATE_CONSUMED, response);
  }

  // The requests received, in order, and each call's method and headers.
  struct Call {
    std::string method;
    std::string request_text;  // TextFormat of the request
    std::multimap<std::string, std::string> metadata;
  };
  std::vector<Call> calls;
  std::deque<grpc::Status> scripted;

  // The requests of one method, parsed back.
  template <typename Request>
  std::vector<Request> Requests(const std::string& method) {
    std::vector<Request> requests;
    for (const Call& call : calls) {
      if (call.method == method) requests.push_back(FromText<Request>(call.request_text));
    }
    return requests;
  }

 private:
  const std::multimap<std::string, std::string>& last_metadata() { return calls.back().metadata; }

  grpc::Status Answer(const grpc::ServerContext& context, const std::string& method,
                      const google::protobuf::Message& request, const std::function<void()>& fill) {
    std::lock_guard<std::mutex> lock(mu_);
    Call call{.method = method};
    google::protobuf::TextFormat::PrintToString(request, &call.request_text);
    for (const auto& [key, value] : context.client_metadata()) {
      call.metadata.emplace(std::string(key.data(), key.size()),
                            std::string(value.data(), value.size()));
    }
    calls.push_back(std::move(call));
    if (!scripted.empty()) {
      grpc::Status status = scripted.front();
      scripted.pop_front();
      return status;
    }
    fill();
    return grpc::Status::OK;
  }

  std::mutex mu_;
};

// The mobilisation service ---------------------------------------------------------------------

v1::MobilisationRequest SampleRequest() {
  return FromText<v1::MobilisationRequest>(R"pb(
    id: "mrq_1"
    version: 2
    crisis_id: "crs_1"
    need_id: "need_1"
    kind: CANDIDATE_KIND_RESPONDER
    responder_id: "rsp_1"
    organisation_id: "org_1"
    quantity: 1
    window {
      start { seconds: 1796112000 }
      end { seconds: 1797321600 }
    }
    state: REQUEST_STATE_REQUESTED
    respond_by { seconds: 1795686305 }
    hold_id: "hld_1"
    round: 1
    created_at { seconds: 1795685405 }
  )pb");
}

v1::Assignment SampleAssignment() {
  return FromText<v1::Assignment>(R"pb(
    id: "asg_1"
    version: 3
    crisis_id: "crs_1"
    need_id: "need_1"
    mobilisation_request_id: "mrq_1"
    hold_id: "hld_1"
    kind: CANDIDATE_KIND_RESPONDER
    responder_id: "rsp_1"
    organisation_id: "org_1"
    quantity: 1
    state: ASSIGNMENT_STATE_ACCEPTED
    window {
      start { seconds: 1796112000 }
      end { seconds: 1797321600 }
    }
  )pb");
}

v1::NeedProgress SampleProgress() {
  return FromText<v1::NeedProgress>(R"pb(
    crisis_id: "crs_1"
    need_id: "need_1"
    version: 4
    resource { kind: RESOURCE_KIND_SKILL code: "nurse" }
    required: 4
    requested: 3
    accepted: 1
    declined: 2
    coverage: COVERAGE_OPEN
    rounds: 2
  )pb");
}

v1::CrisisBoard SampleBoard(const std::string& crisis_id, const std::string& cursor) {
  v1::CrisisBoard board = FromText<v1::CrisisBoard>(R"pb(
    title: "Choléra - camp de Kalemie"
    status: "ACTIVE"
    unreached: 2
    as_of { seconds: 1795685405 }
    needs {
      progress {
        need_id: "need_1"
        resource { kind: RESOURCE_KIND_SKILL code: "nurse" }
        required: 4
        requested: 3
        accepted: 1
        coverage: COVERAGE_OPEN
        rounds: 2
      }
      pending {
        request {
          id: "mrq_1"
          kind: CANDIDATE_KIND_RESPONDER
          responder_id: "rsp_1"
          quantity: 1
          state: REQUEST_STATE_PROVISIONAL
        }
        time_left { seconds: 894 }
      }
    }
    needs {
      progress {
        need_id: "need_2"
        resource { kind: RESOURCE_KIND_SUPPLY_ITEM code: "iehk-2017-basic-unit" }
        required: 2
        accepted: 2
        deployed: 2
        coverage: COVERAGE_COVERED
        rounds: 1
      }
    }
  )pb");
  board.set_crisis_id(crisis_id);
  board.set_cursor(cursor);
  return board;
}

// One update of a stream: an event with its cursor and ids, or a heartbeat.
v1::MobilisationUpdate EventUpdate(const std::string& cursor, v1::EventType type,
                                   const std::string& crisis_id = "crs_1") {
  v1::MobilisationUpdate update = FromText<v1::MobilisationUpdate>(R"pb(
    event {
      time { seconds: 1795685462 }
      service: "mobilisation"
      need_id: "need_1"
      mobilisation_request_id: "mrq_1"
      responder_id: "rsp_1"
      principal_id: "rsp_1"
    }
  )pb");
  update.mutable_event()->set_cursor(cursor);
  update.mutable_event()->set_type(type);
  update.mutable_event()->set_crisis_id(crisis_id);
  return update;
}

v1::MobilisationUpdate Heartbeat(const std::string& cursor) {
  v1::MobilisationUpdate update;
  update.mutable_heartbeat()->set_cursor(cursor);
  update.mutable_heartbeat()->mutable_time()->set_seconds(1795685470);
  return update;
}

// Records what it receives, by method; answers the scripted statuses first, then a plausible
// response. Each watch call plays the next scripted stream: its updates, then its end status;
// when the script has run out a call waits for the client to go (and calls `on_idle` first).
class FakeMobilisation final : public v1::Mobilisation::Service {
 public:
  struct Stream {
    std::vector<v1::MobilisationUpdate> updates;
    grpc::Status end;
  };

  grpc::Status ProposeCandidates(grpc::ServerContext* context,
                                 const v1::ProposeCandidatesRequest* request,
                                 v1::ProposeCandidatesResponse* response) override {
    return Answer(*context, "ProposeCandidates", *request, [&] {
      *response = FromText<v1::ProposeCandidatesResponse>(R"pb(
        candidates {
          kind: CANDIDATE_KIND_RESPONDER
          responder_id: "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4"
          organisation_id: "org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"
          rank: 1
          score: 412.5
          reasons: [
            "level 3 in cholera-case-management",
            "12.4 km away",
            "2 past epidemic missions",
            "requested 1 time in the last 30 days",
            "available (not on call) for the whole window"
          ]
        }
        candidates {
          kind: CANDIDATE_KIND_STOCK
          stock_line_id: "stk_1"
          organisation_id: "org_2"
          rank: 2
          score: 7
          reasons: "140 units in Vaulx-en-Velin"
        }
        window {
          start { seconds: 1796112000 }
          end { seconds: 1797321600 }
        }
        already_asked: 2
      )pb");
    });
  }

  grpc::Status Mobilise(grpc::ServerContext* context, const v1::MobiliseRequest* request,
                        v1::MobiliseResponse* response) override {
    return Answer(*context, "Mobilise", *request, [&] {
      *response->mutable_progress() = SampleProgress();
      *response->add_requests() = SampleRequest();
      v1::MobilisationRequest* second = response->add_requests();
      *second = SampleRequest();
      second->set_id("mrq_2");
      second->set_responder_id("rsp_2");
    });
  }

  grpc::Status GetNeedProgress(grpc::ServerContext* context,
                               const v1::GetNeedProgressRequest* request,
                               v1::NeedProgress* response) override {
    return Answer(*context, "GetNeedProgress", *request, [&] {
      *response = SampleProgress();
      response->mutable_policy()->set_overbooking_factor(2);
      response->mutable_policy()->mutable_response_time()->set_seconds(1800);
      response->mutable_policy()->set_manual_escalation(true);
    });
  }

  grpc::Status GetRequest(grpc::ServerContext* context, const v1::GetRequestRequest* request,
                          v1::MobilisationRequest* response) override {
    return Answer(*context, "GetRequest", *request, [&] {
      *response = SampleRequest();
      response->set_id(request->mobilisation_request_id());
    });
  }

  grpc::Status ListRequests(grpc::ServerContext* context, const v1::ListRequestsRequest* request,
                            v1::ListRequestsResponse* response) override {
    // Two pages of one request each: "" and "r2".
    return Answer(*context, "ListRequests", *request, [&] {
      const bool first = request->page_token().empty();
      *response->add_requests() = SampleRequest();
      response->mutable_requests(0)->set_id(first ? "mrq_page1" : "mrq_page2");
      if (first) response->set_next_page_token("r2");
    });
  }

  grpc::Status Respond(grpc::ServerContext* context, const v1::RespondRequest* request,
                       v1::MobilisationRequest* response) override {
    return Answer(*context, "Respond", *request, [&] {
      *response = SampleRequest();
      response->set_id(request->mobilisation_request_id());
      response->set_state(request->answer() == v1::ANSWER_ACCEPT ? v1::REQUEST_STATE_ACCEPTED
                          : request->answer() == v1::ANSWER_DECLINE
                              ? v1::REQUEST_STATE_DECLINED
                              : v1::REQUEST_STATE_PROVISIONAL);
      response->set_reason(request->reason());
    });
  }

  grpc::Status AcknowledgeRequest(grpc::ServerContext* context,
                                  const v1::AcknowledgeRequestRequest* request,
                                  v1::MobilisationRequest* response) override {
    return Answer(*context, "AcknowledgeRequest", *request, [&] {
      *response = SampleRequest();
      response->set_id(request->mobilisation_request_id());
      response->mutable_acknowledged_at()->set_seconds(1795685405);
    });
  }

  grpc::Status DecideProvisional(grpc::ServerContext* context,
                                 const v1::DecideProvisionalRequest* request,
                                 v1::MobilisationRequest* response) override {
    return Answer(*context, "DecideProvisional", *request, [&] {
      *response = SampleRequest();
      response->set_id(request->mobilisation_request_id());
      response->set_state(request->confirm() ? v1::REQUEST_STATE_ACCEPTED
                                             : v1::REQUEST_STATE_DECLINED);
    });
  }

  grpc::Status GetAssignment(grpc::ServerContext* context, const v1::GetAssignmentRequest* request,
                             v1::Assignment* response) override {
    return Answer(*context, "GetAssignment", *request, [&] {
      *response = SampleAssignment();
      response->set_id(request->assignment_id());
    });
  }

  grpc::Status ListAssignments(grpc::ServerContext* context,
                               const v1::ListAssignmentsRequest* request,
                               v1::ListAssignmentsResponse* response) override {
    // Two pages of one assignment each: "" and "a2".
    return Answer(*context, "ListAssignments", *request, [&] {
      const bool first = request->page_token().empty();
      *response->add_assignments() = SampleAssignment();
      response->mutable_assignments(0)->set_id(first ? "asg_page1" : "asg_page2");
      if (first) response->set_next_page_token("a2");
    });
  }

  // The assignment, its id and state from the request.
  template <typename Request>
  grpc::Status Change(grpc::ServerContext* context, const std::string& method,
                      const Request& request, v1::AssignmentState state, v1::Assignment* response) {
    return Answer(*context, method, request, [&] {
      *response = SampleAssignment();
      response->set_id(request.assignment_id());
      response->set_state(state);
    });
  }

  grpc::Status Withdraw(grpc::ServerContext* context, const v1::WithdrawRequest* request,
                        v1::Assignment* response) override {
    return Change(context, "Withdraw", *request, v1::ASSIGNMENT_STATE_WITHDRAWN, response);
  }

  grpc::Status ReportStatus(grpc::ServerContext* context, const v1::ReportStatusRequest* request,
                            v1::Assignment* response) override {
    return Change(context, "ReportStatus", *request, request->status(), response);
  }

  grpc::Status Demobilise(grpc::ServerContext* context, const v1::DemobiliseRequest* request,
                          v1::Assignment* response) override {
    return Change(context, "Demobilise", *request, v1::ASSIGNMENT_STATE_RELEASED, response);
  }

  grpc::Status ExtendAssignment(grpc::ServerContext* context,
                                const v1::ExtendAssignmentRequest* request,
                                v1::Assignment* response) override {
    return Change(context, "ExtendAssignment", *request, v1::ASSIGNMENT_STATE_ON_SITE, response);
  }

  grpc::Status GetCrisisBoard(grpc::ServerContext* context,
                              const v1::GetCrisisBoardRequest* request,
                              v1::CrisisBoard* response) override {
    return Answer(*context, "GetCrisisBoard", *request, [&] {
      // The cursor scripted for the crisis, else "100-0".
      auto it = board_cursors.find(request->crisis_id());
      *response =
          SampleBoard(request->crisis_id(), it == board_cursors.end() ? "100-0" : it->second);
    });
  }

  grpc::Status GetOutreach(grpc::ServerContext* context, const v1::GetOutreachRequest* request,
                           v1::Outreach* response) override {
    return Answer(*context, "GetOutreach", *request, [&] {
      *response = FromText<v1::Outreach>(R"pb(
        unreached {
          request {
            id: "mrq_2"
            kind: CANDIDATE_KIND_RESPONDER
            responder_id: "rsp_2"
            state: REQUEST_STATE_REQUESTED
            respond_by { seconds: 1795686305 }
          }
          notifications {
            channel: NOTIFICATION_CHANNEL_EMAIL
            state: DELIVERY_STATE_FAILED
            attempts { ok: false detail: "SMTP 451" }
            attempts { ok: false detail: "SMTP 554" }
          }
          notifications { channel: NOTIFICATION_CHANNEL_WEBHOOK state: DELIVERY_STATE_NO_CONTACT }
        }
        unanswered {
          request {
            id: "mrq_1"
            kind: CANDIDATE_KIND_RESPONDER
            responder_id: "rsp_1"
            state: REQUEST_STATE_REQUESTED
            respond_by { seconds: 1795686305 }
            acknowledged_at { seconds: 1795685405 }
          }
          reached: true
        }
        failed_notifications: 1
      )pb");
      response->set_crisis_id(request->crisis_id());
    });
  }

  grpc::Status WatchMobilisation(grpc::ServerContext* context,
                                 const v1::WatchMobilisationRequest* request,
                                 grpc::ServerWriter<v1::MobilisationUpdate>* writer) override {
    Record(*context, "WatchMobilisation", *request);
    return Play(*context, writer);
  }

  grpc::Status WatchMyAssignments(grpc::ServerContext* context,
                                  const v1::WatchMyAssignmentsRequest* request,
                                  grpc::ServerWriter<v1::MobilisationUpdate>* writer) override {
    Record(*context, "WatchMyAssignments", *request);
    return Play(*context, writer);
  }

  // The requests received, in order, and each call's method and headers.
  struct Call {
    std::string method;
    std::string request_text;  // TextFormat of the request
    std::multimap<std::string, std::string> metadata;
  };
  std::vector<Call> calls;
  std::deque<grpc::Status> scripted;
  std::deque<Stream> streams;
  std::map<std::string, std::string> board_cursors;
  std::function<void()> on_idle;

  template <typename Request>
  std::vector<Request> Requests(const std::string& method) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Request> requests;
    for (const Call& call : calls) {
      if (call.method == method) requests.push_back(FromText<Request>(call.request_text));
    }
    return requests;
  }

  std::vector<std::string> Methods() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> methods;
    for (const Call& call : calls) methods.push_back(call.method);
    return methods;
  }

 private:
  void Record(const grpc::ServerContext& context, const std::string& method,
              const google::protobuf::Message& request) {
    std::lock_guard<std::mutex> lock(mu_);
    Call call{.method = method};
    google::protobuf::TextFormat::PrintToString(request, &call.request_text);
    for (const auto& [key, value] : context.client_metadata()) {
      call.metadata.emplace(std::string(key.data(), key.size()),
                            std::string(value.data(), value.size()));
    }
    calls.push_back(std::move(call));
  }

  grpc::Status Answer(const grpc::ServerContext& context, const std::string& method,
                      const google::protobuf::Message& request, const std::function<void()>& fill) {
    Record(context, method, request);
    std::lock_guard<std::mutex> lock(mu_);
    if (!scripted.empty()) {
      grpc::Status status = scripted.front();
      scripted.pop_front();
      return status;
    }
    fill();
    return grpc::Status::OK;
  }

  grpc::Status Play(grpc::ServerContext& context,
                    grpc::ServerWriter<v1::MobilisationUpdate>* writer) {
    std::optional<Stream> stream;
    std::function<void()> idle;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!streams.empty()) {
        stream = std::move(streams.front());
        streams.pop_front();
      } else {
        idle = on_idle;
      }
    }
    if (stream) {
      for (const v1::MobilisationUpdate& update : stream->updates) {
        if (!writer->Write(update)) return grpc::Status::CANCELLED;
      }
      return stream->end;
    }
    if (idle) idle();
    // Until the client cancels (--once reached, Ctrl-C); never more than 5 s.
    for (int i = 0; i < 1000 && !context.IsCancelled(); ++i) absl::SleepFor(absl::Milliseconds(5));
    return grpc::Status::CANCELLED;
  }

  std::mutex mu_;
};

class RelaisctlRun : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&registry_);
    builder.RegisterService(&inventory_);
    builder.RegisterService(&mobilisation_);
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
    env_.catch_interrupts = [this] { ++interrupt_catches_; };
    env_.interrupted = [this] { return interrupted_.load(); };
  }

  void TearDown() override { server_->Shutdown(); }

  int Run(const std::vector<std::string>& args) { return relais::cli::Run(args, env_); }

  FakeRegistry registry_;
  FakeInventory inventory_;
  FakeMobilisation mobilisation_;
  std::unique_ptr<grpc::Server> server_;
  relais::cli::Environment env_;
  std::map<std::string, std::string> env_vars_;
  std::vector<std::string> targets_;
  std::vector<absl::Duration> sleeps_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::atomic<bool> interrupted_{false};
  std::atomic<int> interrupt_catches_{0};
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

TEST_F(RelaisctlRun, ResponderExportHelpFitsAndNamesItsFlagsInBothLanguages) {
  for (const std::string lang : {"en", "fr"}) {
    out_.str("");
    EXPECT_EQ(Run({"--lang", lang, "responder", "export", "--help"}), 0) << lang;
    EXPECT_THAT(out_.str(), HasSubstr("--responder-id")) << lang;
    EXPECT_THAT(out_.str(), HasSubstr("--force")) << lang;
    EXPECT_THAT(out_.str(), HasSubstr("withheld")) << lang;
    ExpectFits(out_.str());
  }
}

// The resource inventory nouns: org, responder, availability ----------------------------------

TEST_F(RelaisctlRun, OrgRegisterBuildsTheExactRequestAndSendsEveryIdentityHeader) {
  const int code = Run({"--principal",
                        "osi-hi-1",
                        "--role",
                        "osi_admin",
                        "--organisation",
                        "org_hi",
                        "--responder",
                        "rsp_self",
                        "org",
                        "register",
                        "--name",
                        "Humanity & Inclusion",
                        "--kind",
                        "ngo",
                        "--domain",
                        "humanitarian-health",
                        "--domain",
                        "rehabilitation",
                        "--commune",
                        "Lyon",
                        "--lat",
                        "45.7342",
                        "--lon",
                        "4.8631",
                        "--email",
                        "contact@example.org",
                        "--phone",
                        "+33478000000",
                        "--website",
                        "https://example.org",
                        "--description",
                        "Réadaptation et santé"});
  ASSERT_EQ(code, 0) << err_.str();
  const auto requests =
      inventory_.Requests<v1::RegisterOrganisationRequest>("RegisterOrganisation");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::RegisterOrganisationRequest>(R"pb(
                request_id: "req-fixed"
                organisation {
                  name: "Humanity & Inclusion"
                  kind: ORGANISATION_KIND_NGO
                  domains: [ DOMAIN_HUMANITARIAN_HEALTH, DOMAIN_REHABILITATION ]
                  commune: "Lyon"
                  location { lat: 45.7342 lon: 4.8631 }
                  contact {
                    email: "contact@example.org"
                    phone: "+33478000000"
                    website: "https://example.org"
                  }
                  description: "Réadaptation et santé"
                }
              )pb")));
  const auto& headers = inventory_.calls[0].metadata;
  EXPECT_EQ(headers.find("x-relais-principal")->second, "osi-hi-1");
  EXPECT_EQ(headers.find("x-relais-role")->second, "osi_admin");
  EXPECT_EQ(headers.find("x-relais-organisation")->second, "org_hi");
  EXPECT_EQ(headers.find("x-relais-responder")->second, "rsp_self");
  // The inventory's own default address, not the crisis registry's.
  EXPECT_THAT(targets_, ElementsAre("127.0.0.1:50052"));
  EXPECT_THAT(out_.str(), HasSubstr("org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"));
  EXPECT_THAT(out_.str(), HasSubstr("humanitarian-health, rehabilitation"));
  ExpectFits(out_.str());
  EXPECT_EQ(err_.str(), "");
}

TEST_F(RelaisctlRun, EachNounKnowsItsServiceAndIdentityComesFromTheEnvironment) {
  env_vars_ = {{"RELAIS_CRISIS_ADDR", "crisis.relais:7000"},
               {"RELAIS_INVENTORY_ADDR", "inventory.relais:7001"},
               {"RELAIS_ORGANISATION", "org_env"},
               {"RELAIS_RESPONDER", "rsp_env"}};
  ASSERT_EQ(Run({"org", "get", "org_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"crisis", "get", "crs_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"availability", "get", "rsp_1", "--server", "10.0.0.6:50052", "--organisation",
                 "org_flag"}),
            0)
      << err_.str();
  EXPECT_THAT(targets_,
              ElementsAre("inventory.relais:7001", "crisis.relais:7000", "10.0.0.6:50052"));
  ASSERT_EQ(inventory_.calls.size(), 2u);
  EXPECT_EQ(inventory_.calls[0].metadata.find("x-relais-organisation")->second, "org_env");
  EXPECT_EQ(inventory_.calls[0].metadata.find("x-relais-responder")->second, "rsp_env");
  EXPECT_EQ(inventory_.calls[1].metadata.find("x-relais-organisation")->second, "org_flag");
  // The identity is global: the crisis registry receives it too.
  EXPECT_EQ(registry_.metadata[0].find("x-relais-organisation")->second, "org_env");
}

TEST_F(RelaisctlRun, NoOrganisationGivenNoOrganisationSent) {
  ASSERT_EQ(Run({"org", "get", "org_1"}), 0) << err_.str();
  EXPECT_EQ(inventory_.calls[0].metadata.count("x-relais-organisation"), 0u);
  EXPECT_EQ(inventory_.calls[0].metadata.count("x-relais-responder"), 0u);
  EXPECT_THAT(inventory_.Requests<v1::GetOrganisationRequest>("GetOrganisation"),
              ElementsAre(EqualsProto(
                  FromText<v1::GetOrganisationRequest>(R"pb(organisation_id: "org_1")pb"))));
}

TEST_F(RelaisctlRun, OrgUpdateSendsTheMaskOfTheFlagsGiven) {
  ASSERT_EQ(Run({"org", "update", "org_1", "--commune", "Vénissieux", "--email", "a@example.org",
                 "--phone", "", "--website", "", "--expected-version", "3"}),
            0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::UpdateOrganisationRequest>("UpdateOrganisation");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::UpdateOrganisationRequest>(R"pb(
                request_id: "req-fixed"
                organisation_id: "org_1"
                organisation {
                  commune: "Vénissieux"
                  contact { email: "a@example.org" }
                }
                update_mask { paths: [ "commune", "contact" ] }
                expected_version: 3
              )pb")));
}

TEST_F(RelaisctlRun, OrgListFiltersAndFollowsPages) {
  ASSERT_EQ(Run({"org", "list", "--kind", "hospital", "--domain", "pharmacy", "--commune", "lyon",
                 "--page-size", "1", "--all", "--json"}),
            0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::ListOrganisationsRequest>("ListOrganisations");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::ListOrganisationsRequest>(R"pb(
                kind: ORGANISATION_KIND_HOSPITAL
                domain: DOMAIN_PHARMACY
                commune: "lyon"
                page_size: 1
              )pb")));
  EXPECT_EQ(requests[1].page_token(), "o2");
  v1::ListOrganisationsResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  ASSERT_EQ(printed.organisations_size(), 2);
  EXPECT_EQ(printed.organisations(1).id(), "org_page2");
  EXPECT_EQ(printed.next_page_token(), "");

  out_.str("");
  ASSERT_EQ(Run({"org", "list"}), 0) << err_.str();
  EXPECT_THAT(out_.str(),
              testing::ContainsRegex("org_page1 +- +hospital +- +Hospices Civils de Lyon"));
  EXPECT_THAT(out_.str(), HasSubstr("--page-token o2"));
  ExpectFits(out_.str());
}

TEST_F(RelaisctlRun, ResponderRegisterBuildsTheExactRequestForTheCallersOrganisation) {
  const int code = Run({"--organisation",
                        "org_hi",
                        "responder",
                        "register",
                        "--name",
                        "Amina Diallo",
                        "--external-ref",
                        "HI-2024-017",
                        "--skill",
                        "nurse:4",
                        "--skill",
                        "midwife:3",
                        "--lang",
                        "fr",
                        "--lang",
                        "wo",
                        "--cert",
                        "yellow-fever-vaccination:2030-01-01",
                        "--cert",
                        "bls",
                        "--passport-until",
                        "2031-05-01",
                        "--passport-country",
                        "FR",
                        "--lat",
                        "45.7719",
                        "--lon",
                        "4.8902",
                        "--commune",
                        "Villeurbanne",
                        "--max-days",
                        "21",
                        "--contact",
                        "email:amina@example.org",
                        "--contact",
                        "sms:+33600000000"});
  ASSERT_EQ(code, 0) << err_.str();
  const auto requests = inventory_.Requests<v1::RegisterResponderRequest>("RegisterResponder");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::RegisterResponderRequest>(R"pb(
                request_id: "req-fixed"
                responder {
                  external_ref: "HI-2024-017"
                  display_name: "Amina Diallo"
                  skills { code: "nurse" level: 4 }
                  skills { code: "midwife" level: 3 }
                  languages: [ "fr", "wo" ]
                  certifications {
                    code: "yellow-fever-vaccination"
                    valid_until { seconds: 1893456000 }
                  }
                  certifications { code: "bls" }
                  travel {
                    passport_valid_until { seconds: 1935360000 }
                    passport_country: "FR"
                  }
                  home_base { lat: 45.7719 lon: 4.8902 }
                  home_commune: "Villeurbanne"
                  max_deployment_days: 21
                  contacts { kind: CONTACT_KIND_EMAIL address: "amina@example.org" }
                  contacts { kind: CONTACT_KIND_SMS address: "+33600000000" }
                }
              )pb")));
  EXPECT_EQ(inventory_.calls[0].metadata.find("x-relais-organisation")->second, "org_hi");
  EXPECT_THAT(targets_, ElementsAre("127.0.0.1:50052"));
  const std::string out = out_.str();
  EXPECT_THAT(out, testing::ContainsRegex("Organisation +org_hi"));
  EXPECT_THAT(out, HasSubstr("Skills (2)"));
  EXPECT_THAT(out, HasSubstr("FR, valid until 2031-05-01"));
  EXPECT_THAT(out, testing::ContainsRegex("email +amina@example.org"));
  ExpectFits(out);
}

TEST_F(RelaisctlRun, ResponderUpdateSendsTheMaskOfTheFlagsGiven) {
  ASSERT_EQ(Run({"responder", "update", "rsp_1", "--skill", "nurse:5", "--no-cert", "--max-days",
                 "30", "--expected-version", "2"}),
            0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::UpdateResponderRequest>("UpdateResponder");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::UpdateResponderRequest>(R"pb(
                request_id: "req-fixed"
                responder_id: "rsp_1"
                responder {
                  skills { code: "nurse" level: 5 }
                  max_deployment_days: 30
                }
                update_mask { paths: [ "skills", "certifications", "max_deployment_days" ] }
                expected_version: 2
              )pb")));
}

TEST_F(RelaisctlRun, ResponderListIsTheCallersOrganisationUnlessTold) {
  ASSERT_EQ(Run({"--organisation", "org_hi", "responder", "list"}), 0) << err_.str();
  ASSERT_EQ(Run({"responder", "list", "--organisation-id", "org_msf", "--organisation", "org_hi",
                 "--page-size", "20", "--page-token", "t"}),
            0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::ListRespondersRequest>("ListResponders");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[0],
              EqualsProto(FromText<v1::ListRespondersRequest>(R"pb(organisation_id: "org_hi")pb")));
  EXPECT_THAT(requests[1],
              EqualsProto(FromText<v1::ListRespondersRequest>(R"pb(organisation_id: "org_msf"
                                                                   page_size: 20
                                                                   page_token: "t")pb")));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("rsp_of_org_hi +Amina Diallo +- +nurse:0"));
  ExpectFits(out_.str());

  EXPECT_EQ(Run({"responder", "list"}), 2);
  EXPECT_EQ(err_.str(),
            "relaisctl: whose responders? give --organisation-id, or --organisation "
            "(RELAIS_ORGANISATION) for your own\n"
            "Run 'relaisctl responder list --help' for usage.\n");
  EXPECT_EQ(inventory_.calls.size(), 2u);
}

TEST_F(RelaisctlRun, ResponderGetMarksWhatHasLapsedAndPrintsJson) {
  ASSERT_EQ(Run({"responder", "get", "rsp_1"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), testing::ContainsRegex("bls +2026-11-20 +LAPSED"));
  ExpectFits(out_.str());
  out_.str("");
  ASSERT_EQ(Run({"responder", "get", "rsp_1", "--json"}), 0) << err_.str();
  v1::Responder printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  EXPECT_EQ(printed.display_name(), "Amina Diallo");
  EXPECT_THAT(out_.str(), HasSubstr("\"display_name\""));
  EXPECT_THAT(out_.str(), HasSubstr("\"valid_until\""));
}

TEST_F(RelaisctlRun, ResponderRemoveAsksNothingAndSaysWhatWasErased) {
  ASSERT_EQ(Run({"responder", "remove", "rsp_1", "--request-id", "rm-1"}), 0) << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::RemoveResponderRequest>("RemoveResponder"),
              ElementsAre(EqualsProto(FromText<v1::RemoveResponderRequest>(
                  R"pb(request_id: "rm-1" responder_id: "rsp_1")pb"))));
  EXPECT_EQ(out_.str(),
            "Erased responder rsp_1: name, contacts, home base and travel documents are deleted "
            "everywhere; the event log keeps only the id.\n");
}

TEST_F(RelaisctlRun, AvailabilitySetClearAndGet) {
  ASSERT_EQ(
      Run({"availability", "set", "rsp_1", "--kind", "on-call", "--from", "2026-12-01T08:00:00Z",
           "--until", "2026-12-15T20:00:00+02:00", "--note", "astreinte SAMU"}),
      0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::SetAvailabilityRequest>("SetAvailability"),
              ElementsAre(EqualsProto(FromText<v1::SetAvailabilityRequest>(R"pb(
                request_id: "req-fixed"
                responder_id: "rsp_1"
                period {
                  kind: AVAILABILITY_KIND_ON_CALL
                  from { seconds: 1796112000 }
                  until { seconds: 1797357600 }
                  note: "astreinte SAMU"
                }
              )pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("avl_01M8Y3J4M5N6P7Q8R9S0T1V2W5 +on-call"));

  ASSERT_EQ(Run({"availability", "clear", "rsp_1", "avl_01M8Y3J4M5N6P7Q8R9S0T1V2W5"}), 0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::ClearAvailabilityRequest>("ClearAvailability"),
              ElementsAre(EqualsProto(FromText<v1::ClearAvailabilityRequest>(R"pb(
                request_id: "req-fixed"
                responder_id: "rsp_1"
                period_id: "avl_01M8Y3J4M5N6P7Q8R9S0T1V2W5"
              )pb"))));
  EXPECT_THAT(out_.str(), HasSubstr("No periods ahead."));

  out_.str("");
  ASSERT_EQ(Run({"availability", "get", "rsp_1"}), 0) << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::GetAvailabilityRequest>("GetAvailability"),
              ElementsAre(EqualsProto(
                  FromText<v1::GetAvailabilityRequest>(R"pb(responder_id: "rsp_1")pb"))));
  const std::vector<std::string> lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "Availability of rsp_1 (calendar version 7)");
  EXPECT_THAT(lines[1], testing::ContainsRegex("PERIOD +KIND +FROM +UNTIL +NOTE"));
  EXPECT_THAT(lines[2], testing::ContainsRegex(
                            "avl_a +available +2026-12-01T08:00Z +2026-12-15T18:00Z +disponible"));
}

TEST_F(RelaisctlRun, InventoryWritesRetryWithTheSameRequestId) {
  inventory_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down"),
                         grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")};
  ASSERT_EQ(
      Run({"availability", "set", "rsp_1", "--kind", "unavailable", "--from",
           "2026-12-01T08:00:00Z", "--until", "2026-12-15T18:00:00Z", "--request-id", "cal-7"}),
      0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::SetAvailabilityRequest>("SetAvailability");
  ASSERT_EQ(requests.size(), 3u);
  for (const v1::SetAvailabilityRequest& request : requests) {
    EXPECT_THAT(request, EqualsProto(requests[0]));
    EXPECT_EQ(request.request_id(), "cal-7");
  }
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(RelaisctlRun, InventoryRefusalIsOneLineAndUnreachableExitsWith3) {
  inventory_.scripted = {grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                                      "external_ref: already registered as rsp_01M8")};
  EXPECT_EQ(Run({"responder", "register", "--lat", "45.77", "--lon", "4.89"}), 1);
  EXPECT_EQ(err_.str(),
            "relaisctl: ALREADY_EXISTS: external_ref: already registered as rsp_01M8\n");
  EXPECT_EQ(inventory_.calls.size(), 1u);

  err_.str("");
  inventory_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                         grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                         grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")};
  EXPECT_EQ(Run({"responder", "remove", "rsp_1"}), 3);
  EXPECT_EQ(err_.str(),
            "relaisctl: UNAVAILABLE: connection refused (server 127.0.0.1:50052) (outcome "
            "unknown: run again with --request-id req-fixed, it will not apply twice)\n");
}

TEST_F(RelaisctlRun, InventoryUsageErrorsExitWith2AndCallNobody) {
  EXPECT_EQ(Run({"responder", "register", "--lat", "1", "--lon", "2", "--skill", "nurse"}), 2);
  EXPECT_EQ(err_.str(),
            "relaisctl: --skill: 'nurse': no level: write nurse:<1-5>\n"
            "Run 'relaisctl responder register --help' for usage.\n");
  err_.str("");
  EXPECT_EQ(Run({"responder", "update", "rsp_1", "--cert", "bls:soon"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--cert: 'bls:soon': 'soon' is not a date"));
  err_.str("");
  EXPECT_EQ(Run({"responder", "update", "rsp_1", "--contact", "fax:+33478000000"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--contact: 'fax:+33478000000': kind 'fax' is not one of"));
  err_.str("");
  EXPECT_EQ(Run({"org", "register", "--lat", "1", "--lon", "2", "--domain", "health"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--domain: 'health' is not one of humanitarian-health, wash"));
  EXPECT_EQ(Run({"org", "register", "--name", "HI"}), 2);  // --lat and --lon are required
  EXPECT_EQ(Run({"org", "update", "org_1"}), 2);
  EXPECT_EQ(Run({"org", "update", "org_1", "--lat", "45.7"}), 2);
  EXPECT_EQ(Run({"org", "list", "--kind", "charity"}), 2);
  EXPECT_EQ(Run({"responder", "update", "rsp_1", "--passport-country", "FR"}), 2);
  EXPECT_EQ(Run({"responder", "update", "rsp_1", "--no-lang", "--lang", "fr"}), 2);
  EXPECT_EQ(Run({"responder", "update", "rsp_1", "--passport-until", "31/05/2031"}), 2);
  EXPECT_EQ(Run({"responder", "remove"}), 2);
  EXPECT_EQ(Run({"availability", "set", "rsp_1", "--kind", "available", "--from",
                 "2026-12-01T08:00:00Z"}),
            2);  // --until is required
  EXPECT_EQ(Run({"availability", "set", "rsp_1", "--kind", "busy", "--from", "2026-12-01T08:00:00Z",
                 "--until", "2026-12-02T08:00:00Z"}),
            2);
  EXPECT_EQ(Run({"availability", "set", "rsp_1", "--kind", "available", "--from", "tomorrow",
                 "--until", "2026-12-02T08:00:00Z"}),
            2);
  EXPECT_EQ(Run({"availability", "clear", "rsp_1"}), 2);
  EXPECT_EQ(Run({"org"}), 2);
  EXPECT_EQ(Run({"responder", "fire", "rsp_1"}), 2);
  EXPECT_TRUE(targets_.empty());
  EXPECT_TRUE(inventory_.calls.empty());
}

TEST_F(RelaisctlRun, HelpOfTheInventoryNounsFits) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"org", "--help"},
                                             {"org", "register", "--help"},
                                             {"org", "update", "--help"},
                                             {"org", "list", "--help"},
                                             {"responder", "--help"},
                                             {"responder", "register", "--help"},
                                             {"responder", "update", "--help"},
                                             {"responder", "list", "--help"},
                                             {"responder", "remove", "--help"},
                                             {"availability", "--help"},
                                             {"availability", "set", "--help"}}) {
    out_.str("");
    EXPECT_EQ(Run(args), 0) << args[0];
    EXPECT_THAT(out_.str(), HasSubstr("Usage: relaisctl"));
    ExpectFits(out_.str());
  }
}

// Teams, warehouses, stock, holds, responder find and experience: pure parts -------------------

TEST(Words, HoldAndStockEnumValuesHaveWordsThatReadBack) {
  using namespace relais::cli;  // NOLINT: the vocabularies
  ExpectWordForEveryValue(AdjustmentReasons(), v1::AdjustmentReason_descriptor());
  ExpectWordForEveryValue(HoldKinds(), v1::HoldKind_descriptor());
  ExpectWordForEveryValue(HoldStates(), v1::HoldState_descriptor());
  EXPECT_EQ(AdjustmentReasons().Parse("used-elsewhere"), v1::ADJUSTMENT_REASON_USED_ELSEWHERE);
  EXPECT_EQ(HoldStates().Name(v1::HOLD_STATE_COMMITTED), "committed");
}

TEST(InventorySyntax, PointIsLatCommaLon) {
  const auto point = relais::cli::ParsePoint(" -5.947 , 29.194 ");
  ASSERT_TRUE(point.ok()) << point.status();
  EXPECT_THAT(*point, EqualsProto(FromText<v1::GeoPoint>(R"pb(lat: -5.947 lon: 29.194)pb")));
  EXPECT_EQ(relais::cli::ParsePoint("45.7578").status().message(),
            "expected LAT,LON in decimal degrees, e.g. 45.7578,4.8320");
  EXPECT_EQ(relais::cli::ParsePoint("north,4.83").status().message(),
            "latitude: 'north' is not a number");
  EXPECT_EQ(relais::cli::ParsePoint("45.75,").status().message(), "longitude: '' is not a number");
  EXPECT_FALSE(relais::cli::ParsePoint("nan,4").ok());
}

TEST(InventorySyntax, KitLineIsLineEqualsUnits) {
  const auto kit = relais::cli::ParseKitLine("stk_1 = 4");
  ASSERT_TRUE(kit.ok()) << kit.status();
  EXPECT_THAT(*kit,
              EqualsProto(FromText<v1::KitLine>(R"pb(stock_line_id: "stk_1" quantity: 4)pb")));
  EXPECT_EQ(relais::cli::KitLineText(*kit), "stk_1=4");
  EXPECT_EQ(relais::cli::ParseKitLine("stk_1").status().message(),
            "no quantity: write stk_1=<units>");
  EXPECT_EQ(relais::cli::ParseKitLine("stk_1=").status().message(),
            "no quantity: write stk_1=<units>");
  EXPECT_EQ(relais::cli::ParseKitLine("=3").status().message(),
            "no stock line before '=': expected LINE=QUANTITY");
  EXPECT_EQ(relais::cli::ParseKitLine("stk_1=two").status().message(),
            "quantity: 'two' is not a whole number");
  EXPECT_THAT(std::string(relais::cli::ParseKitLine(" ").status().message()),
              HasSubstr("empty kit line"));
}

TEST(TeamMask, NamesExactlyTheFlagsGiven) {
  relais::cli::TeamFields f;
  f.description = "";
  f.members = std::vector<std::string>{"rsp_1", "rsp_2"};
  f.name = "EMT HI Lyon 1";
  f.external_ref = "EMT-1";
  f.type_code = "who-emt-type-1-mobile";
  f.kit = std::vector<v1::KitLine>{*relais::cli::ParseKitLine("stk_1=2")};
  const auto request = relais::cli::BuildUpdateTeamRequest("team_1", f, 5, "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(*request, EqualsProto(FromText<v1::UpdateTeamRequest>(R"pb(
    request_id: "r"
    team_id: "team_1"
    team {
      external_ref: "EMT-1"
      name: "EMT HI Lyon 1"
      type_code: "who-emt-type-1-mobile"
      member_ids: [ "rsp_1", "rsp_2" ]
      kit { stock_line_id: "stk_1" quantity: 2 }
    }
    update_mask {
      paths: [ "external_ref", "name", "type_code", "member_ids", "kit", "description" ]
    }
    expected_version: 5
  )pb")));
  relais::cli::TeamFields no_kit;
  no_kit.no_kit = true;
  const auto emptied = relais::cli::BuildUpdateTeamRequest("team_1", no_kit, 0, "r");
  ASSERT_TRUE(emptied.ok()) << emptied.status();
  EXPECT_THAT(Paths(emptied->update_mask()), ElementsAre("kit"));
  EXPECT_EQ(emptied->team().kit_size(), 0);
  const auto nothing = relais::cli::BuildUpdateTeamRequest("team_1", {}, 0, "r");
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.status().message(),
            "nothing to update: give at least one of the team flags (see --help)");
}

relais::cli::HoldFields ResponderHold() {
  relais::cli::HoldFields f;
  f.responder_id = "rsp_1";
  f.from = At("2026-12-01T08:00:00Z");
  f.until = At("2026-12-15T18:00:00Z");
  f.holder_ref = "mob:req_7";
  return f;
}

TEST(HoldRequest, OneTargetAndWhatItNeeds) {
  relais::cli::HoldFields responder = ResponderHold();
  responder.ttl = absl::Minutes(90) + absl::Milliseconds(500);
  const auto held = relais::cli::BuildHoldRequest(responder, "r");
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_THAT(*held, EqualsProto(FromText<v1::HoldRequest>(R"pb(
    request_id: "r"
    responder_id: "rsp_1"
    window {
      start { seconds: 1796112000 }
      end { seconds: 1797357600 }
    }
    holder_ref: "mob:req_7"
    ttl { seconds: 5400 nanos: 500000000 }
  )pb")));

  relais::cli::HoldFields stock;
  stock.stock_line_id = "stk_1";
  stock.quantity = 3;
  stock.holder_ref = "coord:lyon";
  const auto stock_held = relais::cli::BuildHoldRequest(stock, "r");
  ASSERT_TRUE(stock_held.ok()) << stock_held.status();
  EXPECT_THAT(*stock_held, EqualsProto(FromText<v1::HoldRequest>(R"pb(
    request_id: "r"
    stock_line_id: "stk_1"
    quantity: 3
    holder_ref: "coord:lyon"
  )pb")));

  auto refusal = [](const relais::cli::HoldFields& f) {
    const auto request = relais::cli::BuildHoldRequest(f, "r");
    EXPECT_FALSE(request.ok());
    return std::string(request.status().message());
  };
  relais::cli::HoldFields none;
  EXPECT_EQ(refusal(none), "what to hold? give one of --responder-id, --team-id, --stock-line-id");
  relais::cli::HoldFields two = ResponderHold();
  two.team_id = "team_1";
  EXPECT_EQ(refusal(two), "one hold holds one thing: give only one of --responder-id --team-id");
  relais::cli::HoldFields half = ResponderHold();
  half.until.reset();
  EXPECT_EQ(refusal(half), "--from and --until give the window together: missing --until");
  relais::cli::HoldFields no_window = ResponderHold();
  no_window.from.reset();
  no_window.until.reset();
  EXPECT_EQ(refusal(no_window),
            "for when? give --from and --until with --responder-id or --team-id");
  relais::cli::HoldFields team_quantity = ResponderHold();
  team_quantity.responder_id.reset();
  team_quantity.team_id = "team_1";
  team_quantity.quantity = 2;
  EXPECT_EQ(refusal(team_quantity),
            "--quantity is for --stock-line-id: a team's kit is held whole");
  relais::cli::HoldFields stock_window = stock;
  stock_window.from = At("2026-12-01T08:00:00Z");
  stock_window.until = At("2026-12-15T18:00:00Z");
  EXPECT_EQ(refusal(stock_window),
            "stock is held without a window: leave out --from and --until with --stock-line-id");
  relais::cli::HoldFields stock_no_quantity = stock;
  stock_no_quantity.quantity.reset();
  EXPECT_EQ(refusal(stock_no_quantity), "how many units? give --quantity with --stock-line-id");
}

TEST(HoldRequest, KitUsedIsAMapWithEachLineOnce) {
  const auto request = relais::cli::BuildReleaseCommitmentRequest(
      "hld_1", "demobilised",
      std::vector<v1::KitLine>{*relais::cli::ParseKitLine("stk_1=2"),
                               *relais::cli::ParseKitLine("stk_2=0")},
      "r");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(*request, EqualsProto(FromText<v1::ReleaseCommitmentRequest>(R"pb(
    request_id: "r"
    hold_id: "hld_1"
    reason: "demobilised"
    kit_used { key: "stk_1" value: 2 }
    kit_used { key: "stk_2" value: 0 }
  )pb")));
  const auto twice = relais::cli::BuildReleaseCommitmentRequest(
      "hld_1", std::nullopt,
      std::vector<v1::KitLine>{*relais::cli::ParseKitLine("stk_1=2"),
                               *relais::cli::ParseKitLine("stk_1=1")},
      "r");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(), "--kit-used: stk_1 is given twice");
}

relais::cli::ResponderSearch NurseSearch() {
  relais::cli::ResponderSearch s;
  s.skill_code = "nurse";
  s.from = At("2026-12-01T08:00:00Z");
  s.until = At("2026-12-15T18:00:00Z");
  return s;
}

TEST(FindRespondersRequest, ExactlyOneMode) {
  relais::cli::ResponderSearch local = NurseSearch();
  local.near = *relais::cli::ParsePoint("45.7578,4.8320");
  local.radius_km = 30;
  const auto near = relais::cli::BuildFindRespondersRequest(local);
  ASSERT_TRUE(near.ok()) << near.status();
  EXPECT_THAT(near->local(), EqualsProto(FromText<v1::LocalSearch>(R"pb(
                center { lat: 45.7578 lon: 4.832 }
                radius_km: 30
              )pb")));
  relais::cli::ResponderSearch abroad = NurseSearch();
  abroad.abroad = true;
  const auto far = relais::cli::BuildFindRespondersRequest(abroad);
  ASSERT_TRUE(far.ok()) << far.status();
  EXPECT_TRUE(far->has_abroad());  // even without entry certifications

  auto refusal = [](const relais::cli::ResponderSearch& s) {
    const auto request = relais::cli::BuildFindRespondersRequest(s);
    EXPECT_FALSE(request.ok());
    return std::string(request.status().message());
  };
  EXPECT_EQ(refusal(NurseSearch()), "where? give --near LAT,LON with --radius-km, or --abroad");
  relais::cli::ResponderSearch half = NurseSearch();
  half.near = local.near;
  EXPECT_EQ(refusal(half), "--near and --radius-km go together: missing --radius-km");
  relais::cli::ResponderSearch both = local;
  both.abroad = true;
  EXPECT_THAT(refusal(both), HasSubstr("give one or the other"));
  relais::cli::ResponderSearch entry = local;
  entry.entry_certifications = std::vector<std::string>{"yellow-fever-vaccination"};
  EXPECT_EQ(refusal(entry), "--entry-certification is for --abroad searches");
}

TEST(ListStockRequest, OneWarehouseOrAnOrganisation) {
  relais::cli::StockFilter filter;
  filter.warehouse_id = "whs_1";
  filter.item_code = "iehk-2017-basic-unit";
  EXPECT_THAT(
      *relais::cli::BuildListStockRequest(filter, "org_me"),
      EqualsProto(FromText<v1::ListStockRequest>(R"pb(warehouse_id: "whs_1"
                                                      item_code: "iehk-2017-basic-unit")pb")));
  EXPECT_EQ(relais::cli::BuildListStockRequest({}, "org_me")->organisation_id(), "org_me");
  filter.organisation_id = "org_msf";
  EXPECT_FALSE(relais::cli::BuildListStockRequest(filter, "org_me").ok());
  filter.warehouse_id.reset();
  EXPECT_EQ(relais::cli::BuildListStockRequest(filter, "org_me")->organisation_id(), "org_msf");
  EXPECT_THAT(std::string(relais::cli::BuildListStockRequest({}, "").status().message()),
              HasSubstr("whose stock?"));
}

TEST(InventoryView, StockTablesFitAndShowTheLedger) {
  google::protobuf::RepeatedPtrField<v1::StockLine> lines;
  *lines.Add() = SampleStockLine();
  v1::StockLine& long_one = *lines.Add();
  long_one = SampleStockLine();
  long_one.set_item_code(std::string(70, 'i'));
  long_one.set_lot(std::string(40, 'l'));
  const std::string table = relais::cli::StockTable(lines);
  ExpectFits(table);
  const std::vector<std::string> lines_out = Lines(table);
  ASSERT_EQ(lines_out.size(), 5u);
  EXPECT_THAT(lines_out[0],
              testing::ContainsRegex("LINE +ITEM +LOT +EXPIRES +AVAIL +HELD +COMMITTED"));
  EXPECT_THAT(lines_out[1],
              testing::ContainsRegex("stk_01M8Y3J4M5N6P7Q8R9S0T1V2W8  who-cholera-.* +"
                                     "L2024-118 +2027-07-01 +120 +10 +5"));
  EXPECT_THAT(lines_out[2], HasSubstr("in whs_01M8Y3J4M5N6P7Q8R9S0T1V2W7"));
  EXPECT_THAT(lines_out[3], HasSubstr("stk_01M8Y3J4M5N6P7Q8R9S0T1V2W8"));
  EXPECT_EQ(relais::cli::StockTable({}), "No stock lines.\n");

  v1::FindSuppliesResponse found;
  *found.add_matches()->mutable_line() = SampleStockLine();
  found.mutable_matches(0)->set_distance_km(12.34);
  found.set_total_available(120);
  const std::string view = relais::cli::SupplyMatchesView(found, 200);
  ExpectFits(view);
  EXPECT_THAT(view, testing::ContainsRegex("COMMITTED +KM"));
  EXPECT_THAT(view, testing::ContainsRegex("120 +10 +5 +12.3"));
  EXPECT_THAT(view, HasSubstr("120 units available in 1 lines: 80 short of the 200 wanted."));
  found.set_covered(true);
  EXPECT_THAT(relais::cli::SupplyMatchesView(found, 100),
              HasSubstr("120 units available in 1 lines: covers the 100 wanted."));

  const std::string detail =
      relais::cli::StockLineDetail(SampleStockLine(), At("2027-08-01T00:00:00Z"));
  ExpectFits(detail);
  EXPECT_THAT(detail, testing::ContainsRegex("Expires +2027-07-01, EXPIRED"));
  EXPECT_THAT(detail, HasSubstr("120 available, 10 held, 5 committed, 3 consumed"));
  EXPECT_THAT(detail, HasSubstr("offered 140, adjusted -2"));
}

TEST(InventoryView, ResponderMatchesFitWithLongIds) {
  v1::FindRespondersResponse response;
  for (double fit : {0.0, 0.8125}) {
    v1::ResponderMatch* match = response.add_matches();
    match->set_responder_id("rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4");
    match->set_organisation_id("org_01M8Y3J4M5N6P7Q8R9S0T1V2W3");
    match->set_level(5);
    match->set_distance_km(1234.56);
    match->set_availability(v1::AVAILABILITY_KIND_AVAILABLE);
    match->set_missions_of_kind(12);
    match->set_fit(fit);
  }
  response.set_next_page_token("f2");
  const std::string table = relais::cli::ResponderMatchTable(response);
  ExpectFits(table);
  const std::vector<std::string> lines = Lines(table);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_THAT(lines[0],
              testing::ContainsRegex("RESPONDER +LEVEL +KM +AVAILABILITY +MISSIONS +FIT"));
  EXPECT_THAT(lines[1], testing::ContainsRegex(
                            "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4 +5 +1234.6 +available +12 +-"));
  EXPECT_THAT(lines[2], testing::EndsWith("  of org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"));
  EXPECT_THAT(lines[3], testing::ContainsRegex("12 +0.81$"));
  EXPECT_EQ(lines[5], "More: add --page-token f2");
  EXPECT_EQ(relais::cli::ResponderMatchTable({}), "Nobody matches.\n");
}

TEST(InventoryView, HoldSaysHowLongItHasLeft) {
  v1::Hold hold = FromText<v1::Hold>(R"pb(
    id: "hld_1"
    kind: HOLD_KIND_RESPONDER
    state: HOLD_STATE_HELD
    responder_id: "rsp_1"
    member_ids: "rsp_1"
    window {
      start { seconds: 1796112000 }
      end { seconds: 1797357600 }
    }
    holder_ref: "mob:req_7"
    expires_at { seconds: 1795686305 }
  )pb");
  const std::string detail = relais::cli::HoldDetail(hold, At("2026-11-26T09:30:05.75Z"));
  ExpectFits(detail);
  EXPECT_THAT(detail, testing::ContainsRegex("State +held"));
  EXPECT_THAT(detail, testing::ContainsRegex("Kind +responder"));
  EXPECT_THAT(detail, testing::ContainsRegex("Window +2026-12-01T08:00Z to 2026-12-15T18:00Z"));
  EXPECT_THAT(detail, HasSubstr("2026-11-26T09:45Z (in 15 min unless confirmed)"));
  EXPECT_THAT(relais::cli::HoldDetail(hold, At("2026-11-26T10:00:00Z")),
              HasSubstr("2026-11-26T09:45Z (passed)"));
  hold.set_state(v1::HOLD_STATE_EXPIRED);
  EXPECT_THAT(relais::cli::HoldDetail(hold, At("2026-11-26T10:00:00Z")), Not(HasSubstr("passed")));
}

TEST(InventoryView, ResponderDetailListsPastMissions) {
  v1::Responder responder = SampleResponder();
  *responder.add_experience() = FromText<v1::Mission>(R"pb(
    kind: CRISIS_KIND_EPIDEMIC
    role_code: "wash-engineer"
    place: "CD"
    started_at { seconds: 1795132800 }
    ended_at { seconds: 1795824000 }
    assignment_id: "asg_1"
  )pb");
  const std::string detail = relais::cli::ResponderDetail(responder, At("2026-11-26T09:30:00Z"));
  ExpectFits(detail);
  EXPECT_THAT(detail, HasSubstr("Past missions (1)"));
  EXPECT_THAT(detail,
              testing::ContainsRegex("epidemic +wash-engineer +CD +2026-11-20 +2026-11-28 +asg_1"));
  EXPECT_THAT(relais::cli::ResponderDetail(SampleResponder(), At("2026-11-26T09:30:00Z")),
              HasSubstr("No past missions."));
}

// Teams, warehouses, stock, holds, responder find and experience: whole command lines ----------

TEST_F(RelaisctlRun, TeamOfferBuildsTheExactRequestForTheCallersOrganisation) {
  ASSERT_EQ(Run({"--organisation", "org_hi",        "team",           "offer",
                 "--name",         "EMT HI Lyon 1", "--type",         "who-emt-type-1-mobile",
                 "--member",       "rsp_1",         "--member",       "rsp_2",
                 "--kit",          "stk_1=2",       "--kit",          "stk_2=10",
                 "--description",  "Équipe mobile", "--external-ref", "EMT-1"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::OfferTeamRequest>("OfferTeam"),
              ElementsAre(EqualsProto(FromText<v1::OfferTeamRequest>(R"pb(
                request_id: "req-fixed"
                team {
                  external_ref: "EMT-1"
                  name: "EMT HI Lyon 1"
                  type_code: "who-emt-type-1-mobile"
                  member_ids: [ "rsp_1", "rsp_2" ]
                  kit { stock_line_id: "stk_1" quantity: 2 }
                  kit { stock_line_id: "stk_2" quantity: 10 }
                  description: "Équipe mobile"
                }
              )pb"))));
  EXPECT_EQ(inventory_.calls[0].metadata.find("x-relais-organisation")->second, "org_hi");
  EXPECT_THAT(targets_, ElementsAre("127.0.0.1:50052"));
  const std::string out = out_.str();
  EXPECT_THAT(out, testing::ContainsRegex("Team +team_01M8Y3J4M5N6P7Q8R9S0T1V2W6"));
  EXPECT_THAT(out, testing::ContainsRegex("Members +rsp_1, rsp_2"));
  EXPECT_THAT(out, HasSubstr("Kit (2 lines)"));
  EXPECT_THAT(out, testing::ContainsRegex("stk_2 +10"));
  ExpectFits(out);
}

TEST_F(RelaisctlRun, TeamUpdateGetAndRemove) {
  ASSERT_EQ(Run({"team", "update", "team_1", "--member", "rsp_3", "--no-kit", "--description", "",
                 "--expected-version", "4"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::UpdateTeamRequest>("UpdateTeam"),
              ElementsAre(EqualsProto(FromText<v1::UpdateTeamRequest>(R"pb(
                request_id: "req-fixed"
                team_id: "team_1"
                team { member_ids: "rsp_3" }
                update_mask { paths: [ "member_ids", "kit", "description" ] }
                expected_version: 4
              )pb"))));
  EXPECT_THAT(out_.str(), HasSubstr("No kit."));

  ASSERT_EQ(Run({"team", "get", "team_1"}), 0) << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::GetTeamRequest>("GetTeam"),
              ElementsAre(EqualsProto(FromText<v1::GetTeamRequest>(R"pb(team_id: "team_1")pb"))));

  out_.str("");
  ASSERT_EQ(Run({"team", "remove", "team_1", "--request-id", "rm-team"}), 0) << err_.str();
  EXPECT_THAT(
      inventory_.Requests<v1::RemoveTeamRequest>("RemoveTeam"),
      ElementsAre(EqualsProto(FromText<v1::RemoveTeamRequest>(R"pb(request_id: "rm-team"
                                                                   team_id: "team_1")pb"))));
  EXPECT_EQ(out_.str(), "Withdrew team team_1; its holds and commitments are not affected.\n");
}

TEST_F(RelaisctlRun, TeamListIsTheCallersOrganisationUnlessToldAndFollowsPages) {
  ASSERT_EQ(Run({"--organisation", "org_hi", "team", "list"}), 0) << err_.str();
  EXPECT_THAT(out_.str(),
              testing::ContainsRegex("team_page1 +who-emt-type-1-mobile +2 +0 +EMT HI Lyon 1"));
  EXPECT_THAT(out_.str(), HasSubstr("More: add --page-token t2"));
  ExpectFits(out_.str());

  out_.str("");
  ASSERT_EQ(
      Run({"team", "list", "--organisation-id", "org_msf", "--page-size", "1", "--all", "--json"}),
      0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::ListTeamsRequest>("ListTeams");
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_THAT(requests[0],
              EqualsProto(FromText<v1::ListTeamsRequest>(R"pb(organisation_id: "org_hi")pb")));
  EXPECT_THAT(requests[1],
              EqualsProto(FromText<v1::ListTeamsRequest>(R"pb(organisation_id: "org_msf"
                                                              page_size: 1)pb")));
  EXPECT_EQ(requests[2].page_token(), "t2");
  v1::ListTeamsResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  ASSERT_EQ(printed.teams_size(), 2);
  EXPECT_EQ(printed.teams(1).id(), "team_page2");
  EXPECT_THAT(out_.str(), HasSubstr("\"member_ids\""));

  EXPECT_EQ(Run({"team", "list"}), 2);
  EXPECT_EQ(err_.str(),
            "relaisctl: whose teams? give --organisation-id, or --organisation "
            "(RELAIS_ORGANISATION) for your own\n"
            "Run 'relaisctl team list --help' for usage.\n");
  EXPECT_EQ(inventory_.calls.size(), 3u);
}

TEST_F(RelaisctlRun, WarehouseRegisterGetAndList) {
  ASSERT_EQ(
      Run({"warehouse", "register", "--name", "Bioport - Vaulx-en-Velin", "--commune",
           "Vaulx-en-Velin", "--lat", "45.7677", "--lon", "4.9226", "--external-ref", "BIO-1"}),
      0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::RegisterWarehouseRequest>("RegisterWarehouse"),
              ElementsAre(EqualsProto(FromText<v1::RegisterWarehouseRequest>(R"pb(
                request_id: "req-fixed"
                warehouse {
                  external_ref: "BIO-1"
                  name: "Bioport - Vaulx-en-Velin"
                  commune: "Vaulx-en-Velin"
                  location { lat: 45.7677 lon: 4.9226 }
                }
              )pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Warehouse +whs_01M8Y3J4M5N6P7Q8R9S0T1V2W7"));
  EXPECT_THAT(out_.str(), HasSubstr("45.76770, 4.92260"));
  ExpectFits(out_.str());

  ASSERT_EQ(Run({"warehouse", "get", "whs_1"}), 0) << err_.str();
  EXPECT_THAT(
      inventory_.Requests<v1::GetWarehouseRequest>("GetWarehouse"),
      ElementsAre(EqualsProto(FromText<v1::GetWarehouseRequest>(R"pb(warehouse_id: "whs_1")pb"))));

  out_.str("");
  ASSERT_EQ(Run({"--organisation", "org_hi", "warehouse", "list"}), 0) << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::ListWarehousesRequest>("ListWarehouses"),
              ElementsAre(EqualsProto(
                  FromText<v1::ListWarehousesRequest>(R"pb(organisation_id: "org_hi")pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("whs_of_org_hi +Vaulx-en-Velin +Bioport +-"));
  EXPECT_EQ(Run({"warehouse", "list"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("whose warehouses?"));
}

TEST_F(RelaisctlRun, AuditListsWhoDidWhatForWhomPageByPage) {
  ASSERT_EQ(Run({"audit", "responder", "rsp_1", "--all"}), 0) << err_.str();
  EXPECT_THAT(
      inventory_.Requests<v1::ListAuditRecordsRequest>("ListAuditRecords"),
      ElementsAre(
          EqualsProto(FromText<v1::ListAuditRecordsRequest>(R"pb(responder_id: "rsp_1")pb")),
          EqualsProto(FromText<v1::ListAuditRecordsRequest>(
              R"pb(responder_id: "rsp_1" page_token: "1780000000000-1")pb"))));
  const std::string out = out_.str();
  EXPECT_THAT(out, testing::ContainsRegex("responder-updated +rsp_1 by admin-lyon for org_hi"));
  EXPECT_THAT(out, HasSubstr("(inventory, request import-hi-7)"));
  EXPECT_THAT(out, testing::ContainsRegex("responder-registered +rsp_1 by osi-admin-hi\n"));
  EXPECT_LT(out.find("responder-updated"), out.find("responder-registered")) << "newest first";
  EXPECT_THAT(out, HasSubstr("The trail keeps each change for 400 days."));
  ExpectFits(out);

  ASSERT_EQ(Run({"audit", "crisis", "crs_1", "--page-size", "1"}), 0) << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::ListAuditRecordsRequest>("ListAuditRecords"),
              testing::Contains(
                  EqualsProto(FromText<v1::ListAuditRecordsRequest>(R"pb(crisis_id: "crs_1"
                                                                         page_size: 1)pb"))));
  ASSERT_EQ(Run({"audit", "organisation", "org_hi"}), 0) << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::ListAuditRecordsRequest>("ListAuditRecords"),
              testing::Contains(EqualsProto(
                  FromText<v1::ListAuditRecordsRequest>(R"pb(organisation_id: "org_hi")pb"))));
  EXPECT_EQ(Run({"audit", "responder"}), 2) << "the id is required";
}

TEST_F(RelaisctlRun, StockOfferAndAdjust) {
  ASSERT_EQ(Run({"stock", "offer", "--warehouse", "whs_1", "--item", "who-cholera-kit-central",
                 "--lot", "L2024-118", "--quantity", "140", "--expires", "2027-07-01",
                 "--external-ref", "CK-118"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::OfferSuppliesRequest>("OfferSupplies"),
              ElementsAre(EqualsProto(FromText<v1::OfferSuppliesRequest>(R"pb(
                request_id: "req-fixed"
                line {
                  warehouse_id: "whs_1"
                  external_ref: "CK-118"
                  item_code: "who-cholera-kit-central"
                  lot: "L2024-118"
                  expires_at { seconds: 1814400000 }
                }
                quantity: 140
              )pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Stock line +stk_01M8Y3J4M5N6P7Q8R9S0T1V2W8"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Expires +2027-07-01\n"));
  ExpectFits(out_.str());

  out_.str("");
  ASSERT_EQ(Run({"stock", "adjust", "stk_1", "--delta", "-3", "--reason", "used-elsewhere",
                 "--note", "don à la PASS"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::AdjustStockRequest>("AdjustStock"),
              ElementsAre(EqualsProto(FromText<v1::AdjustStockRequest>(R"pb(
                request_id: "req-fixed"
                stock_line_id: "stk_1"
                delta: -3
                reason: ADJUSTMENT_REASON_USED_ELSEWHERE
                note: "don à la PASS"
              )pb"))));
  EXPECT_THAT(out_.str(), HasSubstr("97 available"));
  EXPECT_THAT(out_.str(), HasSubstr("offered 100, adjusted -3"));
}

TEST_F(RelaisctlRun, StockListAndFind) {
  ASSERT_EQ(Run({"stock", "list", "--warehouse", "whs_1", "--item", "who-cholera-kit-central"}), 0)
      << err_.str();
  ASSERT_EQ(Run({"--organisation", "org_hi", "stock", "list", "--page-size", "10"}), 0)
      << err_.str();
  const auto lists = inventory_.Requests<v1::ListStockRequest>("ListStock");
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_THAT(lists[0], EqualsProto(FromText<v1::ListStockRequest>(
                            R"pb(warehouse_id: "whs_1" item_code: "who-cholera-kit-central")pb")));
  EXPECT_THAT(lists[1], EqualsProto(FromText<v1::ListStockRequest>(R"pb(organisation_id: "org_hi"
                                                                        page_size: 10)pb")));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("stk_01M8Y3J4M5N6P7Q8R9S0T1V2W8 +who-cholera"));
  ExpectFits(out_.str());

  out_.str("");
  ASSERT_EQ(Run({"stock", "find", "--item", "who-cholera-kit-central", "--near", "-5.947,29.194",
                 "--quantity", "200", "--not-expiring-before", "2027-01-31", "--exclude", "stk_a",
                 "--exclude", "stk_b", "--page-size", "20"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::FindSuppliesRequest>("FindSupplies"),
              ElementsAre(EqualsProto(FromText<v1::FindSuppliesRequest>(R"pb(
                item_code: "who-cholera-kit-central"
                near { lat: -5.947 lon: 29.194 }
                quantity: 200
                not_expiring_before { seconds: 1801353600 }
                exclude_line_ids: [ "stk_a", "stk_b" ]
                page_size: 20
              )pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("120 +10 +5 +12.3"));
  EXPECT_THAT(out_.str(), HasSubstr("120 units available in 1 lines: 80 short of the 200 wanted."));
  ExpectFits(out_.str());

  out_.str("");
  ASSERT_EQ(
      Run({"stock", "find", "--item", "x", "--near", "45.75,4.85", "--quantity", "5", "--json"}), 0)
      << err_.str();
  v1::FindSuppliesResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  EXPECT_TRUE(printed.covered());
  EXPECT_THAT(out_.str(), HasSubstr("\"total_available\""));
}

TEST_F(RelaisctlRun, ResponderFindLocalBuildsTheExactRequest) {
  ASSERT_EQ(Run({"responder",       "find",
                 "--skill",         "nurse",
                 "--min-level",     "3",
                 "--from",          "2026-12-01T08:00:00Z",
                 "--until",         "2026-12-15T18:00:00Z",
                 "--language",      "fr",
                 "--language",      "ar",
                 "--certification", "bls",
                 "--exclude",       "rsp_a",
                 "--exclude",       "rsp_b",
                 "--mission-kind",  "heatwave",
                 "--near",          "45.7578,4.8320",
                 "--radius-km",     "30",
                 "--page-size",     "1"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::FindRespondersRequest>("FindResponders"),
              ElementsAre(EqualsProto(FromText<v1::FindRespondersRequest>(R"pb(
                skill_code: "nurse"
                min_level: 3
                window {
                  start { seconds: 1796112000 }
                  end { seconds: 1797357600 }
                }
                languages: [ "fr", "ar" ]
                certifications: "bls"
                exclude_responder_ids: [ "rsp_a", "rsp_b" ]
                mission_kind: CRISIS_KIND_HEATWAVE
                local {
                  center { lat: 45.7578 lon: 4.832 }
                  radius_km: 30
                }
                page_size: 1
              )pb"))));
  const std::vector<std::string> lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(lines[1],
              testing::ContainsRegex("rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4 +4 +3.5 +on-call +2 +-$"));
  EXPECT_THAT(lines[2], HasSubstr("of org_01M8Y3J4M5N6P7Q8R9S0T1V2W3"));
  EXPECT_EQ(lines[3], "More: add --page-token f2");
  ExpectFits(out_.str());
}

TEST_F(RelaisctlRun, ResponderFindAbroadFollowsPages) {
  ASSERT_EQ(Run({"responder", "find", "--skill", "wash-engineer", "--from", "2026-12-01T08:00:00Z",
                 "--until", "2026-12-15T18:00:00Z", "--abroad", "--entry-certification",
                 "yellow-fever-vaccination", "--mission-kind", "epidemic", "--all", "--json"}),
            0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::FindRespondersRequest>("FindResponders");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[0].abroad(),
              EqualsProto(FromText<v1::AbroadSearch>(
                  R"pb(entry_certifications: "yellow-fever-vaccination")pb")));
  EXPECT_FALSE(requests[0].has_local());
  EXPECT_EQ(requests[1].page_token(), "f2");
  v1::FindRespondersResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  ASSERT_EQ(printed.matches_size(), 2);
  EXPECT_EQ(printed.matches(1).responder_id(), "rsp_page2");
  EXPECT_THAT(out_.str(), HasSubstr("\"missions_of_kind\": 2"));

  out_.str("");
  ASSERT_EQ(Run({"responder", "find", "--skill", "nurse", "--from", "2026-12-01T08:00:00Z",
                 "--until", "2026-12-15T18:00:00Z", "--abroad", "--page-token", "f2"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), testing::ContainsRegex("rsp_page2 +4 +3.5 +on-call +2 +0.81"));
}

TEST_F(RelaisctlRun, ResponderExperienceRecordsTheMission) {
  ASSERT_EQ(Run({"responder", "experience", "rsp_1", "--kind", "epidemic", "--role",
                 "wash-engineer", "--place", "CD", "--from", "2026-11-20T00:00:00Z", "--until",
                 "2026-11-28T00:00:00Z", "--assignment", "asg_1", "--request-id", "exp-1"}),
            0)
      << err_.str();
  EXPECT_THAT(inventory_.Requests<v1::RecordExperienceRequest>("RecordExperience"),
              ElementsAre(EqualsProto(FromText<v1::RecordExperienceRequest>(R"pb(
                request_id: "exp-1"
                responder_id: "rsp_1"
                mission {
                  kind: CRISIS_KIND_EPIDEMIC
                  role_code: "wash-engineer"
                  place: "CD"
                  started_at { seconds: 1795132800 }
                  ended_at { seconds: 1795824000 }
                  assignment_id: "asg_1"
                }
              )pb"))));
  EXPECT_THAT(out_.str(), HasSubstr("Past missions (1)"));
  ExpectFits(out_.str());
}

TEST_F(RelaisctlRun, HoldPlaceForEachTarget) {
  ASSERT_EQ(Run({"hold", "place", "--responder-id", "rsp_1", "--from", "2026-12-01T08:00:00Z",
                 "--until", "2026-12-15T18:00:00Z", "--holder", "mob:req_7", "--ttl", "30m"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"hold", "place", "--team-id", "team_1", "--from", "2026-12-01T08:00:00Z",
                 "--until", "2026-12-15T18:00:00Z", "--holder", "coord:lyon-1"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"hold", "place", "--stock-line-id", "stk_1", "--quantity", "20", "--holder",
                 "coord:lyon-1", "--ttl", "2h"}),
            0)
      << err_.str();
  const auto requests = inventory_.Requests<v1::HoldRequest>("Hold");
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::HoldRequest>(R"pb(
                request_id: "req-fixed"
                responder_id: "rsp_1"
                window {
                  start { seconds: 1796112000 }
                  end { seconds: 1797357600 }
                }
                holder_ref: "mob:req_7"
                ttl { seconds: 1800 }
              )pb")));
  EXPECT_THAT(requests[1], EqualsProto(FromText<v1::HoldRequest>(R"pb(
                request_id: "req-fixed"
                team_id: "team_1"
                window {
                  start { seconds: 1796112000 }
                  end { seconds: 1797357600 }
                }
                holder_ref: "coord:lyon-1"
              )pb")));
  EXPECT_THAT(requests[2], EqualsProto(FromText<v1::HoldRequest>(R"pb(
                request_id: "req-fixed"
                stock_line_id: "stk_1"
                quantity: 20
                holder_ref: "coord:lyon-1"
                ttl { seconds: 7200 }
              )pb")));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Hold +hld_01M8Y3J4M5N6P7Q8R9S0T1V2W9"));
  EXPECT_THAT(out_.str(), HasSubstr("2026-11-26T09:45Z (in 15 min unless confirmed)"));
  ExpectFits(out_.str());
}

TEST_F(RelaisctlRun, HoldLifeVerbsSendTheirRequests) {
  ASSERT_EQ(Run({"hold", "get", "hld_1"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), testing::ContainsRegex("State +committed"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Members +rsp_1, rsp_2"));
  EXPECT_THAT(out_.str(), HasSubstr("Stock (1 lines)"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("stk_kit +4 +1"));
  ExpectFits(out_.str());
  ASSERT_EQ(Run({"hold", "confirm", "hld_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"hold", "release", "hld_2"}), 0) << err_.str();
  ASSERT_EQ(Run({"hold", "release-commitment", "hld_3", "--reason", "demobilised", "--kit-used",
                 "stk_kit=3"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"hold", "extend", "hld_4", "--until", "2026-12-20T18:00:00Z"}), 0) << err_.str();
  ASSERT_EQ(Run({"hold", "consume", "hld_5", "--quantity", "7"}), 0) << err_.str();
  ASSERT_EQ(Run({"hold", "consume", "hld_6", "--json"}), 0) << err_.str();

  EXPECT_THAT(inventory_.Requests<v1::GetHoldRequest>("GetHold"),
              ElementsAre(EqualsProto(FromText<v1::GetHoldRequest>(R"pb(hold_id: "hld_1")pb"))));
  EXPECT_THAT(
      inventory_.Requests<v1::ConfirmHoldRequest>("ConfirmHold"),
      ElementsAre(EqualsProto(FromText<v1::ConfirmHoldRequest>(R"pb(request_id: "req-fixed"
                                                                    hold_id: "hld_1")pb"))));
  EXPECT_THAT(
      inventory_.Requests<v1::ReleaseHoldRequest>("ReleaseHold"),
      ElementsAre(EqualsProto(FromText<v1::ReleaseHoldRequest>(R"pb(request_id: "req-fixed"
                                                                    hold_id: "hld_2")pb"))));
  EXPECT_THAT(inventory_.Requests<v1::ReleaseCommitmentRequest>("ReleaseCommitment"),
              ElementsAre(EqualsProto(FromText<v1::ReleaseCommitmentRequest>(R"pb(
                request_id: "req-fixed"
                hold_id: "hld_3"
                reason: "demobilised"
                kit_used { key: "stk_kit" value: 3 }
              )pb"))));
  EXPECT_THAT(inventory_.Requests<v1::ExtendCommitmentRequest>("ExtendCommitment"),
              ElementsAre(EqualsProto(FromText<v1::ExtendCommitmentRequest>(R"pb(
                request_id: "req-fixed"
                hold_id: "hld_4"
                new_end { seconds: 1797789600 }
              )pb"))));
  const auto consumes = inventory_.Requests<v1::ConsumeCommitmentRequest>("ConsumeCommitment");
  ASSERT_EQ(consumes.size(), 2u);
  EXPECT_THAT(consumes[0],
              EqualsProto(FromText<v1::ConsumeCommitmentRequest>(R"pb(request_id: "req-fixed"
                                                                      hold_id: "hld_5"
                                                                      quantity_used: 7)pb")));
  EXPECT_EQ(consumes[1].quantity_used(), 0);  // all of it
  EXPECT_THAT(out_.str(), HasSubstr("\"state\": \"HOLD_STATE_CONSUMED\""));
}

TEST_F(RelaisctlRun, NewWritesRetryWithTheSameRequestId) {
  inventory_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down"),
                         grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")};
  ASSERT_EQ(Run({"hold", "place", "--stock-line-id", "stk_1", "--quantity", "2", "--holder",
                 "mob:req_9", "--request-id", "mob-req-9"}),
            0)
      << err_.str();
  const auto holds = inventory_.Requests<v1::HoldRequest>("Hold");
  ASSERT_EQ(holds.size(), 3u);
  for (const v1::HoldRequest& request : holds) {
    EXPECT_THAT(request, EqualsProto(holds[0]));
    EXPECT_EQ(request.request_id(), "mob-req-9");
  }
  EXPECT_EQ(sleeps_.size(), 2u);

  // A generated id is the same across the retries of one run, too.
  inventory_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down")};
  ASSERT_EQ(Run({"team", "offer", "--name", "EMT", "--type", "who-emt-type-1-mobile", "--member",
                 "rsp_1"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"stock", "adjust", "stk_1", "--delta", "5", "--reason", "received"}), 0);
  const auto offers = inventory_.Requests<v1::OfferTeamRequest>("OfferTeam");
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_THAT(offers[1], EqualsProto(offers[0]));
  EXPECT_EQ(offers[1].request_id(), "req-fixed");
}

TEST_F(RelaisctlRun, NewVerbsMapServerErrorsToExitCodes) {
  inventory_.scripted = {
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "hold hld_1 expired at 09:45")};
  EXPECT_EQ(Run({"hold", "confirm", "hld_1"}), 1);
  EXPECT_EQ(err_.str(), "relaisctl: FAILED_PRECONDITION: hold hld_1 expired at 09:45\n");
  EXPECT_EQ(out_.str(), "");

  err_.str("");
  inventory_.scripted = {grpc::Status(grpc::StatusCode::ABORTED, "team is at version 5")};
  EXPECT_EQ(Run({"team", "update", "team_1", "--name", "EMT 2", "--expected-version", "4"}), 1);
  EXPECT_EQ(err_.str(), "relaisctl: ABORTED: team is at version 5\n");

  err_.str("");
  inventory_.scripted = {grpc::Status(grpc::StatusCode::NOT_FOUND, "no warehouse whs_x")};
  EXPECT_EQ(Run({"warehouse", "get", "whs_x"}), 1);
  EXPECT_EQ(err_.str(), "relaisctl: NOT_FOUND: no warehouse whs_x\n");

  err_.str("");
  inventory_.scripted = {grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                      "local.radius_km: must be more than 0 and at most 500")};
  EXPECT_EQ(Run({"responder", "find", "--skill", "nurse", "--from", "2026-12-01T08:00:00Z",
                 "--until", "2026-12-15T18:00:00Z", "--near", "45.75,4.85", "--radius-km", "900"}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr("INVALID_ARGUMENT: local.radius_km"));
  EXPECT_TRUE(sleeps_.empty());

  err_.str("");
  inventory_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                         grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                         grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")};
  EXPECT_EQ(Run({"stock", "adjust", "stk_1", "--delta", "-2", "--reason", "loss"}), 3);
  EXPECT_EQ(err_.str(),
            "relaisctl: UNAVAILABLE: connection refused (server 127.0.0.1:50052) (outcome "
            "unknown: run again with --request-id req-fixed, it will not apply twice)\n");

  err_.str("");
  inventory_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"),
                         grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"),
                         grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")};
  EXPECT_EQ(Run({"stock", "find", "--item", "x", "--near", "45.75,4.85", "--quantity", "5"}), 3);
  // A read changes nothing: no request id to reuse.
  EXPECT_EQ(err_.str(), "relaisctl: UNAVAILABLE: down (server 127.0.0.1:50052)\n");
}

struct UsageCase {
  std::vector<std::string> args;
  // What stderr's first line says, naming the flag.
  std::string message;
};

TEST_F(RelaisctlRun, NewVerbsUsageErrorsExitWith2NameTheFlagAndCallNobody) {
  const std::vector<std::string> window = {"--from", "2026-12-01T08:00:00Z", "--until",
                                           "2026-12-15T18:00:00Z"};
  auto with = [](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  const std::vector<UsageCase> cases = {
      {{"team", "offer", "--kit", "stk_1"}, "--kit: 'stk_1': no quantity: write stk_1=<units>"},
      {{"team", "offer", "--member", ""}, "--member: empty value"},
      {{"team", "update", "team_1"}, "nothing to update"},
      {{"team", "update", "team_1", "--kit", "stk_1=1", "--no-kit"}, "--kit excludes --no-kit"},
      {{"team", "remove"}, "team-id is required"},
      {{"warehouse", "register", "--name", "Bioport", "--lat", "45.7"}, "--lon is required"},
      {{"stock", "offer", "--expires", "juillet"}, "--expires: 'juillet' is not a date"},
      {{"stock", "offer", "--quantity", "many"}, "--quantity"},
      {{"stock", "adjust", "stk_1", "--delta", "-3", "--reason", "stolen"},
       "--reason: 'stolen' is not one of count, loss, expired, used-elsewhere, received"},
      {{"stock", "adjust", "stk_1", "--reason", "loss"}, "--delta is required"},
      {{"stock", "list", "--warehouse", "whs_1", "--organisation-id", "org_1"},
       "--warehouse and --organisation-id: give one or the other"},
      {{"stock", "list"}, "whose stock?"},
      {{"stock", "find", "--item", "x", "--near", "45.75", "--quantity", "5"},
       "--near: '45.75': expected LAT,LON in decimal degrees"},
      {{"stock", "find", "--item", "x", "--quantity", "5"}, "--near is required"},
      {with({"responder", "find", "--skill", "nurse"}, window),
       "where? give --near LAT,LON with --radius-km, or --abroad"},
      {with({"responder", "find", "--skill", "nurse", "--near", "45.7,4.8"}, window),
       "--near and --radius-km go together: missing --radius-km"},
      {with({"responder", "find", "--skill", "nurse", "--abroad", "--radius-km", "5"}, window),
       "give one or the other"},
      {with({"responder", "find", "--skill", "nurse", "--near", "1,2", "--radius-km", "5",
             "--entry-certification", "yellow-fever-vaccination"},
            window),
       "--entry-certification is for --abroad searches"},
      {with({"responder", "find", "--skill", "nurse", "--abroad", "--mission-kind", "war"}, window),
       "--mission-kind: 'war' is not one of epidemic"},
      {with({"responder", "find", "--skill", "nurse", "--abroad", "--all", "--page-token", "f2"},
            window),
       "--page-token excludes --all"},
      {{"responder", "find", "--skill", "nurse", "--abroad", "--from", "2026-12-01"},
       "--from: '2026-12-01' is not an RFC 3339 time"},
      {{"responder", "experience", "rsp_1", "--kind", "epidemic", "--role", "nurse", "--place",
        "CD", "--from", "2026-11-20T00:00:00Z"},
       "--until is required"},
      {{"hold", "place", "--holder", "h"},
       "what to hold? give one of --responder-id, --team-id, --stock-line-id"},
      {with({"hold", "place", "--responder-id", "rsp_1", "--team-id", "team_1", "--holder", "h"},
            window),
       "give only one of --responder-id --team-id"},
      {{"hold", "place", "--responder-id", "rsp_1", "--from", "2026-12-01T08:00:00Z", "--holder",
        "h"},
       "--from and --until give the window together: missing --until"},
      {{"hold", "place", "--stock-line-id", "stk_1", "--holder", "h"},
       "how many units? give --quantity with --stock-line-id"},
      {with({"hold", "place", "--stock-line-id", "stk_1", "--quantity", "2", "--holder", "h"},
            window),
       "stock is held without a window"},
      {{"hold", "place", "--stock-line-id", "stk_1", "--quantity", "2"}, "--holder is required"},
      {{"hold", "place", "--stock-line-id", "stk_1", "--quantity", "2", "--holder", "h", "--ttl",
        "soon"},
       "--ttl: 'soon' is not a duration such as 15m, 90s or 1h30m"},
      {{"hold", "release-commitment", "hld_1", "--kit-used", "stk_1=2", "--kit-used", "stk_1=1"},
       "--kit-used: stk_1 is given twice"},
      {{"hold", "extend", "hld_1"}, "--until is required"},
      {{"hold", "consume"}, "hold-id is required"},
      {{"hold", "seize", "hld_1"}, "subcommand"},
  };
  for (const UsageCase& c : cases) {
    err_.str("");
    EXPECT_EQ(Run(c.args), 2) << c.args[0] << " " << c.args[1];
    EXPECT_THAT(Lines(err_.str()).front(), HasSubstr(c.message)) << c.args[1];
    EXPECT_THAT(err_.str(), testing::ContainsRegex("Run 'relaisctl [a-z-]+( [a-z-]+)? --help'"));
  }
  EXPECT_TRUE(targets_.empty());
  EXPECT_TRUE(inventory_.calls.empty());
}

TEST_F(RelaisctlRun, HelpOfTheNewNounsFits) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"},
                                             {"team", "--help"},
                                             {"team", "offer", "--help"},
                                             {"team", "update", "--help"},
                                             {"team", "list", "--help"},
                                             {"warehouse", "--help"},
                                             {"warehouse", "register", "--help"},
                                             {"stock", "--help"},
                                             {"stock", "offer", "--help"},
                                             {"stock", "adjust", "--help"},
                                             {"stock", "list", "--help"},
                                             {"stock", "find", "--help"},
                                             {"responder", "find", "--help"},
                                             {"responder", "experience", "--help"},
                                             {"hold", "--help"},
                                             {"hold", "place", "--help"},
                                             {"hold", "release-commitment", "--help"},
                                             {"hold", "extend", "--help"},
                                             {"hold", "consume", "--help"}}) {
    out_.str("");
    EXPECT_EQ(Run(args), 0) << args[0];
    EXPECT_THAT(out_.str(), HasSubstr("Usage: relaisctl"));
    ExpectFits(out_.str());
  }
}

// The mobilisation service: pure parts ----------------------------------------------------------

TEST(Words, MobilisationEnumValuesHaveWordsThatReadBack) {
  using namespace relais::cli;  // NOLINT: the vocabularies
  ExpectWordForEveryValue(CandidateKinds(), v1::CandidateKind_descriptor());
  ExpectWordForEveryValue(Coverages(), v1::Coverage_descriptor());
  ExpectWordForEveryValue(RequestStates(), v1::RequestState_descriptor());
  ExpectWordForEveryValue(AssignmentStates(), v1::AssignmentState_descriptor());
  ExpectWordForEveryValue(NotificationChannels(), v1::NotificationChannel_descriptor());
  ExpectWordForEveryValue(DeliveryStates(), v1::DeliveryState_descriptor());
  ExpectWordForEveryValue(EventTypes(), v1::EventType_descriptor());
  EXPECT_EQ(AssignmentStates().Parse("en-route"), v1::ASSIGNMENT_STATE_EN_ROUTE);
  EXPECT_EQ(EventTypes().Name(v1::EVENT_TYPE_ASSIGNMENT_EXTENSION_REFUSED),
            "assignment-extension-refused");
}

TEST(TimeText, DurationsTakeDaysAndSpansReadAtAGlance) {
  using relais::cli::FormatSpan;
  using relais::cli::ParseTimeout;
  EXPECT_EQ(ParseTimeout("30m"), absl::Minutes(30));
  EXPECT_EQ(ParseTimeout("2h"), absl::Hours(2));
  EXPECT_EQ(ParseTimeout("1d"), absl::Hours(24));
  EXPECT_EQ(ParseTimeout("1d12h"), absl::Hours(36));
  EXPECT_EQ(ParseTimeout("d"), std::nullopt);
  EXPECT_EQ(ParseTimeout("1d-2h"), std::nullopt);
  EXPECT_EQ(ParseTimeout("0d"), std::nullopt);
  EXPECT_EQ(ParseTimeout("soon"), std::nullopt);
  EXPECT_EQ(FormatSpan(absl::ZeroDuration()), "0m");
  EXPECT_EQ(FormatSpan(absl::Seconds(30)), "<1m");
  EXPECT_EQ(FormatSpan(absl::Seconds(894)), "15m");
  EXPECT_EQ(FormatSpan(absl::Minutes(125)), "2h05m");
  EXPECT_EQ(FormatSpan(absl::Hours(2)), "2h");
  EXPECT_EQ(FormatSpan(absl::Hours(76)), "3d04h");
  EXPECT_EQ(FormatSpan(absl::Hours(48)), "2d");
}

TEST(MobilisationRequest, PolicyHoldsOnlyTheFlagsGiven) {
  relais::cli::PolicyFields fields;
  EXPECT_THAT(relais::cli::BuildPolicy(fields), EqualsProto(v1::MobilisationPolicy()));
  fields.overbooking = 2;
  fields.response_time = absl::Minutes(30);
  fields.rotation_days = 60;
  fields.manual_escalation = true;
  fields.max_pending = 10;
  EXPECT_THAT(relais::cli::BuildPolicy(fields), EqualsProto(FromText<v1::MobilisationPolicy>(R"pb(
                overbooking_factor: 2
                response_time { seconds: 1800 }
                rotation_window { seconds: 5184000 }
                manual_escalation: true
                max_pending: 10
              )pb")));
}

TEST(MobilisationRequest, CombinationsTheApiCannotSayAreRefusedNamingTheFlags) {
  using relais::cli::AnswerFields;
  using relais::cli::StatusFields;
  auto message = [](const absl::Status& status) { return std::string(status.message()); };
  EXPECT_EQ(message(relais::cli::BuildRespondRequest("mrq_1", AnswerFields{}, "r").status()),
            "what is the answer? give one of --accept, --decline, --provisional");
  EXPECT_EQ(message(relais::cli::BuildRespondRequest(
                        "mrq_1", AnswerFields{.accept = true, .decline = true}, "r")
                        .status()),
            "one at a time: give only one of --accept --decline");
  EXPECT_EQ(message(relais::cli::BuildRespondRequest(
                        "mrq_1", AnswerFields{.provisional = true, .reason = " "}, "r")
                        .status()),
            "--provisional needs --reason: say what the yes depends on");
  EXPECT_EQ(
      message(relais::cli::BuildDecideRequest("mrq_1", true, true, std::nullopt, "r").status()),
      "give one of --confirm and --decline");
  EXPECT_EQ(message(relais::cli::BuildReportStatusRequest("asg_1", StatusFields{}, "r").status()),
            "which status? give one of --en-route, --on-site, --shipped, --delivered, --returned");
  EXPECT_EQ(message(relais::cli::BuildReportStatusRequest(
                        "asg_1", StatusFields{.on_site = true, .eta = absl::Now()}, "r")
                        .status()),
            "--eta is for --en-route: the expected arrival");
  EXPECT_EQ(message(relais::cli::BuildReportStatusRequest(
                        "asg_1", StatusFields{.shipped = true, .used = 3}, "r")
                        .status()),
            "--used is for --delivered: the units used");
  EXPECT_EQ(message(relais::cli::BuildExtendAssignmentRequest("asg_1", absl::Now(), false, false,
                                                              std::nullopt, "r")
                        .status()),
            "give one of --grant and --refuse");
  EXPECT_EQ(message(relais::cli::CheckListScope({.crisis_id = "c", .responder_id = "r"}, "", "x")),
            "--crisis-id and --responder-id: give one or the other");
  EXPECT_EQ(message(relais::cli::CheckListScope({.need_id = "n", .responder_id = "r"}, "", "x")),
            "--need-id needs --crisis-id: a need belongs to a crisis");
  EXPECT_THAT(message(relais::cli::CheckListScope({}, "", "requests")),
              HasSubstr("whose requests? give --crisis-id"));
  EXPECT_TRUE(relais::cli::CheckListScope({}, "rsp_me", "requests").ok());
}

TEST(MobilisationRequest, CursorsCompareInLogOrder) {
  using relais::cli::CompareCursors;
  EXPECT_LT(CompareCursors("99-5", "100-0"), 0);
  EXPECT_LT(CompareCursors("100-2", "100-10"), 0);
  EXPECT_EQ(CompareCursors("100-0", "100-0"), 0);
  EXPECT_GT(CompareCursors("1764150000001-0", "1764150000000-9"), 0);
  EXPECT_LT(CompareCursors("100-0", "garbage"), 0);
}

TEST(MobilisationView, EventLinesKeepWithinTheWidthAndNameWhatTheyCarry) {
  const v1::Event event = FromText<v1::Event>(R"pb(
    cursor: "1764150000000-0"
    type: EVENT_TYPE_REQUEST_ACCEPTED
    time { seconds: 1795685462 }
    principal_id: "org-hi-admin"
    on_behalf_of: "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4"
    crisis_id: "crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W"
    need_id: "need_01KZ8Y3J4M5N6P7Q8R9S0T1V2X"
    mobilisation_request_id: "mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5"
    assignment_id: "asg_01M8Y3J4M5N6P7Q8R9S0T1V2W6"
    subject_id: "mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5"
    responder_id: "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4"
  )pb");
  const std::string line = relais::cli::EventLine(event, /*show_crisis=*/true);
  ExpectFits(line);
  EXPECT_THAT(line, testing::StartsWith("2026-11-26T09:31:02Z  request-accepted  crs_01KZ"));
  for (const std::string id :
       {"need_01KZ8Y3J4M5N6P7Q8R9S0T1V2X", "mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5",
        "asg_01M8Y3J4M5N6P7Q8R9S0T1V2W6", "by org-hi-admin for rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4"}) {
    EXPECT_THAT(line, HasSubstr(id));
  }
  // The subject is the request, already shown; continuation lines sit under the type.
  EXPECT_EQ(line.find("mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5"),
            line.rfind("mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5"));
  EXPECT_THAT(Lines(line)[1], testing::StartsWith(std::string(22, ' ') + "need_"));
  // Watching one crisis: its id is left out.
  EXPECT_THAT(relais::cli::EventLine(event, /*show_crisis=*/false), Not(HasSubstr("crs_")));
}

TEST(MobilisationView, BoardShowsEachNeedAndItsPendingRequestsWithinTheWidth) {
  v1::CrisisBoard board = SampleBoard("crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W", "1764150000000-0");
  board.mutable_needs(0)->mutable_progress()->set_need_id("need_01KZ8Y3J4M5N6P7Q8R9S0T1V2X");
  board.mutable_needs(0)->mutable_pending(0)->mutable_request()->set_id(
      "mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5");
  board.mutable_needs(0)->mutable_pending(0)->mutable_request()->set_responder_id(
      "rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4");
  const std::string out = relais::cli::CrisisBoardView(board);
  ExpectFits(out);
  EXPECT_THAT(out, HasSubstr("crs_01KZ8Y3J4M5N6P7Q8R9S0T1V2W: Choléra - camp de Kalemie (ACTIVE), "
                             "as of 2026-11-26T09:30Z"));
  EXPECT_THAT(out, HasSubstr("Responders with a pending request not reached yet: 2"));
  EXPECT_THAT(out, testing::ContainsRegex("need_01KZ8Y3J4M5N6P7Q8R9S0T1V2X +4 +3 +1 +0 +0 +open"));
  EXPECT_THAT(out, HasSubstr("skill:nurse, round 2"));
  EXPECT_THAT(out, testing::ContainsRegex("need_2 +2 +0 +2 +2 +0 +covered"));
  EXPECT_THAT(out, HasSubstr("Pending requests for need_01KZ8Y3J4M5N6P7Q8R9S0T1V2X (1)"));
  EXPECT_THAT(out,
              testing::ContainsRegex(
                  "mrq_01M8Y3J4M5N6P7Q8R9S0T1V2W5 +provisional +rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4 "
                  "+1 +15m"));
  EXPECT_THAT(out, HasSubstr("Event log cursor: 1764150000000-0"));
}

// The mobilisation service: whole command lines ------------------------------------------------

TEST_F(RelaisctlRun, NeedCandidatesSendsTheRequestAndPrintsTheRanking) {
  ASSERT_EQ(Run({"need", "candidates", "--crisis-id", "crs_1", "--need-id", "need_1", "--limit",
                 "5", "--rotation-days", "60"}),
            0)
      << err_.str();
  EXPECT_THAT(mobilisation_.Requests<v1::ProposeCandidatesRequest>("ProposeCandidates"),
              ElementsAre(EqualsProto(FromText<v1::ProposeCandidatesRequest>(R"pb(
                crisis_id: "crs_1"
                need_id: "need_1"
                limit: 5
                policy { rotation_window { seconds: 5184000 } }
              )pb"))));
  // The mobilisation service's own default address.
  EXPECT_THAT(targets_, ElementsAre("127.0.0.1:50053"));
  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("For 2026-12-01T08:00Z to 2026-12-15T08:00Z; 2 already asked"));
  EXPECT_THAT(out, testing::ContainsRegex("RANK +KIND +CANDIDATE +ORGANISATION +SCORE"));
  EXPECT_THAT(out, testing::ContainsRegex("1 +responder +rsp_01M8Y3J4M5N6P7Q8R9S0T1V2W4 "
                                          "+org_01M8Y3J4M5N6P7Q8R9S0T1V2W3 +412.50"));
  EXPECT_THAT(out, HasSubstr("level 3 in cholera-case-management; 12.4 km away; 2 past epidemic"));
  // Long reasons go on to the next line rather than being cut.
  EXPECT_THAT(out, HasSubstr("for the whole window"));
  EXPECT_THAT(out, testing::ContainsRegex("2 +stock +stk_1 +org_2 +7.00"));
  ExpectFits(out);

  out_.str("");
  ASSERT_EQ(Run({"need", "candidates", "--crisis-id", "crs_1", "--need-id", "need_1", "--json"}),
            0);
  v1::ProposeCandidatesResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  EXPECT_EQ(printed.candidates(0).reasons_size(), 5);
  // No flags, no policy: the server's defaults.
  EXPECT_FALSE(
      mobilisation_.Requests<v1::ProposeCandidatesRequest>("ProposeCandidates")[1].has_policy());
}

TEST_F(RelaisctlRun, NeedMobiliseSendsThePolicyAndPrintsProgressAndRequests) {
  ASSERT_EQ(Run({"need", "mobilise", "--crisis-id", "crs_1", "--need-id", "need_1", "--overbooking",
                 "2", "--response-time", "1d", "--rotation-days", "14", "--manual-escalation",
                 "--max-pending", "8", "--request-id", "mob-1"}),
            0)
      << err_.str();
  EXPECT_THAT(mobilisation_.Requests<v1::MobiliseRequest>("Mobilise"),
              ElementsAre(EqualsProto(FromText<v1::MobiliseRequest>(R"pb(
                request_id: "mob-1"
                crisis_id: "crs_1"
                need_id: "need_1"
                policy {
                  overbooking_factor: 2
                  response_time { seconds: 86400 }
                  rotation_window { seconds: 1209600 }
                  manual_escalation: true
                  max_pending: 8
                }
              )pb"))));
  const std::vector<std::string> lines = Lines(out_.str());
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "need_1 (skill:nurse): required 4, requested 3, accepted 1, deployed 0, released 0; "
            "open");
  EXPECT_EQ(lines[1], "Requests sent (2)");
  EXPECT_THAT(lines[2], testing::ContainsRegex("REQUEST +STATE +WHO +QTY +RESPOND BY"));
  EXPECT_THAT(lines[3], testing::ContainsRegex("mrq_1 +requested +rsp_1 +1 +2026-11-26T09:45Z"));
  EXPECT_THAT(out_.str(), HasSubstr("for need_1 of crs_1, round 1"));
  ExpectFits(out_.str());

  // Without policy flags the request carries an empty policy: the need keeps what it has.
  out_.str("");
  ASSERT_EQ(Run({"need", "mobilise", "--crisis-id", "crs_1", "--need-id", "need_1", "--json"}), 0);
  const auto requests = mobilisation_.Requests<v1::MobiliseRequest>("Mobilise");
  EXPECT_THAT(requests[1].policy(), EqualsProto(v1::MobilisationPolicy()));
  EXPECT_EQ(requests[1].request_id(), "req-fixed");
  v1::MobiliseResponse printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  EXPECT_EQ(printed.requests_size(), 2);
}

TEST_F(RelaisctlRun, NeedProgressShowsTheCountsAndThePolicy) {
  ASSERT_EQ(Run({"need", "progress", "--need-id", "need_1", "--crisis-id", "crs_1"}), 0)
      << err_.str();
  EXPECT_THAT(
      mobilisation_.Requests<v1::GetNeedProgressRequest>("GetNeedProgress"),
      ElementsAre(EqualsProto(FromText<v1::GetNeedProgressRequest>(R"pb(crisis_id: "crs_1"
                                                                        need_id: "need_1")pb"))));
  const std::string out = out_.str();
  EXPECT_THAT(out, testing::ContainsRegex("Coverage +open"));
  EXPECT_THAT(out, testing::ContainsRegex("Required +4"));
  EXPECT_THAT(out, testing::ContainsRegex("Declined +2"));
  EXPECT_THAT(out, testing::ContainsRegex("Overbooking +2\n"));
  EXPECT_THAT(out, testing::ContainsRegex("Time to answer +30m"));
  EXPECT_THAT(out, testing::ContainsRegex("Rotation window +30d \\(default\\)"));
  EXPECT_THAT(out, testing::ContainsRegex("Escalation +manual"));
  EXPECT_THAT(out, testing::ContainsRegex("Most pending +50 \\(default\\)"));
  ExpectFits(out);
}

TEST_F(RelaisctlRun, MobilisationAddressIsItsFlagThenServerThenItsVariable) {
  env_vars_ = {{"RELAIS_MOBILISATION_ADDR", "mob.relais:7002"},
               {"RELAIS_CRISIS_ADDR", "crisis.relais:7000"}};
  ASSERT_EQ(Run({"request", "get", "mrq_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"crisis", "board", "crs_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"crisis", "get", "crs_1"}), 0) << err_.str();
  ASSERT_EQ(
      Run({"--server", "10.0.0.7:50053", "need", "progress", "--crisis-id", "c", "--need-id", "n"}),
      0);
  ASSERT_EQ(Run({"--server", "10.0.0.5:50051", "crisis", "outreach", "crs_1", "--mobilisation",
                 "10.0.0.8:50053"}),
            0);
  EXPECT_THAT(targets_, ElementsAre("mob.relais:7002", "mob.relais:7002", "crisis.relais:7000",
                                    "10.0.0.7:50053", "10.0.0.8:50053"));
  // The identity goes to this service too.
  env_vars_ = {{"RELAIS_RESPONDER", "rsp_env"}};
  ASSERT_EQ(Run({"--principal", "rsp_env", "--role", "responder", "request", "ack", "mrq_1"}), 0);
  const auto& headers = mobilisation_.calls.back().metadata;
  EXPECT_EQ(headers.find("x-relais-principal")->second, "rsp_env");
  EXPECT_EQ(headers.find("x-relais-role")->second, "responder");
  EXPECT_EQ(headers.find("x-relais-responder")->second, "rsp_env");
}

TEST_F(RelaisctlRun, RequestListIsACrisisANeedOrAResponderAndFollowsPages) {
  ASSERT_EQ(Run({"request", "list", "--crisis-id", "crs_1", "--need-id", "need_1", "--state",
                 "provisional"}),
            0)
      << err_.str();
  ASSERT_EQ(
      Run({"request", "list", "--responder-id", "rsp_9", "--page-size", "1", "--all", "--json"}), 0)
      << err_.str();
  ASSERT_EQ(Run({"--responder", "rsp_me", "request", "list"}), 0) << err_.str();
  const auto requests = mobilisation_.Requests<v1::ListRequestsRequest>("ListRequests");
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_THAT(requests[0], EqualsProto(FromText<v1::ListRequestsRequest>(R"pb(
                crisis_id: "crs_1"
                need_id: "need_1"
                state: REQUEST_STATE_PROVISIONAL
              )pb")));
  EXPECT_THAT(requests[1], EqualsProto(FromText<v1::ListRequestsRequest>(R"pb(responder_id: "rsp_9"
                                                                              page_size: 1)pb")));
  EXPECT_EQ(requests[2].page_token(), "r2");
  EXPECT_THAT(requests[3],
              EqualsProto(FromText<v1::ListRequestsRequest>(R"pb(responder_id: "rsp_me")pb")));
  const std::string out = out_.str();
  EXPECT_THAT(out, testing::ContainsRegex("mrq_page1 +requested +rsp_1 +1 +2026-11-26T09:45Z"));
  EXPECT_THAT(out, HasSubstr("More: add --page-token r2"));
  EXPECT_THAT(out, HasSubstr("\"id\": \"mrq_page2\""));
}

TEST_F(RelaisctlRun, RequestRespondAckAndDecideSendTheirRequests) {
  ASSERT_EQ(Run({"request", "get", "mrq_1"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Respond by +2026-11-26T09:45Z \\(in 15m\\)"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Responder +rsp_1"));
  ExpectFits(out_.str());
  ASSERT_EQ(Run({"request", "respond", "mrq_1", "--accept"}), 0) << err_.str();
  ASSERT_EQ(Run({"request", "respond", "mrq_2", "--decline", "--reason", "en congés"}), 0);
  ASSERT_EQ(Run({"request", "respond", "mrq_3", "--provisional", "--reason", "si transport"}), 0);
  ASSERT_EQ(Run({"request", "ack", "mrq_4"}), 0) << err_.str();
  ASSERT_EQ(Run({"request", "decide", "mrq_3", "--confirm"}), 0) << err_.str();
  ASSERT_EQ(Run({"request", "decide", "mrq_5", "--decline", "--reason", "trop tard"}), 0);

  EXPECT_THAT(mobilisation_.Requests<v1::GetRequestRequest>("GetRequest"),
              ElementsAre(EqualsProto(
                  FromText<v1::GetRequestRequest>(R"pb(mobilisation_request_id: "mrq_1")pb"))));
  EXPECT_THAT(mobilisation_.Requests<v1::RespondRequest>("Respond"),
              ElementsAre(EqualsProto(FromText<v1::RespondRequest>(R"pb(
                            request_id: "req-fixed"
                            mobilisation_request_id: "mrq_1"
                            answer: ANSWER_ACCEPT
                          )pb")),
                          EqualsProto(FromText<v1::RespondRequest>(R"pb(
                            request_id: "req-fixed"
                            mobilisation_request_id: "mrq_2"
                            answer: ANSWER_DECLINE
                            reason: "en congés"
                          )pb")),
                          EqualsProto(FromText<v1::RespondRequest>(R"pb(
                            request_id: "req-fixed"
                            mobilisation_request_id: "mrq_3"
                            answer: ANSWER_PROVISIONAL
                            reason: "si transport"
                          )pb"))));
  EXPECT_THAT(mobilisation_.Requests<v1::AcknowledgeRequestRequest>("AcknowledgeRequest"),
              ElementsAre(EqualsProto(FromText<v1::AcknowledgeRequestRequest>(
                  R"pb(request_id: "req-fixed" mobilisation_request_id: "mrq_4")pb"))));
  EXPECT_THAT(mobilisation_.Requests<v1::DecideProvisionalRequest>("DecideProvisional"),
              ElementsAre(EqualsProto(FromText<v1::DecideProvisionalRequest>(R"pb(
                            request_id: "req-fixed"
                            mobilisation_request_id: "mrq_3"
                            confirm: true
                          )pb")),
                          EqualsProto(FromText<v1::DecideProvisionalRequest>(R"pb(
                            request_id: "req-fixed"
                            mobilisation_request_id: "mrq_5"
                            reason: "trop tard"
                          )pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("State +provisional"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Reason +si transport"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Seen +2026-11-26T09:30Z"));
}

TEST_F(RelaisctlRun, AssignmentVerbsSendTheirRequests) {
  ASSERT_EQ(Run({"assignment", "status", "asg_1", "--en-route", "--eta", "2026-11-26T14:00:00Z",
                 "--at", "2026-11-26T09:00:00+01:00"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"assignment", "status", "asg_1", "--on-site"}), 0) << err_.str();
  ASSERT_EQ(Run({"assignment", "status", "asg_2", "--delivered", "--used", "18"}), 0);
  ASSERT_EQ(Run({"assignment", "status", "asg_2", "--returned", "--at", "2026-11-25T10:00:00Z"}),
            0);
  ASSERT_EQ(Run({"assignment", "status", "asg_2", "--shipped"}), 0);
  const auto statuses = mobilisation_.Requests<v1::ReportStatusRequest>("ReportStatus");
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_THAT(statuses[0], EqualsProto(FromText<v1::ReportStatusRequest>(R"pb(
                request_id: "req-fixed"
                assignment_id: "asg_1"
                status: ASSIGNMENT_STATE_EN_ROUTE
                actual_at { seconds: 1795680000 }
                estimated_arrival { seconds: 1795701600 }
              )pb")));
  EXPECT_EQ(statuses[1].status(), v1::ASSIGNMENT_STATE_ON_SITE);
  EXPECT_FALSE(statuses[1].has_actual_at());  // the server's now
  EXPECT_THAT(statuses[2], EqualsProto(FromText<v1::ReportStatusRequest>(R"pb(
                request_id: "req-fixed"
                assignment_id: "asg_2"
                status: ASSIGNMENT_STATE_DELIVERED
                quantity_used: 18
              )pb")));
  EXPECT_EQ(statuses[3].status(), v1::ASSIGNMENT_STATE_RETURNED);
  EXPECT_EQ(statuses[3].actual_at().seconds(), 1795600800);
  EXPECT_EQ(statuses[4].status(), v1::ASSIGNMENT_STATE_SHIPPED);

  ASSERT_EQ(Run({"assignment", "withdraw", "asg_1", "--reason", "malade"}), 0) << err_.str();
  ASSERT_EQ(Run({"assignment", "demobilise", "asg_1"}), 0) << err_.str();
  ASSERT_EQ(Run({"assignment", "extend", "asg_1", "--until", "2026-12-20T18:00:00Z", "--grant"}),
            0);
  ASSERT_EQ(Run({"assignment", "extend", "asg_1", "--until", "2026-12-20T18:00:00Z", "--refuse",
                 "--reason", "relève prévue"}),
            0);
  EXPECT_THAT(mobilisation_.Requests<v1::WithdrawRequest>("Withdraw"),
              ElementsAre(EqualsProto(FromText<v1::WithdrawRequest>(R"pb(request_id: "req-fixed"
                                                                         assignment_id: "asg_1"
                                                                         reason: "malade")pb"))));
  EXPECT_THAT(
      mobilisation_.Requests<v1::DemobiliseRequest>("Demobilise"),
      ElementsAre(EqualsProto(FromText<v1::DemobiliseRequest>(R"pb(request_id: "req-fixed"
                                                                   assignment_id: "asg_1")pb"))));
  EXPECT_THAT(mobilisation_.Requests<v1::ExtendAssignmentRequest>("ExtendAssignment"),
              ElementsAre(EqualsProto(FromText<v1::ExtendAssignmentRequest>(R"pb(
                            request_id: "req-fixed"
                            assignment_id: "asg_1"
                            new_end { seconds: 1797789600 }
                            grant: true
                          )pb")),
                          EqualsProto(FromText<v1::ExtendAssignmentRequest>(R"pb(
                            request_id: "req-fixed"
                            assignment_id: "asg_1"
                            new_end { seconds: 1797789600 }
                            reason: "relève prévue"
                          )pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("State +released"));

  out_.str("");
  ASSERT_EQ(Run({"assignment", "get", "asg_1"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Assignment +asg_1"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Request +mrq_1"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("Window +2026-12-01T08:00Z to 2026-12-15T08:00Z"));
  ExpectFits(out_.str());
  out_.str("");
  ASSERT_EQ(Run({"assignment", "list", "--crisis-id", "crs_1", "--state", "en-route"}), 0);
  EXPECT_THAT(out_.str(),
              testing::ContainsRegex("asg_page1 +accepted +rsp_1 +1 +2026-12-15T08:00Z"));
  EXPECT_THAT(out_.str(), HasSubstr("More: add --page-token a2"));
  EXPECT_THAT(mobilisation_.Requests<v1::ListAssignmentsRequest>("ListAssignments"),
              ElementsAre(EqualsProto(FromText<v1::ListAssignmentsRequest>(
                  R"pb(crisis_id: "crs_1" state: ASSIGNMENT_STATE_EN_ROUTE)pb"))));
}

TEST_F(RelaisctlRun, MobilisationWritesRetryWithTheSameRequestId) {
  mobilisation_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down"),
                            grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")};
  ASSERT_EQ(Run({"need", "mobilise", "--crisis-id", "crs_1", "--need-id", "need_1",
                 "--response-time", "2h", "--request-id", "mob-7"}),
            0)
      << err_.str();
  const auto mobilises = mobilisation_.Requests<v1::MobiliseRequest>("Mobilise");
  ASSERT_EQ(mobilises.size(), 3u);
  for (const v1::MobiliseRequest& request : mobilises) {
    EXPECT_THAT(request, EqualsProto(mobilises[0]));
    EXPECT_EQ(request.request_id(), "mob-7");
  }
  EXPECT_EQ(sleeps_.size(), 2u);

  // A generated id is the same across the retries of one run too.
  mobilisation_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis down")};
  ASSERT_EQ(Run({"request", "respond", "mrq_1", "--accept"}), 0) << err_.str();
  const auto responds = mobilisation_.Requests<v1::RespondRequest>("Respond");
  ASSERT_EQ(responds.size(), 2u);
  EXPECT_THAT(responds[1], EqualsProto(responds[0]));
  EXPECT_EQ(responds[1].request_id(), "req-fixed");
}

TEST_F(RelaisctlRun, MobilisationErrorsMapToExitCodes) {
  mobilisation_.scripted = {grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                         "request mrq_1 expired at 2026-11-26T09:45Z")};
  EXPECT_EQ(Run({"request", "respond", "mrq_1", "--accept"}), 1);
  EXPECT_EQ(err_.str(),
            "relaisctl: FAILED_PRECONDITION: request mrq_1 expired at 2026-11-26T09:45Z\n");
  EXPECT_EQ(out_.str(), "");
  EXPECT_TRUE(sleeps_.empty());

  err_.str("");
  mobilisation_.scripted = {grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                            grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                            grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")};
  EXPECT_EQ(Run({"assignment", "withdraw", "asg_1", "--reason", "x"}), 3);
  EXPECT_EQ(err_.str(),
            "relaisctl: UNAVAILABLE: connection refused (server 127.0.0.1:50053) (outcome "
            "unknown: run again with --request-id req-fixed, it will not apply twice)\n");

  err_.str("");
  mobilisation_.scripted = {grpc::Status(grpc::StatusCode::NOT_FOUND, "no crisis crs_x")};
  EXPECT_EQ(Run({"crisis", "board", "crs_x"}), 1);
  EXPECT_EQ(err_.str(), "relaisctl: NOT_FOUND: no crisis crs_x\n");
}

TEST_F(RelaisctlRun, MobilisationUsageErrorsExitWith2NameTheFlagAndCallNobody) {
  const std::vector<UsageCase> cases = {
      {{"need", "candidates", "--need-id", "need_1"}, "--crisis-id is required"},
      {{"need", "candidates", "--crisis-id", "c", "--need-id", "n", "--limit", "many"}, "--limit"},
      {{"need", "mobilise", "--crisis-id", "c"}, "--need-id is required"},
      {{"need", "mobilise", "--crisis-id", "c", "--need-id", "n", "--response-time", "soon"},
       "--response-time: 'soon' is not a duration"},
      {{"need", "mobilise", "--crisis-id", "c", "--need-id", "n", "--overbooking", "lots"},
       "--overbooking"},
      {{"need", "progress", "--crisis-id", "c"}, "--need-id is required"},
      {{"request", "list"}, "whose requests? give --crisis-id"},
      {{"request", "list", "--crisis-id", "c", "--responder-id", "r"},
       "--crisis-id and --responder-id: give one or the other"},
      {{"request", "list", "--need-id", "n"}, "--need-id needs --crisis-id"},
      {{"request", "list", "--crisis-id", "c", "--state", "pending"},
       "--state: 'pending' is not one of requested, accepted, provisional"},
      {{"request", "get"}, "mobilisation-request-id is required"},
      {{"request", "respond", "mrq_1"}, "give one of --accept, --decline, --provisional"},
      {{"request", "respond", "mrq_1", "--accept", "--decline"},
       "give only one of --accept --decline"},
      {{"request", "respond", "mrq_1", "--provisional"}, "--provisional needs --reason"},
      {{"request", "decide", "mrq_1"}, "give one of --confirm and --decline"},
      {{"request", "decide", "mrq_1", "--confirm", "--decline"},
       "give one of --confirm and --decline"},
      {{"assignment", "list", "--responder-id", "r", "--state", "lost"},
       "--state: 'lost' is not one of accepted, withdrawn, en-route"},
      {{"assignment", "status", "asg_1"}, "which status? give one of --en-route"},
      {{"assignment", "status", "asg_1", "--on-site", "--en-route"},
       "give only one of --en-route --on-site"},
      {{"assignment", "status", "asg_1", "--on-site", "--eta", "2026-11-26T14:00:00Z"},
       "--eta is for --en-route"},
      {{"assignment", "status", "asg_1", "--shipped", "--used", "3"}, "--used is for --delivered"},
      {{"assignment", "status", "asg_1", "--en-route", "--eta", "14h"},
       "--eta: '14h' is not an RFC 3339 time"},
      {{"assignment", "withdraw", "asg_1"}, "--reason is required"},
      {{"assignment", "extend", "asg_1", "--grant"}, "--until is required"},
      {{"assignment", "extend", "asg_1", "--until", "2026-12-20T18:00:00Z"},
       "give one of --grant and --refuse"},
      {{"assignment", "watch"}, "whose assignments? give --responder-id"},
      {{"assignment", "watch", "--responder-id", "r", "--once", "0"}, "--once: give a number"},
      {{"crisis", "watch", "--once", "-2"}, "--once"},
      {{"crisis", "board"}, "crisis-id is required"},
      {{"need", "launch"}, "subcommand"},
  };
  for (const UsageCase& c : cases) {
    err_.str("");
    EXPECT_EQ(Run(c.args), 2) << c.args[0] << " " << c.args[1] << " " << c.message;
    EXPECT_THAT(Lines(err_.str()).front(), HasSubstr(c.message)) << c.args[1];
    EXPECT_THAT(err_.str(), testing::ContainsRegex("Run 'relaisctl [a-z-]+( [a-z-]+)? --help'"));
  }
  EXPECT_TRUE(targets_.empty());
  EXPECT_TRUE(mobilisation_.calls.empty());
}

TEST_F(RelaisctlRun, CrisisBoardAndOutreach) {
  ASSERT_EQ(Run({"crisis", "board", "crs_1"}), 0) << err_.str();
  EXPECT_THAT(
      mobilisation_.Requests<v1::GetCrisisBoardRequest>("GetCrisisBoard"),
      ElementsAre(EqualsProto(FromText<v1::GetCrisisBoardRequest>(R"pb(crisis_id: "crs_1")pb"))));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("need_1 +4 +3 +1 +0 +0 +open"));
  EXPECT_THAT(out_.str(), testing::ContainsRegex("mrq_1 +provisional +rsp_1 +1 +15m"));
  EXPECT_THAT(out_.str(), HasSubstr("Event log cursor: 100-0"));

  out_.str("");
  ASSERT_EQ(Run({"crisis", "outreach", "crs_1"}), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("Outreach of crs_1: 1 not reached, 1 reached and not answered, 1 "
                             "failed notifications."));
  EXPECT_THAT(out, HasSubstr("Not reached (1)"));
  EXPECT_THAT(out, testing::ContainsRegex("mrq_2 +rsp_2 +requested +2026-11-26T09:45Z"));
  EXPECT_THAT(out, HasSubstr("email failed (2 attempts, last: SMTP 554); webhook no-contact"));
  EXPECT_THAT(out, HasSubstr("Reached, no answer yet (1)"));
  EXPECT_THAT(out, HasSubstr("seen 2026-11-26T09:30Z"));
  ExpectFits(out);

  out_.str("");
  ASSERT_EQ(Run({"crisis", "outreach", "crs_1", "--json"}), 0) << err_.str();
  v1::Outreach printed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok()) << out_.str();
  EXPECT_EQ(printed.unreached(0).notifications(0).attempts(1).detail(), "SMTP 554");
}

TEST_F(RelaisctlRun, CrisisWatchShowsTheBoardThenEventsAndResumesAfterEachCut) {
  mobilisation_.streams = {
      {{Heartbeat("100-1"), EventUpdate("101-0", v1::EVENT_TYPE_REQUEST_ACCEPTED)},
       grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "subscriber fell behind")},
      {{EventUpdate("102-0", v1::EVENT_TYPE_REQUEST_DECLINED), Heartbeat("103-0")},
       grpc::Status(grpc::StatusCode::UNAVAILABLE, "draining")},
      {{EventUpdate("104-0", v1::EVENT_TYPE_NEED_COVERED),
        EventUpdate("105-0", v1::EVENT_TYPE_ASSIGNMENT_EN_ROUTE)},
       grpc::Status::OK},
  };
  ASSERT_EQ(Run({"crisis", "watch", "crs_1", "--once", "3"}), 0) << err_.str();
  // The board's cursor, then the last event's, then the last heartbeat's.
  const auto watches = mobilisation_.Requests<v1::WatchMobilisationRequest>("WatchMobilisation");
  ASSERT_EQ(watches.size(), 3u);
  EXPECT_THAT(watches[0],
              EqualsProto(FromText<v1::WatchMobilisationRequest>(R"pb(crisis_ids: "crs_1"
                                                                      cursor: "100-0")pb")));
  EXPECT_EQ(watches[1].cursor(), "101-0");
  EXPECT_EQ(watches[2].cursor(), "103-0");
  EXPECT_THAT(mobilisation_.Methods(), ElementsAre("GetCrisisBoard", "WatchMobilisation",
                                                   "WatchMobilisation", "WatchMobilisation"));
  // A message in between starts the back-off again.
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250), absl::Milliseconds(250)));
  EXPECT_EQ(interrupt_catches_.load(), 1);

  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("Event log cursor: 100-0"));
  EXPECT_LT(out.find("Event log cursor"), out.find("request-accepted"));
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[lines.size() - 3],
            "2026-11-26T09:31:02Z  request-accepted  need_1 mrq_1 rsp_1 by rsp_1");
  EXPECT_THAT(lines[lines.size() - 2], HasSubstr("request-declined"));
  EXPECT_THAT(lines[lines.size() - 1], HasSubstr("need-covered"));
  EXPECT_THAT(out, Not(HasSubstr("en-route")));  // --once 3
  EXPECT_THAT(out, Not(HasSubstr("crs_1 ")));    // one crisis: its id is left out
  ExpectFits(out);

  const std::vector<std::string> notices = Lines(err_.str());
  ASSERT_EQ(notices.size(), 3u);
  EXPECT_EQ(notices[0],
            "relaisctl: stream cut (RESOURCE_EXHAUSTED: subscriber fell behind): resuming after "
            "101-0 in 250ms (1/5)");
  EXPECT_EQ(notices[1],
            "relaisctl: stream cut (UNAVAILABLE: draining): resuming after 103-0 in 250ms (1/5)");
  EXPECT_EQ(notices[2],
            "relaisctl: stopped at cursor 104-0: add --cursor 104-0 to go on from there");
}

TEST_F(RelaisctlRun, CrisisWatchTakesANewBoardWhenItsCursorIsTooOld) {
  mobilisation_.board_cursors = {{"crs_1", "300-0"}, {"crs_2", "250-0"}};
  mobilisation_.streams = {
      {{}, grpc::Status(grpc::StatusCode::OUT_OF_RANGE, "cursor 1-0 was trimmed")},
      {{EventUpdate("251-0", v1::EVENT_TYPE_REQUESTS_SENT, "crs_2")}, grpc::Status::OK},
  };
  ASSERT_EQ(Run({"crisis", "watch", "crs_1", "crs_2", "--cursor", "1-0", "--once", "1"}), 0)
      << err_.str();
  // No board first: the watch starts from --cursor; after OUT_OF_RANGE both boards, and the
  // earlier of their cursors so that neither crisis misses an event.
  EXPECT_THAT(mobilisation_.Methods(), ElementsAre("WatchMobilisation", "GetCrisisBoard",
                                                   "GetCrisisBoard", "WatchMobilisation"));
  const auto watches = mobilisation_.Requests<v1::WatchMobilisationRequest>("WatchMobilisation");
  EXPECT_THAT(
      watches[0],
      EqualsProto(FromText<v1::WatchMobilisationRequest>(R"pb(crisis_ids: [ "crs_1", "crs_2" ]
                                                              cursor: "1-0")pb")));
  EXPECT_EQ(watches[1].cursor(), "250-0");
  EXPECT_THAT(err_.str(), HasSubstr("relaisctl: cursor 1-0 is older than the event log keeps "
                                    "(cursor 1-0 was trimmed): taking a new snapshot\n"));
  EXPECT_TRUE(sleeps_.empty());
  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("Event log cursor: 300-0"));
  EXPECT_THAT(out, HasSubstr("Event log cursor: 250-0"));
  // Several crises: each line names its crisis.
  EXPECT_THAT(Lines(out).back(), HasSubstr("requests-sent  crs_2 need_1 mrq_1 rsp_1 by rsp_1"));

  // Every crisis: there is no board, it goes on from now.
  out_.str("");
  err_.str("");
  mobilisation_.streams = {
      {{}, grpc::Status(grpc::StatusCode::OUT_OF_RANGE, "trimmed")},
      {{EventUpdate("400-0", v1::EVENT_TYPE_CRISIS_DECLARED, "crs_9")}, grpc::Status::OK},
  };
  ASSERT_EQ(Run({"crisis", "watch", "--cursor", "2-0", "--once", "1"}), 0) << err_.str();
  const auto all = mobilisation_.Requests<v1::WatchMobilisationRequest>("WatchMobilisation");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_THAT(all[2], EqualsProto(FromText<v1::WatchMobilisationRequest>(R"pb(cursor: "2-0")pb")));
  EXPECT_EQ(all[3].cursor(), "");
  EXPECT_THAT(err_.str(), HasSubstr("no snapshot covers every crisis: going on from now"));
  EXPECT_THAT(out_.str(), HasSubstr("crisis-declared  crs_9"));
}

TEST_F(RelaisctlRun, CrisisWatchJsonIsOneObjectPerLine) {
  mobilisation_.streams = {
      {{Heartbeat("100-3"), EventUpdate("101-0", v1::EVENT_TYPE_REQUEST_ACKNOWLEDGED),
        EventUpdate("102-0", v1::EVENT_TYPE_REQUEST_ACCEPTED)},
       grpc::Status::OK},
  };
  ASSERT_EQ(Run({"--json", "crisis", "watch", "crs_1", "--once", "2"}), 0) << err_.str();
  const std::vector<std::string> lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 3u);
  ASSERT_THAT(lines[0], testing::StartsWith("{\"board\":{"));
  v1::CrisisBoard board;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(lines[0].substr(9, lines[0].size() - 10), &board)
          .ok())
      << lines[0];
  EXPECT_EQ(board.cursor(), "100-0");
  for (size_t i = 1; i < lines.size(); ++i) {
    v1::MobilisationUpdate update;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[i], &update).ok()) << lines[i];
    EXPECT_EQ(update.event().cursor(), i == 1 ? "101-0" : "102-0");
  }
  EXPECT_THAT(lines[2], HasSubstr("\"type\":\"EVENT_TYPE_REQUEST_ACCEPTED\""));
}

TEST_F(RelaisctlRun, CrisisWatchGivesUpAfterItsReconnectsAndSaysWhereToResume) {
  for (int i = 0; i < 6; ++i) {
    mobilisation_.streams.push_back({{}, grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")});
  }
  EXPECT_EQ(Run({"crisis", "watch", "crs_1"}), 3);
  EXPECT_EQ(mobilisation_.Requests<v1::WatchMobilisationRequest>("WatchMobilisation").size(), 6u);
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250), absl::Milliseconds(500),
                                   absl::Seconds(1), absl::Seconds(2), absl::Seconds(4)));
  const std::vector<std::string> notices = Lines(err_.str());
  ASSERT_EQ(notices.size(), 7u);
  EXPECT_THAT(notices[4], HasSubstr("in 4s (5/5)"));
  EXPECT_EQ(notices[5],
            "relaisctl: stopped at cursor 100-0: add --cursor 100-0 to go on from there");
  EXPECT_EQ(notices[6], "relaisctl: UNAVAILABLE: down (server 127.0.0.1:50053)");

  // A refusal is final: no reconnection.
  err_.str("");
  sleeps_.clear();
  mobilisation_.streams = {
      {{}, grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "dashboard role needed")}};
  EXPECT_EQ(Run({"crisis", "watch", "crs_1", "crs_2"}), 1);
  EXPECT_EQ(err_.str(), "relaisctl: PERMISSION_DENIED: dashboard role needed\n");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(RelaisctlRun, CtrlCStopsAWatchCleanly) {
  mobilisation_.streams = {
      {{EventUpdate("101-0", v1::EVENT_TYPE_REQUESTS_SENT, "crs_1"), Heartbeat("101-7")},
       grpc::Status::OK},
  };
  // The script is played: the server waits, and the user presses Ctrl-C.
  mobilisation_.on_idle = [this] { interrupted_ = true; };
  ASSERT_EQ(Run({"crisis", "watch", "--cursor", "100-0"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("requests-sent  crs_1 need_1"));
  EXPECT_EQ(err_.str(),
            "relaisctl: stream cut (the server ended the stream): resuming after 101-7 in 250ms "
            "(1/5)\n"
            "relaisctl: stopped at cursor 101-7: add --cursor 101-7 to go on from there\n");
}

TEST_F(RelaisctlRun, AssignmentWatchIsTheRespondersLiveView) {
  mobilisation_.streams = {
      {{EventUpdate("101-0", v1::EVENT_TYPE_REQUESTS_SENT)},
       grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "behind")},
      {{}, grpc::Status(grpc::StatusCode::OUT_OF_RANGE, "trimmed")},
      {{EventUpdate("300-0", v1::EVENT_TYPE_REQUEST_EXPIRED)}, grpc::Status::OK},
  };
  ASSERT_EQ(Run({"--responder", "rsp_1", "assignment", "watch", "--once", "2"}), 0) << err_.str();
  const auto watches = mobilisation_.Requests<v1::WatchMyAssignmentsRequest>("WatchMyAssignments");
  ASSERT_EQ(watches.size(), 3u);
  EXPECT_THAT(watches[0],
              EqualsProto(FromText<v1::WatchMyAssignmentsRequest>(R"pb(responder_id: "rsp_1")pb")));
  EXPECT_EQ(watches[1].cursor(), "101-0");
  // After OUT_OF_RANGE: what waits for an answer and the assignments, then from now.
  EXPECT_THAT(mobilisation_.Requests<v1::ListRequestsRequest>("ListRequests"),
              ElementsAre(EqualsProto(FromText<v1::ListRequestsRequest>(
                  R"pb(responder_id: "rsp_1" state: REQUEST_STATE_REQUESTED)pb"))));
  EXPECT_THAT(mobilisation_.Requests<v1::ListAssignmentsRequest>("ListAssignments"),
              ElementsAre(EqualsProto(
                  FromText<v1::ListAssignmentsRequest>(R"pb(responder_id: "rsp_1")pb"))));
  EXPECT_EQ(watches[2].cursor(), "");
  const std::string out = out_.str();
  // A responder may be asked for several crises: each line names its crisis.
  EXPECT_THAT(out, HasSubstr("requests-sent  crs_1 need_1 mrq_1 rsp_1"));
  EXPECT_THAT(out, HasSubstr("Requests waiting for an answer from rsp_1"));
  EXPECT_THAT(out, HasSubstr("Assignments of rsp_1"));
  EXPECT_THAT(Lines(out).back(), HasSubstr("request-expired"));
  EXPECT_THAT(sleeps_, ElementsAre(absl::Milliseconds(250)));
  ExpectFits(out);

  // --responder-id names someone else (an organisation following one of its responders).
  mobilisation_.streams = {
      {{EventUpdate("6-0", v1::EVENT_TYPE_ASSIGNMENT_ON_SITE)}, grpc::Status::OK}};
  ASSERT_EQ(Run({"--responder", "rsp_1", "assignment", "watch", "--responder-id", "rsp_2",
                 "--cursor", "5-0", "--once", "1"}),
            0)
      << err_.str();
  EXPECT_THAT(mobilisation_.Requests<v1::WatchMyAssignmentsRequest>("WatchMyAssignments").back(),
              EqualsProto(FromText<v1::WatchMyAssignmentsRequest>(R"pb(responder_id: "rsp_2"
                                                                       cursor: "5-0")pb")));
}

TEST_F(RelaisctlRun, HelpOfTheMobilisationNounsFits) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"need", "--help"},
                                             {"need", "candidates", "--help"},
                                             {"need", "mobilise", "--help"},
                                             {"need", "progress", "--help"},
                                             {"request", "--help"},
                                             {"request", "list", "--help"},
                                             {"request", "respond", "--help"},
                                             {"request", "decide", "--help"},
                                             {"assignment", "--help"},
                                             {"assignment", "list", "--help"},
                                             {"assignment", "status", "--help"},
                                             {"assignment", "extend", "--help"},
                                             {"assignment", "watch", "--help"},
                                             {"crisis", "--help"},
                                             {"crisis", "board", "--help"},
                                             {"crisis", "outreach", "--help"},
                                             {"crisis", "watch", "--help"}}) {
    out_.str("");
    EXPECT_EQ(Run(args), 0) << args[0] << " " << args[1];
    EXPECT_THAT(out_.str(), HasSubstr("Usage: relaisctl"));
    ExpectFits(out_.str());
  }
}

// French and English: the language by --lang, RELAIS_LANG and the locale ----------------------

// Leaves the process speaking English whatever a test chose.
class RelaisctlLanguage : public RelaisctlRun {
 protected:
  void TearDown() override {
    relais::cli::SetLanguage(relais::cli::Language::kEnglish);
    RelaisctlRun::TearDown();
  }
};

TEST_F(RelaisctlLanguage, TheLocaleChoosesFrenchAndEnglishIsTheDefault) {
  using relais::cli::Language;
  EXPECT_EQ(relais::cli::ChooseLanguage({}, env_), Language::kEnglish);
  env_vars_["LANG"] = "fr_FR.UTF-8";
  EXPECT_EQ(relais::cli::ChooseLanguage({}, env_), Language::kFrench);
  // LC_ALL, then LC_MESSAGES, then LANG.
  env_vars_["LC_MESSAGES"] = "en_GB.UTF-8";
  EXPECT_EQ(relais::cli::ChooseLanguage({}, env_), Language::kEnglish);
  env_vars_["LC_ALL"] = "fr_CA.UTF-8";
  EXPECT_EQ(relais::cli::ChooseLanguage({}, env_), Language::kFrench);
  env_vars_["LC_ALL"] = "C";
  EXPECT_EQ(relais::cli::ChooseLanguage({}, env_), Language::kEnglish);

  // The same usage error, end to end, in each language.
  env_vars_.erase("LC_ALL");
  env_vars_.erase("LC_MESSAGES");
  EXPECT_EQ(Run({"org", "update", "org_1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("relaisctl : rien à modifier : donnez au moins une des "
                                    "options de l'organisation (voir --help)"));
  EXPECT_THAT(err_.str(), HasSubstr("Lancez « relaisctl org update --help » pour l'aide."));
  err_.str("");
  env_vars_.erase("LANG");
  EXPECT_EQ(Run({"org", "update", "org_1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("relaisctl: nothing to update"));
}

TEST_F(RelaisctlLanguage, TheLangFlagWinsOverRelaisLangWhichWinsOverTheLocale) {
  using relais::cli::Language;
  env_vars_["LANG"] = "fr_FR.UTF-8";
  env_vars_["RELAIS_LANG"] = "en";
  EXPECT_EQ(relais::cli::ChooseLanguage({"org", "list"}, env_), Language::kEnglish);
  EXPECT_EQ(relais::cli::ChooseLanguage({"--lang", "fr", "org", "list"}, env_), Language::kFrench);
  EXPECT_EQ(relais::cli::ChooseLanguage({"org", "list", "--lang=FR"}, env_), Language::kFrench);
  env_vars_.erase("RELAIS_LANG");
  EXPECT_EQ(relais::cli::ChooseLanguage({"--lang", "en"}, env_), Language::kEnglish);
  // The responder verbs' own --lang is a language spoken: the global one comes before the noun.
  env_vars_.erase("LANG");
  EXPECT_EQ(relais::cli::ChooseLanguage({"responder", "find", "--lang", "fr"}, env_),
            Language::kEnglish);
  EXPECT_EQ(
      relais::cli::ChooseLanguage({"--role", "admin", "--lang", "fr", "responder", "list"}, env_),
      Language::kFrench);

  EXPECT_EQ(Run({"--lang", "en", "org", "update", "org_1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("nothing to update"));
  // A language relaisctl does not speak is a usage error.
  err_.str("");
  EXPECT_EQ(Run({"--lang", "de", "org", "list"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("de"));
  EXPECT_TRUE(inventory_.calls.empty());
}

TEST_F(RelaisctlLanguage, AServerErrorAndTheHelpAreFrenchToo) {
  env_vars_["RELAIS_LANG"] = "fr";
  inventory_.scripted.push_back(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "organisation_id: no org_9"));
  EXPECT_EQ(Run({"org", "get", "org_9"}), 1);
  // The status code and the server's message stay as they are; the frame is French.
  EXPECT_THAT(err_.str(), HasSubstr("relaisctl : NOT_FOUND : organisation_id: no org_9"));

  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"},
                                             {"org", "register", "--help"},
                                             {"responder", "find", "--help"},
                                             {"import", "responders", "--help"},
                                             {"hold", "place", "--help"},
                                             {"need", "mobilise", "--help"}}) {
    out_.str("");
    EXPECT_EQ(Run(args), 0) << args[0];
    ExpectFits(out_.str());
  }
  out_.str("");
  ASSERT_EQ(Run({"org", "register", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Ajouter une organisation à l'annuaire"));
  EXPECT_THAT(out_.str(), HasSubstr("--external-ref"));
}

TEST_F(RelaisctlLanguage, EveryHelpFitsIn100ColumnsInBothLanguages) {
  const std::map<std::string, std::vector<std::string>> verbs = {
      {"crisis",
       {"declare", "get", "list", "update", "add-need", "update-need", "activate", "pause", "close",
        "board", "outreach", "watch"}},
      {"need", {"candidates", "mobilise", "progress"}},
      {"request", {"list", "get", "respond", "ack", "decide"}},
      {"assignment", {"list", "get", "status", "withdraw", "demobilise", "extend", "watch"}},
      {"org", {"register", "get", "update", "list"}},
      {"responder", {"register", "get", "update", "list", "remove", "find", "experience"}},
      {"availability", {"set", "clear", "get"}},
      {"team", {"offer", "get", "update", "list", "remove"}},
      {"warehouse", {"register", "get", "list"}},
      {"stock", {"offer", "adjust", "list", "find"}},
      {"hold", {"place", "get", "confirm", "release", "release-commitment", "extend", "consume"}},
      {"import", {"organisations", "responders", "warehouses", "stock", "teams"}},
  };
  for (const char* lang : {"en", "fr"}) {
    env_vars_["RELAIS_LANG"] = lang;
    for (const auto& [noun, names] : verbs) {
      std::vector<std::vector<std::string>> commands = {{noun, "--help"}};
      for (const std::string& verb : names) commands.push_back({noun, verb, "--help"});
      for (const auto& args : commands) {
        out_.str("");
        EXPECT_EQ(Run(args), 0) << lang << " " << args[0] << " " << args[1];
        EXPECT_THAT(out_.str(), HasSubstr(std::string(lang) == "fr" ? "Utilisation: relaisctl"
                                                                    : "Usage: relaisctl"));
        ExpectFits(out_.str());
      }
    }
  }
}

TEST(Messages, EveryMessageHasAFrenchTextWithTheSamePlaceholders) {
  using relais::cli::Language;
  using relais::cli::Msg;
  const std::regex placeholder(R"(\$[0-9])");
  for (int i = 0; i < relais::cli::kMsgCount; ++i) {
    const auto id = static_cast<Msg>(i);
    const std::string english(relais::cli::Text(id, Language::kEnglish));
    const std::string french(relais::cli::Text(id, Language::kFrench));
    EXPECT_FALSE(french.empty()) << i;
    EXPECT_NE(french, "?") << i;
    std::multiset<std::string> in_english, in_french;
    for (std::sregex_iterator it(english.begin(), english.end(), placeholder), end; it != end;
         ++it) {
      in_english.insert(it->str());
    }
    for (std::sregex_iterator it(french.begin(), french.end(), placeholder), end; it != end; ++it) {
      in_french.insert(it->str());
    }
    EXPECT_EQ(std::set<std::string>(in_english.begin(), in_english.end()),
              std::set<std::string>(in_french.begin(), in_french.end()))
        << "message " << i << ": " << english << " / " << french;
  }
}

TEST(Messages, TablesStayWithin100ColumnsInBothLanguages) {
  using relais::cli::Language;
  google::protobuf::RepeatedPtrField<v1::Organisation> organisations;
  *organisations.Add() = SampleOrganisation();
  organisations.Mutable(0)->set_external_ref(std::string(64, 'R'));
  organisations.Mutable(0)->set_commune("Saint-Genis-Laval-sur-le-Rhône-et-la-Saône-" +
                                        std::string(40, 'x'));
  for (Language language : {Language::kEnglish, Language::kFrench}) {
    relais::cli::SetLanguage(language);
    const std::string table = relais::cli::OrganisationTable(organisations);
    ExpectFits(table);
    EXPECT_THAT(table, HasSubstr("…")) << "long cells are cut with an ellipsis";
    // The plain table layout: a cell far too wide for 100 columns is cut, never wraps.
    const std::string plain = relais::cli::RenderTable(
        {{.header = std::string(relais::cli::Text(relais::cli::Msg::kColName)), .flexible = true},
         {.header = std::string(relais::cli::Text(relais::cli::Msg::kColCommune))}},
        {{.cells = {std::string(150, 'a'), "Vénissieux"}}});
    ExpectFits(plain);
    EXPECT_THAT(plain, HasSubstr("…"));
  }
  EXPECT_THAT(relais::cli::OrganisationTable({}), HasSubstr("Aucune organisation."));
  relais::cli::SetLanguage(Language::kEnglish);
}

}  // namespace
