// The k-nearest-neighbour KL estimator (Wang, Kulkarni & Verdú 2009) against
// an independent SciPy implementation (tools/gen_knn_reference.py: cKDTree
// distances cross-checked with a brute-force distance matrix, sums in
// mpmath): Gaussian samples for d = 1, 2, 5, 10 with n = m and n != m, every
// k, duplicated points, points shared between x and y and identical samples
// under each tie policy; convergence to the closed-form KL of two Gaussians;
// the jitter policy; tree and brute-force search, thread counts, strided
// views; the bootstrap interval; and the errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::knn_options;
using kldiv::knn_search;
using kldiv::tie_policy;
using kldiv_test::expect_close;
using kldiv_test::expect_reproducible_intervals;
using kldiv_test::find_run;
using kldiv_test::from_json;
using kldiv_test::gaussian;
using kldiv_test::has_number;
using kldiv_test::message_of;
using kldiv_test::policy_of;

const json& reference() {
  return kldiv_test::reference_file("knn_reference.json");
}

const json& find_case(const std::string& name) {
  return kldiv_test::find_named(reference()["cases"], name);
}

knn_options options_for(std::vector<int> k, tie_policy ties) {
  knn_options o;
  o.k = std::move(k);
  o.ties = ties;
  return o;
}

TEST(KlKnn, EveryReferenceCase) {
  std::size_t runs = 0;
  for (const auto& c : reference()["cases"]) {
    const auto x = from_json(c["x"]), y = from_json(c["y"]);
    for (const auto& run : c["runs"]) {
      const std::string label =
          c["name"].get<std::string>() + " " + run["policy"].get<std::string>();
      const auto ks = run["k"].get<std::vector<int>>();
      const auto got = kldiv::kl_knn(x.view(), y.view(),
                                     options_for(ks, policy_of(run["policy"])));
      ASSERT_EQ(got.size(), ks.size()) << label;
      for (std::size_t j = 0; j < ks.size(); ++j) {
        const auto& want = run["expected"][j];
        const std::string what = label + " k=" + std::to_string(ks[j]);
        EXPECT_EQ(got[j].k, ks[j]) << what;
        expect_close(got[j].value, want["value"].get<double>(), what);
        EXPECT_EQ(got[j].ties, want["ties"].get<std::size_t>()) << what;
        EXPECT_EQ(got[j].n, x.rows) << what;
        EXPECT_EQ(got[j].m, y.rows) << what;
        EXPECT_EQ(got[j].d, x.cols) << what;
        EXPECT_FALSE(got[j].tie_handling.empty()) << what;
        EXPECT_FALSE(got[j].ci_low.has_value()) << what;
        EXPECT_FALSE(got[j].ci_high.has_value()) << what;
      }
      ++runs;
    }
  }
  EXPECT_GE(runs, 50u);
}

TEST(KlKnn, ConvergesToTheClosedFormForGaussians) {
  // The stored samples are 10^4 rows; their first 10^3 rows are the small
  // samples. The generator's own estimates are checked too (1e-10), then the
  // error against the exact KL: smaller at 10^4 than at 10^3 (mean over
  // k = 1, 5) and within 0.05 + 0.2 KL at 10^4.
  for (const auto& c : reference()["convergence"]) {
    const auto x = from_json(c["x"]), y = from_json(c["y"]);
    const double kl = c["kl"].get<double>();
    const std::string label = "d=" + std::to_string(c["d"].get<int>());
    double mean_err[2] = {0, 0};
    const std::size_t sizes[2] = {1000, 10000};
    for (int s = 0; s < 2; ++s) {
      const auto got = kldiv::kl_knn(x.head(sizes[s]), y.head(sizes[s]),
                                     options_for({1, 5}, tie_policy::error));
      const auto want =
          c["estimates"][std::to_string(sizes[s])].get<std::vector<double>>();
      ASSERT_EQ(got.size(), 2u);
      for (int j = 0; j < 2; ++j) {
        expect_close(got[j].value, want[j],
                     label + " n=" + std::to_string(sizes[s]));
        EXPECT_EQ(got[j].ties, 0u);
        mean_err[s] += std::fabs(got[j].value - kl) / 2;
        if (s == 1) {
          EXPECT_LT(std::fabs(got[j].value - kl), 0.05 + 0.2 * kl)
              << label << " k=" << got[j].k << " KL=" << kl;
        }
      }
    }
    EXPECT_LT(mean_err[1], mean_err[0]) << label;
  }
}

TEST(KlKnn, ErrorPolicyStatesHowManyPointsAreTied) {
  // The count with k = 1: the points with a zero distance to another x or to
  // a y, which is what exclude leaves out at k = 1.
  for (const char* name : {"ties_dup_x_and_shared", "ties_dup_x_only",
                           "ties_shared_only", "identical"}) {
    const auto& c = find_case(name);
    const auto x = from_json(c["x"]), y = from_json(c["y"]);
    const auto& distinct = find_run(c, "distinct");
    const std::size_t tied = distinct["expected"][0]["ties"].get<std::size_t>();
    const std::string msg = message_of([&] {
      kldiv::kl_knn(x.view(), y.view(), options_for({1}, tie_policy::error));
    });
    EXPECT_TRUE(has_number(msg, tied)) << name << ": " << msg;
    EXPECT_THAT(msg, testing::HasSubstr("ties")) << name;
  }
  // A tie-free sample goes through under the error policy (see also the
  // reference cases); with several k, one tied k is enough to fail.
  const auto& c = find_case("ties_dup_x_and_shared");
  const auto x = from_json(c["x"]), y = from_json(c["y"]);
  EXPECT_THROW(
      kldiv::kl_knn(x.view(), y.view(), options_for({5, 3}, tie_policy::error)),
      kldiv::InvalidArgument);  // k = 3 still has 10 tied points
}

TEST(KlKnn, IdenticalSamplesUnderDistinctAreNearZero) {
  // Every ν_k equals ρ_k, so D = log(n / (n - 1)) exactly (up to rounding).
  const auto& c = find_case("identical");
  const auto x = from_json(c["x"]);
  const double n = static_cast<double>(x.rows);
  const auto got = kldiv::kl_knn(
      x.view(), x.view(), options_for({1, 2, 3, 5}, tie_policy::distinct));
  for (const auto& e : got) {
    EXPECT_TRUE(std::isfinite(e.value));
    EXPECT_LE(std::fabs(e.value), std::log(n / (n - 1)) + 0.05) << e.k;
    EXPECT_NEAR(e.value, std::log(n / (n - 1)), 1e-12) << e.k;
    EXPECT_EQ(e.ties, x.rows);
  }
}

TEST(KlKnn, DistinctNeedsKPointsAtPositiveDistance) {
  // Four copies of one point and two others: for the copies only two other
  // x's are at a distance > 0, fewer than k = 3.
  const std::vector<double> xs{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2};
  const auto y = gaussian(10, 2, 3);
  const auto x = kldiv::matrix_view<double>::dense(xs.data(), 6, 2);
  EXPECT_THROW(
      kldiv::kl_knn(x, y.view(), options_for({3}, tie_policy::distinct)),
      kldiv::InvalidArgument);
  EXPECT_NO_THROW(
      kldiv::kl_knn(x, y.view(), options_for({2}, tie_policy::distinct)));
}

TEST(KlKnn, JitterOnATieFreeSampleChangesNothingVisible) {
  // Noise of 1e-10 standard deviations moves distances of ~0.1 by ~1e-10
  // relative: the estimate agrees with the plain one to 1e-6, no ties.
  const auto& c = find_case("gauss_d2_n300_m500");
  const auto x = from_json(c["x"]), y = from_json(c["y"]);
  const auto& run = find_run(c, "distinct");
  auto o = options_for({1, 3, 5}, tie_policy::jitter);
  o.seed = 11;
  const auto got = kldiv::kl_knn(x.view(), y.view(), o);
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_NEAR(got[j].value, run["expected"][j]["value"].get<double>(), 1e-6);
    EXPECT_EQ(got[j].ties, 0u);
  }
}

TEST(KlKnn, JitterCountsTheTiesAndLeavesTheInputAlone) {
  for (const char* name :
       {"ties_dup_x_and_shared", "ties_dup_x_only", "ties_shared_only"}) {
    const auto& c = find_case(name);
    const auto x = from_json(c["x"]), y = from_json(c["y"]);
    const auto x_before = x.values, y_before = y.values;
    const std::size_t tied =
        find_run(c, "distinct")["expected"][0]["ties"].get<std::size_t>();
    auto o = options_for({1}, tie_policy::jitter);
    o.seed = 5;
    const auto a = kldiv::kl_knn(x.view(), y.view(), o);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_TRUE(std::isfinite(a[0].value)) << name;
    EXPECT_EQ(a[0].ties, tied) << name;
    EXPECT_EQ(x.values, x_before) << name;
    EXPECT_EQ(y.values, y_before) << name;
    // Seeded: the same seed gives the same value, bit for bit.
    EXPECT_EQ(kldiv::kl_knn(x.view(), y.view(), o)[0].value, a[0].value);
  }
}

TEST(KlKnn, JitterOnIdenticalSamples) {
  // x = y jittered by 1e-10 standard deviations: the twin of x_i in y is
  // ~1e-10 away, so with k = 1 the estimate is finite but hugely negative
  // (about 2 log(1e-10 / 0.05) ~ -40 here); with k >= 2 the twin is the
  // first neighbour and the estimate is, to ~1e-8, the plain one that
  // exclude computes (nothing is excluded there), about ψ(k-1) - ψ(k).
  const auto& c = find_case("identical");
  const auto x = from_json(c["x"]);
  const auto& excl = find_run(c, "exclude");  // k = 2, 3, 5
  auto o = options_for({1, 2, 3, 5}, tie_policy::jitter);
  o.seed = 1;
  const auto got = kldiv::kl_knn(x.view(), x.view(), o);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_TRUE(std::isfinite(got[0].value));
  EXPECT_LT(got[0].value, -10.0);
  EXPECT_EQ(got[0].ties, x.rows);
  for (std::size_t j = 1; j < 4; ++j) {
    EXPECT_EQ(got[j].k, excl["k"][j - 1].get<int>());
    EXPECT_NEAR(got[j].value, excl["expected"][j - 1]["value"].get<double>(),
                1e-6)
        << got[j].k;
  }

  // With noise as large as the data (scale 1), the jittered copies are
  // nearly independent draws of one distribution: the estimate is near 0
  // (n = 2000, d = 2; the estimator's spread is ~0.03 with k = 5).
  const auto z = gaussian(2000, 2, 42);
  auto big = options_for({5}, tie_policy::jitter);
  big.jitter_scale = 1.0;
  big.seed = 3;
  const auto far = kldiv::kl_knn(z.view(), z.view(), big);
  EXPECT_LT(std::fabs(far[0].value), 0.1);
  EXPECT_EQ(far[0].ties, z.rows);
}

TEST(KlKnn, ExcludeWithEveryPointTiedIsAnError) {
  // x = y with k = 1: every point has its twin at distance 0, so no point is
  // left to average over.
  const auto& c = find_case("identical");
  const auto x = from_json(c["x"]);
  EXPECT_THROW(
      kldiv::kl_knn(x.view(), x.view(), options_for({1}, tie_policy::exclude)),
      kldiv::InvalidArgument);
}

TEST(KlKnn, ExcludeDropsOnlyThePointsTiedAtThatK) {
  // Ties counted per k: 75 points at k = 1, the 4-fold copies in x and the
  // 3-fold copies in y at k = 3, none at k = 5 (the reference holds the
  // values; this states the counts the generator found).
  const auto& c = find_case("ties_dup_x_and_shared");
  const auto x = from_json(c["x"]), y = from_json(c["y"]);
  const auto got = kldiv::kl_knn(x.view(), y.view(),
                                 options_for({1, 3, 5}, tie_policy::exclude));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].ties, 75u);
  EXPECT_EQ(got[1].ties, 10u);
  EXPECT_EQ(got[2].ties, 0u);
}

TEST(KlKnn, SizesAndDimensionsAreChecked) {
  const auto x = gaussian(20, 2, 1), y = gaussian(30, 2, 2);
  const auto y3 = gaussian(30, 3, 2);
  // d mismatch.
  EXPECT_THROW(kldiv::kl_knn(x.view(), y3.view()), kldiv::InvalidArgument);
  // n >= k + 1 and m >= k.
  EXPECT_THROW(kldiv::kl_knn(x.head(1), y.view()), kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_knn(x.head(5), y.view(),
                             options_for({5}, tie_policy::distinct)),
               kldiv::InvalidArgument);
  EXPECT_NO_THROW(kldiv::kl_knn(x.head(6), y.view(),
                                options_for({5}, tie_policy::distinct)));
  EXPECT_THROW(kldiv::kl_knn(x.view(), y.head(2),
                             options_for({3}, tie_policy::distinct)),
               kldiv::InvalidArgument);
  EXPECT_NO_THROW(kldiv::kl_knn(x.view(), y.head(3),
                                options_for({3}, tie_policy::distinct)));
  // Any too-large k in the list is enough.
  EXPECT_THROW(kldiv::kl_knn(x.view(), y.view(),
                             options_for({1, 20}, tie_policy::distinct)),
               kldiv::InvalidArgument);
  // k must be positive.
  EXPECT_THROW(
      kldiv::kl_knn(x.view(), y.view(), options_for({0}, tie_policy::distinct)),
      kldiv::InvalidArgument);
  EXPECT_THROW(kldiv::kl_knn(x.view(), y.view(),
                             options_for({-1}, tie_policy::distinct)),
               kldiv::InvalidArgument);
  // Non-finite values are invalid input (DESIGN: never silently used).
  auto bad = x;
  bad.values[7] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(kldiv::kl_knn(bad.view(), y.view()), kldiv::InvalidArgument);
  bad.values[7] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(kldiv::kl_knn(y.view(), bad.view()), kldiv::InvalidArgument);
}

TEST(KlKnn, TreeAndBruteForceAgree) {
  for (const char* name : {"gauss_d5_n300_m500", "gauss_d10_n500_m300",
                           "gauss_d1_n300_m300", "ties_dup_x_and_shared"}) {
    const auto& c = find_case(name);
    const auto x = from_json(c["x"]), y = from_json(c["y"]);
    for (tie_policy p : {tie_policy::distinct, tie_policy::exclude}) {
      auto o = options_for({1, 3, 5}, p);
      o.search = knn_search::tree;
      const auto tree = kldiv::kl_knn(x.view(), y.view(), o);
      o.search = knn_search::brute;
      const auto brute = kldiv::kl_knn(x.view(), y.view(), o);
      o.search = knn_search::automatic;
      const auto automatic = kldiv::kl_knn(x.view(), y.view(), o);
      ASSERT_EQ(tree.size(), 3u);
      ASSERT_EQ(brute.size(), 3u);
      for (std::size_t j = 0; j < 3; ++j) {
        EXPECT_NEAR(tree[j].value, brute[j].value,
                    1e-12 * std::max(1.0, std::fabs(brute[j].value)))
            << name;
        EXPECT_NEAR(automatic[j].value, brute[j].value,
                    1e-12 * std::max(1.0, std::fabs(brute[j].value)))
            << name;
        EXPECT_EQ(tree[j].ties, brute[j].ties) << name;
      }
    }
  }
}

TEST(KlKnn, ThreadCountsGiveIdenticalValues) {
  const auto& c = reference()["convergence"][1];  // d = 2, 10^4 rows
  const auto x = from_json(c["x"]), y = from_json(c["y"]);
  for (knn_search s : {knn_search::tree, knn_search::brute}) {
    auto o = options_for({1, 5}, tie_policy::distinct);
    o.search = s;
    const std::size_t rows = s == knn_search::brute ? 3000 : 10000;
    o.threads = 1;
    const auto one = kldiv::kl_knn(x.head(rows), y.head(rows), o);
    o.threads = 2;
    const auto two = kldiv::kl_knn(x.head(rows), y.head(rows), o);
    o.threads = 3;
    const auto three = kldiv::kl_knn(x.head(rows), y.head(rows), o);
    for (std::size_t j = 0; j < 2; ++j) {
      EXPECT_EQ(one[j].value, two[j].value);
      EXPECT_EQ(one[j].value, three[j].value);
    }
  }
}

TEST(KlKnn, StridedViewsGiveTheSameValues) {
  // x stored column-major (col_stride = rows), y every other row of a
  // buffer twice as tall.
  const auto& c = find_case("gauss_d5_n300_m500");
  const auto x = from_json(c["x"]), y = from_json(c["y"]);
  std::vector<double> xt(x.values.size());
  for (std::size_t r = 0; r < x.rows; ++r) {
    for (std::size_t j = 0; j < x.cols; ++j) {
      xt[j * x.rows + r] = x.values[r * x.cols + j];
    }
  }
  std::vector<double> ytall(2 * y.values.size(), -1e300);
  for (std::size_t r = 0; r < y.rows; ++r) {
    std::copy_n(&y.values[r * y.cols], y.cols, &ytall[2 * r * y.cols]);
  }
  const kldiv::matrix_view<double> xv{xt.data(), x.rows, x.cols, 1, x.rows};
  const kldiv::matrix_view<double> yv{ytall.data(), y.rows, y.cols, 2 * y.cols,
                                      1};
  const auto got =
      kldiv::kl_knn(xv, yv, options_for({1, 3, 5}, tie_policy::distinct));
  const auto& run = find_run(c, "distinct");
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    expect_close(got[j].value, run["expected"][j]["value"].get<double>(),
                 "strided");
  }
}

TEST(KlKnn, BootstrapIntervalIsSeededAndSane) {
  const auto& c = find_case("gauss_d2_n300_m500");
  const auto x = from_json(c["x"]), y = from_json(c["y"]);
  auto o = options_for({1, 3}, tie_policy::distinct);
  o.bootstrap = 200;
  o.seed = 2024;
  const auto a = kldiv::kl_knn(x.view(), y.view(), o);
  const auto plain = kldiv::kl_knn(x.view(), y.view(),
                                   options_for({1, 3}, tie_policy::distinct));
  ASSERT_EQ(a.size(), 2u);
  for (std::size_t j = 0; j < 2; ++j) {
    ASSERT_TRUE(a[j].ci_low.has_value());
    ASSERT_TRUE(a[j].ci_high.has_value());
    const double lo = *a[j].ci_low, hi = *a[j].ci_high;
    EXPECT_TRUE(std::isfinite(lo) && std::isfinite(hi));
    EXPECT_LT(lo, hi);
    // The point estimate is the one without bootstrap.
    EXPECT_EQ(a[j].value, plain[j].value);
    // Resampling with replacement duplicates points (ties), which biases the
    // resampled estimates; the estimate stays within one width of the
    // interval, and the width is that of n = 300 (well under 1 nat).
    const double w = hi - lo;
    EXPECT_LT(w, 1.0);
    EXPECT_GT(a[j].value, lo - w);
    EXPECT_LT(a[j].value, hi + w);
  }
  // Reproducible by seed, also across thread counts; another seed differs.
  expect_reproducible_intervals(a, o, [&](const knn_options& oo) {
    return kldiv::kl_knn(x.view(), y.view(), oo);
  });
  // A lower confidence gives a narrower interval from the same resamples.
  o.confidence = 0.5;
  const auto half = kldiv::kl_knn(x.view(), y.view(), o);
  for (std::size_t j = 0; j < 2; ++j) {
    EXPECT_GE(*half[j].ci_low, *a[j].ci_low);
    EXPECT_LE(*half[j].ci_high, *a[j].ci_high);
  }
}

}  // namespace
