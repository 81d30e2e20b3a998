// A local HTTP/1.1 server for the webhook tests: listens on 127.0.0.1 (a free port), reads one
// request per connection (request line, headers, a Content-Length body), keeps it and answers
// 200 (or, when told, 503 for the next requests), then closes the connection.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/support/smtp_sink.h"

namespace relais::testing {

struct ReceivedRequest {
  std::string method;
  // The request target, e.g. "/notify".
  std::string target;
  // Header names lower-cased; the last value of a repeated header.
  std::map<std::string, std::string> headers;
  std::string body;
};

class HttpSink {
 public:
  HttpSink();
  ~HttpSink();

  HttpSink(const HttpSink&) = delete;
  HttpSink& operator=(const HttpSink&) = delete;

  int port() const { return server_.port(); }
  // "http://127.0.0.1:<port>/notify".
  std::string url() const;

  // The next `n` requests are answered `status` (and not kept).
  void FailNext(int n, int status = 503);

  // Requests answered 200, in arrival order.
  std::vector<ReceivedRequest> Requests() const;
  size_t Count() const;
  // Requests answered with the FailNext status so far.
  int Refused() const;
  // Waits until at least `count` requests were kept; false on timeout.
  bool WaitFor(size_t count, absl::Duration timeout) const;

  void Stop() { server_.Stop(); }

 private:
  void Session(int fd);

  mutable absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int fail_next_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_status_ ABSL_GUARDED_BY(mu_) = 503;
  int refused_ ABSL_GUARDED_BY(mu_) = 0;
  // Last: stops (joins its threads) before the members above are destroyed.
  LoopbackServer server_;
};

}  // namespace relais::testing
