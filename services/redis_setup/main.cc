// relais-redis-setup: prepares Redis for the Relais services at deployment (redis_setup.h).
// Run it as an administrative Redis user after Redis starts and before (or while) the services
// run; running it again changes nothing unless the Functions or the ACL table changed.
//
//   relais-redis-setup --redis_port=6390 --redis_username=relais-admin
//       --redis_password_file=.local/secrets/relais-admin.password
//       --passwords_dir=.local/secrets --disable_default_user
//
// Flags (or RELAIS_* environment variables): --redis_host, --redis_port, --redis_username and
// --redis_password_file of the administrative user (services/runtime/config.h), plus the two
// below. Exit status 0 when Redis is ready for the services, 1 otherwise (the reason on stderr).
#include <algorithm>
#include <cstdio>

#include "absl/flags/flag.h"
#include "services/redis_setup/redis_setup.h"
#include "services/runtime/config.h"

ABSL_FLAG(std::string, passwords_dir, "",
          "Folder holding <user>.password for each service's Redis user "
          "(relais-crisis-registry, relais-inventory, relais-mobilisation).");
ABSL_FLAG(bool, disable_default_user, false,
          "Turn Redis's default user off, so that only named users may connect.");

int main(int argc, char** argv) {
  relais::ParseFlagsWithEnvironment(argc, argv);
  const relais::RedisSettings redis = relais::ServerOptionsFromFlags().redis;
  relais::redis_setup::SetupOptions options;
  options.admin.host = redis.host;
  options.admin.port = redis.port;
  options.admin.username = redis.username;
  options.admin.connect_timeout = redis.connect_timeout;
  // Loading a library compiles it: more than a service's command budget.
  options.admin.command_timeout = std::max(redis.command_timeout, absl::Seconds(5));
  if (!redis.password_file.empty()) {
    auto password = relais::ReadSecretFile(redis.password_file);
    if (!password.ok()) {
      std::fprintf(stderr, "relais-redis-setup: redis_password_file: %s\n",
                   std::string(password.status().message()).c_str());
      return 1;
    }
    options.admin.password = *std::move(password);
  }
  options.passwords_dir = absl::GetFlag(FLAGS_passwords_dir);
  options.disable_default_user = absl::GetFlag(FLAGS_disable_default_user);

  auto report = relais::redis_setup::RunSetup(options);
  if (!report.ok()) {
    std::fprintf(stderr, "relais-redis-setup: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("%s\n", relais::redis_setup::DescribeReport(*report).c_str());
  return 0;
}
