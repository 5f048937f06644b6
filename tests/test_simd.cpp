// The SIMD kernels against the scalar reference, on every target the build
// has and the CPU runs: sizes 0 ... 3 * lanes + 1 and large, unaligned
// pointers, zeros and subnormals in p and q; and results bit-identical for 1,
// 2 and 7 threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "kldiv/discrete.hpp"
#include "kldiv/error.hpp"
#include "kldiv/simd.hpp"
#include "reference.hpp"
#include "simd/kernels.hpp"

#ifndef KLDIV_TEST_DATA_DIR
#define KLDIV_TEST_DATA_DIR "tests/data"
#endif

namespace {

constexpr std::size_t kMaxLanes = 8;  // doubles per vector on AVX-512

// n probabilities summing to 1 within rounding, from a seeded stream; a
// `zeros` share of entries 0, and with `subnormals`, some of those zeros
// replaced by subnormal values.
template <class T>
std::vector<T> distribution(std::mt19937_64& rng, std::size_t n, double zeros,
                            bool subnormals) {
  std::gamma_distribution<double> g(0.6);
  std::bernoulli_distribution zero(zeros), tiny(0.05);
  std::vector<double> v(n);
  double s = 0;
  for (auto& x : v) s += (x = zero(rng) ? 0.0 : g(rng));
  if (s == 0 && n > 0) v[0] = s = 1;
  std::vector<T> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<T>(v[i] / s);
    if (subnormals && out[i] == 0 && tiny(rng)) {
      out[i] = std::numeric_limits<T>::denorm_min() * 3;
    }
  }
  return out;
}

// Runs `check` once per available SIMD target, then lifts the limit.
template <class Fn>
void on_every_target(Fn check) {
  const auto targets = kldiv::simd_targets();
  ASSERT_FALSE(targets.empty());
  for (const auto& t : targets) {
    kldiv::limit_simd_target(t);
    ASSERT_EQ(kldiv::simd_target(), t);
    SCOPED_TRACE("target " + t);
    check();
  }
  kldiv::limit_simd_target("");
  EXPECT_EQ(kldiv::simd_target(), targets.front());
}

template <class T>
void expect_kernel_matches_reference(std::size_t n, std::size_t offset,
                                     double zeros, bool subnormals,
                                     unsigned seed) {
  std::mt19937_64 rng(seed);
  auto p = distribution<T>(rng, n, zeros, subnormals);
  auto q = distribution<T>(rng, n, zeros / 2, subnormals);
  // Shift the data by `offset` elements so that the kernel sees unaligned
  // pointers.
  std::vector<T> pb(offset), qb(offset);
  pb.insert(pb.end(), p.begin(), p.end());
  qb.insert(qb.end(), q.begin(), q.end());
  const std::span<const T> ps(pb.data() + offset, n), qs(qb.data() + offset, n);
  const auto opt = kldiv::discrete_options{}.with_tolerance(1e-3);
  const auto expect_close = [n](const char* what, double got, double want) {
    if (std::isinf(want)) {
      EXPECT_EQ(got, want) << what << ", n = " << n;
    } else {
      EXPECT_NEAR(got, want, 1e-13 * want + 1e-300) << what << ", n = " << n;
    }
  };
  expect_close("kl", kldiv::kl(ps, qs, opt),
               kldiv::detail::kl_reference(ps, qs, opt));
  expect_close("cross_entropy", kldiv::cross_entropy(ps, qs, opt),
               kldiv::detail::cross_entropy_reference(ps, qs, opt));
  expect_close("entropy", kldiv::entropy(ps, opt),
               kldiv::detail::entropy_reference(ps, opt));
  for (kldiv::measure m :
       {kldiv::measure::total_variation, kldiv::measure::chi2_pearson,
        kldiv::measure::hellinger, kldiv::measure::bhattacharyya_coefficient}) {
    expect_close(std::string(kldiv::name(m)).c_str(),
                 kldiv::evaluate(m, ps, qs, opt),
                 kldiv::detail::scalar_reference(m, ps, qs, opt));
  }
}

TEST(SimdKl, SmallSizesUnalignedOnEveryTarget) {
  on_every_target([] {
    for (std::size_t n = 1; n <= 3 * kMaxLanes + 1; ++n) {
      for (std::size_t offset = 0; offset < 3; ++offset) {
        expect_kernel_matches_reference<double>(n, offset, 0.0, false,
                                                static_cast<unsigned>(n));
        expect_kernel_matches_reference<float>(n, offset, 0.0, false,
                                               static_cast<unsigned>(n));
        expect_kernel_matches_reference<double>(n, offset, 0.3, false,
                                                static_cast<unsigned>(n + 99));
      }
    }
  });
}

TEST(SimdKl, LargeSizesZerosAndSubnormalsOnEveryTarget) {
  on_every_target([] {
    for (std::size_t n : {1000u, 8191u, 8192u, 8193u, 100000u}) {
      expect_kernel_matches_reference<double>(n, 1, 0.0, false, 1);
      expect_kernel_matches_reference<double>(n, 1, 0.2, false, 2);
      expect_kernel_matches_reference<double>(n, 0, 0.1, true, 3);
      expect_kernel_matches_reference<float>(n, 1, 0.2, false, 4);
      expect_kernel_matches_reference<float>(n, 0, 0.1, true, 5);
    }
  });
}

TEST(SimdKl, NearlyEqualInputsKeepTheirDigitsOnEveryTarget) {
  on_every_target([] {
    // q = p (1 + e_i), tiny e: KL ~ 1e-20, all in the series branch.
    std::mt19937_64 rng(7);
    auto p = distribution<double>(rng, 20000, 0.0, false);
    std::vector<double> q(p);
    std::uniform_real_distribution<double> e(-1e-10, 1e-10);
    for (auto& x : q) x *= 1 + e(rng);
    const auto opt = kldiv::discrete_options{}.with_tolerance(1e-6);
    const double want = kldiv::detail::kl_reference(p, q, opt);
    EXPECT_GT(want, 0.0);
    EXPECT_NEAR(kldiv::kl(p, q, opt), want, 1e-12 * want);
  });
}

// The contract at the top of src/simd/kl-inl.h, term by term: each pair of
// tests/data/kl_terms.json (tools/gen_kl_terms.py, mpmath) alone through the
// kernel, within 4 ulp where 5 |p - q| < p + q and 16 ulp elsewhere.
TEST(SimdKl, EachTermWithinItsUlpBoundOnEveryTarget) {
  std::ifstream in(std::string(KLDIV_TEST_DATA_DIR) + "/kl_terms.json");
  ASSERT_TRUE(in) << "tests/data/kl_terms.json";
  const auto cases = nlohmann::json::parse(in).at("cases");
  ASSERT_GT(cases.size(), 1000u);
  const auto hex = [](const nlohmann::json& v) {
    return std::strtod(v.get<std::string>().c_str(), nullptr);
  };
  on_every_target([&] {
    double worst_near = 0, worst_far = 0;
    for (const auto& c : cases) {
      const double p = hex(c[0]), q = hex(c[1]), want = hex(c[2]);
      kldiv::detail::kl_partial out;
      kldiv::detail::kl_block(&p, &q, 1, &out);
      ASSERT_FALSE(out.odd || out.bad) << p << ", " << q;
      const double ulps =
          std::fabs(static_cast<double>(std::bit_cast<std::int64_t>(out.g) -
                                        std::bit_cast<std::int64_t>(want)));
      const bool near = 5 * std::fabs(p - q) < p + q;
      EXPECT_LE(ulps, near ? 4 : 16)
          << std::hexfloat << "p = " << p << ", q = " << q << ": g = " << out.g
          << ", want " << want;
      (near ? worst_near : worst_far) =
          std::max(near ? worst_near : worst_far, ulps);
    }
    RecordProperty("worst_ulp_near_" + kldiv::simd_target(),
                   std::to_string(worst_near));
    RecordProperty("worst_ulp_far_" + kldiv::simd_target(),
                   std::to_string(worst_far));
  });
}

TEST(SimdKl, EdgeTableInsideTheKernel) {
  on_every_target([] {
    // p = 0 with q = 0, p = 0 < q, and p > 0 = q, at every lane position.
    for (std::size_t pos = 0; pos < 2 * kMaxLanes; ++pos) {
      std::vector<double> p(2 * kMaxLanes, 1.0 / (2 * kMaxLanes - 1));
      std::vector<double> q(p);
      p[pos] = 0.0;
      q[pos] = 0.0;
      p[(pos + 1) % p.size()] *= 2;
      q[(pos + 1) % p.size()] *= 2;
      const auto opt = kldiv::discrete_options{}.with_tolerance(0.2);
      EXPECT_EQ(kldiv::kl(p, q, opt), 0.0);
      EXPECT_EQ(kldiv::cross_entropy(p, q, opt), kldiv::entropy(p, opt));
      q[(pos + 2) % q.size()] = 0.0;
      EXPECT_EQ(kldiv::kl(p, q, opt), std::numeric_limits<double>::infinity());
      EXPECT_EQ(kldiv::cross_entropy(p, q, opt),
                std::numeric_limits<double>::infinity());
    }
  });
}

TEST(SimdKl, ErrorsNameTheFirstBadEntry) {  // for every kernel
  on_every_target([] {
    std::vector<double> p(100, 0.01), q(100, 0.01);
    p[37] = -0.2;
    p[90] = -0.5;
    for (int which = 0; which < 3; ++which) {
      try {
        if (which == 0) kldiv::kl(p, q);
        if (which == 1) kldiv::cross_entropy(p, q);
        if (which == 2) kldiv::entropy(p);
        ADD_FAILURE() << "no exception from kernel " << which;
      } catch (const kldiv::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "p[37] = -0.2: probabilities must be >= 0");
      }
    }
  });
}

TEST(SimdKl, BitIdenticalForAnyThreadCount) {
  std::mt19937_64 rng(11);
  const auto p = distribution<double>(rng, 1'000'003, 0.1, false);
  const auto q = distribution<double>(rng, 1'000'003, 0.0, false);
  const auto on = [&](int t) {
    const auto opt = kldiv::discrete_options{}.with_threads(t);
    return std::vector<double>{kldiv::kl(p, q, opt),
                               kldiv::cross_entropy(p, q, opt),
                               kldiv::entropy(p, opt),
                               kldiv::total_variation(p, q, opt),
                               kldiv::chi2_pearson(p, q, opt),
                               kldiv::hellinger(p, q, opt),
                               kldiv::bhattacharyya_coefficient(p, q, opt)};
  };
  const auto one = on(1);
  for (int t : {2, 7}) {
    const auto many = on(t);
    for (std::size_t k = 0; k < one.size(); ++k) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(one[k]),
                std::bit_cast<std::uint64_t>(many[k]))
          << "measure " << k << ", " << t << " threads";
    }
  }
}

TEST(SimdKl, BatchesOfShortRowsSpreadOverThreads) {
  std::mt19937_64 rng(13);
  const std::size_t rows = 300, cols = 1000;
  std::vector<double> p, q;
  for (std::size_t r = 0; r < rows; ++r) {
    auto a = distribution<double>(rng, cols, 0.1, false);
    auto b = distribution<double>(rng, cols, 0.0, false);
    p.insert(p.end(), a.begin(), a.end());
    q.insert(q.end(), b.begin(), b.end());
  }
  const auto pm = kldiv::dmatrix::dense(p.data(), rows, cols);
  const auto qm = kldiv::dmatrix::dense(q.data(), rows, cols);
  const auto one = kldiv::kl(pm, qm, kldiv::discrete_options{}.with_threads(1));
  for (std::size_t r = 0; r < rows; r += 37) {
    EXPECT_EQ(one[r], kldiv::kl(std::span<const double>(&p[r * cols], cols),
                                std::span<const double>(&q[r * cols], cols)));
  }
  for (int t : {2, 7}) {
    EXPECT_EQ(kldiv::kl(pm, qm, kldiv::discrete_options{}.with_threads(t)),
              one);
    EXPECT_EQ(
        kldiv::cross_entropy(pm, qm, kldiv::discrete_options{}.with_threads(t)),
        kldiv::cross_entropy(pm, qm,
                             kldiv::discrete_options{}.with_threads(1)));
  }
  p[150 * cols + 3] = -0.5;
  p[200 * cols + 3] = -0.5;
  try {
    kldiv::kl(pm, qm);
    ADD_FAILURE() << "no exception";
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "p[150][3] = -0.5: probabilities must be >= 0");
  }
}

TEST(SimdTargets, UnknownTargetIsAnError) {
  try {
    kldiv::limit_simd_target("NEON");
    ADD_FAILURE() << "no exception";
  } catch (const kldiv::InvalidArgument& e) {
    EXPECT_THAT(e.what(),
                testing::StartsWith("SIMD target 'NEON' is not "
                                    "available here: choose one of "));
  }
}

}  // namespace
