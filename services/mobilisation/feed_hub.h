// The live feed of the mobilisation service: WatchMobilisation and WatchMyAssignments, served
// from the event log (the Redis Stream every service appends to) through the raw callback API.
//
// One reader thread, on a Redis connection of its own, follows the log with XREAD BLOCK. Each
// event it reads becomes one serialized MobilisationUpdate (one grpc::Slice) shared by every
// subscriber it matches and by a ring of the most recent events. A subscriber that resumes from
// a cursor first gets its backlog (from the ring, or from Redis with XRANGE for an older one,
// paced by its queue) and then joins the live tail, with no gap and no duplicate at the handoff.
//
// Cursors are stream entry ids, so a cursor is valid across restarts of the service. A cursor
// older than the retained log (one that was itself trimmed, or before an entry removed by XDEL)
// is OUT_OF_RANGE; a subscriber whose queue of live events is full (queue_limit) is ended with
// RESOURCE_EXHAUSTED and resumes from its last cursor. A backlog is paced by its queue instead.
//
// Threads: the reader; a small executor for backlogs and cursor checks (never a gRPC thread);
// per subscriber only a small queue. Stop() ends every stream with UNAVAILABLE; streams keep the
// shared state alive until gRPC is done with them, so Stop() may come before the server's
// Shutdown(). The hub object itself must outlive the server's Shutdown() (the handler calls it
// for every new call).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/principal.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace relais::mobilisation {

struct FeedOptions {
  // The event log (CommitOptions::event_log_key).
  std::string key = "relais:events";
  // Events waiting for one subscriber; a live subscriber with a full queue is cut off.
  int queue_limit = 1024;
  // Most recent events kept in memory to serve backlogs without Redis.
  int ring_size = 10000;
  // Entries per XREAD of the reader, and per XRANGE page of a backlog.
  int read_batch = 500;
  int backlog_page = 500;
  // How long one XREAD waits for new entries: bounds how long Stop() waits for the reader.
  absl::Duration block = absl::Milliseconds(500);
  // Open streams at most; more: RESOURCE_EXHAUSTED.
  int max_subscribers = 20000;
  // How often the server should call SendHeartbeats() (the hub runs no timer itself).
  absl::Duration heartbeat_interval = absl::Seconds(15);
  // Threads (and Redis connections) serving backlogs and cursor checks.
  int backlog_threads = 2;
};

class FeedHub {
 public:
  // `clock` gives the heartbeats' time and must outlive the hub; `metrics` (may be null) gets
  // relais_feed_subscribers and relais_feed_cut_off_total and must outlive the hub. Nothing
  // connects before Start().
  FeedHub(const RedisSettings& redis, const Clock& clock, FeedOptions options = {},
          prometheus::Registry* metrics = nullptr);
  ~FeedHub();  // Stop()

  FeedHub(const FeedHub&) = delete;
  FeedHub& operator=(const FeedHub&) = delete;

  // Takes the log's current end as the live position and starts the reader. Redis being down is
  // not an error: the reader takes the position when Redis answers. FAILED_PRECONDITION when the
  // password file cannot be read or the hub was already started or stopped.
  absl::Status Start();
  // Ends every open stream with UNAVAILABLE "server shutting down", refuses new ones, joins the
  // threads. Idempotent; safe while clients are connected and before the gRPC server's Shutdown.
  void Stop();

  // The raw callback methods of relais.v1.Mobilisation: `request` is a serialized
  // WatchMobilisationRequest / WatchMyAssignmentsRequest; every message written is a serialized
  // MobilisationUpdate. `caller` is the runner's answer (RpcRunner::Admit): an error ends the
  // stream at once with it. WatchMyAssignments also checks that the caller may watch the
  // responder named (access::AuthorizeTarget).
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchMobilisation(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      const absl::StatusOr<Principal>& caller);
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchMyAssignments(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
      const absl::StatusOr<Principal>& caller);

  // One heartbeat (clock time, the stream's latest log position) to every stream whose queue is
  // empty. The server calls it every options().heartbeat_interval.
  void SendHeartbeats();

  // Open streams.
  int subscribers() const;
  // The last entry id the reader has passed ("" before it first reached Redis).
  std::string live_position() const;
  // The options in use (values below their minimum raised to it, e.g. queue_limit to 1).
  const FeedOptions& options() const;

 private:
  class Core;
  class Stream;
  std::shared_ptr<Core> core_;
};

}  // namespace relais::mobilisation
