// Reading numeric tables: CSV / TSV / whitespace-separated text, NumPy .npy
// (float32 or float64), and JSON arrays. The command line and the Python
// module read their inputs through these, so a file means the same thing to
// both. Every failure throws kldiv::IoError naming the source and, for text,
// the line and column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kldiv::io {

/// A rows x cols table of doubles, row-major, with optional column names.
struct table {
  std::string source;  ///< file name, "<stdin>" or "<inline>"
  std::vector<std::string>
      names;  ///< one per column when there was a header, else empty
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  ///< rows * cols values, row-major

  double at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
  /// Column c as a vector.
  std::vector<double> column(std::size_t c) const;
  /// The index of the column called `key`, or, when no column has that name
  /// and `key` is a whole number, the column with that 0-based index. Throws
  /// IoError listing the columns there are.
  std::size_t column_index(std::string_view key) const;
};

/// A rows x cols table of text cells (categorical data), row-major, with
/// the column names of its header line.
struct text_table {
  std::string source;
  std::vector<std::string> names;  ///< from the header line
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::string> cells;  ///< rows * cols cells ("" when empty)
  std::vector<std::size_t> lines;  ///< each row's 1-based line in the file

  const std::string& at(std::size_t r, std::size_t c) const {
    return cells[r * cols + c];
  }
  /// As table::column_index.
  std::size_t column_index(std::string_view key) const;
};

/// The file formats read_table understands.
enum class format { automatic, text, npy, json };

/// Parses CSV, TSV or whitespace-separated text. The delimiter is the first
/// of ',', '\t', ';' found on the first data line, else runs of blanks. A
/// first line with a field that is not a number is a header. A UTF-8 byte
/// order mark, CRLF line ends, blank lines and lines starting with '#' are
/// accepted; ragged rows, empty fields and unparsable numbers are errors
/// naming line and column (both 1-based).
table parse_text(std::string_view text, std::string_view source);

/// Parses a NumPy .npy file (format versions 1, 2 and 3) of dtype float64 or
/// float32, either byte order, 1-D (one column) or 2-D, C or Fortran order.
table parse_npy(std::string_view bytes, std::string_view source);

/// Parses a JSON array of numbers (one column) or an array of equally long
/// arrays of numbers (rows).
table parse_json(std::string_view text, std::string_view source);

/// Parses `bytes` in the given format; automatic tells NPY by its magic
/// string, JSON by a leading '[' and takes anything else as text.
table parse(std::string_view bytes, std::string_view source,
            format f = format::automatic);

/// Parses one field as a number the way the text readers do (decimal or
/// scientific notation, an optional sign; "inf" and "nan" parse as such;
/// overflow gives ±inf, underflow ±0). False if it is not a number.
bool parse_number(std::string_view text, double& out);

/// Parses delimited text (as parse_text: delimiter, quotes, comments, blank
/// lines) into text cells. The first line is always the header; fields are
/// trimmed and unquoted, empty ones kept as ""; ragged rows are errors
/// naming the line.
text_table parse_text_cells(std::string_view text, std::string_view source);

/// Reads the file at `path` and parses it as text cells.
text_table read_text_table(const std::string& path);

/// Reads the file at `path` and parses it; automatic uses the extension
/// (.npy, .json, .csv, .tsv, .txt) and otherwise the content.
table read_table(const std::string& path, format f = format::automatic);

/// A 2-D array of numbers in a file too large to load at once (a model's
/// logits over a data set): memory-mapped, and read in chunks of rows.
class array_file {
 public:
  /// An .npy file of float16, float32 or float64 (2-D; a 1-D array is one
  /// row), either byte order, C or Fortran order; or, when `raw_cols` is
  /// given, raw little-endian float32 with that many columns. Throws IoError
  /// naming the file and the problem.
  explicit array_file(const std::string& path,
                      std::optional<std::size_t> raw_cols = std::nullopt);
  ~array_file();
  array_file(array_file&& other) noexcept;
  array_file& operator=(array_file&&) = delete;
  array_file(const array_file&) = delete;
  array_file& operator=(const array_file&) = delete;

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  /// "float16", "float32" or "float64".
  std::string_view dtype() const { return type_name_; }
  const std::string& source() const { return source_; }

  /// Rows [first, first + count) into `out`, row-major (count * cols values).
  /// float16 widens exactly; float64 read as float is an IoError (use the
  /// double form).
  void read(std::size_t first, std::size_t count,
            std::vector<float>& out) const;
  void read(std::size_t first, std::size_t count,
            std::vector<double>& out) const;

 private:
  template <class T>
  void read_as(std::size_t first, std::size_t count, std::vector<T>& out) const;

  std::string source_;
  const unsigned char* map_ = nullptr;
  std::size_t map_size_ = 0;
  const unsigned char* data_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0, item_size_ = 4;
  bool swap_ = false, fortran_ = false;
  std::string_view type_name_ = "float32";
};

/// An inline list of numbers such as "0.1,0.4,0.5" as a one-column table, or
/// nothing when `arg` is not such a list.
std::optional<table> parse_inline_list(std::string_view arg);

}  // namespace kldiv::io
