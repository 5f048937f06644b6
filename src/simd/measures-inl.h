// The vector kernels of the measures beyond KL, cross-entropy and the plain
// sums of kl-inl.h: Jensen–Shannon, Jeffreys, Rényi, the Bhattacharyya
// distance's sums, and the two helpers of weights, counts and smoothing (a
// block's compensated total, and the map from raw values to probabilities).
// Re-included once per SIMD target by foreach_target.h (see dispatch.cpp); no
// SIMD type leaves this file.
//
// Every kernel reads one block of p and q (double or float, promoted to
// double), fills a kl_partial (kernels.hpp) and reports, as the KL kernel
// does, `bad` (a negative, NaN or infinite entry: the caller redoes the work
// by the scalar path, whose checks name the entry) and `odd` (a subnormal, or
// a ratio beyond 2^±1000, where the vector formulas are not accurate: the
// caller redoes the block, or the vector, by the scalar reference). Terms are
// computed in double, each within a few ulp unless stated otherwise.

// Per-target include guard (the Highway idiom).
#if defined(KLDIV_SIMD_MEASURES_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef KLDIV_SIMD_MEASURES_INL_H_
#undef KLDIV_SIMD_MEASURES_INL_H_
#else
#define KLDIV_SIMD_MEASURES_INL_H_
#endif

#include <cmath>
#include <cstddef>
#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "simd/kernels.hpp"
#include "simd/kl-inl.h"  // load_as_double, for_each_vector, block_checks
#include "terms.hpp"      // compensated_sum

HWY_BEFORE_NAMESPACE();
namespace kldiv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr double kInfD = std::numeric_limits<double>::infinity();

// Neumaier's compensated sum, one per lane.
template <class D>
struct lane_sum {
  using V = hn::Vec<D>;
  V s, c;

  explicit lane_sum(D d) : s(hn::Zero(d)), c(hn::Zero(d)) {}

  HWY_INLINE void add(V x) {
    const V t = hn::Add(s, x);
    const auto bigger = hn::Ge(hn::Abs(s), hn::Abs(x));
    c = hn::Add(c, hn::IfThenElse(bigger, hn::Add(hn::Sub(s, t), x),
                                  hn::Add(hn::Sub(x, t), s)));
    s = t;
  }

  // The lanes' sums and compensations added in turn by Neumaier's method,
  // the result kept as sum + comp (not rounded to one double), so that it
  // keeps its digits even where the lanes' or the blocks' sums cancel.
  HWY_INLINE void finish(D d, double* sum, double* comp) const {
    HWY_ALIGN double buf[2 * HWY_MAX_BYTES / sizeof(double)];
    const std::size_t lanes = hn::Lanes(d);
    hn::Store(s, d, buf);
    hn::Store(c, d, buf + lanes);
    double hi = 0.0, lo = 0.0;
    for (std::size_t i = 0; i < 2 * lanes; ++i) {
      const double x = buf[i];
      const double t = hi + x;
      lo += std::fabs(hi) >= std::fabs(x) ? (hi - t) + x : (x - t) + hi;
      hi = t;
    }
    *sum = hi;
    *comp = lo;
  }
};

// What makes a block odd: a nonzero value below the least normal double, or
// an argument of log1p or log beyond 2^±1000. Tracked as running extremes and
// checked once per block.
template <class D>
struct odd_tracker {
  using V = hn::Vec<D>;
  V min_safe, max_arg, min_ratio;

  explicit odd_tracker(D d)
      : min_safe(hn::Set(d, 1.0)),
        max_arg(hn::Zero(d)),
        min_ratio(hn::Set(d, 1.0)) {}

  // `x` with its zeros replaced by 1.
  HWY_INLINE void nonzero(V x) { min_safe = hn::Min(min_safe, x); }
  HWY_INLINE void arg(V a) { max_arg = hn::Max(max_arg, a); }
  // A ratio whose log is wanted: beyond 2^±1000 is odd.
  HWY_INLINE void ratio(V r) {
    max_arg = hn::Max(max_arg, r);
    min_ratio = hn::Min(min_ratio, r);
  }

  HWY_INLINE bool odd(D d) const {
    return hn::GetLane(hn::MinOfLanes(d, min_safe)) <
               std::numeric_limits<double>::min() ||
           !(hn::GetLane(hn::MaxOfLanes(d, max_arg)) <= 0x1p1000) ||
           !(hn::GetLane(hn::MinOfLanes(d, min_ratio)) >= 0x1p-1000);
  }
};

// log(a / b) for normal a, b > 0 given |a - b| (exact or rounded once) and
// a < b: ±log1p(|a - b| / min(a, b)), within a few ulp of the result even
// where a is close to b (the argument is >= 0, where log1p is accurate, and
// a / b is never formed, so a tiny a loses nothing). `arg` receives the
// argument, for the odd check.
template <class D, class V, class M>
HWY_INLINE V log_ratio(D d, V abs_diff, V lo, M a_below, V* arg) {
  *arg = hn::Div(abs_diff, lo);
  const V l = hn::Log1p(d, *arg);
  return hn::IfThenElse(a_below, hn::Neg(l), l);
}

// ---- weights, counts and smoothing -----------------------------------------

// out->d_sum + out->d_comp = Σ x (compensated per lane), out->bad as for KL.
template <class T>
HWY_NOINLINE void total_block_impl(const T* HWY_RESTRICT x, std::size_t n,
                                   kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  lane_sum<decltype(d)> sum(d);
  V min_x = hn::Zero(d);
  for_each_vector(d, x, x, n, [&](V v, V) {
    min_x = hn::Min(min_x, v);
    sum.add(v);
  });
  *out = kl_partial{};
  sum.finish(d, &out->d_sum, &out->d_comp);
  // NaN and ±inf make the sum NaN or infinite.
  out->bad = hn::GetLane(hn::MinOfLanes(d, min_x)) < 0.0 ||
             !std::isfinite(out->d_sum + out->d_comp);
}

// out[i] = (x[i] + add) / divisor, then keep * out[i] + mix where mix != 0:
// the scalar value_map's operations in its order (no fused multiply-add).
template <class T>
HWY_NOINLINE void map_block_impl(const T* HWY_RESTRICT x, std::size_t n,
                                 const value_scale& s,
                                 double* HWY_RESTRICT out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V add = hn::Set(d, s.add), divisor = hn::Set(d, s.divisor);
  const V keep = hn::Set(d, s.keep), mix = hn::Set(d, s.mix);
  const bool mixing = s.mix != 0.0;
  const std::size_t lanes = hn::Lanes(d);
  std::size_t i = 0;
  const auto one = [&](V v) {
    V y = hn::Div(hn::Add(v, add), divisor);
    if (mixing) y = hn::Add(hn::Mul(keep, y), mix);
    return y;
  };
  for (; i + lanes <= n; i += lanes) {
    hn::StoreU(one(load_as_double(d, x + i)), d, out + i);
  }
  if (i < n) {
    HWY_ALIGN T xt[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN double yt[HWY_MAX_BYTES / sizeof(double)] = {};
    for (std::size_t k = 0; i + k < n; ++k) xt[k] = x[i + k];
    hn::Store(one(load_as_double(d, xt)), d, yt);
    for (std::size_t k = 0; i + k < n; ++k) out[i + k] = yt[k];
  }
}

// ---- Jensen–Shannon ---------------------------------------------------------

// JS over one block, out->g = Σ t(p, q) with m = w1 p + w2 q, z = (p - q)/m,
//   t = w1 p log(p/m) + w2 q log(q/m) = m [w1 phi(w2 z) + w2 phi(-w1 z)],
// phi(x) = (1 + x) log1p(x) - x >= 0, so every t >= 0 (0 where p = q, zeros
// included). Near p = q (|z| <= 1/2 for equal weights, 1/4 otherwise) t is a
// series in z with no cancellation, so that JS of nearly equal vectors keeps
// its digits; elsewhere the two logs cancel by at most a factor 2/|z| <= 8:
// each t within about 30 ulp. Odd: a subnormal p, q or m, or a ratio beyond
// 2^1000.
template <bool kEqual, class T>
HWY_NOINLINE void js_block_impl(const T* HWY_RESTRICT p,
                                const T* HWY_RESTRICT q, std::size_t n,
                                double w1, double w2, kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  // t = m z^2 Σ_k c_k z^k, c_k = [w1 (-w2)^j + w2 w1^j] / (j (j - 1)) with
  // j = k + 2; for equal weights only even j, as a series in z^2. The terms
  // fall as (|z| max(w1, w2))^k: 4^-24 / 650 < 1e-17 for 25 terms at
  // |z| <= 1/4, and for equal weights (|z|/2)^k likewise for 13 even terms
  // at |z| <= 1/2.
  constexpr int kTerms = kEqual ? 13 : 25;
  double c[kTerms];
  for (int k = 0; k < kTerms; ++k) {
    const int j = kEqual ? 2 * k + 2 : k + 2;
    const double jd = j;
    c[k] = (w1 * std::pow(-w2, jd) + w2 * std::pow(w1, jd)) / (jd * (jd - 1));
  }
  const V zero = hn::Zero(d);
  const V one = hn::Set(d, 1.0);
  const V vw1 = hn::Set(d, w1), vw2 = hn::Set(d, w2);
  const V near_limit = hn::Set(d, kEqual ? 0.5 : 0.25);
  V sum = zero;
  block_checks<decltype(d)> checks(d);
  odd_tracker<decltype(d)> odd(d);
  for_each_vector(d, p, q, n, [&](V pv, V qv) {
    checks.add(pv, qv);
    const auto p_zero = hn::Eq(pv, zero);
    const auto q_zero = hn::Eq(qv, zero);
    const V m = hn::MulAdd(vw1, pv, hn::Mul(vw2, qv));
    const auto m_zero = hn::Eq(m, zero);
    const V m_safe = hn::IfThenElse(m_zero, one, m);
    const V p_safe = hn::IfThenElse(p_zero, one, pv);
    const V q_safe = hn::IfThenElse(q_zero, one, qv);
    odd.nonzero(hn::Min(m_safe, hn::Min(p_safe, q_safe)));
    const V diff = hn::Sub(pv, qv);
    const V inv_m = hn::Div(one, m_safe);
    const V z = hn::Mul(diff, inv_m);
    const auto is_near = hn::Le(hn::Abs(z), near_limit);
    V term = zero;
    if (!hn::AllFalse(d, is_near)) {
      const V x = kEqual ? hn::Mul(z, z) : z;
      V s = hn::Set(d, c[kTerms - 1]);
      for (int k = kTerms - 2; k >= 0; --k)
        s = hn::MulAdd(s, x, hn::Set(d, c[k]));
      term = hn::Mul(hn::Mul(diff, z), s);
    }
    if (!hn::AllTrue(d, is_near)) {
      V lp, lq;
      if constexpr (kEqual) {
        // log(p/m), log(q/m) with p/m, q/m beyond [5/4, 3/4] or so: the
        // rounding of the ratio costs a few ulp of the log.
        const V rp = hn::Mul(p_safe, inv_m), rq = hn::Mul(q_safe, inv_m);
        odd.arg(hn::Max(rp, rq));
        lp = hn::Log(d, rp);
        lq = hn::Log(d, rq);
      } else {
        // p - m = w2 (p - q) and q - m = -w1 (p - q): the logs from these,
        // exact to a rounding or two, so that a ratio near 1 (a small weight)
        // keeps its digits.
        const auto p_below = hn::Lt(diff, zero);
        const V ad = hn::Abs(diff);
        V arg_p, arg_q;
        lp =
            log_ratio(d, hn::Mul(vw2, ad),
                      hn::IfThenElse(p_below, p_safe, m_safe), p_below, &arg_p);
        lq = log_ratio(d, hn::Mul(vw1, ad),
                       hn::IfThenElse(p_below, m_safe, q_safe),
                       hn::Not(p_below), &arg_q);
        odd.arg(hn::Max(arg_p, arg_q));
      }
      const V tp = hn::IfThenZeroElse(p_zero, hn::Mul(hn::Mul(vw1, pv), lp));
      const V tq = hn::IfThenZeroElse(q_zero, hn::Mul(hn::Mul(vw2, qv), lq));
      term = hn::IfThenElse(is_near, term, hn::Add(tp, tq));
    }
    sum = hn::Add(sum, hn::IfThenZeroElse(m_zero, term));
  });
  *out = kl_partial{};
  out->g = hn::GetLane(hn::SumOfLanes(d, sum));
  checks.finish(d, out);
  out->odd = odd.odd(d);
}

// ---- Jeffreys ---------------------------------------------------------------

// Jeffreys over one block: out->g = Σ (p - q) log(p/q), each term
// |p - q| log1p(|p - q| / min(p, q)) >= 0 (0 where p = q, +inf where exactly
// one of p, q is 0). Odd: a subnormal, or a ratio beyond 2^1000.
template <class T>
HWY_NOINLINE void jeffreys_block_impl(const T* HWY_RESTRICT p,
                                      const T* HWY_RESTRICT q, std::size_t n,
                                      kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V zero = hn::Zero(d);
  const V one = hn::Set(d, 1.0);
  V sum = zero;
  block_checks<decltype(d)> checks(d);
  odd_tracker<decltype(d)> odd(d);
  for_each_vector(d, p, q, n, [&](V pv, V qv) {
    checks.add(pv, qv);
    const V lo = hn::Min(pv, qv);
    const auto lo_zero = hn::Eq(lo, zero);
    const V lo_safe = hn::IfThenElse(lo_zero, one, lo);
    odd.nonzero(lo_safe);
    const V ad = hn::Abs(hn::Sub(pv, qv));
    const V arg = hn::Div(ad, lo_safe);
    odd.arg(arg);
    V term = hn::Mul(ad, hn::Log1p(d, arg));
    // One of p, q zero: +inf, unless both are.
    term = hn::IfThenElse(
        lo_zero, hn::IfThenElseZero(hn::Gt(ad, zero), hn::Set(d, kInfD)), term);
    sum = hn::Add(sum, term);
  });
  *out = kl_partial{};
  out->g = hn::GetLane(hn::SumOfLanes(d, sum));
  checks.finish(d, out);
  out->odd = odd.odd(d);
}

// ---- Rényi ------------------------------------------------------------------

// log(p/q) and g(p, q) = p log(p/q) - p + q for p, q > 0 normal, given
// d = p - q, x = d/q and p/q: where |x| <= 1/16 both by series in x (log1p:
// 16^-14 / 15 < 1e-18; g = q phi(x) as the KL kernel), elsewhere log(p/q)
// (the ratio's rounding costs at most 16 ulp of a log beyond 1/16) and
// p log(p/q) - d. Each series or log only where some lane needs it.
template <class D, class V>
HWY_INLINE void log_and_gkl_lanes(D d, V pv, V qv, V diff, V x, V ratio,
                                  V* log_out, V* g_out) {
  const auto is_near = hn::Le(hn::Abs(x), hn::Set(d, 1.0 / 16));
  V l = hn::Zero(d), g = hn::Zero(d);
  if (!hn::AllTrue(d, is_near)) {
    l = hn::Log(d, ratio);
    g = hn::MulSub(pv, l, diff);
  }
  if (!hn::AllFalse(d, is_near)) {
    V s = hn::Set(d, 1.0 / 14.0);
    for (int k = 12; k >= 0; --k) {
      s = hn::MulAdd(s, x, hn::Set(d, ((k % 2) ? -1.0 : 1.0) / (k + 1.0)));
    }
    l = hn::IfThenElse(is_near, hn::Mul(x, s), l);
    V t = hn::Set(d, 1.0 / (13.0 * 14.0));
    for (int j = 11; j >= 0; --j) {
      const double c = ((j % 2) ? -1.0 : 1.0) / ((j + 1.0) * (j + 2.0));
      t = hn::MulAdd(t, x, hn::Set(d, c));
    }
    g = hn::IfThenElse(is_near, hn::Mul(hn::Mul(qv, hn::Mul(x, x)), t), g);
  }
  *log_out = l;
  *g_out = g;
}

// h(z) = e^z - 1 - z for |z| < 1, by its series z^2 Σ_k z^k / (k + 2)!
// (1/20! < 1e-18).
template <class D, class V>
HWY_INLINE V expm1_minus_id_lanes(D d, V z) {
  double c[18];
  double f = 2.0;
  for (int k = 0; k < 18; ++k) {
    c[k] = 1.0 / f;
    f *= k + 3.0;
  }
  V s = hn::Set(d, c[17]);
  for (int k = 16; k >= 0; --k) s = hn::MulAdd(s, z, hn::Set(d, c[k]));
  return hn::Mul(hn::Mul(z, z), s);
}

// The parts of Rényi's divergence of order alpha over one block, by `mode`
// (see renyi_mode in kernels.hpp), with sp, sq, bad as for KL; odd (a
// subnormal, a ratio beyond 2^1000, or in the sums mode some z > 550 or
// p > 1e20, where the log-sum-exp form may be needed) asks for the whole
// vector by the scalar reference. With l = log(p/q), z = (alpha - 1) l, over
// p, q > 0:
//   order 0:   d = Σq - Σp - Σ_{p=0} q (compensated), h = Σ_{p=0} q;
//   sums:      d = T, the scalar reference's sum (every part accurate:
//              g(p, q) + (p - q) + p h(z) / (alpha - 1) where |z| < 1,
//              p expm1(z) / (alpha - 1) elsewhere, and -p / (alpha - 1)
//              where q = 0 < p), h = Σ_{q=0} p, any = some p, q > 0;
//   exp sum:   g = Σ p e^z;
//   order inf: top = max over p > 0 of l (+inf where q = 0 < p).
template <class T>
HWY_NOINLINE void renyi_block_impl(int mode, double alpha,
                                   const T* HWY_RESTRICT p,
                                   const T* HWY_RESTRICT q, std::size_t n,
                                   kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V zero = hn::Zero(d);
  const V one = hn::Set(d, 1.0);
  const double am1 = alpha - 1.0;
  const V v_am1 = hn::Set(d, am1);
  const V inv_am1 = hn::Set(d, 1.0 / am1);
  V plain = zero, top = hn::Set(d, -kInfD), max_z = hn::Set(d, -kInfD);
  V max_p = zero;
  auto any = hn::Lt(one, zero);  // all false
  lane_sum<decltype(d)> acc(d);
  block_checks<decltype(d)> checks(d);
  odd_tracker<decltype(d)> odd(d);
  for_each_vector(d, p, q, n, [&](V pv, V qv) {
    checks.add(pv, qv);
    const auto p_zero = hn::Eq(pv, zero);
    const auto q_zero = hn::Eq(qv, zero);
    const V diff = hn::Sub(pv, qv);
    if (mode == renyi_order0) {
      // q, -p and -q where p = 0 in turn, so that a tiny uncovered mass
      // survives the cancellation.
      acc.add(qv);
      acc.add(hn::Neg(pv));
      acc.add(hn::Neg(hn::IfThenElseZero(p_zero, qv)));
      plain = hn::Add(plain, hn::IfThenElseZero(p_zero, qv));
      return;
    }
    const V p_safe = hn::IfThenElse(p_zero, one, pv);
    const V q_safe = hn::IfThenElse(q_zero, one, qv);
    odd.nonzero(hn::Min(p_safe, q_safe));
    const auto shared = hn::Not(hn::Or(p_zero, q_zero));
    const V inv_q = hn::Div(one, q_safe);
    const V x = hn::Mul(diff, inv_q);
    const V ratio = hn::Mul(p_safe, inv_q);
    odd.ratio(ratio);
    V l, g;
    log_and_gkl_lanes(d, p_safe, q_safe, diff, x, ratio, &l, &g);
    if (mode == renyi_order_inf) {
      V best = hn::IfThenElse(q_zero, hn::Set(d, kInfD), l);
      top = hn::Max(top, hn::IfThenElse(p_zero, hn::Set(d, -kInfD), best));
      return;
    }
    const V z = hn::Mul(v_am1, l);
    if (mode == renyi_exp_sum) {
      plain = hn::Add(plain,
                      hn::IfThenElseZero(shared, hn::Mul(pv, hn::Exp(d, z))));
      return;
    }
    // renyi_sums
    any = hn::Or(any, shared);
    max_z = hn::Max(max_z, hn::IfThenElse(shared, z, hn::Set(d, -kInfD)));
    max_p = hn::Max(max_p, pv);
    const auto is_near = hn::Lt(hn::Abs(z), one);
    V rest = zero;
    if (!hn::AllFalse(d, hn::And(is_near, shared))) {
      rest = hn::MulAdd(hn::Mul(pv, expm1_minus_id_lanes(d, z)), inv_am1, g);
    }
    if (!hn::AllTrue(d, hn::Or(is_near, hn::Not(shared)))) {
      rest = hn::IfThenElse(is_near, rest,
                            hn::Mul(hn::Mul(pv, hn::Expm1(d, z)), inv_am1));
    }
    rest = hn::IfThenElseZero(shared, rest);
    // The mass of p where q = 0 (drops out for alpha < 1).
    const auto lost = hn::AndNot(p_zero, q_zero);
    plain = hn::Add(plain, hn::IfThenElseZero(lost, pv));
    rest = hn::IfThenElse(lost, hn::Neg(hn::Mul(pv, inv_am1)), rest);
    // p - q as its two parts (exact whatever the ratio).
    const auto near_shared = hn::And(shared, is_near);
    acc.add(hn::IfThenElseZero(near_shared, pv));
    acc.add(hn::Neg(hn::IfThenElseZero(near_shared, qv)));
    acc.add(rest);
  });
  *out = kl_partial{};
  checks.finish(d, out);
  out->odd = odd.odd(d);
  if (mode == renyi_order_inf) {
    out->top = hn::GetLane(hn::MaxOfLanes(d, top));
  } else if (mode == renyi_exp_sum) {
    out->g = hn::GetLane(hn::SumOfLanes(d, plain));
  } else {
    acc.finish(d, &out->d_sum, &out->d_comp);
    out->h = hn::GetLane(hn::SumOfLanes(d, plain));
  }
  if (mode == renyi_sums) {
    out->any = !hn::AllFalse(d, any);
    out->odd = out->odd || hn::GetLane(hn::MaxOfLanes(d, max_z)) > 550.0 ||
               !(hn::GetLane(hn::MaxOfLanes(d, max_p)) <= 1e20);
  }
}

// ---- the Bhattacharyya distance --------------------------------------------

// Its sums over one block: g = Σ sqrt(p q), h = Σ (sqrt p - sqrt q)^2 (as
// (p - q) / (sqrt p + sqrt q), squared), d = Σ (p - q) compensated; sp, sq,
// bad as for KL.
template <class T>
HWY_NOINLINE void bhattacharyya_block_impl(const T* HWY_RESTRICT p,
                                           const T* HWY_RESTRICT q,
                                           std::size_t n, kl_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V zero = hn::Zero(d);
  V bc = zero, hs = zero;
  lane_sum<decltype(d)> diffs(d);
  block_checks<decltype(d)> checks(d);
  for_each_vector(d, p, q, n, [&](V pv, V qv) {
    checks.add(pv, qv);
    const V rp = hn::Sqrt(pv), rq = hn::Sqrt(qv);
    bc = hn::MulAdd(rp, rq, bc);
    diffs.add(pv);
    diffs.add(hn::Neg(qv));
    const V diff = hn::Sub(pv, qv);
    const V roots = hn::Add(rp, rq);
    const V r = hn::Div(
        diff, hn::IfThenElse(hn::Eq(roots, zero), hn::Set(d, 1.0), roots));
    hs = hn::MulAdd(r, r, hs);
  });
  *out = kl_partial{};
  out->g = hn::GetLane(hn::SumOfLanes(d, bc));
  out->h = hn::GetLane(hn::SumOfLanes(d, hs));
  diffs.finish(d, &out->d_sum, &out->d_comp);
  checks.finish(d, out);
}

// ---- the exported entry points, per type -----------------------------------

HWY_NOINLINE void total_block_f64(const double* x, std::size_t n,
                                  kl_partial* out) {
  total_block_impl(x, n, out);
}
HWY_NOINLINE void total_block_f32(const float* x, std::size_t n,
                                  kl_partial* out) {
  total_block_impl(x, n, out);
}
HWY_NOINLINE void map_block_f64(const double* x, std::size_t n,
                                const value_scale& s, double* out) {
  map_block_impl(x, n, s, out);
}
HWY_NOINLINE void map_block_f32(const float* x, std::size_t n,
                                const value_scale& s, double* out) {
  map_block_impl(x, n, s, out);
}

template <class T>
HWY_INLINE void js_block_any(const T* p, const T* q, std::size_t n, double w1,
                             double w2, kl_partial* out) {
  if (w1 == 0.5 && w2 == 0.5) return js_block_impl<true>(p, q, n, w1, w2, out);
  return js_block_impl<false>(p, q, n, w1, w2, out);
}
HWY_NOINLINE void js_block_f64(const double* p, const double* q, std::size_t n,
                               double w1, double w2, kl_partial* out) {
  js_block_any(p, q, n, w1, w2, out);
}
HWY_NOINLINE void js_block_f32(const float* p, const float* q, std::size_t n,
                               double w1, double w2, kl_partial* out) {
  js_block_any(p, q, n, w1, w2, out);
}

HWY_NOINLINE void jeffreys_block_f64(const double* p, const double* q,
                                     std::size_t n, kl_partial* out) {
  jeffreys_block_impl(p, q, n, out);
}
HWY_NOINLINE void jeffreys_block_f32(const float* p, const float* q,
                                     std::size_t n, kl_partial* out) {
  jeffreys_block_impl(p, q, n, out);
}

HWY_NOINLINE void renyi_block_f64(int mode, double alpha, const double* p,
                                  const double* q, std::size_t n,
                                  kl_partial* out) {
  renyi_block_impl(mode, alpha, p, q, n, out);
}
HWY_NOINLINE void renyi_block_f32(int mode, double alpha, const float* p,
                                  const float* q, std::size_t n,
                                  kl_partial* out) {
  renyi_block_impl(mode, alpha, p, q, n, out);
}

HWY_NOINLINE void bhattacharyya_block_f64(const double* p, const double* q,
                                          std::size_t n, kl_partial* out) {
  bhattacharyya_block_impl(p, q, n, out);
}
HWY_NOINLINE void bhattacharyya_block_f32(const float* p, const float* q,
                                          std::size_t n, kl_partial* out) {
  bhattacharyya_block_impl(p, q, n, out);
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KLDIV_SIMD_MEASURES_INL_H_
