// entropy_knn (Kozachenko-Leonenko) against tests/data/entropy_reference.json
// (tools/gen_entropy_reference.py: the same formula written directly on
// scipy's cKDTree) and, on samples drawn here, against the closed-form
// entropy of Gaussians as n grows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "support/test_support.hpp"

namespace {

using json = nlohmann::json;
using kldiv::knn_options;
using kldiv::matrix_view;
using kldiv::tie_policy;

const json& reference() {
  return kldiv_test::reference_file("entropy_reference.json");
}

TEST(EntropyKnn, EveryReferenceCase) {
  for (const auto& c : reference()) {
    const auto rows = c["x"].get<std::vector<std::vector<double>>>();
    std::vector<double> flat;
    for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
    knn_options o;
    o.k = {c["k"].get<int>()};
    o.ties =
        c["policy"] == "exclude" ? tie_policy::exclude : tie_policy::distinct;
    const auto got = kldiv::entropy_knn(
        matrix_view<double>::dense(flat.data(), rows.size(), rows[0].size()),
        o);
    const double want = c["value"].get<double>();
    EXPECT_NEAR(got[0].value, want, 1e-10 * std::fabs(want) + 1e-12)
        << c["name"] << " k=" << c["k"] << " " << c["policy"];
    EXPECT_EQ(got[0].ties, c["ties"].get<std::size_t>()) << c["name"];
    EXPECT_EQ(got[0].m, 0u);
  }
}

// N(0, diag(s^2)) samples drawn here: the error against the closed form
// ½ Σ log(2πe s_j²) shrinks from n = 10^3 to 10^4 (averaged over k = 1, 4)
// and is small at 10^4.
TEST(EntropyKnn, ConvergesToTheGaussianEntropy) {
  for (const std::size_t d : {1u, 2u, 5u}) {
    kldiv::random_stream rs(5, d);
    std::vector<double> x(10'000 * d), s(d);
    double exact = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      s[j] = 0.5 + 0.5 * static_cast<double>(j);
      exact += 0.5 *
               std::log(2.0 * std::numbers::pi * std::numbers::e * s[j] * s[j]);
    }
    for (std::size_t i = 0; i < 10'000; ++i) {
      for (std::size_t j = 0; j < d; ++j) x[i * d + j] = s[j] * rs.normal();
    }
    knn_options o;
    o.k = {1, 4};
    double err_small = 0.0, err_large = 0.0;
    for (const std::size_t n : {1'000u, 10'000u}) {
      const auto r =
          kldiv::entropy_knn(matrix_view<double>::dense(x.data(), n, d), o);
      const double e =
          0.5 * (std::fabs(r[0].value - exact) + std::fabs(r[1].value - exact));
      (n == 1'000 ? err_small : err_large) = e;
    }
    EXPECT_LT(err_large, err_small) << "d = " << d;
    EXPECT_LT(err_large, 0.05 * static_cast<double>(d)) << "d = " << d;
  }
}

TEST(EntropyKnn, TiesThreadsBootstrapAndErrors) {
  std::vector<double> x = {0.0, 0.0, 1.0, 3.0, 3.0, 3.0, 7.0};
  const auto view = matrix_view<double>::dense(x.data(), x.size(), 1);
  knn_options o;
  o.ties = tie_policy::error;
  try {
    kldiv::entropy_knn(view, o);
    FAIL() << "no error";
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("5 of 7 points"));
  }
  // Distinct by hand: ε = 1, 1, 1, 2, 2, 2, 4 (the nearest other point at a
  // distance > 0); H = ψ(7) - ψ(1) + log 2 + (1/7) Σ log ε.
  o.ties = tie_policy::distinct;
  const auto r = kldiv::entropy_knn(view, o);
  const double psi7 = 1.0 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4 + 1.0 / 5 + 1.0 / 6;
  const double want =
      psi7 + std::log(2.0) + (3 * std::log(2.0) + std::log(4.0)) / 7.0;
  EXPECT_NEAR(r[0].value, want, 1e-14);
  EXPECT_EQ(r[0].ties, 5u);
  // Threads: identical results.
  kldiv::random_stream rs(1);
  std::vector<double> big(3000 * 3);
  for (auto& v : big) v = rs.normal();
  const auto bv = matrix_view<double>::dense(big.data(), 3000, 3);
  knn_options t1, t2;
  t1.threads = 1;
  t2.threads = 2;
  t1.k = t2.k = {1, 3};
  t1.bootstrap = t2.bootstrap = 30;
  const auto a = kldiv::entropy_knn(bv, t1), b = kldiv::entropy_knn(bv, t2);
  for (std::size_t c = 0; c < a.size(); ++c) {
    EXPECT_EQ(a[c].value, b[c].value);
    EXPECT_EQ(*a[c].ci_low, *b[c].ci_low);
    EXPECT_LT(*a[c].ci_low, *a[c].ci_high);
  }
  knn_options bad;
  bad.k = {7};
  EXPECT_THROW(kldiv::entropy_knn(view, bad), kldiv::InvalidArgument);
  bad.k = {0};
  EXPECT_THROW(kldiv::entropy_knn(view, bad), kldiv::InvalidArgument);
}

}  // namespace
