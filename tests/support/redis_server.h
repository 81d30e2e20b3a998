// Test harness: a real redis-server child process on a free loopback port, with its own data
// folder and AOF on (so Stop/Start keeps the data, like a real restart). The child gets SIGTERM
// if the test process dies, so a crashed test leaves no orphan.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace relais::testing {

class RedisServer {
 public:
  // Starts a server on a free port; aborts the test binary if none can be started.
  static std::unique_ptr<RedisServer> Start();
  // The same, as deployed (issue #6): Redis with an aclfile, prepared by relais-redis-setup run
  // in-process as the default user: the Function libraries loaded and each service's ACL user
  // created (services/runtime/redis/redis_acl.h) with a random password in
  // PasswordFile(user). The default user stays on for the tests' own set-up and checks
  // (Command()). Aborts the test binary if the setup fails.
  static std::unique_ptr<RedisServer> StartWithServiceUsers();
  ~RedisServer();

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  const std::string& data_dir() const { return dir_; }

  // Stops the server (SIGTERM, waits for exit). The port and data folder are kept.
  void Stop();
  // Starts it again on the same port with the same data.
  void Restart();
  bool running() const { return pid_ > 0; }

  // Runs one command on a fresh connection, returns the reply as text (integers in decimal,
  // arrays flattened with '\n'), or "ERR: ..." on error. For test set-up and assertions.
  std::string Command(const std::vector<std::string>& args) const;
  // Keeps the Function libraries and the ACL users.
  void FlushAll() const { Command({"FLUSHALL"}); }

  // Runs relais-redis-setup again (in-process, as the default user), e.g. after FUNCTION FLUSH.
  absl::Status SetUpServiceUsers() const;
  // Whether the server was started by StartWithServiceUsers().
  bool has_service_users() const { return service_users_; }
  // The folder of the service users' password files, and the file of `user`
  // ("relais-inventory"), mode 600.
  std::string secrets_dir() const { return dir_ + "/secrets"; }
  std::string PasswordFile(const std::string& user) const;

 private:
  RedisServer(int port, std::string dir) : port_(port), dir_(std::move(dir)) {}
  bool Launch();
  // Writes a random password for every service user, then runs the setup.
  absl::Status CreateServiceUsers();

  int port_;
  std::string dir_;
  pid_t pid_ = -1;
  // Started with an aclfile (dir_/users.acl) and the service users.
  bool service_users_ = false;
};

// A free TCP port on 127.0.0.1 at the time of the call.
int FreeLoopbackPort();

}  // namespace relais::testing
