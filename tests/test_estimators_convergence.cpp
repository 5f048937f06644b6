// The k-NN estimators converge to the closed forms on Gaussian samples as n
// grows along 10^3, 10^4, 10^5 (fixed seed), for d = 1, 2, 5, 10 and k = 1
// and 5: KL(N(0, I) || N(μ, diag(s²))) = ½ Σ (1/s_j² + μ_j²/s_j² - 1 +
// log s_j²) and the entropy of N(0, I), d/2 log(2πe), worked by hand here.
// The error (the mean over k of |estimate - exact|) must be smaller at 10^5
// than at 10^3, may not grow by more than the sampling noise from one size
// to the next (0.03, about twice the standard deviation of a k = 1
// estimate at 10^4, sqrt(ψ'(1)/10^4) ≈ 0.013; measured here: the entropy
// error in d = 10 goes 0.062, 0.027, 0.051), and must be within
// 0.01 + 0.02 d at 10^5, which allows the estimators' known bias in higher
// dimensions (the KL error in d = 10 goes 0.51, 0.29, 0.19).
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/estimators.hpp"

namespace {

using kldiv::matrix_view;

struct gaussian_pair {
  std::size_t d;
  std::vector<double> x, y;  // 10^5 rows each
  double kl = 0.0;
};

gaussian_pair draw(std::size_t d) {
  gaussian_pair g{d, std::vector<double>(100'000 * d),
                  std::vector<double>(100'000 * d)};
  kldiv::random_stream rs(2026, d);
  std::vector<double> mu(d), s(d);
  for (std::size_t j = 0; j < d; ++j) {
    mu[j] = 0.3 * static_cast<double>(j % 3);
    s[j] = 1.0 + 0.1 * static_cast<double>(j);
    g.kl += 0.5 * (1.0 / (s[j] * s[j]) + mu[j] * mu[j] / (s[j] * s[j]) - 1.0 +
                   2.0 * std::log(s[j]));
  }
  for (auto& v : g.x) v = rs.normal();
  for (std::size_t i = 0; i < 100'000; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      g.y[i * d + j] = mu[j] + s[j] * rs.normal();
    }
  }
  return g;
}

void expect_converges(const std::vector<double>& err, double tolerance,
                      const std::string& what) {
  EXPECT_LT(err[2], err[0]) << what;
  EXPECT_LT(err[1], err[0] + 0.03) << what;
  EXPECT_LT(err[2], err[1] + 0.03) << what;
  EXPECT_LT(err[2], tolerance) << what;
}

class Convergence : public testing::TestWithParam<std::size_t> {};

TEST_P(Convergence, KlAndEntropyApproachTheClosedForms) {
  const std::size_t d = GetParam();
  const gaussian_pair g = draw(d);
  const double entropy = 0.5 * static_cast<double>(d) *
                         std::log(2.0 * std::numbers::pi * std::numbers::e);
  kldiv::knn_options o;
  o.k = {1, 5};
  std::vector<double> kl_err, h_err;
  for (const std::size_t n : {1'000u, 10'000u, 100'000u}) {
    const auto x = matrix_view<double>::dense(g.x.data(), n, d);
    const auto y = matrix_view<double>::dense(g.y.data(), n, d);
    const auto kl = kldiv::kl_knn(x, y, o);
    const auto h = kldiv::entropy_knn(x, o);
    kl_err.push_back(
        0.5 * (std::fabs(kl[0].value - g.kl) + std::fabs(kl[1].value - g.kl)));
    h_err.push_back(0.5 * (std::fabs(h[0].value - entropy) +
                           std::fabs(h[1].value - entropy)));
  }
  const double dd = static_cast<double>(d);
  expect_converges(kl_err, 0.01 + 0.02 * dd, "KL, d = " + std::to_string(d));
  expect_converges(h_err, 0.01 + 0.02 * dd,
                   "entropy, d = " + std::to_string(d));
}

INSTANTIATE_TEST_SUITE_P(Dimensions, Convergence,
                         testing::Values(1u, 2u, 5u, 10u));

}  // namespace
