// The multivariate normal against mpmath (tools/gen_mvn_reference.py, itself
// cross-checked with PyTorch and SciPy): KL both ways, Bhattacharyya,
// Hellinger, Rényi, 2-Wasserstein, entropy and log-density, for full and
// diagonal forms in every combination, an ill-conditioned covariance, nearly
// equal pairs, d = 40; and every message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "support/test_support.hpp"

namespace {

using kldiv::multivariate_normal;
using json = nlohmann::json;
using kldiv_test::message_of;

const json& reference() {
  return kldiv_test::reference_file("mvn_reference.json");
}

multivariate_normal make(const json& c, const char* which) {
  const std::string side(which);
  const auto mean = c["mean_" + side].get<std::vector<double>>();
  const auto rows = c["cov_" + side].get<std::vector<std::vector<double>>>();
  const std::size_t d = mean.size();
  if (c["form_" + side] == "low_rank") {
    const auto w = c["factor_" + side].get<std::vector<std::vector<double>>>();
    std::vector<double> flat;
    for (const auto& r : w) flat.insert(flat.end(), r.begin(), r.end());
    return multivariate_normal::low_rank(
        mean, kldiv::matrix_view<double>::dense(flat.data(), d, w[0].size()),
        c["diag_" + side].get<std::vector<double>>());
  }
  if (c["form_" + side] == "diagonal") {
    std::vector<double> var(d);
    for (std::size_t i = 0; i < d; ++i) var[i] = rows[i][i];
    return multivariate_normal::diagonal(mean, var);
  }
  std::vector<double> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  return multivariate_normal::full(
      mean, kldiv::matrix_view<double>::dense(flat.data(), d, d));
}

TEST(Mvn, EveryQuantityAgainstMpmath) {
  for (const auto& c : reference()) {
    const auto p = make(c, "p"), q = make(c, "q");
    // Nearly equal pairs (KL ~ 1e-13): full forms take KL from eigenvalues
    // near 1, about 1e-8 relative (see mvn.cpp); diagonal forms hold standard
    // deviations, so a variance ratio of 1 + 1e-7 given as variances is
    // already rounded to about 1e-9 relative of its logarithm. The other
    // measures are formed from log-determinants and traces that cancel to
    // about d * 1e-16 in absolute terms (1e-14 here), W2 and Hellinger as
    // square roots of such.
    const bool near_full = c["kl"].get<double>() < 1e-10;
    const double rtol = near_full ? 1e-7 : c["rtol"].get<double>();
    const auto near = [&](double got, const char* key, double extra = 0.0,
                          double near_abs = 0.0) {
      const double want = c[key].get<double>();
      const double abs = near_full ? near_abs : 0.0;
      EXPECT_NEAR(got, want, (rtol + extra) * std::fabs(want) + abs + 1e-300)
          << key;
    };
    near(kldiv::kl(p, q), "kl");
    near(kldiv::kl(q, p), "kl_qp");
    near(kldiv::entropy(p), "entropy_p");
    near(kldiv::log_pdf(p, c["x"].get<std::vector<double>>()), "log_pdf_p");
    if (c.contains("w2")) {
      near(kldiv::bhattacharyya_distance(p, q), "bhattacharyya", 0.0, 1e-14);
      near(kldiv::hellinger(p, q), "hellinger", 0.0, 1e-7);
      near(kldiv::renyi(p, q, 0.5), "renyi_0.5", 0.0, 1e-14);
      near(kldiv::renyi(p, q, 0.3), "renyi_0.3", 0.0, 1e-14);
      // The matrix square roots of W2 by eigendecomposition: 1e-10.
      near(kldiv::wasserstein2(p, q), "w2", 1e-10, 1e-6);
    }
  }
}

TEST(Mvn, IdenticalIsZeroAndDiagonalMatchesFull) {
  const std::vector<double> mean{1.0, -2.0, 0.5}, var{0.5, 2.0, 3.0};
  const std::vector<double> full{0.5, 0, 0, 0, 2.0, 0, 0, 0, 3.0};
  const auto dg = multivariate_normal::diagonal(mean, var);
  const auto fl = multivariate_normal::full(
      mean, kldiv::matrix_view<double>::dense(full.data(), 3, 3));
  EXPECT_EQ(kldiv::kl(dg, dg), 0.0);
  EXPECT_NEAR(kldiv::kl(fl, fl), 0.0, 1e-15);
  EXPECT_EQ(kldiv::wasserstein2(dg, dg), 0.0);
  EXPECT_NEAR(kldiv::entropy(dg), kldiv::entropy(fl), 1e-15);
  // Renyi of order 1 is KL.
  const auto q =
      multivariate_normal::diagonal({0.0, 0.0, 0.0}, {1.0, 1.0, 1.0});
  EXPECT_EQ(kldiv::renyi(dg, q, 1.0), kldiv::kl(dg, q));
  EXPECT_NEAR(kldiv::kl(fl, q), kldiv::kl(dg, q), 1e-14);
}

TEST(Mvn, ErrorsNameWhatIsWrong) {
  // Singular: the second leading minor is 0 (no jitter is added).
  const std::vector<double> singular{1, 1, 1, 1};
  EXPECT_THAT(message_of([&] {
                multivariate_normal::full(
                    {0, 0},
                    kldiv::matrix_view<double>::dense(singular.data(), 2, 2));
              }),
              testing::StartsWith("multivariate_normal: the covariance is not "
                                  "positive definite: its leading minor of "
                                  "order 2 is not > 0"));
  const std::vector<double> indefinite{1, 2, 2, 1};
  EXPECT_THAT(message_of([&] {
                multivariate_normal::full(
                    {0, 0},
                    kldiv::matrix_view<double>::dense(indefinite.data(), 2, 2));
              }),
              testing::HasSubstr("leading minor of order 2 is not > 0"));
  EXPECT_EQ(message_of([] {
              multivariate_normal::diagonal({0, 0}, {1, -1});
            }),
            "multivariate_normal: variances[1] = -1, but must be > 0 and "
            "finite");
  EXPECT_EQ(message_of([] {
              multivariate_normal::diagonal({0, NAN}, {1, 1});
            }),
            "multivariate_normal: mean[1] = nan, but must be finite");
  EXPECT_EQ(message_of([] { multivariate_normal::diagonal({}, {}); }),
            "multivariate_normal: the mean is empty (dimension 0)");
  const std::vector<double> two{1, 0, 0, 1};
  EXPECT_EQ(message_of([&] {
              multivariate_normal::full(
                  {0, 0, 0},
                  kldiv::matrix_view<double>::dense(two.data(), 2, 2));
            }),
            "multivariate_normal: the covariance is 2 x 2, but the mean has 3 "
            "entries");
  const auto a = multivariate_normal::diagonal({0, 0}, {1, 1});
  const auto b = multivariate_normal::diagonal({0, 0, 0}, {1, 1, 1});
  EXPECT_EQ(message_of([&] { kldiv::kl(a, b); }),
            "kl(multivariate_normal, multivariate_normal): p has dimension 2 "
            "but q has 3");
  EXPECT_EQ(message_of([&] { kldiv::renyi(a, a, -1.0); }),
            "renyi(multivariate_normal, ...): alpha = -1, but must be > 0 and "
            "finite");
}

TEST(Mvn, LargeDiagonalStaysLinear) {
  // d = 10^5 diagonal: O(d), and each component keeps its digits (a KL of
  // 10^5 identical components off by a hair in scale).
  const std::size_t d = 100'000;
  const auto p = multivariate_normal::diagonal(std::vector<double>(d, 0.0),
                                               std::vector<double>(d, 1.0));
  const auto q = multivariate_normal::diagonal(
      std::vector<double>(d, 0.0), std::vector<double>(d, 1.0 + 2e-8));
  // Per component: ½ (1/(1+e) - 1 + log(1+e)) = e²/4 - e³/3 + ... with
  // e = 2e-8; to about 1e-8 relative, the rounding of the standard deviation
  // sqrt(1 + e) the diagonal form keeps.
  const double e = 2e-8;
  const double want = static_cast<double>(d) * (e * e / 4 - e * e * e / 3);
  EXPECT_NEAR(kldiv::kl(p, q), want, 1e-8 * want);
}

TEST(Mvn, LowRankNeverBuildsTheDenseMatrixAndMatchesFull) {
  // d = 10^5 with rank 2 against a diagonal: O(d r^2) by Woodbury (a dense
  // d x d would need 80 GB). Reference by hand: W = [a 1; 0 ...] puts the
  // rank-two part on the first two coordinates only, so KL splits into a
  // 2 x 2 block worked out exactly and d - 2 identical components.
  const std::size_t d = 100'000;
  std::vector<double> w(d * 2, 0.0);
  w[0] = 1.0;  // W[0, 0]
  w[3] = 2.0;  // W[1, 1]
  const auto p = multivariate_normal::low_rank(
      std::vector<double>(d, 0.0),
      kldiv::matrix_view<double>::dense(w.data(), d, 2),
      std::vector<double>(d, 1.0));
  const auto q = multivariate_normal::diagonal(std::vector<double>(d, 0.0),
                                               std::vector<double>(d, 1.0));
  // Σp = diag(2, 5, 1, ..., 1): KL = ½ Σ (v - 1 - log v) over v = 2, 5.
  const double want =
      0.5 * ((2.0 - 1.0 - std::log(2.0)) + (5.0 - 1.0 - std::log(5.0)));
  EXPECT_NEAR(kldiv::kl(p, q), want, 1e-12 * want);
  // KL(Q || P): ½ Σ (1/v - 1 + log v).
  const double back =
      0.5 * ((0.5 - 1.0 + std::log(2.0)) + (0.2 - 1.0 + std::log(5.0)));
  EXPECT_NEAR(kldiv::kl(q, p), back, 1e-12 * back);
  EXPECT_NEAR(kldiv::entropy(p) - kldiv::entropy(q), 0.5 * std::log(10.0),
              1e-9);
  EXPECT_EQ(message_of([&] {
              multivariate_normal::low_rank(
                  {0.0, 0.0}, kldiv::matrix_view<double>::dense(w.data(), 2, 1),
                  {1.0, 0.0});
            }),
            "multivariate_normal: diag[1] = 0, but must be > 0 and finite");
}

TEST(Mvn, FullFormAtDimensionOneThousand) {
  // d = 1000 full covariances Σp = I + u uᵀ, Σq = 2 I: KL by hand from the
  // eigenvalues of Σq^-1 Σp, 1/2 (with multiplicity d - 1) and
  // (1 + |u|²)/2: ½ Σ (λ - 1 - log λ) + ½ |δ|²/2.
  const std::size_t d = 1000;
  std::vector<double> u(d), cp(d * d, 0.0), cq(d * d, 0.0);
  double uu = 0.0;
  for (std::size_t i = 0; i < d; ++i) {
    u[i] = std::sin(static_cast<double>(i));
    uu += u[i] * u[i];
  }
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t j = 0; j < d; ++j) cp[i * d + j] = u[i] * u[j];
    cp[i * d + i] += 1.0;
    cq[i * d + i] = 2.0;
  }
  std::vector<double> mq(d, 0.0);
  mq[7] = 3.0;
  const auto p = multivariate_normal::full(
      std::vector<double>(d, 0.0),
      kldiv::matrix_view<double>::dense(cp.data(), d, d));
  const auto q = multivariate_normal::full(
      mq, kldiv::matrix_view<double>::dense(cq.data(), d, d));
  const auto g = [](double l) { return l - 1.0 - std::log(l); };
  const double want =
      0.5 * (static_cast<double>(d - 1) * g(0.5) + g((1.0 + uu) / 2.0)) +
      0.5 * 9.0 / 2.0;
  EXPECT_NEAR(kldiv::kl(p, q), want, 1e-11 * want);
}

TEST(Mvn, BatchesGiveWhatSingleCallsGiveForAnyThreads) {
  // The values against the reference pairs, in one call, on 1 and 2
  // threads; a single q broadcast over every p.
  std::vector<multivariate_normal> ps, qs;
  std::vector<double> want;
  for (const auto& c : reference()) {
    if (c["d"] != 3) continue;
    ps.push_back(make(c, "p"));
    qs.push_back(make(c, "q"));
    want.push_back(c["kl"].get<double>());
  }
  ASSERT_GE(ps.size(), 8u);
  for (const int threads : {1, 2}) {
    std::vector<double> out(ps.size());
    kldiv::kl(ps, qs, out, threads);
    for (std::size_t i = 0; i < out.size(); ++i) {
      // Nearly equal pairs (KL ~ 1e-14) hold about 1e-7 (see above).
      const double rtol = want[i] < 1e-10 ? 1e-7 : 1e-12;
      EXPECT_NEAR(out[i], want[i], rtol * want[i]) << i;
    }
  }
  std::vector<double> one(ps.size());
  kldiv::kl(ps, std::span<const multivariate_normal>(&qs[0], 1), one, 2);
  EXPECT_NEAR(one[0], want[0], 1e-12 * want[0]);
  std::vector<double> bad(2);
  EXPECT_THAT(message_of([&] { kldiv::kl(ps, qs, bad, 1); }),
              testing::HasSubstr("p and q must have the same length"));
}

}  // namespace
