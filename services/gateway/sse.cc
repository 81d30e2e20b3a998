#include "services/gateway/sse.h"

#include <vector>

#include "absl/strings/str_split.h"

namespace relais::gateway {
namespace {

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  for (char c : value) {
    if (c != '\n' && c != '\r') out.push_back(c);
  }
  out.push_back('\n');
}

}  // namespace

std::string SseOpening() { return "retry: 2000\n\n: open\n\n"; }

std::string SseFrame(std::string_view id, std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(data.size() + id.size() + event.size() + 32);
  if (!id.empty()) AppendField(out, "id", id);
  AppendField(out, "event", event);
  // "\r\n", "\r" and "\n" all end a line for the browser: split on each so that a stray "\r"
  // cannot end a data line early.
  std::vector<std::string> lines =
      absl::StrSplit(absl::string_view(data.data(), data.size()), '\n');
  for (std::string_view line : lines) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string cleaned;
    for (char c : line) cleaned.push_back(c == '\r' ? ' ' : c);
    out.append("data: ");
    out.append(cleaned);
    out.push_back('\n');
  }
  out.push_back('\n');
  return out;
}

std::string SseComment(std::string_view text) {
  std::string out = ": ";
  for (char c : text) {
    if (c != '\n' && c != '\r') out.push_back(c);
  }
  out.append("\n\n");
  return out;
}

}  // namespace relais::gateway
