#include "output.hpp"

#include <fmt/format.h>

#include <cmath>

namespace kldiv::cli {

namespace {
const char* non_finite(double x) {
  if (std::isnan(x)) return "nan";
  return x > 0 ? "inf" : "-inf";
}
}  // namespace

std::string exact(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : non_finite(x);
}

std::string readable(double x) {
  return std::isfinite(x) ? fmt::format("{:.6g}", x) : non_finite(x);
}

nlohmann::json json_number(double x) {
  if (std::isfinite(x)) return x;
  return non_finite(x);
}

}  // namespace kldiv::cli
