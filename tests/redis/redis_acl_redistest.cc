// Each service's Redis ACL user (services/runtime/redis/redis_acl.h) against a real redis-server
// prepared by relais-redis-setup (services/redis_setup/): Redis refuses every command outside a
// service's ACL (another service's keys, FUNCTION, FLUSHALL, CONFIG, KEYS, ACL, writes to the event
// log other than the Functions' XADD...), the service's own calls work, the setup is idempotent
// and reports clear errors, and a wrong password leaves the service UNAVAILABLE without the
// password in any status or log line. That the ACLs are sufficient is shown by the service
// suites, which all run as these users (tests/support/test_service.h).
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/inventory/inventory_functions.h"
#include "services/redis_setup/redis_setup.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/functions_lua.h"
#include "services/runtime/redis/redis_acl.h"
#include "services/runtime/redis/redis_client.h"
#include "tests/support/crisis_requests.h"
#include "tests/support/health_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais {
namespace {

namespace v1 = ::relais::v1;
using ::relais::redis_setup::RunSetup;
using ::relais::redis_setup::SetupOptions;
using ::relais::redis_setup::SetupReport;
using ::relais::testing::RedisServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every user and its rules, as ACL LIST says, in canonical order (Redis lists a user's commands
// in the order they were granted, which a restart does not keep).
std::string Users(const RedisServer& server) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(server.Command({"ACL", "LIST"}), '\n')) {
    std::vector<std::string> words = absl::StrSplit(line, absl::MaxSplits(' ', 2));
    out += absl::StrCat(words.size() > 1 ? words[1] : "?", ": ",
                        redis_setup::CanonicalAclRules(std::string_view(line.data(), line.size())),
                        "\n");
  }
  return out;
}

SetupOptions SetupAsDefaultUser(const RedisServer& server) {
  SetupOptions options;
  options.admin.host = server.host();
  options.admin.port = server.port();
  options.admin.command_timeout = absl::Seconds(5);
  options.passwords_dir = server.secrets_dir();
  return options;
}

class RedisAclTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::StartWithServiceUsers().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->FlushAll(); }

  // A connection as `service`'s Redis user, with its password file.
  std::unique_ptr<RedisClient> As(const std::string& service) {
    const ServiceRedisAcl* acl = FindServiceRedisAcl(service);
    EXPECT_NE(acl, nullptr) << service;
    RedisOptions options;
    options.port = server_->port();
    options.connections = 1;
    options.command_timeout = absl::Seconds(2);
    options.username = acl->user;
    options.password = ReadSecretFile(server_->PasswordFile(acl->user)).value();
    return std::make_unique<RedisClient>(options, clock_);
  }

  // The error text of `args` run as `redis`'s user ("" when Redis ran it).
  static std::string Refusal(RedisClient& redis, const std::vector<std::string>& args) {
    auto reply = redis.Command(args);
    if (!reply.ok()) return "transport: " + reply.status().ToString();
    return reply->is_error() ? reply->str() : "";
  }

  static RedisServer* server_;
  FakeClock clock_;
};

RedisServer* RedisAclTest::server_ = nullptr;

// A relais_commit of one entity `key`, with the idempotency key under `scope`, its event also
// going to the audit trail of crisis crs_1 (kept 400 days).
std::vector<std::string> CommitCall(const std::string& scope, const std::string& key) {
  return {"FCALL",
          "relais_commit",
          "5",
          scope + ":idem:acl-test",
          "relais:events",
          key,
          "relais:audit:log",
          "relais:audit:of:crisis:crs_1",
          "fp",
          "outcome",
          "60000",
          "1000",
          "1",
          "0",
          "1",
          "crs_1",
          "event",
          "0",
          "0",
          "value",
          "0",
          "34560000000",
          "1"};
}

TEST(RedisAclTable, EveryServiceStartsFromNothingAndNeverAdministers) {
  ASSERT_EQ(ServiceRedisAcls().size(), 3u);
  EXPECT_EQ(FindServiceRedisAcl("gateway"), nullptr);  // the gateway has no Redis
  const std::vector<std::string> forbidden = {
      "+@all",      "+function", "+flushall", "+flushdb", "+config",   "+keys",    "+debug",
      "+acl",       "+eval",     "+evalsha",  "+script",  "+shutdown", "+monitor", "+module",
      "+replicaof", "+client",   "+save",     "+bgsave",  "+migrate",  "+restore"};
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    const std::string rules = AclRulesText(acl);
    EXPECT_THAT(rules, StartsWith("-@all ")) << acl.service;
    for (absl::string_view word : absl::StrSplit(rules, ' ')) {
      const std::string bare(absl::StripPrefix(word, "("));
      for (const std::string& f : forbidden) EXPECT_NE(bare, f) << acl.service << ": " << rules;
      EXPECT_NE(bare, "~*") << acl.service;
    }
    EXPECT_THAT(acl.user, StartsWith("relais-"));
  }
  EXPECT_THAT(FindServiceRedisAcl("crisis_registry")->key_patterns, ElementsAre("~crisis:*"));
  EXPECT_THAT(FindServiceRedisAcl("inventory")->key_patterns, ElementsAre("~inv:*"));
  EXPECT_THAT(FindServiceRedisAcl("mobilisation")->key_patterns, ElementsAre("~mob:*"));
  // The password travels as its SHA-256 only.
  const std::vector<std::string> rules =
      AclSetUserRules(*FindServiceRedisAcl("inventory"), std::string(64, 'a'));
  EXPECT_THAT(rules, ::testing::Contains("#" + std::string(64, 'a')));
  EXPECT_EQ(rules.front(), "reset");
}

TEST_F(RedisAclTest, EachServiceIsRefusedOutsideItsAcl) {
  // Keys that belong to someone else, set up by the default user.
  ASSERT_EQ(server_->Command({"HSET", "inv:org:x", "v", "1", "d", "org"}), "2");
  ASSERT_EQ(server_->Command({"HSET", "crisis:c:x", "v", "1", "d", "crisis"}), "2");
  ASSERT_EQ(server_->Command({"HSET", "mob:req:x", "v", "1", "d", "request"}), "2");
  ASSERT_THAT(server_->Command({"XADD", "relais:events", "*", "t", "1"}), Not(StartsWith("ERR")));
  const std::string registry_library(RelaisFunctionsSource());

  struct Case {
    std::string service;
    std::vector<std::vector<std::string>> refused;
  };
  const std::vector<std::vector<std::string>> everyone = {
      {"FUNCTION", "LOAD", "REPLACE", registry_library},
      {"FUNCTION", "FLUSH"},
      {"FUNCTION", "DELETE", "relais_runtime"},
      {"FLUSHALL"},
      {"FLUSHDB"},
      {"CONFIG", "SET", "appendonly", "no"},
      {"CONFIG", "GET", "requirepass"},
      {"KEYS", "*"},
      {"ACL", "LIST"},
      {"ACL", "SETUSER", "intruder", "on", "nopass", "+@all", "~*"},
      {"EVAL", "return redis.call('FLUSHALL')", "0"},
      {"DEL", "relais:events"},
      {"XTRIM", "relais:events", "MAXLEN", "0"},
      {"XDEL", "relais:events", "0-1"},
      // The audit trail: appended and trimmed by age inside the Functions only.
      {"DEL", "relais:audit:log"},
      {"XDEL", "relais:audit:log", "0-1"},
      {"ZREM", "relais:audit:of:crisis:x", "1"},
      {"HSET", "relais:audit:of:crisis:x", "a", "b"},
      {"HSET", "relais:events", "a", "b"},
      {"SET", "relais:events", "x"},
  };
  const std::vector<Case> cases = {
      {"crisis_registry",
       {{"HGET", "inv:org:x", "d"},
        {"HMGET", "mob:req:x", "v", "d"},
        {"DEL", "inv:org:x"},
        {"SET", "crisis:c:y", "x"},                // its own key, but SET is not a command it needs
        {"XRANGE", "relais:events", "-", "+"},     // it never reads the log
        {"XRANGE", "relais:audit:log", "-", "+"},  // nor the audit trail
        {"ZREVRANGEBYLEX", "relais:audit:of:crisis:x", "+", "-"},
        {"XADD", "crisis:stream", "*", "a", "b"},
        CommitCall("inv", "inv:org:y")}},
      {"inventory",
       {{"HMGET", "crisis:c:x", "v", "d"},
        {"HGET", "mob:req:x", "d"},
        {"ZRANGE", "crisis:idx:all", "0", "-1"},
        {"XREAD", "COUNT", "1", "STREAMS", "relais:events", "0"},  // not a command it needs
        CommitCall("crisis", "crisis:c:y")}},
      {"mobilisation",
       // Talks to the registry and the inventory over gRPC only: none of their keys.
       {{"HMGET", "crisis:c:x", "v", "d"},
        {"HMGET", "inv:org:x", "v", "d"},
        {"HGET", "inv:rsp:x", "d"},
        {"ZRANGE", "inv:idx:org:all", "0", "-1"},
        {"SCAN", "0", "MATCH", "inv:*"},
        {"XRANGE", "relais:audit:log", "-", "+"},  // the inventory serves the trail
        CommitCall("inv", "inv:hld:y")}},
  };
  for (const Case& c : cases) {
    auto redis = As(c.service);
    std::vector<std::vector<std::string>> refused = everyone;
    refused.insert(refused.end(), c.refused.begin(), c.refused.end());
    for (const auto& args : refused) {
      const std::string error = Refusal(*redis, args);
      EXPECT_THAT(error, StartsWith("NOPERM"))
          << c.service << " ran " << args[0] << " " << (args.size() > 1 ? args[1] : "");
    }
  }
  // The registry and the mobilisation service may call the trail's reader, but not read the trail
  // through it: Redis refuses its first read of the log.
  for (const char* service : {"crisis_registry", "mobilisation"}) {
    EXPECT_THAT(Refusal(*As(service), {"FCALL_RO", "relais_audit_page", "2", "relais:audit:log",
                                       "relais:audit:of:crisis:x", "", "1"}),
                HasSubstr("The user executing the script can't"))
        << service;
  }
  // Nothing was touched.
  EXPECT_EQ(server_->Command({"HGET", "inv:org:x", "d"}), "org");
  EXPECT_EQ(server_->Command({"XLEN", "relais:events"}), "1");
  EXPECT_EQ(server_->Command({"EXISTS", "crisis:c:y", "inv:org:y", "inv:hld:y"}), "0");
  EXPECT_THAT(server_->Command({"FUNCTION", "LIST"}), HasSubstr("relais_inventory"));
  EXPECT_THAT(server_->Command({"ACL", "LIST"}), Not(HasSubstr("intruder")));
}

TEST_F(RedisAclTest, DangerousCommandsAreRefusedToEveryService) {
  // Asked with ACL DRYRUN: Redis says whether the user may run them, without running them.
  const std::vector<std::vector<std::string>> dangerous = {
      {"SHUTDOWN", "NOSAVE"},
      {"DEBUG", "SLEEP", "0"},
      {"MONITOR"},
      {"REPLICAOF", "NO", "ONE"},
      {"MODULE", "LIST"},
      {"CLIENT", "KILL", "ID", "1"},
      {"SAVE"},
      {"BGREWRITEAOF"},
      {"SCRIPT", "FLUSH"},
      {"SUBSCRIBE", "x"},
      {"PUBLISH", "x", "y"},
      {"RESTORE", "crisis:c:z", "0", "x"},
      {"MIGRATE", "h", "1", "crisis:c:x", "0", "1"},
      {"SWAPDB", "0", "1"},
      {"RENAME", "crisis:c:x", "crisis:c:z"},
      {"OBJECT", "ENCODING", "inv:x"}};
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    for (const auto& args : dangerous) {
      std::vector<std::string> dryrun = {"ACL", "DRYRUN", acl.user};
      dryrun.insert(dryrun.end(), args.begin(), args.end());
      EXPECT_THAT(server_->Command(dryrun), HasSubstr("no permissions"))
          << acl.user << " may run " << args[0];
    }
  }
}

TEST_F(RedisAclTest, EachServiceMayRunItsOwnCalls) {
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    auto redis = As(acl.service);
    const std::string prefix = acl.key_patterns[0].substr(1, acl.key_patterns[0].size() - 2);
    EXPECT_EQ(Refusal(*redis, {"PING"}), "") << acl.service;
    EXPECT_EQ(Refusal(*redis, {"FCALL_RO", "relais_runtime_version", "0"}), "") << acl.service;
    EXPECT_EQ(Refusal(*redis, {"HMGET", prefix + "x", "v", "d"}), "") << acl.service;
    // The generic commit, with its event appended to the log, as the service's user.
    EXPECT_EQ(Refusal(*redis, CommitCall(prefix.substr(0, prefix.size() - 1), prefix + "acl")), "")
        << acl.service;
    // Its readiness check, as the service runs it.
    Committer committer(*redis, CommitOptions{});
    if (acl.service == "inventory") committer.AddLibrary(InventoryFunctionsSource());
    EXPECT_TRUE(committer.CheckReady().ok()) << acl.service << committer.CheckReady();
  }
  EXPECT_EQ(server_->Command({"XLEN", "relais:events"}), "3");
  EXPECT_EQ(server_->Command({"XLEN", "relais:audit:log"}), "3");
  EXPECT_EQ(server_->Command({"ZCARD", "relais:audit:of:crisis:crs_1"}), "3");
  auto inventory = As("inventory");
  // The inventory serves the trail, as relais_audit_page reads it.
  EXPECT_EQ(Refusal(*inventory, {"FCALL_RO", "relais_audit_page", "2", "relais:audit:log",
                                 "relais:audit:of:crisis:crs_1", "", "10"}),
            "");
  EXPECT_EQ(Refusal(*inventory, {"SCAN", "0", "MATCH", "inv:rsp:*"}), "");
  EXPECT_EQ(Refusal(*inventory, {"XRANGE", "relais:events", "-", "+", "COUNT", "1"}), "");
  EXPECT_EQ(Refusal(*inventory, {"FCALL_RO", "relais_inventory_version", "0"}), "");
  auto mobilisation = As("mobilisation");
  EXPECT_EQ(Refusal(*mobilisation, {"XREAD", "COUNT", "1", "STREAMS", "relais:events", "0"}), "");
  EXPECT_EQ(Refusal(*mobilisation, {"XINFO", "STREAM", "relais:events"}), "");
  EXPECT_EQ(Refusal(*mobilisation, {"ZADD", "mob:todo", "1", "step"}), "");
}

TEST_F(RedisAclTest, TheSetupIsIdempotent) {
  const std::string aclfile = server_->data_dir() + "/users.acl";
  const std::string users = Users(*server_);
  const std::string functions = server_->Command({"FUNCTION", "LIST", "WITHCODE"});
  const std::string saved = FileText(aclfile);
  ASSERT_THAT(saved, HasSubstr("user relais-inventory"));
  // Only hashes in the aclfile: no password.
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    EXPECT_THAT(saved, Not(HasSubstr(ReadSecretFile(server_->PasswordFile(acl.user)).value())));
  }

  auto again = RunSetup(SetupAsDefaultUser(*server_));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->Changed()) << redis_setup::DescribeReport(*again);
  EXPECT_THAT(again->libraries_unchanged, ElementsAre("relais_runtime", "relais_inventory"));
  EXPECT_EQ(again->users_unchanged.size(), 3u);
  EXPECT_EQ(again->aclfile, aclfile);
  EXPECT_FALSE(again->acl_saved);
  EXPECT_EQ(Users(*server_), users);
  EXPECT_EQ(server_->Command({"FUNCTION", "LIST", "WITHCODE"}), functions);
  EXPECT_EQ(FileText(aclfile), saved);
}

TEST_F(RedisAclTest, TheSetupPutsBackWhatDriftedAndSavesIt) {
  const std::string users = Users(*server_);
  ASSERT_EQ(server_->Command({"ACL", "SETUSER", "relais-inventory", "+flushall", "~*"}), "OK");
  ASSERT_EQ(server_->Command({"FUNCTION", "DELETE", "relais_inventory"}), "OK");

  auto report = RunSetup(SetupAsDefaultUser(*server_));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->libraries_loaded, ElementsAre("relais_inventory"));
  EXPECT_THAT(report->users_updated, ElementsAre("relais-inventory"));
  EXPECT_THAT(report->users_created, IsEmpty());
  EXPECT_TRUE(report->acl_saved);
  EXPECT_EQ(Users(*server_), users);
  EXPECT_THAT(Refusal(*As("inventory"), {"FLUSHALL"}), StartsWith("NOPERM"));
  // What it printed names users and libraries, never a password.
  const std::string text = redis_setup::DescribeReport(*report);
  EXPECT_THAT(text, HasSubstr("user relais-inventory: updated"));
  EXPECT_THAT(text,
              Not(HasSubstr(ReadSecretFile(server_->PasswordFile("relais-inventory")).value())));

  // The users survive a restart of Redis (the aclfile), the Functions too (the AOF).
  server_->Restart();
  EXPECT_EQ(Users(*server_), users);
  EXPECT_EQ(Refusal(*As("inventory"), {"FCALL_RO", "relais_inventory_version", "0"}), "");
  // Redis lists the reloaded users' commands in another order: still nothing to change.
  auto after_restart = RunSetup(SetupAsDefaultUser(*server_));
  ASSERT_TRUE(after_restart.ok()) << after_restart.status();
  EXPECT_FALSE(after_restart->Changed()) << redis_setup::DescribeReport(*after_restart);
}

TEST_F(RedisAclTest, ANewPasswordReplacesTheOldOne) {
  const std::string file = server_->PasswordFile("relais-mobilisation");
  const std::string old_password = ReadSecretFile(file).value();
  const std::string new_password = "rotated-password-0123456789";
  std::ofstream(file) << new_password;
  auto report = RunSetup(SetupAsDefaultUser(*server_));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->users_updated, ElementsAre("relais-mobilisation"));
  EXPECT_EQ(Refusal(*As("mobilisation"), {"PING"}), "");
  RedisOptions old_options;
  old_options.port = server_->port();
  old_options.username = "relais-mobilisation";
  old_options.password = old_password;
  RedisClient old_client(old_options, clock_);
  auto refused = old_client.Command({"PING"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(refused.status().message(), HasSubstr("WRONGPASS"));
  EXPECT_THAT(refused.status().message(), Not(HasSubstr(old_password)));
  std::ofstream(file) << old_password;
  ASSERT_TRUE(RunSetup(SetupAsDefaultUser(*server_)).ok());
}

TEST_F(RedisAclTest, TheSetupSaysWhyItCannotRun) {
  SetupOptions options = SetupAsDefaultUser(*server_);
  const std::string users = Users(*server_);

  SetupOptions nowhere = options;
  nowhere.admin.port = testing::FreeLoopbackPort();
  auto unreachable = RunSetup(nowhere);
  EXPECT_EQ(unreachable.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(unreachable.status().message(), HasSubstr("cannot reach Redis"));

  SetupOptions wrong = options;
  wrong.admin.username = "relais-inventory";
  wrong.admin.password = "not-the-password-1234";
  auto refused = RunSetup(wrong);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("relais-inventory"));
  EXPECT_THAT(refused.status().message(), Not(HasSubstr("not-the-password-1234")));

  // A service's user is not an administrator.
  SetupOptions service = options;
  service.admin.username = "relais-inventory";
  service.admin.password = ReadSecretFile(server_->PasswordFile("relais-inventory")).value();
  auto not_admin = RunSetup(service);
  EXPECT_EQ(not_admin.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(not_admin.status().message(), HasSubstr("NOPERM"));
  EXPECT_THAT(not_admin.status().message(), Not(HasSubstr(service.admin.password)));

  SetupOptions no_passwords = options;
  no_passwords.passwords_dir = server_->data_dir() + "/nowhere";
  auto missing = RunSetup(no_passwords);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("relais-crisis-registry.password"));

  SetupOptions lock_out = options;
  lock_out.disable_default_user = true;
  auto as_default = RunSetup(lock_out);
  EXPECT_EQ(as_default.status().code(), absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(Users(*server_), users);  // none of these changed anything
}

TEST(RedisAclSetup, AnAdministratorTurnsTheDefaultUserOff) {
  auto server = RedisServer::StartWithServiceUsers();
  const std::string admin_password = "admin-password-0123456789";
  ASSERT_EQ(server->Command({"ACL", "SETUSER", "relais-admin", "on", ">" + admin_password, "~*",
                             "&*", "+@all"}),
            "OK");
  SetupOptions options = SetupAsDefaultUser(*server);
  options.admin.username = "relais-admin";
  options.admin.password = admin_password;
  options.disable_default_user = true;
  auto report = RunSetup(options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->default_user_turned_off);
  EXPECT_TRUE(report->acl_saved);
  EXPECT_THAT(server->Command({"PING"}), StartsWith("ERR: NOAUTH"));
  auto again = RunSetup(options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->Changed()) << redis_setup::DescribeReport(*again);
}

TEST(RedisAclService, AWrongPasswordIsUnavailableAndNeverShown) {
  auto server = RedisServer::StartWithServiceUsers();
  const std::string real = ReadSecretFile(server->PasswordFile("relais-crisis-registry")).value();
  const std::string wrong = "wrong-password-s3cr3t-4242";
  const std::string wrong_file = server->data_dir() + "/wrong.password";
  std::ofstream(wrong_file) << wrong << "\n";
  ServerOptions options = testing::TestServiceOptions(*server, "crisis_registry");
  options.redis.password_file = wrong_file;
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log, /*force_flush=*/true);
  ServiceHostSeams seams;
  seams.log_sink = sink;
  FakeClock clock;
  SequentialIdGenerator ids;
  auto service = crisis::CrisisRegistryServer::Create(options, clock, ids, std::move(seams));
  ASSERT_TRUE(service.ok()) << service.status();
  ASSERT_TRUE((*service)->Start().ok());  // started, not serving
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*service)->port()),
                                     grpc::InsecureChannelCredentials());
  EXPECT_EQ(testing::HealthStatus(channel, ""), 2);  // NOT_SERVING
  auto stub = v1::CrisisRegistry::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("x-relais-principal", "coord-1");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::Crisis crisis;
  grpc::Status status =
      stub->DeclareCrisis(&context, testing::CholeraAbroad("r-1", clock.Now()), &crisis);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), Not(HasSubstr(wrong)));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(real)));
  (*service)->host().Shutdown();
  const std::string lines = log.str();
  EXPECT_THAT(lines, HasSubstr("WRONGPASS"));  // the probe's reason is logged...
  EXPECT_THAT(lines, Not(HasSubstr(wrong)));   // ...never the password
  EXPECT_THAT(lines, Not(HasSubstr(real)));
  EXPECT_EQ(server->Command({"EXISTS", "relais:events"}), "0");
}

}  // namespace
}  // namespace relais
