// Plain-text layout for terminals: tables and "label  value" views that never exceed a width
// (100 columns by default), cutting long cells with an ellipsis. Widths count UTF-8 code points,
// so "Choléra" is 7 columns (wide CJK characters are counted as one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace relais::cli {

inline constexpr int kMaxWidth = 100;

// Columns a string takes on a terminal.
int DisplayWidth(std::string_view text);

// Control characters (a newline in a title) would break the layout: each becomes a space.
std::string Flatten(std::string_view text);

// `text` if it fits in `width` columns, otherwise its first width-1 code points and "…".
std::string Truncate(std::string_view text, int width);

// Greedy word wrap to `width` columns; keeps the text's own line breaks; cuts words that are
// longer than a line.
std::vector<std::string> Wrap(std::string_view text, int width);

enum class Align { kLeft, kRight };

struct Column {
  std::string header;
  Align align = Align::kLeft;
  // Free text (titles, codes) that gives up its width first when the table is too wide.
  bool flexible = false;
  // Ids people copy into the next command: cut only when nothing else can give.
  bool keep = false;
};

struct Row {
  std::vector<std::string> cells;
  // Optional second line, under the second column: details that do not deserve a column.
  std::string note;
  // Long notes (reasons) go on as many lines as they need rather than being cut.
  bool wrap_note = false;
};

// Header line then one line per row (and per note), each ending with '\n', none wider than
// max_width. Missing cells are blank.
std::string RenderTable(const std::vector<Column>& columns, const std::vector<Row>& rows,
                        int max_width = kMaxWidth);

struct Field {
  std::string label;
  std::string value;
  // Long free text: wrapped on several lines rather than truncated.
  bool wrap = false;
};

// "Label      value" lines, labels aligned, none wider than max_width.
std::string RenderFields(const std::vector<Field>& fields, int max_width = kMaxWidth);

}  // namespace relais::cli
