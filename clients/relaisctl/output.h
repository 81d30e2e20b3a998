// What relaisctl prints besides views: JSON for scripts, error lines, exit codes.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>

namespace relais::cli {

enum ExitCode : int {
  kExitOk = 0,
  // The server answered with an error.
  kExitServerError = 1,
  // The command line is wrong (CLI11's errors and ours).
  kExitUsage = 2,
  // The server could not be reached, even after retries.
  kExitUnreachable = 3,
};

// The canonical name, e.g. "INVALID_ARGUMENT".
std::string StatusCodeName(grpc::StatusCode code);

// The message with protobuf's JSON mapping, keeping the proto field names ("radius_km", not
// "radiusKm") and printing fields left at their default so scripts find every key. One document,
// ending with a newline.
std::string ToJson(const google::protobuf::Message& message);

// The same on one line (no newline inside, one at the end): one object per line for the live
// views, which scripts read line by line.
std::string ToJsonLine(const google::protobuf::Message& message);

// Exit code for a finished call's status.
int ExitCodeFor(const grpc::Status& status);

}  // namespace relais::cli
