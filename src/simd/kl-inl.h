// The vector kernel of KL(p‖q): one block of p and q (double or float) in,
// the block's partial sums out. Re-included once per SIMD target by
// foreach_target.h (see dispatch.cpp); no SIMD type leaves this file.
//
// Numerical contract (per block, probabilities as given):
//   g   = Σ g(p_i, q_i), g(p, q) = p log(p/q) - p + q >= 0 with the edge table
//         (g(0, q) = q, g(p > 0, 0) = +inf); each term within 64 ulp of the
//         exact value, and within a few ulp where |p - q| <= q / 16 (a series
//         in x = (p - q)/q, so that near-equal inputs keep their digits);
//   d   = Σ (p_i - q_i), compensated (Neumaier, per lane);
//   sp, sq = Σ p_i, Σ q_i;
//   bad = some entry is negative, NaN or infinite (the caller then finds and
//         reports it);
//   odd = the block held a subnormal or a ratio p/q (1/q where p = 0) beyond
//         2^±1000, where the vector formula is not accurate: the block must
//         be redone by the scalar reference (rare: only data with such values
//         pays for it).

// Per-target include guard (the Highway idiom).
#if defined(KLDIV_SIMD_KL_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef KLDIV_SIMD_KL_INL_H_
#undef KLDIV_SIMD_KL_INL_H_
#else
#define KLDIV_SIMD_KL_INL_H_
#endif

#include <cmath>
#include <cstddef>
#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "simd/kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace kldiv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Loads Lanes(d) values of T from `ptr` as doubles.
template <class D>
HWY_INLINE hn::Vec<D> load_as_double(D d, const double* ptr) {
  return hn::LoadU(d, ptr);
}
template <class D>
HWY_INLINE hn::Vec<D> load_as_double(D d, const float* ptr) {
  const hn::Rebind<float, D> df;
  return hn::PromoteTo(d, hn::LoadU(df, ptr));
}

// Calls step(p, q) for each vector of n values of p and q (as doubles), the
// last one zero-padded: p = q = 0 adds nothing to any of the kernels' sums.
template <class D, class T, class Step>
HWY_INLINE void for_each_vector(D d, const T* HWY_RESTRICT p,
                                const T* HWY_RESTRICT q, std::size_t n,
                                Step step) {
  const std::size_t lanes = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    step(load_as_double(d, p + i), load_as_double(d, q + i));
  }
  if (i < n) {
    HWY_ALIGN T pt[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN T qt[HWY_MAX_BYTES / sizeof(double)] = {};
    for (std::size_t k = 0; i + k < n; ++k) {
      pt[k] = p[i + k];
      qt[k] = q[i + k];
    }
    step(load_as_double(d, pt), load_as_double(d, qt));
  }
}

// What every kernel tracks for the checks: Σp and Σq (for the sum check, and
// where NaN and +inf show) and the least p and q (where negatives show),
// folded into `out` once per block.
template <class D>
struct block_checks {
  using V = hn::Vec<D>;
  V sp, sq, min_p, min_q;

  explicit block_checks(D d)
      : sp(hn::Zero(d)),
        sq(hn::Zero(d)),
        min_p(hn::Zero(d)),
        min_q(hn::Zero(d)) {}

  HWY_INLINE void add(V p, V q) {
    min_p = hn::Min(min_p, p);
    min_q = hn::Min(min_q, q);
    sp = hn::Add(sp, p);
    sq = hn::Add(sq, q);
  }

  HWY_INLINE void finish(D d, kl_partial* out) const {
    out->sp = hn::GetLane(hn::SumOfLanes(d, sp));
    out->sq = hn::GetLane(hn::SumOfLanes(d, sq));
    out->bad = hn::GetLane(hn::MinOfLanes(d, min_p)) < 0.0 ||
               hn::GetLane(hn::MinOfLanes(d, min_q)) < 0.0 ||
               !std::isfinite(out->sp) || !std::isfinite(out->sq);
  }
};

// The lane sums of one block, accumulated vector by vector.
template <class D>
struct kl_lanes {
  using V = hn::Vec<D>;
  V g, d_sum, d_comp;
  block_checks<D> checks;
  // Running extremes, checked once per block (cheaper than per-vector masks):
  // the least nonzero p or q (subnormal: odd) and the extreme ratios (beyond
  // 2^±1000: odd).
  V min_safe, max_ratio, min_ratio;

  explicit kl_lanes(D d)
      : g(hn::Zero(d)),
        d_sum(hn::Zero(d)),
        d_comp(hn::Zero(d)),
        checks(d),
        min_safe(hn::Set(d, 1.0)),
        max_ratio(hn::Set(d, 1.0)),
        min_ratio(hn::Set(d, 1.0)) {}

  HWY_INLINE void add(D d, V p, V q) {
    const V zero = hn::Zero(d);
    const V one = hn::Set(d, 1.0);

    checks.add(p, q);

    // Σ (p - q), Neumaier per lane.
    const V diff = hn::Sub(p, q);
    const V t = hn::Add(d_sum, diff);
    const auto bigger = hn::Ge(hn::Abs(d_sum), hn::Abs(diff));
    d_comp =
        hn::Add(d_comp, hn::IfThenElse(bigger, hn::Add(hn::Sub(d_sum, t), diff),
                                       hn::Add(hn::Sub(diff, t), d_sum)));
    d_sum = t;

    const auto p_zero = hn::Eq(p, zero);
    const auto q_zero = hn::Eq(q, zero);
    const V q_safe = hn::IfThenElse(q_zero, one, q);
    const V p_safe = hn::IfThenElse(p_zero, one, p);
    const V inv_q = hn::Div(one, q_safe);
    const V ratio = hn::Mul(p_safe, inv_q);
    const V x = hn::Mul(diff, inv_q);

    // For the block's check of what the vector formula cannot take
    // (subnormal p or q, a ratio whose log would need log p - log q).
    min_safe = hn::Min(min_safe, hn::Min(p_safe, q_safe));
    max_ratio = hn::Max(max_ratio, ratio);
    min_ratio = hn::Min(min_ratio, ratio);

    // Far from p = q: p log(p/q) + (q - p).
    const V far = hn::MulAdd(p_safe, hn::Log(d, ratio), hn::Neg(diff));
    // Near p = q (|x| <= 1/16): q phi(x), phi(x) = (1 + x) log1p(x) - x
    // = x^2 (1/2 - x/6 + x^2/12 - ...) = x^2 Σ_j (-x)^j / ((j + 1)(j + 2)),
    // 13 terms (16^-12 / 182 < 2e-17), no division.
    // Evaluated only when some lane needs it.
    const auto is_near = hn::Le(hn::Abs(x), hn::Set(d, 1.0 / 16));
    V term = far;
    if (!hn::AllFalse(d, is_near)) {
      V s = hn::Set(d, 1.0 / (13.0 * 14.0));
      for (int j = 11; j >= 0; --j) {
        const double c = ((j % 2) ? -1.0 : 1.0) / ((j + 1.0) * (j + 2.0));
        s = hn::MulAdd(s, x, hn::Set(d, c));
      }
      const V near = hn::Mul(hn::Mul(q_safe, hn::Mul(x, x)), s);
      term = hn::IfThenElse(is_near, near, far);
    }
    term = hn::IfThenElse(p_zero, q, term);
    term = hn::IfThenElse(hn::AndNot(p_zero, q_zero),
                          hn::Set(d, std::numeric_limits<double>::infinity()),
                          term);
    g = hn::Add(g, term);
  }
};

template <class T>
HWY_NOINLINE void kl_block_impl(const T* HWY_RESTRICT p,
                                const T* HWY_RESTRICT q, std::size_t n,
                                kl_partial* out) {
  const hn::ScalableTag<double> d;
  kl_lanes<decltype(d)> acc(d);
  for_each_vector(d, p, q, n, [&](auto pv, auto qv) { acc.add(d, pv, qv); });
  out->g = hn::GetLane(hn::SumOfLanes(d, acc.g));
  out->d_sum = hn::GetLane(hn::SumOfLanes(d, acc.d_sum));
  out->d_comp = hn::GetLane(hn::SumOfLanes(d, acc.d_comp));
  acc.checks.finish(d, out);
  out->odd = hn::GetLane(hn::MinOfLanes(d, acc.min_safe)) <
                 std::numeric_limits<double>::min() ||
             hn::GetLane(hn::MaxOfLanes(d, acc.max_ratio)) > 0x1p1000 ||
             hn::GetLane(hn::MinOfLanes(d, acc.min_ratio)) < 0x1p-1000;
}

// Cross-entropy over one block: out->g = Σ -p log q (0 where p = 0, +inf
// where p > 0 = q; every term >= 0 for q <= 1, within 4 ulp), with sp, sq
// and bad as for KL; entropy is the case q = p.
template <class T>
HWY_NOINLINE void xent_block_impl(const T* HWY_RESTRICT p,
                                  const T* HWY_RESTRICT q, std::size_t n,
                                  kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V zero = hn::Zero(d);
  const V one = hn::Set(d, 1.0);
  const V inf = hn::Set(d, std::numeric_limits<double>::infinity());
  V sum = zero;
  block_checks<decltype(d)> checks(d);
  for_each_vector(d, p, q, n, [&](V pv, V qv) {
    checks.add(pv, qv);
    const auto p_zero = hn::Eq(pv, zero);
    const auto q_zero = hn::Eq(qv, zero);
    const V log_q = hn::Log(d, hn::IfThenElse(q_zero, one, qv));
    V term = hn::Neg(hn::Mul(pv, log_q));
    term = hn::IfThenElse(hn::AndNot(p_zero, q_zero), inf, term);
    sum = hn::Add(sum, hn::IfThenZeroElse(p_zero, term));
  });
  *out = kl_partial{};
  out->g = hn::GetLane(hn::SumOfLanes(d, sum));
  checks.finish(d, out);
}

// Sums of one term per entry, one kernel per measure (`which`, see
// kernels.hpp), into out->g, with sp, sq and bad as for KL:
//   total variation  |p - q|                      (exact but for one rounding)
//   chi2 Pearson     (p - q)^2 / q as d (d / q)   (+inf where q = 0 < p)
//   hellinger        (sqrt p - sqrt q)^2 as (d / (sqrt p + sqrt q))^2
//   bhattacharyya    sqrt p sqrt q
// each within a few ulp; no term can cancel against another.
template <int which, class T>
HWY_NOINLINE void sum_block_impl(const T* HWY_RESTRICT p,
                                 const T* HWY_RESTRICT q, std::size_t n,
                                 kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V zero = hn::Zero(d);
  V sum = zero;
  block_checks<decltype(d)> checks(d);
  for_each_vector(d, p, q, n, [&](V pv, V qv) {
    checks.add(pv, qv);
    const V diff = hn::Sub(pv, qv);
    V term;
    if constexpr (which == sum_total_variation) {
      term = hn::Abs(diff);
    } else if constexpr (which == sum_chi2_pearson) {
      const auto q_zero = hn::Eq(qv, zero);
      const V ratio =
          hn::Div(diff, hn::IfThenElse(q_zero, hn::Set(d, 1.0), qv));
      term = hn::Mul(diff, ratio);
      // q = 0: 0 where p = 0 too, +inf where p > 0.
      term = hn::IfThenElse(
          q_zero,
          hn::IfThenElseZero(
              hn::Gt(pv, zero),
              hn::Set(d, std::numeric_limits<double>::infinity())),
          term);
    } else if constexpr (which == sum_hellinger) {
      const V roots = hn::Add(hn::Sqrt(pv), hn::Sqrt(qv));
      const auto both_zero = hn::Eq(roots, zero);
      const V r =
          hn::Div(diff, hn::IfThenElse(both_zero, hn::Set(d, 1.0), roots));
      term = hn::Mul(r, r);
    } else {
      term = hn::Mul(hn::Sqrt(pv), hn::Sqrt(qv));
    }
    sum = hn::Add(sum, term);
  });
  *out = kl_partial{};
  out->g = hn::GetLane(hn::SumOfLanes(d, sum));
  checks.finish(d, out);
}

// The run-time `which` to the kernel compiled for it.
template <class T>
HWY_INLINE void sum_block_any(int which, const T* p, const T* q, std::size_t n,
                              kl_partial* out) {
  switch (which) {
    case sum_total_variation:
      return sum_block_impl<sum_total_variation>(p, q, n, out);
    case sum_chi2_pearson:
      return sum_block_impl<sum_chi2_pearson>(p, q, n, out);
    case sum_hellinger:
      return sum_block_impl<sum_hellinger>(p, q, n, out);
    default:
      return sum_block_impl<sum_bhattacharyya>(p, q, n, out);
  }
}

HWY_NOINLINE void sum_block_f64(int which, const double* p, const double* q,
                                std::size_t n, kl_partial* out) {
  sum_block_any(which, p, q, n, out);
}
HWY_NOINLINE void sum_block_f32(int which, const float* p, const float* q,
                                std::size_t n, kl_partial* out) {
  sum_block_any(which, p, q, n, out);
}

HWY_NOINLINE void xent_block_f64(const double* p, const double* q,
                                 std::size_t n, kl_partial* out) {
  xent_block_impl(p, q, n, out);
}
HWY_NOINLINE void xent_block_f32(const float* p, const float* q, std::size_t n,
                                 kl_partial* out) {
  xent_block_impl(p, q, n, out);
}

HWY_NOINLINE void kl_block_f64(const double* p, const double* q, std::size_t n,
                               kl_partial* out) {
  kl_block_impl(p, q, n, out);
}
HWY_NOINLINE void kl_block_f32(const float* p, const float* q, std::size_t n,
                               kl_partial* out) {
  kl_block_impl(p, q, n, out);
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KLDIV_SIMD_KL_INL_H_
