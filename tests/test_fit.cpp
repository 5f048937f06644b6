// kldiv::fit and kldiv::fit_counts against tools/gen_fit_reference.py: for
// fixed samples of every family (drawn and stored by the generator), the
// maximum likelihood estimates solved in mpmath at 40 digits (cross-checked
// there with scipy.stats' fit and direct optimisation), the log-likelihoods,
// AIC, BIC, the exact discrete KLs and, for continuous data, the KL estimate
// -Ĥ - l/n with the Kozachenko–Leonenko entropy worked out in mpmath. Then:
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
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
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
    if (!r.discrete) {
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
      expect_close(got->kl, want["kl"], "kl", 1e-9, 1e-9);
      EXPECT_EQ(got->kl_method, r.discrete ? "exact" : "k-NN entropy");
    }
  }
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
  }
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
  // Continuous values with repeats: the k-NN entropy of the expansion.
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
  ASSERT_FALSE(a.warnings.empty());
  EXPECT_THAT(a.warnings[0], HasSubstr("9 points have a duplicate"));
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
  EXPECT_EQ(c.models[0].kl_method, "k-NN entropy");
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
