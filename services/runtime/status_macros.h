// Early return of a failed absl::Status, for the long chains of field checks in domain code.
#pragma once

#include "absl/status/status.h"

#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    if (absl::Status s_ = (expr); !s_.ok()) { \
      return s_;                              \
    }                                         \
  } while (false)
