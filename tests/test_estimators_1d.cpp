// The one-dimensional empirical-CDF KL estimator (Pérez-Cruz 2008) against
// an independent implementation (tools/gen_sample1d_reference.py: the
// slopes of the piecewise-linear CDFs from the knot table in mpmath,
// cross-checked with np.interp CDFs and finite differences): Gaussian and
// exponential samples with n = m and n != m, x beyond y's range, the minimal
// n = 2, duplicates in x, values shared with y, identical samples, constant
// samples, under each tie policy; scale and shift invariance; convergence to
// the closed-form KL of two Gaussians and two exponentials; jitter; the
// bootstrap interval; warnings and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::kl_1d_options;
using kldiv::tie_policy;
using testing::HasSubstr;

using kldiv_test::expect_close;
using kldiv_test::find_run;
using kldiv_test::has_number;
using kldiv_test::policy_of;
using kldiv_test::values;

const json& reference() {
  return kldiv_test::reference_file("kl_1d_reference.json");
}

const json& find_case(const std::string& name) {
  return kldiv_test::find_named(reference()["cases"], name);
}

kl_1d_options with(tie_policy ties) {
  kl_1d_options o;
  o.ties = ties;
  return o;
}

// The message of the InvalidArgument `fn` throws, "(no InvalidArgument)" when
// it throws nothing.
template <class Fn>
std::string message_of(Fn fn) {
  return kldiv_test::message_of(fn, "(no InvalidArgument)");
}

TEST(Kl1d, EveryReferenceCase) {
  std::size_t runs = 0;
  for (const auto& c : reference()["cases"]) {
    const auto x = values(c["x"]), y = values(c["y"]);
    for (const auto& run : c["runs"]) {
      const std::string policy = run["policy"];
      const std::string what = c["name"].get<std::string>() + " " + policy;
      const auto o = with(policy_of(policy));
      if (run["throws"].get<bool>()) {
        EXPECT_THROW(kldiv::kl_1d(x, y, o), kldiv::InvalidArgument) << what;
        ++runs;
        continue;
      }
      const auto got = kldiv::kl_1d(x, y, o);
      expect_close(got.value, run["value"].get<double>(), what);
      EXPECT_EQ(got.ties, run["ties"].get<std::size_t>()) << what;
      EXPECT_EQ(got.tie_handling, policy) << what;
      EXPECT_EQ(got.k, 0) << what;
      EXPECT_EQ(got.d, 1u) << what;
      EXPECT_EQ(got.n, x.size()) << what;
      EXPECT_EQ(got.m, y.size()) << what;
      EXPECT_FALSE(got.ci_low.has_value()) << what;
      EXPECT_FALSE(got.ci_high.has_value()) << what;
      ++runs;
    }
  }
  EXPECT_GE(runs, 55u);
}

TEST(Kl1d, IdenticalSamplesGiveExactlyZero) {
  // Same knots, same heights: every log-ratio is 0 and every x_i is in y.
  for (const char* name : {"identical", "identical_with_dups", "all_equal"}) {
    const auto& c = find_case(name);
    const auto x = values(c["x"]), y = values(c["y"]);
    const auto got = kldiv::kl_1d(x, y);
    EXPECT_EQ(got.value, 0.0) << name;
    EXPECT_EQ(got.ties, x.size()) << name;
    EXPECT_EQ(got.tie_handling, "distinct") << name;
    EXPECT_EQ(kldiv::kl_1d(x, x).value, 0.0) << name;
  }
}

TEST(Kl1d, ErrorPolicyStatesHowManyPointsAreTied) {
  for (const char* name : {"dup_x_only", "shared_with_y", "grid_both",
                           "identical", "x_constant"}) {
    const auto& c = find_case(name);
    const auto x = values(c["x"]), y = values(c["y"]);
    const auto tied = find_run(c, "error")["ties"].get<std::size_t>();
    ASSERT_GT(tied, 0u) << name;
    const std::string msg =
        message_of([&] { kldiv::kl_1d(x, y, with(tie_policy::error)); });
    EXPECT_TRUE(has_number(msg, tied)) << name << ": " << msg;
    EXPECT_THAT(msg, HasSubstr("tie")) << name;
  }
  // Tie-free samples go through.
  const auto& c = find_case("gauss_n150_m400");
  EXPECT_NO_THROW(
      kldiv::kl_1d(values(c["x"]), values(c["y"]), with(tie_policy::error)));
}

TEST(Kl1d, ScaleAndShiftInvariance) {
  // x -> 4 x + 1024 on both samples is exact on the dyadic values; the
  // estimate is the same to rounding (the reference gives both, equal).
  const auto& c = find_case("dyadic");
  const auto x = values(c["x"]), y = values(c["y"]);
  std::vector<double> xt(x.size()), yt(y.size());
  std::transform(x.begin(), x.end(), xt.begin(),
                 [](double v) { return 4.0 * v + 1024.0; });
  std::transform(y.begin(), y.end(), yt.begin(),
                 [](double v) { return 4.0 * v + 1024.0; });
  EXPECT_EQ(xt, values(find_case("dyadic_scaled")["x"]));
  const double a = kldiv::kl_1d(x, y).value;
  const double b = kldiv::kl_1d(xt, yt).value;
  EXPECT_NEAR(a, b, 1e-12 * std::max(1.0, std::fabs(a)));
  // A tiny scale (2^-20) and a negative shift too.
  std::transform(x.begin(), x.end(), xt.begin(),
                 [](double v) { return std::ldexp(v, -20) - 3.0; });
  std::transform(y.begin(), y.end(), yt.begin(),
                 [](double v) { return std::ldexp(v, -20) - 3.0; });
  EXPECT_NEAR(kldiv::kl_1d(xt, yt).value, a, 1e-9);
}

TEST(Kl1d, OrderOfTheValuesDoesNotMatter) {
  const auto& c = find_case("grid_both");
  auto x = values(c["x"]), y = values(c["y"]);
  const double want = find_run(c, "distinct")["value"].get<double>();
  std::reverse(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  expect_close(kldiv::kl_1d(x, y).value, want, "permuted");
}

// ---------------------------------------------------------------------------
// Convergence: samples drawn exactly as the generator draws them.

double uniform01(std::mt19937_64& g) {
  return (static_cast<double>(g() >> 11) + 0.5) * 0x1p-53;
}

std::vector<double> draw(std::mt19937_64& g, const json& spec, std::size_t n) {
  const std::string kind = spec[0];
  const double p1 = spec[1].get<double>(), p2 = spec[2].get<double>();
  std::vector<double> v(n);
  for (auto& t : v) {
    if (kind == "normal") {
      const double u1 = uniform01(g);
      const double u2 = uniform01(g);
      t = p1 + p2 * (std::sqrt(-2.0 * std::log(u1)) *
                     std::cos(2.0 * std::numbers::pi * u2));
    } else {
      t = -std::log(uniform01(g)) / p1;
    }
  }
  return v;
}

TEST(Kl1d, ConvergesToTheClosedForm) {
  // The generator's estimates on the same draws agree to 1e-8 (the draws go
  // through libm's log and cos, which may differ by an ulp between the two
  // languages, and the smallest gaps of 10^5 values are ~1e-10). The error
  // to the exact KL stays within |bias| + 5 sd of the generator's Monte
  // Carlo study of the estimator at each size, and shrinks from 10^3 to
  // 10^5.
  for (const auto& c : reference()["convergence"]) {
    std::mt19937_64 g(c["seed"].get<std::uint64_t>());
    const std::size_t big = 100000;
    const auto x = draw(g, c["p"], big);
    const auto y = draw(g, c["q"], big);
    const double kl = c["kl"].get<double>();
    const std::string name = c["name"];
    double err[3] = {0, 0, 0};
    int i = 0;
    for (const std::size_t n : {std::size_t{1000}, std::size_t{10000}, big}) {
      const std::string key = std::to_string(n);
      const auto got =
          kldiv::kl_1d(std::span(x).first(n), std::span(y).first(n),
                       with(tie_policy::error));
      const double want = c["estimates"][key].get<double>();
      EXPECT_NEAR(got.value, want, 1e-8 * std::fabs(want)) << name << " " << n;
      EXPECT_EQ(got.ties, 0u);
      err[i] = std::fabs(got.value - kl);
      EXPECT_LT(err[i], c["tolerance"][key].get<double>())
          << name << " n=" << n << " KL=" << kl << " got " << got.value;
      ++i;
    }
    EXPECT_LT(err[2], err[0]) << name;
  }
}

// ---------------------------------------------------------------------------
// Jitter.

TEST(Kl1d, JitterOnGridRoundedDataIsNearTheDistinctValue) {
  // N(0,1) and N(0.2,1.2^2) rounded to 0.1: noise of the grid's own spread
  // (0.1 / sqrt 12) undoes the rounding. Over 300 noise draws the generator
  // found the jittered estimate within `max_dev` of the distinct one; the
  // tolerance is 1.5 times that.
  const auto& j = reference()["jitter"];
  const auto& c = find_case(j["case"]);
  const auto x = values(c["x"]), y = values(c["y"]);
  const auto x0 = x, y0 = y;
  const double distinct = find_run(c, "distinct")["value"].get<double>();
  const auto tied = find_run(c, "distinct")["ties"].get<std::size_t>();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto o = with(tie_policy::jitter);
    o.jitter_scale = j["scale"].get<double>();
    o.seed = seed;
    const auto got = kldiv::kl_1d(x, y, o);
    EXPECT_TRUE(std::isfinite(got.value));
    EXPECT_NEAR(got.value, distinct, j["tolerance"].get<double>()) << seed;
    EXPECT_EQ(got.tie_handling, "jitter");
    EXPECT_EQ(got.ties, tied);
    // Seeded: the same value bit for bit; the input is left alone.
    EXPECT_EQ(kldiv::kl_1d(x, y, o).value, got.value);
    EXPECT_EQ(x, x0);
    EXPECT_EQ(y, y0);
  }
  // The default scale (1e-10) separates copies by ~1e-10: finite.
  auto o = with(tie_policy::jitter);
  o.seed = 9;
  EXPECT_TRUE(std::isfinite(kldiv::kl_1d(x, y, o).value));
}

TEST(Kl1d, JitterOnTieFreeDataChangesNothingVisible) {
  const auto& c = find_case("gauss_n200_m200");
  auto o = with(tie_policy::jitter);
  o.seed = 4;
  const auto got = kldiv::kl_1d(values(c["x"]), values(c["y"]), o);
  EXPECT_NEAR(got.value, find_run(c, "distinct")["value"].get<double>(), 1e-6);
  EXPECT_EQ(got.ties, 0u);
}

// ---------------------------------------------------------------------------
// Bootstrap, warnings, errors.

TEST(Kl1d, BootstrapIntervalIsSeededAndContainsTheValue) {
  const auto& c = find_case("gauss_n400_m120");
  const auto x = values(c["x"]), y = values(c["y"]);
  auto o = with(tie_policy::distinct);
  o.bootstrap = 300;
  o.seed = 2024;
  const auto a = kldiv::kl_1d(x, y, o);
  ASSERT_TRUE(a.ci_low.has_value());
  ASSERT_TRUE(a.ci_high.has_value());
  const double lo = *a.ci_low, hi = *a.ci_high;
  EXPECT_TRUE(std::isfinite(lo) && std::isfinite(hi));
  EXPECT_LT(lo, hi);
  EXPECT_LE(lo, a.value);
  EXPECT_GE(hi, a.value);
  EXPECT_LT(hi - lo, 2.0);
  // The point estimate is the plain one.
  expect_close(a.value, find_run(c, "distinct")["value"].get<double>(),
               "bootstrap");
  const auto b = kldiv::kl_1d(x, y, o);
  EXPECT_EQ(*b.ci_low, lo);
  EXPECT_EQ(*b.ci_high, hi);
  o.seed = 2025;
  const auto other = kldiv::kl_1d(x, y, o);
  EXPECT_TRUE(*other.ci_low != lo || *other.ci_high != hi);
  o.seed = 2024;
  o.confidence = 0.5;
  const auto half = kldiv::kl_1d(x, y, o);
  EXPECT_GE(*half.ci_low, lo);
  EXPECT_LE(*half.ci_high, hi);
  o.confidence = 1.0;
  EXPECT_THROW(kldiv::kl_1d(x, y, o), kldiv::InvalidArgument);
  o.confidence = 0.0;
  EXPECT_THROW(kldiv::kl_1d(x, y, o), kldiv::InvalidArgument);
}

// The interval is honest: over 40 independent pairs of samples (n = m =
// 1000) of N(0, 1) and N(0.5, 1.5²), KL = log 1.5 + 1.25/4.5 - 1/2 worked by
// hand, the 95% interval covers the true KL in at least 32 (a resampling
// bootstrap with replacement covered about a third: its repeated values
// change the spacings the estimate is made of).
TEST(Kl1d, IntervalCoversTheTrueValue) {
  const double kl = std::log(1.5) + 1.25 / 4.5 - 0.5;
  std::mt19937_64 gen(77);
  std::normal_distribution<double> z;
  int covered = 0;
  for (int r = 0; r < 40; ++r) {
    std::vector<double> x(1000), y(1000);
    for (auto& v : x) v = z(gen);
    for (auto& v : y) v = 0.5 + 1.5 * z(gen);
    kl_1d_options o;
    o.bootstrap = 60;
    o.seed = static_cast<std::uint64_t>(r);
    const auto e = kldiv::kl_1d(x, y, o);
    covered += *e.ci_low <= kl && kl <= *e.ci_high;
  }
  EXPECT_GE(covered, 32);
}

TEST(Kl1d, ErrorPolicyCountsTiesEvenWhenAllAreTied) {
  const std::vector<double> x = {1.0, 2.0, 2.0, 3.0}, y = x;
  EXPECT_THAT([&] { kldiv::kl_1d(x, y, with(tie_policy::error)); },
              testing::ThrowsMessage<kldiv::InvalidArgument>(
                  HasSubstr("kl_1d: 4 of 4 values of x are tied")));
  EXPECT_THAT([&] { kldiv::kl_1d(x, y, with(tie_policy::exclude)); },
              testing::ThrowsMessage<kldiv::InvalidArgument>(
                  HasSubstr("every value of x is tied")));
}

TEST(Kl1d, SmallSamplesAreWarnedAbout) {
  const auto& small = find_case("n30_m40_small");
  EXPECT_FALSE(
      kldiv::kl_1d(values(small["x"]), values(small["y"])).warnings.empty());
  const auto& two = find_case("n2_m2");
  EXPECT_FALSE(
      kldiv::kl_1d(values(two["x"]), values(two["y"])).warnings.empty());
  // n = 120 (>= 100), no ties: nothing to warn about.
  const auto& big = find_case("x_wider_both_sides");
  EXPECT_THAT(kldiv::kl_1d(values(big["x"]), values(big["y"])).warnings,
              testing::IsEmpty());
}

TEST(Kl1d, SizesAndValuesAreChecked) {
  const std::vector<double> one{1.0}, two{1.0, 2.0}, none;
  const auto& c = find_case("gauss_n200_m200");
  auto x = values(c["x"]), y = values(c["y"]);
  EXPECT_THROW(kldiv::kl_1d(one, y), kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_1d(x, one), kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_1d(none, y), kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_1d(x, none), kldiv::InvalidArgument);
  EXPECT_NO_THROW(kldiv::kl_1d(two, two));
  x[7] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(message_of([&] { kldiv::kl_1d(x, y); }), HasSubstr("x[7] = nan"));
  x[7] = 0.5;
  y[13] = -std::numeric_limits<double>::infinity();
  EXPECT_THAT(message_of([&] { kldiv::kl_1d(x, y); }),
              HasSubstr("y[13] = -inf"));
  y[13] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(kldiv::kl_1d(x, y), kldiv::InvalidArgument);
  y[13] = 0.5;
  auto o = with(tie_policy::jitter);
  o.jitter_scale = 0.0;
  EXPECT_THROW(kldiv::kl_1d(x, y, o), kldiv::InvalidArgument);
  o.jitter_scale = -1.0;
  EXPECT_THROW(kldiv::kl_1d(x, y, o), kldiv::InvalidArgument);
}

}  // namespace
