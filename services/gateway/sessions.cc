#include "services/gateway/sessions.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/escaping.h"

namespace relais::gateway {
namespace {

std::string Digest(std::string_view id) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest.data());
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

bool IsSessionId(std::string_view id) {
  return id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

SessionTable::SessionTable(const Clock& clock, SessionOptions options)
    : clock_(clock), options_(options) {}

absl::StatusOr<std::string> SessionTable::Create(const Principal& principal,
                                                 absl::Time token_expires) {
  const absl::Time now = clock_.Now();
  const absl::Time expires = std::min(token_expires, now + options_.max_lifetime);
  if (expires <= now) return absl::InvalidArgumentError("the token has expired");
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return absl::InternalError("no random bytes for a session id");
  }
  std::string id = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
  absl::MutexLock lock(&mu_);
  MakeRoom();
  sessions_[Digest(id)] = Entry{Session{principal, expires}, next_++};
  return id;
}

std::optional<Session> SessionTable::Find(std::string_view id) {
  if (!IsSessionId(id)) return std::nullopt;
  const std::string key = Digest(id);
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.session.expires <= clock_.Now()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second.session;
}

void SessionTable::End(std::string_view id) {
  if (!IsSessionId(id)) return;
  const std::string key = Digest(id);
  absl::MutexLock lock(&mu_);
  sessions_.erase(key);
}

size_t SessionTable::size() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

void SessionTable::MakeRoom() {
  if (sessions_.size() < options_.max_sessions) return;
  const absl::Time now = clock_.Now();
  absl::erase_if(sessions_,
                 [now](const auto& entry) { return entry.second.session.expires <= now; });
  // Rare (only a full table of live sessions) and bounded by max_sessions: a scan is enough.
  while (!sessions_.empty() && sessions_.size() >= options_.max_sessions) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
    sessions_.erase(oldest);
  }
}

}  // namespace relais::gateway
