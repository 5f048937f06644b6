// The divergences from logits against reference values computed
// independently in mpmath at 50 digits by tools/gen_logits_reference.py
// (which checks its gradients by finite differences and everything against
// PyTorch): tests/data/logits_reference.json. The generator's docstring
// describes the file and the definitions behind each value.
//
// Every evaluation runs through the double API (dense and strided views),
// and through the float API where the case is float32 (its inputs are exact
// floats, so both APIs see the same numbers). Rows, value, valid_rows, unit and
// the gradient are compared. Then, independently of the file: central finite
// differences of the double API against its gradient, no NaN in any gradient
// (-inf logits, infinite rows, masked rows), and bit-identical results for 1, 2
// and 7 threads.
//
// Tolerances (f = T^2 if scaled, / ln base; kappa = 1 / min(beta, 1 - beta)
// for the generalized JSD at 0 < beta < 1, else 1; S and M are the row's
// "scale" and "magnitude" of the file, eps = 2^-52):
// - a row in double: 1e-12 |want| + f kappa (256 eps S + 4 eps M).
//   S (the size of the terms) bounds what rounding each term costs; M (the
//   largest |logit / T| plus ln V) is what rounding a log-sum-exp or a
//   log-probability costs, which any evaluation pays once per row: a shift
//   of log Q by eps M moves KL by as much. kappa is the condition of the
//   generalized JSD near its ends: its [beta KL(P||M) + (1-beta) KL(Q||M)] is
//   O(beta^2) and is divided by beta (1 - beta), so an absolute error of eps
//   in the bracket becomes eps / beta.
//   Where the file says "accuracy": "relative" (rows that are nearly equal,
//   KL ~ 1e-12) the 4 eps M term is dropped: the result must be accurate
//   relative to itself, which an evaluation that forms log P - log Q from two
//   rounded log-sum-exps (error ~1e-15, i.e. 1e-3 relative) does not achieve.
//   Identical rows (a == b entrywise) must give exactly 0, +inf exactly +inf,
//   masked rows exactly 0.
// - the value: 1e-12 |want| plus the rows' absolute allowances, summed (and
//   divided by the valid rows for the mean).
// - a row through the float API: the double allowance + 1e-6 |want| +
//   1e-7 f S: intermediate exponentials and logarithms in float precision
//   (2^-24 relative) are allowed, losing the double accumulation the design
//   promises is not (the nearly-equal rows keep the double allowance, plus
//   1e-6 relative).
// - log-probabilities are normalised by their log-sum-exp (the header), as
//   the references are: no allowance for the rows' deviation from
//   normalisation (the file's "normalisation", kept for information).
// - a gradient entry in double: 1e-12 |want| + g kappa 64 eps (1 + M), with
//   g = f / T (/ valid rows for the mean) the factor of d value / d b: each
//   entry is P and Q (each within eps M relative) combined, times g.
//   Through the float API: + 1e-6 |want| + 2e-7 g (float rounding of the
//   output and float-precision exponentials) + 1e-44 (float underflow).
//   Null in the file (a row whose value is +inf): only "not NaN".
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "kldiv/logits.hpp"
#include "kldiv/matrix.hpp"
#include "kldiv/options.hpp"

// CMake defines it; the fallback serves a build from the source root.
#ifndef KLDIV_TEST_DATA_DIR
#define KLDIV_TEST_DATA_DIR "tests/data"
#endif

namespace {

using json = nlohmann::json;
using kldiv::logits_measure;
using kldiv::logits_options;
using kldiv::matrix_view;
using kldiv::reduction;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEps = std::numeric_limits<double>::epsilon();

std::string data_file() {
  return std::string(KLDIV_TEST_DATA_DIR) + "/logits_reference.json";
}

// The parsed file, or null when it is missing or malformed (the test
// LogitsReferenceData.FileLoads then says which).
const json& reference_data() {
  static const json data = [] {
    std::ifstream in(data_file());
    if (!in) return json();
    try {
      return json::parse(in);
    } catch (const json::exception&) {
      return json();
    }
  }();
  return data;
}

struct reference_case {
  std::string name;
  const json* data = nullptr;
};

// gtest prints the parameter of a failing test: the name, not the JSON.
[[maybe_unused]] void PrintTo(const reference_case& c, std::ostream* os) {
  *os << c.name;
}

std::vector<reference_case> load_cases(bool float32_only) {
  std::vector<reference_case> cases;
  const json& data = reference_data();
  if (data.is_object() && data.contains("cases")) {
    for (const json& c : data["cases"]) {
      if (float32_only && c.at("dtype") != "float32") continue;
      cases.push_back({c.at("name").get<std::string>(), &c});
    }
  }
  return cases;
}

// A number of the file: a JSON number, or "inf", "-inf".
double number(const json& v) {
  if (v.is_number()) return v.get<double>();
  const std::string& s = v.get_ref<const std::string&>();
  if (s == "inf") return kInf;
  if (s == "-inf") return -kInf;
  throw std::runtime_error("not a number: " + s);
}

std::vector<double> numbers(const json& v) {
  std::vector<double> out;
  out.reserve(v.size());
  for (const json& x : v) out.push_back(number(x));
  return out;
}

// How many values were compared, printed at the end of the run.
std::size_t g_comparisons = 0;

class comparison_count : public ::testing::Environment {
 public:
  void TearDown() override {
    if (g_comparisons > 0) {
      std::cout << "[ reference] " << g_comparisons
                << " logits values compared with the mpmath references\n";
    }
  }
};

[[maybe_unused]] ::testing::Environment* const g_count_env =
    ::testing::AddGlobalTestEnvironment(new comparison_count);

std::string describe(double got, double want, double tol) {
  std::ostringstream os;
  os << std::setprecision(17) << "got " << got << ", want " << want;
  if (std::isfinite(got) && std::isfinite(want)) {
    const double err = std::abs(got - want);
    os << std::setprecision(3) << " (error " << err;
    if (want != 0) os << ", " << err / std::abs(want) << " relative";
    os << "; allowed " << tol << ")";
  }
  return os.str();
}

// got within tol of want; an infinite want must be matched exactly.
::testing::AssertionResult within(double got, double want, double tol) {
  ++g_comparisons;
  if (std::isinf(want)) {
    if (got == want) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << describe(got, want, 0);
  }
  if (std::abs(got - want) <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(got, want, tol);
}

// One evaluation of the file: the measure, its options and what to expect.
struct evaluation {
  std::string measure;
  logits_options opt;
  std::optional<std::int64_t> ignore_index;
  std::vector<std::uint8_t> mask;
  bool relative = false;
  const json* expected = nullptr;
  std::string label;  // for messages
};

evaluation make_evaluation(const json& e) {
  evaluation ev;
  ev.measure = e.at("measure").get<std::string>();
  const json& o = e.value("options", json::object());
  if (o.contains("base")) ev.opt.in_base(number(o["base"]));
  if (o.value("kind", "logits") == "log_probabilities") ev.opt.log_probs();
  ev.opt.temperature = o.value("temperature", 1.0);
  ev.opt.scale_by_t_squared = o.value("scale_by_t_squared", false);
  ev.opt.beta = o.value("beta", 0.5);
  ev.opt.reduce = kldiv::reduction_from_name(o.value("reduce", "mean"));
  if (o.contains("ignore_index")) {
    ev.ignore_index = o["ignore_index"].get<std::int64_t>();
  }
  if (e.contains("mask")) {
    for (const json& m : e["mask"]) {
      ev.mask.push_back(static_cast<std::uint8_t>(m.get<int>()));
    }
  }
  ev.relative = e.value("accuracy", "") == "relative";
  ev.expected = &e.at("expected");
  ev.label = ev.measure + " " + o.dump() +
             (e.contains("mask") ? " mask " + e["mask"].dump() : "");
  return ev;
}

// The inputs of a case in element type T.
template <class T>
struct case_inputs {
  std::size_t rows = 0, vocab = 0;
  std::vector<T> a, b;
  std::vector<std::int64_t> labels;
  // The same rows laid out with col_stride 2 and row_stride 2 vocab + 1, NaN
  // in between (reading one shows), when `strided` is set.
  bool strided = false;
  std::vector<T> a_strided, b_strided;

  matrix_view<T> view(const std::vector<T>& dense,
                      const std::vector<T>& spread) const {
    if (!strided) return matrix_view<T>::dense(dense.data(), rows, vocab);
    return {spread.data(), rows, vocab, 2 * vocab + 1, 2};
  }
  void make_strided() {
    strided = true;
    const std::size_t size = rows * (2 * vocab + 1);
    a_strided.assign(size, std::numeric_limits<T>::quiet_NaN());
    b_strided.assign(size, std::numeric_limits<T>::quiet_NaN());
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < vocab; ++c) {
        a_strided[r * (2 * vocab + 1) + 2 * c] = a[r * vocab + c];
        b_strided[r * (2 * vocab + 1) + 2 * c] = b[r * vocab + c];
      }
    }
  }
};

template <class T>
case_inputs<T> inputs_of(const json& c) {
  case_inputs<T> in;
  in.rows = c.at("rows").get<std::size_t>();
  in.vocab = c.at("vocab").get<std::size_t>();
  for (double x : numbers(c.at("a"))) in.a.push_back(static_cast<T>(x));
  for (double x : numbers(c.at("b"))) in.b.push_back(static_cast<T>(x));
  if (c.contains("labels")) {
    in.labels = c["labels"].get<std::vector<std::int64_t>>();
  }
  return in;
}

template <class T>
kldiv::logits_result run(const evaluation& ev, const case_inputs<T>& in,
                         std::span<T> gradient) {
  const auto a = in.view(in.a, in.a_strided);
  const auto b = in.view(in.b, in.b_strided);
  if (ev.measure == "cross_entropy") {
    return kldiv::cross_entropy_from_logits(b, in.labels, ev.opt,
                                            ev.ignore_index, ev.mask, gradient);
  }
  return kldiv::divergence_from_logits(
      kldiv::logits_measure_from_name(ev.measure), a, b, ev.opt, ev.mask,
      gradient);
}

// Checks one evaluation through the API of element type T.
template <class T>
void check_evaluation(const evaluation& ev, const case_inputs<T>& in) {
  constexpr bool is_float = std::is_same_v<T, float>;
  SCOPED_TRACE(ev.label);
  const json& x = *ev.expected;
  const std::size_t rows = in.rows, vocab = in.vocab;
  std::vector<T> grad(rows * vocab, std::numeric_limits<T>::quiet_NaN());
  kldiv::logits_result r;
  try {
    r = run<T>(ev, in, grad);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw: " << e.what();
    return;
  }
  const std::vector<double> want_rows = numbers(x.at("rows"));
  const std::vector<double> scale = numbers(x.at("scale"));
  const std::vector<double> magnitude = numbers(x.at("magnitude"));
  const auto n_valid = x.at("valid_rows").get<std::size_t>();
  EXPECT_EQ(r.valid_rows, n_valid);
  EXPECT_EQ(r.unit, x.at("unit").get<std::string>());
  ASSERT_EQ(r.rows.size(), rows);

  const double t = ev.opt.temperature;
  const double f = (ev.opt.scale_by_t_squared ? t * t : 1.0) / ev.opt.base.ln();
  const bool jsd = ev.measure == "generalized_jsd";
  const double beta = ev.opt.beta;
  const double kappa =
      jsd && beta > 0 && beta < 1 ? 1.0 / std::min(beta, 1 - beta) : 1.0;
  const bool mean = ev.opt.reduce == reduction::mean;
  const double g = f / t / (mean && n_valid > 0 ? double(n_valid) : 1.0);
  const auto valid = [&](std::size_t row) {
    if (!ev.mask.empty() && ev.mask[row] == 0) return false;
    return !(ev.measure == "cross_entropy" && ev.ignore_index &&
             in.labels[row] == *ev.ignore_index);
  };

  double abs_sum = 0.0;
  for (std::size_t row = 0; row < rows; ++row) {
    SCOPED_TRACE("row " + std::to_string(row));
    const double want = want_rows[row];
    const double got = r.rows[row];
    if (!valid(row)) {
      EXPECT_EQ(got, 0.0) << "a masked or ignored row";
      continue;
    }
    const bool identical =
        ev.measure != "cross_entropy" &&
        std::equal(in.a.begin() + row * vocab, in.a.begin() + (row + 1) * vocab,
                   in.b.begin() + row * vocab);
    if (identical) {
      EXPECT_EQ(got, 0.0) << "identical rows must give exactly 0";
      continue;
    }
    double abs_tol = f * kappa *
                     (256 * kEps * scale[row] +
                      (ev.relative ? 0.0 : 4 * kEps * magnitude[row]));
    if (is_float) {
      abs_tol +=
          std::abs(want) * 1e-6 + (ev.relative ? 0.0 : 1e-7 * f * scale[row]);
    }
    if (std::isfinite(abs_tol)) abs_sum += abs_tol;
    EXPECT_TRUE(within(got, want, 1e-12 * std::abs(want) + abs_tol));
  }
  const double want_value = number(x.at("value"));
  const double value_tol =
      1e-12 * std::abs(want_value) +
      abs_sum / (mean && n_valid > 0 ? double(n_valid) : 1.0);
  EXPECT_TRUE(within(r.value, want_value, value_tol)) << "the value";

  // Gradient: every entry, or the sampled ones of a large vocabulary.
  std::vector<std::size_t> at;
  if (x.contains("gradient_at")) {
    at = x["gradient_at"].get<std::vector<std::size_t>>();
  } else {
    for (std::size_t i = 0; i < rows * vocab; ++i) at.push_back(i);
  }
  const json& want_grad = x.at("gradient");
  ASSERT_EQ(want_grad.size(), at.size());
  std::size_t bad = 0;
  std::string first;
  for (std::size_t k = 0; k < at.size(); ++k) {
    const std::size_t i = at[k];
    const std::size_t row = i / vocab;
    const double got = static_cast<double>(grad[i]);
    ::testing::AssertionResult ok = ::testing::AssertionSuccess();
    if (!valid(row)) {
      if (got != 0.0)
        ok = ::testing::AssertionFailure()
             << "masked row: got " << got << ", want 0";
    } else if (want_grad[k].is_null()) {
      if (std::isnan(got))
        ok = ::testing::AssertionFailure() << "NaN in a row of +inf";
    } else {
      const double want = number(want_grad[k]);
      double tol =
          1e-12 * std::abs(want) + g * kappa * 64 * kEps * (1 + magnitude[row]);
      if (is_float) tol += 1e-6 * std::abs(want) + 2e-7 * g + 1e-44;
      ok = within(got, want, tol);
    }
    if (!ok && bad++ == 0) {
      // Through a stream: g++ 12 warns falsely (-Wrestrict) on
      // "literal" + std::string here.
      std::ostringstream os;
      os << "[" << i << "] (row " << row << ", column " << i % vocab
         << "): " << ok.message();
      first = os.str();
    }
  }
  // Every entry of the output was written (the NaN fill shows otherwise).
  for (std::size_t i = 0; i < grad.size(); ++i) {
    if (std::isnan(static_cast<double>(grad[i])) && bad++ == 0) {
      std::ostringstream os;
      os << "[" << i << "] is NaN";
      first = os.str();
    }
  }
  EXPECT_EQ(bad, 0u) << bad << " gradient entries differ, the first " << first;
}

class LogitsReference : public ::testing::TestWithParam<reference_case> {};

TEST_P(LogitsReference, DoubleInputs) {
  const json& c = *GetParam().data;
  SCOPED_TRACE("case " + GetParam().name + ", double inputs");
  const auto in = inputs_of<double>(c);
  for (const json& e : c.at("evaluations")) {
    check_evaluation(make_evaluation(e), in);
  }
}

// The same, with strided rows and columns (the gradient stays dense).
TEST_P(LogitsReference, StridedDoubleInputs) {
  const json& c = *GetParam().data;
  SCOPED_TRACE("case " + GetParam().name + ", strided double inputs");
  auto in = inputs_of<double>(c);
  in.make_strided();
  for (const json& e : c.at("evaluations")) {
    check_evaluation(make_evaluation(e), in);
  }
}

// The float32 cases, also through the float API.
class LogitsFloatReference : public LogitsReference {};

TEST_P(LogitsFloatReference, FloatInputs) {
  const json& c = *GetParam().data;
  SCOPED_TRACE("case " + GetParam().name + ", float inputs");
  const auto in = inputs_of<float>(c);
  const auto in_double = inputs_of<double>(c);
  for (std::size_t i = 0; i < in.a.size(); ++i) {
    ASSERT_EQ(double{in.a[i]}, in_double.a[i])
        << "a[" << i << "] is not a float";
    ASSERT_EQ(double{in.b[i]}, in_double.b[i])
        << "b[" << i << "] is not a float";
  }
  for (const json& e : c.at("evaluations")) {
    check_evaluation(make_evaluation(e), in);
  }
}

std::string case_name(const ::testing::TestParamInfo<reference_case>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(File, LogitsReference,
                         ::testing::ValuesIn(load_cases(false)), case_name);
INSTANTIATE_TEST_SUITE_P(File, LogitsFloatReference,
                         ::testing::ValuesIn(load_cases(true)), case_name);

TEST(LogitsReferenceData, FileLoads) {
  const json& data = reference_data();
  ASSERT_TRUE(data.is_object()) << data_file() << " is missing or not JSON";
  EXPECT_GE(load_cases(false).size(), 15u);
  EXPECT_GE(load_cases(true).size(), 10u);
}

// ---------------------------------------------------------------------------
// Independent of the file.

struct random_rows {
  std::size_t rows, vocab;
  std::vector<double> a, b;
  std::vector<std::int64_t> labels;
};

random_rows make_random(std::size_t rows, std::size_t vocab, double sd,
                        unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, sd);
  std::uniform_int_distribution<std::int64_t> label(
      0, static_cast<std::int64_t>(vocab) - 1);
  random_rows r{rows, vocab, {}, {}, {}};
  for (std::size_t i = 0; i < rows * vocab; ++i) {
    r.a.push_back(z(rng));
    r.b.push_back(z(rng));
  }
  for (std::size_t i = 0; i < rows; ++i) r.labels.push_back(label(rng));
  return r;
}

struct measure_case {
  std::string name;
  std::optional<logits_measure> measure;  // empty: cross-entropy
  double beta = 0.5;
};

std::vector<measure_case> all_measures() {
  std::vector<measure_case> out{{"kl", logits_measure::kl},
                                {"reverse_kl", logits_measure::reverse_kl},
                                {"cross_entropy", std::nullopt}};
  for (double beta : {0.0, 1e-3, 0.3, 0.5, 0.9, 1.0}) {
    out.push_back({"generalized_jsd beta " + std::to_string(beta),
                   logits_measure::generalized_jsd, beta});
  }
  return out;
}

template <class T>
kldiv::logits_result call(const measure_case& m, const std::vector<T>& a,
                          const std::vector<T>& b,
                          const std::vector<std::int64_t>& labels,
                          std::size_t rows, std::size_t vocab,
                          logits_options opt, kldiv::row_mask mask = {},
                          std::span<T> gradient = {}) {
  opt.beta = m.beta;
  const auto av = matrix_view<T>::dense(a.data(), rows, vocab);
  const auto bv = matrix_view<T>::dense(b.data(), rows, vocab);
  if (!m.measure) {
    return kldiv::cross_entropy_from_logits(bv, labels, opt, std::nullopt, mask,
                                            gradient);
  }
  return kldiv::divergence_from_logits(*m.measure, av, bv, opt, mask, gradient);
}

// Central differences of the double API's value against its gradient: the
// error of (f(b + h) - f(b - h)) / 2h is h^2 f''' / 6 + eps |f| / h, about
// 1e-10 with h = 1e-5 on these values of order 1; 1e-7 leaves room.
TEST(LogitsReferenceGradient, FiniteDifferencesOfTheDoubleApi) {
  const auto r = make_random(3, 6, 1.5, 42);
  const std::vector<std::uint8_t> mask{1, 0, 1};
  for (const auto& m : all_measures()) {
    for (const reduction red : {reduction::sum, reduction::mean}) {
      SCOPED_TRACE(m.name + ", reduce " + std::string(kldiv::name(red)));
      logits_options opt;
      opt.reduce = red;
      opt.temperature = 1.5;
      opt.scale_by_t_squared = true;
      opt.in_base(2);
      std::vector<double> grad(r.a.size());
      call<double>(m, r.a, r.b, r.labels, r.rows, r.vocab, opt, mask, grad);
      const double h = 1e-5;
      for (std::size_t i = 0; i < r.b.size(); ++i) {
        auto plus = r.b, minus = r.b;
        plus[i] += h;
        minus[i] -= h;
        const double fd =
            (call<double>(m, r.a, plus, r.labels, r.rows, r.vocab, opt, mask)
                 .value -
             call<double>(m, r.a, minus, r.labels, r.rows, r.vocab, opt, mask)
                 .value) /
            (2 * h);
        EXPECT_NEAR(grad[i], fd, 1e-7 * (1 + std::abs(fd))) << "b[" << i << "]";
      }
    }
  }
}

// With -inf logits (in a, in b, in both, at a label), infinite rows, masked
// rows, large logits and every measure: no gradient entry is NaN, and the
// value is never NaN.
template <class T>
void check_no_nan() {
  const T ni = -std::numeric_limits<T>::infinity();
  const std::size_t vocab = 5;
  const std::vector<T> a{
      0,      ni,      1,  ni,     T(-0.5),  // -inf in a only
      1,      2,       0,  -1,     T(0.5),   // -inf in b only (KL +inf)
      ni,     1,       ni, 2,      0,        // -inf in both at 0, 2
      0,      ni,      ni, ni,     ni,       // one-hot P
      T(1e4), T(-1e4), 0,  T(5e3), T(1e4),   // large
      3,      1,       2,  0,      1,        // masked
  };
  const std::vector<T> b{
      1,
      T(0.5),
      -1,
      2,
      0,
      ni,
      1,
      ni,
      0,
      2,
      ni,
      0,
      ni,
      1,
      T(-1.5),
      ni,
      0,
      1,
      2,
      3,  // Q(0) = 0 <
          // P(0): KL
          // +inf
      T(-1e4),
      T(1e4),
      T(1e4),
      0,
      T(-5e3),
      ni,
      ni,
      ni,
      ni,
      0,
  };
  const std::size_t rows = a.size() / vocab;
  const std::vector<std::int64_t> labels{1, 0, 0,
                                         0, 2, 4};  // row 1, 3: -inf logit
  const std::vector<std::uint8_t> mask{1, 1, 1, 1, 1, 0};
  for (const auto& m : all_measures()) {
    for (const reduction red :
         {reduction::none, reduction::sum, reduction::mean}) {
      for (const double t : {1.0, 3.0}) {
        SCOPED_TRACE(m.name + ", reduce " + std::string(kldiv::name(red)) +
                     ", T = " + std::to_string(t));
        logits_options opt;
        opt.reduce = red;
        opt.temperature = t;
        std::vector<T> grad(a.size(), T(-7));
        const auto r = call<T>(m, a, b, labels, rows, vocab, opt, mask, grad);
        EXPECT_FALSE(std::isnan(r.value));
        for (double v : r.rows) EXPECT_FALSE(std::isnan(v));
        EXPECT_EQ(r.rows[rows - 1], 0.0);
        for (std::size_t i = 0; i < grad.size(); ++i) {
          EXPECT_FALSE(std::isnan(static_cast<double>(grad[i])))
              << "gradient[" << i << "]";
          if (i / vocab == rows - 1) {
            EXPECT_EQ(grad[i], T(0)) << "masked row, [" << i << "]";
          }
        }
        // Where b is -inf (Q = 0) in a row of finite value, nothing depends
        // on that entry: its gradient is 0.
        for (std::size_t row = 0; row + 1 < rows; ++row) {
          if (!std::isfinite(r.rows[row])) continue;
          for (std::size_t c = 0; c < vocab; ++c) {
            if (std::isinf(b[row * vocab + c])) {
              EXPECT_EQ(grad[row * vocab + c], T(0))
                  << "row " << row << ", column " << c;
            }
          }
        }
      }
    }
  }
}

TEST(LogitsReferenceGradient, NeverNaNDouble) { check_no_nan<double>(); }
TEST(LogitsReferenceGradient, NeverNaNFloat) { check_no_nan<float>(); }

// 64 rows x 5000: the rows, value and gradient are bit-identical for 1, 2
// and 7 threads.
template <class T>
void check_threads() {
  const auto r = make_random(64, 5000, 3.0, 7);
  const std::vector<T> a(r.a.begin(), r.a.end()), b(r.b.begin(), r.b.end());
  std::vector<std::uint8_t> mask(64, 1);
  mask[5] = mask[40] = 0;
  for (const auto& m : all_measures()) {
    for (const reduction red : {reduction::none, reduction::mean}) {
      SCOPED_TRACE(m.name + ", reduce " + std::string(kldiv::name(red)));
      logits_options opt;
      opt.reduce = red;
      opt.temperature = 2.0;
      std::vector<T> g1(a.size());
      const auto r1 =
          call<T>(m, a, b, r.labels, 64, 5000, opt.with_threads(1), mask, g1);
      for (const int threads : {2, 7}) {
        std::vector<T> gn(a.size());
        const auto rn = call<T>(m, a, b, r.labels, 64, 5000,
                                opt.with_threads(threads), mask, gn);
        EXPECT_EQ(std::memcmp(&r1.value, &rn.value, sizeof(double)), 0)
            << threads << " threads: " << rn.value << " vs " << r1.value;
        EXPECT_EQ(std::memcmp(r1.rows.data(), rn.rows.data(),
                              r1.rows.size() * sizeof(double)),
                  0)
            << threads << " threads: rows differ";
        EXPECT_EQ(std::memcmp(g1.data(), gn.data(), g1.size() * sizeof(T)), 0)
            << threads << " threads: gradients differ";
      }
    }
  }
}

TEST(LogitsReferenceThreads, BitIdenticalDouble) { check_threads<double>(); }
TEST(LogitsReferenceThreads, BitIdenticalFloat) { check_threads<float>(); }

}  // namespace
