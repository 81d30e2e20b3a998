#include "services/runtime/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace relais {
namespace {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

std::string ContextError(const redisContext* context) {
  return context->errstr[0] != '\0' ? std::string(context->errstr) : "connection lost";
}

// hiredis reports a socket timeout as an I/O error with errno EAGAIN.
bool IsTimeout(const redisContext* context, int saved_errno) {
  return context->err == REDIS_ERR_IO &&
         (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK ||
          absl::StrContains(context->errstr, "temporarily unavailable"));
}

}  // namespace

Reply Reply::Integer(int64_t value) {
  Reply r;
  r.type_ = Type::kInteger;
  r.integer_ = value;
  return r;
}

Reply Reply::String(std::string value) {
  Reply r;
  r.type_ = Type::kString;
  r.str_ = std::move(value);
  return r;
}

Reply Reply::Status(std::string value) {
  Reply r;
  r.type_ = Type::kStatus;
  r.str_ = std::move(value);
  return r;
}

Reply Reply::Error(std::string message) {
  Reply r;
  r.type_ = Type::kError;
  r.str_ = std::move(message);
  return r;
}

Reply Reply::Array(std::vector<Reply> elements) {
  Reply r;
  r.type_ = Type::kArray;
  r.elements_ = std::move(elements);
  return r;
}

Reply Reply::FromHiredis(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_NIL:
      return Nil();
    case REDIS_REPLY_INTEGER:
      return Integer(reply.integer);
    case REDIS_REPLY_STRING:
      return String(std::string(reply.str, reply.len));
    case REDIS_REPLY_STATUS:
      return Status(std::string(reply.str, reply.len));
    case REDIS_REPLY_ERROR:
      return Error(std::string(reply.str, reply.len));
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i)
        elements.push_back(FromHiredis(*reply.element[i]));
      return Array(std::move(elements));
    }
    default:
      return Error(absl::StrCat("RELAIS_CLIENT unexpected reply type ", reply.type));
  }
}

absl::Status ErrorReplyToStatus(const Reply& error) {
  static constexpr std::string_view kTransient[] = {"LOADING ",    "BUSY ",     "TRYAGAIN ",
                                                    "MASTERDOWN ", "READONLY ", "CLUSTERDOWN ",
                                                    "NOREPLICAS ", "OOM ",      "MISCONF "};
  const std::string& text = error.str();
  for (std::string_view prefix : kTransient) {
    if (absl::StartsWith(text, absl::string_view(prefix.data(), prefix.size()))) {
      return absl::UnavailableError(absl::StrCat("redis: ", text));
    }
  }
  return absl::InternalError(absl::StrCat("redis: ", text));
}

RedisClient::RedisClient(RedisOptions options, const Clock& clock, RedisObserver* observer)
    : options_(std::move(options)),
      clock_(clock),
      observer_(observer),
      free_slots_(std::max(1, options_.connections)),
      next_backoff_(options_.backoff_min) {
  // hiredis writes with write(2), not send(MSG_NOSIGNAL): writing to a connection the server has
  // reset would kill the process with SIGPIPE. Left alone if the process installed a handler.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
}

RedisClient::~RedisClient() {
  absl::MutexLock lock(&mu_);
  for (Connection& c : idle_) redisFree(c.context);
  idle_.clear();
}

void RedisClient::Report(std::string_view kind) {
  if (observer_ != nullptr) observer_->OnCommandError(kind);
}

absl::StatusOr<RedisClient::Connection> RedisClient::Acquire() {
  Connection connection;
  std::vector<redisContext*> stale;
  std::string_view refusal;
  {
    absl::MutexLock lock(&mu_);
    const auto in_backoff = [this]() { return down_ && clock_.Now() < retry_at_; };
    const auto has_free_slot = [](int* free_slots) { return *free_slots > 0; };
    if (in_backoff()) {
      refusal = "reconnecting";
    } else if (!mu_.AwaitWithTimeout(absl::Condition(+has_free_slot, &free_slots_),
                                     options_.command_timeout)) {
      refusal = "pool_exhausted";
    } else if (in_backoff()) {
      refusal = "reconnecting";
    } else {
      --free_slots_;
      while (!idle_.empty()) {
        Connection candidate = idle_.back();
        idle_.pop_back();
        if (candidate.epoch == epoch_) {
          connection = candidate;
          break;
        }
        stale.push_back(candidate.context);
      }
    }
  }
  for (redisContext* c : stale) redisFree(c);
  if (refusal == "reconnecting") {
    Report(refusal);
    return absl::UnavailableError("redis: reconnecting");
  }
  if (refusal == "pool_exhausted") {
    Report(refusal);
    return absl::UnavailableError("redis: no free connection");
  }
  if (connection.context != nullptr) return connection;

  auto context = Connect();
  if (!context.ok()) return context.status();
  connection.context = *context;
  bool reconnected = false;
  {
    absl::MutexLock lock(&mu_);
    reconnected = down_;
    down_ = false;
    next_backoff_ = options_.backoff_min;
    connection.epoch = epoch_;
  }
  if (reconnected && observer_ != nullptr) observer_->OnReconnect();
  return connection;
}

absl::StatusOr<redisContext*> RedisClient::Connect() {
  redisContext* context = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                  absl::ToTimeval(options_.connect_timeout));
  if (context == nullptr) return FailConnect("connect", "redis: cannot connect: out of memory");
  if (context->err != 0) {
    std::string message = absl::StrCat("redis: cannot connect: ", ContextError(context));
    redisFree(context);
    return FailConnect("connect", std::move(message));
  }
  if (redisSetTimeout(context, absl::ToTimeval(options_.command_timeout)) != REDIS_OK) {
    std::string message = absl::StrCat("redis: cannot set timeout: ", ContextError(context));
    redisFree(context);
    return FailConnect("connect", std::move(message));
  }
  if (!options_.password.empty()) {
    std::vector<const char*> argv = {"AUTH"};
    std::vector<size_t> lens = {4};
    if (!options_.username.empty()) {
      argv.push_back(options_.username.data());
      lens.push_back(options_.username.size());
    }
    argv.push_back(options_.password.data());
    lens.push_back(options_.password.size());
    ReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lens.data())));
    std::string problem;
    if (reply == nullptr) {
      problem = absl::StrCat("redis: AUTH failed: ", ContextError(context));
    } else if (reply->type == REDIS_REPLY_ERROR) {
      // The server's text names no secret ("WRONGPASS invalid username-password pair ...").
      problem = absl::StrCat("redis: AUTH refused: ", std::string(reply->str, reply->len));
    }
    if (!problem.empty()) {
      redisFree(context);
      return FailConnect("auth", std::move(problem));
    }
  }
  return context;
}

absl::Status RedisClient::FailConnect(std::string_view kind, std::string message) {
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_.Now();
    // Several callers may fail at once after the same back-off: extend it only once.
    if (!down_ || now >= retry_at_) {
      ++epoch_;
      down_ = true;
      retry_at_ = now + next_backoff_;
      next_backoff_ = std::min(next_backoff_ * 2, options_.backoff_max);
    }
    ++free_slots_;
  }
  Report(kind);
  return absl::UnavailableError(std::move(message));
}

absl::Status RedisClient::Fail(Connection& connection, std::string_view kind, std::string message) {
  redisFree(connection.context);
  connection.context = nullptr;
  {
    absl::MutexLock lock(&mu_);
    // Only the first failure of an epoch starts the back-off: the other connections of that
    // epoch failing right after is the same outage.
    if (connection.epoch == epoch_) {
      ++epoch_;
      if (!down_) {
        down_ = true;
        next_backoff_ = options_.backoff_min;
      }
      retry_at_ = clock_.Now() + next_backoff_;
      next_backoff_ = std::min(next_backoff_ * 2, options_.backoff_max);
    }
    ++free_slots_;
  }
  Report(kind);
  return absl::UnavailableError(std::move(message));
}

void RedisClient::Release(Connection connection) {
  bool keep = false;
  {
    absl::MutexLock lock(&mu_);
    keep = connection.context != nullptr && connection.epoch == epoch_;
    if (keep) idle_.push_back(connection);
    ++free_slots_;
  }
  if (!keep && connection.context != nullptr) redisFree(connection.context);
}

absl::StatusOr<Reply> RedisClient::Command(const std::vector<std::string>& args) {
  auto replies = Run({&args});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<Reply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& cmds) {
  std::vector<const std::vector<std::string>*> pointers;
  pointers.reserve(cmds.size());
  for (const auto& cmd : cmds) pointers.push_back(&cmd);
  return Run(pointers);
}

absl::StatusOr<std::vector<Reply>> RedisClient::Run(
    const std::vector<const std::vector<std::string>*>& cmds) {
  if (cmds.empty()) return std::vector<Reply>();
  for (const auto* cmd : cmds) {
    if (cmd->empty()) return absl::InvalidArgumentError("redis: empty command");
  }
  auto connection = Acquire();
  if (!connection.ok()) return connection.status();
  redisContext* context = connection->context;

  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto* cmd : cmds) {
    argv.clear();
    lens.clear();
    for (const std::string& arg : *cmd) {
      argv.push_back(arg.data());
      lens.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lens.data()) !=
        REDIS_OK) {
      return Fail(*connection, "io", absl::StrCat("redis: ", ContextError(context)));
    }
  }
  std::vector<Reply> replies;
  replies.reserve(cmds.size());
  for (size_t i = 0; i < cmds.size(); ++i) {
    void* raw = nullptr;
    errno = 0;
    const int rc = redisGetReply(context, &raw);
    const int saved_errno = errno;
    ReplyPtr reply(static_cast<redisReply*>(raw));
    if (rc != REDIS_OK || reply == nullptr) {
      if (IsTimeout(context, saved_errno)) {
        return Fail(*connection, "timeout", "redis: timeout");
      }
      return Fail(*connection, "io", absl::StrCat("redis: ", ContextError(context)));
    }
    replies.push_back(Reply::FromHiredis(*reply));
  }
  Release(*std::move(connection));
  return replies;
}

absl::Status RedisClient::Ping() {
  auto reply = Command({"PING"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::UnavailableError(absl::StrCat("redis: ", reply->str()));
  if (reply->str() != "PONG") {
    return absl::UnavailableError(absl::StrCat("redis: unexpected PING reply: ", reply->str()));
  }
  return absl::OkStatus();
}

}  // namespace relais
