#include "clients/relaisctl/table.h"

#include <algorithm>

#include "clients/relaisctl/messages.h"

namespace relais::cli {
namespace {

constexpr int kGap = 2;
// Flexible columns shrink to this before the others give up anything.
constexpr int kFlexibleFloor = 10;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte length of the first `count` code points of `text`.
size_t PrefixBytes(std::string_view text, int count) {
  size_t i = 0;
  int seen = 0;
  while (i < text.size()) {
    if (!IsContinuationByte(text[i])) {
      if (seen == count) break;
      ++seen;
    }
    ++i;
  }
  return i;
}

std::string Pad(std::string_view text, int width, Align align) {
  const int fill = std::max(0, width - DisplayWidth(text));
  if (align == Align::kRight) return std::string(fill, ' ') + std::string(text);
  return std::string(text) + std::string(fill, ' ');
}

void AppendLine(std::string& out, std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line;
  out += '\n';
}

}  // namespace

int DisplayWidth(std::string_view text) {
  int width = 0;
  for (char c : text) {
    if (!IsContinuationByte(c)) ++width;
  }
  return width;
}

std::string Flatten(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

std::string Truncate(std::string_view text, int width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width <= 0) return "";
  std::string out(text.substr(0, PrefixBytes(text, width - 1)));
  out += Text(Msg::kEllipsis);
  return out;
}

std::vector<std::string> Wrap(std::string_view text, int width) {
  std::vector<std::string> lines;
  width = std::max(width, 1);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string paragraph = Flatten(text.substr(start, end - start));
    std::string line;
    size_t i = 0;
    while (i < paragraph.size()) {
      if (paragraph[i] == ' ') {
        ++i;
        continue;
      }
      size_t j = paragraph.find(' ', i);
      if (j == std::string::npos) j = paragraph.size();
      std::string_view word(paragraph.data() + i, j - i);
      i = j;
      while (DisplayWidth(word) > width) {
        // A word longer than a line (a URL): cut it rather than overflow.
        if (!line.empty()) {
          lines.push_back(std::move(line));
          line.clear();
        }
        const size_t cut = PrefixBytes(word, width);
        lines.emplace_back(word.substr(0, cut));
        word.remove_prefix(cut);
      }
      if (word.empty()) continue;
      if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) > width) {
        lines.push_back(std::move(line));
        line.clear();
      }
      if (!line.empty()) line += ' ';
      line += word;
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  while (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string RenderTable(const std::vector<Column>& columns, const std::vector<Row>& rows,
                        int max_width) {
  const size_t n = columns.size();
  if (n == 0) return "";
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  for (const Row& row : rows) {
    std::vector<std::string> flat;
    for (size_t i = 0; i < n; ++i) {
      flat.push_back(i < row.cells.size() ? Flatten(row.cells[i]) : std::string());
    }
    cells.push_back(std::move(flat));
  }

  std::vector<int> widths(n);
  for (size_t i = 0; i < n; ++i) {
    widths[i] = DisplayWidth(columns[i].header);
    for (const auto& row : cells) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  int total = kGap * static_cast<int>(n - 1);
  for (int w : widths) total += w;

  // Narrow the widest column among the candidates of the first stage that has one: flexible
  // columns down to a floor, then any column but the kept ones, then any column.
  auto widest = [&](auto candidate, int floor) {
    int pick = -1;
    for (size_t i = 0; i < n; ++i) {
      if (candidate(columns[i]) && widths[i] > floor && (pick < 0 || widths[i] > widths[pick])) {
        pick = static_cast<int>(i);
      }
    }
    return pick;
  };
  while (total > max_width) {
    int pick = widest([](const Column& c) { return c.flexible; }, kFlexibleFloor);
    if (pick < 0) pick = widest([](const Column& c) { return !c.keep; }, 1);
    if (pick < 0) pick = widest([](const Column&) { return true; }, 1);
    if (pick < 0) break;
    --widths[pick];
    --total;
  }

  auto render_row = [&](auto cell_text) {
    std::string line;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) line += std::string(kGap, ' ');
      line += Pad(Truncate(cell_text(i), widths[i]), widths[i], columns[i].align);
    }
    return line;
  };
  const int note_indent = n > 1 ? std::min(widths[0] + kGap, max_width / 2) : 0;
  std::string out;
  AppendLine(out, render_row([&](size_t i) { return columns[i].header; }));
  for (size_t r = 0; r < cells.size(); ++r) {
    AppendLine(out, render_row([&](size_t i) { return cells[r][i]; }));
    if (rows[r].note.empty()) continue;
    if (!rows[r].wrap_note) {
      AppendLine(out, std::string(note_indent, ' ') +
                          Truncate(Flatten(rows[r].note), max_width - note_indent));
      continue;
    }
    for (const std::string& line : Wrap(rows[r].note, max_width - note_indent)) {
      AppendLine(out, std::string(note_indent, ' ') + line);
    }
  }
  return out;
}

std::string RenderFields(const std::vector<Field>& fields, int max_width) {
  int label_width = 0;
  for (const Field& f : fields) label_width = std::max(label_width, DisplayWidth(f.label));
  // Labels may be long in another language; values keep at least half the line.
  label_width = std::min(label_width, max_width / 2 - kGap);
  const int value_width = max_width - label_width - kGap;
  const std::string indent(label_width + kGap, ' ');

  std::string out;
  for (const Field& f : fields) {
    const std::string label =
        Pad(Truncate(f.label, label_width), label_width, Align::kLeft) + std::string(kGap, ' ');
    if (!f.wrap) {
      AppendLine(out, label + Truncate(Flatten(f.value), value_width));
      continue;
    }
    const std::vector<std::string> lines = Wrap(f.value, value_width);
    for (size_t i = 0; i < lines.size(); ++i) AppendLine(out, (i == 0 ? label : indent) + lines[i]);
  }
  return out;
}

}  // namespace relais::cli
