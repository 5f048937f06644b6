// Tests of include/kldiv/distributions.hpp (all but kl(), which
// test_distributions_kl.cpp covers).
//
// Values: every log_pdf/log_pmf, mean, variance and entropy against
// tests/data/distributions_reference.json, computed in mpmath at 50 digits
// and cross-checked with torch and scipy by
// tools/gen_distributions_reference.py. Tolerance: relative 1e-13;
// infinities must match exactly, and
// "not_supported" means NotSupported is thrown. The lognormal's
// log-density also gets the error that rounding log x costs (see slack_fn).
//
// Checks: every constraint's exact message and exception type.
//
// Sampling: reproducibility per (seed, stream), and for each family the
// sample mean (and variance) of 10^5 draws within 5 standard errors of the
// closed form, with a fixed seed so that the test is deterministic.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kRelTol = 1e-13;

const json& reference() {
  return kldiv_test::reference_file("distributions_reference.json");
}

double number(const json& v) {
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s == "inf") return kInf;
    if (s == "-inf") return -kInf;
    throw std::runtime_error("unexpected reference string " + s);
  }
  return v.get<double>();
}

// Relative tolerance per (family, quantity): 1e-13 everywhere (the one
// exception, the lognormal's log-density, is an absolute slack below).
double tolerance(const std::string&, const std::string&) { return kRelTol; }

void expect_close(double want, double got, double rel,
                  const std::string& what) {
  if (std::isinf(want)) {
    EXPECT_EQ(want, got) << what;
    return;
  }
  ASSERT_FALSE(std::isnan(got)) << what;
  EXPECT_LE(std::fabs(got - want), rel * std::fabs(want) + 1e-300)
      << what << ": want " << want << ", got " << got << " (rel "
      << std::fabs(got - want) / std::fabs(want) << ")";
}

// Extra absolute error allowed in a log-density at x: none, but for the
// lognormal's log x, whose rounding (eps/2 |log x|) no double algorithm avoids
// and which the density amplifies by |z| / scale.
using slack_fn = std::function<double(const json&, double)>;
double no_slack(const json&, double) { return 0.0; }

template <class F, class Make, class LogProb>
void check_family(const std::string& name, Make make, LogProb log_prob,
                  const slack_fn& slack = no_slack) {
  const json& cases = reference().at(name);
  ASSERT_FALSE(cases.empty());
  for (const json& c : cases) {
    const F d = make(c.at("params"));
    const std::string id = name + " " + c.at("params").dump();
    EXPECT_EQ(family(d), name);
    for (const json& pt : c.at("log_prob")) {
      const double want = number(pt[1]);
      const double got = log_prob(d, pt[0]);
      const double extra =
          std::isfinite(want) ? slack(c.at("params"), number(pt[0])) : 0.0;
      if (extra > 0.0)
        EXPECT_LE(std::fabs(got - want), kRelTol * std::fabs(want) + extra)
            << id << " log_prob at " << pt[0].dump();
      else
        expect_close(want, got, tolerance(name, "log_prob"),
                     id + " log_prob at " + pt[0].dump());
    }
    for (const char* q : {"mean", "variance"}) {
      const json& want = c.at(q);
      const std::string qs = q;
      auto call = [&] { return qs == "mean" ? mean(d) : variance(d); };
      if (want.is_string() && want.get<std::string>() == "not_supported") {
        EXPECT_THROW(call(), kldiv::NotSupported) << id << " " << q;
      } else {
        expect_close(number(want), call(), tolerance(name, q), id + " " + q);
      }
    }
    expect_close(number(c.at("entropy")), entropy(d),
                 tolerance(name, "entropy"), id + " entropy");
  }
}

double p0(const json& p) { return p.at(0).get<double>(); }
double p1(const json& p) { return p.at(1).get<double>(); }
double p2(const json& p) { return p.at(2).get<double>(); }

template <class F>
double cont_lp(const F& d, const json& x) {
  return kldiv::log_pdf(d, number(x));
}
template <class F>
double disc_lp(const F& d, const json& k) {
  return kldiv::log_pmf(d, k.get<std::int64_t>());
}

using namespace kldiv;

TEST(DistributionsReference, Normal) {
  check_family<normal>(
      "normal", [](const json& p) { return normal(p0(p), p1(p)); },
      cont_lp<normal>);
}
TEST(DistributionsReference, Exponential) {
  check_family<exponential>(
      "exponential", [](const json& p) { return exponential(p0(p)); },
      cont_lp<exponential>);
}
TEST(DistributionsReference, Gamma) {
  check_family<kldiv::gamma>(
      "gamma", [](const json& p) { return kldiv::gamma(p0(p), p1(p)); },
      cont_lp<kldiv::gamma>);
}
TEST(DistributionsReference, Chi2) {
  check_family<chi2>(
      "chi2", [](const json& p) { return chi2(p0(p)); }, cont_lp<chi2>);
}
TEST(DistributionsReference, Beta) {
  check_family<beta>(
      "beta", [](const json& p) { return beta(p0(p), p1(p)); }, cont_lp<beta>);
}
TEST(DistributionsReference, Laplace) {
  check_family<laplace>(
      "laplace", [](const json& p) { return laplace(p0(p), p1(p)); },
      cont_lp<laplace>);
}
TEST(DistributionsReference, Uniform) {
  check_family<uniform>(
      "uniform", [](const json& p) { return uniform(p0(p), p1(p)); },
      cont_lp<uniform>);
}
TEST(DistributionsReference, Lognormal) {
  check_family<lognormal>(
      "lognormal", [](const json& p) { return lognormal(p0(p), p1(p)); },
      cont_lp<lognormal>,
      [](const json& p, double x) {
        const double lx = std::log(x), z = (lx - p0(p)) / p1(p);
        constexpr double eps = std::numeric_limits<double>::epsilon();
        return 2 * eps * std::fabs(lx) * (std::fabs(z) / p1(p) + 1);
      });
}
TEST(DistributionsReference, Cauchy) {
  check_family<cauchy>(
      "cauchy", [](const json& p) { return cauchy(p0(p), p1(p)); },
      cont_lp<cauchy>);
}
TEST(DistributionsReference, Gumbel) {
  check_family<gumbel>(
      "gumbel", [](const json& p) { return gumbel(p0(p), p1(p)); },
      cont_lp<gumbel>);
}
TEST(DistributionsReference, HalfNormal) {
  check_family<half_normal>(
      "half_normal", [](const json& p) { return half_normal(p0(p)); },
      cont_lp<half_normal>);
}
TEST(DistributionsReference, Pareto) {
  check_family<pareto>(
      "pareto", [](const json& p) { return pareto(p0(p), p1(p)); },
      cont_lp<pareto>);
}
TEST(DistributionsReference, Weibull) {
  check_family<weibull>(
      "weibull", [](const json& p) { return weibull(p0(p), p1(p)); },
      cont_lp<weibull>);
}
TEST(DistributionsReference, StudentT) {
  check_family<student_t>(
      "student_t", [](const json& p) { return student_t(p0(p), p1(p), p2(p)); },
      cont_lp<student_t>);
}
TEST(DistributionsReference, VonMises) {
  check_family<von_mises>(
      "von_mises", [](const json& p) { return von_mises(p0(p), p1(p)); },
      cont_lp<von_mises>);
}
TEST(DistributionsReference, Bernoulli) {
  check_family<bernoulli>(
      "bernoulli", [](const json& p) { return bernoulli(p0(p)); },
      disc_lp<bernoulli>);
}
TEST(DistributionsReference, Binomial) {
  check_family<binomial>(
      "binomial",
      [](const json& p) {
        return binomial(p.at(0).get<std::int64_t>(), p1(p));
      },
      disc_lp<binomial>);
}
TEST(DistributionsReference, Poisson) {
  check_family<poisson>(
      "poisson", [](const json& p) { return poisson(p0(p)); },
      disc_lp<poisson>);
}
TEST(DistributionsReference, Geometric) {
  check_family<geometric>(
      "geometric", [](const json& p) { return geometric(p0(p)); },
      disc_lp<geometric>);
}
TEST(DistributionsReference, Categorical) {
  check_family<categorical>(
      "categorical",
      [](const json& p) {
        return categorical(p.at(0).get<std::vector<double>>());
      },
      disc_lp<categorical>);
}

TEST(DistributionsReference, Dirichlet) {
  for (const json& c : reference().at("dirichlet")) {
    const dirichlet d(c.at("params").at(0).get<std::vector<double>>());
    const std::string id = "dirichlet " + c.at("params").dump();
    EXPECT_EQ(family(d), "dirichlet");
    for (const json& pt : c.at("log_prob")) {
      const auto x = pt[0].get<std::vector<double>>();
      expect_close(number(pt[1]), log_pdf(d, x), tolerance("dirichlet", "lp"),
                   id + " log_pdf at " + pt[0].dump());
    }
    const auto m = mean(d), v = variance(d);
    const auto wm = c.at("mean").get<std::vector<double>>();
    const auto wv = c.at("variance").get<std::vector<double>>();
    ASSERT_EQ(m.size(), wm.size());
    ASSERT_EQ(v.size(), wv.size());
    for (std::size_t i = 0; i < m.size(); ++i) {
      expect_close(wm[i], m[i], kRelTol, id + " mean");
      expect_close(wv[i], v[i], kRelTol, id + " variance");
    }
    expect_close(number(c.at("entropy")), entropy(d),
                 tolerance("dirichlet", "entropy"), id + " entropy");
  }
}

// ---------------------------------------------------------------------------
// Parameter checks: exact messages.

template <class E>
void expect_message(const std::function<void()>& f, const std::string& msg) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected: " << msg;
  } catch (const E& e) {
    EXPECT_EQ(std::string(e.what()), msg);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

#define EXPECT_INVALID(expr, msg) \
  expect_message<InvalidArgument>([&] { (void)(expr); }, msg)
#define EXPECT_NOT_SUPPORTED(expr, msg) \
  expect_message<NotSupported>([&] { (void)(expr); }, msg)

TEST(DistributionsChecks, PositiveFinite) {
  EXPECT_INVALID(normal(0, -1),
                 "normal: scale = -1, but must be > 0 and finite");
  EXPECT_INVALID(normal(0, 0), "normal: scale = 0, but must be > 0 and finite");
  EXPECT_INVALID(normal(0, kInf),
                 "normal: scale = inf, but must be > 0 and finite");
  EXPECT_INVALID(normal(0, kNaN),
                 "normal: scale = nan, but must be > 0 and finite");
  EXPECT_INVALID(exponential(-0.5),
                 "exponential: rate = -0.5, but must be > 0 and finite");
  EXPECT_INVALID(kldiv::gamma(0, 1),
                 "gamma: shape = 0, but must be > 0 and finite");
  EXPECT_INVALID(kldiv::gamma(1, kInf),
                 "gamma: rate = inf, but must be > 0 and finite");
  EXPECT_INVALID(chi2(-2), "chi2: df = -2, but must be > 0 and finite");
  EXPECT_INVALID(beta(0, 1), "beta: a = 0, but must be > 0 and finite");
  EXPECT_INVALID(beta(1, kNaN), "beta: b = nan, but must be > 0 and finite");
  EXPECT_INVALID(laplace(0, 0),
                 "laplace: scale = 0, but must be > 0 and finite");
  EXPECT_INVALID(lognormal(0, -2),
                 "lognormal: scale = -2, but must be > 0 and finite");
  EXPECT_INVALID(cauchy(0, 0), "cauchy: scale = 0, but must be > 0 and finite");
  EXPECT_INVALID(gumbel(0, -1),
                 "gumbel: scale = -1, but must be > 0 and finite");
  EXPECT_INVALID(half_normal(0),
                 "half_normal: scale = 0, but must be > 0 and finite");
  EXPECT_INVALID(pareto(0, 1), "pareto: scale = 0, but must be > 0 and finite");
  EXPECT_INVALID(pareto(1, -3),
                 "pareto: alpha = -3, but must be > 0 and finite");
  EXPECT_INVALID(weibull(-1, 1),
                 "weibull: scale = -1, but must be > 0 and finite");
  EXPECT_INVALID(weibull(1, 0),
                 "weibull: shape = 0, but must be > 0 and finite");
  EXPECT_INVALID(student_t(0), "student_t: df = 0, but must be > 0 and finite");
  EXPECT_INVALID(student_t(1, 0, -1),
                 "student_t: scale = -1, but must be > 0 and finite");
  EXPECT_INVALID(poisson(0), "poisson: rate = 0, but must be > 0 and finite");
  EXPECT_INVALID(dirichlet({1.0, -0.5}),
                 "dirichlet: alpha[1] = -0.5, but must be > 0 and finite");
}

TEST(DistributionsChecks, Finite) {
  EXPECT_INVALID(normal(kInf, 1), "normal: loc = inf, but must be finite");
  EXPECT_INVALID(normal(kNaN, 1), "normal: loc = nan, but must be finite");
  EXPECT_INVALID(laplace(-kInf, 1), "laplace: loc = -inf, but must be finite");
  EXPECT_INVALID(lognormal(kNaN), "lognormal: loc = nan, but must be finite");
  EXPECT_INVALID(cauchy(kInf), "cauchy: loc = inf, but must be finite");
  EXPECT_INVALID(gumbel(kInf), "gumbel: loc = inf, but must be finite");
  EXPECT_INVALID(student_t(1, kNaN),
                 "student_t: loc = nan, but must be finite");
  EXPECT_INVALID(von_mises(kInf), "von_mises: loc = inf, but must be finite");
  EXPECT_INVALID(uniform(-kInf, 0), "uniform: low = -inf, but must be finite");
  EXPECT_INVALID(uniform(0, kInf), "uniform: high = inf, but must be finite");
}

TEST(DistributionsChecks, NonnegativeFinite) {
  EXPECT_INVALID(von_mises(0, -1),
                 "von_mises: concentration = -1, but must be >= 0 and finite");
  EXPECT_INVALID(von_mises(0, kInf),
                 "von_mises: concentration = inf, but must be >= 0 and finite");
  EXPECT_NO_THROW(von_mises(0, 0));
}

TEST(DistributionsChecks, Less) {
  EXPECT_INVALID(uniform(2, 1), "uniform: low = 2, but must be < high = 1");
  EXPECT_INVALID(uniform(1, 1), "uniform: low = 1, but must be < high = 1");
}

TEST(DistributionsChecks, Probability) {
  EXPECT_INVALID(bernoulli(1.5),
                 "bernoulli: p = 1.5, but must be >= 0 and <= 1");
  EXPECT_INVALID(bernoulli(kNaN),
                 "bernoulli: p = nan, but must be >= 0 and <= 1");
  EXPECT_INVALID(binomial(3, -0.1),
                 "binomial: p = -0.1, but must be >= 0 and <= 1");
  EXPECT_INVALID(geometric(0), "geometric: p = 0, but must be > 0 and <= 1");
  EXPECT_INVALID(geometric(1.25),
                 "geometric: p = 1.25, but must be > 0 and <= 1");
  EXPECT_NO_THROW(bernoulli(0));
  EXPECT_NO_THROW(bernoulli(1));
  EXPECT_NO_THROW(geometric(1));
}

TEST(DistributionsChecks, NonnegativeCount) {
  EXPECT_INVALID(binomial(-1, 0.5), "binomial: n = -1, but must be >= 0");
  EXPECT_NO_THROW(binomial(0, 0.5));
}

TEST(DistributionsChecks, SimplexAndSizes) {
  EXPECT_INVALID(categorical({}),
                 "categorical: probs has 0 elements, but must have at least 1");
  EXPECT_INVALID(categorical({0.5, -0.1, 0.6}),
                 "categorical: probs[1] = -0.1, but must be >= 0 and finite");
  EXPECT_INVALID(categorical({0.5, kNaN}),
                 "categorical: probs[1] = nan, but must be >= 0 and finite");
  EXPECT_INVALID(categorical({0.5, 0.4}),
                 "categorical: probs sums to 0.9, but must sum to 1 within "
                 "1e-6");
  EXPECT_NO_THROW(categorical({0.5, 0.5 + 5e-7}));
  EXPECT_INVALID(dirichlet({1.0}),
                 "dirichlet: alpha has 1 element, but must have at least 2");
  const dirichlet d({1.0, 2.0, 3.0});
  const std::vector<double> two = {0.5, 0.5};
  EXPECT_INVALID(
      log_pdf(d, two),
      "dirichlet: x has 2 elements, but must have 3 (one per alpha)");
  const std::vector<double> nan_x = {0.5, kNaN, 0.5};
  EXPECT_INVALID(log_pdf(d, nan_x),
                 "dirichlet: x[1] = nan, but must not be NaN");
}

TEST(DistributionsChecks, NaNArgument) {
  EXPECT_INVALID(log_pdf(normal(), kNaN),
                 "normal: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(exponential(), kNaN),
                 "exponential: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(kldiv::gamma(2), kNaN),
                 "gamma: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(chi2(2), kNaN), "chi2: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(beta(2, 2), kNaN),
                 "beta: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(laplace(), kNaN),
                 "laplace: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(uniform(0, 1), kNaN),
                 "uniform: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(lognormal(), kNaN),
                 "lognormal: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(cauchy(), kNaN),
                 "cauchy: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(gumbel(), kNaN),
                 "gumbel: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(half_normal(), kNaN),
                 "half_normal: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(pareto(1, 1), kNaN),
                 "pareto: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(weibull(1, 1), kNaN),
                 "weibull: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(student_t(3), kNaN),
                 "student_t: x = nan, but must not be NaN");
  EXPECT_INVALID(log_pdf(von_mises(), kNaN),
                 "von_mises: x = nan, but must not be NaN");
}

TEST(DistributionsChecks, MissingMoments) {
  EXPECT_NOT_SUPPORTED(mean(cauchy()),
                       "cauchy: the mean does not exist (the integral does not "
                       "converge)");
  EXPECT_NOT_SUPPORTED(variance(cauchy()),
                       "cauchy: the variance does not exist (the mean does not "
                       "exist)");
  EXPECT_NOT_SUPPORTED(mean(student_t(1)),
                       "student_t: the mean does not exist for df = 1 (needs "
                       "df > 1)");
  EXPECT_NOT_SUPPORTED(variance(student_t(0.5)),
                       "student_t: the variance does not exist for df = 0.5 "
                       "(the mean does not exist for df <= 1)");
  EXPECT_EQ(variance(student_t(2)), kInf);
  EXPECT_EQ(variance(student_t(1.5)), kInf);
  EXPECT_EQ(mean(pareto(1, 1)), kInf);
  EXPECT_NOT_SUPPORTED(variance(pareto(1, 0.75)),
                       "pareto: the variance does not exist for alpha = 0.75 "
                       "(the mean is infinite for alpha <= 1)");
  EXPECT_EQ(variance(pareto(1, 2)), kInf);
}

TEST(DistributionsEdges, OutsideSupportIsMinusInfinity) {
  EXPECT_EQ(log_pmf(categorical({0.25, 0.75}), 2), -kInf);
  EXPECT_EQ(log_pmf(categorical({0.25, 0.75}), -1), -kInf);
  EXPECT_EQ(log_pmf(binomial(0, 0.5), 0), 0.0);
  EXPECT_EQ(log_pmf(binomial(5, 0.0), 0), 0.0);
  EXPECT_EQ(log_pmf(binomial(5, 1.0), 5), 0.0);
  EXPECT_EQ(log_pmf(binomial(5, 1.0), 4), -kInf);
  EXPECT_EQ(log_pmf(geometric(1.0), 3), -kInf);
  EXPECT_EQ(log_pmf(poisson(2.0), -1), -kInf);
  // The density's limit at a boundary (as torch): +inf where it diverges.
  EXPECT_EQ(log_pdf(kldiv::gamma(0.5), 0.0), kInf);
  EXPECT_EQ(log_pdf(beta(0.5, 2), 1.0), -kInf);
  EXPECT_EQ(log_pdf(beta(2, 0.5), 1.0), kInf);
  EXPECT_EQ(log_pdf(weibull(1, 0.5), 0.0), kInf);
  // Von Mises: periodic.
  const von_mises vm(0.5, 3.0);
  EXPECT_NEAR(log_pdf(vm, 1.0), log_pdf(vm, 1.0 + 2 * std::numbers::pi), 1e-14);
  EXPECT_EQ(entropy(binomial(0, 0.3)), 0.0);
  EXPECT_EQ(entropy(bernoulli(1.0)), 0.0);
  EXPECT_EQ(entropy(geometric(1.0)), 0.0);
  EXPECT_DOUBLE_EQ(variance(von_mises(0, 0)), 1.0);
  EXPECT_DOUBLE_EQ(entropy(von_mises(0, 0)), std::log(2 * std::numbers::pi));
}

// ---------------------------------------------------------------------------
// Sampling.

TEST(RandomStream, ReproducibleAndIndependentStreams) {
  random_stream a(42), b(42), c(42, 1), d(43);
  std::vector<double> xa, xb, xc, xd;
  for (int i = 0; i < 100; ++i) {
    xa.push_back(a.uniform());
    xb.push_back(b.uniform());
    xc.push_back(c.uniform());
    xd.push_back(d.uniform());
  }
  EXPECT_EQ(xa, xb);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 100; ++i) {
    same_c += xa[i] == xc[i];
    same_d += xa[i] == xd[i];
    EXPECT_GT(xa[i], 0.0);
    EXPECT_LT(xa[i], 1.0);
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
  // Same for the other draws, through a family.
  random_stream e(7, 3), f(7, 3);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(sample(kldiv::gamma(0.3), e), sample(kldiv::gamma(0.3), f));
    EXPECT_EQ(sample(poisson(40.0), e), sample(poisson(40.0), f));
  }
  // Moved-from and moved-to streams carry on the same sequence.
  random_stream g(9), h(9);
  (void)g.normal();
  (void)h.normal();
  random_stream moved(std::move(g));
  EXPECT_EQ(moved.exponential(), h.exponential());
}

// The sample mean and variance of n draws against the closed forms: within
// 5 standard errors (the mean's from the variance; the variance's from the
// sample's fourth central moment).
struct moments_check {
  std::string id;
  double mean, variance;
  bool check_variance = true;
};

template <class Draw>
void check_sample_moments(const moments_check& want, Draw draw) {
  constexpr int n = 100000;
  std::vector<double> xs(n);
  for (auto& x : xs) x = draw();
  double m = 0;
  for (double x : xs) m += x;
  m /= n;
  double m2 = 0, m4 = 0;
  for (double x : xs) {
    const double d = (x - m) * (x - m);
    m2 += d;
    m4 += d * d;
  }
  m2 /= n - 1;
  m4 /= n;
  EXPECT_LE(std::fabs(m - want.mean), 5 * std::sqrt(want.variance / n))
      << want.id << ": sample mean " << m << ", want " << want.mean;
  if (want.check_variance) {
    const double se = std::sqrt((m4 - m2 * m2) / n);
    EXPECT_LE(std::fabs(m2 - want.variance), 5 * se)
        << want.id << ": sample variance " << m2 << ", want " << want.variance;
  }
}

template <class F>
void check_family_sampling(const F& d, std::uint64_t stream) {
  random_stream r(2024, stream);
  check_sample_moments({std::string(family(d)), mean(d), variance(d)},
                       [&] { return static_cast<double>(sample(d, r)); });
}

TEST(Sampling, MomentsPerFamily) {
  std::uint64_t s = 0;
  check_family_sampling(normal(-2, 3), ++s);
  check_family_sampling(exponential(0.5), ++s);
  check_family_sampling(kldiv::gamma(3.5, 2), ++s);
  check_family_sampling(kldiv::gamma(0.2, 1), ++s);
  check_family_sampling(chi2(0.7), ++s);
  check_family_sampling(chi2(7), ++s);
  check_family_sampling(beta(0.3, 2.5), ++s);
  check_family_sampling(beta(4, 9), ++s);
  check_family_sampling(laplace(1, 2), ++s);
  check_family_sampling(uniform(-1, 3), ++s);
  check_family_sampling(lognormal(0.2, 0.4), ++s);
  check_family_sampling(gumbel(1, 2), ++s);
  check_family_sampling(half_normal(2), ++s);
  check_family_sampling(pareto(2, 6), ++s);
  check_family_sampling(weibull(2, 0.8), ++s);
  check_family_sampling(weibull(1, 3), ++s);
  check_family_sampling(student_t(9, 1, 2), ++s);
  check_family_sampling(bernoulli(0.3), ++s);
  check_family_sampling(binomial(20, 0.3), ++s);
  check_family_sampling(binomial(100000, 0.7), ++s);
  check_family_sampling(poisson(3.5), ++s);
  check_family_sampling(poisson(1e4), ++s);
  check_family_sampling(geometric(0.2), ++s);
  check_family_sampling(categorical({0.1, 0.0, 0.5, 0.4}), ++s);
}

TEST(Sampling, CauchyQuantiles) {
  // No moments: the fractions below loc and below loc + scale (1/2, 3/4).
  const cauchy d(1, 2);
  random_stream r(5);
  constexpr int n = 100000;
  int below_loc = 0, below_q3 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = sample(d, r);
    below_loc += x < 1;
    below_q3 += x < 3;
  }
  EXPECT_LE(std::fabs(below_loc / double(n) - 0.5), 5 * std::sqrt(0.25 / n));
  EXPECT_LE(std::fabs(below_q3 / double(n) - 0.75),
            5 * std::sqrt(0.75 * 0.25 / n));
}

TEST(Sampling, VonMises) {
  // Linear mean = loc (symmetric on [loc - pi, loc + pi)); circular variance
  // = 1 - E cos(X - loc).
  for (double k : {0.0, 1e-9, 0.5, 4.0, 300.0}) {
    const von_mises d(0.7, k);
    random_stream r(11);
    constexpr int n = 100000;
    double sum = 0, sum_cos = 0, sum_cos2 = 0;
    for (int i = 0; i < n; ++i) {
      const double x = sample(d, r);
      ASSERT_GE(x, 0.7 - std::numbers::pi);
      ASSERT_LT(x, 0.7 + std::numbers::pi);
      sum += x;
      const double c = std::cos(x - 0.7);
      sum_cos += c;
      sum_cos2 += c * c;
    }
    const double mc = sum_cos / n;
    const double sd_cos = std::sqrt(sum_cos2 / n - mc * mc);
    EXPECT_LE(std::fabs((1 - mc) - variance(d)),
              5 * sd_cos / std::sqrt(n) + 1e-12)
        << "k = " << k;
    // sd of X is at most pi.
    EXPECT_LE(std::fabs(sum / n - 0.7), 5 * std::numbers::pi / std::sqrt(n))
        << "k = " << k;
  }
}

TEST(Sampling, Dirichlet) {
  const dirichlet d({0.05, 1.5, 4.0});
  random_stream r(3);
  constexpr int n = 100000;
  const auto m = mean(d), v = variance(d);
  std::vector<double> sum(3, 0.0);
  for (int i = 0; i < n; ++i) {
    const auto x = sample(d, r);
    ASSERT_EQ(x.size(), 3u);
    double total = 0;
    for (double xi : x) {
      ASSERT_GE(xi, 0.0);
      total += xi;
    }
    ASSERT_NEAR(total, 1.0, 1e-14);
    for (int j = 0; j < 3; ++j) sum[j] += x[j];
  }
  for (int j = 0; j < 3; ++j)
    EXPECT_LE(std::fabs(sum[j] / n - m[j]), 5 * std::sqrt(v[j] / n)) << j;
}

}  // namespace
