// A local SMTP server for the notifier tests: listens on 127.0.0.1 (a free port), speaks enough
// SMTP for libcurl (220 greeting, EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET,
// NOOP, QUIT), one thread per connection, and keeps what it accepted. It can be told to answer
// the next messages with a temporary failure (451 after DATA) or to refuse connections (accept
// and close at once), then to recover.
//
// Also the TCP plumbing both sinks share (LoopbackServer, LineReader, WriteAll).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace relais::testing {

// Accepts connections on 127.0.0.1:<free port> and runs `handler` on a thread per connection;
// the socket is closed when the handler returns. Aborts when it cannot listen.
class LoopbackServer {
 public:
  using Handler = std::function<void(int fd)>;
  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();

  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  // Stops accepting, shuts the open connections down (their reads return 0) and joins every
  // thread. Idempotent.
  void Stop();

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void AcceptLoop();
  void Reap(bool all);

  const Handler handler_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  absl::Mutex mu_;
  std::vector<Worker> workers_ ABSL_GUARDED_BY(mu_);
  std::set<int> open_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

// Sends all of `data` (no SIGPIPE); false when the peer is gone.
bool WriteAll(int fd, absl::string_view data);

// Buffered reads from a socket.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // The next line without its CRLF (or LF); false at end of stream or past `max_length`.
  bool ReadLine(std::string* line, size_t max_length = 1 << 20);
  // Exactly `n` bytes.
  bool ReadExact(size_t n, std::string* out);

 private:
  bool Fill();
  int fd_;
  std::string buffer_;
};

struct ReceivedMail {
  // The envelope, without angle brackets.
  std::string mail_from;
  std::vector<std::string> rcpt;
  // The message as sent, dot-unstuffed, CRLF line endings, without the final ".".
  std::string data;
};

class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();

  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return server_.port(); }
  // "smtp://127.0.0.1:<port>".
  std::string url() const;

  // The next `n` messages are refused after their data with `code` (not kept).
  void FailNext(int n, int code = 451);
  // While on, every new connection is closed before the greeting.
  void RefuseConnections(bool refuse);

  std::vector<ReceivedMail> Messages() const;
  size_t Count() const;
  // Messages refused by FailNext so far.
  int Refused() const;
  // Waits until at least `count` messages were kept; false on timeout.
  bool WaitFor(size_t count, absl::Duration timeout) const;

  void Stop() { server_.Stop(); }

 private:
  void Session(int fd);

  mutable absl::Mutex mu_;
  std::vector<ReceivedMail> messages_ ABSL_GUARDED_BY(mu_);
  int fail_next_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_code_ ABSL_GUARDED_BY(mu_) = 451;
  int refused_ ABSL_GUARDED_BY(mu_) = 0;
  bool refuse_connections_ ABSL_GUARDED_BY(mu_) = false;
  // Last: its threads use the members above, so it stops before they are destroyed.
  LoopbackServer server_;
};

}  // namespace relais::testing
