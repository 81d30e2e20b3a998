#include "services/mobilisation/smtp_notifier.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace relais::mobilisation {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Only fails when libcurl cannot allocate at start-up; nothing could be sent then.
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) std::abort();
  });
}

namespace internal {

std::string TransportFailureDetail(int curl_code, long os_errno) {
  const auto code = static_cast<CURLcode>(curl_code);
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      if (os_errno != 0) {
        char buffer[128];
        // GNU strerror_r: returns the text (maybe not in `buffer`).
        return absl::StrCat("connect: ",
                            strerror_r(static_cast<int>(os_errno), buffer, sizeof(buffer)));
      }
      return "connect: failed";
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "resolve: failed";
    default:
      return curl_easy_strerror(code);
  }
}

}  // namespace internal

namespace {

bool IsAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Header values never carry a line break (no header injection from a subject or a name).
std::string OneLine(absl::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return line;
}

// RFC 2047 "=?UTF-8?B?...?=" words, each at most 75 characters, folded onto continuation lines.
// Chunks never split a UTF-8 sequence.
std::string EncodedWords(absl::string_view text) {
  constexpr size_t kMaxChunk = 45;  // 60 base64 characters + 12 of framing = 72.
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + kMaxChunk);
    // Back up to the start of a UTF-8 sequence (a byte that is not 10xxxxxx).
    while (end < text.size() && end > start + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out.append("\r\n ");
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(text.substr(start, end - start)), "?=");
    start = end;
  }
  return out;
}

std::string HeaderText(absl::string_view text) {
  std::string line = OneLine(text);
  return IsAscii(line) ? line : EncodedWords(line);
}

// "Name" <address>, the name quoted (or encoded) as RFC 5322 / 2047 want.
std::string Mailbox(absl::string_view name, absl::string_view address) {
  if (name.empty()) return std::string(address);
  std::string line = OneLine(name);
  if (!IsAscii(line)) return absl::StrCat(EncodedWords(line), " <", address, ">");
  std::string quoted = "\"";
  for (char c : line) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return absl::StrCat(quoted, "\" <", address, ">");
}

// An address usable in an envelope and a header: no spaces, controls or angle brackets.
bool PlainAddress(absl::string_view address) {
  if (address.empty() || address.size() > 320 || !absl::StrContains(address, '@')) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == '"' || c == ',';
  });
}

std::string DateHeader(absl::Time t) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const absl::CivilSecond s = absl::ToCivilSecond(t, absl::UTCTimeZone());
  const int weekday = static_cast<int>(absl::GetWeekday(s));  // Monday = 0
  return absl::StrFormat("%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[weekday], s.day(),
                         kMonths[s.month() - 1], s.year(), s.hour(), s.minute(), s.second());
}

// The body with CRLF line endings.
std::string CrlfLines(absl::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 32 + 2);
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\r') {
      out.append("\r\n");
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out.append("\r\n");
    } else {
      out.push_back(c);
    }
  }
  if (!absl::EndsWith(out, "\r\n")) out.append("\r\n");
  return out;
}

bool LinesFit(absl::string_view crlf_text, size_t max_line) {
  size_t line = 0;
  for (char c : crlf_text) {
    if (c == '\n') {
      line = 0;
    } else if (++line > max_line) {
      return false;
    }
  }
  return true;
}

struct Upload {
  absl::string_view data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

SmtpNotifier::SmtpNotifier(SmtpOptions options) : options_(std::move(options)) { InitCurlOnce(); }

std::string SmtpNotifier::Compose(const Message& message, absl::Time date) const {
  std::string id_part = message.notification_id;
  if (id_part.empty()) {
    absl::BitGen bitgen;
    id_part = absl::StrFormat("%016x", absl::Uniform<uint64_t>(bitgen));
  }
  const size_t at = options_.from.rfind('@');
  const std::string domain =
      at == std::string::npos ? "relais.invalid" : options_.from.substr(at + 1);

  std::string body = CrlfLines(message.body);
  const bool plain = IsAscii(body) && LinesFit(body, 998);

  std::string out;
  absl::StrAppend(&out, "Date: ", DateHeader(date), "\r\n");
  absl::StrAppend(&out, "From: ", Mailbox(options_.from_name, options_.from), "\r\n");
  absl::StrAppend(&out, "To: ", message.to, "\r\n");
  absl::StrAppend(&out, "Subject: ", HeaderText(message.subject), "\r\n");
  absl::StrAppend(&out, "Message-ID: <", OneLine(id_part), "@", domain, ">\r\n");
  out.append("MIME-Version: 1.0\r\n");
  out.append("Content-Type: text/plain; charset=utf-8\r\n");
  if (plain) {
    out.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
    out.append(body);
  } else {
    out.append("Content-Transfer-Encoding: base64\r\n\r\n");
    const std::string encoded = absl::Base64Escape(body);
    for (size_t i = 0; i < encoded.size(); i += 76) {
      absl::StrAppend(&out, absl::string_view(encoded).substr(i, 76), "\r\n");
    }
  }
  return out;
}

DeliveryResult SmtpNotifier::Send(const Message& message) {
  if (!PlainAddress(message.to)) return {false, "bad address"};
  if (!PlainAddress(options_.from)) return {false, "bad sender address"};
  const Clock& clock = options_.clock != nullptr ? *options_.clock : system_clock_;
  const std::string text = Compose(message, clock.Now());

  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return {false, "curl: init failed"};
  std::unique_ptr<curl_slist, ListDeleter> recipients(
      curl_slist_append(nullptr, absl::StrCat("<", message.to, ">").c_str()));
  if (!recipients) return {false, "curl: out of memory"};
  Upload upload{text};
  const std::string mail_from = absl::StrCat("<", options_.from, ">");

  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.total_timeout)));
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   static_cast<long>(options_.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));

  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) return {true, ""};
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  if (reply >= 400) return {false, absl::StrCat("SMTP ", reply)};
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  return {false, internal::TransportFailureDetail(code, os_errno)};
}

}  // namespace relais::mobilisation
