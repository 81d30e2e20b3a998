// relaisctl responder export (GDPR right of access, issue #6) against the three real services on
// a real redis-server: a whole mission (asked, accepted, released), then the export run through
// relais::cli::Run as the responder, their OSI, another OSI and the admin, then after erasure.
// The clock is the stack's FakeClock; nothing sleeps.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "clients/relaisctl/app.h"
#include "gmock/gmock.h"
#include "tests/support/mobilisation_stack.h"
#include "tests/support/smtp_sink.h"

namespace relais {
namespace {

namespace v1 = ::relais::v1;
using ::testing::HasSubstr;
using testing::MobilisationStack;

// The stack e-mails the responders it asks (to the test's SMTP sink): the outbox has something
// to export.
mobilisation::MobilisationOptions WithEmail(const testing::SmtpSink& smtp) {
  mobilisation::MobilisationOptions options;
  options.smtp_url = smtp.url();
  options.smtp_from = "relais@example.org";
  return options;
}

class ResponderExportTest : public ::testing::Test {
 protected:
  ResponderExportTest() : stack_(WithEmail(smtp_)) {}

  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "relais_export_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.connect = [](const std::string& target) -> std::shared_ptr<grpc::ChannelInterface> {
      return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
    };
    env_.now = [this] { return stack_.clock.Now(); };
    env_.new_request_id = [] { return std::string("unused-by-exports"); };
    env_.sleep = [](absl::Duration) {};
    env_.out = &out_;
    env_.err = &err_;
    vars_["RELAIS_INVENTORY_ADDR"] = absl::StrCat("127.0.0.1:", stack_.inventory_port);
    vars_["RELAIS_MOBILISATION_ADDR"] = absl::StrCat("127.0.0.1:", stack_.mobilisation->port());
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The dev identity headers (RELAIS_PRINCIPAL...), as the services' default resolver reads them.
  void As(const std::string& principal, const std::string& role,
          const std::string& organisation = "", const std::string& responder = "") {
    vars_["RELAIS_PRINCIPAL"] = principal;
    vars_["RELAIS_ROLE"] = role;
    vars_["RELAIS_ORGANISATION"] = organisation;
    vars_["RELAIS_RESPONDER"] = responder;
  }

  int Export(const std::string& responder_id, std::vector<std::string> more = {}) {
    out_.str("");
    err_.str("");
    std::vector<std::string> args = {"responder", "export", "--responder-id", responder_id};
    args.insert(args.end(), more.begin(), more.end());
    return relais::cli::Run(args, env_);
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }

  static unsigned Mode(const std::string& path) {
    struct stat info = {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }

  // Registers the nurse, puts them in a team with a colleague, runs the mission to its release.
  void RunMission() {
    stack_.RegisterOrganisation();
    nurse_ = stack_.RegisterNurse("EXPORTME", 1);
    colleague_ = stack_.RegisterNurse("COLLEAGUE", 9);
    v1::OfferTeamRequest offer;
    offer.set_request_id("team-1");
    offer.mutable_team()->set_name("EMT Lyon 1");
    offer.mutable_team()->set_type_code("who-emt-type-1-mobile");
    offer.mutable_team()->add_member_ids(nurse_);
    offer.mutable_team()->add_member_ids(colleague_);
    v1::Team team;
    grpc::Status status = stack_.inventory_stub->OfferTeam(stack_.Osi().get(), offer, &team);
    ASSERT_TRUE(status.ok()) << status.error_message();
    team_ = team.id();

    stack_.DeclareHeatwave(1);
    stack_.Mobilise("mob-1", 1.0);
    stack_.Settle();
    request_ = stack_.RequestFor(nurse_);
    ASSERT_FALSE(request_.id().empty());
    v1::MobilisationRequest answered;
    status = stack_.Respond(request_.id(), nurse_, v1::ANSWER_ACCEPT, &answered);
    ASSERT_TRUE(status.ok()) << status.error_message();
    assignment_ = answered.assignment_id();
    ASSERT_FALSE(assignment_.empty());
    stack_.Settle();
    // En route, then on site an hour later: only a mission they reached counts as experience.
    v1::Assignment assignment;
    for (const v1::AssignmentState state :
         {v1::ASSIGNMENT_STATE_EN_ROUTE, v1::ASSIGNMENT_STATE_ON_SITE}) {
      v1::ReportStatusRequest report;
      report.set_request_id("report-" + std::to_string(state));
      report.set_assignment_id(assignment_);
      report.set_status(state);
      status = stack_.stub->ReportStatus(MobilisationStack::Responder(nurse_).get(), report,
                                         &assignment);
      ASSERT_TRUE(status.ok()) << status.error_message();
      stack_.clock.Advance(absl::Hours(1));
    }
    v1::DemobiliseRequest demobilise;
    demobilise.set_request_id("demob-1");
    demobilise.set_assignment_id(assignment_);
    demobilise.set_reason("fin de la canicule");
    v1::Assignment released;
    status = stack_.stub->Demobilise(MobilisationStack::Coordinator().get(), demobilise, &released);
    ASSERT_TRUE(status.ok()) << status.error_message();
    stack_.Settle();
  }

  // Every personal datum of the nurse, as registered by MobilisationStack::RegisterNurse.
  std::vector<std::string> Personal() {
    v1::GetResponderRequest get;
    get.set_responder_id(nurse_);
    v1::Responder record;
    EXPECT_TRUE(stack_.inventory_stub->GetResponder(stack_.Osi().get(), get, &record).ok());
    EXPECT_EQ(record.contacts_size(), 2);
    return {record.display_name(), record.contacts(0).address(), record.contacts(1).address()};
  }

  // What every complete export of the nurse holds after the mission.
  void ExpectWholeMission(const nlohmann::json& doc) {
    EXPECT_EQ(doc["kind"], "relais.responder_export");
    EXPECT_EQ(doc["responder_id"], nurse_);
    EXPECT_EQ(doc["generated_at"], "2026-12-01T10:00:00Z");  // the FakeClock, not the wall
    EXPECT_EQ(doc["complete"], true);
    EXPECT_TRUE(doc["withheld"].empty());
    EXPECT_FALSE(doc["not_included"].empty());
    const nlohmann::json& s = doc["sections"];
    EXPECT_EQ(s["responder"]["display_name"], "Camille Exemple EXPORTME");
    EXPECT_EQ(s["responder"]["contacts"][0]["address"], "EXPORTME@example.org");
    EXPECT_EQ(s["responder"]["contacts"][1]["kind"], "CONTACT_KIND_SMS");
    EXPECT_EQ(s["responder"]["contacts"][1]["address"], "+33612341000");
    EXPECT_EQ(s["responder"]["skills"][0]["code"], "nurse");
    EXPECT_EQ(s["responder"]["home_base"]["lat"], 45.764);
    // Released: the mission is in their experience.
    ASSERT_EQ(s["responder"]["experience"].size(), 1U);
    EXPECT_EQ(s["responder"]["experience"][0]["assignment_id"], assignment_);
    ASSERT_EQ(s["availability"]["periods"].size(), 1U);
    EXPECT_EQ(s["availability"]["periods"][0]["kind"], "AVAILABILITY_KIND_AVAILABLE");
    EXPECT_EQ(s["availability"]["periods"][0]["until"], "2026-12-31T00:00:00Z");
    ASSERT_EQ(s["mobilisation_requests"].size(), 1U);
    EXPECT_EQ(s["mobilisation_requests"][0]["id"], request_.id());
    EXPECT_EQ(s["mobilisation_requests"][0]["state"], "REQUEST_STATE_ACCEPTED");
    ASSERT_EQ(s["assignments"].size(), 1U);
    EXPECT_EQ(s["assignments"][0]["id"], assignment_);
    EXPECT_EQ(s["assignments"][0]["crisis_id"], stack_.crisis_id);
    EXPECT_EQ(s["assignments"][0]["state"], "ASSIGNMENT_STATE_RELEASED");
    ExpectAuditTrail(s["audit_trail"]);
    ExpectNotifications(s["notifications"]);
  }

  // The e-mails of their request: stored without an address, delivered on the first attempt.
  void ExpectNotifications(const nlohmann::json& notifications) {
    ASSERT_TRUE(notifications.is_array()) << notifications;
    ASSERT_FALSE(notifications.empty());
    EXPECT_FALSE(smtp_.Messages().empty());
    bool delivered = false;
    for (const nlohmann::json& n : notifications) {
      EXPECT_EQ(n["responder_id"], nurse_) << n;
      EXPECT_EQ(n["mobilisation_request_id"], request_.id()) << n;
      EXPECT_EQ(n["channel"], "NOTIFICATION_CHANNEL_EMAIL") << n;
      if (n["state"] == "DELIVERY_STATE_DELIVERED") {
        delivered = true;
        ASSERT_FALSE(n["attempts"].empty()) << n;
        EXPECT_EQ(n["attempts"].back()["ok"], true) << n;
      }
    }
    EXPECT_TRUE(delivered) << notifications;
    EXPECT_FALSE(absl::StrContains(notifications.dump(), "EXPORTME@example.org"));
  }

  // Their audit trail: every record is about them, and it holds their registration and their
  // answer (given by themselves).
  void ExpectAuditTrail(const nlohmann::json& trail) {
    ASSERT_TRUE(trail.is_array()) << trail;
    bool registered = false;
    bool accepted = false;
    for (const nlohmann::json& record : trail) {
      const bool about_nurse =
          record.value("responder_id", "") == nurse_ ||
          (record.contains("responder_ids") &&
           std::find(record["responder_ids"].begin(), record["responder_ids"].end(), nurse_) !=
               record["responder_ids"].end());
      EXPECT_TRUE(about_nurse) << record;
      if (record["type"] == "EVENT_TYPE_RESPONDER_REGISTERED") registered = true;
      if (record["type"] == "EVENT_TYPE_REQUEST_ACCEPTED") {
        accepted = true;
        EXPECT_EQ(record["principal_id"], "person-" + nurse_);
        EXPECT_EQ(record["mobilisation_request_id"], request_.id());
      }
    }
    EXPECT_TRUE(registered) << trail;
    EXPECT_TRUE(accepted) << trail;
  }

  testing::SmtpSink smtp_;  // before the stack, which sends to it
  MobilisationStack stack_;
  std::filesystem::path dir_;
  relais::cli::Environment env_;
  std::map<std::string, std::string> vars_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::string nurse_;
  std::string colleague_;
  std::string team_;
  v1::MobilisationRequest request_;
  std::string assignment_;
};

TEST_F(ResponderExportTest, TheResponderExportsEverythingToAPrivateFile) {
  RunMission();
  // A responder's token names their organisation: they read its teams, so nothing is withheld.
  As("person-" + nurse_, "responder", stack_.org, nurse_);
  const std::string file = Path("me.json");
  ASSERT_EQ(Export(nurse_, {"--out", file}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "");  // the data went to the file only
  EXPECT_EQ(Mode(file), 0600U);
  EXPECT_THAT(err_.str(), HasSubstr("written to " + file));
  EXPECT_THAT(err_.str(), ::testing::Not(HasSubstr("incomplete")));
  nlohmann::json doc = nlohmann::json::parse(Read(file));
  EXPECT_EQ(doc["generated_by"]["role"], "responder");
  ExpectWholeMission(doc);
  // The team they are in, and only that one.
  ASSERT_EQ(doc["sections"]["teams"].size(), 1U);
  EXPECT_EQ(doc["sections"]["teams"][0]["id"], team_);

  // A responder token without an organisation (the dev headers allow it) may read no team: the
  // export says so, and is still written.
  As("person-" + nurse_, "responder", "", nurse_);
  const std::string no_org = Path("no-org.json");
  ASSERT_EQ(Export(nurse_, {"--out", no_org}), 0) << err_.str();
  EXPECT_THAT(err_.str(), HasSubstr("incomplete export: your role (responder) may not read teams"));
  doc = nlohmann::json::parse(Read(no_org));
  EXPECT_EQ(doc["complete"], false);
  ASSERT_EQ(doc["withheld"].size(), 1U);
  EXPECT_EQ(doc["withheld"][0]["section"], "teams");
  EXPECT_THAT(doc["withheld"][0]["message"].get<std::string>(), HasSubstr("no organisation"));
  EXPECT_TRUE(doc["sections"]["teams"].is_null());
  As("person-" + nurse_, "responder", stack_.org, nurse_);

  // An existing file is never overwritten without --force, and stays as it was.
  ASSERT_EQ(Export(nurse_, {"--out", file}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--out: '" + file + "' exists"));
  EXPECT_THAT(err_.str(), HasSubstr("--force"));
  EXPECT_EQ(nlohmann::json::parse(Read(file))["responder_id"], nurse_);

  // With --force a file someone left readable by all is replaced by a private one.
  const std::string shared = Path("shared.json");
  std::ofstream(shared) << "old";
  ASSERT_EQ(::chmod(shared.c_str(), 0644), 0);
  ASSERT_EQ(Export(nurse_, {"--out", shared, "--force"}), 0) << err_.str();
  EXPECT_EQ(Mode(shared), 0600U);
  EXPECT_EQ(nlohmann::json::parse(Read(shared))["responder_id"], nurse_);
  EXPECT_FALSE(std::filesystem::exists(shared + ".relais-export-tmp"));
}

TEST_F(ResponderExportTest, TheirOsiExportsEverythingAndAnotherOsiIsDenied) {
  RunMission();
  As("osi-admin", "osi_admin", stack_.org);
  ASSERT_EQ(Export(nurse_), 0) << err_.str();
  EXPECT_EQ(err_.str(), "");
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  ExpectWholeMission(doc);
  EXPECT_EQ(doc["generated_by"]["principal"], "osi-admin");
  // The team they are in, and only that one.
  ASSERT_EQ(doc["sections"]["teams"].size(), 1U);
  EXPECT_EQ(doc["sections"]["teams"][0]["id"], team_);

  // Another organisation's OSI: refused at the record, nothing written, non-zero exit.
  As("osi-other", "osi_admin", "org_someone_else");
  const std::string file = Path("stolen.json");
  EXPECT_EQ(Export(nurse_, {"--out", file}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("PERMISSION_DENIED"));
  EXPECT_EQ(out_.str(), "");
  EXPECT_FALSE(std::filesystem::exists(file));
  for (const std::string& datum : Personal()) {
    EXPECT_FALSE(absl::StrContains(err_.str(), datum)) << datum;
  }

  // Another responder, likewise.
  As("person-" + colleague_, "responder", "", colleague_);
  EXPECT_EQ(Export(nurse_, {"--out", file}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("PERMISSION_DENIED"));
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(ResponderExportTest, TheAdminGetsTheRecordButNotTheMissionsAndIsTold) {
  RunMission();
  // The access table denies the admin role the mobilisation lists (it runs no crisis).
  As("admin-1", "admin");
  ASSERT_EQ(Export(nurse_), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["complete"], false);
  EXPECT_EQ(doc["sections"]["responder"]["display_name"], "Camille Exemple EXPORTME");
  EXPECT_EQ(doc["sections"]["teams"].size(), 1U);
  ExpectAuditTrail(doc["sections"]["audit_trail"]);  // the admin reads every trail
  ExpectNotifications(doc["sections"]["notifications"]);
  EXPECT_TRUE(doc["sections"]["mobilisation_requests"].is_null());
  EXPECT_TRUE(doc["sections"]["assignments"].is_null());
  ASSERT_EQ(doc["withheld"].size(), 2U);
  EXPECT_EQ(doc["withheld"][0]["section"], "assignments");
  EXPECT_EQ(doc["withheld"][1]["section"], "mobilisation_requests");
  EXPECT_THAT(err_.str(), HasSubstr("may not read assignments, mobilisation_requests"));
}

TEST_F(ResponderExportTest, AfterErasureNoExportHoldsPersonalData) {
  RunMission();
  const std::vector<std::string> personal = Personal();
  // Out of the team first: RemoveResponder refuses a team member.
  v1::RemoveTeamRequest remove_team;
  remove_team.set_request_id("team-gone");
  remove_team.set_team_id(team_);
  v1::RemoveTeamResponse team_gone;
  ASSERT_TRUE(stack_.inventory_stub->RemoveTeam(stack_.Osi().get(), remove_team, &team_gone).ok());
  v1::RemoveResponderRequest remove;
  remove.set_request_id("erase-1");
  remove.set_responder_id(nurse_);
  v1::RemoveResponderResponse removed;
  const grpc::Status status =
      stack_.inventory_stub->RemoveResponder(stack_.Osi().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  stack_.Settle();

  for (const auto& [principal, role, responder] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"osi-admin", "osi_admin", ""}, {"person-" + nurse_, "responder", nurse_}}) {
    As(principal, role, role == "osi_admin" ? stack_.org : "", responder);
    const std::string file = Path(role + ".json");
    EXPECT_EQ(Export(nurse_, {"--out", file}), 1) << role;
    EXPECT_THAT(err_.str(), HasSubstr("NOT_FOUND")) << role;
    EXPECT_FALSE(std::filesystem::exists(file)) << role;
    for (const std::string& datum : personal) {
      EXPECT_FALSE(absl::StrContains(out_.str() + err_.str(), datum)) << role << ": " << datum;
    }
  }
}

// ListNotifications itself: validation naming the field, and pages that add up to the whole list.
TEST_F(ResponderExportTest, ListNotificationsValidatesAndPages) {
  RunMission();
  v1::ListNotificationsRequest request;
  v1::ListNotificationsResponse page;
  grpc::Status status =
      stack_.stub->ListNotifications(MobilisationStack::Responder(nurse_).get(), request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("responder_id"));
  request.set_responder_id(nurse_);
  request.set_page_size(201);
  status =
      stack_.stub->ListNotifications(MobilisationStack::Responder(nurse_).get(), request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  request.set_page_size(0);
  request.set_page_token("not a token!");
  status =
      stack_.stub->ListNotifications(MobilisationStack::Responder(nurse_).get(), request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));

  // Everything in one page, newest first.
  request.set_page_token("");
  v1::ListNotificationsResponse all;
  status =
      stack_.stub->ListNotifications(MobilisationStack::Responder(nurse_).get(), request, &all);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(all.notifications().empty());
  EXPECT_TRUE(all.next_page_token().empty());
  for (int i = 1; i < all.notifications_size(); ++i) {
    EXPECT_GT(all.notifications(i - 1).id(), all.notifications(i).id());
  }
  // One at a time: the same ones, in the same order, and then no token.
  request.set_page_size(1);
  std::vector<std::string> paged;
  for (int pages = 0; pages < 50; ++pages) {
    page.Clear();
    status =
        stack_.stub->ListNotifications(MobilisationStack::Responder(nurse_).get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_LE(page.notifications_size(), 1);
    for (const auto& n : page.notifications()) paged.push_back(n.id());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  std::vector<std::string> whole;
  for (const auto& n : all.notifications()) whole.push_back(n.id());
  EXPECT_EQ(paged, whole);

  // Whatever the colleague was sent is theirs alone.
  request.set_page_size(0);
  request.set_page_token("");
  request.set_responder_id(colleague_);
  v1::ListNotificationsResponse theirs;
  status = stack_.stub->ListNotifications(stack_.Osi().get(), request, &theirs);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const auto& n : theirs.notifications()) EXPECT_EQ(n.responder_id(), colleague_);
  // Another organisation's OSI gets none of the nurse's; another responder is refused.
  request.set_responder_id(nurse_);
  v1::ListNotificationsResponse foreign;
  status = stack_.stub->ListNotifications(
      MobilisationStack::As("osi-other", "osi_admin", "org_someone_else").get(), request, &foreign);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(foreign.notifications().empty());
  status = stack_.stub->ListNotifications(MobilisationStack::Responder(colleague_).get(), request,
                                          &foreign);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ResponderExportTest, BadFlagsAreUsageErrorsNamingTheFlag) {
  As("osi-admin", "osi_admin", "org_x");
  EXPECT_EQ(Export(""), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--responder-id is empty"));
  EXPECT_EQ(Export("rsp_1", {"--out", ""}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--out is empty"));
  EXPECT_EQ(Export("rsp_1", {"--force"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--out"));
  out_.str("");
  err_.str("");
  EXPECT_EQ(relais::cli::Run({"responder", "export"}, env_), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--responder-id"));
  const std::string missing_dir = Path("no/such/dir/x.json");
  EXPECT_EQ(Export("rsp_1", {"--out", missing_dir}), 1);  // NOT_FOUND before any file
  EXPECT_FALSE(std::filesystem::exists(missing_dir));
}

}  // namespace
}  // namespace relais
