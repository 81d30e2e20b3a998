// Blocking, thread-safe access to one Redis server through a small pool of synchronous hiredis
// connections. Call it from worker threads only, never from a gRPC reactor: every call may wait
// up to the configured timeouts.
//
// Failure model: a Redis error reply is data (Reply::is_error()) that the caller maps; a transport
// problem (cannot connect, I/O error, timeout, no free connection) is an UNAVAILABLE status whose
// message starts with "redis: ". After a transport problem the whole pool backs off: calls fail
// fast with "redis: reconnecting" until the injected clock passes the back-off, then the next call
// tries to connect again. A command that timed out may still have run: writes must be idempotent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/runtime/clock.h"

struct redisContext;
struct redisReply;

namespace relais {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Upper bound on open connections; a caller waits up to command_timeout for a free one.
  int connections = 4;
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(500);
  absl::Duration backoff_min = absl::Milliseconds(50);
  absl::Duration backoff_max = absl::Seconds(5);
  // Empty password = no AUTH. With a username, AUTH uses the ACL form.
  std::string username;
  std::string password;
};

// A Redis reply, copied out of hiredis so that no hiredis type leaks out.
class Reply {
 public:
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };

  Reply() = default;
  static Reply Nil() { return Reply(); }
  static Reply Integer(int64_t value);
  static Reply String(std::string value);
  static Reply Status(std::string value);
  static Reply Error(std::string message);
  static Reply Array(std::vector<Reply> elements);
  static Reply FromHiredis(const redisReply& reply);

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  bool is_error() const { return type_ == Type::kError; }
  bool is_integer() const { return type_ == Type::kInteger; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_status() const { return type_ == Type::kStatus; }
  bool is_array() const { return type_ == Type::kArray; }

  // The bytes of a string, the text of a status or of an error; empty otherwise.
  const std::string& str() const { return str_; }
  // The value of an integer reply; 0 otherwise.
  int64_t integer() const { return integer_; }
  // The elements of an array reply; empty otherwise.
  const std::vector<Reply>& elements() const { return elements_; }

 private:
  Type type_ = Type::kNil;
  int64_t integer_ = 0;
  std::string str_;
  std::vector<Reply> elements_;
};

// Maps an error reply the caller did not expect: transient server states (LOADING, BUSY,
// READONLY after a failover, ...) to UNAVAILABLE, anything else to INTERNAL.
absl::Status ErrorReplyToStatus(const Reply& error);

// Hooks for metrics. Called outside the client's locks, from the calling thread.
class RedisObserver {
 public:
  virtual ~RedisObserver() = default;
  // A transport failure: "connect", "auth", "io", "timeout", "reconnecting" or "pool_exhausted".
  // Error replies are not reported here: they are answers, and callers count their own.
  virtual void OnCommandError(std::string_view kind) = 0;
  // The pool connected again after a transport failure.
  virtual void OnReconnect() = 0;
};

class RedisClient {
 public:
  // `clock` and `observer` (may be null) must outlive the client. Connects lazily.
  RedisClient(RedisOptions options, const Clock& clock, RedisObserver* observer = nullptr);
  ~RedisClient();

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command; arguments are binary-safe.
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args);
  // Several commands in one round trip on one connection (not a transaction). One reply per
  // command, in order; a failing command gives an error Reply, not a failed status.
  absl::StatusOr<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& cmds);
  // OK when the server answers PONG; UNAVAILABLE otherwise (also while it is loading its data).
  absl::Status Ping();

  const RedisOptions& options() const { return options_; }

 private:
  struct Connection {
    redisContext* context = nullptr;
    // The failure epoch it was opened in: a transport failure bumps the epoch, and connections
    // from an older epoch are closed instead of reused (the server likely dropped them too).
    uint64_t epoch = 0;
  };

  absl::StatusOr<std::vector<Reply>> Run(const std::vector<const std::vector<std::string>*>& cmds);
  absl::StatusOr<Connection> Acquire();
  // Returns a healthy connection to the pool, or just frees the slot when `connection.context`
  // is null.
  void Release(Connection connection);
  absl::StatusOr<redisContext*> Connect();
  // Drops a connection after a transport failure, starts or extends the back-off.
  absl::Status Fail(Connection& connection, std::string_view kind, std::string message);
  absl::Status FailConnect(std::string_view kind, std::string message);
  void Report(std::string_view kind);

  const RedisOptions options_;
  const Clock& clock_;
  RedisObserver* const observer_;

  absl::Mutex mu_;
  // Slots not leased out (idle open connections count as free slots).
  int free_slots_ ABSL_GUARDED_BY(mu_);
  std::vector<Connection> idle_ ABSL_GUARDED_BY(mu_);
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  // Set by a transport failure, cleared by the next successful connect.
  bool down_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration next_backoff_ ABSL_GUARDED_BY(mu_);
};

}  // namespace relais
