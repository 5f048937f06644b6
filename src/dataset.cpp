// Typed columns from delimited text or NPY, with missing values counted.
#include "kldiv/dataset.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "kldiv/io.hpp"

namespace kldiv {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// Every name the caller typed must be a column of the table.
void check_named(const std::vector<std::string>& names,
                 const std::vector<std::string>& columns,
                 std::string_view source, const char* option) {
  for (const auto& n : names) {
    if (!listed(columns, n)) {
      throw InvalidArgument(std::string(source) + ": no column '" + n +
                            "' (named as " + option + ")");
    }
  }
}

}  // namespace

bool is_missing(std::string_view f) {
  static constexpr std::array<std::string_view, 8> kMarkers = {
      "", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"};
  return std::find(kMarkers.begin(), kMarkers.end(), f) != kMarkers.end();
}

std::vector<data_column> parse_columns(std::string_view text,
                                       std::string_view source,
                                       const column_types& types) {
  const io::text_table t = io::parse_text_cells(text, source);
  check_named(types.numeric, t.names, source, "numeric");
  check_named(types.categorical, t.names, source, "categorical");
  std::vector<data_column> out;
  for (std::size_t c = 0; c < t.cols; ++c) {
    data_column col;
    col.name = t.names[c];
    const bool force_numeric = listed(types.numeric, col.name);
    const bool force_categorical = listed(types.categorical, col.name);
    if (force_numeric && force_categorical) {
      throw InvalidArgument(std::string(source) + ": column '" + col.name +
                            "' is named both numeric and categorical");
    }
    // Numeric unless a value present is not a finite number.
    bool numeric = !force_categorical;
    std::size_t first_text = 0;
    for (std::size_t r = 0; r < t.rows && numeric; ++r) {
      const std::string& f = t.at(r, c);
      if (is_missing(f)) continue;
      double v = 0.0;
      if (!io::parse_number(f, v) || !std::isfinite(v)) {
        numeric = false;
        first_text = r;
      }
    }
    if (force_numeric && !numeric) {
      throw InvalidArgument(std::string(source) + ": line " +
                            std::to_string(t.lines[first_text]) + ", column '" +
                            col.name + "': '" + t.at(first_text, c) +
                            "' is not a finite number, but the column is "
                            "named numeric");
    }
    col.kind = numeric ? column_kind::numeric : column_kind::categorical;
    if (!numeric && !force_categorical) {
      col.why_categorical = "line " + std::to_string(t.lines[first_text]) +
                            " has '" + t.at(first_text, c) + "', not a number";
    }
    for (std::size_t r = 0; r < t.rows; ++r) {
      const std::string& f = t.at(r, c);
      if (is_missing(f)) {
        ++col.missing;
      } else if (numeric) {
        double v = 0.0;
        io::parse_number(f, v);
        col.numbers.push_back(v);
      } else {
        col.labels.push_back(f);
      }
    }
    out.push_back(std::move(col));
  }
  return out;
}

std::vector<data_column> read_columns(const std::string& path,
                                      const column_types& types) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open '" + path + "'");
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  if (bytes.rfind("\x93NUMPY", 0) != 0) {
    return parse_columns(bytes, path, types);
  }
  const io::table t = io::parse_npy(bytes, path);
  std::vector<data_column> out;
  for (std::size_t c = 0; c < t.cols; ++c) {
    data_column col;
    col.name = t.names.empty() ? std::to_string(c) : t.names[c];
    if (listed(types.categorical, col.name)) {
      throw InvalidArgument(path + ": column '" + col.name +
                            "' of an NPY file is numeric");
    }
    col.numbers = t.column(c);
    for (std::size_t r = 0; r < col.numbers.size(); ++r) {
      if (!std::isfinite(col.numbers[r])) {
        throw InvalidArgument(path + ": row " + std::to_string(r) +
                              ", column '" + col.name + "' is " +
                              detail::format_number(col.numbers[r]) +
                              ": NPY data must be finite");
      }
    }
    out.push_back(std::move(col));
  }
  return out;
}

}  // namespace kldiv
