#include "clients/relaisctl/watch.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/mobilisation_views.h"
#include "clients/relaisctl/output.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

// While it lives, cancels the call on `context` as soon as Ctrl-C is pressed: the stream's
// blocking Read then returns. The signal handler only sets a flag; this thread does the rest.
class CancelOnInterrupt {
 public:
  CancelOnInterrupt(const Session& session, grpc::ClientContext& context) {
    thread_ = std::thread([this, &session, &context] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!stop_) {
        if (session.Interrupted()) {
          context.TryCancel();
          return;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
    });
  }
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;

  ~CancelOnInterrupt() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

bool Reconnectable(grpc::StatusCode code) {
  return code == grpc::StatusCode::OK || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::UNAVAILABLE;
}

// Where to resume, on stderr, when the view stops with a cursor in hand.
void SayStopped(Session& session, const std::string& cursor) {
  if (!cursor.empty()) session.err() << Say(Msg::kWatchStopped, cursor) << "\n";
}

}  // namespace

std::string JsonLineUnder(const std::string& key, const google::protobuf::Message& message) {
  std::string json = ToJsonLine(message);
  while (!json.empty() && json.back() == '\n') json.pop_back();
  return "{\"" + key + "\":" + json + "}\n";
}

int Watch(Session& session, const WatchSpec& spec, std::string cursor, const WatchPolicy& policy) {
  session.CatchInterrupts();
  int64_t shown = 0;
  int failures = 0;
  absl::Duration backoff = policy.first_backoff;
  while (true) {
    grpc::Status status;
    bool enough = false;
    {
      grpc::ClientContext context;
      session.Prepare(context, /*deadline=*/false);
      CancelOnInterrupt cancel_on_interrupt(session, context);
      std::unique_ptr<UpdateReader> reader = spec.open(&context, cursor);
      v1::MobilisationUpdate update;
      while (!enough && reader->Read(&update)) {
        failures = 0;
        backoff = policy.first_backoff;
        if (update.has_heartbeat()) {
          if (!update.heartbeat().cursor().empty()) cursor = update.heartbeat().cursor();
          continue;
        }
        if (!update.has_event()) continue;  // a kind of update newer than this client
        const v1::Event& event = update.event();
        if (!event.cursor().empty()) cursor = event.cursor();
        session.out() << (session.settings().json ? ToJsonLine(update)
                                                  : EventLine(event, spec.show_crisis));
        session.out().flush();
        if (spec.once && ++shown >= *spec.once) {
          enough = true;
          context.TryCancel();
        }
      }
      if (enough) {
        while (reader->Read(&update)) {
        }
      }
      status = reader->Finish();
    }
    if (enough || session.Interrupted()) {
      SayStopped(session, cursor);
      return kExitOk;
    }
    const grpc::StatusCode code = status.error_code();
    if (code != grpc::StatusCode::OUT_OF_RANGE && !Reconnectable(code)) {
      SayStopped(session, cursor);
      return session.Finish(
          status, v1::MobilisationUpdate(), [] { return std::string(); }, CallKind::kRead);
    }
    if (++failures > policy.max_reconnects) {
      SayStopped(session, cursor);
      if (status.ok()) {
        status = grpc::Status(grpc::StatusCode::UNAVAILABLE, Say(Msg::kWatchServerEnded));
      }
      return session.Finish(
          status, v1::MobilisationUpdate(), [] { return std::string(); }, CallKind::kRead);
    }
    if (code == grpc::StatusCode::OUT_OF_RANGE) {
      session.err() << Say(Msg::kWatchOutOfRange, cursor, status.error_message()) << "\n";
      const grpc::Status resynced = spec.resync(&cursor);
      if (!resynced.ok()) {
        return session.Finish(
            resynced, v1::MobilisationUpdate(), [] { return std::string(); }, CallKind::kRead);
      }
      continue;
    }
    const std::string why = status.ok() ? Say(Msg::kWatchServerEnded)
                                        : StatusCodeName(code) + ": " + status.error_message();
    session.err() << (cursor.empty()
                          ? Say(Msg::kWatchReconnectNow, why, absl::FormatDuration(backoff),
                                failures, policy.max_reconnects)
                          : Say(Msg::kWatchReconnect, why, cursor, absl::FormatDuration(backoff),
                                failures, policy.max_reconnects))
                  << "\n";
    session.Sleep(backoff);
    backoff = std::min(backoff * 2, policy.max_backoff);
  }
}

}  // namespace relais::cli
