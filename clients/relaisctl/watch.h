// The live views of relaisctl (crisis watch, assignment watch): one line per event as it arrives,
// following the stream rules of proto/relais/v1/mobilisation.proto. Heartbeats only move the
// cursor. A stream cut by the server (RESOURCE_EXHAUSTED: this subscriber fell behind;
// UNAVAILABLE: the server went away; or a plain end) is opened again from the last cursor after a
// short back-off, at most `max_reconnects` times in a row. OUT_OF_RANGE (the cursor is older than
// the log keeps) takes a new snapshot and goes on from its cursor. Ctrl-C stops cleanly (exit 0)
// and says where to resume.
#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "clients/relaisctl/session.h"
#include "relais/v1/mobilisation.pb.h"

namespace relais::cli {

struct WatchPolicy {
  // Reconnections in a row without a message in between before giving up.
  int max_reconnects = 5;
  // Wait before the first reconnection; doubled before each later one, up to max_backoff.
  absl::Duration first_backoff = absl::Milliseconds(250);
  absl::Duration max_backoff = absl::Seconds(4);
};

using UpdateReader = grpc::ClientReaderInterface<relais::v1::MobilisationUpdate>;

struct WatchSpec {
  // Opens the stream after `cursor` ("" : from now) on a prepared context.
  std::function<std::unique_ptr<UpdateReader>(grpc::ClientContext* context,
                                              const std::string& cursor)>
      open;
  // After OUT_OF_RANGE: takes and prints a fresh snapshot, sets the cursor to go on from. Its
  // error ends the watch.
  std::function<grpc::Status(std::string* cursor)> resync;
  // Event lines name their crisis (the view is not about one crisis).
  bool show_crisis = true;
  // Stop after this many events (heartbeats do not count).
  std::optional<int64_t> once;
};

// Runs the view from `cursor` until --once, Ctrl-C, or an error it does not recover from;
// returns the exit code.
int Watch(Session& session, const WatchSpec& spec, std::string cursor,
          const WatchPolicy& policy = {});

// `{"<key>": <message>}` on one line: what a live view prints for a snapshot with --json, beside
// its `{"event": ...}` lines.
std::string JsonLineUnder(const std::string& key, const google::protobuf::Message& message);

}  // namespace relais::cli
