// E-mail through an SMTP relay, with libcurl (smtp:// with opportunistic or required STARTTLS,
// or smtps://). One message per Send, on a connection of its own: no state is shared between
// calls, so Send is thread-safe and a relay that dropped an idle connection costs nothing.
//
// The message is RFC 5322: Date, From, To, Subject (an RFC 2047 UTF-8 encoded-word when it is
// not ASCII), Message-ID <notification id@from's domain> (the same for every attempt of one
// notification, so a mail client shows a repeat once), MIME-Version, Content-Type text/plain;
// charset=utf-8, the body 7bit when it is ASCII and base64 otherwise, CRLF line endings.
// libcurl does the SMTP dot-stuffing.
//
// Failures: the relay's reply code ("SMTP 451", "SMTP 550") when it answered with an error,
// otherwise the transport failure ("connect: Connection refused", "timeout", ...).
#pragma once

#include <string>

#include "absl/time/time.h"
#include "services/mobilisation/notifier.h"
#include "services/runtime/clock.h"

namespace relais::mobilisation {

struct SmtpOptions {
  // "smtp://relay.example.org:587" or "smtps://relay.example.org:465".
  std::string url = "smtp://127.0.0.1:25";
  // The envelope sender and the From header, a bare address ("relais@example.org").
  std::string from;
  // A display name for From (UTF-8), e.g. "Relais"; empty for none.
  std::string from_name;
  // SMTP AUTH when username is set.
  std::string username;
  std::string password;
  // smtp:// only: STARTTLS when the relay offers it (false), or refuse to send without it (true).
  bool require_starttls = false;
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration total_timeout = absl::Seconds(15);
  // Stamps the Date header; null for the system clock. Not owned.
  const Clock* clock = nullptr;
};

class SmtpNotifier final : public Notifier {
 public:
  explicit SmtpNotifier(SmtpOptions options);

  v1::NotificationChannel channel() const override { return v1::NOTIFICATION_CHANNEL_EMAIL; }
  DeliveryResult Send(const Message& message) override;

  // The complete RFC 5322 message Send uploads (exposed for tests).
  std::string Compose(const Message& message, absl::Time date) const;

 private:
  const SmtpOptions options_;
  const SystemClock system_clock_;
};

}  // namespace relais::mobilisation
