// relaisctl import, the pure part: the CSV reader (libcsv: quotes, embedded line breaks and
// commas, BOM, CRLF, empty lines, physical line numbers) and the line-by-line validation of each
// kind, whose every problem names file:line:column.
#include "clients/relaisctl/csv_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clients/relaisctl/csv_reader.h"
#include "clients/relaisctl/messages.h"

namespace relais::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
namespace v1 = relais::v1;

std::vector<CsvRecord> MustRead(const std::string& content) {
  auto records = ReadCsv(content);
  EXPECT_TRUE(records.ok()) << records.status();
  return records.ok() ? *records : std::vector<CsvRecord>();
}

TEST(CsvReader, QuotesCommasAndLineBreaksInsideAFieldKeepTheirLines) {
  const auto records = MustRead(
      "a,b,c\n"
      "1,\"x, y\",\"say \"\"hi\"\"\"\n"
      "2,\"two\nlines\",z\n"
      "3,plain,end\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "x, y", "say \"hi\""));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[2].fields, ElementsAre("2", "two\nlines", "z"));
  EXPECT_EQ(records[2].line, 3);
  // The record after a two-line field starts on the file's line 5.
  EXPECT_EQ(records[3].line, 5);
  EXPECT_THAT(records[3].fields, ElementsAre("3", "plain", "end"));
}

TEST(CsvReader, BomCrlfAndEmptyLinesAreTakenInStride) {
  const auto records = MustRead(
      "\xEF\xBB\xBFname,commune\r\n"
      "\r\n"
      "Croix-Rouge,Lyon\r\n"
      "   \r\n"
      "\"Médecins du Monde\",Vénissieux\r\n"
      "last,no newline at the end");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[0].fields, ElementsAre("name", "commune"));
  EXPECT_EQ(records[1].line, 3);
  EXPECT_THAT(records[1].fields, ElementsAre("Croix-Rouge", "Lyon"));
  EXPECT_EQ(records[2].line, 5);
  EXPECT_THAT(records[2].fields, ElementsAre("Médecins du Monde", "Vénissieux"));
  EXPECT_EQ(records[3].line, 6);
}

// Old Mac files end lines with CR alone; libcsv ends a record there, and so must the line count
// (found by tests/fuzz: every record was on line 1).
TEST(CsvReader, ACarriageReturnAloneEndsALine) {
  const auto records = MustRead("a,b\r1,2\r\r3,\"x\ry\"\r4,5\r\n6,7\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].line, 4);
  EXPECT_THAT(records[2].fields, ElementsAre("3", "x\ry"));
  EXPECT_EQ(records[3].line, 6);
  EXPECT_EQ(records[4].line, 7);
}

TEST(CsvReader, MalformedFilesAndBadUtf8NameTheirLine) {
  auto stray_quote = ReadCsv("a,b\n1,2\n3,x\"y\n");
  ASSERT_FALSE(stray_quote.ok());
  EXPECT_THAT(std::string(stray_quote.status().message()), HasSubstr("line 3"));
  auto unclosed = ReadCsv("a,b\n1,2\n3,\"open\nstill open\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_THAT(std::string(unclosed.status().message()), HasSubstr("line 3"));
  auto latin1 = ReadCsv("a,b\n1,2\n3,V\xE9nissieux\n");
  ASSERT_FALSE(latin1.ok());
  EXPECT_THAT(std::string(latin1.status().message()), HasSubstr("line 3"));
  EXPECT_TRUE(IsValidUtf8("Vénissieux"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
}

// The problems of a whole file of `kind`: header, then each row.
struct Checked {
  std::vector<ImportRecord> records;
  std::vector<std::string> problems;  // "file.csv:LINE: COLUMN: reason"
};

Checked Check(ImportKind kind, const std::string& content) {
  Checked checked;
  std::vector<LineProblem> problems;
  auto records = ReadCsv(content);
  EXPECT_TRUE(records.ok()) << records.status();
  const ImportTable table = ToTable(kind, *records, &problems);
  for (const CsvRow& row : table.rows) {
    if (auto record = ParseRow(kind, row, &problems)) checked.records.push_back(*record);
  }
  for (const LineProblem& p : FindDuplicates(checked.records)) problems.push_back(p);
  for (const LineProblem& p : problems) checked.problems.push_back(ProblemText("file.csv", p));
  return checked;
}

TEST(ImportHeader, UnknownMissingAndRepeatedColumnsAreNamed) {
  const Checked unknown = Check(
      ImportKind::kWarehouses,
      "organisation,external_ref,name,commune,lat,lon,colour\nCRF,W1,Bioport,Lyon,45,4,red\n");
  ASSERT_EQ(unknown.problems.size(), 1u);
  EXPECT_THAT(unknown.problems[0], HasSubstr("file.csv:1: colour: unknown column for warehouses"));
  EXPECT_TRUE(unknown.records.empty());

  const Checked missing = Check(ImportKind::kWarehouses, "organisation,external_ref,name,lat\n");
  EXPECT_THAT(missing.problems,
              ElementsAre("file.csv:1: commune: required column missing from the header",
                          "file.csv:1: lon: required column missing from the header"));

  const Checked twice =
      Check(ImportKind::kWarehouses, "organisation,external_ref,name,name,commune,lat,lon\n");
  EXPECT_THAT(twice.problems, ElementsAre("file.csv:1: name: column given twice"));

  const Checked wide = Check(ImportKind::kWarehouses,
                             "organisation,external_ref,name,commune,lat,lon\n"
                             "CRF,W1,Bioport,Lyon,45,4,extra\n");
  EXPECT_THAT(wide.problems, ElementsAre("file.csv:2: 7 cells, but the header names 6 columns"));
}

TEST(ImportOrganisations, CellsReadLikeTheFlags) {
  const Checked checked = Check(ImportKind::kOrganisations,
                                "external_ref,name,kind,domains,commune,lat,lon,email,description\n"
                                "CRF-69,Croix-Rouge,ngo,emergency-response;humanitarian-health,"
                                "Lyon,45.75,4.85,contact@crf.org,\"Secours, formation\"\n");
  ASSERT_TRUE(checked.problems.empty()) << checked.problems[0];
  ASSERT_EQ(checked.records.size(), 1u);
  const ImportRecord& r = checked.records[0];
  EXPECT_EQ(r.external_ref, "CRF-69");
  EXPECT_EQ(r.organisation.external_ref(), "CRF-69");
  EXPECT_EQ(r.organisation.kind(), v1::ORGANISATION_KIND_NGO);
  EXPECT_THAT(r.organisation.domains(),
              ElementsAre(v1::DOMAIN_EMERGENCY_RESPONSE, v1::DOMAIN_HUMANITARIAN_HEALTH));
  EXPECT_EQ(r.organisation.location().lat(), 45.75);
  EXPECT_EQ(r.organisation.contact().email(), "contact@crf.org");
  EXPECT_EQ(r.organisation.description(), "Secours, formation");
  EXPECT_THAT(r.paths, ElementsAre("name", "kind", "domains", "commune", "location", "contact",
                                   "description"));
}

TEST(ImportOrganisations, EachBadCellIsNamedWithItsLine) {
  const Checked checked = Check(ImportKind::kOrganisations,
                                "external_ref,name,kind,domains,commune,lat,lon\n"
                                "A,Alpha,ngo,wash,Lyon,45,4\n"
                                "B,Beta,charity,wash,Lyon,45,4\n"
                                "C,Gamma,ngo,wash;plumbing,Lyon,north,4\n"
                                ",Delta,ngo,wash,,45,4\n"
                                "A,Alpha again,ngo,wash,Lyon,45,4\n");
  EXPECT_EQ(checked.records.size(), 2u);  // A and its duplicate; the duplicate is a problem
  EXPECT_THAT(
      checked.problems,
      ElementsAre(HasSubstr("file.csv:3: kind: 'charity' is not one of"),
                  HasSubstr("file.csv:4: domains: 'plumbing' is not one of"),
                  "file.csv:4: lat: 'north' is not a number",
                  "file.csv:5: external_ref: is required", "file.csv:5: commune: is required",
                  "file.csv:6: external_ref: 'A' is already on line 2"));
}

TEST(ImportResponders, ListsReadWithTheFlagParsers) {
  const Checked checked =
      Check(ImportKind::kResponders,
            "organisation,external_ref,name,skills,languages,certifications,passport_until,"
            "passport_country,lat,lon,commune,max_days,contacts\n"
            "CRF-69,R-1,Amina,nurse:3;wash-engineer:2,fr;en,"
            "yellow-fever-vaccination:2034-05-01;bioforce-diploma,2031-01-31,FR,45.7,4.8,Lyon,21,"
            "email:a@example.org;sms:+33600000000\n");
  ASSERT_TRUE(checked.problems.empty()) << checked.problems[0];
  const v1::Responder& r = checked.records.at(0).responder;
  EXPECT_EQ(checked.records[0].organisation_ref, "CRF-69");
  ASSERT_EQ(r.skills_size(), 2);
  EXPECT_EQ(r.skills(1).code(), "wash-engineer");
  EXPECT_EQ(r.skills(1).level(), 2);
  EXPECT_THAT(r.languages(), ElementsAre("fr", "en"));
  ASSERT_EQ(r.certifications_size(), 2);
  EXPECT_TRUE(r.certifications(0).has_valid_until());
  EXPECT_FALSE(r.certifications(1).has_valid_until());
  EXPECT_EQ(r.travel().passport_country(), "FR");
  EXPECT_EQ(r.max_deployment_days(), 21);
  ASSERT_EQ(r.contacts_size(), 2);
  EXPECT_EQ(r.contacts(1).kind(), v1::CONTACT_KIND_SMS);
}

TEST(ImportResponders, BadCellsNameTheirColumn) {
  const Checked checked =
      Check(ImportKind::kResponders,
            "organisation,external_ref,name,skills,lat,lon,max_days,contacts,passport_until\n"
            "CRF,R1,Amina,nurse,45,4,10,email:a@example.org,\n"
            "CRF,R2,Bilal,nurse:3,45,4,ten,pigeon:coo,2030-13-45\n");
  EXPECT_THAT(
      checked.problems,
      UnorderedElementsAre(HasSubstr("file.csv:2: skills: 'nurse': no level"),
                           "file.csv:3: max_days: 'ten' is not a whole number",
                           HasSubstr("file.csv:3: contacts: 'pigeon:coo'"),
                           HasSubstr("file.csv:3: passport_until: '2030-13-45' is not a date")));
  EXPECT_TRUE(checked.records.empty());
}

TEST(ImportWarehousesStockTeams, ReadTheirReferences) {
  const Checked stock = Check(ImportKind::kStock,
                              "organisation,warehouse,external_ref,item,lot,quantity,expires\n"
                              "HI,W1,HI-CK-041,who-cholera-kit-central,L-77,12,2027-06-30\n"
                              "HI,W1,HI-CK-042,who-cholera-kit-central,L-78,a dozen,\n");
  ASSERT_EQ(stock.records.size(), 1u);
  EXPECT_EQ(stock.records[0].warehouse_ref, "W1");
  EXPECT_EQ(stock.records[0].quantity, 12);
  EXPECT_TRUE(stock.records[0].stock.has_expires_at());
  EXPECT_THAT(stock.problems, ElementsAre("file.csv:3: quantity: 'a dozen' is not a whole number"));

  const Checked teams = Check(ImportKind::kTeams,
                              "organisation,external_ref,name,type,members,kit\n"
                              "HI,T1,Equipe WASH,wash-team,R1;R2,HI-CK-041=1;HI-CK-042=2\n"
                              "HI,T2,Sans kit,wash-team,,HI-CK-041\n");
  ASSERT_EQ(teams.records.size(), 1u);
  EXPECT_THAT(teams.records[0].member_refs, ElementsAre("R1", "R2"));
  ASSERT_EQ(teams.records[0].kit_refs.size(), 2u);
  EXPECT_EQ(teams.records[0].kit_refs[1].first, "HI-CK-042");
  EXPECT_EQ(teams.records[0].kit_refs[1].second, 2);
  EXPECT_THAT(teams.problems, ElementsAre("file.csv:3: members: is required",
                                          HasSubstr("file.csv:3: kit: 'HI-CK-041'")));

  const Checked warehouses = Check(ImportKind::kWarehouses,
                                   "organisation,external_ref,name,commune,lat,lon\n"
                                   "HI,W1,Bioport,Vaulx-en-Velin,45.77,4.92\n"
                                   "HI,W2,,Lyon,45.7,\n");
  ASSERT_EQ(warehouses.records.size(), 1u);
  EXPECT_THAT(warehouses.problems,
              ElementsAre("file.csv:3: name: is required", "file.csv:3: lon: is required"));
}

TEST(ImportPlanning, ChangedPathsAndRequestIdsAreStable) {
  v1::Organisation a;
  a.set_name("Alpha");
  a.set_commune("Lyon");
  a.set_version(3);
  v1::Organisation b = a;
  b.set_commune("Bron");
  b.set_version(7);
  EXPECT_THAT(ChangedPaths(a, b, {"name", "commune"}), ElementsAre("commune"));
  EXPECT_TRUE(ChangedPaths(a, a, {"name", "commune", "no_such_field"}).empty());

  const std::string id = ImportRequestId(ImportKind::kResponders, "update", {"CRF", "R1", "x"});
  EXPECT_EQ(id, ImportRequestId(ImportKind::kResponders, "update", {"CRF", "R1", "x"}));
  EXPECT_NE(id, ImportRequestId(ImportKind::kResponders, "update", {"CRF", "R1", "y"}));
  EXPECT_NE(ImportRequestId(ImportKind::kTeams, "offer", {"ab", "c"}),
            ImportRequestId(ImportKind::kTeams, "offer", {"a", "bc"}));
  EXPECT_THAT(id, ::testing::MatchesRegex("import:responders:update:[0-9a-f]{16}"));
}

TEST(ImportPlanning, ServerFieldPathsMapToColumns) {
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kResponders, "responder.skills[1].code: bad"), "skills");
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kResponders, "responder.display_name: short"), "name");
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kResponders, "responder.travel.passport_country: x"),
            "passport_country");
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kOrganisations, "organisation.contact.email: x"),
            "email");
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kStock, "line.item_code: unknown"), "item");
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kTeams, "external_ref: already used by team t"),
            "external_ref");
  EXPECT_EQ(ColumnOfFieldPath(ImportKind::kTeams, "caller's organisation is not known"), "");
}

TEST(ImportKinds, WordsBothWays) {
  for (ImportKind kind : {ImportKind::kOrganisations, ImportKind::kResponders,
                          ImportKind::kWarehouses, ImportKind::kStock, ImportKind::kTeams}) {
    EXPECT_EQ(ParseImportKind(ImportKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseImportKind("volunteers").has_value());
}

}  // namespace
}  // namespace relais::cli
