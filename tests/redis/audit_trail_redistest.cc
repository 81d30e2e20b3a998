// The audit trail across the three services (issue #6): every change records who made it and on
// whose behalf, and ListAuditRecords gives one crisis', organisation's or responder's trail,
// newest first, to those the access table lets read it. Real services on one real redis-server,
// each as its own Redis ACL user; time is the stack's FakeClock.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/field_mask.pb.h"
#include "tests/support/mobilisation_stack.h"

namespace relais {
namespace {

namespace v1 = ::relais::v1;
using testing::MobilisationStack;

// A cursor ("<ms>-<seq>") as numbers, to compare positions.
std::pair<uint64_t, uint64_t> Position(const std::string& cursor) {
  const size_t dash = cursor.find('-');
  EXPECT_NE(dash, std::string::npos) << cursor;
  return {std::stoull(cursor.substr(0, dash)), std::stoull(cursor.substr(dash + 1))};
}

class AuditTrailTest : public ::testing::Test {
 protected:
  // Every record of a trail, page by page (`page_size` each, 0: the default), as the principal
  // with these headers.
  std::vector<v1::Event> TrailAs(const std::string& principal, const std::string& role,
                                 const std::string& organisation, const std::string& responder,
                                 v1::ListAuditRecordsRequest request, int page_size = 0) {
    request.set_page_size(page_size);
    std::vector<v1::Event> records;
    for (int page = 0; page < 100; ++page) {
      auto ctx = MobilisationStack::As(principal, role, organisation, responder);
      v1::ListAuditRecordsResponse response;
      grpc::Status status = stack_.inventory_stub->ListAuditRecords(ctx.get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return records;
      EXPECT_EQ(response.retention_days(), 400);
      for (const v1::Event& record : response.records()) records.push_back(record);
      if (response.next_page_token().empty()) return records;
      request.set_page_token(response.next_page_token());
    }
    ADD_FAILURE() << "the trail never ended";
    return records;
  }

  // The responder's organisation accepts their request for them (request id "osi-answers-malik":
  // the tests answer so for Malik).
  void OsiAccepts(const std::string& responder, v1::MobilisationRequest* answered) {
    v1::RespondRequest request;
    request.set_request_id("osi-answers-malik");
    request.set_mobilisation_request_id(stack_.RequestFor(responder).id());
    request.set_answer(v1::ANSWER_ACCEPT);
    grpc::Status status = stack_.stub->Respond(stack_.Osi().get(), request, answered);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status TryAs(std::unique_ptr<grpc::ClientContext> ctx,
                     const v1::ListAuditRecordsRequest& request) {
    v1::ListAuditRecordsResponse response;
    return stack_.inventory_stub->ListAuditRecords(ctx.get(), request, &response);
  }

  static v1::ListAuditRecordsRequest OfResponder(const std::string& id) {
    v1::ListAuditRecordsRequest request;
    request.set_responder_id(id);
    return request;
  }

  static const v1::Event* Find(const std::vector<v1::Event>& records, v1::EventType type) {
    for (const v1::Event& record : records) {
      if (record.type() == type) return &record;
    }
    return nullptr;
  }

  MobilisationStack stack_;
};

TEST_F(AuditTrailTest, EachChangeSaysWhoMadeItAndForWhomNewestFirst) {
  stack_.RegisterOrganisation();
  const std::string lea = stack_.RegisterNurse("LEA", 1);
  const std::string malik = stack_.RegisterNurse("MALIK", 2);
  stack_.DeclareHeatwave(2);
  stack_.Mobilise("mob-1", 1.0);
  stack_.Settle();
  // Léa accepts herself; her organisation answers for Malik.
  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_.Respond(stack_.RequestFor(lea).id(), lea, v1::ANSWER_ACCEPT, &answered).ok());
  ASSERT_NO_FATAL_FAILURE(OsiAccepts(malik, &answered));
  stack_.Settle();
  // The admin corrects Malik's record for his organisation (as an import does).
  Principal admin{"admin-lyon", Role::kAdmin, stack_.org, ""};
  admin.on_behalf_of = stack_.org;
  v1::UpdateResponderRequest update;
  update.set_request_id("admin-fix");
  update.set_responder_id(malik);
  update.mutable_responder()->set_home_commune("Bron");
  update.mutable_update_mask()->add_paths("home_commune");
  v1::Responder updated;
  ASSERT_TRUE(stack_.inventory->registry().UpdateResponder(admin, update, &updated).ok());

  // Malik's trail, read by his organisation: registered, available, asked, held, accepted for him
  // by the OSI, corrected by the admin for the organisation; newest first.
  const std::vector<v1::Event> trail =
      TrailAs("osi-admin", "osi_admin", stack_.org, "", OfResponder(malik));
  ASSERT_GE(trail.size(), 6u);
  for (size_t i = 1; i < trail.size(); ++i) {
    EXPECT_GT(Position(trail[i - 1].cursor()), Position(trail[i].cursor())) << "newest first";
  }
  const v1::Event* corrected = Find(trail, v1::EVENT_TYPE_RESPONDER_UPDATED);
  ASSERT_NE(corrected, nullptr);
  EXPECT_EQ(corrected->principal_id(), "admin-lyon");
  EXPECT_EQ(corrected->on_behalf_of(), stack_.org);
  EXPECT_EQ(trail.front().type(), v1::EVENT_TYPE_RESPONDER_UPDATED) << "the latest change";
  const v1::Event* accepted = Find(trail, v1::EVENT_TYPE_REQUEST_ACCEPTED);
  ASSERT_NE(accepted, nullptr);
  EXPECT_EQ(accepted->principal_id(), "osi-admin");
  EXPECT_EQ(accepted->on_behalf_of(), malik);
  EXPECT_EQ(accepted->request_id(), "osi-answers-malik");
  ASSERT_NE(Find(trail, v1::EVENT_TYPE_RESPONDER_REGISTERED), nullptr);
  ASSERT_NE(Find(trail, v1::EVENT_TYPE_AVAILABILITY_SET), nullptr);
  const v1::Event* asked = Find(trail, v1::EVENT_TYPE_REQUESTS_SENT);
  ASSERT_NE(asked, nullptr);
  // The service writes a round's requests, on behalf of the coordinator who mobilised.
  EXPECT_EQ(asked->principal_id(), "svc-mobilisation");
  EXPECT_EQ(asked->on_behalf_of(), "coord-lyon");
  for (const v1::Event& record : trail) {
    const bool about_malik = record.responder_id() == malik ||
                             std::find(record.responder_ids().begin(), record.responder_ids().end(),
                                       malik) != record.responder_ids().end();
    EXPECT_TRUE(about_malik) << record.ShortDebugString();
  }

  // Léa reads her own trail: she accepted for herself.
  const std::vector<v1::Event> own =
      TrailAs("person-" + lea, "responder", "", lea, OfResponder(lea));
  const v1::Event* hers = Find(own, v1::EVENT_TYPE_REQUEST_ACCEPTED);
  ASSERT_NE(hers, nullptr);
  EXPECT_EQ(hers->principal_id(), "person-" + lea);
  EXPECT_TRUE(hers->on_behalf_of().empty());

  // The crisis' trail, paged two at a time, is the same as in one page, and holds the whole
  // mobilisation in order: declared, need added, requests sent, both acceptances.
  v1::ListAuditRecordsRequest of_crisis;
  of_crisis.set_crisis_id(stack_.crisis_id);
  const std::vector<v1::Event> whole = TrailAs("coord-lyon", "coordinator", "", "", of_crisis);
  const std::vector<v1::Event> paged = TrailAs("coord-lyon", "coordinator", "", "", of_crisis, 2);
  ASSERT_EQ(whole.size(), paged.size());
  std::set<std::string> cursors;
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(whole[i].cursor(), paged[i].cursor());
    cursors.insert(whole[i].cursor());
  }
  EXPECT_EQ(cursors.size(), whole.size()) << "no record twice";
  EXPECT_EQ(whole.back().type(), v1::EVENT_TYPE_CRISIS_DECLARED) << "the oldest change";
  int acceptances = 0;
  for (const v1::Event& record : whole) {
    acceptances += record.type() == v1::EVENT_TYPE_REQUEST_ACCEPTED ? 1 : 0;
  }
  EXPECT_EQ(acceptances, 2);

  // The organisation's trail starts with its registration by the admin.
  v1::ListAuditRecordsRequest of_org;
  of_org.set_organisation_id(stack_.org);
  const std::vector<v1::Event> org_trail =
      TrailAs("osi-admin", "osi_admin", stack_.org, "", of_org);
  ASSERT_FALSE(org_trail.empty());
  EXPECT_EQ(org_trail.back().type(), v1::EVENT_TYPE_ORGANISATION_REGISTERED);
  EXPECT_EQ(org_trail.back().principal_id(), "admin");
}

// The mobilisation service holds, confirms and releases responders in the inventory as itself
// (svc-mobilisation), and says for whom: the inventory's own records name the person whose action
// it carried out, or nobody when the service acted on its own rules.
TEST_F(AuditTrailTest, TheServiceNamesThePersonItActsForOnEveryHold) {
  stack_.RegisterOrganisation();
  const std::string lea = stack_.RegisterNurse("LEA", 1);
  const std::string malik = stack_.RegisterNurse("MALIK", 2);
  const std::string nour = stack_.RegisterNurse("NOUR", 3);
  stack_.DeclareHeatwave(1);
  stack_.Mobilise("mob-1", 3.0);
  stack_.Settle();
  // Léa declines; her organisation accepts for Malik, which covers the need and cancels Nour's
  // request; then Malik withdraws.
  v1::MobilisationRequest answered;
  ASSERT_TRUE(
      stack_.Respond(stack_.RequestFor(lea).id(), lea, v1::ANSWER_DECLINE, &answered, "away").ok());
  stack_.Settle();
  ASSERT_NO_FATAL_FAILURE(OsiAccepts(malik, &answered));
  stack_.Settle();
  v1::WithdrawRequest withdraw;
  withdraw.set_request_id("malik-withdraws");
  withdraw.set_assignment_id(answered.assignment_id());
  withdraw.set_reason("family emergency");
  v1::Assignment withdrawn;
  grpc::Status status =
      stack_.stub->Withdraw(MobilisationStack::Responder(malik).get(), withdraw, &withdrawn);
  ASSERT_TRUE(status.ok()) << status.error_message();
  stack_.Settle();

  const auto only = [&](const std::string& responder, v1::EventType type) {
    const std::vector<v1::Event> trail =
        TrailAs("coord-lyon", "coordinator", "", "", OfResponder(responder));
    int count = 0;
    v1::Event found;
    for (const v1::Event& record : trail) {
      if (record.type() != type) continue;
      ++count;
      found = record;
    }
    EXPECT_EQ(count, 1) << responder << " " << v1::EventType_Name(type);
    EXPECT_EQ(found.principal_id(), "svc-mobilisation") << found.ShortDebugString();
    return found;
  };
  // Every hold of the round, placed for the coordinator who mobilised.
  for (const std::string& responder : {lea, malik, nour}) {
    EXPECT_EQ(only(responder, v1::EVENT_TYPE_HOLD_PLACED).on_behalf_of(), "coord-lyon");
  }
  EXPECT_EQ(only(lea, v1::EVENT_TYPE_HOLD_RELEASED).on_behalf_of(), "person-" + lea);
  EXPECT_EQ(only(malik, v1::EVENT_TYPE_HOLD_CONFIRMED).on_behalf_of(), "osi-admin");
  EXPECT_EQ(only(malik, v1::EVENT_TYPE_COMMITMENT_RELEASED).on_behalf_of(), "person-" + malik);
  // Nour's hold went when the need was covered: the service's own rule, for nobody.
  EXPECT_EQ(only(nour, v1::EVENT_TYPE_HOLD_RELEASED).on_behalf_of(), "");
}

TEST_F(AuditTrailTest, OnlyThoseTheTableAllowsReadATrail) {
  stack_.RegisterOrganisation();
  const std::string lea = stack_.RegisterNurse("LEA", 1);
  const std::string malik = stack_.RegisterNurse("MALIK", 2);
  stack_.DeclareHeatwave(1);
  const std::string other_org = "org_01HZX0000000000000000099";
  v1::ListAuditRecordsRequest of_crisis;
  of_crisis.set_crisis_id(stack_.crisis_id);
  v1::ListAuditRecordsRequest of_org;
  of_org.set_organisation_id(stack_.org);

  const auto denied = [&](std::unique_ptr<grpc::ClientContext> ctx,
                          const v1::ListAuditRecordsRequest& request, const std::string& who) {
    EXPECT_EQ(TryAs(std::move(ctx), request).error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << who;
  };
  denied(MobilisationStack::As("osi-other", "osi_admin", other_org), of_org, "another OSI");
  denied(MobilisationStack::As("osi-other", "osi_admin", other_org), OfResponder(lea),
         "another OSI, a responder");
  denied(MobilisationStack::Responder(lea), OfResponder(malik), "a colleague");
  denied(MobilisationStack::Responder(lea), of_org, "a responder, their organisation");
  denied(stack_.Osi(), of_crisis, "an OSI, a crisis");
  denied(MobilisationStack::As("wall", "dashboard"), of_crisis, "a dashboard");
  denied(MobilisationStack::As("svc", "service"), of_crisis, "a service");
  EXPECT_TRUE(TryAs(stack_.Osi(), OfResponder(lea)).ok());
  EXPECT_TRUE(TryAs(MobilisationStack::As("admin", "admin"), OfResponder(lea)).ok());

  // Bad input: INVALID_ARGUMENT naming the field.
  const auto invalid = [&](const v1::ListAuditRecordsRequest& request, const std::string& field) {
    grpc::Status status = TryAs(MobilisationStack::Coordinator(), request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_EQ(status.error_message().rfind(field + ":", 0), 0u) << status.error_message();
  };
  invalid(v1::ListAuditRecordsRequest(), "subject");
  v1::ListAuditRecordsRequest bad_id;
  bad_id.set_crisis_id("not an id!");
  invalid(bad_id, "crisis_id");
  v1::ListAuditRecordsRequest bad_size = of_crisis;
  bad_size.set_page_size(201);
  invalid(bad_size, "page_size");
  v1::ListAuditRecordsRequest bad_token = of_crisis;
  bad_token.set_page_token("yesterday");
  invalid(bad_token, "page_token");
}

TEST_F(AuditTrailTest, AnErasedRespondersTrailOutlivesThemWithIdsOnly) {
  stack_.RegisterOrganisation();
  const std::string gone = stack_.RegisterNurse("GONE", 1);
  v1::RemoveResponderRequest remove;
  remove.set_request_id("erase-gone");
  remove.set_responder_id(gone);
  v1::RemoveResponderResponse removed;
  grpc::Status status =
      stack_.inventory_stub->RemoveResponder(stack_.Osi().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Their organisation still reads it (the removal names the organisation); another does not.
  const std::vector<v1::Event> trail =
      TrailAs("osi-admin", "osi_admin", stack_.org, "", OfResponder(gone));
  ASSERT_EQ(trail.size(), 3u);
  EXPECT_EQ(trail[0].type(), v1::EVENT_TYPE_RESPONDER_REMOVED);
  EXPECT_EQ(trail[1].type(), v1::EVENT_TYPE_AVAILABILITY_SET);
  EXPECT_EQ(trail[2].type(), v1::EVENT_TYPE_RESPONDER_REGISTERED);
  for (const v1::Event& record : trail) {
    EXPECT_EQ(record.SerializeAsString().find("Exemple GONE"), std::string::npos)
        << "a record holds the name";
    EXPECT_EQ(record.SerializeAsString().find("GONE@example.org"), std::string::npos)
        << "a record holds the e-mail";
  }
  EXPECT_EQ(TryAs(MobilisationStack::As("osi-other", "osi_admin", "org_01HZX0000000000000000099"),
                  OfResponder(gone))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace relais
