// Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html):
// pure functions that turn the mobilisation feed into the bytes a browser's EventSource reads.
#pragma once

#include <string>
#include <string_view>

namespace relais::gateway {

// The first bytes of every stream: the reconnect delay EventSource uses after a dropped
// connection, then a comment that makes proxies and the browser see the stream open at once.
std::string SseOpening();

// One frame: "id: <id>\n" (when id is not empty) "event: <event>\n", one "data: " line per line
// of `data` (a browser joins them back with "\n"), then a blank line. Carriage returns and
// newlines in `id` or `event` would break the framing, so they are dropped.
std::string SseFrame(std::string_view id, std::string_view event, std::string_view data);

// A comment line, which EventSource ignores (keeps idle connections alive).
std::string SseComment(std::string_view text);

}  // namespace relais::gateway
