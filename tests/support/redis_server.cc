#include "tests/support/redis_server.h"

#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "services/redis_setup/redis_setup.h"
#include "services/runtime/redis/redis_acl.h"

namespace relais::testing {
namespace {

std::string RedisServerBinary() {
  if (const char* env = std::getenv("RELAIS_REDIS_SERVER")) return env;
  for (const char* path : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "redis-server";
}

std::string ReplyText(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ERROR:
      return "ERR: " + std::string(r->str, r->len);
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        if (i) out += '\n';
        out += ReplyText(r->element[i]);
      }
      return out;
    }
    default:
      return std::string(r->str, r->len);
  }
}

}  // namespace

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::unique_ptr<RedisServer> RedisServer::Start() {
  for (int attempt = 0; attempt < 5; ++attempt) {
    char tmpl[] = "/tmp/relais-redis-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) break;
    int port = FreeLoopbackPort();
    if (port <= 0) continue;
    std::unique_ptr<RedisServer> server(new RedisServer(port, tmpl));
    if (server->Launch()) return server;
    std::filesystem::remove_all(tmpl);
  }
  std::fprintf(stderr, "tests: could not start redis-server\n");
  std::abort();
}

std::unique_ptr<RedisServer> RedisServer::StartWithServiceUsers() {
  for (int attempt = 0; attempt < 5; ++attempt) {
    char tmpl[] = "/tmp/relais-redis-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) break;
    int port = FreeLoopbackPort();
    if (port <= 0) continue;
    std::unique_ptr<RedisServer> server(new RedisServer(port, tmpl));
    server->service_users_ = true;
    // Redis refuses to start with an aclfile that does not exist.
    std::ofstream(server->dir_ + "/users.acl").close();
    if (server->Launch()) {
      if (absl::Status set_up = server->CreateServiceUsers(); !set_up.ok()) {
        std::fprintf(stderr, "tests: relais-redis-setup failed: %s\n", set_up.ToString().c_str());
        std::abort();
      }
      return server;
    }
    std::filesystem::remove_all(tmpl);
  }
  std::fprintf(stderr, "tests: could not start redis-server\n");
  std::abort();
}

std::string RedisServer::PasswordFile(const std::string& user) const {
  return secrets_dir() + "/" + user + ".password";
}

absl::Status RedisServer::CreateServiceUsers() {
  std::filesystem::create_directories(secrets_dir());
  std::filesystem::permissions(secrets_dir(), std::filesystem::perms::owner_all);
  std::random_device entropy;
  static constexpr char kHex[] = "0123456789abcdef";
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    std::string password;
    for (int i = 0; i < 32; ++i) password.push_back(kHex[entropy() % 16]);
    const std::string path = PasswordFile(acl.user);
    std::ofstream(path) << password << "\n";
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  return SetUpServiceUsers();
}

absl::Status RedisServer::SetUpServiceUsers() const {
  redis_setup::SetupOptions options;
  options.admin.host = host();
  options.admin.port = port_;
  options.admin.command_timeout = absl::Seconds(5);
  options.admin.connect_timeout = absl::Seconds(1);
  options.passwords_dir = secrets_dir();
  auto report = redis_setup::RunSetup(options);
  return report.ok() ? absl::OkStatus() : report.status();
}

bool RedisServer::Launch() {
  const std::string binary = RedisServerBinary();
  const std::string port = std::to_string(port_);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
    std::vector<std::string> args = {
        binary, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
        "--appendfsync", "everysec", "--dir", dir_, "--daemonize", "no", "--logfile",
        dir_ + "/redis.log",
        // As deploy/local/run.sh configures it (compact hashes), so benchmarks measure that.
        "--hash-max-listpack-value", "1024"};
    if (service_users_) {
      // ACL SAVE writes the users there, so that Restart() keeps them, like a deployment.
      args.push_back("--aclfile");
      args.push_back(dir_ + "/users.acl");
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    execvp(binary.c_str(), argv.data());
    _exit(127);
  }
  if (pid < 0) return false;
  pid_ = pid;
  // Wait until it answers PING: readiness of an external process, bounded to 10 s.
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (Command({"PING"}) == "PONG") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Stop();
  return false;
}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RedisServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisServer::Restart() {
  Stop();
  if (!Launch()) {
    std::fprintf(stderr, "tests: could not restart redis-server on port %d\n", port_);
    std::abort();
  }
}

std::string RedisServer::Command(const std::vector<std::string>& args) const {
  timeval timeout{1, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, timeout);
  if (c == nullptr || c->err) {
    std::string err = c ? c->errstr : "no context";
    if (c) redisFree(c);
    return "ERR: connect: " + err;
  }
  redisSetTimeout(c, timeval{5, 0});
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  std::string out = reply ? ReplyText(reply) : "ERR: io: " + std::string(c->errstr);
  if (reply) freeReplyObject(reply);
  redisFree(c);
  return out;
}

}  // namespace relais::testing
