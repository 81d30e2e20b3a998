// A notification POSTed as JSON to an HTTP endpoint, typically an SMS gateway:
//   POST <url>
//   Content-Type: application/json
//   Authorization: Bearer <token>          (when a token is configured)
//   Idempotency-Key: <notification id>     (the same for every attempt of one notification)
//   {"notification_id": "...", "to": "+33612345678", "subject": "...", "body": "..."}
// Any 2xx answer is delivered; any other is "HTTP <code>"; no redirect is followed. Transport
// failures are "connect: Connection refused", "timeout", ... One connection per Send (no shared
// state: thread-safe).
#pragma once

#include <string>

#include "absl/time/time.h"
#include "services/mobilisation/notifier.h"

namespace relais::mobilisation {

struct WebhookOptions {
  // "https://sms-gateway.example.org/v1/messages".
  std::string url;
  // Sent as "Authorization: Bearer <token>" when not empty.
  std::string bearer_token;
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
};

class WebhookNotifier final : public Notifier {
 public:
  explicit WebhookNotifier(WebhookOptions options);

  v1::NotificationChannel channel() const override { return v1::NOTIFICATION_CHANNEL_WEBHOOK; }
  DeliveryResult Send(const Message& message) override;

  // The JSON document Send posts (exposed for tests). Invalid UTF-8 is replaced, not refused.
  static std::string Payload(const Message& message);

 private:
  const WebhookOptions options_;
};

}  // namespace relais::mobilisation
