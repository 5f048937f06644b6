// Tables of mixed columns for `kldiv compare`: each column numeric or
// categorical (told apart from the data, or as the caller says), with its
// missing values counted rather than dropped silently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kldiv/compare.hpp"

namespace kldiv {

/// How columns are typed: a column is numeric when every value present
/// parses as a finite number, categorical otherwise; the names listed here
/// override that (numeric: a value that is not a finite number is then an
/// error naming the line; categorical: numbers are taken as labels, e.g. zip
/// codes).
struct column_types {
  std::vector<std::string> numeric;
  std::vector<std::string> categorical;
};

/// The missing-value markers: an empty field, NA, N/A, NaN, nan, null, NULL,
/// None (exactly these).
bool is_missing(std::string_view field);

/// Parses delimited text with a header line (as io::parse_text_cells) into
/// typed columns, in file order. `source` names the text in messages.
std::vector<data_column> parse_columns(std::string_view text,
                                       std::string_view source,
                                       const column_types& types = {});

/// Reads a file into typed columns: CSV/TSV/whitespace text with a header
/// line, or NPY (numeric columns named "0", "1", ...; nothing missing).
/// IoError/InvalidArgument name the file, the column and the line.
std::vector<data_column> read_columns(const std::string& path,
                                      const column_types& types = {});

}  // namespace kldiv
