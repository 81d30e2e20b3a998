// How crises and needs read on a terminal (the default output; --json is for scripts).
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"
#include "relais/v1/crisis_registry.pb.h"

namespace relais::cli {

// Every field of the crisis, then its needs as tables (open ones, then cancelled ones).
std::string CrisisDetail(const relais::v1::Crisis& crisis);

// One line per crisis, or a short sentence when there is none.
std::string CrisisTable(const google::protobuf::RepeatedPtrField<relais::v1::Crisis>& crises);

// Every field of one need.
std::string NeedDetail(const relais::v1::Need& need);

// "skill:nurse": the head of the --need syntax.
std::string NeedWhat(const relais::v1::NeedSpec& spec);

}  // namespace relais::cli
