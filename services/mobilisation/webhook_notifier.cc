#include "services/mobilisation/webhook_notifier.h"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"

namespace relais::mobilisation {
namespace {

// The answer's body is not used.
size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

bool HasLineBreak(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

}  // namespace

WebhookNotifier::WebhookNotifier(WebhookOptions options) : options_(std::move(options)) {
  InitCurlOnce();
}

std::string WebhookNotifier::Payload(const Message& message) {
  const nlohmann::json document = {
      {"notification_id", message.notification_id},
      {"to", message.to},
      {"subject", message.subject},
      {"body", message.body},
  };
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

DeliveryResult WebhookNotifier::Send(const Message& message) {
  if (message.to.empty()) return {false, "bad address"};
  if (HasLineBreak(options_.bearer_token) || HasLineBreak(message.notification_id)) {
    return {false, "bad header value"};
  }
  const std::string payload = Payload(message);

  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return {false, "curl: init failed"};
  curl_slist* list = nullptr;
  list = curl_slist_append(list, "Content-Type: application/json");
  // No "Expect: 100-continue" round trip.
  if (list != nullptr) list = curl_slist_append(list, "Expect:");
  if (list != nullptr && !message.notification_id.empty()) {
    list =
        curl_slist_append(list, absl::StrCat("Idempotency-Key: ", message.notification_id).c_str());
  }
  if (list != nullptr && !options_.bearer_token.empty()) {
    list = curl_slist_append(list,
                             absl::StrCat("Authorization: Bearer ", options_.bearer_token).c_str());
  }
  std::unique_ptr<curl_slist, ListDeleter> headers(list);
  if (!headers) return {false, "curl: out of memory"};

  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.total_timeout)));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Discard);

  const CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_OK) {
    if (status >= 200 && status < 300) return {true, ""};
    return {false, absl::StrCat("HTTP ", status)};
  }
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  return {false, internal::TransportFailureDetail(code, os_errno)};
}

}  // namespace relais::mobilisation
