#include "tests/support/smtp_sink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace relais::testing {

// --- LoopbackServer ---------------------------------------------------------------------------

LoopbackServer::LoopbackServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof(addr);
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 128) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0 ||
      pipe2(wake_, O_CLOEXEC) != 0) {
    std::perror("LoopbackServer: cannot listen on 127.0.0.1");
    std::abort();
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

LoopbackServer::~LoopbackServer() {
  Stop();
  close(wake_[0]);
  close(wake_[1]);
}

void LoopbackServer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_ = true;
  const char byte = 0;
  (void)!write(wake_[1], &byte, 1);
  acceptor_.join();
  close(listen_fd_);
  listen_fd_ = -1;
  {
    absl::MutexLock lock(&mu_);
    for (int fd : open_) shutdown(fd, SHUT_RDWR);
  }
  Reap(/*all=*/true);
}

void LoopbackServer::Reap(bool all) {
  std::vector<Worker> finished;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (all || it->done->load()) {
        finished.push_back(std::move(*it));
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (Worker& worker : finished) worker.thread.join();
}

void LoopbackServer::AcceptLoop() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0 || stopping_) return;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Reap(/*all=*/false);
    auto done = std::make_shared<std::atomic<bool>>(false);
    absl::MutexLock lock(&mu_);
    open_.insert(fd);
    workers_.push_back({std::thread([this, fd, done] {
                          handler_(fd);
                          {
                            absl::MutexLock lock(&mu_);
                            open_.erase(fd);
                          }
                          close(fd);
                          done->store(true);
                        }),
                        done});
  }
}

bool WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool LineReader::Fill() {
  char chunk[4096];
  while (true) {
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

bool LineReader::ReadLine(std::string* line, size_t max_length) {
  size_t end;
  while ((end = buffer_.find('\n')) == std::string::npos) {
    if (buffer_.size() > max_length || !Fill()) return false;
  }
  if (end > max_length) return false;
  line->assign(buffer_, 0, end);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  buffer_.erase(0, end + 1);
  return true;
}

bool LineReader::ReadExact(size_t n, std::string* out) {
  while (buffer_.size() < n) {
    if (!Fill()) return false;
  }
  out->assign(buffer_, 0, n);
  buffer_.erase(0, n);
  return true;
}

// --- SmtpSink ---------------------------------------------------------------------------------

namespace {

// "FROM:<a@b> SIZE=12" -> "a@b" (after the command word).
std::string AngleAddress(absl::string_view argument) {
  const size_t open = argument.find('<');
  const size_t close = argument.find('>', open == absl::string_view::npos ? 0 : open);
  if (open == absl::string_view::npos || close == absl::string_view::npos) {
    absl::string_view rest = argument.substr(argument.find(':') + 1);
    return std::string(absl::StripAsciiWhitespace(rest.substr(0, rest.find(' '))));
  }
  return std::string(argument.substr(open + 1, close - open - 1));
}

}  // namespace

SmtpSink::SmtpSink() : server_([this](int fd) { Session(fd); }) {}

SmtpSink::~SmtpSink() { Stop(); }

std::string SmtpSink::url() const { return absl::StrCat("smtp://127.0.0.1:", port()); }

void SmtpSink::FailNext(int n, int code) {
  absl::MutexLock lock(&mu_);
  fail_next_ = n;
  fail_code_ = code;
}

void SmtpSink::RefuseConnections(bool refuse) {
  absl::MutexLock lock(&mu_);
  refuse_connections_ = refuse;
}

std::vector<ReceivedMail> SmtpSink::Messages() const {
  absl::MutexLock lock(&mu_);
  return messages_;
}

size_t SmtpSink::Count() const {
  absl::MutexLock lock(&mu_);
  return messages_.size();
}

int SmtpSink::Refused() const {
  absl::MutexLock lock(&mu_);
  return refused_;
}

bool SmtpSink::WaitFor(size_t count, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]()
                    ABSL_SHARED_LOCKS_REQUIRED(mu_) { return messages_.size() >= count; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void SmtpSink::Session(int fd) {
  {
    absl::MutexLock lock(&mu_);
    if (refuse_connections_) return;
  }
  if (!WriteAll(fd, "220 relais-smtp-sink ESMTP\r\n")) return;
  LineReader reader(fd);
  ReceivedMail current;
  bool have_from = false;
  std::string line;
  while (reader.ReadLine(&line)) {
    const std::string upper = absl::AsciiStrToUpper(line);
    std::string reply;
    if (absl::StartsWith(upper, "EHLO")) {
      reply = "250-relais-smtp-sink\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n";
    } else if (absl::StartsWith(upper, "HELO")) {
      reply = "250 relais-smtp-sink\r\n";
    } else if (absl::StartsWith(upper, "MAIL FROM:")) {
      current = ReceivedMail{};
      current.mail_from = AngleAddress(line);
      have_from = true;
      reply = "250 2.1.0 OK\r\n";
    } else if (absl::StartsWith(upper, "RCPT TO:")) {
      if (!have_from) {
        reply = "503 5.5.1 MAIL first\r\n";
      } else {
        current.rcpt.push_back(AngleAddress(line));
        reply = "250 2.1.5 OK\r\n";
      }
    } else if (upper == "DATA") {
      if (!have_from || current.rcpt.empty()) {
        reply = "503 5.5.1 RCPT first\r\n";
      } else {
        if (!WriteAll(fd, "354 End data with <CR><LF>.<CR><LF>\r\n")) return;
        std::string data;
        bool complete = false;
        while (reader.ReadLine(&line)) {
          if (line == ".") {
            complete = true;
            break;
          }
          if (absl::StartsWith(line, ".")) line.erase(0, 1);  // dot-unstuffing
          absl::StrAppend(&data, line, "\r\n");
        }
        if (!complete) return;
        current.data = std::move(data);
        have_from = false;
        absl::MutexLock lock(&mu_);
        if (fail_next_ > 0) {
          --fail_next_;
          ++refused_;
          reply = absl::StrCat(fail_code_, " 4.3.0 try again later\r\n");
        } else {
          messages_.push_back(std::move(current));
          reply = "250 2.0.0 OK queued\r\n";
        }
        current = ReceivedMail{};
      }
    } else if (upper == "RSET") {
      current = ReceivedMail{};
      have_from = false;
      reply = "250 2.0.0 OK\r\n";
    } else if (absl::StartsWith(upper, "NOOP")) {
      reply = "250 2.0.0 OK\r\n";
    } else if (upper == "QUIT") {
      WriteAll(fd, "221 2.0.0 Bye\r\n");
      return;
    } else {
      reply = "502 5.5.2 Command not implemented\r\n";
    }
    if (!WriteAll(fd, reply)) return;
  }
}

}  // namespace relais::testing
