// Tests of the same-family closed-form KLs of include/kldiv/distributions.hpp.
//
// Values: tests/data/distributions_kl_reference.json, from
// tools/gen_distributions_kl_reference.py: numerical integration in mpmath
// at 30 digits (exact summation for the discrete families), cross-checked
// with torch.distributions.kl_divergence in float64 wherever PyTorch has the
// pair. Tolerance: relative 1e-12 (the gamma, beta, Dirichlet and Gumbel
// forms add lgamma/digamma terms of size O(1) whose rounding is what is
// left), and 1e-14 relative for the forms without special functions.
//
// Edges: identical parameters give exactly 0; nearly equal parameters keep
// their digits (the value against its leading-order expansion); +inf where P
// is not absolutely continuous with respect to Q; never NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using namespace kldiv;
constexpr double kInf = std::numeric_limits<double>::infinity();

const json& reference() {
  return kldiv_test::reference_file("distributions_kl_reference.json");
}

std::vector<double> params(const json& v) {
  return v.get<std::vector<double>>();
}

// KL of the reference case's pair through the typed overload.
double typed_kl(const std::string& f, const std::vector<double>& a,
                const std::vector<double>& b) {
  if (f == "normal") return kl(normal(a[0], a[1]), normal(b[0], b[1]));
  if (f == "exponential") return kl(exponential(a[0]), exponential(b[0]));
  if (f == "gamma")
    return kl(kldiv::gamma(a[0], a[1]), kldiv::gamma(b[0], b[1]));
  if (f == "chi2") return kl(chi2(a[0]), chi2(b[0]));
  if (f == "beta") return kl(beta(a[0], a[1]), beta(b[0], b[1]));
  if (f == "laplace") return kl(laplace(a[0], a[1]), laplace(b[0], b[1]));
  if (f == "uniform") return kl(uniform(a[0], a[1]), uniform(b[0], b[1]));
  if (f == "lognormal") {
    return kl(lognormal(a[0], a[1]), lognormal(b[0], b[1]));
  }
  if (f == "cauchy") return kl(cauchy(a[0], a[1]), cauchy(b[0], b[1]));
  if (f == "gumbel") return kl(gumbel(a[0], a[1]), gumbel(b[0], b[1]));
  if (f == "half_normal") return kl(half_normal(a[0]), half_normal(b[0]));
  if (f == "pareto") return kl(pareto(a[0], a[1]), pareto(b[0], b[1]));
  if (f == "weibull") return kl(weibull(a[0], a[1]), weibull(b[0], b[1]));
  if (f == "von_mises") {
    return kl(von_mises(a[0], a[1]), von_mises(b[0], b[1]));
  }
  if (f == "bernoulli") return kl(bernoulli(a[0]), bernoulli(b[0]));
  if (f == "binomial") {
    return kl(binomial(static_cast<std::int64_t>(a[0]), a[1]),
              binomial(static_cast<std::int64_t>(b[0]), b[1]));
  }
  if (f == "poisson") return kl(poisson(a[0]), poisson(b[0]));
  if (f == "geometric") return kl(geometric(a[0]), geometric(b[0]));
  if (f == "categorical") return kl(categorical(a), categorical(b));
  if (f == "dirichlet") return kl(dirichlet(a), dirichlet(b));
  throw std::runtime_error("unknown family " + f);
}

double tolerance(const std::string& f) {
  static const std::vector<std::string> special = {
      "gamma",  "chi2",    "beta",      "dirichlet",
      "gumbel", "weibull", "von_mises", "binomial"};
  for (const auto& s : special) {
    if (f == s) return 1e-12;
  }
  return 1e-14;
}

TEST(DistributionsKl, EveryFamilyAgainstQuadratureAndTorch) {
  std::set<std::string> seen;
  for (const auto& c : reference()) {
    const auto f = c["family"].get<std::string>();
    if (f == "student_t") continue;  // no closed form: kl_integrate's case
    seen.insert(f);
    const auto a = params(c["p"]), b = params(c["q"]);
    const double want = c["kl"].get<double>();
    const double got = typed_kl(f, a, b);
    EXPECT_NEAR(got, want, tolerance(f) * std::max(1.0, std::fabs(want)))
        << f << " p=" << c["p"] << " q=" << c["q"];
    EXPECT_GE(got, 0.0) << f;
  }
  // Every family with a same-family closed form has reference cases.
  EXPECT_EQ(seen.size(), 20u);
}

TEST(DistributionsKl, IdenticalParametersGiveExactlyZero) {
  EXPECT_EQ(kl(normal(0.3, 2.0), normal(0.3, 2.0)), 0.0);
  EXPECT_EQ(kl(exponential(3.7), exponential(3.7)), 0.0);
  EXPECT_EQ(kl(kldiv::gamma(2.5, 0.7), kldiv::gamma(2.5, 0.7)), 0.0);
  EXPECT_EQ(kl(chi2(3.0), chi2(3.0)), 0.0);
  EXPECT_EQ(kl(beta(0.5, 7.0), beta(0.5, 7.0)), 0.0);
  EXPECT_EQ(kl(laplace(-1.0, 0.1), laplace(-1.0, 0.1)), 0.0);
  EXPECT_EQ(kl(uniform(-1.0, 2.5), uniform(-1.0, 2.5)), 0.0);
  EXPECT_EQ(kl(lognormal(1.0, 0.2), lognormal(1.0, 0.2)), 0.0);
  EXPECT_EQ(kl(cauchy(5.0, 3.0), cauchy(5.0, 3.0)), 0.0);
  EXPECT_EQ(kl(gumbel(2.0, 9.0), gumbel(2.0, 9.0)), 0.0);
  EXPECT_EQ(kl(half_normal(0.01), half_normal(0.01)), 0.0);
  EXPECT_EQ(kl(pareto(1.5, 2.5), pareto(1.5, 2.5)), 0.0);
  EXPECT_EQ(kl(weibull(2.0, 0.5), weibull(2.0, 0.5)), 0.0);
  EXPECT_EQ(kl(von_mises(0.5, 800.0), von_mises(0.5, 800.0)), 0.0);
  EXPECT_EQ(kl(bernoulli(0.3), bernoulli(0.3)), 0.0);
  EXPECT_EQ(kl(binomial(20, 0.3), binomial(20, 0.3)), 0.0);
  EXPECT_EQ(kl(poisson(1e6), poisson(1e6)), 0.0);
  EXPECT_EQ(kl(geometric(0.2), geometric(0.2)), 0.0);
  EXPECT_EQ(kl(categorical({0.2, 0.3, 0.5}), categorical({0.2, 0.3, 0.5})),
            0.0);
  EXPECT_EQ(kl(dirichlet({1.0, 2.0, 3.0}), dirichlet({1.0, 2.0, 3.0})), 0.0);
}

// Nearly equal parameters: the leading term of each expansion, worked by
// hand, where a naive evaluation would lose every digit to cancellation.
TEST(DistributionsKl, NearlyEqualParametersKeepTheirDigits) {
  // e = 2^-23: every perturbed parameter below is exactly representable.
  const double e = std::ldexp(1.0, -23);
  // KL(Exp(λ) || Exp(λ(1+e))) = e - log(1+e) = e²/2 - e³/3 + ...
  EXPECT_NEAR(kl(exponential(2.0), exponential(2.0 * (1 + e))),
              e * e / 2 - e * e * e / 3, 1e-12 * e * e);
  // Normal scales s and s(1+e), equal locations: same expansion in
  // 1/(1+e)^2: (r - 1 - log r)/2 with r = (1+e)^-2, = e² + O(e³).
  const double n = kl(normal(0.0, 1.0), normal(0.0, 1.0 + e));
  EXPECT_NEAR(n, e * e - 5.0 / 3.0 * e * e * e, 1e-12 * e * e);
  // Poisson rates λ and λ(1+e): λ((1+e) - 1 - log(1+e)) = λ(e²/2 - e³/3).
  EXPECT_NEAR(kl(poisson(3.0), poisson(3.0 * (1 + e))),
              3.0 * (e * e / 2 - e * e * e / 3), 1e-11 * e * e);
  // Bernoulli p and p + d: d²/(2p(1-p)) + d³/3 (1/(1-p)² - 1/p²) + O(d⁴).
  const double d = std::ldexp(1.0, -20), b2 = 1.0 / (2 * 0.25 * 0.75),
               b3 = (1.0 / (0.75 * 0.75) - 16.0) / 3.0;
  EXPECT_NEAR(kl(bernoulli(0.25), bernoulli(0.25 + d)), d * d * (b2 + b3 * d),
              1e-10 * d * d);
  // Geometric: the same over p.
  EXPECT_NEAR(kl(geometric(0.25), geometric(0.25 + d)),
              d * d * (b2 + b3 * d) / 0.25, 1e-10 * d * d);
  // Cauchy scales: log1p(e²/(4(1+e))) ≈ e²/4.
  EXPECT_NEAR(kl(cauchy(0.0, 1.0), cauchy(0.0, 1.0 + e)), e * e / 4,
              1e-6 * e * e);
  // Pareto with equal scale: r - 1 - log r, r = αq/αp.
  EXPECT_NEAR(kl(pareto(1.0, 3.0), pareto(1.0, 3.0 * (1 + e))),
              e * e / 2 - e * e * e / 3, 1e-12 * e * e);
}

TEST(DistributionsKl, InfiniteWhereSupportsAreNotNested) {
  EXPECT_EQ(kl(uniform(0.0, 2.0), uniform(0.5, 3.0)), kInf);
  EXPECT_EQ(kl(uniform(0.0, 2.0), uniform(-1.0, 1.5)), kInf);
  EXPECT_EQ(kl(pareto(1.0, 2.0), pareto(1.5, 2.0)), kInf);
  EXPECT_EQ(kl(bernoulli(0.5), bernoulli(0.0)), kInf);
  EXPECT_EQ(kl(bernoulli(0.5), bernoulli(1.0)), kInf);
  EXPECT_EQ(kl(bernoulli(0.0), bernoulli(0.0)), 0.0);
  EXPECT_EQ(kl(binomial(10, 0.5), binomial(5, 0.5)), kInf);
  EXPECT_EQ(kl(binomial(5, 0.5), binomial(10, 1.0)), kInf);
  EXPECT_EQ(kl(geometric(0.5), geometric(1.0)), kInf);
  EXPECT_EQ(kl(categorical({0.5, 0.5}), categorical({1.0, 0.0})), kInf);
}

TEST(DistributionsKl, DegenerateButFinite) {
  // Bernoulli(0) against Bernoulli(q): -log(1 - q).
  EXPECT_NEAR(kl(bernoulli(0.0), bernoulli(0.25)), -std::log(0.75), 1e-16);
  // Binomial with p = 0 and a larger n: all mass at 0, -log Q(0) =
  // -n log(1 - q).
  EXPECT_NEAR(kl(binomial(10, 0.0), binomial(4, 0.5)), 4 * std::log(2.0),
              1e-15);
  // Geometric(1) is the point mass at 0: -log q.
  EXPECT_NEAR(kl(geometric(1.0), geometric(0.25)), std::log(4.0), 1e-15);
  // Zero entries of P are skipped; Q may be longer than P's support needs.
  EXPECT_NEAR(kl(categorical({0.0, 1.0}), categorical({0.5, 0.5})),
              std::log(2.0), 1e-16);
}

TEST(DistributionsKl, ExtremeScalesStayFinite) {
  // Very different scales: the formulas must not overflow to NaN.
  for (const double s : {1e-150, 1e-10, 1e10, 1e150}) {
    const double n = kl(normal(0.0, 1.0), normal(0.0, s));
    EXPECT_FALSE(std::isnan(n)) << s;
    // log s + 1/(2s²) - 1/2: the hand-worked value.
    const double want = std::log(s) + 0.5 / (s * s) - 0.5;
    if (std::isfinite(want)) {
      EXPECT_NEAR(n, want, 1e-14 * std::fabs(want)) << s;
    }
    EXPECT_TRUE(std::isfinite(kl(exponential(1.0), exponential(s))) ||
                kl(exponential(1.0), exponential(s)) == kInf);
    EXPECT_FALSE(std::isnan(kl(kldiv::gamma(2.0, 1.0), kldiv::gamma(2.0, s))));
    EXPECT_FALSE(std::isnan(kl(laplace(0.0, 1.0), laplace(1.0, s))));
    EXPECT_FALSE(std::isnan(kl(gumbel(0.0, 1.0), gumbel(1.0, s))));
    EXPECT_FALSE(std::isnan(kl(cauchy(0.0, 1.0), cauchy(1.0, s))));
  }
  // Von Mises past the Bessel functions' overflow (κ > 700): by the
  // asymptotic forms; KL(κ, κ') for equal locations tends to
  // (r - 1 - log r)/2 with r = κ/κ' (the normal limit with variances 1/κ).
  const double v = kl(von_mises(0.0, 2000.0), von_mises(0.0, 1000.0));
  const double r = 2.0, limit = 0.5 * (1.0 / r - 1.0 + std::log(r));
  EXPECT_NEAR(v, limit, 1e-3);
}

TEST(DistributionsKl, DirichletLengthsMustMatch) {
  try {
    kl(dirichlet({1.0, 2.0}), dirichlet({1.0, 2.0, 3.0}));
    FAIL() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(),
                 "kl(dirichlet, dirichlet): p has 2 components but q has 3");
  }
}

}  // namespace
