#include "output.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "kldiv/error.hpp"

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

void write_file(const std::string& path, const std::string& text,
                const std::string& option) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f << text;
  if (f) f.close();
  if (!f) {
    throw InvalidArgument(option + " " + path +
                          ": cannot write the file (does its directory "
                          "exist, and may it be written?)");
  }
}

std::string display_name(const std::string& path, const std::string& other) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.empty() ||
      name == std::filesystem::path(other).filename().string()) {
    return path;
  }
  return name;
}

}  // namespace kldiv::cli
