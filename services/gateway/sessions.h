// Browser sessions of the dashboard (docs/SECURITY.md, "The dashboard: HTTPS and sign-in"). A
// browser signs in once with a Relais token; the gateway then knows it by a random session id in
// an HttpOnly cookie. The table is in memory (a restart signs everyone out, which is harmless),
// bounded, and each session ends with its token, at sign-out, or after a maximum lifetime.
//
// Ids are 256 bits from OpenSSL's CSRNG; the table keeps only their SHA-256, so a memory dump
// holds no usable cookie and a lookup compares no secret. Thread-safe (the loop thread uses it;
// tests from theirs).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/runtime/clock.h"
#include "services/runtime/principal.h"

namespace relais::gateway {

struct SessionOptions {
  // A full table forgets its oldest session (that browser signs in again): a signed-in caller who
  // signs in over and over cannot grow the gateway's memory, nor lock other browsers out.
  size_t max_sessions = 10000;
  // Even a long-lived token gives a session of at most this.
  absl::Duration max_lifetime = absl::Hours(12);
};

struct Session {
  Principal principal;
  absl::Time expires;
};

class SessionTable {
 public:
  // `clock` is borrowed.
  explicit SessionTable(const Clock& clock, SessionOptions options = {});

  // A new session for `principal` until min(`token_expires`, now + max_lifetime); returns its id
  // (64 hex characters). INVALID_ARGUMENT when that time is not in the future; INTERNAL when the
  // CSRNG fails.
  absl::StatusOr<std::string> Create(const Principal& principal, absl::Time token_expires);

  // The live session `id` names; nullopt when unknown, malformed or expired (an expired one is
  // forgotten here).
  std::optional<Session> Find(std::string_view id);

  // Sign-out: forgets `id` (nothing when unknown).
  void End(std::string_view id);

  // Live and not yet collected expired sessions.
  size_t size() const;

 private:
  struct Entry {
    Session session;
    uint64_t created = 0;  // creation order: the oldest is evicted first
  };
  // Drops the expired ones, then the oldest ones until one more fits.
  void MakeRoom() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const SessionOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> sessions_ ABSL_GUARDED_BY(mu_);  // by SHA-256 of the id
  uint64_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// A session id's shape: 64 lower-case hex characters.
bool IsSessionId(std::string_view id);

}  // namespace relais::gateway
