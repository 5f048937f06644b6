// Gaussian mixtures from JSON: weights, means and covariances (or
// variances), each field checked with a message naming it.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/mixture.hpp"

namespace kldiv {
namespace {

using json = nlohmann::json;

std::vector<double> numbers(const json& v, const std::string& where) {
  if (!v.is_array() || v.empty()) {
    throw InvalidArgument(where + " must be a non-empty array of numbers");
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number()) {
      throw InvalidArgument(where + "[" + std::to_string(i) +
                            "] is not a number");
    }
    out.push_back(v[i].get<double>());
  }
  return out;
}

// k rows of equal length: row-major k x cols.
std::vector<double> rows(const json& v, const std::string& where,
                         std::size_t& cols) {
  if (!v.is_array() || v.empty()) {
    throw InvalidArgument(where + " must be a non-empty array of arrays");
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto r = numbers(v[i], where + "[" + std::to_string(i) + "]");
    if (i == 0) cols = r.size();
    if (r.size() != cols) {
      // where is "source: field"; the second mention names the field only.
      const auto colon = where.rfind(": ");
      const std::string field =
          colon == std::string::npos ? where : where.substr(colon + 2);
      throw InvalidArgument(where + "[" + std::to_string(i) + "] has " +
                            std::to_string(r.size()) + " entries, but " +
                            field + "[0] has " + std::to_string(cols));
    }
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

}  // namespace

gaussian_mixture parse_gaussian_mixture(std::string_view text,
                                        const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw InvalidArgument(source + ": not JSON (" + e.what() + ")");
  }
  if (!j.is_object()) {
    throw InvalidArgument(source +
                          ": expected an object with weights, means and "
                          "covariances (or variances)");
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "weights" && key != "means" && key != "covariances" &&
        key != "variances") {
      throw InvalidArgument(source + ": unknown field '" + key +
                            "' (the fields are weights, means, covariances "
                            "or variances)");
    }
  }
  for (const char* field : {"weights", "means"}) {
    if (!j.contains(field)) {
      throw InvalidArgument(source + ": missing field '" + field + "'");
    }
  }
  const bool full = j.contains("covariances"), diag = j.contains("variances");
  if (full == diag) {
    throw InvalidArgument(source +
                          ": give exactly one of 'covariances' (full "
                          "matrices) and 'variances' (diagonals)");
  }
  const auto weights = numbers(j["weights"], source + ": weights");
  std::size_t d = 0;
  const auto means = rows(j["means"], source + ": means", d);
  const std::size_t k = means.size() / d;
  if (k != weights.size()) {
    throw InvalidArgument(source + ": " + std::to_string(weights.size()) +
                          " weights but " + std::to_string(k) + " means");
  }
  try {
    if (diag) {
      std::size_t dv = 0;
      const auto var = rows(j["variances"], source + ": variances", dv);
      if (var.size() / dv != k || dv != d) {
        throw InvalidArgument(source + ": variances must be " +
                              std::to_string(k) + " rows of " +
                              std::to_string(d));
      }
      return gaussian_mixture::diagonal(
          weights, matrix_view<double>::dense(means.data(), k, d),
          matrix_view<double>::dense(var.data(), k, d));
    }
    const json& c = j["covariances"];
    if (!c.is_array() || c.size() != k) {
      throw InvalidArgument(source + ": covariances must be an array of " +
                            std::to_string(k) + " matrices");
    }
    std::vector<double> flat;
    for (std::size_t a = 0; a < k; ++a) {
      std::size_t cols = 0;
      const std::string where =
          source + ": covariances[" + std::to_string(a) + "]";
      const auto m = rows(c[a], where, cols);
      if (cols != d || m.size() != d * d) {
        throw InvalidArgument(where + " must be " + std::to_string(d) + " x " +
                              std::to_string(d));
      }
      flat.insert(flat.end(), m.begin(), m.end());
    }
    return gaussian_mixture::full(
        weights, matrix_view<double>::dense(means.data(), k, d),
        matrix_view<double>::dense(flat.data(), k, d * d));
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    if (what.rfind(source, 0) == 0) throw;
    throw InvalidArgument(source + ": " + what);
  }
}

gaussian_mixture read_gaussian_mixture(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_gaussian_mixture(ss.str(), path);
}

}  // namespace kldiv
