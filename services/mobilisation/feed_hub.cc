#include "services/mobilisation/feed_hub.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/executor.h"
#include "services/runtime/grpc_status.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/redis_client.h"
#include "services/runtime/validation.h"

namespace relais::mobilisation {
namespace {

constexpr int kMaxCrisisIds = 100;
constexpr char kFellBehind[] = "subscriber fell behind; resume from your last cursor";
constexpr char kTrimmed[] = "cursor: older than the retained event log; take a new snapshot";
constexpr char kShuttingDown[] = "server shutting down";
// Redis pages one backlog task reads before it lets other subscribers' tasks run.
constexpr int kPagesPerTask = 8;
// The reader's pauses while Redis cannot be read; also how often waiting backlogs retry.
constexpr absl::Duration kReaderBackoffMin = absl::Milliseconds(50);
constexpr absl::Duration kReaderBackoffMax = absl::Seconds(1);
constexpr absl::Duration kRetryInterval = absl::Milliseconds(100);

// A stream entry id, "<ms>-<seq>", ordered as Redis orders them.
struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  friend auto operator<=>(const StreamId&, const StreamId&) = default;
  std::string str() const { return absl::StrCat(ms, "-", seq); }
  // The ids right after and right before: no entry can lie strictly between.
  StreamId Next() const { return seq == UINT64_MAX ? StreamId{ms + 1, 0} : StreamId{ms, seq + 1}; }
  StreamId Prev() const { return seq == 0 ? StreamId{ms - 1, UINT64_MAX} : StreamId{ms, seq - 1}; }
};

std::optional<StreamId> ParseStreamId(absl::string_view text) {
  const auto number = [](absl::string_view digits, uint64_t* value) {
    if (digits.empty() || digits.size() > 20) return false;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
    }
    return absl::SimpleAtoi(digits, value);
  };
  const size_t dash = text.find('-');
  StreamId id;
  if (dash == absl::string_view::npos || !number(text.substr(0, dash), &id.ms) ||
      !number(text.substr(dash + 1), &id.seq)) {
    return std::nullopt;
  }
  return id;
}

// One entry of the log, read and serialized once, shared by the ring and every queue.
struct Entry {
  StreamId id;
  // The entry's `c` field.
  std::string crisis_id;
  std::string responder_id;
  std::vector<std::string> responder_ids;
  // The serialized MobilisationUpdate carrying the event (its cursor set).
  grpc::Slice update;
};
using EntryPtr = std::shared_ptr<const Entry>;

grpc::Slice Serialize(const google::protobuf::MessageLite& message) {
  grpc::Slice slice(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(const_cast<uint8_t*>(slice.begin()));
  return slice;
}

// [id, [field, value, ...]] as XRANGE and XREAD return it. An `e` that does not parse still
// becomes an event (its cursor, the `t` type and the `c` crisis), so that no reader silently
// misses that something happened.
absl::StatusOr<EntryPtr> ParseEntry(const Reply& reply) {
  const auto& parts = reply.elements();
  if (parts.size() != 2 || !parts[0].is_string() || !parts[1].is_array()) {
    return absl::InternalError("event log: malformed entry");
  }
  std::optional<StreamId> id = ParseStreamId(parts[0].str());
  if (!id) return absl::InternalError(absl::StrCat("event log: bad entry id ", parts[0].str()));
  const Reply* type = nullptr;
  const Reply* crisis = nullptr;
  const Reply* payload = nullptr;
  const auto& fields = parts[1].elements();
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& name = fields[i].str();
    if (name == "t") type = &fields[i + 1];
    if (name == "c") crisis = &fields[i + 1];
    if (name == "e") payload = &fields[i + 1];
  }
  v1::MobilisationUpdate update;
  v1::Event* event = update.mutable_event();
  if (payload == nullptr || !event->ParseFromString(payload->str())) {
    event->Clear();
    int number = 0;
    if (type != nullptr && absl::SimpleAtoi(type->str(), &number) &&
        v1::EventType_IsValid(number)) {
      event->set_type(static_cast<v1::EventType>(number));
    }
    if (crisis != nullptr) event->set_crisis_id(crisis->str());
  }
  event->set_cursor(id->str());
  auto entry = std::make_shared<Entry>();
  entry->id = *id;
  entry->crisis_id = crisis != nullptr ? crisis->str() : event->crisis_id();
  entry->responder_id = event->responder_id();
  entry->responder_ids.assign(event->responder_ids().begin(), event->responder_ids().end());
  entry->update = Serialize(update);
  return entry;
}

absl::StatusOr<std::vector<EntryPtr>> ParseEntries(const Reply& list) {
  std::vector<EntryPtr> entries;
  entries.reserve(list.elements().size());
  for (const Reply& item : list.elements()) {
    auto entry = ParseEntry(item);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

// What XINFO STREAM tells about the retained log. A missing key is a log never written.
struct LogInfo {
  int64_t length = 0;
  int64_t entries_added = 0;
  StreamId last_generated;
  // The first entry retained (recorded-first-entry-id; 0-0 when empty).
  StreamId first;
  // The largest id removed by XDEL. Trimming (XADD MAXLEN, XTRIM) does not move it in Redis 7.0:
  // trimmed entries are those before `first`.
  StreamId max_deleted;

  // True when no entry after `cursor` was ever removed: a reader after it misses nothing. A
  // trimmed cursor is refused (it is older than the retained log) unless no id can lie between
  // it and the first entry retained.
  bool KeepsEverythingAfter(StreamId cursor) const {
    if (entries_added == length) return true;  // nothing was ever removed
    if (max_deleted > cursor) return false;
    if (length == 0) return cursor >= last_generated;
    return cursor.Next() >= first;
  }
  // Where a reader that lost entries goes on from: the earliest position that misses nothing.
  StreamId ResumePoint() const {
    if (length == 0) return last_generated;
    return std::max(first.Prev(), max_deleted);
  }
};

absl::StatusOr<LogInfo> ParseLogInfo(const Reply& reply) {
  if (reply.is_error()) {
    if (absl::StrContains(reply.str(), "no such key")) return LogInfo{};
    return ErrorReplyToStatus(reply);
  }
  LogInfo info;
  int found = 0;
  const auto& items = reply.elements();
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    const std::string& name = items[i].str();
    const Reply& value = items[i + 1];
    StreamId* id = nullptr;
    if (name == "length") {
      info.length = value.integer();
      ++found;
    } else if (name == "entries-added") {
      info.entries_added = value.integer();
      ++found;
    } else if (name == "last-generated-id") {
      id = &info.last_generated;
    } else if (name == "recorded-first-entry-id") {
      id = &info.first;
    } else if (name == "max-deleted-entry-id") {
      id = &info.max_deleted;
    }
    if (id == nullptr) continue;
    std::optional<StreamId> parsed = ParseStreamId(value.str());
    if (!parsed) return absl::InternalError(absl::StrCat("event log: XINFO STREAM: bad ", name));
    *id = *parsed;
    ++found;
  }
  if (found != 5)
    return absl::InternalError("event log: XINFO STREAM: fields missing (Redis < 7?)");
  return info;
}

bool IsRetryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable;
}

// Which events a stream wants.
struct Filter {
  // WatchMobilisation: sorted; empty means every event.
  std::vector<std::string> crisis_ids;
  // WatchMyAssignments: set.
  std::string responder_id;

  bool Matches(const Entry& entry) const {
    if (!responder_id.empty()) {
      return entry.responder_id == responder_id ||
             std::find(entry.responder_ids.begin(), entry.responder_ids.end(), responder_id) !=
                 entry.responder_ids.end();
    }
    return crisis_ids.empty() ||
           std::binary_search(crisis_ids.begin(), crisis_ids.end(), entry.crisis_id);
  }
};

template <typename Message>
absl::Status ParseRequest(const grpc::ByteBuffer* request, Message* message) {
  grpc::Slice bytes;  // stays empty for an empty request
  if (request != nullptr && request->Valid() && !request->DumpToSingleSlice(&bytes).ok()) {
    return absl::InvalidArgumentError("request: unreadable");
  }
  if (!message->ParseFromArray(bytes.begin(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("request: not a " + message->GetTypeName());
  }
  return absl::OkStatus();
}

// Options within their working ranges (a zero queue or page would stall every stream).
FeedOptions Normalized(FeedOptions options) {
  options.queue_limit = std::max(1, options.queue_limit);
  options.ring_size = std::max(0, options.ring_size);
  options.read_batch = std::max(1, options.read_batch);
  options.backlog_page = std::max(1, options.backlog_page);
  options.block = std::max(options.block, absl::Milliseconds(1));
  options.max_subscribers = std::max(0, options.max_subscribers);
  options.backlog_threads = std::max(1, options.backlog_threads);
  return options;
}

absl::StatusOr<std::optional<StreamId>> ParseCursor(const std::string& cursor) {
  if (cursor.empty()) return std::optional<StreamId>();
  std::optional<StreamId> id = ParseStreamId(cursor);
  if (!id) return InvalidField("cursor", "not a log position (an event's cursor, <ms>-<seq>)");
  return id;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// One open WatchMobilisation / WatchMyAssignments call. Owned by itself until gRPC calls OnDone,
// and by the hub while registered; it keeps the core alive, so OnDone after the hub is gone is
// safe. Lock order: the core's mu_, then a stream's mu_.
class FeedHub::Stream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  // How the stream's backlog is being read (only before it is live).
  enum class Pump : uint8_t { kIdle, kScheduled, kWaitingForRoom };

  Stream(std::shared_ptr<Core> core, Filter filter)
      : core_(std::move(core)), filter_(std::move(filter)) {}

  void OnWriteDone(bool ok) override;
  void OnCancel() override { End(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")); }
  void OnDone() override;

  // Unregisters the stream and finishes the call with `status`, once. Any thread, no lock held.
  void End(const grpc::Status& status);
  void Heartbeat(absl::Time now);
  // Starts the next write (an event, else a wanted heartbeat) unless one is in flight.
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<Core> core_;
  const Filter filter_;
  // Set at creation, released by OnDone.
  std::shared_ptr<Stream> self_;

  // Guarded by the core's mu_: the reader delivers live events to it; a live stream ignores
  // entries up to skip_through_ (its cursor was ahead of the reader).
  bool live_ = false;
  StreamId skip_through_;

  absl::Mutex mu_;
  std::deque<EntryPtr> queue_ ABSL_GUARDED_BY(mu_);
  // The latest log position passed: every event up to it is queued, written or filtered out.
  StreamId pos_ ABSL_GUARDED_BY(mu_);
  bool has_pos_ ABSL_GUARDED_BY(mu_) = false;
  // The message being written: alive until OnWriteDone.
  grpc::ByteBuffer in_flight_ ABSL_GUARDED_BY(mu_);
  absl::Time heartbeat_time_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool heartbeat_wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  Pump pump_ ABSL_GUARDED_BY(mu_) = Pump::kIdle;
};

// ---------------------------------------------------------------------------------------------
// The hub's state, shared with the streams. The hub owns it (and stops its threads); streams
// keep it alive after the hub is gone until gRPC is done with them.
class FeedHub::Core : public std::enable_shared_from_this<Core> {
 public:
  Core(const RedisSettings& redis, const Clock& clock, FeedOptions options,
       prometheus::Registry* metrics);

  absl::Status Start();
  void Stop();

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Reject(const absl::Status& status);
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Open(Filter filter, std::optional<StreamId> cursor);
  void SendHeartbeats();
  void Unregister(Stream* stream);
  // Queues one step of the stream's backlog on the executor (pump_ is kScheduled).
  void SchedulePump(std::shared_ptr<Stream> stream);

  int subscribers() const;
  std::string live_position() const;

  const FeedOptions options_;

 private:
  void ReadLoop();
  absl::Status ReadOnce();
  // Takes the log's end as the live position (once).
  absl::Status ResolveStart(RedisClient& redis);
  void Publish(StreamId from, const LogInfo& info, std::vector<EntryPtr> entries);
  void Pump(const std::shared_ptr<Stream>& stream);
  void RetryLater(const std::shared_ptr<Stream>& stream);
  void ResubmitRetries();
  void UpdateGauge() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  // Redis back-off runs on real time whatever clock the heartbeats use.
  const SystemClock redis_clock_;
  absl::Status config_status_;
  std::unique_ptr<RedisClient> reader_redis_;
  std::unique_ptr<RedisClient> backlog_redis_;
  std::unique_ptr<Executor> executor_;
  prometheus::Gauge* subscribers_gauge_ = nullptr;
  prometheus::Counter* cut_off_ = nullptr;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The reader's position: the last entry it read (or the log's end when it started).
  bool has_live_ ABSL_GUARDED_BY(mu_) = false;
  StreamId live_ ABSL_GUARDED_BY(mu_);
  // ring_ holds every entry after ring_base_ up to live_, oldest first.
  StreamId ring_base_ ABSL_GUARDED_BY(mu_);
  std::deque<EntryPtr> ring_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Stream*, std::shared_ptr<Stream>> streams_ ABSL_GUARDED_BY(mu_);
  // Backlogs waiting for Redis to answer again; the reader resubmits them.
  std::vector<std::shared_ptr<Stream>> retry_ ABSL_GUARDED_BY(mu_);

  absl::Mutex join_mu_;
  std::thread reader_ ABSL_GUARDED_BY(join_mu_);
};

// --- Stream ------------------------------------------------------------------------------------

void FeedHub::Stream::WriteNextLocked() {
  if (writing_ || finished_) return;
  if (!queue_.empty()) {
    grpc::ByteBuffer next(&queue_.front()->update, 1);
    in_flight_.Swap(&next);
    queue_.pop_front();
  } else if (heartbeat_wanted_) {
    heartbeat_wanted_ = false;
    v1::MobilisationUpdate update;
    *update.mutable_heartbeat()->mutable_time() = ToProtoTime(heartbeat_time_);
    if (has_pos_) update.mutable_heartbeat()->set_cursor(pos_.str());
    grpc::Slice bytes = Serialize(update);
    grpc::ByteBuffer next(&bytes, 1);
    in_flight_.Swap(&next);
  } else {
    return;
  }
  writing_ = true;
  // Never runs a reaction inline (gRPC schedules OnWriteDone), so holding mu_ is fine.
  StartWrite(&in_flight_);
}

void FeedHub::Stream::OnWriteDone(bool ok) {
  bool pump = false;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    in_flight_.Clear();
    if (finished_) return;
    if (ok) {
      const size_t limit = static_cast<size_t>(core_->options_.queue_limit);
      if (pump_ == Pump::kWaitingForRoom && queue_.size() <= limit / 2) {
        pump_ = Pump::kScheduled;
        pump = true;
      }
      WriteNextLocked();
    }
  }
  if (!ok) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
    return;
  }
  if (pump) core_->SchedulePump(self_);
}

void FeedHub::Stream::OnDone() {
  core_->Unregister(this);
  // May destroy this stream: nothing after it.
  std::shared_ptr<Stream> last = std::move(self_);
}

void FeedHub::Stream::End(const grpc::Status& status) {
  core_->Unregister(this);
  absl::MutexLock lock(&mu_);
  if (finished_) return;
  finished_ = true;
  queue_.clear();
  heartbeat_wanted_ = false;
  Finish(status);
}

void FeedHub::Stream::Heartbeat(absl::Time now) {
  absl::MutexLock lock(&mu_);
  // Never behind queued events: their cursors say more, and a heartbeat must not add to a
  // backlog.
  if (finished_ || !queue_.empty()) return;
  heartbeat_time_ = now;
  heartbeat_wanted_ = true;
  WriteNextLocked();
}

// --- Core --------------------------------------------------------------------------------------

FeedHub::Core::Core(const RedisSettings& redis, const Clock& clock, FeedOptions options,
                    prometheus::Registry* metrics)
    : options_(Normalized(std::move(options))), clock_(clock) {
  RedisOptions base;
  base.host = redis.host;
  base.port = redis.port;
  base.connect_timeout = redis.connect_timeout;
  base.command_timeout = redis.command_timeout;
  base.username = redis.username;
  if (!redis.password_file.empty()) {
    auto password = ReadSecretFile(redis.password_file);
    if (password.ok()) {
      base.password = *std::move(password);
    } else {
      config_status_ = absl::FailedPreconditionError(
          absl::StrCat("feed: redis password: ", password.status().message()));
    }
  }
  // The reader's XREAD waits up to `block` for entries: its timeout must be longer.
  RedisOptions reader = base;
  reader.connections = 1;
  reader.command_timeout = options_.block + redis.command_timeout;
  reader.backoff_max = kReaderBackoffMax;
  reader_redis_ = std::make_unique<RedisClient>(reader, redis_clock_);
  RedisOptions backlog = base;
  backlog.connections = options_.backlog_threads;
  backlog.backoff_max = kReaderBackoffMax;
  backlog_redis_ = std::make_unique<RedisClient>(backlog, redis_clock_);
  // At most one task per stream is queued (its pump), plus a few yields.
  executor_ = std::make_unique<Executor>(options_.backlog_threads,
                                         static_cast<size_t>(options_.max_subscribers) + 64);
  if (metrics != nullptr) {
    subscribers_gauge_ = &prometheus::BuildGauge()
                              .Name("relais_feed_subscribers")
                              .Help("Open WatchMobilisation and WatchMyAssignments streams.")
                              .Register(*metrics)
                              .Add({});
    cut_off_ = &prometheus::BuildCounter()
                    .Name("relais_feed_cut_off_total")
                    .Help("Feed subscribers ended because they fell behind the live events.")
                    .Register(*metrics)
                    .Add({});
  }
}

absl::Status FeedHub::Core::Start() {
  if (!config_status_.ok()) return config_status_;
  // Held until the thread exists, so that a concurrent Stop() joins it.
  absl::MutexLock join_lock(&join_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::FailedPreconditionError("feed: stopped");
    if (started_) return absl::FailedPreconditionError("feed: already started");
    started_ = true;
  }
  // Best effort: with Redis down, the reader takes the position when it can.
  ResolveStart(*reader_redis_).IgnoreError();
  reader_ = std::thread([this] { ReadLoop(); });
  return absl::OkStatus();
}

void FeedHub::Core::Stop() {
  std::vector<std::shared_ptr<Stream>> open;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    for (auto& [raw, stream] : streams_) {
      stream->live_ = false;
      open.push_back(std::move(stream));
    }
    streams_.clear();
    retry_.clear();
    UpdateGauge();
  }
  for (const auto& stream : open) {
    stream->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, kShuttingDown));
  }
  absl::MutexLock lock(&join_mu_);
  if (reader_.joinable()) reader_.join();
  // Runs the tasks still queued: each finds its stream finished.
  executor_->Shutdown();
}

void FeedHub::Core::UpdateGauge() {
  if (subscribers_gauge_ != nullptr) subscribers_gauge_->Set(static_cast<double>(streams_.size()));
}

int FeedHub::Core::subscribers() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

std::string FeedHub::Core::live_position() const {
  absl::MutexLock lock(&mu_);
  return has_live_ ? live_.str() : "";
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* FeedHub::Core::Reject(const absl::Status& status) {
  auto stream = std::make_shared<Stream>(shared_from_this(), Filter{});
  stream->self_ = stream;
  stream->End(ToGrpcStatus(status));
  return stream.get();
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* FeedHub::Core::Open(Filter filter,
                                                                std::optional<StreamId> cursor) {
  auto stream = std::make_shared<Stream>(shared_from_this(), std::move(filter));
  stream->self_ = stream;
  grpc::Status refused;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      refused = grpc::Status(grpc::StatusCode::UNAVAILABLE, kShuttingDown);
    } else if (streams_.size() >= static_cast<size_t>(options_.max_subscribers)) {
      refused = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                             absl::StrCat("subscribers: this server serves at most ",
                                          options_.max_subscribers, " streams; try another"));
    } else {
      streams_.emplace(stream.get(), stream);
      UpdateGauge();
      absl::MutexLock stream_lock(&stream->mu_);
      if (!cursor) {
        // From now: the reader's position.
        stream->live_ = true;
        stream->has_pos_ = has_live_;
        stream->pos_ = live_;
      } else {
        stream->has_pos_ = true;
        stream->pos_ = *cursor;
        stream->pump_ = Stream::Pump::kScheduled;
      }
      // Subscribed: a client may wait for the headers before it relies on "from now".
      stream->StartSendInitialMetadata();
    }
  }
  if (!refused.ok()) {
    stream->End(refused);
  } else if (cursor) {
    SchedulePump(stream);
  }
  return stream.get();
}

void FeedHub::Core::Unregister(Stream* stream) {
  std::shared_ptr<Stream> removed;
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  removed = std::move(it->second);
  removed->live_ = false;
  streams_.erase(it);
  UpdateGauge();
  // `removed` is released after the lock; the caller holds another reference anyway.
}

void FeedHub::Core::SchedulePump(std::shared_ptr<Stream> stream) {
  if (!executor_->Submit([this, stream] { Pump(stream); })) {
    stream->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, kShuttingDown));
  }
}

void FeedHub::Core::RetryLater(const std::shared_ptr<Stream>& stream) {
  absl::MutexLock lock(&mu_);
  if (!stopping_) retry_.push_back(stream);
}

void FeedHub::Core::ResubmitRetries() {
  std::vector<std::shared_ptr<Stream>> retry;
  {
    absl::MutexLock lock(&mu_);
    retry.swap(retry_);
  }
  for (auto& stream : retry) SchedulePump(std::move(stream));
}

void FeedHub::Core::SendHeartbeats() {
  const absl::Time now = clock_.Now();
  std::vector<std::shared_ptr<Stream>> open;
  {
    absl::MutexLock lock(&mu_);
    open.reserve(streams_.size());
    for (const auto& [raw, stream] : streams_) open.push_back(stream);
  }
  for (const auto& stream : open) stream->Heartbeat(now);
}

// One step of a stream's backlog, on the executor: events after its position from the ring, or
// from Redis when they are older than the ring, as many as its queue has room for. Once it
// reaches the reader's position (under the same lock the reader publishes with) it is live.
void FeedHub::Core::Pump(const std::shared_ptr<Stream>& stream) {
  const size_t limit = static_cast<size_t>(options_.queue_limit);
  for (int pages = 0;;) {
    size_t room = 0;
    StreamId pos;
    {
      absl::MutexLock lock(&stream->mu_);
      if (stream->finished_) return;
      if (stream->queue_.size() >= limit) {
        // OnWriteDone schedules the next step once the queue has drained to half.
        stream->pump_ = Stream::Pump::kWaitingForRoom;
        return;
      }
      room = limit - stream->queue_.size();
      pos = stream->pos_;
    }
    bool ahead = false;
    StreamId bound;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      if (!has_live_) {
        // The reader has not reached Redis yet.
        retry_.push_back(stream);
        return;
      }
      if (pos > live_) {
        ahead = true;
      } else if (pos < ring_base_) {
        bound = ring_base_;
      } else {
        auto it =
            std::upper_bound(ring_.begin(), ring_.end(), pos,
                             [](const StreamId& id, const EntryPtr& e) { return id < e->id; });
        StreamId reached = pos;
        std::vector<EntryPtr> batch;
        for (; it != ring_.end(); ++it) {
          if (stream->filter_.Matches(**it)) {
            if (batch.size() == room) break;
            batch.push_back(*it);
          }
          reached = (*it)->id;
        }
        const bool caught_up = it == ring_.end();
        absl::MutexLock stream_lock(&stream->mu_);
        if (stream->finished_) return;
        for (EntryPtr& entry : batch) stream->queue_.push_back(std::move(entry));
        stream->pos_ = caught_up ? live_ : reached;
        if (caught_up) {
          stream->live_ = true;
          stream->pump_ = Stream::Pump::kIdle;
        }
        stream->WriteNextLocked();
        if (caught_up) return;
        continue;
      }
    }

    if (ahead) {
      // A cursor after the reader's position: fine if Redis has it (the reader is just behind,
      // e.g. a board's cursor read a moment ago), a bad cursor otherwise.
      auto reply = backlog_redis_->Command({"XINFO", "STREAM", options_.key});
      absl::StatusOr<LogInfo> info =
          reply.ok() ? ParseLogInfo(*reply) : absl::StatusOr<LogInfo>(reply.status());
      if (!info.ok()) {
        if (!IsRetryable(info.status())) return stream->End(ToGrpcStatus(info.status()));
        return RetryLater(stream);
      }
      if (pos > info->last_generated) {
        return stream->End(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        "cursor: after the end of the event log"));
      }
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      if (pos > live_) {
        stream->live_ = true;
        stream->skip_through_ = pos;
        absl::MutexLock stream_lock(&stream->mu_);
        stream->pump_ = Stream::Pump::kIdle;
        return;
      }
      continue;  // The reader has passed it meanwhile: from the ring.
    }

    if (++pages > kPagesPerTask) return SchedulePump(stream);
    // Older than the ring: (pos, bound] from Redis, a page at a time. XINFO after XRANGE: if
    // nothing after pos had been removed by then, the page has no gap.
    const size_t count = std::min(room, static_cast<size_t>(options_.backlog_page));
    auto replies = backlog_redis_->Pipeline(
        {{"XRANGE", options_.key, "(" + pos.str(), bound.str(), "COUNT", absl::StrCat(count)},
         {"XINFO", "STREAM", options_.key}});
    absl::Status failed;
    absl::StatusOr<LogInfo> info = LogInfo{};
    if (!replies.ok()) {
      failed = replies.status();
    } else if ((*replies)[0].is_error()) {
      failed = ErrorReplyToStatus((*replies)[0]);
    } else if (info = ParseLogInfo((*replies)[1]); !info.ok()) {
      failed = info.status();
    }
    if (!failed.ok()) {
      if (!IsRetryable(failed)) return stream->End(ToGrpcStatus(failed));
      return RetryLater(stream);
    }
    if (!info->KeepsEverythingAfter(pos)) {
      return stream->End(grpc::Status(grpc::StatusCode::OUT_OF_RANGE, kTrimmed));
    }
    auto entries = ParseEntries((*replies)[0]);
    if (!entries.ok()) return stream->End(ToGrpcStatus(entries.status()));
    const StreamId reached = entries->size() < count ? bound : entries->back()->id;
    absl::MutexLock lock(&stream->mu_);
    if (stream->finished_) return;
    for (EntryPtr& entry : *entries) {
      if (stream->filter_.Matches(*entry)) stream->queue_.push_back(std::move(entry));
    }
    stream->pos_ = reached;
    stream->WriteNextLocked();
  }
}

// --- Reader ------------------------------------------------------------------------------------

absl::Status FeedHub::Core::ResolveStart(RedisClient& redis) {
  // What XREAD's "$" means, as a concrete id: the last id the log generated.
  auto reply = redis.Command({"XINFO", "STREAM", options_.key});
  if (!reply.ok()) return reply.status();
  auto info = ParseLogInfo(*reply);
  if (!info.ok()) return info.status();
  const StreamId end = info->last_generated;
  absl::MutexLock lock(&mu_);
  if (has_live_) return absl::OkStatus();
  has_live_ = true;
  live_ = end;
  ring_base_ = end;
  for (auto& [raw, stream] : streams_) {
    absl::MutexLock stream_lock(&stream->mu_);
    if (stream->live_ && !stream->has_pos_) {
      stream->has_pos_ = true;
      stream->pos_ = end;
    }
  }
  return absl::OkStatus();
}

void FeedHub::Core::ReadLoop() {
  absl::Duration backoff = kReaderBackoffMin;
  absl::Time last_retry = absl::InfinitePast();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const absl::Status status = ReadOnce();
    if (absl::Now() - last_retry >= kRetryInterval) {
      last_retry = absl::Now();
      ResubmitRetries();
    }
    if (status.ok()) {
      backoff = kReaderBackoffMin;
      continue;
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
    backoff = std::min(backoff * 2, kReaderBackoffMax);
  }
}

absl::Status FeedHub::Core::ReadOnce() {
  bool resolved = false;
  StreamId from;
  {
    absl::MutexLock lock(&mu_);
    resolved = has_live_;
    from = live_;
  }
  if (!resolved) return ResolveStart(*reader_redis_);
  // XINFO after XREAD (Redis runs it once XREAD returns): if nothing after `from` had been
  // removed by then, what XREAD returned has no gap.
  const int64_t block_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.block));
  auto replies =
      reader_redis_->Pipeline({{"XREAD", "COUNT", absl::StrCat(options_.read_batch), "BLOCK",
                                absl::StrCat(block_ms), "STREAMS", options_.key, from.str()},
                               {"XINFO", "STREAM", options_.key}});
  if (!replies.ok()) return replies.status();
  auto info = ParseLogInfo((*replies)[1]);
  if (!info.ok()) return info.status();
  const Reply& read = (*replies)[0];
  if (read.is_error()) return ErrorReplyToStatus(read);
  std::vector<EntryPtr> entries;
  // Nil when BLOCK timed out; else [[key, [entry...]]].
  for (const Reply& per_key : read.elements()) {
    if (per_key.elements().size() != 2) return absl::InternalError("event log: malformed XREAD");
    auto parsed = ParseEntries(per_key.elements()[1]);
    if (!parsed.ok()) return parsed.status();
    for (EntryPtr& entry : *parsed) entries.push_back(std::move(entry));
  }
  Publish(from, *info, std::move(entries));
  return absl::OkStatus();
}

// Appends what the reader read to the ring and to every live stream's queue. A live stream
// whose queue is full is cut off. If the log was trimmed past the reader (it fell more than the
// retained length behind), every live stream is ended with OUT_OF_RANGE: none may see a gap.
void FeedHub::Core::Publish(StreamId from, const LogInfo& info, std::vector<EntryPtr> entries) {
  const size_t limit = static_cast<size_t>(options_.queue_limit);
  const size_t ring_size = static_cast<size_t>(options_.ring_size);
  std::vector<std::shared_ptr<Stream>> kick;
  std::vector<std::shared_ptr<Stream>> cut;
  grpc::Status cut_status(grpc::StatusCode::RESOURCE_EXHAUSTED, kFellBehind);
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    if (!info.KeepsEverythingAfter(from)) {
      cut_status = grpc::Status(grpc::StatusCode::OUT_OF_RANGE, kTrimmed);
      for (const auto& [raw, stream] : streams_) {
        if (stream->live_) cut.push_back(stream);
      }
      ring_.clear();
      // This batch is dropped; the next read starts where nothing is missing.
      live_ = std::max(from, info.ResumePoint());
      ring_base_ = live_;
    } else if (!entries.empty()) {
      for (const EntryPtr& entry : entries) {
        ring_.push_back(entry);
        while (ring_.size() > ring_size) {
          ring_base_ = ring_.front()->id;
          ring_.pop_front();
        }
      }
      live_ = entries.back()->id;
      for (const auto& [raw, stream] : streams_) {
        if (!stream->live_) continue;
        absl::MutexLock stream_lock(&stream->mu_);
        if (stream->finished_) continue;
        bool overflow = false;
        for (const EntryPtr& entry : entries) {
          if (entry->id <= stream->skip_through_ || !stream->filter_.Matches(*entry)) continue;
          if (stream->queue_.size() >= limit) {
            overflow = true;
            break;
          }
          stream->queue_.push_back(entry);
        }
        if (overflow) {
          cut.push_back(stream);
          continue;
        }
        if (!stream->has_pos_ || stream->pos_ < live_) {
          stream->has_pos_ = true;
          stream->pos_ = live_;
        }
        if (!stream->writing_ && !stream->queue_.empty()) kick.push_back(stream);
      }
    }
    for (const auto& stream : cut) {
      stream->live_ = false;
      streams_.erase(stream.get());
    }
    if (!cut.empty()) {
      UpdateGauge();
      if (cut_off_ != nullptr) cut_off_->Increment(static_cast<double>(cut.size()));
    }
  }
  for (const auto& stream : cut) stream->End(cut_status);
  for (const auto& stream : kick) {
    absl::MutexLock lock(&stream->mu_);
    stream->WriteNextLocked();
  }
}

// --- FeedHub -----------------------------------------------------------------------------------

FeedHub::FeedHub(const RedisSettings& redis, const Clock& clock, FeedOptions options,
                 prometheus::Registry* metrics)
    : core_(std::make_shared<Core>(redis, clock, std::move(options), metrics)) {}

FeedHub::~FeedHub() { Stop(); }

absl::Status FeedHub::Start() { return core_->Start(); }

void FeedHub::Stop() { core_->Stop(); }

grpc::ServerWriteReactor<grpc::ByteBuffer>* FeedHub::WatchMobilisation(
    grpc::CallbackServerContext* /*ctx*/, const grpc::ByteBuffer* request,
    const absl::StatusOr<Principal>& caller) {
  if (!caller.ok()) return core_->Reject(caller.status());
  v1::WatchMobilisationRequest message;
  if (absl::Status parsed = ParseRequest(request, &message); !parsed.ok()) {
    return core_->Reject(parsed);
  }
  if (absl::Status count = CheckMaxCount("crisis_ids", message.crisis_ids_size(), kMaxCrisisIds);
      !count.ok()) {
    return core_->Reject(count);
  }
  Filter filter;
  for (int i = 0; i < message.crisis_ids_size(); ++i) {
    const std::string& id = message.crisis_ids(i);
    if (absl::Status ok = CheckResourceId(FieldPath("crisis_ids").Index(i), id); !ok.ok()) {
      return core_->Reject(ok);
    }
    filter.crisis_ids.push_back(id);
  }
  std::sort(filter.crisis_ids.begin(), filter.crisis_ids.end());
  filter.crisis_ids.erase(std::unique(filter.crisis_ids.begin(), filter.crisis_ids.end()),
                          filter.crisis_ids.end());
  auto cursor = ParseCursor(message.cursor());
  if (!cursor.ok()) return core_->Reject(cursor.status());
  return core_->Open(std::move(filter), *cursor);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* FeedHub::WatchMyAssignments(
    grpc::CallbackServerContext* /*ctx*/, const grpc::ByteBuffer* request,
    const absl::StatusOr<Principal>& caller) {
  if (!caller.ok()) return core_->Reject(caller.status());
  v1::WatchMyAssignmentsRequest message;
  if (absl::Status parsed = ParseRequest(request, &message); !parsed.ok()) {
    return core_->Reject(parsed);
  }
  if (absl::Status ok = CheckResourceId("responder_id", message.responder_id()); !ok.ok()) {
    return core_->Reject(ok);
  }
  // The responder named is the target: only they may watch it.
  if (absl::Status allowed = access::AuthorizeTarget(
          *caller, "/relais.v1.Mobilisation/WatchMyAssignments", {"", message.responder_id()});
      !allowed.ok()) {
    return core_->Reject(allowed);
  }
  auto cursor = ParseCursor(message.cursor());
  if (!cursor.ok()) return core_->Reject(cursor.status());
  Filter filter;
  filter.responder_id = message.responder_id();
  return core_->Open(std::move(filter), *cursor);
}

void FeedHub::SendHeartbeats() { core_->SendHeartbeats(); }

int FeedHub::subscribers() const { return core_->subscribers(); }

std::string FeedHub::live_position() const { return core_->live_position(); }

const FeedOptions& FeedHub::options() const { return core_->options_; }

}  // namespace relais::mobilisation
