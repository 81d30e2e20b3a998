#include "tests/support/http_sink.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace relais::testing {
namespace {

constexpr size_t kMaxBody = 1 << 20;
constexpr int kMaxHeaders = 100;

std::string Response(int status, absl::string_view reason) {
  const std::string body = absl::StrCat(status, " ", reason, "\n");
  return absl::StrCat("HTTP/1.1 ", status, " ", reason,
                      "\r\nContent-Type: text/plain\r\nContent-Length: ", body.size(),
                      "\r\nConnection: close\r\n\r\n", body);
}

}  // namespace

HttpSink::HttpSink() : server_([this](int fd) { Session(fd); }) {}

HttpSink::~HttpSink() { Stop(); }

std::string HttpSink::url() const { return absl::StrCat("http://127.0.0.1:", port(), "/notify"); }

void HttpSink::FailNext(int n, int status) {
  absl::MutexLock lock(&mu_);
  fail_next_ = n;
  fail_status_ = status;
}

std::vector<ReceivedRequest> HttpSink::Requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

size_t HttpSink::Count() const {
  absl::MutexLock lock(&mu_);
  return requests_.size();
}

int HttpSink::Refused() const {
  absl::MutexLock lock(&mu_);
  return refused_;
}

bool HttpSink::WaitFor(size_t count, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]()
                    ABSL_SHARED_LOCKS_REQUIRED(mu_) { return requests_.size() >= count; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void HttpSink::Session(int fd) {
  LineReader reader(fd);
  std::string line;
  if (!reader.ReadLine(&line, 8192)) return;
  std::vector<std::string> parts = absl::StrSplit(line, ' ');
  if (parts.size() != 3 || !absl::StartsWith(parts[2], "HTTP/1.")) {
    WriteAll(fd, Response(400, "Bad Request"));
    return;
  }
  ReceivedRequest request;
  request.method = parts[0];
  request.target = parts[1];
  for (int i = 0;; ++i) {
    if (i > kMaxHeaders || !reader.ReadLine(&line, 8192)) return;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      WriteAll(fd, Response(400, "Bad Request"));
      return;
    }
    request.headers[absl::AsciiStrToLower(line.substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(absl::string_view(line).substr(colon + 1)));
  }
  size_t length = 0;
  if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
    if (!absl::SimpleAtoi(it->second, &length) || length > kMaxBody) {
      WriteAll(fd, Response(413, "Payload Too Large"));
      return;
    }
  } else if (request.headers.count("transfer-encoding") != 0) {
    WriteAll(fd, Response(411, "Length Required"));
    return;
  }
  if (!reader.ReadExact(length, &request.body)) return;

  int status = 200;
  {
    absl::MutexLock lock(&mu_);
    if (fail_next_ > 0) {
      --fail_next_;
      ++refused_;
      status = fail_status_;
    } else {
      requests_.push_back(std::move(request));
    }
  }
  WriteAll(fd, status == 200 ? Response(200, "OK") : Response(status, "Service Unavailable"));
}

}  // namespace relais::testing
