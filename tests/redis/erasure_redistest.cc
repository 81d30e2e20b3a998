// Erasure across the three services (GDPR, issue #6): a responder who was asked, notified by
// e-mail, accepted, deployed and released is erased; afterwards no byte of their name, contacts
// or home base is left anywhere in Redis: the inventory's keys and indexes, the event log, the
// mobilisation service's requests, assignments and notification outbox, every stored outcome.
// Only their id remains, in the records of the mission. Nor did any service ever write their
// personal data to its log: every line of the three services is captured and scanned.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "tests/support/log_capture.h"
#include "tests/support/mobilisation_stack.h"
#include "tests/support/redis_dump.h"
#include "tests/support/smtp_sink.h"

namespace relais {
namespace {

namespace v1 = ::relais::v1;
using testing::MobilisationStack;

mobilisation::MobilisationOptions WithEmail(const testing::SmtpSink& smtp) {
  mobilisation::MobilisationOptions options;
  options.smtp_url = smtp.url();
  options.smtp_from = "relais@example.org";
  return options;
}

class ErasureTest : public ::testing::Test {
 protected:
  ErasureTest() : stack_(WithEmail(smtp_), log_) {}

  testing::SmtpSink smtp_;
  std::shared_ptr<testing::LogCapture> log_ = std::make_shared<testing::LogCapture>();
  MobilisationStack stack_;
};

TEST_F(ErasureTest, AnErasedResponderLeavesNoPersonalDataInAnyService) {
  stack_.RegisterOrganisation();
  // RegisterNurse names them "Camille Exemple <ref>", <ref>@example.org, +3361234100<n>.
  const std::string erased = stack_.RegisterNurse("ERASEME", 1);
  const std::string kept = stack_.RegisterNurse("KEEPME", 9);
  v1::GetResponderRequest get;
  get.set_responder_id(erased);
  v1::Responder record;
  ASSERT_TRUE(stack_.inventory_stub->GetResponder(stack_.Osi().get(), get, &record).ok());
  ASSERT_EQ(record.contacts_size(), 2);
  const std::vector<std::string> personal = {record.display_name(), "Exemple ERASEME",
                                             record.contacts(0).address(),
                                             record.contacts(1).address()};
  const std::string home_base = record.home_base().SerializeAsString();

  // The whole mission: asked (and e-mailed), accepts, released by the coordinator.
  stack_.DeclareHeatwave(1);
  stack_.Mobilise("mob-1", 1.0);
  stack_.Settle();
  const v1::MobilisationRequest asked = stack_.RequestFor(erased);
  ASSERT_FALSE(asked.id().empty());
  ASSERT_FALSE(smtp_.Messages().empty()) << "the responder was e-mailed";
  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_.Respond(asked.id(), erased, v1::ANSWER_ACCEPT, &answered).ok());
  stack_.Settle();
  ASSERT_FALSE(answered.assignment_id().empty());
  v1::DemobiliseRequest demobilise;
  demobilise.set_request_id("demob-1");
  demobilise.set_assignment_id(answered.assignment_id());
  demobilise.set_reason("fin de la canicule");
  v1::Assignment released;
  grpc::Status status =
      stack_.stub->Demobilise(MobilisationStack::Coordinator().get(), demobilise, &released);
  ASSERT_TRUE(status.ok()) << status.error_message();
  stack_.Settle();

  // Before: the scan sees the data (so it would see a copy left behind).
  const std::string before = testing::DumpEverything(stack_.Inspector());
  for (const std::string& datum : personal) {
    ASSERT_TRUE(absl::StrContains(before, datum)) << datum;
  }
  ASSERT_TRUE(absl::StrContains(before, home_base));

  v1::RemoveResponderRequest remove;
  remove.set_request_id("erase-1");
  remove.set_responder_id(erased);
  v1::RemoveResponderResponse removed;
  status = stack_.inventory_stub->RemoveResponder(stack_.Osi().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  stack_.Settle();

  const std::string after = testing::DumpEverything(stack_.Inspector());
  for (const std::string& datum : personal) {
    EXPECT_FALSE(absl::StrContains(after, datum)) << "still stored: " << datum;
  }
  EXPECT_FALSE(absl::StrContains(after, home_base)) << "the home base is still stored";
  // The mission's records remain, naming an id only; the colleague is untouched.
  EXPECT_TRUE(absl::StrContains(after, erased));
  EXPECT_TRUE(absl::StrContains(after, "Exemple KEEPME"));
  v1::GetAssignmentRequest assignment;
  assignment.set_assignment_id(answered.assignment_id());
  v1::Assignment still;
  ASSERT_TRUE(
      stack_.stub->GetAssignment(MobilisationStack::Coordinator().get(), assignment, &still).ok());
  EXPECT_EQ(still.responder_id(), erased);
  get.set_responder_id(kept);
  EXPECT_TRUE(stack_.inventory_stub->GetResponder(stack_.Osi().get(), get, &record).ok());

  // Logs carry ids only, from start-up to after the erasure. The capture did see this test's
  // calls (so an empty or disconnected capture cannot pass).
  const std::vector<std::string> lines = log_->Lines();
  ASSERT_TRUE(std::any_of(
      lines.begin(), lines.end(),
      [](const std::string& line) { return absl::StrContains(line, "RemoveResponder"); }))
      << lines.size() << " lines captured";
  for (const std::string& line : lines) {
    for (const std::string& datum : personal) {
      EXPECT_FALSE(absl::StrContains(line, datum)) << "logged: " << line;
    }
    EXPECT_FALSE(absl::StrContains(line, "Exemple KEEPME")) << "logged: " << line;
  }
}

}  // namespace
}  // namespace relais
