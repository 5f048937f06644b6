// libFuzzer target for the table readers: every input must either give a
// well-formed table or throw kldiv::Error. Any other exception, a crash or a
// sanitizer report is a bug. Built and run by fuzz/run_fuzz.cmake.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kldiv/error.hpp"
#include "kldiv/io.hpp"

namespace {

// A table's fields must agree with each other; a reader that breaks this
// would send callers out of bounds.
void check(const kldiv::io::table& t) {
  if (t.values.size() != t.rows * t.cols) std::abort();
  if (!t.names.empty() && t.names.size() != t.cols) std::abort();
  if (t.rows == 0 || t.cols == 0) std::abort();  // readers reject empty input
  for (std::size_t c = 0; c < t.cols; ++c) {
    if (t.column(c).size() != t.rows) std::abort();
  }
  try {
    t.column_index("0");
    t.column_index(t.names.empty() ? "x" : t.names.back());
  } catch (const kldiv::Error&) {
  }
}

void parse_as(std::string_view bytes, kldiv::io::format f) {
  try {
    check(kldiv::io::parse(bytes, "fuzz", f));
  } catch (const kldiv::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse_as(bytes, kldiv::io::format::automatic);
  parse_as(bytes, kldiv::io::format::text);
  parse_as(bytes, kldiv::io::format::npy);
  parse_as(bytes, kldiv::io::format::json);
  try {
    if (const auto t = kldiv::io::parse_inline_list(bytes)) {
      if (t->cols != 1) std::abort();
      check(*t);
    }
  } catch (const kldiv::Error&) {
  }
  return 0;
}
