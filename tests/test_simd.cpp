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

// Every measure, with the parameters that take its kernel down each of its
// paths, by the kernels (evaluate runs the public functions) and by the
// scalar reference.
template <class T>
void expect_every_measure_matches(std::span<const T> p, std::span<const T> q,
                                  const kldiv::discrete_options& opt,
                                  const std::string& what) {
  const auto expect_close = [&](const std::string& name, double got,
                                double want) {
    if (std::isinf(want)) {
      EXPECT_EQ(got, want) << name << ", " << what << ", n = " << p.size();
    } else {
      EXPECT_NEAR(got, want, 1e-13 * want + 1e-300)
          << name << ", " << what << ", n = " << p.size();
    }
  };
  for (kldiv::measure m : kldiv::all_measures()) {
    std::vector<kldiv::measure_params> params{{}};
    if (m == kldiv::measure::renyi) {
      params = {
          {.alpha = 0.0},   {.alpha = 0.5},
          {.alpha = 0.999}, {.alpha = 1.0},
          {.alpha = 1.001}, {.alpha = 2.0},
          {.alpha = 30.0},  {.alpha = std::numeric_limits<double>::infinity()}};
    } else if (m == kldiv::measure::js_divergence ||
               m == kldiv::measure::js_distance) {
      params = {{}, {.weights = {0.3, 0.7}}, {.weights = {0.99, 0.01}}};
    }
    for (const auto& par : params) {
      expect_close(std::string(kldiv::name(m)) + " (alpha " +
                       std::to_string(par.alpha) + ", pi1 " +
                       std::to_string(par.weights.pi1) + ")",
                   kldiv::evaluate(m, p, q, opt, par),
                   kldiv::detail::scalar_reference(m, p, q, opt, par));
    }
  }
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
  expect_every_measure_matches(ps, qs, opt, "probabilities");
}

// Weights, counts and smoothed inputs (mapped to probabilities block by
// block before the kernels see them) against the scalar reference.
template <class T>
void expect_kinds_match_reference(std::size_t n, std::size_t offset,
                                  double zeros, unsigned seed) {
  std::mt19937_64 rng(seed);
  const auto p = distribution<double>(rng, n, zeros, false);
  const auto q = distribution<double>(rng, n, zeros / 2, false);
  std::vector<T> pw(offset), qw(offset), pc(offset), qc(offset);
  std::vector<T> pp(offset), qp(offset);
  for (std::size_t i = 0; i < n; ++i) {
    pw.push_back(static_cast<T>(p[i] * 37.5));
    qw.push_back(static_cast<T>(q[i] * 0.01));
    pc.push_back(
        static_cast<T>(std::floor(p[i] * 20.0 * static_cast<double>(n)) +
                       (i == 0 ? 1.0 : 0.0)));
    qc.push_back(
        static_cast<T>(std::floor(q[i] * 20.0 * static_cast<double>(n)) +
                       (i == 0 ? 1.0 : 0.0)));
    pp.push_back(static_cast<T>(p[i]));
    qp.push_back(static_cast<T>(q[i]));
  }
  const auto at = [&](const std::vector<T>& v) {
    return std::span<const T>(v.data() + offset, n);
  };
  using kldiv::discrete_options;
  using kldiv::smoothing;
  expect_every_measure_matches(at(pw), at(qw), discrete_options{}.normalize(),
                               "weights");
  expect_every_measure_matches(at(pc), at(qc), discrete_options{}.counts(),
                               "counts");
  expect_every_measure_matches(
      at(pc), at(qc),
      discrete_options{}.counts().smoothed(smoothing::additive(0.5)),
      "counts, additive 0.5");
  expect_every_measure_matches(at(pp), at(qp),
                               discrete_options{}.with_tolerance(1e-3).smoothed(
                                   smoothing::uniform_mix(0.01)),
                               "probabilities, uniform mix 0.01");
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
        expect_kinds_match_reference<double>(n, offset, 0.2,
                                             static_cast<unsigned>(n + 7));
        expect_kinds_match_reference<float>(n, offset, 0.0,
                                            static_cast<unsigned>(n + 8));
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
      expect_kinds_match_reference<double>(n, 1, 0.1, 6);
      expect_kinds_match_reference<float>(n, 0, 0.1, 7);
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
    for (kldiv::measure m : kldiv::all_measures()) {
      try {
        kldiv::evaluate(m, p, q);
        ADD_FAILURE() << "no exception from " << kldiv::name(m);
      } catch (const kldiv::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "p[37] = -0.2: probabilities must be >= 0")
            << kldiv::name(m);
      }
    }
    // Counts: a bad entry in q, after a p that is fine; a q of zeros.
    std::vector<double> pc(100, 3.0), qc(100, 2.0);
    qc[61] = std::numeric_limits<double>::quiet_NaN();
    qc[70] = -1.0;
    const auto counts = kldiv::discrete_options{}.counts();
    for (kldiv::measure m : kldiv::all_measures()) {
      if (!kldiv::uses_q(m)) continue;
      try {
        kldiv::evaluate(m, pc, qc, counts);
        ADD_FAILURE() << "no exception from " << kldiv::name(m);
      } catch (const kldiv::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "q[61] = nan: counts must be finite")
            << kldiv::name(m);
      }
    }
    std::fill(qc.begin(), qc.end(), 0.0);
    for (kldiv::measure m : kldiv::all_measures()) {
      if (!kldiv::uses_q(m)) continue;
      try {
        kldiv::evaluate(m, pc, qc, counts);
        ADD_FAILURE() << "no exception from " << kldiv::name(m);
      } catch (const kldiv::InvalidArgument& e) {
        EXPECT_STREQ(e.what(),
                     "q sums to 0: counts need a positive, finite total")
            << kldiv::name(m);
      }
    }
  });
}

TEST(SimdKl, BitIdenticalForAnyThreadCount) {
  std::mt19937_64 rng(11);
  const auto p = distribution<double>(rng, 1'000'003, 0.1, false);
  const auto q = distribution<double>(rng, 1'000'003, 0.0, false);
  std::vector<double> pc(p.size()), qc(q.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    pc[i] = std::floor(p[i] * 3e6);
    qc[i] = std::floor(q[i] * 3e6) + 1;
  }
  const auto on = [&](int t) {
    std::vector<double> out;
    for (const auto& base :
         {kldiv::discrete_options{}, kldiv::discrete_options{}.counts()}) {
      const auto opt = kldiv::discrete_options(base).with_threads(t);
      const bool counts = opt.kind == kldiv::input_kind::counts;
      const auto& a = counts ? pc : p;
      const auto& b = counts ? qc : q;
      for (kldiv::measure m : kldiv::all_measures()) {
        for (double alpha : {0.0, 0.5, 2.0}) {
          if (alpha != 0.5 && m != kldiv::measure::renyi) continue;
          out.push_back(kldiv::evaluate(m, a, b, opt, {.alpha = alpha}));
        }
      }
      out.push_back(kldiv::js_divergence(a, b, opt, {0.3, 0.7}));
    }
    return out;
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

TEST(SimdKl, IdenticalInputsGiveExactlyZeroOnEveryTarget) {
  on_every_target([] {
    std::mt19937_64 rng(17);
    for (std::size_t n : {1u, 7u, 25u, 20000u}) {
      const auto p = distribution<double>(rng, n, 0.3, true);
      const auto opt = kldiv::discrete_options{}.with_tolerance(1e-3);
      for (kldiv::measure m : kldiv::all_measures()) {
        if (m == kldiv::measure::entropy ||
            m == kldiv::measure::cross_entropy ||
            m == kldiv::measure::bhattacharyya_coefficient) {
          continue;
        }
        for (double alpha :
             {0.0, 0.5, 2.0, std::numeric_limits<double>::infinity()}) {
          EXPECT_EQ(kldiv::evaluate(m, p, p, opt, {.alpha = alpha}), 0.0)
              << kldiv::name(m) << " alpha " << alpha << ", n = " << n;
        }
      }
    }
  });
}

TEST(SimdKl, NearlyEqualInputsKeepTheirDigitsInEveryMeasure) {
  on_every_target([] {
    std::mt19937_64 rng(19);
    auto p = distribution<double>(rng, 20000, 0.0, false);
    std::vector<double> q(p);
    std::uniform_real_distribution<double> e(-1e-9, 1e-9);
    for (auto& x : q) x *= 1 + e(rng);
    const auto opt = kldiv::discrete_options{}.with_tolerance(1e-6);
    for (kldiv::measure m : kldiv::all_measures()) {
      for (const kldiv::measure_params par :
           {kldiv::measure_params{},
            kldiv::measure_params{.alpha = 2.0, .weights = {0.2, 0.8}}}) {
        const double want = kldiv::detail::scalar_reference(m, p, q, opt, par);
        EXPECT_NEAR(kldiv::evaluate(m, p, q, opt, par), want, 1e-12 * want)
            << kldiv::name(m);
      }
    }
  });
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
  for (kldiv::measure m : kldiv::all_measures()) {
    const auto rows_1 =
        kldiv::evaluate(m, pm, qm, kldiv::discrete_options{}.with_threads(1));
    EXPECT_EQ(
        kldiv::evaluate(m, pm, qm, kldiv::discrete_options{}.with_threads(2)),
        rows_1)
        << kldiv::name(m);
    for (std::size_t r = 0; r < rows; r += 101) {
      EXPECT_EQ(rows_1[r],
                kldiv::evaluate(m, std::span<const double>(&p[r * cols], cols),
                                std::span<const double>(&q[r * cols], cols)))
          << kldiv::name(m);
    }
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

namespace {

// rel_entr's terms against p log(p/q) in long double, entry by entry, on
// every target: sizes 1 .. 3 * lanes + 1 and long, unaligned, zeros and
// subnormals (whose blocks the scalar loop redoes), float and double.
template <class T>
void expect_rel_entr_terms(std::size_t n, std::size_t offset, unsigned seed) {
  std::mt19937_64 rng(seed);
  auto p = distribution<T>(rng, n, 0.2, true);
  auto q = distribution<T>(rng, n, 0.1, true);
  std::vector<T> pb(offset), qb(offset), out(n + offset);
  pb.insert(pb.end(), p.begin(), p.end());
  qb.insert(qb.end(), q.begin(), q.end());
  const std::span<const T> ps(pb.data() + offset, n), qs(qb.data() + offset, n);
  const std::span<T> os(out.data() + offset, n);
  kldiv::rel_entr(ps, qs, os, kldiv::discrete_options{}.with_tolerance(1e-3));
  const double tol = std::is_same_v<T, float> ? 2e-7 : 1e-14;
  for (std::size_t i = 0; i < n; ++i) {
    const long double pi = ps[i], qi = qs[i];
    long double want = 0;
    if (pi > 0) {
      want = qi == 0 ? std::numeric_limits<long double>::infinity()
                     : pi * std::log(pi / qi);
    }
    if (std::isinf(static_cast<double>(want))) {
      ASSERT_EQ(os[i], static_cast<T>(want)) << "n = " << n << ", i = " << i;
    } else {
      ASSERT_NEAR(static_cast<double>(os[i]), static_cast<double>(want),
                  tol * std::fabs(static_cast<double>(want)) +
                      std::numeric_limits<T>::denorm_min())
          << "n = " << n << ", i = " << i;
    }
  }
}

TEST(SimdRelEntr, TermsOnEveryTarget) {
  on_every_target([] {
    for (std::size_t n = 1; n <= 3 * kMaxLanes + 1; ++n) {
      expect_rel_entr_terms<double>(n, n % 3, static_cast<unsigned>(n));
      expect_rel_entr_terms<float>(n, n % 3, static_cast<unsigned>(n));
    }
    expect_rel_entr_terms<double>(100003, 1, 7);
    expect_rel_entr_terms<float>(100003, 1, 8);
  });
}

TEST(SimdRelEntr, ErrorsNameTheFirstBadEntry) {
  std::vector<double> p(20000, 1.0 / 20000), q = p, out(20000);
  p[12345] = -0.5;
  EXPECT_THAT([&] { kldiv::rel_entr(p, q, out); },
              testing::ThrowsMessage<kldiv::InvalidArgument>(
                  testing::HasSubstr("p[12345] = -0.5")));
}

}  // namespace
