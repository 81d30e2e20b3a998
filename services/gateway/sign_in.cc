#include "services/gateway/sign_in.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/gateway/assets.h"
#include "services/runtime/tokens.h"

namespace relais::gateway {
namespace {

constexpr std::string_view kSecureCookie = "__Host-relais_session";
constexpr std::string_view kPlainCookie = "relais_session";

// Debian's Abseil has its own string_view.
absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string HtmlEscape(std::string_view text) {
  return absl::StrReplaceAll(
      A(text), {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

}  // namespace

bool MaySeeBoards(Role role) {
  return role == Role::kDashboard || role == Role::kCoordinator || role == Role::kAdmin;
}

BrowserSignIn::BrowserSignIn(std::string public_key_pem, const Clock& clock, bool secure,
                             SessionOptions options)
    : public_key_pem_(std::move(public_key_pem)),
      clock_(clock),
      secure_(secure),
      sessions_(clock, options) {}

std::string_view BrowserSignIn::cookie_name() const {
  return secure_ ? kSecureCookie : kPlainCookie;
}

absl::StatusOr<std::string> BrowserSignIn::SignIn(std::string_view token) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(A(token));
  token = std::string_view(trimmed.data(), trimmed.size());
  if (token.empty()) return absl::InvalidArgumentError("token: paste your Relais token");
  if (token.size() > kMaxTokenBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token: longer than ", kMaxTokenBytes, " bytes: not a Relais token"));
  }
  auto verified = VerifyToken(public_key_pem_, token, clock_.Now());
  if (!verified.ok()) return verified.status();
  if (!MaySeeBoards(verified->principal.role)) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", A(RoleName(verified->principal.role)),
                     " may not see the boards (dashboard, coordinator or admin only)"));
  }
  auto id = sessions_.Create(verified->principal, verified->expires);
  if (!id.ok()) return id.status();
  const absl::Duration left = verified->expires - clock_.Now();
  const int64_t max_age = std::max<int64_t>(1, absl::ToInt64Seconds(left));
  return absl::StrCat(A(cookie_name()), "=", *id, "; Path=/; Max-Age=", max_age,
                      "; HttpOnly; SameSite=Strict", secure_ ? "; Secure" : "");
}

std::optional<Session> BrowserSignIn::SessionOf(std::string_view cookie_header) {
  const std::string id = CookieValue(cookie_header, cookie_name());
  if (id.empty()) return std::nullopt;
  return sessions_.Find(id);
}

std::string BrowserSignIn::SignOut(std::string_view cookie_header) {
  sessions_.End(CookieValue(cookie_header, cookie_name()));
  return absl::StrCat(A(cookie_name()), "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                      secure_ ? "; Secure" : "");
}

std::string CookieValue(std::string_view cookie_header, std::string_view name) {
  for (absl::string_view pair : absl::StrSplit(A(cookie_header), ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    const size_t eq = pair.find('=');
    if (eq == absl::string_view::npos) continue;
    if (pair.substr(0, eq) == A(name)) return std::string(pair.substr(eq + 1));
  }
  return "";
}

std::string SignInPage(std::string_view message) {
  const Asset* page = FindAsset("signin.html");
  if (page == nullptr) return "sign-in page missing from the build";
  const std::string shown = message.empty() ? ""
                                            : absl::StrCat(
                                                  "<p class=\"signin-error\" role=\"alert\" "
                                                  "data-testid=\"signin-error\">",
                                                  HtmlEscape(message), "</p>");
  return absl::StrReplaceAll(A(page->data), {{"<!--message-->", shown}});
}

bool IsSameOrigin(std::string_view origin, std::string_view host, bool secure) {
  if (origin.empty()) return true;  // not a browser, or an old one: SameSite still holds
  return origin == absl::StrCat(secure ? "https://" : "http://", A(host));
}

}  // namespace relais::gateway
