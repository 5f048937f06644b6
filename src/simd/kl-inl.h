// The vector kernel of KL(p‖q): one block of p and q (double or float) in,
// the block's partial sums out. Re-included once per SIMD target by
// foreach_target.h (see dispatch.cpp); no SIMD type leaves this file.
//
// Numerical contract (per block, probabilities as given):
//   g   = Σ g(p_i, q_i), g(p, q) = p log(p/q) - p + q >= 0 with the edge table
//         (g(0, q) = q, g(p > 0, 0) = +inf); each term within 16 ulp of the
//         exact value, and within 4 ulp where 5 |p - q| < p + q (a formula
//         without cancellation there, see kl_lanes); tests/test_simd.cpp
//         checks terms against mpmath (tests/data/kl_terms.json);
//   d   = Σ (p_i - q_i), compensated (2Sum, per lane);
//   sp, sq = Σ p_i, Σ q_i (for the sum check only);
//   bad = some entry is NaN or infinite, or (in a block that is not odd)
//         negative (the caller then finds and reports it);
//   odd = the block held a subnormal, a q = 0 < p (its term is +inf) or a
//         negative value: the block must be redone by the scalar reference,
//         which then checks it (rare: only data with such values pays for
//         it).

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

// Coefficients of D(w) = (atanh(t)/t - 1)/w, w = t^2, on 0 <= w <= 0.0403
// (|t| <= 0.2004), w^0 first: tools/gen_kl_poly.py (degree 7, relative error
// 2^-54 after rounding the coefficients to double).
constexpr double kAtanhD[] = {
    0.3333333333333333,  0.20000000000004114, 0.14285714283573475,
    0.11111111534886074, 0.09090867974834849, 0.0769446730129734,
    0.06604199001390682, 0.06809533021415161,
};

// The lane sums of one block, accumulated vector by vector.
//
// Every term goes through one division t = (p - c)/(p + c), with c = q where
// 5 |p - q| < p + q ("near": t is z = (p - q)/(p + q), |z| < 1/5) and
// elsewhere c = 2^k q for the integer k that brings p/c within
// [2^-0.586, 2^0.586] (k rounds the difference of the bit patterns of p and
// q, read as integers, to a multiple of 2^52; |t| <= 0.2004). With w = t^2
// and atanh(t) = t (1 + w D(w)), one polynomial serves both:
//   near: p = s (1 + z)/2, q = s (1 - z)/2 with s = p + q, and
//         g = s ((1 + z) atanh(z) - z) = s (w + w D (w + z)): no
//         cancellation at all (every part >= 0 or small against w);
//   far:  log(p/q) = k log 2 + 2 atanh(t), g = p log(p/q) - (p - q) (one
//         FMA): |log(p/q)| > log 1.5 here, so the cancellation costs at most
//         a factor ~6 on the error of the log.
// p = 0 takes g = q by a select (also where q = 0). p or q subnormal, q = 0
// < p (g = +inf), or a negative value put `low` below DBL_MIN: such a block is
// "odd" and goes back to the scalar reference whole.
template <class D>
struct kl_lanes {
  using V = hn::Vec<D>;
  V g, d_sum, d_comp, s_sum, low;

  explicit kl_lanes(D d)
      : g(hn::Zero(d)),
        d_sum(hn::Zero(d)),
        d_comp(hn::Zero(d)),
        s_sum(hn::Zero(d)),
        low(hn::Set(d, 1.0)) {}

  HWY_INLINE void add(D d, V p, V q) {
    const hn::RebindToSigned<D> di;
    const V diff = hn::Sub(p, q);
    const V s = hn::Add(p, q);

    // Σ (p - q) by 2Sum per lane (no magnitude test needed); Σ (p + q), the
    // checks' sum (NaN and inf show there; Σp and Σq are (S ± Σd)/2).
    const V d_new = hn::Add(d_sum, diff);
    const V d_back = hn::Sub(d_new, d_sum);
    d_comp = hn::Add(d_comp, hn::Add(hn::Sub(d_sum, hn::Sub(d_new, d_back)),
                                     hn::Sub(diff, d_back)));
    d_sum = d_new;
    s_sum = hn::Add(s_sum, s);

    // The least of min(p, q) where p != 0, of q + DBL_MIN where p = 0.
    const auto p_zero = hn::Eq(p, hn::Zero(d));
    low = hn::Min(
        low,
        hn::IfThenElse(
            p_zero, hn::Add(q, hn::Set(d, std::numeric_limits<double>::min())),
            hn::Min(p, q)));

    // k = round((bits(p) - bits(q)) / 2^52); c = 2^k q (exact for normal
    // values, and the kernel sees no others but where p = 0).
    const auto bq = hn::BitCast(di, q);
    const auto k = hn::ShiftRight<52>(hn::Add(hn::Sub(hn::BitCast(di, p), bq),
                                              hn::Set(di, int64_t{1} << 51)));
    const V scaled_q = hn::BitCast(d, hn::Add(bq, hn::ShiftLeft<52>(k)));
    // Not IfNegativeThenElse: Highway 1.0.3's SSSE3 version blends all bits.
    const auto is_near = hn::Lt(hn::Mul(hn::Abs(diff), hn::Set(d, 5.0)), s);
    const V c = hn::IfThenElse(is_near, q, scaled_q);
    const V t = hn::Div(hn::Sub(p, c), hn::Add(p, c));
    const V w = hn::Mul(t, t);

    V poly = hn::Set(d, kAtanhD[7]);
    for (int j = 6; j >= 0; --j) {
      poly = hn::MulAdd(poly, w, hn::Set(d, kAtanhD[j]));
    }
    const V wd = hn::Mul(w, poly);  // atanh(t) = t + t wd

    const V near = hn::Mul(s, hn::MulAdd(wd, hn::Add(w, t), w));
    const V two_t = hn::Add(t, t);
    const V log_ratio =
        hn::MulAdd(hn::ConvertTo(d, k), hn::Set(d, 0.69314718055994530942),
                   hn::MulAdd(two_t, wd, two_t));
    const V far = hn::MulSub(p, log_ratio, diff);
    g = hn::Add(g,
                hn::IfThenElse(p_zero, q, hn::IfThenElse(is_near, near, far)));
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
  const double sum = hn::GetLane(hn::SumOfLanes(d, acc.s_sum));
  const double diff = out->d_sum + out->d_comp;
  out->sp = 0.5 * (sum + diff);
  out->sq = 0.5 * (sum - diff);
  const double low = hn::GetLane(hn::MinOfLanes(d, acc.low));
  out->bad = !std::isfinite(sum) || low < 0.0;
  out->odd = !(low >= std::numeric_limits<double>::min());
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
