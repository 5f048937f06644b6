// Every discrete measure against reference values computed independently in
// mpmath at 60 digits by tools/gen_discrete_reference.py (which also checks
// them against SciPy): tests/data/discrete_reference.json. The generator's
// docstring describes the file and the definitions behind each value.
//
// Each case is checked in the vector form (double, and float where the case
// is float32) and in the batched form over several matrix layouts (dense
// rows, a row_stride-0 repeat, strided columns), then through the measures
// by name (evaluate) and through summarize.
//
// Tolerances:
// - results in double (float inputs included: they are accumulated in
//   double): relative 1e-13, plus 2 * denorm_min for results that are
//   themselves subnormal; +inf must be exactly +inf, and an expected 0 must be
//   (all but) exactly 0;
// - rel_entr into a float buffer: the reference rounded to float, within
//   2^-23 relative (about one float ulp) plus 2 * the smallest float;
// - f_divergence: the generic Σ q f(p/q), with f called on t = p/q rounded to
//   double, cannot be more accurate than (8 + 2 log2 n) eps times
//   Σ |q f(t)| + |q t f'(t)| (the "scale" the generator stores), so that much
//   absolute error is allowed on top of the relative 1e-13. It only matters
//   where p is very close to q, where f_divergence loses digits by design.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <exception>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kldiv/discrete.hpp"
#include "kldiv/matrix.hpp"
#include "kldiv/options.hpp"

// CMake defines it; the fallback serves a build from the source root.
#ifndef KLDIV_TEST_DATA_DIR
#define KLDIV_TEST_DATA_DIR "tests/data"
#endif

namespace {

using json = nlohmann::json;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRelTol = 1e-13;
constexpr double kSubnormalSlack =
    2 * std::numeric_limits<double>::denorm_min();
constexpr double kFloatRelTol = 0x1p-23;
constexpr double kFloatSubnormalSlack =
    2.0 * std::numeric_limits<float>::denorm_min();

std::string data_file() {
  return std::string(KLDIV_TEST_DATA_DIR) + "/discrete_reference.json";
}

// The parsed file, or null when it is missing or malformed (the test
// DiscreteReferenceData.FileLoads then says which).
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

std::vector<reference_case> load_cases() {
  std::vector<reference_case> cases;
  const json& data = reference_data();
  if (data.is_object() && data.contains("cases")) {
    for (const json& c : data["cases"]) {
      cases.push_back({c.at("name").get<std::string>(), &c});
    }
  }
  return cases;
}

// A number of the file: a JSON number, or "inf", "-inf", "nan".
double number(const json& v) {
  if (v.is_number()) return v.get<double>();
  const std::string& s = v.get_ref<const std::string&>();
  if (s == "inf") return kInf;
  if (s == "-inf") return -kInf;
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  throw std::runtime_error("not a number: " + s);
}

std::vector<double> numbers(const json& v) {
  std::vector<double> out;
  out.reserve(v.size());
  for (const json& x : v) out.push_back(number(x));
  return out;
}

kldiv::discrete_options make_options(const json& o) {
  kldiv::discrete_options opt;
  if (o.contains("base")) opt.in_base(number(o["base"]));
  const std::string kind = o.value("kind", "probabilities");
  if (kind == "weights") {
    opt.normalize();
  } else if (kind == "counts") {
    opt.counts();
  } else if (kind != "probabilities") {
    throw std::runtime_error("unknown kind " + kind);
  }
  if (o.contains("smoothing")) {
    const json& s = o["smoothing"];
    const std::string method = s.at("kind").get<std::string>();
    if (method == "additive") {
      opt.smoothed(kldiv::smoothing::additive(number(s.at("alpha"))));
    } else if (method == "uniform_mix") {
      opt.smoothed(kldiv::smoothing::uniform_mix(number(s.at("lambda"))));
    } else {
      throw std::runtime_error("unknown smoothing " + method);
    }
  }
  if (o.contains("tolerance")) opt.with_tolerance(number(o["tolerance"]));
  return opt;
}

// How many values were compared, printed at the end of the run.
std::size_t g_comparisons = 0;

class comparison_count : public ::testing::Environment {
 public:
  void TearDown() override {
    if (g_comparisons > 0) {
      std::cout << "[ reference] " << g_comparisons
                << " values compared with the mpmath references\n";
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

::testing::AssertionResult close_to(double got, double want,
                                    double abs_tol = 0) {
  ++g_comparisons;
  if (std::isnan(want)) {
    if (std::isnan(got)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << describe(got, want, 0);
  }
  if (std::isinf(want)) {
    if (got == want) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << describe(got, want, 0);
  }
  const double tol = kRelTol * std::abs(want) + kSubnormalSlack + abs_tol;
  if (std::abs(got - want) <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(got, want, tol);
}

// A result written to a float buffer against the double reference.
::testing::AssertionResult close_to_float(float got, double want) {
  ++g_comparisons;
  const auto want_f = static_cast<float>(want);
  if (std::isinf(want_f)) {
    if (got == want_f) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << describe(got, want, 0);
  }
  const double tol =
      kFloatRelTol * std::abs(double{want_f}) + kFloatSubnormalSlack;
  if (std::abs(double{got} - double{want_f}) <= tol) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << describe(got, want, tol);
}

// p and q in the vector form and in several batched layouts. The strided
// layouts leave NaN between the elements, so that reading one of them shows.
template <class T>
class layouts {
 public:
  using view = kldiv::matrix_view<T>;
  struct layout {
    std::string name;
    view p, q;
  };

  layouts(std::vector<T> p, std::vector<T> q)
      : p_(std::move(p)), q_(std::move(q)), n_(p_.size()) {
    for (std::size_t r = 0; r < kDenseRows; ++r) {
      p_dense_.insert(p_dense_.end(), p_.begin(), p_.end());
      q_dense_.insert(q_dense_.end(), q_.begin(), q_.end());
    }
    const std::size_t row_stride = 2 * n_ + 1;
    const std::size_t size = (kStridedRows - 1) * row_stride + 2 * n_ - 1;
    p_strided_.assign(size, std::numeric_limits<T>::quiet_NaN());
    q_strided_.assign(size, std::numeric_limits<T>::quiet_NaN());
    for (std::size_t r = 0; r < kStridedRows; ++r) {
      for (std::size_t c = 0; c < n_; ++c) {
        p_strided_[r * row_stride + 2 * c] = p_[c];
        q_strided_[r * row_stride + 2 * c] = q_[c];
      }
    }
    const view p_dense = view::dense(p_dense_.data(), kDenseRows, n_);
    const view q_dense = view::dense(q_dense_.data(), kDenseRows, n_);
    const view p_strided{p_strided_.data(), kStridedRows, n_, row_stride, 2};
    const view q_strided{q_strided_.data(), kStridedRows, n_, row_stride, 2};
    all_ = {
        {"rows: dense x3", p_dense, q_dense},
        {"rows: dense p x3, q repeated (row_stride 0)", p_dense,
         view::repeat(this->q(), kDenseRows)},
        {"rows: strided x2 (col_stride 2, row_stride 2n+1)", p_strided,
         q_strided},
        {"rows: p repeated (row_stride 0), q strided x2",
         view::repeat(this->p(), kStridedRows), q_strided},
    };
  }
  layouts(const layouts&) = delete;
  layouts& operator=(const layouts&) = delete;

  std::span<const T> p() const { return p_; }
  std::span<const T> q() const { return q_; }
  std::size_t size() const { return n_; }
  const std::vector<layout>& all() const { return all_; }

 private:
  static constexpr std::size_t kDenseRows = 3;
  static constexpr std::size_t kStridedRows = 2;
  std::vector<T> p_, q_;
  std::size_t n_;
  std::vector<T> p_dense_, q_dense_, p_strided_, q_strided_;
  std::vector<layout> all_;
};

// The forms (vector, and each row of each layout) in which a measure was
// off, reported as one failure: a single line when every form is off the same
// way, one line per form otherwise.
struct form_failure {
  std::string form;
  std::string message;
};

void report(const std::string& what, const std::vector<form_failure>& failed,
            std::size_t forms) {
  if (failed.empty()) return;
  bool same = failed.size() == forms;
  for (const auto& f : failed) same = same && f.message == failed[0].message;
  if (same) {
    ADD_FAILURE() << what << ", in all " << forms
                  << " forms (vector and rows): " << failed[0].message;
    return;
  }
  std::ostringstream os;
  os << what << ", in " << failed.size() << " of " << forms << " forms:";
  for (const auto& f : failed) os << "\n  " << f.form << ": " << f.message;
  ADD_FAILURE() << os.str();
}

// One scalar measure, `f(p, q)` for spans and for matrix views, against
// `want` in every form.
template <class T, class F>
void check_measure(const std::string& what, const layouts<T>& in, double want,
                   F&& f, double abs_tol = 0) {
  std::vector<form_failure> failed;
  std::size_t forms = 0;
  const auto check = [&](const std::string& form, double got) {
    ++forms;
    const ::testing::AssertionResult ok = close_to(got, want, abs_tol);
    if (!ok) failed.push_back({form, ok.message()});
  };
  try {
    check("vector form", f(in.p(), in.q()));
  } catch (const std::exception& e) {
    ++forms;
    failed.push_back({"vector form", std::string("threw: ") + e.what()});
  }
  for (const auto& l : in.all()) {
    try {
      const std::vector<double> got = f(l.p, l.q);
      if (got.size() != l.p.rows) {
        ++forms;
        failed.push_back({l.name, std::to_string(got.size()) + " results for " +
                                      std::to_string(l.p.rows) + " rows"});
        continue;
      }
      for (std::size_t r = 0; r < got.size(); ++r) {
        check(l.name + ", row " + std::to_string(r), got[r]);
      }
    } catch (const std::exception& e) {
      ++forms;
      failed.push_back({l.name, std::string("threw: ") + e.what()});
    }
  }
  report(what, failed, forms);
}

// rel_entr's n terms at `got` against the references: "" when all agree,
// else how many differ and the first of them.
template <class T>
std::string compare_terms(const T* got, const std::vector<double>& want,
                          const std::vector<double>& allowance) {
  std::size_t bad = 0;
  std::string first;
  for (std::size_t i = 0; i < want.size(); ++i) {
    ::testing::AssertionResult ok = ::testing::AssertionSuccess();
    if constexpr (std::is_same_v<T, float>) {
      ok = close_to_float(got[i], want[i]);
    } else {
      ok = close_to(got[i], want[i], allowance[i]);
    }
    if (!ok && bad++ == 0) {
      // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on
      // "literal" + std::string here.
      first = std::to_string(i);
      first.insert(0, 1, '[');
      first += "]: ";
      first += ok.message();
    }
  }
  if (bad == 0) return "";
  return std::to_string(bad) + " of " + std::to_string(want.size()) +
         " terms differ, the first " + first;
}

template <class T>
void check_rel_entr(const layouts<T>& in, const std::vector<double>& want,
                    const kldiv::discrete_options& opt) {
  const std::string what =
      std::is_same_v<T, float> ? "rel_entr (into floats)" : "rel_entr";
  const std::size_t n = in.size();
  ASSERT_EQ(want.size(), n);
  // An input this call normalises becomes p^ = c / N rounded to double, and
  // that rounding alone moves the term p^ log(p^/q^) by up to about
  // eps p^ (|log(p^/q^)| + 1): allow 4 times that (0 for probabilities, which
  // are used as given).
  std::vector<double> allowance(n, 0.0);
  if (opt.kind != kldiv::input_kind::probabilities || opt.smooth.enabled()) {
    double total = 0;
    for (T x : in.p()) total += static_cast<double>(x);
    for (std::size_t i = 0; i < n; ++i) {
      const double p_hat = static_cast<double>(in.p()[i]) / total;
      allowance[i] = 4 * std::numeric_limits<double>::epsilon() *
                     (std::abs(want[i]) + p_hat);
    }
  }
  std::vector<form_failure> failed;
  std::size_t forms = 0;
  const auto check = [&](const std::string& form, const T* got) {
    ++forms;
    std::string message = compare_terms(got, want, allowance);
    if (!message.empty()) failed.push_back({form, std::move(message)});
  };
  try {
    std::vector<T> out(n, T(-1));
    kldiv::rel_entr(in.p(), in.q(), std::span<T>(out), opt);
    check("vector form", out.data());
  } catch (const std::exception& e) {
    ++forms;
    failed.push_back({"vector form", std::string("threw: ") + e.what()});
  }
  for (const auto& l : in.all()) {
    try {
      std::vector<T> out(l.p.rows * n, T(-1));
      kldiv::rel_entr(l.p, l.q, std::span<T>(out), opt);
      for (std::size_t r = 0; r < l.p.rows; ++r) {
        check(l.name + ", row " + std::to_string(r), out.data() + r * n);
      }
    } catch (const std::exception& e) {
      ++forms;
      failed.push_back({l.name, std::string("threw: ") + e.what()});
    }
  }
  report(what, failed, forms);
}

// The convex functions of the f_divergence checks, by the generator's names.
kldiv::convex_function convex(const std::string& name) {
  if (name == "t_log_t") {
    return {[](double t) { return t > 0 ? t * std::log(t) : 0.0; }, kInf};
  }
  if (name == "half_abs_t_minus_1") {
    return {[](double t) { return std::abs(t - 1) / 2; }, 0.5};
  }
  if (name == "t_minus_1_squared") {
    return {[](double t) { return (t - 1) * (t - 1); }, kInf};
  }
  throw std::runtime_error("unknown f " + name);
}

double renyi_order(const std::string& key) {
  return key == "inf" ? kInf : std::stod(key);
}

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = {
      "kl",
      "reverse_kl",
      "rel_entr",
      "generalized_kl",
      "entropy",
      "entropy_q",
      "cross_entropy",
      "reverse_cross_entropy",
      "jeffreys",
      "js_divergence",
      "js_distance",
      "js_weighted",
      "renyi",
      "hellinger",
      "bhattacharyya_coefficient",
      "bhattacharyya_distance",
      "total_variation",
      "chi2_pearson",
      "chi2_neyman",
      "f_divergence",
      "summary",
  };
  return keys;
}

// Every measure of `expected`, vector and batched forms.
template <class T>
void check_all(const layouts<T>& in, const json& expected,
               const kldiv::discrete_options& opt) {
  for (const auto& [key, value] : expected.items()) {
    EXPECT_TRUE(known_keys().count(key)) << "unknown reference " << key;
  }
  const auto scalar = [&](const char* key, auto f) {
    if (expected.contains(key)) {
      check_measure(key, in, number(expected[key]), f);
    }
  };
  scalar("kl", [&](auto p, auto q) { return kldiv::kl(p, q, opt); });
  scalar("reverse_kl", [&](auto p, auto q) { return kldiv::kl(q, p, opt); });
  scalar("generalized_kl",
         [&](auto p, auto q) { return kldiv::generalized_kl(p, q, opt); });
  scalar("entropy", [&](auto p, auto) { return kldiv::entropy(p, opt); });
  scalar("entropy_q", [&](auto, auto q) { return kldiv::entropy(q, opt); });
  scalar("cross_entropy",
         [&](auto p, auto q) { return kldiv::cross_entropy(p, q, opt); });
  scalar("reverse_cross_entropy",
         [&](auto p, auto q) { return kldiv::cross_entropy(q, p, opt); });
  scalar("jeffreys",
         [&](auto p, auto q) { return kldiv::jeffreys(p, q, opt); });
  scalar("js_divergence",
         [&](auto p, auto q) { return kldiv::js_divergence(p, q, opt); });
  scalar("js_distance",
         [&](auto p, auto q) { return kldiv::js_distance(p, q, opt); });
  scalar("hellinger",
         [&](auto p, auto q) { return kldiv::hellinger(p, q, opt); });
  scalar("bhattacharyya_coefficient", [&](auto p, auto q) {
    return kldiv::bhattacharyya_coefficient(p, q, opt);
  });
  scalar("bhattacharyya_distance", [&](auto p, auto q) {
    return kldiv::bhattacharyya_distance(p, q, opt);
  });
  scalar("total_variation",
         [&](auto p, auto q) { return kldiv::total_variation(p, q, opt); });
  scalar("chi2_pearson",
         [&](auto p, auto q) { return kldiv::chi2_pearson(p, q, opt); });
  scalar("chi2_neyman",
         [&](auto p, auto q) { return kldiv::chi2_neyman(p, q, opt); });

  if (expected.contains("js_weighted")) {
    for (const json& w : expected["js_weighted"]) {
      const kldiv::js_weights weights{number(w.at("pi1")), number(w.at("pi2"))};
      std::ostringstream label;
      label << "weights (" << weights.pi1 << ", " << weights.pi2 << ")";
      check_measure("js_divergence, " + label.str(), in,
                    number(w.at("js_divergence")), [&](auto p, auto q) {
                      return kldiv::js_divergence(p, q, opt, weights);
                    });
      check_measure("js_distance, " + label.str(), in,
                    number(w.at("js_distance")), [&](auto p, auto q) {
                      return kldiv::js_distance(p, q, opt, weights);
                    });
    }
  }
  if (expected.contains("renyi")) {
    for (const auto& [key, value] : expected["renyi"].items()) {
      const double alpha = renyi_order(key);
      check_measure(
          "renyi, alpha = " + key, in, number(value),
          [&](auto p, auto q) { return kldiv::renyi(p, q, alpha, opt); });
    }
  }
  if (expected.contains("f_divergence")) {
    const double n = static_cast<double>(in.size());
    const double eps = std::numeric_limits<double>::epsilon();
    for (const auto& [name, ref] : expected["f_divergence"].items()) {
      const kldiv::convex_function f = convex(name);
      const double abs_tol =
          (8 + 2 * std::log2(n)) * eps * number(ref.at("scale"));
      check_measure(
          "f_divergence, f = " + name, in, number(ref.at("value")),
          [&](auto p, auto q) { return kldiv::f_divergence(p, q, f, opt); },
          abs_tol);
    }
  }
  if (expected.contains("rel_entr")) {
    check_rel_entr(in, numbers(expected["rel_entr"]), opt);
  }
}

class DiscreteReference : public ::testing::TestWithParam<reference_case> {
 protected:
  void SetUp() override {
    const json& c = *GetParam().data;
    options_ = make_options(c.value("options", json::object()));
    p_ = numbers(c.at("p"));
    q_ = numbers(c.at("q"));
    expected_ = &c.at("expected");
  }
  const json& expected() const { return *expected_; }

  kldiv::discrete_options options_;
  std::vector<double> p_, q_;
  const json* expected_ = nullptr;
};

TEST_P(DiscreteReference, DoubleInputs) {
  SCOPED_TRACE("case " + GetParam().name + ", double inputs");
  const layouts<double> in(p_, q_);
  check_all(in, expected(), options_);
}

// The float32 cases, also run with float inputs.
class FloatReference : public DiscreteReference {};

TEST_P(FloatReference, FloatInputs) {
  SCOPED_TRACE("case " + GetParam().name + ", float inputs");
  std::vector<float> pf, qf;
  for (double x : p_) pf.push_back(static_cast<float>(x));
  for (double x : q_) qf.push_back(static_cast<float>(x));
  for (std::size_t i = 0; i < p_.size(); ++i) {
    ASSERT_EQ(double{pf[i]}, p_[i]) << "p[" << i << "] is not a float";
    ASSERT_EQ(double{qf[i]}, q_[i]) << "q[" << i << "] is not a float";
  }
  const layouts<float> in(std::move(pf), std::move(qf));
  check_all(in, expected(), options_);
}

// evaluate(measure, ...) over the names the generator uses, which are the
// API's names; vector and dense-rows forms.
TEST_P(DiscreteReference, ByName) {
  SCOPED_TRACE("case " + GetParam().name + ", evaluate by name");
  const layouts<double> in(p_, q_);
  const auto check = [&](const std::string& key, double want,
                         const kldiv::measure_params& params) {
    const auto m = kldiv::measure_from_name(key);
    ASSERT_TRUE(m.has_value()) << key << " is not a measure name";
    EXPECT_EQ(kldiv::name(*m), key);
    check_measure("evaluate " + key, in, want, [&](auto p, auto q) {
      return kldiv::evaluate(*m, p, q, options_, params);
    });
  };
  for (const auto& [key, value] : expected().items()) {
    if (key == "rel_entr" || key == "entropy_q" ||
        key == "reverse_cross_entropy" || key == "f_divergence" ||
        key == "summary") {
      continue;  // not measures by name
    }
    if (key == "renyi") {
      for (const auto& [order, v] : value.items()) {
        kldiv::measure_params params;
        params.alpha = renyi_order(order);
        SCOPED_TRACE("alpha = " + order);
        check("renyi", number(v), params);
      }
    } else if (key == "js_weighted") {
      for (const json& w : value) {
        kldiv::measure_params params;
        params.weights = {number(w.at("pi1")), number(w.at("pi2"))};
        SCOPED_TRACE("weights (" + w.at("pi1").dump() + ", " +
                     w.at("pi2").dump() + ")");
        check("js_divergence", number(w.at("js_divergence")), params);
        check("js_distance", number(w.at("js_distance")), params);
      }
    } else {
      check(key, number(value), {});
    }
  }
}

// The cases with a summary (all but the unnormalised generalized_kl ones).
class SummaryReference : public DiscreteReference {};

TEST_P(SummaryReference, Summary) {
  const json& e = expected();
  SCOPED_TRACE("case " + GetParam().name + ", summarize");
  kldiv::discrete_summary s;
  try {
    s = kldiv::summarize(p_, q_, options_);
  } catch (const std::exception& ex) {
    FAIL() << "summarize threw: " << ex.what();
  }
  EXPECT_EQ(s.size, p_.size());
  const auto field = [&](const char* name, double got, const json& want) {
    EXPECT_TRUE(close_to(got, number(want))) << name;
  };
  field("kl", s.kl, e.at("kl"));
  field("reverse_kl", s.reverse_kl, e.at("reverse_kl"));
  field("jeffreys", s.jeffreys, e.at("jeffreys"));
  field("js_divergence", s.js_divergence, e.at("js_divergence"));
  field("js_distance", s.js_distance, e.at("js_distance"));
  field("cross_entropy", s.cross_entropy, e.at("cross_entropy"));
  field("reverse_cross_entropy", s.reverse_cross_entropy,
        e.at("reverse_cross_entropy"));
  field("entropy_p", s.entropy_p, e.at("entropy"));
  field("entropy_q", s.entropy_q, e.at("entropy_q"));
  const json& renyi = e.at("renyi");
  if (renyi.contains("0.5")) field("renyi_half", s.renyi_half, renyi["0.5"]);
  if (renyi.contains("2.0")) field("renyi_2", s.renyi_2, renyi["2.0"]);
  if (renyi.contains("inf")) field("renyi_inf", s.renyi_inf, renyi["inf"]);
  field("hellinger", s.hellinger, e.at("hellinger"));
  field("bhattacharyya_coefficient", s.bhattacharyya_coefficient,
        e.at("bhattacharyya_coefficient"));
  field("bhattacharyya_distance", s.bhattacharyya_distance,
        e.at("bhattacharyya_distance"));
  field("total_variation", s.total_variation, e.at("total_variation"));
  field("chi2_pearson", s.chi2_pearson, e.at("chi2_pearson"));
  field("chi2_neyman", s.chi2_neyman, e.at("chi2_neyman"));

  const json& sum = e.at("summary");
  field("p_total", s.p_total, sum.at("p_total"));
  field("q_total", s.q_total, sum.at("q_total"));
  field("support.p_mass_where_q_zero", s.support.p_mass_where_q_zero,
        sum.at("p_mass_where_q_zero"));
  field("support.q_mass_where_p_zero", s.support.q_mass_where_p_zero,
        sum.at("q_mass_where_p_zero"));
  EXPECT_EQ(s.support.bins_where_q_zero,
            sum.at("bins_where_q_zero").get<std::size_t>());
  EXPECT_EQ(s.support.bins_where_p_zero,
            sum.at("bins_where_p_zero").get<std::size_t>());
}

std::string case_name(const ::testing::TestParamInfo<reference_case>& info) {
  return info.param.name;
}

// The cases for which `keep` holds.
template <class Pred>
std::vector<reference_case> cases_where(Pred keep) {
  std::vector<reference_case> out;
  for (const auto& c : load_cases()) {
    if (keep(*c.data)) out.push_back(c);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Cases, DiscreteReference,
                         ::testing::ValuesIn(load_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Cases, FloatReference,
                         ::testing::ValuesIn(cases_where([](const json& c) {
                           return c.at("dtype") == "float32";
                         })),
                         case_name);
INSTANTIATE_TEST_SUITE_P(Cases, SummaryReference,
                         ::testing::ValuesIn(cases_where([](const json& c) {
                           return c.at("expected").contains("summary");
                         })),
                         case_name);

TEST(DiscreteReferenceData, FileLoads) {
  const json& data = reference_data();
  ASSERT_TRUE(data.is_object())
      << data_file()
      << " is missing or not JSON; run tools/gen_discrete_reference.py";
  EXPECT_EQ(data.value("generator", ""), "tools/gen_discrete_reference.py");
  const auto cases = load_cases();
  EXPECT_GE(cases.size(), 50u);
  std::set<std::string> names;
  for (const auto& c : cases) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
  }
}

}  // namespace
