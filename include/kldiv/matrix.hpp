// A non-owning view of a row-major matrix: the batched ("rows") forms of the
// divergences take one, and treat each row as one distribution.
#pragma once

#include <cstddef>
#include <span>

namespace kldiv {

/// rows x cols elements of type T; row r, column c is at
/// data[r * row_stride + c * col_stride]. A row_stride of 0 repeats one row
/// for every r (broadcasting a single distribution against a batch).
template <class T>
struct matrix_view {
  const T* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t row_stride = 0;  ///< elements between the starts of two rows
  std::size_t col_stride = 1;  ///< elements between two columns of a row

  /// A dense row-major matrix over a contiguous buffer of rows * cols values.
  static constexpr matrix_view dense(const T* data, std::size_t rows,
                                     std::size_t cols) {
    return {data, rows, cols, cols, 1};
  }
  /// One vector repeated `rows` times.
  static constexpr matrix_view repeat(std::span<const T> row,
                                      std::size_t rows) {
    return {row.data(), rows, row.size(), 0, 1};
  }
  constexpr const T& operator()(std::size_t r, std::size_t c) const {
    return data[r * row_stride + c * col_stride];
  }
  /// Whether each row is contiguous in memory (col_stride == 1).
  constexpr bool contiguous_rows() const { return col_stride == 1; }
};

}  // namespace kldiv
