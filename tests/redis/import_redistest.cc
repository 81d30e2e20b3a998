// relaisctl import against the real inventory over a real redis-server: the command line run
// through relais::cli::Run (what main calls), CSV files written to a temporary folder. Checks
// what each import wrote by reading the service back and the event log's length.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "clients/relaisctl/app.h"
#include "gmock/gmock.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "services/inventory/server.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais::inventory {
namespace {

using ::relais::testing::RedisServer;
using ::testing::HasSubstr;
using ::testing::Not;
namespace v1 = ::relais::v1;

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::StartWithServiceUsers();  // as its own ACL user, as deployed
    auto server =
        InventoryServer::Create(testing::TestServiceOptions(*redis_, "inventory", 4), clock_, ids_,
                                testing::QuietSeams(), SweeperOptions{.enabled = false});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    target_ = "127.0.0.1:" + std::to_string(server_->port());
    channel_ = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
    stub_ = v1::ResourceInventory::NewStub(channel_);

    // ctest runs each test in its own process, in parallel, and heap addresses repeat
    // across processes (always under ASan), so the folder comes from mkdtemp.
    std::string pattern = ::testing::TempDir() + "relais_import_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;

    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.connect = [this](const std::string&) -> std::shared_ptr<grpc::ChannelInterface> {
      return channel_;
    };
    env_.now = [this] { return clock_.Now(); };
    env_.new_request_id = [] { return std::string("unused-by-imports"); };
    env_.sleep = [](absl::Duration) {};
    env_.out = &out_;
    env_.err = &err_;
    vars_["RELAIS_INVENTORY_ADDR"] = target_;
    vars_["RELAIS_PRINCIPAL"] = "admin-1";
    vars_["RELAIS_ROLE"] = "admin";
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  int Import(const std::string& kind, const std::string& file, std::vector<std::string> more = {}) {
    out_.str("");
    err_.str("");
    std::vector<std::string> args = {"import", kind, file};
    args.insert(args.end(), more.begin(), more.end());
    return relais::cli::Run(args, env_);
  }

  int64_t EventCount() { return std::stoll(redis_->Command({"XLEN", "relais:events"})); }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", "reader");
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  std::map<std::string, v1::Organisation> Organisations() {
    v1::ListOrganisationsRequest request;
    request.set_page_size(200);
    v1::ListOrganisationsResponse response;
    EXPECT_TRUE(stub_->ListOrganisations(Context().get(), request, &response).ok());
    std::map<std::string, v1::Organisation> by_ref;
    for (const auto& org : response.organisations()) by_ref[org.external_ref()] = org;
    return by_ref;
  }

  std::map<std::string, v1::Responder> Responders(const std::string& org_id) {
    v1::ListRespondersRequest request;
    request.set_organisation_id(org_id);
    request.set_page_size(200);
    v1::ListRespondersResponse response;
    EXPECT_TRUE(stub_->ListResponders(Context().get(), request, &response).ok());
    std::map<std::string, v1::Responder> by_ref;
    for (const auto& r : response.responders()) by_ref[r.external_ref()] = r;
    return by_ref;
  }

  std::vector<v1::StockLine> Stock(const std::string& org_id) {
    v1::ListStockRequest request;
    request.set_organisation_id(org_id);
    v1::ListStockResponse response;
    EXPECT_TRUE(stub_->ListStock(Context().get(), request, &response).ok());
    return {response.lines().begin(), response.lines().end()};
  }

  std::vector<v1::Team> Teams(const std::string& org_id) {
    v1::ListTeamsRequest request;
    request.set_organisation_id(org_id);
    v1::ListTeamsResponse response;
    EXPECT_TRUE(stub_->ListTeams(Context().get(), request, &response).ok());
    return {response.teams().begin(), response.teams().end()};
  }

  static constexpr char kOrganisations[] =
      "external_ref,name,kind,domains,commune,lat,lon,email,description\n"
      "CRF-69,Croix-Rouge française - Rhône,ngo,emergency-response;humanitarian-health,Lyon,"
      "45.75,4.85,contact@crf69.example.org,\"Secours, formation\"\n"
      "HI-LYON,Handicap International,ngo,rehabilitation,Lyon,45.74,4.86,,\n";

  static constexpr char kResponders[] =
      "organisation,external_ref,name,skills,languages,certifications,lat,lon,commune,"
      "max_days,contacts\n"
      "CRF-69,CRF-001,Amina B.,nurse:3;first-aider:4,fr;en,"
      "yellow-fever-vaccination:2034-05-01,45.76,4.84,Lyon,21,email:amina@example.org\n"
      "CRF-69,CRF-002,Bilal K.,wash-engineer:2,fr,,45.7,4.9,Bron,14,sms:+33600000001\n"
      "HI-LYON,HI-001,Chloé D.,physiotherapist-rehab:4,fr,,45.74,4.86,Lyon,30,"
      "email:chloe@example.org\n";

  void ImportOrganisations() {
    ASSERT_EQ(Import("organisations", Write("organisations.csv", kOrganisations)), 0) << err_.str();
  }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<InventoryServer> server_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ResourceInventory::Stub> stub_;
  std::filesystem::path dir_;
  relais::cli::Environment env_;
  std::map<std::string, std::string> vars_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ImportTest, EveryKindIsImportedAndASecondRunWritesNothing) {
  ImportOrganisations();
  EXPECT_THAT(out_.str(), HasSubstr("organisations"));
  auto orgs = Organisations();
  ASSERT_EQ(orgs.size(), 2u);
  EXPECT_EQ(orgs["CRF-69"].description(), "Secours, formation");
  EXPECT_EQ(orgs["CRF-69"].contact().email(), "contact@crf69.example.org");
  const std::string crf = orgs["CRF-69"].id();
  const std::string hi = orgs["HI-LYON"].id();

  // On a terminal, progress on stderr, one line rewritten in place.
  env_.err_is_terminal = [] { return true; };
  ASSERT_EQ(Import("responders", Write("responders.csv", kResponders)), 0) << err_.str();
  EXPECT_THAT(err_.str(), HasSubstr("\rresponders: 3/3"));
  env_.err_is_terminal = nullptr;
  auto crf_responders = Responders(crf);
  ASSERT_EQ(crf_responders.size(), 2u);
  EXPECT_EQ(crf_responders["CRF-001"].skills_size(), 2);
  EXPECT_EQ(crf_responders["CRF-001"].certifications(0).code(), "yellow-fever-vaccination");
  EXPECT_EQ(Responders(hi).size(), 1u);

  const std::string warehouses =
      Write("warehouses.csv",
            "organisation,external_ref,name,commune,lat,lon\n"
            "HI-LYON,HI-W1,Bioport - Vaulx-en-Velin,Vaulx-en-Velin,45.77,4.92\n");
  ASSERT_EQ(Import("warehouses", warehouses), 0) << err_.str();
  const std::string stock =
      Write("stock.csv",
            "organisation,warehouse,external_ref,item,lot,quantity,expires\n"
            "HI-LYON,HI-W1,HI-CK-041,who-cholera-kit-central,L-77,12,2027-06-30\n"
            "HI-LYON,HI-W1,HI-ORS-1,ors-sachet,L-5,500,\n");
  ASSERT_EQ(Import("stock", stock), 0) << err_.str();
  ASSERT_EQ(Stock(hi).size(), 2u);
  const std::string teams = Write("teams.csv",
                                  "organisation,external_ref,name,type,members,kit,description\n"
                                  "HI-LYON,HI-T1,Rééducation mobile,who-emt-type-1-mobile,HI-001,"
                                  "HI-CK-041=2,Une équipe\n");
  ASSERT_EQ(Import("teams", teams), 0) << err_.str();
  auto hi_teams = Teams(hi);
  ASSERT_EQ(hi_teams.size(), 1u);
  EXPECT_EQ(hi_teams[0].member_ids(0), Responders(hi)["HI-001"].id());
  ASSERT_EQ(hi_teams[0].kit_size(), 1);
  EXPECT_EQ(hi_teams[0].kit(0).quantity(), 2);

  // Everything again: all unchanged, not one event more.
  const int64_t events = EventCount();
  for (const auto& [kind, file] : std::vector<std::pair<std::string, std::string>>{
           {"organisations", Write("organisations.csv", kOrganisations)},
           {"responders", Write("responders.csv", kResponders)},
           {"warehouses", warehouses},
           {"stock", stock},
           {"teams", teams}}) {
    ASSERT_EQ(Import(kind, file, {"--json"}), 0) << kind << ": " << err_.str();
    EXPECT_THAT(out_.str(), HasSubstr("\"created\": 0")) << kind;
    EXPECT_THAT(out_.str(), HasSubstr("\"updated\": 0")) << kind;
    EXPECT_THAT(out_.str(), Not(HasSubstr("\"unchanged\": 0"))) << kind;
  }
  EXPECT_EQ(EventCount(), events);
}

TEST_F(ImportTest, ABadLineIsReportedAndTheOthersAreWritten) {
  ImportOrganisations();
  const std::string crf = Organisations()["CRF-69"].id();
  const int64_t events = EventCount();
  const std::string file =
      Write("responders.csv",
            "organisation,external_ref,name,skills,lat,lon,max_days,contacts\n"
            "CRF-69,CRF-001,Amina B.,nurse:3,45.76,4.84,21,email:amina@example.org\n"
            "CRF-69,CRF-002,Bilal K.,astronaut:3,45.7,4.9,14,sms:+33600000001\n"
            "CRF-69,CRF-003,Chloé D.,nurse,45.7,4.9,14,sms:+33600000002\n"
            "NOBODY,CRF-004,Dan E.,nurse:2,45.7,4.9,14,sms:+33600000003\n");
  EXPECT_EQ(Import("responders", file), 1);
  // The summary on stdout: created, updated, unchanged, refused.
  EXPECT_THAT(out_.str(), ::testing::ContainsRegex("responders +1 +0 +0 +3"));
  // Line 3 is refused by the server (unknown skill), line 4 by the client, line 5 names no
  // organisation; each named with its line and column.
  EXPECT_THAT(err_.str(), HasSubstr(file + ":3: skills: INVALID_ARGUMENT: responder.skills[0]"));
  EXPECT_THAT(err_.str(), HasSubstr(file + ":4: skills: 'nurse': no level"));
  EXPECT_THAT(err_.str(), HasSubstr(file + ":5: organisation: no organisation has the "
                                           "external_ref 'NOBODY'"));
  auto responders = Responders(crf);
  ASSERT_EQ(responders.size(), 1u);
  EXPECT_TRUE(responders.contains("CRF-001"));
  EXPECT_EQ(EventCount(), events + 1);

  // --all-or-nothing writes nothing while a line is bad; --dry-run writes nothing at all.
  const std::string more =
      Write("more.csv",
            "organisation,external_ref,name,skills,lat,lon,max_days,contacts\n"
            "CRF-69,CRF-010,Eve F.,nurse:3,45.76,4.84,21,email:eve@example.org\n"
            "CRF-69,CRF-011,Fay G.,nurse:x,45.7,4.9,14,sms:+33600000001\n");
  EXPECT_EQ(Import("responders", more, {"--all-or-nothing"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr(more + ":3: skills:"));
  EXPECT_EQ(Import("responders",
                   Write("good.csv",
                         "organisation,external_ref,name,skills,lat,lon,max_days,"
                         "contacts\n"
                         "CRF-69,CRF-010,Eve F.,nurse:3,45.76,4.84,21,"
                         "email:eve@example.org\n"),
                   {"--dry-run", "--json"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"created\": 1"));
  EXPECT_EQ(EventCount(), events + 1);
  EXPECT_EQ(Responders(crf).size(), 1u);
}

TEST_F(ImportTest, AChangedLineIsAnUpdateOfTheChangedFieldsOnly) {
  ImportOrganisations();
  ASSERT_EQ(Import("responders", Write("responders.csv", kResponders)), 0) << err_.str();
  const std::string crf = Organisations()["CRF-69"].id();
  const v1::Responder before = Responders(crf)["CRF-002"];
  std::string changed = kResponders;
  changed.replace(changed.find("wash-engineer:2"), 15, "wash-engineer:3");
  const int64_t events = EventCount();
  ASSERT_EQ(Import("responders", Write("changed.csv", changed), {"--json"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"updated\": 1"));
  EXPECT_THAT(out_.str(), HasSubstr("\"unchanged\": 2"));
  const v1::Responder after = Responders(crf)["CRF-002"];
  EXPECT_EQ(after.version(), before.version() + 1);
  EXPECT_EQ(after.skills(0).level(), 3);
  EXPECT_EQ(EventCount(), events + 1);

  // A stock count that changed is an adjustment to the new count.
  ASSERT_EQ(Import("warehouses", Write("w.csv",
                                       "organisation,external_ref,name,commune,lat,lon\n"
                                       "CRF-69,W1,Entrepôt Gerland,Lyon,45.73,4.83\n")),
            0)
      << err_.str();
  const std::string header = "organisation,warehouse,external_ref,item,lot,quantity\n";
  ASSERT_EQ(Import("stock", Write("s.csv", header + "CRF-69,W1,ORS,ors-sachet,L1,100\n")), 0)
      << err_.str();
  ASSERT_EQ(Import("stock", Write("s.csv", header + "CRF-69,W1,ORS,ors-sachet,L1,80\n")), 0)
      << err_.str();
  auto lines = Stock(crf);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].ledger().available(), 80);
  // Again: nothing to adjust.
  const int64_t after_adjust = EventCount();
  ASSERT_EQ(Import("stock", Write("s.csv", header + "CRF-69,W1,ORS,ors-sachet,L1,80\n")), 0);
  EXPECT_EQ(EventCount(), after_adjust);
}

TEST_F(ImportTest, AnOsiAdminImportsOnlyItsOwnOrganisationsRows) {
  ImportOrganisations();
  auto orgs = Organisations();
  vars_["RELAIS_ROLE"] = "osi_admin";
  vars_["RELAIS_PRINCIPAL"] = "crf-admin";
  vars_["RELAIS_ORGANISATION"] = orgs["CRF-69"].id();
  const std::string file = Write("responders.csv", kResponders);
  EXPECT_EQ(Import("responders", file), 1);
  EXPECT_THAT(err_.str(), HasSubstr(file + ":4: organisation: 'HI-LYON' (" + orgs["HI-LYON"].id() +
                                    ") is not your organisation"));
  EXPECT_EQ(Responders(orgs["CRF-69"].id()).size(), 2u);
  EXPECT_EQ(Responders(orgs["HI-LYON"].id()).size(), 0u);
  // Organisations are not theirs to import.
  EXPECT_EQ(Import("organisations", Write("organisations.csv", kOrganisations)), 2);
}

}  // namespace
}  // namespace relais::inventory
