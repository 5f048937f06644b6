// kldiv/discrete.hpp: values worked by hand, properties on random vectors,
// and every error message. The SciPy / mpmath reference values are checked in
// test_discrete_reference.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include "kldiv/discrete.hpp"
#include "kldiv/error.hpp"

namespace {

using kldiv::discrete_options;
using kldiv::InvalidArgument;
using testing::HasSubstr;
using vec = std::vector<double>;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kLn2 = std::numbers::ln2;

// Asserts that `call` throws InvalidArgument whose message is exactly `msg`.
template <class Fn>
void expect_error(Fn call, const std::string& msg) {
  try {
    call();
    ADD_FAILURE() << "no exception; expected: " << msg;
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()), msg);
  }
}

template <class Fn>
void expect_error_containing(Fn call, const std::string& part) {
  try {
    call();
    ADD_FAILURE() << "no exception; expected: " << part;
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr(part));
  }
}

// ---- values worked by hand
// ---------------------------------------------------

const vec kHalf{0.5, 0.5};
const vec kQuarter{0.25, 0.75};

TEST(Kl, PointMassAgainstTwoPoints) {
  // KL([1, 0] || [0.6, 0.4]) = ln(1 / 0.6); the p = 0 entry adds nothing.
  EXPECT_DOUBLE_EQ(kldiv::kl(vec{1, 0}, vec{0.6, 0.4}), -std::log(0.6));
}

TEST(Kl, HalfAgainstQuarter) {
  // 0.5 ln 2 + 0.5 ln(2/3) = 0.5 ln(4/3).
  EXPECT_DOUBLE_EQ(kldiv::kl(kHalf, kQuarter), 0.5 * std::log(4.0 / 3.0));
  // 0.25 ln(1/2) + 0.75 ln(3/2).
  EXPECT_DOUBLE_EQ(kldiv::kl(kQuarter, kHalf),
                   0.25 * std::log(0.5) + 0.75 * std::log(1.5));
}

TEST(Kl, EdgeTable) {
  // p = 0, q = 0: the term is 0.
  EXPECT_EQ(kldiv::kl(vec{0.5, 0.5, 0}, vec{0.5, 0.5, 0}), 0.0);
  // p = 0, q > 0: 0 as well.
  EXPECT_DOUBLE_EQ(kldiv::kl(vec{1, 0}, vec{0.5, 0.5}), kLn2);
  // p > 0, q = 0: +inf, not NaN and not an error.
  EXPECT_EQ(kldiv::kl(vec{0.5, 0.5}, vec{1, 0}), kInf);
  EXPECT_EQ(kldiv::cross_entropy(vec{0.5, 0.5}, vec{1, 0}), kInf);
  EXPECT_EQ(kldiv::jeffreys(vec{1, 0}, vec{0.5, 0.5}), kInf);
}

TEST(Kl, BaseTwoGivesBits) {
  EXPECT_DOUBLE_EQ(
      kldiv::kl(vec{1, 0}, vec{0.5, 0.5}, discrete_options{}.in_base(2)), 1.0);
  EXPECT_DOUBLE_EQ(kldiv::entropy(vec{0.25, 0.25, 0.25, 0.25},
                                  discrete_options{}.in_base(2)),
                   2.0);
  EXPECT_DOUBLE_EQ(kldiv::entropy(vec(10, 0.1), discrete_options{}.in_base(10)),
                   1.0);
}

TEST(Kl, FloatInputsAccumulateInDouble) {
  const std::vector<float> p{0.5f, 0.5f}, q{0.25f, 0.75f};
  EXPECT_DOUBLE_EQ(kldiv::kl(p, q), 0.5 * std::log(4.0 / 3.0));
}

TEST(Kl, CountsAndWeights) {
  // counts [1, 3] -> [1/4, 3/4]; [2, 2] -> [1/2, 1/2].
  const double want = 0.25 * std::log(0.5) + 0.75 * std::log(1.5);
  EXPECT_DOUBLE_EQ(kldiv::kl(vec{1, 3}, vec{2, 2}, discrete_options{}.counts()),
                   want);
  EXPECT_DOUBLE_EQ(
      kldiv::kl(vec{10, 30}, vec{7, 7}, discrete_options{}.normalize()), want);
}

TEST(Kl, AdditiveSmoothingOnCounts) {
  // alpha = 1: [0, 2] -> [1/4, 3/4], [2, 0] -> [3/4, 1/4];
  // KL = 1/4 ln(1/3) + 3/4 ln 3 = ½ ln 3.
  const auto opt =
      discrete_options{}.counts().smoothed(kldiv::smoothing::additive(1.0));
  EXPECT_DOUBLE_EQ(kldiv::kl(vec{0, 2}, vec{2, 0}, opt), 0.5 * std::log(3.0));
}

TEST(Kl, UniformMixSmoothing) {
  // lambda = ½: [1, 0] -> [3/4, 1/4] and [0, 1] -> [1/4, 3/4]; KL = ½ ln 3.
  const auto opt =
      discrete_options{}.smoothed(kldiv::smoothing::uniform_mix(0.5));
  EXPECT_DOUBLE_EQ(kldiv::kl(vec{1, 0}, vec{0, 1}, opt), 0.5 * std::log(3.0));
  // Weights are normalised before mixing: [3, 1] -> [3/4, 1/4] -> [5/8, 3/8].
  const auto w = discrete_options{}.normalize().smoothed(
      kldiv::smoothing::uniform_mix(0.5));
  EXPECT_DOUBLE_EQ(kldiv::kl(vec{3, 1}, vec{1, 1}, w),
                   0.625 * std::log(1.25) + 0.375 * std::log(0.75));
}

TEST(GeneralizedKl, UnnormalisedMeasures) {
  // Σ p ln(p/q) - p + q for p = [2, 1], q = [1, 1]: 2 ln 2 - 1.
  EXPECT_DOUBLE_EQ(kldiv::generalized_kl(vec{2, 1}, vec{1, 1}), 2 * kLn2 - 1.0);
  // p = 0 contributes q.
  EXPECT_DOUBLE_EQ(kldiv::generalized_kl(vec{0, 1}, vec{3, 1}), 3.0);
  EXPECT_EQ(kldiv::generalized_kl(vec{1, 1}, vec{0, 1}), kInf);
}

TEST(CrossEntropy, ByHand) {
  // -½ ln ¼ - ½ ln ¾ = ½ ln(16/3).
  EXPECT_DOUBLE_EQ(kldiv::cross_entropy(kHalf, kQuarter),
                   0.5 * std::log(16.0 / 3.0));
}

TEST(Jeffreys, ByHand) {
  // Σ (p - q) ln(p/q) = ¼ ln 2 - ¼ ln(2/3) = ¼ ln 3.
  EXPECT_DOUBLE_EQ(kldiv::jeffreys(kHalf, kQuarter), 0.25 * std::log(3.0));
}

TEST(JensenShannon, DisjointSupportsGiveLogTwo) {
  EXPECT_DOUBLE_EQ(kldiv::js_divergence(vec{1, 0}, vec{0, 1}), kLn2);
  EXPECT_DOUBLE_EQ(
      kldiv::js_distance(vec{1, 0}, vec{0, 1}, discrete_options{}.in_base(2)),
      1.0);
}

TEST(JensenShannon, WeightedByHand) {
  // pi = (0.3, 0.7), p = [1, 0], q = [0, 1]: m = [0.3, 0.7];
  // JS = 0.3 ln(1/0.3) + 0.7 ln(1/0.7), the entropy of the weights.
  const double want = -0.3 * std::log(0.3) - 0.7 * std::log(0.7);
  EXPECT_DOUBLE_EQ(kldiv::js_divergence(vec{1, 0}, vec{0, 1}, {}, {0.3, 0.7}),
                   want);
}

TEST(JensenShannon, HalfAgainstQuarter) {
  // m = [3/8, 5/8]; JS = ½[½ ln(4/3) + ½ ln(4/5)] + ½[¼ ln(2/3) + ¾ ln(6/5)].
  const double want = 0.5 * (0.5 * std::log(4.0 / 3) + 0.5 * std::log(0.8)) +
                      0.5 * (0.25 * std::log(2.0 / 3) + 0.75 * std::log(1.2));
  EXPECT_NEAR(kldiv::js_divergence(kHalf, kQuarter), want, 1e-16);
}

TEST(Renyi, OrdersByHand) {
  // alpha = 2: ln Σ p²/q = ln(¼/¼ + ¼/¾) = ln(4/3).
  EXPECT_DOUBLE_EQ(kldiv::renyi(kHalf, kQuarter, 2.0), std::log(4.0 / 3));
  // alpha = ½: -2 ln Σ sqrt(pq) = -2 ln(sqrt(1/8) + sqrt(3/8)).
  // alpha = ½: -2 ln Σ sqrt(pq) = -2 ln(sqrt(1/8) + sqrt(3/8)); the value
  // from mpmath, as -log of a number near 1 loses digits in double.
  EXPECT_NEAR(kldiv::renyi(kHalf, kQuarter, 0.5), 0.069336464195073910209,
              6e-17);  // 4 ulps
  // alpha = inf: ln max p/q = ln 2.
  EXPECT_DOUBLE_EQ(kldiv::renyi(kHalf, kQuarter, kInf), kLn2);
  // alpha = 0: -ln Σ_{p>0} q = -ln ½.
  EXPECT_DOUBLE_EQ(kldiv::renyi(vec{0.5, 0.5, 0}, vec{0.25, 0.25, 0.5}, 0.0),
                   kLn2);
  // alpha = 1 is KL.
  EXPECT_DOUBLE_EQ(kldiv::renyi(kHalf, kQuarter, 1.0),
                   kldiv::kl(kHalf, kQuarter));
  // Unsupported mass: +inf above 1, finite below.
  EXPECT_EQ(kldiv::renyi(vec{0.5, 0.5}, vec{1, 0}, 2.0), kInf);
  EXPECT_DOUBLE_EQ(kldiv::renyi(vec{0.5, 0.5}, vec{1, 0}, 0.5),
                   -2 * std::log(std::sqrt(0.5)));
  EXPECT_EQ(kldiv::renyi(vec{1, 0}, vec{0, 1}, 0.5), kInf);
}

TEST(Hellinger, ByHand) {
  // H² = ½[(sqrt ½ - sqrt ¼)² + (sqrt ½ - sqrt ¾)²] = 1 - BC.
  const double bc = std::sqrt(0.125) + std::sqrt(0.375);
  EXPECT_DOUBLE_EQ(kldiv::bhattacharyya_coefficient(kHalf, kQuarter), bc);
  EXPECT_NEAR(kldiv::hellinger(kHalf, kQuarter), std::sqrt(1 - bc), 1e-15);
  // -ln BC (mpmath: BC is close to 1, so -std::log(bc) loses digits).
  EXPECT_NEAR(kldiv::bhattacharyya_distance(kHalf, kQuarter),
              0.034668232097536955105, 1e-17);
  EXPECT_EQ(kldiv::hellinger(vec{1, 0}, vec{0, 1}), 1.0);
  EXPECT_EQ(kldiv::bhattacharyya_coefficient(vec{1, 0}, vec{0, 1}), 0.0);
  EXPECT_EQ(kldiv::bhattacharyya_distance(vec{1, 0}, vec{0, 1}), kInf);
}

TEST(TotalVariationAndChi2, ByHand) {
  EXPECT_DOUBLE_EQ(kldiv::total_variation(kHalf, kQuarter), 0.25);
  EXPECT_EQ(kldiv::total_variation(vec{1, 0}, vec{0, 1}), 1.0);
  // Pearson: (¼)²/¼ + (¼)²/¾ = ⅓. Neyman: (¼)²/½ · 2 = ¼.
  EXPECT_DOUBLE_EQ(kldiv::chi2_pearson(kHalf, kQuarter), 1.0 / 3);
  EXPECT_DOUBLE_EQ(kldiv::chi2_neyman(kHalf, kQuarter), 0.25);
  EXPECT_EQ(kldiv::chi2_pearson(vec{0.5, 0.5}, vec{1, 0}), kInf);
  EXPECT_EQ(kldiv::chi2_neyman(vec{1, 0}, vec{0.5, 0.5}), kInf);
}

TEST(FDivergence, GeneratorsGiveTheNamedMeasures) {
  const kldiv::convex_function kl_f{
      [](double t) { return t == 0 ? 0.0 : t * std::log(t); }};
  EXPECT_NEAR(kldiv::f_divergence(kHalf, kQuarter, kl_f),
              0.5 * std::log(4.0 / 3), 1e-16);
  const kldiv::convex_function tv_f{
      [](double t) { return std::fabs(t - 1) / 2; }, 0.5};
  EXPECT_DOUBLE_EQ(kldiv::f_divergence(vec{1, 0}, vec{0, 1}, tv_f), 1.0);
  EXPECT_EQ(kldiv::f_divergence(vec{1, 0}, vec{0, 1}, kl_f), kInf);
}

TEST(RelEntr, Elementwise) {
  vec out(3);
  kldiv::rel_entr(vec{0.5, 0.5, 0}, vec{0.25, 0, 0.75}, out);
  EXPECT_DOUBLE_EQ(out[0], 0.5 * kLn2);
  EXPECT_EQ(out[1], kInf);
  EXPECT_EQ(out[2], 0.0);
  std::vector<float> fout(2);
  kldiv::rel_entr(std::vector<float>{1, 0}, std::vector<float>{0.5, 0.5}, fout,
                  discrete_options{}.in_base(2));
  EXPECT_EQ(fout[0], 1.0f);
  EXPECT_EQ(fout[1], 0.0f);
}

TEST(Rows, OneResultPerRowInOrder) {
  const vec p{1, 0, 0.5, 0.5, 0.25, 0.75};
  const vec q{0.5, 0.5, 0.25, 0.75, 0.25, 0.75};
  const auto r = kldiv::kl(kldiv::dmatrix::dense(p.data(), 3, 2),
                           kldiv::dmatrix::dense(q.data(), 3, 2));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_DOUBLE_EQ(r[0], kLn2);
  EXPECT_DOUBLE_EQ(r[1], 0.5 * std::log(4.0 / 3));
  EXPECT_EQ(r[2], 0.0);
  // A single q broadcast over rows (row_stride 0), and column strides: the
  // columns of a 2 x 3 matrix as distributions.
  const auto b = kldiv::js_divergence(
      kldiv::dmatrix::dense(p.data(), 3, 2),
      kldiv::dmatrix::repeat(std::span<const double>(q.data(), 2), 3));
  EXPECT_DOUBLE_EQ(b[0], kldiv::js_divergence(vec{1, 0}, vec{0.5, 0.5}));
  const vec cols{0.5, 1, 0.25, 0.5, 0, 0.75};  // 2 x 3; columns sum to 1
  const kldiv::dmatrix by_column{cols.data(), 3, 2, 1, 3};
  const auto e = kldiv::entropy(by_column);
  EXPECT_DOUBLE_EQ(e[0], kLn2);
  EXPECT_EQ(e[1], 0.0);
  EXPECT_DOUBLE_EQ(e[2], -0.25 * std::log(0.25) - 0.75 * std::log(0.75));
}

TEST(Measures, ByNameMatchTheFunctions) {
  for (kldiv::measure m : kldiv::all_measures()) {
    EXPECT_EQ(kldiv::measure_from_name(kldiv::name(m)), m);
  }
  EXPECT_FALSE(kldiv::measure_from_name("kullback"));
  EXPECT_EQ(kldiv::evaluate(kldiv::measure::reverse_kl, kHalf, kQuarter),
            kldiv::kl(kQuarter, kHalf));
  EXPECT_EQ(kldiv::evaluate(kldiv::measure::renyi, kHalf, kQuarter, {},
                            {.alpha = 2.0}),
            kldiv::renyi(kHalf, kQuarter, 2.0));
}

TEST(Summary, DiagnosticsNameTheMissingSupport) {
  const auto s = kldiv::summarize(vec{0.5, 0.3, 0.2, 0}, vec{0.5, 0.5, 0, 0});
  EXPECT_EQ(s.kl, kInf);
  EXPECT_EQ(s.support.bins_where_q_zero, 1u);
  EXPECT_DOUBLE_EQ(s.support.p_mass_where_q_zero, 0.2);
  EXPECT_EQ(s.support.bins_where_p_zero, 0u);
  EXPECT_TRUE(std::isfinite(s.reverse_kl));
  EXPECT_DOUBLE_EQ(s.p_total, 1.0);
}

// ---- properties on random vectors
// -----------------------------------------------

vec random_distribution(std::mt19937_64& rng, std::size_t n, double zeros) {
  std::gamma_distribution<double> g(0.5);
  std::bernoulli_distribution zero(zeros);
  vec v(n);
  double s = 0;
  for (auto& x : v) {
    x = zero(rng) ? 0.0 : g(rng);
    s += x;
  }
  if (s == 0) v[0] = s = 1;
  for (auto& x : v) x /= s;
  return v;
}

class Properties : public testing::TestWithParam<std::size_t> {};

TEST_P(Properties, HoldOnRandomVectors) {
  std::mt19937_64 rng(12345 + GetParam());
  const double ln_js_max = kLn2;
  for (int trial = 0; trial < 50; ++trial) {
    const vec p = random_distribution(rng, GetParam(), 0.1);
    const vec q = random_distribution(rng, GetParam(), 0.0);
    const double kl = kldiv::kl(p, q);
    EXPECT_GE(kl, 0.0);
    // Identical inputs give exactly 0.
    EXPECT_EQ(kldiv::kl(p, p), 0.0);
    EXPECT_EQ(kldiv::js_divergence(p, p), 0.0);
    EXPECT_EQ(kldiv::jeffreys(p, p), 0.0);
    EXPECT_EQ(kldiv::hellinger(p, p), 0.0);
    EXPECT_EQ(kldiv::total_variation(p, p), 0.0);
    EXPECT_EQ(kldiv::chi2_pearson(p, p), 0.0);
    EXPECT_EQ(kldiv::renyi(p, p, 0.5), 0.0);
    EXPECT_EQ(kldiv::renyi(p, p, 2.0), 0.0);
    // JS symmetric and bounded by log 2.
    const double js = kldiv::js_divergence(p, q);
    EXPECT_DOUBLE_EQ(js, kldiv::js_divergence(q, p));
    EXPECT_GE(js, 0.0);
    EXPECT_LE(js, ln_js_max);
    // Rényi non-decreasing in alpha, KL at 1, continuous there.
    double prev = 0.0;
    for (double a :
         {0.0, 0.1, 0.5, 0.9, 0.999, 1.0, 1.001, 1.5, 2.0, 5.0, 20.0, kInf}) {
      const double r = kldiv::renyi(q, p, a);
      EXPECT_GE(r, prev * (1 - 1e-12)) << "alpha = " << a;
      prev = r;
    }
    const double klqp = kldiv::kl(q, p);
    if (std::isfinite(klqp)) {
      EXPECT_NEAR(kldiv::renyi(q, p, 1 - 1e-9), klqp, 1e-8 * klqp);
      EXPECT_NEAR(kldiv::renyi(q, p, 1 + 1e-9), klqp, 1e-8 * klqp);
    }
    // Hellinger² = 1 - BC.
    const double h = kldiv::hellinger(p, q);
    EXPECT_NEAR(h * h, 1 - kldiv::bhattacharyya_coefficient(p, q), 1e-14);
    // A change of base scales every logarithmic result by 1 / ln b.
    for (double b : {2.0, 10.0, 3.5}) {
      if (!std::isfinite(klqp)) break;
      const auto opt = discrete_options{}.in_base(b);
      const double lnb = std::log(b);
      EXPECT_NEAR(kldiv::kl(q, p, opt), klqp / lnb, 1e-15 * klqp);
      EXPECT_NEAR(kldiv::js_divergence(p, q, opt), js / lnb, 1e-15 * js);
      EXPECT_NEAR(kldiv::entropy(p, opt), kldiv::entropy(p) / lnb, 1e-15);
      EXPECT_NEAR(kldiv::renyi(q, p, 2.0, opt), kldiv::renyi(q, p, 2.0) / lnb,
                  1e-14);
      EXPECT_EQ(kldiv::hellinger(p, q, opt), h);  // no unit
    }
    // Cross-entropy = entropy + KL.
    if (std::isfinite(klqp)) {
      EXPECT_NEAR(kldiv::cross_entropy(q, p), kldiv::entropy(q) + klqp, 1e-13);
    } else {
      EXPECT_EQ(kldiv::cross_entropy(q, p), kInf);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, Properties, testing::Values(2, 3, 10, 1000));

TEST(Precision, NearlyEqualVectorsKeepTheirDigits) {
  // q_i = ¼ (1 ± e) with e = 2^-20: every value and both sums are exact, and
  // KL = -¼ Σ ln(4 q_i) = -½ ln(1 - e²) ≈ 4.5e-13. A direct sum of the
  // terms p ln(p/q) ≈ ∓2.4e-7 has a relative error of 1.2e-10.
  const double e = std::ldexp(1.0, -20);
  const vec p{0.25, 0.25, 0.25, 0.25};
  const vec q{0.25 * (1 + e), 0.25 * (1 - e), 0.25 * (1 + e), 0.25 * (1 - e)};
  const double want = -0.5 * std::log1p(-e * e);
  EXPECT_NEAR(kldiv::kl(p, q), want, 4e-16 * want);
  // KL(q‖p) = ½[(1+e) ln(1+e) + (1-e) ln(1-e)] = ½(e² + e⁴/6 + ...).
  const double want_reverse = 0.5 * (e * e + e * e * e * e / 6);
  EXPECT_NEAR(kldiv::kl(q, p), want_reverse, 4e-16 * want_reverse);
}

// ---- errors, with their messages
// ----------------------------------------------

TEST(Errors, NegativeEntry) {
  expect_error(
      [] {
        kldiv::kl(vec{0.5, -0.2, 0.7}, vec{0.3, 0.3, 0.4});
      },
      "p[1] = -0.2: probabilities must be >= 0");
  expect_error(
      [] {
        kldiv::kl(std::vector<float>{0.3f, 0.7f},
                  std::vector<float>{1.2f, -0.2f});
      },
      "q[1] = -0.2: probabilities must be >= 0");
  expect_error(
      [] {
        kldiv::kl(vec{1, 1}, vec{-1, 3}, discrete_options{}.counts());
      },
      "q[0] = -1: counts must be >= 0");
}

TEST(Errors, NotFinite) {
  expect_error(
      [] {
        kldiv::kl(vec{0.5, 0.5}, vec{0.5, NAN});
      },
      "q[1] = nan: probabilities must be finite");
  expect_error(
      [] {
        kldiv::entropy(vec{kInf, 0.5});
      },
      "p[0] = inf: probabilities must be finite");
}

TEST(Errors, EmptyAndLengths) {
  expect_error([] { kldiv::kl(vec{}, vec{}); },
               "p is empty: a distribution needs at least one entry");
  expect_error(
      [] {
        kldiv::kl(vec{0.5, 0.3, 0.2}, vec{0.5, 0.5});
      },
      "p has 3 entries but q has 2: the lengths must match");
}

TEST(Errors, SumOffOne) {
  expect_error_containing(
      [] {
        kldiv::kl(vec{0.5, 0.4}, vec{0.5, 0.5});
      },
      "p sums to 0.9, not 1 (off by 0.09999999999999998, more than the "
      "tolerance 1e-06): pass normalize to treat the values as weights, or "
      "counts");
  // Within an explicit tolerance it is accepted.
  EXPECT_NO_THROW(kldiv::kl(vec{0.5, 0.4}, vec{0.5, 0.5},
                            discrete_options{}.with_tolerance(0.2)));
  // Float inputs default to a 1e-4 tolerance.
  EXPECT_NO_THROW(kldiv::kl(std::vector<float>{0.50005f, 0.5f},
                            std::vector<float>{0.5f, 0.5f}));
  expect_error(
      [] {
        kldiv::kl(vec{0, 0}, vec{1, 1}, discrete_options{}.normalize());
      },
      "p sums to 0: weights need a positive, finite total");
  // No sum check for generalized_kl.
  EXPECT_NO_THROW(kldiv::generalized_kl(vec{2, 3}, vec{1, 1}));
}

TEST(Errors, RowsNameTheRow) {
  const vec p{0.5, 0.5, 0.5, 0.5, 1.5, -0.5};
  const vec q{0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
  expect_error(
      [&] {
        kldiv::kl(kldiv::dmatrix::dense(p.data(), 3, 2),
                  kldiv::dmatrix::dense(q.data(), 3, 2));
      },
      "p[2][1] = -0.5: probabilities must be >= 0");
  expect_error(
      [&] {
        kldiv::kl(kldiv::dmatrix::dense(p.data(), 3, 2),
                  kldiv::dmatrix::dense(q.data(), 2, 2));
      },
      "p has 3 rows but q has 2: the row counts must match");
}

TEST(Errors, Options) {
  expect_error([] { kldiv::log_base(1.0); },
               "base = 1: the logarithm base must be > 1 (e for nats, 2 for "
               "bits, 10 for hartleys, or any b > 1)");
  expect_error([] { kldiv::renyi(kHalf, kQuarter, -1.0); },
               "renyi alpha = -1: the order must be >= 0 (or +inf)");
  expect_error(
      [] {
        kldiv::kl(
            kHalf, kQuarter,
            discrete_options{}.smoothed(kldiv::smoothing::uniform_mix(1.5)));
      },
      "smoothing lambda = 1.5: must be in [0, 1]");
  expect_error(
      [] {
        kldiv::kl(kHalf, kQuarter,
                  discrete_options{}.smoothed(kldiv::smoothing::additive(1)));
      },
      "additive smoothing (alpha) applies to counts, but the inputs are "
      "probabilities: pass counts, or smooth by mixing with the uniform "
      "distribution (lambda)");
  expect_error(
      [] {
        kldiv::kl(kHalf, kQuarter,
                  discrete_options{}.counts().smoothed(
                      kldiv::smoothing::additive(-1)));
      },
      "smoothing alpha = -1: must be finite and >= 0");
  expect_error(
      [] {
        kldiv::js_divergence(kHalf, kQuarter, {}, {0.3, 0.6});
      },
      "js weights pi1 = 0.3, pi2 = 0.6: must be >= 0 and sum to 1");
  expect_error(
      [] { kldiv::kl(kHalf, kQuarter, discrete_options{}.with_tolerance(-1)); },
      "tolerance = -1: must be >= 0");
}

TEST(Errors, FDivergence) {
  expect_error(
      [] {
        kldiv::f_divergence(kHalf, kQuarter, {[](double t) { return t; }});
      },
      "f(1) = 1, but an f-divergence needs f(1) = 0");
  expect_error(
      [] {
        kldiv::f_divergence(kHalf, kQuarter,
                            {[](double t) { return std::log(t - 1.5); }});
      },
      "f(1) = nan, but an f-divergence needs f(1) = 0");
  expect_error(
      [] {
        kldiv::f_divergence(kHalf, kQuarter, {[](double t) {
                              return t == 1 ? 0.0 : std::log(t - 1.5);
                            }});
      },
      "f(0.6666666666666666) = nan: f must be finite on [0, inf)");
}

TEST(Errors, RelEntrOutputSize) {
  vec out(1);
  expect_error([&] { kldiv::rel_entr(kHalf, kQuarter, out); },
               "out has 1 entries but 2 are needed");
}

TEST(Validation, CanBeSwitchedOff) {
  discrete_options opt;
  opt.validate = false;
  // The caller vouches for the input: no check, no throw.
  EXPECT_NO_THROW(kldiv::kl(vec{0.5, 0.4}, vec{0.5, 0.5}, opt));
}

}  // namespace
