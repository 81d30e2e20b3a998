// A minimal HTTP/1.1 client over a plain socket, for the gateway's tests and benchmark only: one
// request per connection (Connection: close) for snapshots, and an SSE reader that waits for
// bytes with a deadline (poll), so hundreds of streams fit in one thread; HttpsRequest does one
// request over TLS (OpenSSL), verifying the gateway with a CA file. Header-only; not used by the
// gateway itself.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace relais::gateway::testing {

struct HttpResponse {
  int status = 0;                              // 0: no answer
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;  // HttpsRequest: why the TLS handshake failed
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

inline bool SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

inline std::string RequestText(absl::string_view method, absl::string_view path,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               bool close_after, absl::string_view body = "") {
  std::string text = absl::StrCat(method, " ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [name, value] : headers) absl::StrAppend(&text, name, ": ", value, "\r\n");
  if (close_after) text += "Connection: close\r\n";
  if (method == "POST" || method == "PUT")
    absl::StrAppend(&text, "Content-Length: ", body.size(), "\r\n");
  text += "\r\n";
  text.append(body.data(), body.size());
  return text;
}

// Splits "status line + headers" from the rest; false when the head is not complete yet.
inline bool ParseHead(const std::string& raw, HttpResponse* out, size_t* body_start) {
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(raw).substr(0, end), "\r\n");
  std::vector<absl::string_view> status = absl::StrSplit(lines[0], ' ');
  if (status.size() < 2 || !absl::SimpleAtoi(status[1], &out->status)) out->status = -1;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) continue;
    out->headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  *body_start = end + 4;
  return true;
}

// Removes HTTP/1.1 chunked framing from `raw` (complete or not).
inline std::string Dechunk(absl::string_view raw) {
  std::string out;
  while (true) {
    size_t eol = raw.find("\r\n");
    if (eol == absl::string_view::npos) break;
    size_t size = 0;
    if (!absl::SimpleHexAtoi(raw.substr(0, eol), &size) || size == 0) break;
    raw.remove_prefix(eol + 2);
    out.append(std::string(raw.substr(0, std::min(size, raw.size()))));
    if (raw.size() < size + 2) break;
    raw.remove_prefix(size + 2);
  }
  return out;
}

// The complete response in `raw` (head, then body, de-chunked).
inline HttpResponse ParseResponse(const std::string& raw) {
  HttpResponse response;
  size_t body_start = 0;
  if (!ParseHead(raw, &response, &body_start)) return response;
  response.body = raw.substr(body_start);
  if (absl::AsciiStrToLower(response.Header("transfer-encoding")) == "chunked") {
    response.body = Dechunk(response.body);
  }
  return response;
}

// One request, Connection: close, read to the end (or `timeout`).
inline HttpResponse HttpRequest(
    int port, absl::string_view method, absl::string_view path,
    const std::vector<std::pair<std::string, std::string>>& headers = {},
    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  int fd = ConnectLoopback(port);
  if (fd < 0) return HttpResponse{};
  SendAll(fd, RequestText(method, path, headers, true));
  std::string raw;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[16384];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return ParseResponse(raw);
}

inline HttpResponse HttpGet(int port, absl::string_view path) {
  return HttpRequest(port, "GET", path);
}

// One request over TLS 1.2+, Connection: close, read to the end (or `timeout`). The server must
// present a certificate for 127.0.0.1 signed by the CA in `ca_file`; otherwise status is 0 and
// `error` says why.
inline HttpResponse HttpsRequest(
    int port, const std::string& ca_file, absl::string_view method, absl::string_view path,
    const std::vector<std::pair<std::string, std::string>>& headers = {},
    absl::string_view body = "", std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  HttpResponse response;
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr) != 1) {
    response.error = "cannot read the CA file";
    SSL_CTX_free(context);
    return response;
  }
  int fd = ConnectLoopback(port);
  if (fd < 0) {
    response.error = "cannot connect";
    SSL_CTX_free(context);
    return response;
  }
  // Blocking socket with deadlines: each read or write waits at most `timeout`.
  timeval limit{static_cast<time_t>(timeout.count() / 1000),
                static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
  SSL* ssl = SSL_new(context);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  SSL_set_fd(ssl, fd);
  std::string raw;
  if (SSL_connect(ssl) != 1) {
    char text[256] = "handshake failed";
    if (unsigned long code = ERR_get_error(); code != 0)
      ERR_error_string_n(code, text, sizeof(text));
    response.error = text;
  } else {
    const std::string request = RequestText(method, path, headers, true, body);
    if (SSL_write(ssl, request.data(), static_cast<int>(request.size())) ==
        static_cast<int>(request.size())) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      char buffer[16384];
      while (std::chrono::steady_clock::now() < deadline) {
        int n = SSL_read(ssl, buffer, sizeof(buffer));
        if (n <= 0) break;
        raw.append(buffer, static_cast<size_t>(n));
      }
    }
  }
  ERR_clear_error();
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(context);
  if (!response.error.empty()) return response;
  HttpResponse parsed = ParseResponse(raw);
  return parsed;
}

// An open SSE stream: Open() sends the request; Read*() collect the (de-chunked) body.
class SseStream {
 public:
  SseStream() = default;
  ~SseStream() { Close(); }
  SseStream(const SseStream&) = delete;
  SseStream& operator=(const SseStream&) = delete;

  bool Open(int port, absl::string_view path, absl::string_view last_event_id = "") {
    fd_ = ConnectLoopback(port);
    if (fd_ < 0) return false;
    std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "text/event-stream"}};
    if (!last_event_id.empty()) headers.emplace_back("Last-Event-ID", std::string(last_event_id));
    return SendAll(fd_, RequestText("GET", path, headers, false));
  }

  // Reads what is there now, waiting at most `wait`; false once the stream has ended.
  bool Poll(std::chrono::milliseconds wait) {
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return !ended_;
    char buffer[65536];
    ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      ended_ = true;
      return false;
    }
    raw_.append(buffer, static_cast<size_t>(n));
    return true;
  }

  // Waits until the body contains `text` (true) or the deadline passes or the stream ends.
  bool WaitFor(absl::string_view text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (body().find(std::string(text)) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      if (!Poll(std::min(left, std::chrono::milliseconds(50))) && ended_) {
        return body().find(std::string(text)) != std::string::npos;
      }
    }
    return true;
  }

  // Waits until the server ends the stream.
  bool WaitForEnd(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended_ && std::chrono::steady_clock::now() < deadline) {
      Poll(std::chrono::milliseconds(50));
    }
    return ended_;
  }

  HttpResponse head() const {
    HttpResponse response;
    size_t start = 0;
    ParseHead(raw_, &response, &start);
    return response;
  }

  std::string body() const {
    HttpResponse response;
    size_t start = 0;
    if (!ParseHead(raw_, &response, &start)) return "";
    return Dechunk(absl::string_view(raw_).substr(start));
  }

  bool ended() const { return ended_; }
  int fd() const { return fd_; }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool ended_ = false;
  std::string raw_;
};

// The complete SSE frames in `body` that name an event: their fields ("id", "event", "data").
struct SseEvent {
  std::string id, event, data;
};
inline std::vector<SseEvent> ParseSse(absl::string_view body) {
  std::vector<SseEvent> events;
  std::vector<absl::string_view> frames = absl::StrSplit(body, "\n\n");
  frames.pop_back();  // what follows the last blank line: an unfinished frame, or nothing
  for (absl::string_view frame : frames) {
    SseEvent e;
    bool any = false;
    for (absl::string_view line : absl::StrSplit(frame, '\n')) {
      if (absl::StartsWith(line, "id: ")) e.id = std::string(line.substr(4)), any = true;
      if (absl::StartsWith(line, "event: ")) e.event = std::string(line.substr(7)), any = true;
      if (absl::StartsWith(line, "data: ")) {
        if (!e.data.empty()) e.data += "\n";
        e.data += std::string(line.substr(6));
        any = true;
      }
    }
    if (any && !e.event.empty()) events.push_back(std::move(e));
  }
  return events;
}

}  // namespace relais::gateway::testing
