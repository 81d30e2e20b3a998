// The two shapes of call every noun makes: one RPC whose answer is printed, and a list that
// follows its pages. Templates over the generated stubs, so a noun names a method and a view.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>
#include <grpcpp/client_context.h>

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "clients/relaisctl/session.h"

namespace relais::cli {

template <typename Response>
using View = std::type_identity_t<std::function<std::string(const Response&)>>;

// Calls one method of `Stub` with retries and prints its answer with `view` (or JSON).
template <typename Stub, typename Request, typename Response>
int CallAndShow(Session& session, CallKind kind, const Request& request,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const View<Response>& view) {
  Stub stub(session.Channel());
  Response response;
  const grpc::Status status = session.Call(
      [&](grpc::ClientContext& context) { return (stub.*method)(&context, request, &response); });
  return session.Finish(
      status, response, [&] { return view(response); }, kind);
}

// A list method (page_size, page_token in; items and next_page_token out). One page, or with
// `all` every page from the request's token on, merged into one response (fields other than the
// items as the first page has them) so that --json prints one document; `items` is the response's
// repeated field, e.g. &ListCrisesResponse::mutable_crises.
template <typename Stub, typename Request, typename Response, typename Items>
int ListAndShow(Session& session, bool all, Request request,
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                Items* (Response::*items)(), const View<Response>& view) {
  Stub stub(session.Channel());
  Response merged;
  bool first = true;
  while (true) {
    Response page;
    const grpc::Status status = session.Call(
        [&](grpc::ClientContext& context) { return (stub.*method)(&context, request, &page); });
    if (!status.ok()) {
      return session.Finish(
          status, page, [] { return std::string(); }, CallKind::kRead);
    }
    // The response's other fields (e.g. an audit trail's retention) come from the first page.
    if (first) {
      merged = page;
      (merged.*items)()->Clear();
      first = false;
    }
    for (auto& item : *(page.*items)()) *(merged.*items)()->Add() = std::move(item);
    // A server handing back the token it was given would keep us here forever.
    if (!all || page.next_page_token().empty() || page.next_page_token() == request.page_token()) {
      merged.set_next_page_token(all ? "" : page.next_page_token());
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  return session.Finish(
      grpc::Status::OK, merged, [&] { return view(merged); }, CallKind::kRead);
}

// Every page of a list method, its items appended to `out`, for verbs that gather rather than
// print (import, responder export). The largest page the services allow; stops if a server hands
// back the token it was given. `items` is the response's repeated field, e.g.
// &ListTeamsResponse::teams.
template <typename Stub, typename Request, typename Response, typename Item>
grpc::Status ListEveryPage(Session& session, Stub& stub, Request request,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
                           const google::protobuf::RepeatedPtrField<Item>& (Response::*items)()
                               const,
                           std::vector<Item>* out) {
  request.set_page_size(200);
  while (true) {
    Response page;
    const grpc::Status status = session.Call(
        [&](grpc::ClientContext& context) { return (stub.*method)(&context, request, &page); });
    if (!status.ok()) return status;
    out->insert(out->end(), (page.*items)().begin(), (page.*items)().end());
    if (page.next_page_token().empty() || page.next_page_token() == request.page_token()) {
      return grpc::Status::OK;
    }
    request.set_page_token(page.next_page_token());
  }
}

}  // namespace relais::cli
