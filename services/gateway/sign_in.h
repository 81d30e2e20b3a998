// Browser sign-in to the dashboard: a Relais token (ES256, `relaisctl admin issue-token`) posted
// once on the sign-in page becomes a session cookie (sessions.h). The gateway still reads the
// services with its own token; this only decides which browsers see the boards. Pure parts here
// (no HTTP server), so all of it is unit-tested with an injected clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/gateway/sessions.h"
#include "services/runtime/clock.h"
#include "services/runtime/principal.h"

namespace relais::gateway {

// The roles that may see the boards: they read every crisis's board and feed anyway (dashboard:
// a wall screen or an observer; coordinator; admin). Responders, OSI admins (their organisation
// only) and services may not.
bool MaySeeBoards(Role role);

class BrowserSignIn {
 public:
  // `public_key_pem` verifies tokens; `clock` is borrowed. `secure`: the gateway serves HTTPS, so
  // the cookie is Secure (and named with the __Host- prefix, which browsers bind to this origin).
  BrowserSignIn(std::string public_key_pem, const Clock& clock, bool secure,
                SessionOptions options = {});

  // Verifies `token` (signature, issuer, audience, expiry, role) and opens a session; returns the
  // Set-Cookie value. INVALID_ARGUMENT: no token or too long; UNAUTHENTICATED: refused (the reason
  // never contains the token); PERMISSION_DENIED: a role that may not see the boards.
  absl::StatusOr<std::string> SignIn(std::string_view token);

  // The live session named by the request's Cookie header; nullopt when none.
  std::optional<Session> SessionOf(std::string_view cookie_header);

  // Ends the session named by the Cookie header; returns the Set-Cookie value that clears it.
  std::string SignOut(std::string_view cookie_header);

  std::string_view cookie_name() const;
  SessionTable& sessions() { return sessions_; }

 private:
  const std::string public_key_pem_;
  const Clock& clock_;
  const bool secure_;
  SessionTable sessions_;
};

// The value of cookie `name` in a Cookie header ("a=1; b=2"); empty when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The sign-in page (web/signin.html) with `message` (HTML-escaped) shown above the form; empty
// message: none.
std::string SignInPage(std::string_view message);

// A form POST must come from the dashboard's own page: the Origin header, when the browser sends
// one, names this host (login CSRF: another site cannot sign a browser in as someone else).
bool IsSameOrigin(std::string_view origin, std::string_view host, bool secure);

}  // namespace relais::gateway
