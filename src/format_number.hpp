// Numbers in error messages: the shortest text that reads back as the same
// value of the caller's type (0.2f prints "0.2", not "0.200000003").
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace kldiv::detail {

template <class T>
std::string format_number(T x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, res.ptr);
}

}  // namespace kldiv::detail
