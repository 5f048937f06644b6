// kldiv::fit and kldiv::fit_counts against tools/gen_fit_reference.py: for
// fixed samples of every family (drawn and stored by the generator), the
// maximum likelihood estimates solved in mpmath at 40 digits (cross-checked
// there with scipy.stats' fit and direct optimisation), the log-likelihoods,
// AIC, BIC, the exact discrete KLs and, for continuous data, the KL estimate
// -Ĥ - l/n with the Kozachenko–Leonenko entropy worked out in mpmath and the
// histogram KL on NumPy's "auto" edges with the CDFs in mpmath (rounded
// samples, whose values repeat, take the histogram by default, on NumPy's
// edges aligned with their grid by the generator's own code). Then:
// the count-table form gives the same bits as the expanded data; large
// samples drawn here (kldiv::random_stream and the distribution classes)
// are recovered (family and parameters); the reasons a family is not
// fitted; the options; the errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/fit.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::data_kind;
using kldiv::fit_family;
using kldiv::fit_options;
using kldiv::fit_result;
using kldiv::fitted_model;
using kldiv_test::expect_close;
using kldiv_test::message_of;
using ::testing::HasSubstr;
using ::testing::Not;

const json& reference() {
  return kldiv_test::reference_file("fit_reference.json");
}

const fitted_model* find_model(const fit_result& r, const std::string& name) {
  for (const auto& m : r.models) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// Fitted models first, by KL ascending; then the families not fitted, each
// with a reason.
void expect_ranked(const fit_result& r) {
  bool seen_unfitted = false;
  for (std::size_t i = 0; i < r.models.size(); ++i) {
    const auto& m = r.models[i];
    if (!m.fitted) {
      seen_unfitted = true;
      EXPECT_FALSE(m.reason.empty()) << m.name;
      EXPECT_TRUE(m.parameters.empty()) << m.name;
      continue;
    }
    EXPECT_FALSE(seen_unfitted) << m.name << " fitted after an unfitted one";
    if (i > 0 && r.models[i - 1].fitted) {
      EXPECT_LE(r.models[i - 1].kl, m.kl) << m.name;
    }
  }
}

// A rounded case's edges, NumPy's "auto" rule aligned with the data's grid
// (the generator's loop, the library's formula: the same doubles), and the
// words that say so.
void expect_aligned(const fit_result& r, const json& c) {
  EXPECT_EQ(r.kl_edges, kldiv_test::values(c["histogram_edges"]));
  const auto six = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return std::string(buf);
  };
  const double w = c["histogram_rule_width"], width = c["histogram_width"];
  EXPECT_THAT(r.kl_estimator,
              HasSubstr("on " + std::to_string(r.kl_edges.size() - 1) +
                        " bins (NumPy's \"auto\" rule, fitted on the data; "
                        "the rule's width " +
                        six(w) + (width > w ? " widened" : " narrowed") +
                        " to " + six(width)));
  EXPECT_THAT(r.kl_estimator,
              HasSubstr("of the data's grid " + six(c["grid"]) +
                        ", with edges at the midpoints between grid points)"));
  for (const auto& warning : r.warnings) {
    EXPECT_THAT(warning, Not(HasSubstr("narrowest"))) << "bins aligned";
  }
}

// The reference's parameters, log-likelihoods, AIC, BIC and KLs to 1e-9
// relative (the estimates are roots of score equations solved to ~1e-15;
// lgamma/digamma and the sums over 50-80 values lose a few digits more).
TEST(FitReference, EveryFamilyOnEverySample) {
  for (const auto& c : reference()["cases"]) {
    const std::string name = c["name"];
    SCOPED_TRACE(name);
    const std::vector<double> data = kldiv_test::values(c["data"]);
    const fit_result r = kldiv::fit(data);
    EXPECT_EQ(r.discrete, c["kind"] == "discrete");
    EXPECT_EQ(r.n, c["n"].get<std::size_t>());
    // Untied continuous samples take the k-NN estimate by default, rounded
    // ones (values repeat) the histogram.
    const bool ties = c.value("ties", false);
    const std::string method =
        r.discrete ? "exact" : (ties ? "histogram" : "k-NN entropy");
    if (r.discrete) {
      EXPECT_TRUE(r.kl_edges.empty());
    } else if (ties) {
      EXPECT_THAT(r.kl_estimator, HasSubstr("histogram"));
      expect_aligned(r, c);
      expect_close(r.entropy, c["histogram_entropy"], "entropy", 1e-12);
    } else {
      EXPECT_THAT(r.kl_estimator, HasSubstr("k-NN entropy"));
      EXPECT_TRUE(r.kl_edges.empty());
      expect_close(r.entropy, c["entropy"].get<double>(), "entropy", 1e-12);
    }
    ASSERT_EQ(r.models.size(), c["models"].size());
    expect_ranked(r);
    for (const auto& want : c["models"]) {
      const std::string fam = want["family"];
      SCOPED_TRACE(fam);
      const fitted_model* got = find_model(r, fam);
      ASSERT_NE(got, nullptr);
      ASSERT_EQ(got->fitted, want["fitted"].get<bool>()) << got->reason;
      if (!got->fitted) continue;
      ASSERT_EQ(got->parameters.size(), want["parameters"].size());
      for (const auto& [pname, pvalue] : want["parameters"].items()) {
        expect_close(got->parameter(pname), pvalue.get<double>(), pname, 1e-9);
      }
      EXPECT_EQ(got->k, want["k"].get<int>());
      expect_close(got->log_likelihood, want["log_likelihood"], "l", 1e-9);
      // log_density, from the parameters alone, sums to the same.
      double ll = 0.0;
      for (const double x : data) ll += kldiv::log_density(*got, x);
      expect_close(ll, want["log_likelihood"], "sum of log_density", 1e-9);
      expect_close(got->aic, want["aic"], "aic", 1e-9);
      expect_close(got->bic, want["bic"], "bic", 1e-9);
      // A KL is a difference of terms of size ~1: 1e-9 absolute.
      expect_close(got->kl, want[ties ? "kl_histogram" : "kl"], "kl", 1e-9,
                   1e-9);
      EXPECT_EQ(got->kl_method, method);
    }
  }
}

// The histogram KL of every continuous sample, asked for: NumPy's "auto"
// edges (the same doubles; aligned with the grid for the rounded samples),
// the plug-in entropy of the bin proportions, and Σ p̂ log(p̂ / P) with the
// masses from mpmath's CDFs, to 1e-9.
TEST(FitReference, HistogramOnEveryContinuousSample) {
  fit_options o;
  o.continuous_kl = kldiv::continuous_kl_method::histogram;
  int cases = 0, rounded = 0;
  for (const auto& c : reference()["cases"]) {
    if (c["kind"] != "continuous") continue;
    ++cases;
    SCOPED_TRACE(c["name"].get<std::string>());
    const fit_result r = kldiv::fit(kldiv_test::values(c["data"]), o);
    EXPECT_FALSE(r.discrete);
    if (c.value("ties", false)) {
      ++rounded;
      expect_aligned(r, c);
    } else {
      // Untied samples lie on no grid: NumPy's edges bit for bit.
      EXPECT_EQ(r.kl_edges, kldiv_test::values(c["histogram_edges"]));
      EXPECT_THAT(r.kl_estimator,
                  HasSubstr("on " + std::to_string(r.kl_edges.size() - 1) +
                            " bins (NumPy's \"auto\" rule, fitted on the "
                            "data)"));
    }
    expect_close(r.entropy, c["histogram_entropy"], "entropy", 1e-12);
    // Asked for, not chosen: no reason given.
    EXPECT_THAT(r.kl_estimator, Not(HasSubstr("chosen because")));
    expect_ranked(r);
    for (const auto& want : c["models"]) {
      const fitted_model* got = find_model(r, want["family"]);
      ASSERT_NE(got, nullptr);
      ASSERT_EQ(got->fitted, want["fitted"].get<bool>());
      if (!got->fitted) continue;
      EXPECT_EQ(got->kl_method, "histogram");
      EXPECT_GE(got->kl, 0.0);
      expect_close(got->kl, want["kl_histogram"], got->name, 1e-9, 1e-9);
    }
    for (const auto& w : r.warnings) {
      EXPECT_THAT(w, Not(HasSubstr("k-NN"))) << "k-NN was not used";
    }
  }
  EXPECT_EQ(cases, 11);
  EXPECT_EQ(rounded, 3);
}

// The rounded samples with align_to_grid off: NumPy's own "auto" edges, bit
// for bit, and the KLs on them (on these small samples NumPy's bins are
// wider than two grid steps: no warning).
TEST(FitReference, RoundedSamplesUnaligned) {
  fit_options o;
  o.align_to_grid = false;
  int cases = 0;
  for (const auto& c : reference()["cases"]) {
    if (!c.value("ties", false)) continue;
    ++cases;
    SCOPED_TRACE(c["name"].get<std::string>());
    const fit_result r = kldiv::fit(kldiv_test::values(c["data"]), o);
    EXPECT_EQ(r.kl_edges, kldiv_test::values(c["numpy_edges"]));
    expect_close(r.entropy, c["numpy_entropy"], "entropy", 1e-12);
    EXPECT_THAT(r.kl_estimator, HasSubstr(" bins (NumPy's \"auto\" rule, "
                                          "fitted on the data), "));
    for (const auto& want : c["models"]) {
      const fitted_model* got = find_model(r, want["family"]);
      ASSERT_NE(got, nullptr);
      if (!got->fitted) continue;
      expect_close(got->kl, want["kl_histogram_numpy"], got->name, 1e-9, 1e-9);
    }
    EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
  }
  EXPECT_EQ(cases, 3);
}

void expect_same(const fit_result& a, const fit_result& b) {
  EXPECT_EQ(a.discrete, b.discrete);
  EXPECT_EQ(a.n, b.n);
  EXPECT_EQ(a.entropy, b.entropy);
  ASSERT_EQ(a.models.size(), b.models.size());
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    const auto &x = a.models[i], &y = b.models[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.fitted, y.fitted);
    // The reasons name the index in the caller's own input (data[i] or
    // values[i]), so only their presence is compared.
    EXPECT_EQ(x.reason.empty(), y.reason.empty());
    ASSERT_EQ(x.parameters.size(), y.parameters.size());
    for (std::size_t j = 0; j < x.parameters.size(); ++j) {
      EXPECT_EQ(x.parameters[j].name, y.parameters[j].name);
      EXPECT_EQ(x.parameters[j].value, y.parameters[j].value) << x.name;
    }
    EXPECT_EQ(x.log_likelihood, y.log_likelihood) << x.name;
    EXPECT_EQ(x.aic, y.aic) << x.name;
    EXPECT_EQ(x.bic, y.bic) << x.name;
    EXPECT_EQ(x.kl, y.kl) << x.name;
    EXPECT_EQ(x.kl_method, y.kl_method) << x.name;
  }
  EXPECT_EQ(a.kl_estimator, b.kl_estimator);
  EXPECT_EQ(a.kl_edges, b.kl_edges);
}

// A table of values and frequencies, in a scrambled order, with one value
// split over two rows and a row of count 0, gives the bits of the raw data.
TEST(FitCounts, SameAsTheExpandedData) {
  for (const auto& c : reference()["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const std::vector<double> data = kldiv_test::values(c["data"]);
    std::map<double, double> table;
    for (const double x : data) table[x] += 1.0;
    std::vector<double> values, counts;
    for (auto it = table.rbegin(); it != table.rend(); ++it) {
      if (it->second >= 2.0) {
        values.push_back(it->first);
        counts.push_back(1.0);
        it->second -= 1.0;
      }
      values.push_back(it->first);
      counts.push_back(it->second);
    }
    values.push_back(1234.5);
    counts.push_back(0.0);
    expect_same(kldiv::fit_counts(values, counts), kldiv::fit(data));
  }
  // Continuous values with repeats: the histogram of the expansion (the
  // default when values repeat), and asked for, its k-NN entropy.
  const std::vector<double> values = {0.5, 1.25, 2.0, 3.5, 0.75};
  const std::vector<double> counts = {3, 1, 2, 1, 4};
  std::vector<double> raw;
  for (std::size_t i = 0; i < values.size(); ++i) {
    raw.insert(raw.end(), static_cast<std::size_t>(counts[i]), values[i]);
  }
  const fit_result a = kldiv::fit_counts(values, counts);
  expect_same(a, kldiv::fit(raw));
  EXPECT_FALSE(a.discrete);
  EXPECT_EQ(a.n, 11u);
  EXPECT_EQ(a.models[0].kl_method, "histogram");
  EXPECT_THAT(a.kl_estimator,
              HasSubstr("chosen because 6 of 11 values repeat an earlier "
                        "one, and ties bias the k-NN entropy"));
  EXPECT_TRUE(a.warnings.empty());
  fit_options knn;
  knn.continuous_kl = kldiv::continuous_kl_method::knn;
  const fit_result k = kldiv::fit_counts(values, counts, knn);
  expect_same(k, kldiv::fit(raw, knn));
  EXPECT_EQ(k.models[0].kl_method, "k-NN entropy");
  EXPECT_TRUE(k.kl_edges.empty());
  ASSERT_FALSE(k.warnings.empty());
  EXPECT_THAT(k.warnings[0], HasSubstr("9 points have a duplicate"));
}

// ---------------------------------------------------------------------------
// Recovery from large samples drawn here.

constexpr std::size_t kLarge = 50000;

template <class D>
std::vector<double> draw(const D& d, std::uint64_t seed) {
  kldiv::random_stream rs(seed);
  std::vector<double> x(kLarge);
  for (auto& v : x) v = static_cast<double>(kldiv::sample(d, rs));
  return x;
}

// The best model is the true family, or a family that nests it (negative
// binomial ⊃ Poisson (r -> inf) and geometric (r = 1); gamma and Weibull ⊃
// exponential (shape 1)), which fits at least as well by construction; then
// the likelihood-ratio statistic 2n (KL_true - KL_best) is χ²(1) under the
// true family, and is asserted < 20 (probability ~8e-6).
void expect_best(const fit_result& r, const std::string& truth,
                 const std::vector<std::string>& nesting = {}) {
  ASSERT_FALSE(r.models.empty());
  const fitted_model& best = r.models[0];
  if (best.name == truth) return;
  ASSERT_THAT(nesting, ::testing::Contains(best.name))
      << "best is " << best.name << ", not " << truth;
  const fitted_model* t = find_model(r, truth);
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->fitted);
  EXPECT_LT(2.0 * static_cast<double>(r.n) * (t->kl - best.kl), 20.0);
}

// With n = 50000 the asymptotic standard errors (from the Fisher
// information) of these estimates are at most 1.1% relative: the largest is
// the negative binomial's r = 2.5 at p = 0.4 (1.1%), then the lognormal's
// loc = 0.3 (0.9%); gamma, beta, Weibull shapes are 0.3-0.7%. 5% is over
// four of the largest.
constexpr double kRecover = 0.05;

TEST(FitRecovery, Discrete) {
  {
    const fit_result r = kldiv::fit(draw(kldiv::poisson(4.0), 1));
    EXPECT_TRUE(r.discrete);
    expect_best(r, "poisson", {"negative_binomial"});
    expect_close(find_model(r, "poisson")->parameter("rate"), 4.0, "rate",
                 kRecover);
  }
  {
    // n is the largest value: Binomial(20, 0.7) reaches 20 with
    // probability 0.7^20 ≈ 8e-4 per draw, ~40 times in 50000.
    const fit_result r = kldiv::fit(draw(kldiv::binomial(20, 0.7), 2));
    expect_best(r, "binomial");
    EXPECT_EQ(r.models[0].parameter("n"), 20.0);
    expect_close(r.models[0].parameter("p"), 0.7, "p", kRecover);
    EXPECT_FALSE(find_model(r, "negative_binomial")->fitted);  // var < mean
  }
  {
    // Binomial(20, 0.35) seldom goes above 17 (0.35^18 scale): the largest
    // value underestimates n and so overestimates p, which is why the
    // caller can give n.
    const std::vector<double> x = draw(kldiv::binomial(20, 0.35), 2);
    EXPECT_LT(kldiv::fit(x).models[0].parameter("n"), 20.0);
    fit_options o;
    o.binomial_n = 20;
    const fit_result r = kldiv::fit(x, o);
    expect_best(r, "binomial");
    EXPECT_EQ(r.models[0].parameter("n"), 20.0);
    expect_close(r.models[0].parameter("p"), 0.35, "p", kRecover);
  }
  {
    const fit_result r = kldiv::fit(draw(kldiv::geometric(0.3), 3));
    expect_best(r, "geometric", {"negative_binomial"});
    expect_close(find_model(r, "geometric")->parameter("p"), 0.3, "p",
                 kRecover);
  }
  {
    // Negative binomial(r, p) as the Poisson mixture of Gamma(r, rate p /
    // (1 - p)).
    const double rr = 2.5, p = 0.4;
    const kldiv::gamma g(rr, p / (1.0 - p));
    kldiv::random_stream rs(4);
    std::vector<double> x(kLarge);
    for (auto& v : x) {
      const double lambda = kldiv::sample(g, rs);
      v = static_cast<double>(kldiv::sample(kldiv::poisson(lambda), rs));
    }
    const fit_result r = kldiv::fit(x);
    expect_best(r, "negative_binomial");
    expect_close(r.models[0].parameter("r"), rr, "r", kRecover);
    expect_close(r.models[0].parameter("p"), p, "p", kRecover);
  }
  {
    kldiv::random_stream rs(5);
    std::vector<double> x(kLarge);
    for (auto& v : x) v = 3.0 + std::floor(7.0 * rs.uniform());
    const fit_result r = kldiv::fit(x);
    expect_best(r, "uniform");
    EXPECT_EQ(r.models[0].parameter("low"), 3.0);
    EXPECT_EQ(r.models[0].parameter("high"), 9.0);
  }
}

TEST(FitRecovery, Continuous) {
  {
    const fit_result r = kldiv::fit(draw(kldiv::normal(1.5, 2.0), 11));
    EXPECT_FALSE(r.discrete);
    expect_best(r, "normal");
    expect_close(r.models[0].parameter("loc"), 1.5, "loc", kRecover);
    expect_close(r.models[0].parameter("scale"), 2.0, "scale", kRecover);
    // The KL estimate of the true family is near 0: the k-NN entropy's
    // standard error at n = 50000 is ~0.005.
    EXPECT_NEAR(r.models[0].kl, 0.0, 0.03);
  }
  {
    const fit_result r = kldiv::fit(draw(kldiv::lognormal(0.3, 0.6), 12));
    expect_best(r, "lognormal");
    expect_close(r.models[0].parameter("loc"), 0.3, "loc", kRecover);
    expect_close(r.models[0].parameter("scale"), 0.6, "scale", kRecover);
  }
  {
    const fit_result r = kldiv::fit(draw(kldiv::exponential(0.7), 13));
    expect_best(r, "exponential", {"gamma", "weibull"});
    expect_close(find_model(r, "exponential")->parameter("rate"), 0.7, "rate",
                 kRecover);
  }
  {
    const fit_result r = kldiv::fit(draw(kldiv::gamma(2.5, 1.5), 14));
    expect_best(r, "gamma");
    expect_close(r.models[0].parameter("shape"), 2.5, "shape", kRecover);
    expect_close(r.models[0].parameter("rate"), 1.5, "rate", kRecover);
  }
  {
    const fit_result r = kldiv::fit(draw(kldiv::weibull(2.0, 1.7), 15));
    expect_best(r, "weibull");
    expect_close(r.models[0].parameter("scale"), 2.0, "scale", kRecover);
    expect_close(r.models[0].parameter("shape"), 1.7, "shape", kRecover);
  }
  {
    const fit_result r = kldiv::fit(draw(kldiv::beta(2.0, 5.0), 16));
    expect_best(r, "beta");
    expect_close(r.models[0].parameter("a"), 2.0, "a", kRecover);
    expect_close(r.models[0].parameter("b"), 5.0, "b", kRecover);
  }
}

// ---------------------------------------------------------------------------
// Families not fitted, with the reason.

std::string reason_of(const fit_result& r, const std::string& name) {
  const fitted_model* m = find_model(r, name);
  if (m == nullptr) return "(absent)";
  return m->fitted ? "(fitted)" : m->reason;
}

TEST(FitNotFitted, Reasons) {
  // Variance 0.25 (1/n) <= mean 0.5.
  const fit_result under = kldiv::fit(std::vector<double>{0, 1, 0, 1});
  EXPECT_THAT(reason_of(under, "negative_binomial"),
              HasSubstr("does not exceed the mean"));
  // A value at 0: beta's MLE needs (0, 1); lognormal, gamma, Weibull need
  // x > 0; the exponential takes it.
  const fit_result at0 = kldiv::fit(std::vector<double>{0.0, 0.25, 0.5, 0.7});
  EXPECT_THAT(reason_of(at0, "beta"),
              HasSubstr("data[0] = 0 is on the boundary"));
  EXPECT_THAT(reason_of(at0, "lognormal"), HasSubstr("needs values > 0"));
  EXPECT_THAT(reason_of(at0, "gamma"), HasSubstr("data[0] = 0"));
  EXPECT_EQ(reason_of(at0, "exponential"), "(fitted)");
  const fit_result at1 = kldiv::fit(std::vector<double>{0.5, 0.25, 1.0});
  EXPECT_THAT(reason_of(at1, "beta"),
              HasSubstr("data[2] = 1 is on the boundary"));
  const fit_result neg = kldiv::fit(std::vector<double>{0.5, -1.5, 2.5});
  EXPECT_THAT(reason_of(neg, "beta"), HasSubstr("data[1] = -1.5"));
  EXPECT_THAT(reason_of(neg, "exponential"), HasSubstr("needs values >= 0"));
  EXPECT_EQ(reason_of(neg, "normal"), "(fitted)");
  // Negative integers: only the uniform applies.
  const fit_result negi = kldiv::fit(std::vector<double>{-2, 0, 3});
  EXPECT_EQ(reason_of(negi, "uniform"), "(fitted)");
  EXPECT_THAT(reason_of(negi, "poisson"), HasSubstr("data[0] = -2"));
  EXPECT_EQ(negi.models[0].name, "uniform");
  // All zeros.
  const fit_result zeros = kldiv::fit(std::vector<double>{0, 0, 0});
  EXPECT_THAT(reason_of(zeros, "poisson"), HasSubstr("rate 0"));
  EXPECT_THAT(reason_of(zeros, "binomial"), HasSubstr("n = 0"));
  EXPECT_EQ(reason_of(zeros, "geometric"), "(fitted)");
  // All equal, continuous: degenerate fits; the exponential's KL is +inf.
  const fit_result same = kldiv::fit(std::vector<double>{0.5, 0.5, 0.5});
  EXPECT_THAT(reason_of(same, "normal"), HasSubstr("all values are equal"));
  ASSERT_EQ(same.models[0].name, "exponential");
  EXPECT_EQ(same.models[0].kl, std::numeric_limits<double>::infinity());
  EXPECT_FALSE(same.warnings.empty());
  // The caller's binomial n below the largest value.
  fit_options o;
  o.binomial_n = 3;
  EXPECT_THAT(
      reason_of(kldiv::fit(std::vector<double>{1, 5, 2}, o), "binomial"),
      HasSubstr("data[1] = 5 exceeds the given n = 3"));
}

// ---------------------------------------------------------------------------
// Options.

TEST(FitOptions, BinomialN) {
  fit_options o;
  o.binomial_n = 10;
  o.families = {fit_family::binomial};
  const std::vector<double> x = {1, 2, 3, 2};
  const fit_result r = kldiv::fit(x, o);
  ASSERT_EQ(r.models.size(), 1u);
  const fitted_model& m = r.models[0];
  EXPECT_EQ(m.parameter("n"), 10.0);
  expect_close(m.parameter("p"), 0.2, "p");
  EXPECT_EQ(m.k, 1);  // n given, not estimated
  // log C(10, x) + x log 0.2 + (10 - x) log 0.8, summed (by hand).
  const double l = std::log(10.0) + 2 * std::log(45.0) + std::log(120.0) +
                   8 * std::log(0.2) + 32 * std::log(0.8);
  expect_close(m.log_likelihood, l, "l", 1e-13);
  expect_close(m.aic, 2 - 2 * l, "aic", 1e-13);
  expect_close(m.bic, std::log(4.0) - 2 * l, "bic", 1e-13);
}

TEST(FitOptions, KindAndFamilies) {
  const std::vector<double> x = {1, 2, 3, 2, 5, 4};
  fit_options o;
  o.kind = data_kind::continuous;
  const fit_result c = kldiv::fit(x, o);
  EXPECT_FALSE(c.discrete);
  EXPECT_EQ(c.models.size(), 6u);
  EXPECT_EQ(c.models[0].kl_method, "histogram");  // 2 repeats
  o.continuous_kl = kldiv::continuous_kl_method::knn;
  EXPECT_EQ(kldiv::fit(x, o).models[0].kl_method, "k-NN entropy");
  o.continuous_kl = kldiv::continuous_kl_method::automatic;
  o.families = {fit_family::gamma, fit_family::normal, fit_family::gamma};
  const fit_result two = kldiv::fit(x, o);
  ASSERT_EQ(two.models.size(), 2u);
  // A family of the other kind.
  o.families = {fit_family::poisson};
  EXPECT_THAT(message_of([&] { kldiv::fit(x, o); }),
              HasSubstr("poisson is a discrete family, but the data are fitted "
                        "as continuous"));
  fit_options d;
  d.families = {fit_family::normal};
  EXPECT_THAT(message_of([&] { kldiv::fit(x, d); }),
              HasSubstr("normal is a continuous family"));
  d.kind = data_kind::discrete;
  d.families.clear();
  EXPECT_THAT(message_of([&] {
                kldiv::fit(std::vector<double>{1, 2.5}, d);
              }),
              HasSubstr("data[1] = 2.5: discrete data must be whole numbers"));
}

TEST(FitOptions, Names) {
  for (const fit_family f :
       {fit_family::uniform, fit_family::binomial, fit_family::poisson,
        fit_family::geometric, fit_family::negative_binomial,
        fit_family::normal, fit_family::lognormal, fit_family::exponential,
        fit_family::gamma, fit_family::weibull, fit_family::beta}) {
    EXPECT_EQ(kldiv::fit_family_from_name(kldiv::name(f)), f);
  }
  EXPECT_TRUE(kldiv::is_discrete(fit_family::negative_binomial));
  EXPECT_FALSE(kldiv::is_discrete(fit_family::beta));
  EXPECT_THAT(message_of([] { kldiv::fit_family_from_name("cauchy"); }),
              HasSubstr("unknown family \"cauchy\"; the families are uniform"));
}

// ---------------------------------------------------------------------------
// The continuous KL estimators: which is used, and the histogram's sums.

template <class D>
std::vector<double> rounded(const D& d, std::uint64_t seed, double grid) {
  std::vector<double> x = draw(d, seed);
  for (auto& v : x) v = std::round(v / grid) * grid;
  return x;
}

// Rounded data (one decimal, like Fisher's iris): values repeat, the default
// is the histogram, every KL is >= 0 and the true family comes first. With
// n = 50000, NumPy's "auto" width (Freedman-Diaconis, 2 IQR n^(-1/3)) is
// about half the grid step, so its bins hold one grid point or none: the
// edges are aligned with the grid instead (one step wide, at the grid's
// midpoints), and the true family's binned KL is the sampling noise, ~(B -
// 1) / (2n) ≈ 0.001 (0.0008, 0.0012 and 0.0019 here). With the alignment
// turned off, NumPy's edges inflate every KL (0.61, 0.053 and 0.0099) and a
// warning says why. The k-NN estimate,
// asked for, is far below 0 (each nearest neighbour is one grid step away,
// where it would be ~1 / (2 n f) for untied data, so Ĥ is too high by about
// log(0.2 n f)) and warns of the ties.
TEST(FitContinuousKl, RoundedDataTakeTheHistogram) {
  struct sample {
    std::vector<double> x;
    std::string truth;
  };
  const std::vector<sample> samples = {
      {rounded(kldiv::normal(5.8, 0.8), 21, 0.1), "normal"},
      {rounded(kldiv::gamma(5.0, 1.0), 22, 0.1), "gamma"},
      {rounded(kldiv::lognormal(1.0, 0.5), 23, 0.1), "lognormal"},
  };
  for (const auto& [x, truth] : samples) {
    SCOPED_TRACE(truth);
    const fit_result r = kldiv::fit(x);
    EXPECT_FALSE(r.discrete);
    ASSERT_GE(r.kl_edges.size(), 2u);
    EXPECT_THAT(r.kl_estimator, HasSubstr("histogram: KL = "));
    EXPECT_THAT(r.kl_estimator, HasSubstr("NumPy's \"auto\" rule"));
    EXPECT_THAT(r.kl_estimator, HasSubstr(" of the data's grid 0.1, with edges "
                                          "at the midpoints between grid "
                                          "points"));
    if (truth == "normal") {
      EXPECT_THAT(r.kl_estimator, HasSubstr("widened to 0.1, one step of the "
                                            "data's grid 0.1"));
    }
    EXPECT_THAT(r.kl_estimator, HasSubstr("chosen because"));
    EXPECT_EQ(r.models[0].name, truth);
    EXPECT_LT(r.models[0].kl, 0.01);
    for (const auto& m : r.models) {
      if (!m.fitted) continue;
      EXPECT_EQ(m.kl_method, "histogram");
      EXPECT_GE(m.kl, 0.0) << m.name;
    }
    EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
    // The edges: a whole number of grid steps apart, from half a step below
    // the smallest value to the first edge above the largest; every value
    // half a step (and whole steps) from its bin's left edge.
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const std::vector<double>& e = r.kl_edges;
    const double width = e[1] - e[0];
    EXPECT_GE(width, 0.1 - 1e-12);
    EXPECT_NEAR(width / 0.1, std::round(width / 0.1), 1e-9);
    EXPECT_NEAR(e.front(), *lo - 0.05, 1e-12);
    EXPECT_GT(e.back(), *hi);
    EXPECT_LT(e[e.size() - 2], *hi);
    for (std::size_t i = 1; i < e.size(); ++i) {
      EXPECT_NEAR(e[i] - e[i - 1], width, 1e-12);
    }
    for (const double v : x) {
      const auto b = std::upper_bound(e.begin(), e.end(), v) - e.begin();
      ASSERT_GT(b, 0);
      const double steps = (v - e[b - 1]) / 0.1 - 0.5;
      ASSERT_NEAR(steps, std::round(steps), 1e-9) << v;
    }
    // The same edges as the caller's own: the same KLs, to rounding.
    fit_options given;
    given.bins.rule = kldiv::bin_rule::edges;
    given.bins.edges = e;
    const fit_result g = kldiv::fit(x, given);
    EXPECT_EQ(g.kl_edges, e);
    EXPECT_EQ(g.entropy, r.entropy);
    EXPECT_THAT(g.kl_estimator, HasSubstr("(the given edges)"));
    EXPECT_TRUE(g.warnings.empty());
    for (std::size_t i = 0; i < g.models.size(); ++i) {
      EXPECT_EQ(g.models[i].kl, r.models[i].kl) << g.models[i].name;
    }
    // Turned off: NumPy's own edges, less than two grid steps wide, hold
    // one or two grid points by where they fall: the true family's KL is
    // inflated (for the normal, bins half a step wide, half of them empty:
    // ~0.6), and a warning says why.
    fit_options off;
    off.align_to_grid = false;
    const fit_result u = kldiv::fit(x, off);
    EXPECT_THAT(u.kl_estimator,
                HasSubstr("(NumPy's \"auto\" rule, fitted on the data), "));
    EXPECT_GT(find_model(u, truth)->kl, 2.0 * r.models[0].kl);
    if (truth == "normal") {
      EXPECT_GT(u.kl_edges.size(), r.kl_edges.size());
      EXPECT_GT(find_model(u, truth)->kl, 0.5);
    }
    ASSERT_EQ(u.warnings.size(), 1u);
    EXPECT_THAT(u.warnings[0],
                HasSubstr("the closest distinct values are 0.1 apart (rounded "
                          "data?) and the narrowest bin is"));
    EXPECT_THAT(u.warnings[0], HasSubstr("leave align_to_grid on"));
    // (On the first 2000 values: the k-NN search through ties is slow.)
    fit_options knn;
    knn.continuous_kl = kldiv::continuous_kl_method::knn;
    const fit_result k = kldiv::fit(std::span(x).first(2000), knn);
    EXPECT_LT(k.models[0].kl, -1.0);
    ASSERT_FALSE(k.warnings.empty());
    EXPECT_THAT(k.warnings[0], HasSubstr("have a duplicate"));
  }
}

// The alignment worked by hand. Whole numbers fitted as continuous lie on
// the grid of step 1: two equal-width bins over [1, 5] are 2 wide, 2 steps,
// so the edges are 0.5, 2.5, 4.5 and 6.5 (the first above 5), holding 3, 5
// and 1 of the 9 values.
TEST(FitGridAlignment, WidthRuleWorkedByHand) {
  const std::vector<double> x = {1, 2, 2, 3, 3, 3, 4, 4, 5};
  fit_options o;
  o.kind = data_kind::continuous;
  o.bins.rule = kldiv::bin_rule::count;
  o.bins.bins = 2;
  const fit_result r = kldiv::fit(x, o);
  EXPECT_EQ(r.kl_edges, (std::vector<double>{0.5, 2.5, 4.5, 6.5}));
  const double p1 = 3.0 / 9, p2 = 5.0 / 9, p3 = 1.0 / 9;
  expect_close(r.entropy,
               -p1 * std::log(p1) - p2 * std::log(p2) - p3 * std::log(p3),
               "entropy", 1e-15);
  EXPECT_THAT(r.kl_estimator,
              HasSubstr("on 3 bins (equal widths over the data's range, "
                        "fitted on the data; the rule's width 2 kept at 2, 2 "
                        "steps of the data's grid 1, with edges at the "
                        "midpoints between grid points)"));
  EXPECT_TRUE(r.warnings.empty());
  // The normal's KL on those bins, from std::erfc.
  const fitted_model* n = find_model(r, "normal");
  ASSERT_NE(n, nullptr);
  const double mu = n->parameter("loc"), sd = n->parameter("scale");
  const auto F = [&](double e) {
    return 0.5 * std::erfc(-(e - mu) / (sd * std::sqrt(2.0)));
  };
  const double kl = p1 * std::log(p1 / (F(2.5) - F(0.5))) +
                    p2 * std::log(p2 / (F(4.5) - F(2.5))) +
                    p3 * std::log(p3 / (F(6.5) - F(4.5)));
  expect_close(n->kl, kl, "kl", 1e-12);
  // Off: the count's own edges, 1, 3, 5.
  o.align_to_grid = false;
  EXPECT_EQ(kldiv::fit(x, o).kl_edges, (std::vector<double>{1.0, 3.0, 5.0}));
}

// Quantile edges move to the midpoints between grid points that keep each
// bin's data. Data at one decimal: the median 0.3 is a data value, so the
// edge goes half a step below it (0.3 stays above); the ends go half a step
// out. The bins hold the same values (the same entropy) either way.
TEST(FitGridAlignment, QuantilesKeepTheirData) {
  const std::vector<double> x = {0.1, 0.2, 0.2, 0.3, 0.3,
                                 0.3, 0.4, 0.4, 0.5, 0.7};
  fit_options o;
  o.bins.rule = kldiv::bin_rule::quantiles;
  o.bins.bins = 2;
  const fit_result r = kldiv::fit(x, o);
  ASSERT_EQ(r.kl_edges.size(), 3u);
  EXPECT_NEAR(r.kl_edges[0], 0.05, 1e-15);
  EXPECT_NEAR(r.kl_edges[1], 0.25, 1e-15);
  EXPECT_NEAR(r.kl_edges[2], 0.75, 1e-15);
  expect_close(r.entropy, -0.3 * std::log(0.3) - 0.7 * std::log(0.7), "entropy",
               1e-15);
  EXPECT_THAT(r.kl_estimator,
              HasSubstr("on 2 bins (equal data mass (quantiles), fitted on "
                        "the data; each edge moved to the nearest midpoint "
                        "between grid points that leaves the same values on "
                        "either side, the data lying on a grid of step 0.1"));
  o.align_to_grid = false;
  const fit_result u = kldiv::fit(x, o);
  EXPECT_EQ(u.kl_edges, (std::vector<double>{0.1, 0.3, 0.7}));
  EXPECT_EQ(u.entropy, r.entropy);
  // More bins than grid cells with data: edges that meet are merged, and
  // every bin still holds what it held.
  o.align_to_grid = true;
  o.bins.bins = 9;
  const fit_result many = kldiv::fit(x, o);
  o.align_to_grid = false;
  const fit_result many_off = kldiv::fit(x, o);
  expect_close(many.entropy, many_off.entropy, "entropy", 1e-15);
  for (std::size_t i = 1; i < many.kl_edges.size(); ++i) {
    const double k = (many.kl_edges[i] - 0.05) / 0.1;
    EXPECT_NEAR(k, std::round(k), 1e-9) << "edge " << i << " off the grid";
    EXPECT_GT(many.kl_edges[i], many.kl_edges[i - 1]);
  }
}

// What is a grid and what is not: magnitudes far above the step (the step
// refined over the range, not the smallest gap, which is 0.00999999977648),
// and data that are left alone: two distinct values, values off any grid,
// and the caller's edges, with a warning when they are narrower than the
// grid's step.
TEST(FitGridAlignment, WhatLiesOnAGrid) {
  {
    std::vector<double> x = draw(kldiv::normal(1e6, 0.5), 31);
    x.resize(3000);
    for (auto& v : x) v = std::round(v * 100.0) / 100.0;
    const fit_result r = kldiv::fit(x);
    EXPECT_THAT(r.kl_estimator, HasSubstr("of the data's grid 0.01, with "
                                          "edges at the midpoints"));
    EXPECT_EQ(r.models[0].name, "normal");
    EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
  }
  const auto numpy_edges = [](const std::vector<double>& x) {
    return kldiv::bin_edges(x, kldiv::histogram_options{});
  };
  for (const std::vector<double>& x :
       {std::vector<double>{1.5, 1.5, 2.5},           // two values
        std::vector<double>{0.1, 0.2, 0.2, 0.35}}) {  // 0.35: off the grid
    const fit_result r = kldiv::fit(x);
    EXPECT_EQ(r.kl_edges, numpy_edges(x));
    EXPECT_THAT(r.kl_estimator, Not(HasSubstr("grid")));
  }
  fit_options o;
  o.families = {fit_family::exponential};
  o.bins.rule = kldiv::bin_rule::edges;
  o.bins.edges = {0.0, 0.5, 1.0, 3.0};
  const fit_result narrow =
      kldiv::fit(std::vector<double>{0.5, 0.5, 1.5, 2.5}, o);
  EXPECT_EQ(narrow.kl_edges, o.bins.edges);
  ASSERT_EQ(narrow.warnings.size(), 1u);
  EXPECT_THAT(narrow.warnings[0],
              HasSubstr("the data lie on a grid of step 1 (rounded data?) and "
                        "the narrowest of the given bins is 0.5 wide, less "
                        "than a step"));
}

// Untied data keep the k-NN estimate by default, and no edges.
TEST(FitContinuousKl, UntiedDataKeepKnn) {
  const std::vector<double> x = draw(kldiv::gamma(2.5, 1.5), 24);
  const fit_result r = kldiv::fit(x);
  EXPECT_THAT(r.kl_estimator, ::testing::StartsWith("k-NN entropy"));
  EXPECT_TRUE(r.kl_edges.empty());
  for (const auto& m : r.models) {
    if (m.fitted) {
      EXPECT_EQ(m.kl_method, "k-NN entropy");
    }
  }
  fit_options knn;
  knn.continuous_kl = kldiv::continuous_kl_method::knn;
  expect_same(kldiv::fit(x, knn), r);
}

// The caller's edges, with data outside them: two outer bins, against the
// model's mass below and above. Data 0.5, 0.5, 1.5, 2.5: the exponential's
// rate is 1 / 1.25 = 0.8; on the edges 1, 2 the proportions are ½ (below
// 1), ¼, ¼ (above 2) and the masses 1 - e^-0.8, e^-0.8 - e^-1.6, e^-1.6.
TEST(FitContinuousKl, CallersEdgesWorkedByHand) {
  fit_options o;
  o.families = {fit_family::exponential};
  o.continuous_kl = kldiv::continuous_kl_method::histogram;
  o.bins.rule = kldiv::bin_rule::edges;
  o.bins.edges = {1.0, 2.0};
  const fit_result r = kldiv::fit(std::vector<double>{0.5, 2.5, 1.5, 0.5}, o);
  const double a = std::exp(-0.8), b = std::exp(-1.6);
  const double kl = 0.5 * std::log(0.5 / (1.0 - a)) +
                    0.25 * std::log(0.25 / (a - b)) + 0.25 * std::log(0.25 / b);
  ASSERT_EQ(r.models.size(), 1u);
  expect_close(r.models[0].kl, kl, "kl", 1e-14);
  expect_close(r.entropy, -0.5 * std::log(0.5) - 0.5 * std::log(0.25),
               "entropy", 1e-15);
  EXPECT_EQ(r.kl_edges, o.bins.edges);
  EXPECT_THAT(r.kl_estimator, HasSubstr("on 1 bin (the given edges)"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0],
              HasSubstr("3 of 4 values lie outside the edges [1, 2]"));
}

// A bin ten standard deviations up, where F rounds to 1 in doubles and
// F(b) - F(a) would be 0: the complement keeps the mass. Data: 50 × -1,
// 50 × +1 and 100; the normal's mass in each bin from std::erfc.
TEST(FitContinuousKl, UpperTailMassByTheComplement) {
  std::vector<double> x(50, -1.0);
  x.insert(x.end(), 50, 1.0);
  x.push_back(100.0);
  fit_options o;
  o.kind = data_kind::continuous;
  o.families = {fit_family::normal};
  o.bins.rule = kldiv::bin_rule::edges;
  o.bins.edges = {-2.0, 0.0, 2.0, 99.0, 101.0};
  const fit_result r = kldiv::fit(x, o);
  ASSERT_TRUE(r.models[0].fitted);
  const double mu = r.models[0].parameter("loc");
  const double sd = r.models[0].parameter("scale");
  const auto q = [&](double e) {  // 1 - F(e)
    return 0.5 * std::erfc((e - mu) / (sd * std::sqrt(2.0)));
  };
  const double p50 = 50.0 / 101.0, p1 = 1.0 / 101.0;
  const double kl = p50 * std::log(p50 / (q(-2.0) - q(0.0))) +
                    p50 * std::log(p50 / (q(0.0) - q(2.0))) +
                    p1 * std::log(p1 / (q(99.0) - q(101.0)));
  EXPECT_LT(q(99.0), 1e-22);  // the bin is far out
  expect_close(r.models[0].kl, kl, "kl", 1e-12);
}

// All values equal: the point mass, whichever estimator.
TEST(FitContinuousKl, PointMassWhicheverEstimator) {
  fit_options o;
  o.continuous_kl = kldiv::continuous_kl_method::histogram;
  const fit_result r = kldiv::fit(std::vector<double>{0.5, 0.5, 0.5}, o);
  ASSERT_TRUE(r.models[0].fitted);
  EXPECT_EQ(r.models[0].kl_method, "point mass");
  EXPECT_EQ(r.models[0].kl, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(r.kl_edges.empty());
}

TEST(FitContinuousKl, Errors) {
  const std::vector<double> counts = {0, 1, 1, 2};
  for (const auto method : {kldiv::continuous_kl_method::histogram,
                            kldiv::continuous_kl_method::knn}) {
    fit_options o;
    o.continuous_kl = method;
    EXPECT_THAT(message_of([&] { kldiv::fit(counts, o); }),
                HasSubstr("but the data are fitted as discrete, whose KL is "
                          "exact (the sum over the observed values)"));
  }
  fit_options name;
  name.continuous_kl = kldiv::continuous_kl_method::histogram;
  EXPECT_THAT(message_of([&] { kldiv::fit(counts, name); }),
              HasSubstr("fit: continuous_kl = histogram, but"));
  // Discrete data with the default estimator ignore the bins.
  fit_options ignored;
  ignored.bins.rule = kldiv::bin_rule::count;
  ignored.bins.bins = 0;
  EXPECT_NO_THROW(kldiv::fit(counts, ignored));
  // Continuous data check them, whichever estimator is used.
  const std::vector<double> x = {0.5, 1.5, 2.25, 3.0};
  EXPECT_THAT(message_of([&] { kldiv::fit(x, ignored); }),
              HasSubstr("fit: bins.bins = 0 for rule count, but must be in "
                        "1 .. 1000000"));
  const auto bad = [&](auto set) {
    fit_options o;
    o.continuous_kl = kldiv::continuous_kl_method::histogram;
    set(o.bins);
    return message_of([&] { kldiv::fit(x, o); });
  };
  EXPECT_THAT(bad([](kldiv::histogram_options& b) { b.smoothing = 0.5; }),
              HasSubstr("fit: bins.smoothing = 0.5: the fit's histogram KL "
                        "takes no smoothing"));
  EXPECT_THAT(bad([](kldiv::histogram_options& b) { b.bootstrap = 10; }),
              HasSubstr("fit: bins.bootstrap = 10"));
  EXPECT_THAT(bad([](kldiv::histogram_options& b) {
                b.rule = kldiv::bin_rule::quantiles;
                b.bins = 2000000;
              }),
              HasSubstr("bins.bins = 2000000 for rule quantiles"));
  EXPECT_THAT(bad([](kldiv::histogram_options& b) {
                b.rule = kldiv::bin_rule::edges;
                b.edges = {1.0};
              }),
              HasSubstr("fit: bins.edges has 1 edges, but needs at least 2"));
  EXPECT_THAT(bad([](kldiv::histogram_options& b) {
                b.rule = kldiv::bin_rule::edges;
                b.edges = {0.0, NAN, 2.0};
              }),
              HasSubstr("fit: bins.edges[1] = nan, but must be finite"));
  EXPECT_THAT(bad([](kldiv::histogram_options& b) {
                b.rule = kldiv::bin_rule::edges;
                b.edges = {0.0, 2.0, 2.0};
              }),
              HasSubstr("fit: bins.edges[2] = 2, but edges must be strictly "
                        "increasing (it follows 2)"));
}

// ---------------------------------------------------------------------------
// Errors.

// Off the support and off the whole numbers: density 0; unfitted models and
// NaN: errors.
TEST(FitLogDensity, SupportAndErrors) {
  const std::vector<double> counts = {0, 1, 1, 2, 2, 2, 3, 3, 4, 6};
  const fit_result r = kldiv::fit(counts);
  for (const char* fam :
       {"poisson", "geometric", "negative_binomial", "binomial", "uniform"}) {
    SCOPED_TRACE(fam);
    const fitted_model* m = find_model(r, fam);
    ASSERT_NE(m, nullptr);
    ASSERT_TRUE(m->fitted) << m->reason;
    EXPECT_EQ(kldiv::log_density(*m, -1.0), -INFINITY);
    EXPECT_EQ(kldiv::log_density(*m, 1.5), -INFINITY);
    EXPECT_GT(kldiv::log_density(*m, 2.0), -INFINITY);
    EXPECT_THAT(message_of([&] { kldiv::log_density(*m, NAN); }),
                HasSubstr("x is NaN"));
  }
  // Poisson with the sample mean 2.4 at 2: log(e^-2.4 2.4^2 / 2).
  expect_close(kldiv::log_density(*find_model(r, "poisson"), 2.0),
               -2.4 + 2.0 * std::log(2.4) - std::log(2.0), "poisson", 1e-14);
  fit_options beta_only;
  beta_only.families = {fit_family::beta};
  const fit_result c =
      kldiv::fit(std::vector<double>{0.5, 1.5, 2.5}, beta_only);
  ASSERT_FALSE(c.models.at(0).fitted);
  EXPECT_THAT(message_of([&] { kldiv::log_density(c.models[0], 0.5); }),
              HasSubstr("was not fitted"));
}

TEST(FitErrors, BadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THAT(message_of([] { kldiv::fit(std::vector<double>{}); }),
              HasSubstr("data is empty"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit(std::vector<double>{1, 2, 3, nan});
              }),
              HasSubstr("data[3] = nan: values must be finite"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit(std::vector<double>{-inf, 2});
              }),
              HasSubstr("data[0] = -inf"));
  const std::vector<double> v = {1, 2, 3};
  EXPECT_THAT(message_of([&] {
                kldiv::fit_counts(v, std::vector<double>{1, -1, 2});
              }),
              HasSubstr("counts[1] = -1: counts must be whole numbers >= 0"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit_counts(v, std::vector<double>{1, 1, 0.5});
              }),
              HasSubstr("counts[2] = 0.5"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit_counts(v, std::vector<double>{1, nan, 1});
              }),
              HasSubstr("counts[1] = nan"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit_counts(v, std::vector<double>{1, 1});
              }),
              HasSubstr("values has 3 entries and counts 2"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit_counts(v, std::vector<double>{0, 0, 0});
              }),
              HasSubstr("every count is 0"));
  EXPECT_THAT(message_of([&] {
                kldiv::fit_counts(std::vector<double>{1, inf},
                                  std::vector<double>{1, 1});
              }),
              HasSubstr("values[1] = inf"));
  fit_options o;
  o.binomial_n = -1;
  EXPECT_THAT(message_of([&] { kldiv::fit(v, o); }),
              HasSubstr("binomial_n = -1"));
  const fit_result r = kldiv::fit(v);
  EXPECT_THAT(message_of([&] { r.models[0].parameter("zeta"); }),
              HasSubstr("no parameter \"zeta\""));
}

}  // namespace
