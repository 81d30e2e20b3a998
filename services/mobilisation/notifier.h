// A channel that carries a notification to a responder: e-mail (smtp_notifier.h) or an HTTP
// webhook such as an SMS gateway (webhook_notifier.h). The outbox (outbox.h) calls Send from its
// dispatching thread, with the address it has just looked up; a notifier never stores it.
#pragma once

#include <string>

#include "relais/v1/mobilisation.pb.h"

namespace relais::mobilisation {

struct DeliveryResult {
  // The channel accepted the message (SMTP 250 after DATA, HTTP 2xx).
  bool ok = false;
  // On failure a short reason: "SMTP 451", "HTTP 503", "connect: Connection refused",
  // "timeout". Never the address, never the message.
  std::string detail;
};

class Notifier {
 public:
  virtual ~Notifier() = default;

  virtual v1::NotificationChannel channel() const = 0;

  struct Message {
    // An e-mail address or an E.164 number, from the ContactBook at send time.
    std::string to;
    std::string subject;
    std::string body;
    // Sent along (Message-ID, Idempotency-Key) so the far end can drop a repeat of a message it
    // already accepted (after a crash between a send and its record, the outbox sends again).
    std::string notification_id;
  };

  // Blocks for at most the notifier's own timeouts. Thread-safe.
  virtual DeliveryResult Send(const Message& message) = 0;
};

// curl_global_init, once per process. The notifiers' constructors call it; a process that sends
// from several threads should construct its notifiers (or call this) before starting them.
void InitCurlOnce();

namespace internal {
// The detail of a libcurl transport failure (shared by the notifiers): "connect: <strerror>",
// "timeout", or libcurl's short text for the code. Never a URL or an address.
std::string TransportFailureDetail(int curl_code, long os_errno);
}  // namespace internal

}  // namespace relais::mobilisation
