// Tests of include/kldiv/logits.hpp: values worked by hand, the edge table
// with -inf logits, masks and reductions, every error message, the comparer,
// and the SIMD row kernels against the scalar reference on every target.
// Reference values from mpmath and PyTorch: test_logits_reference.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/logits.hpp"
#include "kldiv/simd.hpp"
#include "logits_reference.hpp"
#include "support/test_support.hpp"

namespace {

using kldiv::logits_measure;
using kldiv::logits_options;
using kldiv::matrix_view;
using kldiv::reduction;
using kldiv_test::message_of;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

template <class T>
matrix_view<T> rows_of(const std::vector<T>& v, std::size_t cols) {
  return matrix_view<T>::dense(v.data(), v.size() / cols, cols);
}

// Two logits with softmaxes (1/2, 1/2) and (1/4, 3/4): worked by hand,
// KL = 1/2 ln(2) + 1/2 ln(2/3) = 1/2 ln(4/3), reverse = 1/4 ln(1/2) + 3/4
// ln(3/2).
TEST(LogitsKl, TwoTokensByHand) {
  const std::vector<double> a{0.0, 0.0}, b{0.0, std::log(3.0)};
  const auto r = kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2));
  EXPECT_NEAR(r.value, 0.5 * std::log(4.0 / 3.0), 1e-15);
  EXPECT_EQ(r.unit, "nats");
  EXPECT_EQ(r.valid_rows, 1u);
  const auto rev = kldiv::reverse_kl_from_logits(rows_of(a, 2), rows_of(b, 2));
  EXPECT_NEAR(rev.value, 0.25 * std::log(0.5) + 0.75 * std::log(1.5), 1e-15);
  // Logits are shift-invariant, however large the shift.
  const std::vector<double> a2{1e300, 1e300}, b2{-5e3, -5e3 + std::log(3.0)};
  EXPECT_NEAR(kldiv::kl_from_logits(rows_of(a2, 2), rows_of(b2, 2)).value,
              0.5 * std::log(4.0 / 3.0), 1e-12);
}

TEST(LogitsKl, BaseTwoAndTemperature) {
  // T = 2 halves the logits: softmax(0, ln 9 / 2) = (1/4, 3/4) again.
  const std::vector<double> a{0.0, 0.0}, b{0.0, std::log(9.0)};
  auto opt = logits_options{}.in_base(2).with_temperature(2.0);
  const double kl = 0.5 * std::log(4.0 / 3.0);
  auto r = kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2), opt);
  EXPECT_NEAR(r.value, kl / std::log(2.0), 1e-15);
  EXPECT_EQ(r.unit, "bits");
  opt.scale_by_t_squared = true;
  r = kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2), opt);
  EXPECT_NEAR(r.value, 4.0 * kl / std::log(2.0), 2e-15);
}

TEST(LogitsKl, IdenticalRowsGiveExactlyZero) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> z(0.0, 5.0);
  std::vector<double> a(3 * 1001);
  for (auto& x : a) x = z(rng);
  const auto r =
      kldiv::kl_from_logits(rows_of(a, 1001), rows_of(a, 1001),
                            logits_options{}.reduced(reduction::none));
  for (double v : r.rows) EXPECT_EQ(v, 0.0);
  const auto j =
      kldiv::generalized_jsd_from_logits(rows_of(a, 1001), rows_of(a, 1001));
  EXPECT_EQ(j.value, 0.0);
}

// The edge table: -inf logits are probability 0.
TEST(LogitsKl, MinusInfinityEntries) {
  const std::vector<double> a{0.0, -kInf, 0.0}, b{0.0, 0.0, 0.0};
  // P = (1/2, 0, 1/2), Q = (1/3, 1/3, 1/3): KL = ln(3/2); KL(Q||P) = inf.
  EXPECT_NEAR(kldiv::kl_from_logits(rows_of(a, 3), rows_of(b, 3)).value,
              std::log(1.5), 2e-15);
  EXPECT_EQ(kldiv::reverse_kl_from_logits(rows_of(a, 3), rows_of(b, 3)).value,
            kInf);
  // -inf in both: that token is absent from both.
  const std::vector<double> c{0.0, -kInf, std::log(3.0)};
  EXPECT_NEAR(kldiv::kl_from_logits(rows_of(a, 3), rows_of(c, 3)).value,
              0.5 * std::log(4.0 / 3.0), 1e-15);
  // The gradients stay finite where the value is, and are never NaN.
  std::vector<double> g(3);
  kldiv::kl_from_logits(rows_of(a, 3), rows_of(b, 3), {}, {}, std::span(g));
  EXPECT_NEAR(g[0], 1.0 / 3 - 0.5, 1e-15);
  EXPECT_NEAR(g[1], 1.0 / 3, 1e-15);
  kldiv::reverse_kl_from_logits(rows_of(a, 3), rows_of(b, 3), {}, {},
                                std::span(g));
  EXPECT_EQ(g[1], kInf);
  EXPECT_EQ(g[0], 0.0);
  kldiv::generalized_jsd_from_logits(rows_of(a, 3), rows_of(b, 3), {}, {},
                                     std::span(g));
  for (double v : g) EXPECT_TRUE(std::isfinite(v));
}

TEST(LogitsJsd, HalfIsFourTimesJensenShannonAndEndsAreTheKls) {
  // P = (1/2, 1/2), Q = (1/4, 3/4), M = (3/8, 5/8).
  const std::vector<double> a{0.0, 0.0}, b{0.0, std::log(3.0)};
  const double kl_pm =
      0.5 * std::log(0.5 / 0.375) + 0.5 * std::log(0.5 / 0.625);
  const double kl_qm =
      0.25 * std::log(0.25 / 0.375) + 0.75 * std::log(0.75 / 0.625);
  const auto at = [&](double beta) {
    return kldiv::generalized_jsd_from_logits(rows_of(a, 2), rows_of(b, 2),
                                              logits_options{}.with_beta(beta))
        .value;
  };
  EXPECT_NEAR(at(0.5), 2.0 * (kl_pm + kl_qm), 2e-15);
  const double kl = 0.5 * std::log(4.0 / 3.0);
  const double rev = 0.25 * std::log(0.5) + 0.75 * std::log(1.5);
  EXPECT_NEAR(at(0.0), kl, 1e-15);
  EXPECT_NEAR(at(1.0), rev, 1e-15);
  // Continuous at both ends.
  EXPECT_NEAR(at(1e-9), kl, 1e-8);
  EXPECT_NEAR(at(1.0 - 1e-9), rev, 1e-8);
}

TEST(LogitsCrossEntropy, AgainstLabels) {
  // softmax(0, ln 3) = (1/4, 3/4).
  const std::vector<double> x{0.0, std::log(3.0), 0.0, std::log(3.0)};
  const std::vector<std::int64_t> labels{0, 1};
  auto r = kldiv::cross_entropy_from_logits(
      rows_of(x, 2), labels, logits_options{}.reduced(reduction::none));
  EXPECT_NEAR(r.rows[0], std::log(4.0), 2e-15);
  EXPECT_NEAR(r.rows[1], std::log(4.0 / 3.0), 2e-15);
  std::vector<double> g(4);
  r = kldiv::cross_entropy_from_logits(rows_of(x, 2), labels, {}, -100, {},
                                       std::span(g));
  EXPECT_NEAR(r.value, 0.5 * (std::log(4.0) + std::log(4.0 / 3.0)), 2e-15);
  EXPECT_NEAR(g[0], 0.5 * (0.25 - 1.0), 1e-15);
  EXPECT_NEAR(g[1], 0.5 * 0.75, 1e-15);
  EXPECT_NEAR(g[3], 0.5 * (0.75 - 1.0), 1e-15);
  // An ignored label drops the row from the mean.
  const std::vector<std::int64_t> ignored{-100, 1};
  r = kldiv::cross_entropy_from_logits(rows_of(x, 2), ignored, {}, -100, {},
                                       std::span(g));
  EXPECT_NEAR(r.value, std::log(4.0 / 3.0), 2e-15);
  EXPECT_EQ(r.valid_rows, 1u);
  EXPECT_EQ(g[0], 0.0);
  EXPECT_NEAR(g[3], 0.75 - 1.0, 1e-15);
}

TEST(LogitsMask, ReductionsOverValidRowsOnly) {
  const std::vector<double> a{0.0, 0.0, 0.0, 0.0, 5.0, 1.0};
  const std::vector<double> b{0.0, std::log(3.0), 0.0, std::log(3.0), 0, 0};
  const std::vector<std::uint8_t> mask{1, 1, 0};
  const double kl = 0.5 * std::log(4.0 / 3.0);
  std::vector<double> g(6, 99.0);
  auto r = kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2), {}, mask,
                                 std::span(g));
  EXPECT_NEAR(r.value, kl, 1e-15);
  EXPECT_EQ(r.valid_rows, 2u);
  EXPECT_EQ(r.rows[2], 0.0);
  EXPECT_NEAR(g[0], 0.5 * (0.25 - 0.5), 1e-15);  // mean over 2 rows
  EXPECT_EQ(g[4], 0.0);
  EXPECT_EQ(g[5], 0.0);
  r = kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2),
                            logits_options{}.reduced(reduction::sum), mask);
  EXPECT_NEAR(r.value, 2 * kl, 1e-15);
  // Everything masked: 0 for every reduction, never NaN.
  const std::vector<std::uint8_t> none{0, 0, 0};
  for (auto red : {reduction::none, reduction::sum, reduction::mean}) {
    r = kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2),
                              logits_options{}.reduced(red), none,
                              std::span(g));
    EXPECT_EQ(r.value, 0.0);
    EXPECT_EQ(r.valid_rows, 0u);
    for (double v : g) EXPECT_EQ(v, 0.0);
  }
}

TEST(LogitsLogProbs, CheckedThenNormalised) {
  const std::vector<double> a{std::log(0.5), std::log(0.5)};
  const std::vector<double> b{std::log(0.25), std::log(0.75)};
  const auto opt = logits_options{}.log_probs();
  EXPECT_NEAR(kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2), opt).value,
              0.5 * std::log(4.0 / 3.0), 1e-15);
  const std::vector<double> off{std::log(0.5), std::log(0.6)};
  try {
    kldiv::kl_from_logits(rows_of(a, 2), rows_of(off, 2), opt);
    FAIL();
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr("b[0]: log-probabilities whose "
                                    "exponentials sum to 1.1"));
  }
  const std::vector<double> with_zero{0.0, -kInf};
  EXPECT_NEAR(
      kldiv::kl_from_logits(rows_of(with_zero, 2), rows_of(b, 2), opt).value,
      std::log(4.0), 2e-15);
}

TEST(LogitsErrors, NameTheInputRowColumnAndValue) {
  const std::vector<double> a{0.0, 1.0, 2.0, 3.0};
  std::vector<double> b{0.0, 1.0, 2.0, 3.0};
  b[3] = std::nan("");
  EXPECT_EQ(
      message_of([&] { kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2)); }),
      "b[1, 1] = nan: logits must be finite or -inf");
  b[3] = kInf;
  EXPECT_EQ(
      message_of([&] { kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2)); }),
      "b[1, 1] = inf: logits must be finite or -inf");
  b = {0.0, 1.0, -kInf, -kInf};
  EXPECT_EQ(
      message_of([&] { kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2)); }),
      "b[1]: every entry is -inf, so the row has no probability");
  EXPECT_EQ(
      message_of([&] { kldiv::kl_from_logits(rows_of(a, 2), rows_of(a, 4)); }),
      "a is 2 x 2 but b is 1 x 4: they must have the same shape (rows "
      "x vocabulary)");
  EXPECT_EQ(message_of([&] {
              kldiv::kl_from_logits(rows_of(a, 2), rows_of(a, 2),
                                    logits_options{}.with_temperature(0));
            }),
            "temperature = 0: must be > 0 and finite");
  EXPECT_EQ(message_of([&] {
              kldiv::generalized_jsd_from_logits(rows_of(a, 2), rows_of(a, 2),
                                                 logits_options{}.with_beta(2));
            }),
            "beta = 2: must be in [0, 1]");
  const std::vector<std::uint8_t> mask{1};
  EXPECT_EQ(message_of([&] {
              kldiv::kl_from_logits(rows_of(a, 2), rows_of(a, 2), {}, mask);
            }),
            "mask has 1 entries for 2 rows: it needs one per row");
  std::vector<double> g(3);
  EXPECT_EQ(message_of([&] {
              kldiv::kl_from_logits(rows_of(a, 2), rows_of(a, 2), {}, {},
                                    std::span(g));
            }),
            "gradient has room for 3 values, not 2 x 2");
  const std::vector<std::int64_t> labels{0, 2};
  EXPECT_EQ(message_of([&] {
              kldiv::cross_entropy_from_logits(rows_of(a, 2), labels, {}, -100);
            }),
            "labels[1] = 2: must be in [0, 2) or the ignore index -100");
  EXPECT_EQ(message_of([] { kldiv::reduction_from_name("avg"); }),
            "unknown reduction 'avg': choose none, sum or mean");
  EXPECT_EQ(message_of([] { kldiv::logits_measure_from_name("js"); }),
            "unknown logits measure 'js': choose kl, reverse_kl or "
            "generalized_jsd");
}

// Random logits rows with some -inf entries.
template <class T>
std::vector<T> random_logits(std::mt19937_64& rng, std::size_t n, double scale,
                             double minus_inf) {
  std::normal_distribution<double> z(0.0, scale);
  std::bernoulli_distribution dead(minus_inf);
  std::vector<T> v(n);
  for (auto& x : v) x = dead(rng) ? T(-kInf) : static_cast<T>(z(rng));
  v[0] = T(1);  // at least one finite entry
  return v;
}

template <class Fn>
void on_every_target(Fn check) {
  for (const auto& t : kldiv::simd_targets()) {
    kldiv::limit_simd_target(t);
    SCOPED_TRACE("target " + t);
    check();
  }
  kldiv::limit_simd_target("");
}

void expect_close(double got, double want, double rel) {
  if (std::isinf(want)) {
    EXPECT_EQ(got, want);
  } else {
    EXPECT_NEAR(got, want, rel * std::fabs(want) + 1e-300);
  }
}

// The SIMD kernels against the scalar reference: sizes 1 .. 3 * lanes + 1
// and long rows, unaligned, -inf entries, every measure and gradient.
template <class T>
void simd_matches_reference(std::size_t n, std::size_t offset, double t) {
  std::mt19937_64 rng(n * 31 + offset);
  const std::size_t rows = 3;
  auto a = random_logits<T>(rng, rows * n + offset, 3.0, 0.1);
  auto b = random_logits<T>(rng, rows * n + offset, 3.0, 0.1);
  for (std::size_t i = offset; i < a.size(); i += 3) {
    b[i] = static_cast<T>(a[i] + 1e-3 * static_cast<double>(b[i]));  // near
  }
  for (std::size_t r = 0; r < rows; ++r) {
    a[offset + r * n] = T(2);
    b[offset + r * n] = T(2);
  }
  const auto av = matrix_view<T>::dense(a.data() + offset, rows, n);
  const auto bv = matrix_view<T>::dense(b.data() + offset, rows, n);
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-13;
  for (auto m : {logits_measure::kl, logits_measure::reverse_kl,
                 logits_measure::generalized_jsd}) {
    const auto opt =
        logits_options{}.with_temperature(t).reduced(reduction::none);
    std::vector<T> g(rows * n), gref(rows * n);
    const auto want = kldiv::detail::divergence_from_logits_reference(
        m, av, bv, opt, {}, std::span(gref));
    const auto got =
        kldiv::divergence_from_logits(m, av, bv, opt, {}, std::span(g));
    for (std::size_t r = 0; r < rows; ++r) {
      expect_close(got.rows[r], want.rows[r], tol);
    }
    for (std::size_t i = 0; i < g.size(); ++i) {
      ASSERT_FALSE(std::isnan(g[i])) << i;
      if (std::isinf(gref[i])) {
        EXPECT_EQ(g[i], gref[i]);
      } else {
        EXPECT_NEAR(g[i], gref[i], 1e-6 * std::fabs(gref[i]) + 1e-12) << i;
      }
    }
  }
  std::vector<std::int64_t> labels(rows);
  for (std::size_t r = 0; r < rows; ++r) labels[r] = static_cast<long>(r % n);
  std::vector<T> g(rows * n), gref(rows * n);
  const auto want = kldiv::detail::cross_entropy_from_logits_reference(
      av, labels, logits_options{}.with_temperature(t), {}, {},
      std::span(gref));
  const auto got = kldiv::cross_entropy_from_logits(
      av, labels, logits_options{}.with_temperature(t), {}, {}, std::span(g));
  expect_close(got.value, want.value, tol);
  for (std::size_t i = 0; i < g.size(); ++i) {
    EXPECT_NEAR(g[i], gref[i], 1e-6 * std::fabs(gref[i]) + 1e-15) << i;
  }
}

TEST(LogitsSimd, MatchesTheScalarReferenceOnEveryTarget) {
  on_every_target([] {
    for (std::size_t n = 1; n <= 3 * 8 + 1; ++n) {
      simd_matches_reference<double>(n, n % 3, 1.0);
      simd_matches_reference<float>(n, n % 3, 1.0);
    }
    for (std::size_t n : {4099u, 20000u}) {
      for (double t : {1.0, 0.7, 4.0}) {
        simd_matches_reference<double>(n, 1, t);
        simd_matches_reference<float>(n, 1, t);
      }
    }
  });
}

TEST(LogitsThreads, BitIdenticalForAnyThreadCount) {
  std::mt19937_64 rng(7);
  const std::size_t rows = 64, n = 5000;
  const auto a = random_logits<float>(rng, rows * n, 4.0, 0.01);
  const auto b = random_logits<float>(rng, rows * n, 4.0, 0.01);
  std::vector<float> g1(rows * n), g(rows * n);
  auto opt = logits_options{}.with_threads(1);
  const auto r1 = kldiv::kl_from_logits(rows_of(a, n), rows_of(b, n), opt, {},
                                        std::span(g1));
  for (int threads : {2, 7}) {
    const auto r =
        kldiv::kl_from_logits(rows_of(a, n), rows_of(b, n),
                              opt.with_threads(threads), {}, std::span(g));
    EXPECT_EQ(r.value, r1.value);
    EXPECT_EQ(r.rows, r1.rows);
    EXPECT_EQ(g, g1);
  }
}

TEST(LogitsComparer, StatisticsOverChunks) {
  // Rows: P = (1/2, 1/2) against Q = (1/4, 3/4) (top tokens 0 and 1 differ)
  // and P = Q (agree): KL values kl and 0.
  const double kl = 0.5 * std::log(4.0 / 3.0);
  kldiv::logits_comparer c;
  const std::vector<float> a1{0.f, 0.f}, b1{0.f, std::log(3.f)};
  const std::vector<double> a2{1.0, 0.0, 1.0, 0.0}, b2 = a2;
  c.add(rows_of(a1, 2), rows_of(b1, 2));
  EXPECT_THAT(
      [&] {
        return message_of([&] { c.add(rows_of(a2, 4), rows_of(b2, 4)); });
      }(),
      HasSubstr("vocabulary of 4, the earlier ones 2"));
  c.add(rows_of(a2, 2), rows_of(b2, 2));
  const auto s = c.summary();
  EXPECT_EQ(s.rows, 3u);
  EXPECT_NEAR(s.mean_kl, kl / 3, 1e-7);
  EXPECT_NEAR(s.max_kl, kl, 1e-7);
  EXPECT_EQ(s.median_kl, 0.0);
  EXPECT_NEAR(s.p90_kl, 0.8 * kl, 1e-7);  // rank 1.8 of 0, 0, kl
  // sd of (kl, 0, 0) = kl / sqrt(3); SE = sd / sqrt(3) = kl / 3.
  EXPECT_NEAR(s.standard_error, kl / 3, 1e-7);
  EXPECT_NEAR(s.top1_agreement, 2.0 / 3, 2e-15);
  // Top token of the first row is 0 (a tie: the first): 1/2 - 1/4.
  EXPECT_NEAR(s.rms_top_prob_diff, std::sqrt(0.0625 / 3), 1e-7);
  EXPECT_EQ(message_of([] { kldiv::logits_comparer{}.summary(); }),
            "no rows to compare: the inputs have 0 rows");
}

}  // namespace

namespace {

// The edge table in log space: a finite logit of P against -inf in Q makes
// KL(P || Q) infinite even when p underflows to 0 in double (e^-2000).
TEST(LogitsKl, MinusInfinityInQUnderATinyButPositiveP) {
  const std::vector<double> a{0.0, -2000.0}, b{0.0, -kInf};
  EXPECT_EQ(kldiv::kl_from_logits(rows_of(a, 2), rows_of(b, 2)).value, kInf);
  EXPECT_EQ(kldiv::detail::divergence_from_logits_reference(
                logits_measure::kl, rows_of(a, 2), rows_of(b, 2))
                .value,
            kInf);
  // And the other way round it is 0 (Q puts no mass where P has none).
  EXPECT_EQ(kldiv::kl_from_logits(rows_of(b, 2), rows_of(a, 2)).value, 0.0);
}

}  // namespace
