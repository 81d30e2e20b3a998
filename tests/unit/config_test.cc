// Configuration: RELAIS_* environment variables set flags, the command line wins over them, and
// a bad value is reported with the variable's name.
#include "services/runtime/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"

// A service-specific flag, as a service main would define one: the environment reaches it too.
ABSL_FLAG(int32_t, config_test_answer, 0, "Only for config_test.");

namespace relais {
namespace {

using ::testing::HasSubstr;

class ConfigTest : public ::testing::Test {
 protected:
  ~ConfigTest() override {
    for (const std::string& name : set_) unsetenv(name.c_str());
  }

  void SetEnv(const std::string& name, const std::string& value) {
    setenv(name.c_str(), value.c_str(), 1);
    set_.push_back(name);
  }

  // Runs ParseFlagsWithEnvironment on a copy of `args` (argv[0] is added).
  std::vector<std::string> Parse(std::vector<std::string> args,
                                 const ServiceDefaults& defaults = {}) {
    args.insert(args.begin(), "config_test");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> positional =
        ParseFlagsWithEnvironment(static_cast<int>(args.size()), argv.data(), defaults);
    return std::vector<std::string>(positional.begin(), positional.end());
  }

 private:
  absl::FlagSaver saver_;  // every test starts from the flag defaults
  std::vector<std::string> set_;
};

TEST_F(ConfigTest, DefaultsAreValid) {
  ServerOptions options = ServerOptionsFromFlags();
  EXPECT_TRUE(ValidateServerOptions(options).ok());
  EXPECT_EQ(options.max_message_bytes, 4 * 1024 * 1024);
  EXPECT_EQ(options.drain_timeout, absl::Seconds(10));
  EXPECT_EQ(options.idempotency_ttl, absl::Hours(168));
  EXPECT_EQ(options.event_log_max_length, 500000);
  EXPECT_THAT(options.metrics_address, HasSubstr("127.0.0.1:"));
  EXPECT_THAT(options.catalogue_path, HasSubstr("catalogue"));
}

TEST_F(ConfigTest, EnvironmentSetsFlags) {
  SetEnv("RELAIS_REDIS_PORT", "6380");
  SetEnv("RELAIS_DRAIN_TIMEOUT", "3s");
  SetEnv("RELAIS_METRICS_ADDRESS", "");  // empty disables the endpoint
  SetEnv("RELAIS_CONFIG_TEST_ANSWER", "42");
  ASSERT_TRUE(ApplyEnvironmentToFlags().ok());
  ServerOptions options = ServerOptionsFromFlags();
  EXPECT_EQ(options.redis.port, 6380);
  EXPECT_EQ(options.drain_timeout, absl::Seconds(3));
  EXPECT_EQ(options.metrics_address, "");
  EXPECT_EQ(absl::GetFlag(FLAGS_config_test_answer), 42);
}

TEST_F(ConfigTest, CommandLineWinsOverEnvironment) {
  SetEnv("RELAIS_REDIS_HOST", "redis-from-env");
  SetEnv("RELAIS_REDIS_PORT", "6390");
  std::vector<std::string> positional =
      Parse({"--redis_host=redis-from-cli", "--executor_threads=3", "extra"});
  ServerOptions options = ServerOptionsFromFlags();
  EXPECT_EQ(options.redis.host, "redis-from-cli");
  EXPECT_EQ(options.redis.port, 6390);
  EXPECT_EQ(options.executor_threads, 3);
  EXPECT_EQ(positional, (std::vector<std::string>{"config_test", "extra"}));
}

TEST_F(ConfigTest, ServiceDefaultsYieldToEnvironmentAndCommandLine) {
  Parse({}, {.listen_address = "127.0.0.1:50052", .metrics_address = "127.0.0.1:9152"});
  EXPECT_EQ(ServerOptionsFromFlags().listen_address, "127.0.0.1:50052");
  EXPECT_EQ(ServerOptionsFromFlags().metrics_address, "127.0.0.1:9152");

  SetEnv("RELAIS_LISTEN_ADDRESS", "0.0.0.0:7000");
  Parse({"--metrics_address="},
        {.listen_address = "127.0.0.1:50052", .metrics_address = "127.0.0.1:9152"});
  EXPECT_EQ(ServerOptionsFromFlags().listen_address, "0.0.0.0:7000");
  EXPECT_EQ(ServerOptionsFromFlags().metrics_address, "");
}

TEST_F(ConfigTest, BadEnvironmentValueIsReportedByName) {
  SetEnv("RELAIS_EXECUTOR_THREADS", "many");
  SetEnv("RELAIS_KEEPALIVE_TIME", "30 parsecs");
  SetEnv("RELAIS_REDIS_PORT", "6381");
  absl::Status status = ApplyEnvironmentToFlags();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("RELAIS_EXECUTOR_THREADS='many'"));
  EXPECT_THAT(status.message(), HasSubstr("RELAIS_KEEPALIVE_TIME"));
  ServerOptions options = ServerOptionsFromFlags();
  EXPECT_EQ(options.executor_threads, ServerOptions().executor_threads);  // left unchanged
  EXPECT_EQ(options.redis.port, 6381);                                    // good ones applied
}

TEST_F(ConfigTest, BadEnvironmentValueExitsWithStatusTwo) {
  SetEnv("RELAIS_EXECUTOR_QUEUE_SIZE", "-x");
  EXPECT_EXIT(Parse({}), ::testing::ExitedWithCode(2), "RELAIS_EXECUTOR_QUEUE_SIZE='-x'");
}

TEST_F(ConfigTest, AbseilOwnFlagsAreNotTakenFromTheEnvironment) {
  SetEnv("RELAIS_FLAGFILE", "/nonexistent/flags");
  ASSERT_TRUE(ApplyEnvironmentToFlags().ok());
  absl::CommandLineFlag* flagfile = absl::FindCommandLineFlag("flagfile");
  ASSERT_NE(flagfile, nullptr);
  EXPECT_EQ(flagfile->CurrentValue(), "");
}

TEST_F(ConfigTest, ValidationNamesTheBadField) {
  ServerOptions options;
  options.executor_threads = 0;
  EXPECT_THAT(ValidateServerOptions(options).message(), HasSubstr("executor_threads"));
  options = ServerOptions();
  options.drain_timeout = absl::ZeroDuration();
  EXPECT_THAT(ValidateServerOptions(options).message(), HasSubstr("drain_timeout"));
}

TEST_F(ConfigTest, ReadsSecretFileWithoutTrailingNewline) {
  char path[] = "/tmp/relais_secret_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "s3cret\n", 7), 7);
  close(fd);
  absl::StatusOr<std::string> secret = ReadSecretFile(path);
  unlink(path);
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "s3cret");
  EXPECT_EQ(ReadSecretFile(path).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace relais
