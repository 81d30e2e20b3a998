// The notification outbox against a real redis-server, with local SMTP and HTTP sinks: creation
// inside a caller's commit, e-mail and webhook delivery (the message and the JSON checked), a
// failure then recovery, giving up after five attempts at the right times (event and metric),
// nothing sent before its time, two replicas racing over 200 notifications, a crash between
// claim and record, no contact, the inventory unreachable, no address anywhere in Redis, Redis
// down. Time is a FakeClock; nothing sleeps for time to pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "services/mobilisation/outbox.h"
#include "services/mobilisation/smtp_notifier.h"
#include "services/mobilisation/webhook_notifier.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/event_log.h"
#include "services/runtime/redis/redis_acl.h"
#include "tests/support/http_sink.h"
#include "tests/support/redis_server.h"
#include "tests/support/smtp_sink.h"

namespace relais::mobilisation {
namespace {

using ::relais::testing::HttpSink;
using ::relais::testing::RedisServer;
using ::relais::testing::SmtpSink;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kPatience = absl::Seconds(10);
constexpr char kCrisis[] = "crs_lyon";
constexpr char kRequest[] = "mreq_1";
// The personal data the contact book hands out: must never reach Redis.
constexpr char kMarieEmail[] = "marie.dupont@example.org";
constexpr char kMarieSms[] = "+33612345678";
constexpr char kPaulEmail[] = "paul.martin@example.org";

// As the mobilisation service's Redis user, as deployed: the outbox's commands must fit its ACL.
RedisOptions OptionsFor(const RedisServer& server) {
  RedisOptions options;
  options.host = server.host();
  options.port = server.port();
  options.command_timeout = absl::Seconds(2);
  const ServiceRedisAcl* acl = FindServiceRedisAcl("mobilisation");
  options.username = acl->user;
  options.password = ReadSecretFile(server.PasswordFile(acl->user)).value();
  return options;
}

// The inventory's contacts, as a map. Thread-safe (two replicas ask it at once).
class FakeContactBook final : public ContactBook {
 public:
  void Set(const std::string& responder, std::vector<std::string> emails,
           std::vector<std::string> numbers) {
    absl::MutexLock lock(&mu_);
    book_[responder] = {std::move(emails), std::move(numbers)};
  }
  void SetDown(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  absl::StatusOr<std::vector<std::string>> AddressesFor(const std::string& responder_id,
                                                        v1::NotificationChannel channel) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (down_) return absl::UnavailableError("inventory: connection refused");
    auto it = book_.find(responder_id);
    if (it == book_.end()) return absl::NotFoundError("responder: not found");
    return channel == v1::NOTIFICATION_CHANNEL_EMAIL ? it->second.first : it->second.second;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> book_
      ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// A notifier that refuses some addresses and records whom it was asked to reach.
class ScriptedNotifier final : public Notifier {
 public:
  explicit ScriptedNotifier(std::set<std::string> refused) : refused_(std::move(refused)) {}
  v1::NotificationChannel channel() const override { return v1::NOTIFICATION_CHANNEL_EMAIL; }
  DeliveryResult Send(const Message& message) override {
    absl::MutexLock lock(&mu_);
    tried_.push_back(message.to);
    if (refused_.count(message.to) != 0) return {false, "SMTP 550"};
    return {true, ""};
  }
  std::vector<std::string> tried() const {
    absl::MutexLock lock(&mu_);
    return tried_;
  }

 private:
  const std::set<std::string> refused_;
  mutable absl::Mutex mu_;
  std::vector<std::string> tried_ ABSL_GUARDED_BY(mu_);
};

// A notifier whose Send does not return until released: a replica stuck (or dead) between its
// claim and its record.
class StuckNotifier final : public Notifier {
 public:
  v1::NotificationChannel channel() const override { return v1::NOTIFICATION_CHANNEL_EMAIL; }
  DeliveryResult Send(const Message&) override {
    entered.Notify();
    release.WaitForNotificationWithTimeout(kPatience);
    return {true, ""};
  }
  absl::Notification entered;
  absl::Notification release;
};

double CounterValue(prometheus::Registry& registry, const std::string& name,
                    const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::map<std::string, std::string> have;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        have[label.name] = label.value;
      }
      if (have == labels) return metric.counter.value;
    }
  }
  return 0;
}

// The value of header `name` in an RFC 5322 message, unfolded.
std::string Header(const std::string& message, const std::string& name) {
  const std::string head = message.substr(0, message.find("\r\n\r\n"));
  std::vector<std::string> lines = absl::StrSplit(head, "\r\n");
  std::string value;
  bool in = false;
  for (const std::string& line : lines) {
    if (in && !line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      value += line;
      continue;
    }
    in = absl::StartsWith(line, name + ": ");
    if (in) value = line.substr(name.size() + 2);
  }
  return value;
}

// Decodes the "=?UTF-8?B?...?=" words of a header value.
std::string DecodeWords(const std::string& value) {
  std::string text;
  for (absl::string_view word : absl::StrSplit(value, ' ', absl::SkipEmpty())) {
    if (!absl::ConsumePrefix(&word, "=?UTF-8?B?") || !absl::ConsumeSuffix(&word, "?=")) {
      return "not an encoded word: " + std::string(word);
    }
    std::string decoded;
    if (!absl::Base64Unescape(word, &decoded)) return "bad base64";
    text += decoded;
  }
  return text;
}

class OutboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::StartWithServiceUsers().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    if (!server_->running()) server_->Restart();
    server_->FlushAll();
    redis_ = std::make_unique<RedisClient>(OptionsFor(*server_), clock_);
    committer_ = std::make_unique<Committer>(*redis_, CommitOptions{});  // setup loaded them
    contacts_.Set("rsp_marie", {kMarieEmail}, {kMarieSms});
    contacts_.Set("rsp_paul", {kPaulEmail}, {});
    email_ = std::make_unique<SmtpNotifier>(SmtpOptions{.url = smtp_.url(),
                                                        .from = "relais@relais.test",
                                                        .from_name = "Relais Lyon",
                                                        .clock = &clock_});
    webhook_ = std::make_unique<WebhookNotifier>(
        WebhookOptions{.url = http_.url(), .bearer_token = "sms-token-1"});
    outbox_ = MakeOutbox(*committer_, *redis_, {email_.get(), webhook_.get()}, &metrics_);
  }

  std::unique_ptr<Outbox> MakeOutbox(Committer& committer, RedisClient& redis,
                                     std::vector<Notifier*> notifiers,
                                     prometheus::Registry* metrics, OutboxOptions options = {}) {
    return std::make_unique<Outbox>(committer, redis, clock_, contacts_, std::move(notifiers),
                                    std::move(options), metrics);
  }

  v1::Notification Make(const std::string& id, v1::NotificationChannel channel,
                        const std::string& responder, absl::Time created) {
    v1::Notification n;
    n.set_id(id);
    n.set_channel(channel);
    n.set_responder_id(responder);
    n.set_mobilisation_request_id(kRequest);
    n.set_crisis_id(kCrisis);
    n.set_about(relais::v1::EVENT_TYPE_REQUESTS_SENT);
    *n.mutable_created_at() = ToProtoTime(created);
    n.set_subject("Mobilisation : crue à Lyon");
    n.set_body(
        "Vous êtes sollicité pour la crue de Lyon (crs_lyon).\n.Point de rassemblement : "
        "quai Perrache\nRépondez avant 18:00.");
    return n;
  }

  // Creates `n` the way the mobiliser does: inside its own commit, with its own event.
  void Create(const v1::Notification& n) {
    OutboxWrites w = NewNotificationWrites(n);
    CommitRequest request;
    request.idem = {"mob", "coord-lyon-1", "Mobilise", "create-" + n.id(), "fp-" + n.id()};
    request.writes = w.writes;
    request.index_ops = w.index_ops;
    request.event.set_type(relais::v1::EVENT_TYPE_REQUESTS_SENT);
    request.event.set_crisis_id(kCrisis);
    request.event.set_subject_id(n.mobilisation_request_id());
    request.outcome.set_subject_id(n.id());
    auto result = committer_->Commit(request);
    ASSERT_TRUE(result.ok()) << result.status();
  }

  v1::Notification Stored(const std::string& id) {
    auto n = outbox_->Get(id);
    EXPECT_TRUE(n.ok()) << n.status();
    if (!n.ok() || !n->has_value()) {
      ADD_FAILURE() << "no notification " << id;
      return {};
    }
    return **n;
  }

  bool IsDue(const std::string& id) const {
    return server_->Command({"ZSCORE", std::string(kNotificationDueKey), id}) != "(nil)";
  }

  // Runs passes until nothing more is due now.
  void DispatchAll(Outbox& outbox) {
    for (int i = 0; i < 100; ++i) {
      auto full = outbox.DispatchDue();
      ASSERT_TRUE(full.ok()) << full.status();
      if (!*full) return;
    }
    FAIL() << "DispatchDue kept finding full batches";
  }

  double Attempts(const std::string& channel, const std::string& result) {
    return CounterValue(metrics_, "relais_notification_attempts_total",
                        {{"channel", channel}, {"result", result}});
  }

  static RedisServer* server_;
  FakeClock clock_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Committer> committer_;
  FakeContactBook contacts_;
  SmtpSink smtp_;
  HttpSink http_;
  std::unique_ptr<SmtpNotifier> email_;
  std::unique_ptr<WebhookNotifier> webhook_;
  prometheus::Registry metrics_;
  std::unique_ptr<Outbox> outbox_;
};

RedisServer* OutboxTest::server_ = nullptr;

TEST(NewNotificationWritesTest, EntityDueEntryAndRequestIndex) {
  v1::Notification n;
  n.set_id("ntf_1");
  n.set_mobilisation_request_id("mreq_9");
  n.set_state(v1::DELIVERY_STATE_DELIVERED);  // ignored: a new notification is PENDING
  n.add_attempts()->set_ok(true);             // ignored too
  n.mutable_created_at()->set_seconds(1'780'000'000);
  n.mutable_created_at()->set_nanos(123'000'000);

  OutboxWrites w = NewNotificationWrites(n);
  ASSERT_EQ(w.writes.size(), 1u);
  EXPECT_EQ(w.writes[0].key, "mob:ntf:ntf_1");
  EXPECT_EQ(w.writes[0].expected_version, 0);
  v1::Notification stored;
  ASSERT_TRUE(stored.ParseFromString(w.writes[0].value));
  EXPECT_EQ(stored.state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_EQ(stored.version(), 1);
  EXPECT_EQ(stored.attempts_size(), 0);
  EXPECT_EQ(FromProtoTime(stored.next_attempt_at()), FromProtoTime(n.created_at()));
  ASSERT_EQ(w.index_ops.size(), 2u);
  EXPECT_EQ(w.index_ops[0].key, "mob:ntf:due");
  EXPECT_EQ(w.index_ops[0].member, "ntf_1");
  EXPECT_EQ(w.index_ops[0].score, 1'780'000'000'123.0);
  EXPECT_EQ(w.index_ops[1].key, "mob:idx:ntf:req:mreq_9");
  EXPECT_EQ(w.index_ops[1].member, "ntf_1");
  EXPECT_EQ(w.index_ops[1].score, 0);

  n.clear_mobilisation_request_id();
  EXPECT_EQ(NewNotificationWrites(n).index_ops.size(), 1u);
}

TEST_F(OutboxTest, DeliversEmailToTheSmtpRelay) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));
  EXPECT_EQ(Stored("ntf_1").version(), 1);
  EXPECT_TRUE(IsDue("ntf_1"));

  auto full = outbox_->DispatchDue();
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_FALSE(*full);

  ASSERT_EQ(smtp_.Count(), 1u);
  const testing::ReceivedMail mail = smtp_.Messages()[0];
  EXPECT_EQ(mail.mail_from, "relais@relais.test");
  EXPECT_THAT(mail.rcpt, ElementsAre(kMarieEmail));
  EXPECT_EQ(Header(mail.data, "From"), "\"Relais Lyon\" <relais@relais.test>");
  EXPECT_EQ(Header(mail.data, "To"), kMarieEmail);
  EXPECT_EQ(Header(mail.data, "Date"), "Thu, 28 May 2026 20:26:40 +0000");
  EXPECT_EQ(Header(mail.data, "Message-ID"), "<ntf_1@relais.test>");
  EXPECT_EQ(Header(mail.data, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(mail.data, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Header(mail.data, "Content-Transfer-Encoding"), "base64");
  const std::string subject = Header(mail.data, "Subject");
  EXPECT_TRUE(absl::StartsWith(subject, "=?UTF-8?B?")) << subject;
  EXPECT_EQ(DecodeWords(subject), "Mobilisation : crue à Lyon");
  std::string encoded_body = mail.data.substr(mail.data.find("\r\n\r\n") + 4);
  absl::StrReplaceAll({{"\r\n", ""}}, &encoded_body);
  std::string body;
  ASSERT_TRUE(absl::Base64Unescape(encoded_body, &body));
  EXPECT_EQ(body,
            "Vous êtes sollicité pour la crue de Lyon (crs_lyon).\r\n.Point de rassemblement : "
            "quai Perrache\r\nRépondez avant 18:00.\r\n");

  const v1::Notification n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(n.version(), 3);  // claimed, then recorded
  ASSERT_EQ(n.attempts_size(), 1);
  EXPECT_TRUE(n.attempts(0).ok());
  EXPECT_EQ(FromProtoTime(n.attempts(0).at()), t0);
  EXPECT_FALSE(IsDue("ntf_1"));
  EXPECT_EQ(Attempts("email", "delivered"), 1);

  // The coordinator's view of the request.
  auto listed = outbox_->ForRequest(kRequest);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id(), "ntf_1");
  EXPECT_EQ((*listed)[0].state(), v1::DELIVERY_STATE_DELIVERED);
  auto none = outbox_->ForRequest("mreq_unknown");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto absent = outbox_->Get("ntf_unknown");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  // Sent once: another pass finds nothing.
  ASSERT_TRUE(outbox_->DispatchDue().ok());
  EXPECT_EQ(smtp_.Count(), 1u);
}

TEST_F(OutboxTest, AsciiMessagesStaySevenBitAndDotsSurvive) {
  v1::Notification n = Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_paul", clock_.Now());
  n.set_subject("Mobilisation: Lyon flood");
  n.set_body("Line one\n.leading dot\n..two dots\n.\nend");
  Create(n);
  DispatchAll(*outbox_);
  ASSERT_EQ(smtp_.Count(), 1u);
  const std::string data = smtp_.Messages()[0].data;
  EXPECT_EQ(Header(data, "Subject"), "Mobilisation: Lyon flood");
  EXPECT_EQ(Header(data, "Content-Transfer-Encoding"), "7bit");
  EXPECT_EQ(data.substr(data.find("\r\n\r\n") + 4),
            "Line one\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n");
}

TEST_F(OutboxTest, PostsTheWebhookAsJson) {
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_marie", clock_.Now()));
  DispatchAll(*outbox_);

  ASSERT_EQ(http_.Count(), 1u);
  const testing::ReceivedRequest request = http_.Requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/notify");
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  EXPECT_EQ(request.headers.at("authorization"), "Bearer sms-token-1");
  EXPECT_EQ(request.headers.at("idempotency-key"), "ntf_1");
  EXPECT_EQ(request.headers.count("expect"), 0u);
  const nlohmann::json json = nlohmann::json::parse(request.body, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << request.body;
  EXPECT_EQ(json.size(), 4u);
  EXPECT_EQ(json["notification_id"], "ntf_1");
  EXPECT_EQ(json["to"], kMarieSms);
  EXPECT_EQ(json["subject"], "Mobilisation : crue à Lyon");
  EXPECT_EQ(json["body"], Make("x", {}, "", {}).body());

  EXPECT_EQ(Stored("ntf_1").state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(Attempts("webhook", "delivered"), 1);
  EXPECT_EQ(smtp_.Count(), 0u);
}

TEST_F(OutboxTest, RetriesAfterAFailureThenDelivers) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_mail", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));
  Create(Make("ntf_sms", v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_marie", t0));
  smtp_.FailNext(1);
  http_.FailNext(1);

  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Refused(), 1);
  EXPECT_EQ(http_.Refused(), 1);
  for (const char* id : {"ntf_mail", "ntf_sms"}) {
    const v1::Notification n = Stored(id);
    EXPECT_EQ(n.state(), v1::DELIVERY_STATE_PENDING) << id;
    ASSERT_EQ(n.attempts_size(), 1) << id;
    EXPECT_FALSE(n.attempts(0).ok());
    EXPECT_EQ(FromProtoTime(n.next_attempt_at()), t0 + absl::Seconds(30));
    EXPECT_EQ(server_->Command({"ZSCORE", "mob:ntf:due", id}),
              absl::StrCat(absl::ToUnixMillis(t0 + absl::Seconds(30))));
  }
  EXPECT_EQ(Stored("ntf_mail").attempts(0).detail(), "SMTP 451");
  EXPECT_EQ(Stored("ntf_sms").attempts(0).detail(), "HTTP 503");
  EXPECT_EQ(Attempts("email", "failed"), 1);
  EXPECT_EQ(Attempts("webhook", "failed"), 1);

  // Not before its time.
  clock_.Advance(absl::Seconds(29));
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count() + http_.Count(), 0u);

  clock_.Advance(absl::Seconds(1));
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 1u);
  EXPECT_EQ(http_.Count(), 1u);
  for (const char* id : {"ntf_mail", "ntf_sms"}) {
    const v1::Notification n = Stored(id);
    EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED) << id;
    ASSERT_EQ(n.attempts_size(), 2) << id;
    EXPECT_EQ(FromProtoTime(n.attempts(0).at()), t0);
    EXPECT_EQ(FromProtoTime(n.attempts(1).at()), t0 + absl::Seconds(30));
    EXPECT_TRUE(n.attempts(1).ok());
    EXPECT_FALSE(IsDue(id));
  }
}

TEST_F(OutboxTest, ARelayThatDropsConnectionsIsAFailedAttempt) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));
  smtp_.RefuseConnections(true);
  DispatchAll(*outbox_);
  v1::Notification n = Stored("ntf_1");
  ASSERT_EQ(n.attempts_size(), 1);
  EXPECT_FALSE(n.attempts(0).ok());
  EXPECT_FALSE(n.attempts(0).detail().empty());
  EXPECT_THAT(n.attempts(0).detail(), Not(HasSubstr("@")));
  EXPECT_EQ(n.attempts(0).detail(), "Failure when receiving data from the peer");

  smtp_.RefuseConnections(false);
  clock_.Advance(absl::Seconds(30));
  DispatchAll(*outbox_);
  EXPECT_EQ(Stored("ntf_1").state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(smtp_.Count(), 1u);
}

TEST_F(OutboxTest, AClosedPortSaysConnectionRefused) {
  SmtpNotifier notifier(
      SmtpOptions{.url = absl::StrCat("smtp://127.0.0.1:", testing::FreeLoopbackPort()),
                  .from = "relais@relais.test"});
  DeliveryResult result = notifier.Send({kMarieEmail, "s", "b", "ntf_1"});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.detail, "connect: Connection refused");

  // Header injection through an address is refused before anything is sent.
  result = email_->Send({"a@example.org>\r\nBcc: b@example.org", "s", "b", "ntf_1"});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.detail, "bad address");
  EXPECT_EQ(smtp_.Count(), 0u);
}

TEST_F(OutboxTest, GivesUpAfterFiveAttemptsAtTheRightTimes) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_marie", t0));
  http_.FailNext(100);

  // Attempts at created, +30 s, +2 min, +8 min, +30 min (each delay after the previous one).
  const std::vector<absl::Duration> delays = {absl::ZeroDuration(), absl::Seconds(30),
                                              absl::Minutes(2), absl::Minutes(8),
                                              absl::Minutes(30)};
  std::vector<absl::Time> expected;
  absl::Time at = t0;
  for (size_t i = 0; i < delays.size(); ++i) {
    at += delays[i];
    expected.push_back(at);
    if (i > 0) {
      clock_.Set(at - absl::Seconds(1));
      DispatchAll(*outbox_);
      EXPECT_EQ(http_.Refused(), static_cast<int>(i)) << "early attempt " << i + 1;
    }
    clock_.Set(at);
    DispatchAll(*outbox_);
    EXPECT_EQ(http_.Refused(), static_cast<int>(i + 1)) << "attempt " << i + 1;
  }

  const v1::Notification n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_FAILED);
  ASSERT_EQ(n.attempts_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(FromProtoTime(n.attempts(i).at()), expected[i]) << i;
    EXPECT_FALSE(n.attempts(i).ok());
    EXPECT_EQ(n.attempts(i).detail(), "HTTP 503");
  }
  EXPECT_FALSE(IsDue("ntf_1"));
  EXPECT_EQ(Attempts("webhook", "failed"), 5);
  EXPECT_EQ(CounterValue(metrics_, "relais_notifications_failed_total", {{"channel", "webhook"}}),
            1);

  // One NOTIFICATION_FAILED event, from the commit that gave up.
  EventLog log(*redis_);
  auto events = log.ReadAfter("", 1000);
  ASSERT_TRUE(events.ok()) << events.status();
  std::vector<relais::v1::Event> failed;
  for (const relais::v1::Event& e : *events) {
    if (e.type() == relais::v1::EVENT_TYPE_NOTIFICATION_FAILED) failed.push_back(e);
  }
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].subject_id(), "ntf_1");
  EXPECT_EQ(failed[0].subject_version(), n.version());
  EXPECT_EQ(failed[0].crisis_id(), kCrisis);
  EXPECT_EQ(failed[0].mobilisation_request_id(), kRequest);
  EXPECT_EQ(failed[0].responder_id(), "rsp_marie");
  EXPECT_EQ(failed[0].service(), "mobilisation");
  EXPECT_EQ(failed[0].principal_id(), "system:outbox");
  EXPECT_EQ(FromProtoTime(failed[0].time()), expected.back());

  // Nothing more, ever.
  clock_.Advance(absl::Hours(24));
  DispatchAll(*outbox_);
  EXPECT_EQ(http_.Refused(), 5);
}

TEST_F(OutboxTest, NothingIsSentBeforeItsTime) {
  const absl::Time later = clock_.Now() + absl::Minutes(10);
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", later));
  auto full = outbox_->DispatchDue();
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(contacts_.calls(), 0);
  EXPECT_EQ(Stored("ntf_1").version(), 1);
  clock_.Set(later - absl::Milliseconds(1));
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 0u);
  clock_.Set(later);
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 1u);
}

TEST_F(OutboxTest, TriesTheNextAddressWhenOneIsRefused) {
  contacts_.Set("rsp_anne", {"old@example.org", "anne@example.org", "third@example.org"}, {});
  ScriptedNotifier scripted({"old@example.org"});
  auto outbox = MakeOutbox(*committer_, *redis_, {&scripted}, nullptr);
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_anne", clock_.Now()));
  DispatchAll(*outbox);
  EXPECT_THAT(scripted.tried(), ElementsAre("old@example.org", "anne@example.org"));
  const v1::Notification n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED);
  ASSERT_EQ(n.attempts_size(), 1);
  EXPECT_TRUE(n.attempts(0).ok());
  EXPECT_EQ(n.attempts(0).detail(), "SMTP 550");
}

TEST_F(OutboxTest, AChannelWithoutNotifierFailsVisibly) {
  auto email_only =
      MakeOutbox(*committer_, *redis_, {email_.get()}, nullptr, OutboxOptions{.max_attempts = 2});
  EXPECT_TRUE(email_only->HasChannel(v1::NOTIFICATION_CHANNEL_EMAIL));
  EXPECT_FALSE(email_only->HasChannel(v1::NOTIFICATION_CHANNEL_WEBHOOK));
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_marie", clock_.Now()));
  DispatchAll(*email_only);
  clock_.Advance(absl::Seconds(30));
  DispatchAll(*email_only);
  const v1::Notification n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_FAILED);
  ASSERT_EQ(n.attempts_size(), 2);
  EXPECT_EQ(n.attempts(1).detail(), "channel not configured");
  EXPECT_EQ(contacts_.calls(), 0);
}

TEST_F(OutboxTest, TwoReplicasDeliverEachNotificationOnce) {
  constexpr int kEach = 100;
  const absl::Time t0 = clock_.Now();
  for (int i = 0; i < kEach; ++i) {
    Create(Make(absl::StrCat("ntf_m", i), v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_paul", t0));
    Create(Make(absl::StrCat("ntf_w", i), v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_marie", t0));
  }

  // A second replica: its own connections, committer, notifiers and metrics.
  RedisClient redis_b(OptionsFor(*server_), clock_);
  Committer committer_b(redis_b, CommitOptions{});
  SmtpNotifier email_b(SmtpOptions{.url = smtp_.url(), .from = "relais@relais.test"});
  WebhookNotifier webhook_b(WebhookOptions{.url = http_.url()});
  prometheus::Registry metrics_b;
  const OutboxOptions small_batches{.batch = 16};
  auto a =
      MakeOutbox(*committer_, *redis_, {email_.get(), webhook_.get()}, &metrics_, small_batches);
  auto b = MakeOutbox(committer_b, redis_b, {&email_b, &webhook_b}, &metrics_b, small_batches);

  std::thread ta([&] { DispatchAll(*a); });
  std::thread tb([&] { DispatchAll(*b); });
  ta.join();
  tb.join();

  ASSERT_EQ(smtp_.Count(), static_cast<size_t>(kEach));
  ASSERT_EQ(http_.Count(), static_cast<size_t>(kEach));
  std::multiset<std::string> sent;
  for (const testing::ReceivedMail& mail : smtp_.Messages()) {
    sent.insert(Header(mail.data, "Message-ID"));
  }
  for (const testing::ReceivedRequest& request : http_.Requests()) {
    sent.insert(nlohmann::json::parse(request.body)["notification_id"].get<std::string>());
  }
  for (int i = 0; i < kEach; ++i) {
    EXPECT_EQ(sent.count(absl::StrCat("<ntf_m", i, "@relais.test>")), 1u) << i;
    EXPECT_EQ(sent.count(absl::StrCat("ntf_w", i)), 1u) << i;
    for (const std::string& id : {absl::StrCat("ntf_m", i), absl::StrCat("ntf_w", i)}) {
      const v1::Notification n = Stored(id);
      EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED) << id;
      EXPECT_EQ(n.attempts_size(), 1) << id;
    }
  }
  // Every attempt counted by exactly one replica.
  const auto attempts = [](prometheus::Registry& r, const std::string& channel) {
    return CounterValue(r, "relais_notification_attempts_total",
                        {{"channel", channel}, {"result", "delivered"}});
  };
  EXPECT_EQ(attempts(metrics_, "email") + attempts(metrics_b, "email"), kEach);
  EXPECT_EQ(attempts(metrics_, "webhook") + attempts(metrics_b, "webhook"), kEach);
  // Both replicas took part (logged, not asserted: the split depends on scheduling).
  RecordProperty("replica_a_sent",
                 static_cast<int>(attempts(metrics_, "email") + attempts(metrics_, "webhook")));
  EXPECT_EQ(server_->Command({"ZCARD", "mob:ntf:due"}), "0");
}

TEST_F(OutboxTest, AClaimThatIsNeverRecordedIsRetriedAfterTheLease) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));

  // Replica A claims, then hangs in its send (as if it had died).
  StuckNotifier stuck;
  auto a = MakeOutbox(*committer_, *redis_, {&stuck}, nullptr);
  std::thread ta([&] { EXPECT_TRUE(a->DispatchDue().ok()); });
  ASSERT_TRUE(stuck.entered.WaitForNotificationWithTimeout(kPatience));
  v1::Notification claimed = Stored("ntf_1");
  EXPECT_EQ(claimed.version(), 2);
  EXPECT_EQ(claimed.state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_EQ(FromProtoTime(claimed.next_attempt_at()), t0 + absl::Seconds(60));

  // Replica B leaves it alone while the lease holds...
  DispatchAll(*outbox_);
  clock_.Set(t0 + absl::Seconds(59));
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 0u);
  EXPECT_EQ(Stored("ntf_1").version(), 2);

  // ...and sends it when the lease has passed.
  clock_.Set(t0 + absl::Seconds(60));
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 1u);
  v1::Notification n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(n.version(), 4);

  // A comes back: its record finds the notification changed and writes nothing.
  stuck.release.Notify();
  ta.join();
  n = Stored("ntf_1");
  EXPECT_EQ(n.version(), 4);
  ASSERT_EQ(n.attempts_size(), 1);
  EXPECT_EQ(FromProtoTime(n.attempts(0).at()), t0 + absl::Seconds(60));
}

TEST_F(OutboxTest, NoContactForTheChannelOrNoResponder) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_no_sms", v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_paul", t0));  // no number
  Create(Make("ntf_erased", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_gone", t0));    // NOT_FOUND
  DispatchAll(*outbox_);
  for (const char* id : {"ntf_no_sms", "ntf_erased"}) {
    const v1::Notification n = Stored(id);
    EXPECT_EQ(n.state(), v1::DELIVERY_STATE_NO_CONTACT) << id;
    EXPECT_EQ(n.attempts_size(), 0) << id;
    EXPECT_FALSE(IsDue(id));
  }
  EXPECT_EQ(smtp_.Count() + http_.Count(), 0u);
  EXPECT_EQ(Attempts("webhook", "failed") + Attempts("email", "failed"), 0);
  EXPECT_EQ(CounterValue(metrics_, "relais_notifications_failed_total", {{"channel", "email"}}), 0);
}

TEST_F(OutboxTest, AnUnreachableInventoryDefersWithoutAnAttempt) {
  const absl::Time t0 = clock_.Now();
  for (const char* id : {"ntf_1", "ntf_2", "ntf_3"}) {
    Create(Make(id, v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));
  }
  contacts_.SetDown(true);
  auto full = outbox_->DispatchDue();
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_FALSE(*full);
  // The pass stopped at the first refusal.
  EXPECT_EQ(contacts_.calls(), 1);
  v1::Notification n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_EQ(n.attempts_size(), 0);
  EXPECT_EQ(FromProtoTime(n.next_attempt_at()), t0 + absl::Seconds(30));
  EXPECT_EQ(Stored("ntf_2").version(), 1);

  contacts_.SetDown(false);
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 2u);  // ntf_2 and ntf_3; ntf_1 waits for its time
  clock_.Advance(absl::Seconds(30));
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 3u);
  n = Stored("ntf_1");
  EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_EQ(n.attempts_size(), 1);
}

TEST_F(OutboxTest, NoAddressIsEverStoredInRedis) {
  const absl::Time t0 = clock_.Now();
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));
  Create(Make("ntf_2", v1::NOTIFICATION_CHANNEL_WEBHOOK, "rsp_marie", t0));
  Create(Make("ntf_3", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_paul", t0));
  smtp_.FailNext(1);
  http_.FailNext(1);
  DispatchAll(*outbox_);
  clock_.Advance(absl::Seconds(30));
  DispatchAll(*outbox_);
  ASSERT_EQ(smtp_.Count(), 2u);
  ASSERT_EQ(http_.Count(), 1u);

  const std::string keys = server_->Command({"KEYS", "*"});
  ASSERT_THAT(keys, HasSubstr("mob:ntf:ntf_1"));
  int scanned = 0;
  for (absl::string_view key : absl::StrSplit(keys, '\n', absl::SkipEmpty())) {
    const std::string k(key);
    const std::string type = server_->Command({"TYPE", k});
    std::string dump;
    if (type == "hash") {
      dump = server_->Command({"HGETALL", k});
    } else if (type == "zset") {
      dump = server_->Command({"ZRANGE", k, "0", "-1", "WITHSCORES"});
    } else if (type == "stream") {
      dump = server_->Command({"XRANGE", k, "-", "+"});
    } else if (type == "string") {
      dump = server_->Command({"GET", k});
    } else {
      ADD_FAILURE() << "unexpected key type " << type << " for " << k;
    }
    ++scanned;
    for (const std::string& secret :
         {std::string(kMarieEmail), std::string(kMarieSms), std::string(kPaulEmail),
          std::string("example.org"), std::string("612345678")}) {
      EXPECT_THAT(k + "\n" + dump, Not(HasSubstr(secret))) << k;
    }
  }
  EXPECT_GT(scanned, 5);
}

TEST_F(OutboxTest, ABrokenRecordDoesNotStopTheOthers) {
  const absl::Time t0 = clock_.Now();
  const std::string score = absl::StrCat(absl::ToUnixMillis(t0));
  // A due entry whose notification is gone, and a notification that cannot be read.
  server_->Command({"ZADD", "mob:ntf:due", score, "ntf_orphan"});
  server_->Command({"HSET", "mob:ntf:ntf_bad", "v", "1", "d", "\xff not a proto"});
  server_->Command({"ZADD", "mob:ntf:due", score, "ntf_bad"});
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", t0));

  auto full = outbox_->DispatchDue();
  EXPECT_TRUE(absl::IsInternal(full.status())) << full.status();
  EXPECT_THAT(full.status().message(), HasSubstr("mob:ntf:ntf_bad"));
  EXPECT_EQ(smtp_.Count(), 1u);
  EXPECT_EQ(Stored("ntf_1").state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_FALSE(IsDue("ntf_orphan"));
  EXPECT_TRUE(IsDue("ntf_bad"));  // left for someone to look at, and reported on every pass
}

TEST_F(OutboxTest, RedisDownIsUnavailableAndNothingIsLost) {
  Create(Make("ntf_1", v1::NOTIFICATION_CHANNEL_EMAIL, "rsp_marie", clock_.Now()));
  server_->Stop();
  auto full = outbox_->DispatchDue();
  ASSERT_FALSE(full.ok());
  EXPECT_TRUE(absl::IsUnavailable(full.status())) << full.status();
  EXPECT_TRUE(absl::IsUnavailable(outbox_->ForRequest(kRequest).status()));
  EXPECT_TRUE(absl::IsUnavailable(outbox_->Get("ntf_1").status()));
  EXPECT_EQ(smtp_.Count(), 0u);

  server_->Restart();
  clock_.Advance(absl::Seconds(6));  // past the client's reconnect back-off
  DispatchAll(*outbox_);
  EXPECT_EQ(smtp_.Count(), 1u);
  EXPECT_EQ(Stored("ntf_1").state(), v1::DELIVERY_STATE_DELIVERED);
}

}  // namespace
}  // namespace relais::mobilisation
