// Test harness: a real redis-server child process on a free loopback port, with its own data
// folder and AOF on (so Stop/Start keeps the data, like a real restart). The child gets SIGTERM
// if the test process dies, so a crashed test leaves no orphan.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace relais::testing {

class RedisServer {
 public:
  // Starts a server on a free port; aborts the test binary if none can be started.
  static std::unique_ptr<RedisServer> Start();
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
  void FlushAll() const { Command({"FLUSHALL"}); }

 private:
  RedisServer(int port, std::string dir) : port_(port), dir_(std::move(dir)) {}
  bool Launch();

  int port_;
  std::string dir_;
  pid_t pid_ = -1;
};

// A free TCP port on 127.0.0.1 at the time of the call.
int FreeLoopbackPort();

}  // namespace relais::testing
