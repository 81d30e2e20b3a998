// How the mobilisation service's answers read on a terminal (the default output; --json is for
// scripts): candidates, progress, requests, assignments, the crisis board, outreach, and one
// line per event of the live feeds. Every line fits in kMaxWidth columns.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/mobilisation.pb.h"

namespace relais::cli {

// The window, how many were already asked, then the candidates best first: rank, kind, id,
// organisation, score, and their reasons ("; "-joined) on the lines under each.
std::string CandidatesView(const relais::v1::ProposeCandidatesResponse& response);

// "need_1 (skill:nurse): required 4, requested 6, accepted 1, deployed 0, released 0; open",
// wrapped within the width, ending with a newline.
std::string ProgressLine(const relais::v1::NeedProgress& progress);

// The progress line, then the requests this call sent.
std::string MobiliseView(const relais::v1::MobiliseResponse& response);

// Every count of the need's progress and its policy.
std::string NeedProgressDetail(const relais::v1::NeedProgress& progress);

// Every field of the request; `now` says how long a pending one has left.
std::string RequestDetail(const relais::v1::MobilisationRequest& request, absl::Time now);

// One line per request: id, state, who, quantity, respond by; its need on a second line.
std::string RequestTable(
    const google::protobuf::RepeatedPtrField<relais::v1::MobilisationRequest>& requests);

// Every field of the assignment.
std::string AssignmentDetail(const relais::v1::Assignment& assignment);

// One line per assignment: id, state, who, quantity, end of the window; its need on a second line.
std::string AssignmentTable(
    const google::protobuf::RepeatedPtrField<relais::v1::Assignment>& assignments);

// The crisis, how many were not reached, one line of progress per need and, under each, its
// pending requests with their time left; then the cursor to watch from.
std::string CrisisBoardView(const relais::v1::CrisisBoard& board);

// The requests whose responder was not reached, then those reached and not answered, each with
// its notifications' channels and states.
std::string OutreachView(const relais::v1::Outreach& outreach);

// "2026-11-26T09:31:02Z  request-accepted  need_1 mrq_1 asg_1 rsp_1 by coord-1": the time, the
// type in words and the ids the event carries (its crisis too when `show_crisis`), wrapped under
// the ids when too long. Ends with a newline.
std::string EventLine(const relais::v1::Event& event, bool show_crisis);

}  // namespace relais::cli
