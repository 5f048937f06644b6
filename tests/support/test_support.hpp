// Helpers shared by the GoogleTest programs: the reference files of
// tests/data, the usual tolerance, the message of a thrown error, whole
// numbers in a message, samples (dense row-major matrices) read from the
// reference files or drawn here, and the check that bootstrap intervals are
// reproducible.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "kldiv/compare.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "kldiv/matrix.hpp"

// CMake defines it; the fallback serves a build from the source root.
#ifndef KLDIV_TEST_DATA_DIR
#define KLDIV_TEST_DATA_DIR "tests/data"
#endif

namespace kldiv_test {

using json = nlohmann::json;

// tests/data/<name>, parsed once per name (the tests run on one thread).
// Throws std::runtime_error when the file cannot be opened, and json's
// parse_error when it is not JSON.
inline const json& reference_file(const std::string& name) {
  static std::map<std::string, json> parsed;
  if (const auto it = parsed.find(name); it != parsed.end()) return it->second;
  const std::string path = std::string(KLDIV_TEST_DATA_DIR) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open the reference file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parsed.emplace(name, json::parse(ss.str())).first->second;
}

// |got - want| within max(rel |want|, abs): by default 1e-10 relative,
// 1e-12 absolute near 0.
inline void expect_close(double got, double want, const std::string& what,
                         double rel = 1e-10, double abs = 1e-12) {
  EXPECT_NEAR(got, want, std::max(rel * std::fabs(want), abs)) << what;
}

// The what() of the E that `fn` throws, or `none` when it returns normally;
// any other exception propagates.
template <class E = kldiv::InvalidArgument, class Fn>
std::string message_of(Fn fn, const std::string& none = "(no error)") {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return none;
}

// Whether `text` contains `number` as a whole number (not inside 175).
inline bool has_number(const std::string& text, std::size_t number) {
  const std::string s = std::to_string(number);
  for (std::size_t at = text.find(s); at != std::string::npos;
       at = text.find(s, at + 1)) {
    const bool left =
        at == 0 || !std::isdigit(static_cast<unsigned char>(text[at - 1]));
    const std::size_t end = at + s.size();
    const bool right = end == text.size() ||
                       !std::isdigit(static_cast<unsigned char>(text[end]));
    if (left && right) return true;
  }
  return false;
}

// A JSON array of numbers.
inline std::vector<double> values(const json& j) {
  return j.get<std::vector<double>>();
}

// The tie policy of its name in the reference files.
inline kldiv::tie_policy policy_of(const std::string& name) {
  if (name == "distinct") return kldiv::tie_policy::distinct;
  if (name == "exclude") return kldiv::tie_policy::exclude;
  if (name == "error") return kldiv::tie_policy::error;
  ADD_FAILURE() << "unknown policy " << name;
  return kldiv::tie_policy::distinct;
}

// The entry of `list` whose "name" is `name` (a failure, and null, if none).
inline const json& find_named(const json& list, const std::string& name) {
  for (const auto& c : list) {
    if (c["name"] == name) return c;
  }
  ADD_FAILURE() << "no case " << name;
  static const json none;
  return none;
}

// The run of the reference case `c` with the tie policy `policy`.
inline const json& find_run(const json& c, const std::string& policy) {
  for (const auto& r : c["runs"]) {
    if (r["policy"] == policy) return r;
  }
  ADD_FAILURE() << "no run " << policy;
  static const json none;
  return none;
}

// A dense row-major sample that owns its values.
struct sample {
  std::vector<double> values;
  std::size_t rows = 0, cols = 0;

  kldiv::matrix_view<double> view() const {
    return kldiv::matrix_view<double>::dense(values.data(), rows, cols);
  }
  // The first `r` rows only.
  kldiv::matrix_view<double> head(std::size_t r) const {
    return kldiv::matrix_view<double>::dense(values.data(), r, cols);
  }
  // Columns [from, from + count) of the first `r` rows (a strided view).
  kldiv::matrix_view<double> columns(std::size_t from, std::size_t count,
                                     std::size_t r) const {
    return {values.data() + from, r, count, cols, 1};
  }
};

// A sample from a JSON array of rows.
inline sample from_json(const json& rows) {
  sample s;
  s.rows = rows.size();
  s.cols = rows.at(0).size();
  s.values.reserve(s.rows * s.cols);
  for (const auto& r : rows) {
    for (const auto& v : r) s.values.push_back(v.get<double>());
  }
  return s;
}

// That the bootstrap intervals of `a`, the estimates `run(o)` gave, are
// reproducible: the same with o.threads = 1 and 2, and others (at least one
// end) with the next seed.
template <class Options, class Run>
void expect_reproducible_intervals(const std::vector<kldiv::sample_estimate>& a,
                                   Options o, Run run) {
  o.threads = 1;
  const auto one = run(o);
  o.threads = 2;
  const auto two = run(o);
  ++o.seed;
  const auto other = run(o);
  ASSERT_EQ(one.size(), a.size());
  ASSERT_EQ(two.size(), a.size());
  ASSERT_EQ(other.size(), a.size());
  for (std::size_t j = 0; j < a.size(); ++j) {
    ASSERT_TRUE(a[j].ci_low && a[j].ci_high) << j;
    EXPECT_EQ(*one[j].ci_low, *a[j].ci_low) << j;
    EXPECT_EQ(*one[j].ci_high, *a[j].ci_high) << j;
    EXPECT_EQ(*two[j].ci_low, *a[j].ci_low) << j;
    EXPECT_EQ(*two[j].ci_high, *a[j].ci_high) << j;
    EXPECT_TRUE(*other[j].ci_low != *a[j].ci_low ||
                *other[j].ci_high != *a[j].ci_high)
        << j;
  }
}

// rows x cols standard normals from std::mt19937_64(seed) through
// std::normal_distribution (so the values depend on the standard library).
inline sample gaussian(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> z;
  sample s{std::vector<double>(rows * cols), rows, cols};
  for (auto& v : s.values) v = z(gen);
  return s;
}

// A column for compare: numbers (numeric) or labels (categorical), with
// `missing` values missing.
inline kldiv::data_column numeric_column(const std::string& name,
                                         std::vector<double> v,
                                         std::size_t missing = 0) {
  kldiv::data_column c;
  c.name = name;
  c.kind = kldiv::column_kind::numeric;
  c.numbers = std::move(v);
  c.missing = missing;
  return c;
}

inline kldiv::data_column categorical_column(const std::string& name,
                                             std::vector<std::string> v,
                                             std::size_t missing = 0) {
  kldiv::data_column c;
  c.name = name;
  c.kind = kldiv::column_kind::categorical;
  c.labels = std::move(v);
  c.missing = missing;
  return c;
}

}  // namespace kldiv_test
