// The vector row kernels of the logits divergences (see logits_kernels.hpp
// for what each computes). Re-included once per SIMD target by
// foreach_target.h (see logits.cpp); no SIMD type leaves this file.
//
// Numerical contract: entries are promoted to double first (float inputs
// included); log-probabilities are formed as (x - max) / t - log(sum), so no
// large number enters the exponentials; each KL term is >= 0, within a few
// ulp of p log(p/q) - p + q (by the series of psi(d) = e^d (d - 1) + 1 where
// |d| <= 1/4, where the closed form would cancel); -inf logits follow the
// edge table with masks (p = 0 contributes 0 to KL; p > 0 where b = -inf
// makes it +inf). Row sums are per-lane sums reduced once: the same bits for
// the same row whatever the thread count.

#if defined(KLDIV_SIMD_LOGITS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef KLDIV_SIMD_LOGITS_INL_H_
#undef KLDIV_SIMD_LOGITS_INL_H_
#else
#define KLDIV_SIMD_LOGITS_INL_H_
#endif

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "simd/logits_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace kldiv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr double kLogitsInf = std::numeric_limits<double>::infinity();

template <class D>
HWY_INLINE hn::Vec<D> logits_load(D d, const double* ptr) {
  return hn::LoadU(d, ptr);
}
template <class D>
HWY_INLINE hn::Vec<D> logits_load(D d, const float* ptr) {
  const hn::Rebind<float, D> df;
  return hn::PromoteTo(d, hn::LoadU(df, ptr));
}
template <class D>
HWY_INLINE void logits_store(D d, hn::Vec<D> v, double* ptr) {
  hn::StoreU(v, d, ptr);
}
template <class D>
HWY_INLINE void logits_store(D /*d*/, hn::Vec<D> v, float* ptr) {
  const hn::Rebind<float, D> df;
  hn::StoreU(hn::DemoteTo(df, v), df, ptr);
}

// Calls step(i, count, x...) for each vector of the n entries of one to two
// rows, as doubles; the last vector comes from copies padded with `pad`
// (count < Lanes there). step returns nothing; stores go through
// store_part for the partial last vector.
template <class D, class T, class Step>
HWY_INLINE void for_each_row_vector(D d, const T* HWY_RESTRICT x, std::size_t n,
                                    T pad, Step step) {
  const std::size_t lanes = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) step(i, lanes, logits_load(d, x + i));
  if (i < n) {
    HWY_ALIGN T xt[HWY_MAX_BYTES / sizeof(double)];
    std::fill(xt, xt + lanes, pad);
    std::copy(x + i, x + n, xt);
    step(i, n - i, logits_load(d, xt));
  }
}
template <class D, class T, class Step>
HWY_INLINE void for_each_pair_vector(D d, const T* HWY_RESTRICT a,
                                     const T* HWY_RESTRICT b, std::size_t n,
                                     T pad, Step step) {
  const std::size_t lanes = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    step(i, lanes, logits_load(d, a + i), logits_load(d, b + i));
  }
  if (i < n) {
    HWY_ALIGN T at[HWY_MAX_BYTES / sizeof(double)];
    HWY_ALIGN T bt[HWY_MAX_BYTES / sizeof(double)];
    std::fill(at, at + lanes, pad);
    std::fill(bt, bt + lanes, pad);
    std::copy(a + i, a + n, at);
    std::copy(b + i, b + n, bt);
    step(i, n - i, logits_load(d, at), logits_load(d, bt));
  }
}

// Stores `count` lanes of v at ptr (all of them when count == Lanes).
template <class D, class T>
HWY_INLINE void store_lanes(D d, hn::Vec<D> v, std::size_t count, T* ptr) {
  if (count == hn::Lanes(d)) {
    logits_store(d, v, ptr);
    return;
  }
  HWY_ALIGN double tmp[HWY_MAX_BYTES / sizeof(double)];
  hn::Store(v, d, tmp);
  for (std::size_t k = 0; k < count; ++k) ptr[k] = static_cast<T>(tmp[k]);
}

// (x - m) / t, or x - m for t == 1 (the scalar code's exact operations).
template <class V>
HWY_INLINE V tempered(V x, V m, V t, bool untempered) {
  const auto d = hn::Sub(x, m);
  return untempered ? d : hn::Div(d, t);
}

// Online log-sum-exp in chunks: the chunk's maximum first (the chunk is then
// in L1), the running sum rescaled once if it rose, then one exponential per
// entry.
template <class T>
HWY_INLINE void row_lse_impl(const T* HWY_RESTRICT x, std::size_t n, double t,
                             lse_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  constexpr std::size_t kChunk = 2048;
  const V neg_inf = hn::Set(d, -kLogitsInf);
  const V pos_inf = hn::Set(d, kLogitsInf);
  const V tv = hn::Set(d, t);
  const bool untempered = t == 1.0;
  double m = -kLogitsInf;
  V acc = hn::Zero(d);
  *out = lse_partial{};
  for (std::size_t start = 0; start < n; start += kChunk) {
    const std::size_t len = std::min(kChunk, n - start);
    V vmax = neg_inf;
    auto bad = hn::Lt(pos_inf, pos_inf);  // all false
    for_each_row_vector(d, x + start, len, static_cast<T>(-kLogitsInf),
                        [&](std::size_t, std::size_t, V v) {
                          vmax = hn::Max(vmax, v);
                          bad = hn::Or(bad, hn::Not(hn::Lt(v, pos_inf)));
                        });
    if (!hn::AllFalse(d, bad)) {
      out->bad = true;
      return;
    }
    const double cm = hn::GetLane(hn::MaxOfLanes(d, vmax));
    if (cm == -kLogitsInf) continue;
    if (cm > m) {
      const double r =
          m == -kLogitsInf ? 0.0 : std::exp(untempered ? m - cm : (m - cm) / t);
      acc = hn::Mul(acc, hn::Set(d, r));
      m = cm;
    }
    const V mv = hn::Set(d, m);
    for_each_row_vector(d, x + start, len, static_cast<T>(-kLogitsInf),
                        [&](std::size_t, std::size_t, V v) {
                          acc = hn::Add(
                              acc, hn::Exp(d, tempered(v, mv, tv, untempered)));
                        });
  }
  out->max = m;
  out->sum = hn::GetLane(hn::SumOfLanes(d, acc));
}

// (j + 1) / (j + 2)!, j = 0 .. 13: the series of psi, psi(dl) =
// dl^2 Σ_j c_j dl^j (for |dl| <= 1/4 the next term is below 1e-19 relative).
struct psi_coefficients {
  double c[14];
  constexpr psi_coefficients() : c() {
    double factorial = 2.0;
    for (int j = 0; j < 14; ++j) {
      if (j > 0) factorial *= j + 2;
      c[j] = (j + 1) / factorial;
    }
  }
};
constexpr psi_coefficients kPsi{};

template <class D>
HWY_INLINE hn::Vec<D> psi_series(D d, hn::Vec<D> dl) {
  auto s = hn::Set(d, kPsi.c[13]);
  for (int j = 12; j >= 0; --j) s = hn::MulAdd(s, dl, hn::Set(d, kPsi.c[j]));
  return hn::Mul(hn::Mul(dl, dl), s);
}

// The per-row constants of a pair, as vectors.
template <class D>
struct pair_consts {
  hn::Vec<D> ma, la, mb, lb, t, dl;
  bool untempered;
  pair_consts(D d, const pair_row& r)
      : ma(hn::Set(d, r.ma)),
        la(hn::Set(d, r.la)),
        mb(hn::Set(d, r.mb)),
        lb(hn::Set(d, r.lb)),
        t(hn::Set(d, r.t)),
        dl(hn::Set(d, r.la - r.lb)),
        untempered(r.t == 1.0) {}
  // log p - log q, as log_ratio_of computes it.
  HWY_INLINE hn::Vec<D> log_ratio(hn::Vec<D> a, hn::Vec<D> b) const {
    const auto diff = hn::Sub(hn::Sub(a, ma), hn::Sub(b, mb));
    return hn::Sub(untempered ? diff : hn::Div(diff, t), dl);
  }
};

template <class T>
HWY_INLINE double kl_row_impl(const T* HWY_RESTRICT a, const T* HWY_RESTRICT b,
                              std::size_t n, const pair_row& r,
                              T* HWY_RESTRICT grad, double gscale) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const pair_consts<decltype(d)> c(d, r);
  const V zero = hn::Zero(d);
  const V inf = hn::Set(d, kLogitsInf);
  const V neg_inf = hn::Neg(inf);
  const V near = hn::Set(d, 0.25);
  const V gs = hn::Set(d, gscale);
  V sum = zero;
  for_each_pair_vector(
      d, a, b, n, static_cast<T>(-kLogitsInf),
      [&](std::size_t i, std::size_t count, V av, V bv) {
        const V p =
            hn::Exp(d, hn::Sub(tempered(av, c.ma, c.t, c.untempered), c.la));
        const V q =
            hn::Exp(d, hn::Sub(tempered(bv, c.mb, c.t, c.untempered), c.lb));
        const V dl = c.log_ratio(av, bv);
        // Far from p = q: p dl - p + q.
        V term = hn::Add(hn::MulSub(p, dl, p), q);
        const auto is_near = hn::Le(hn::Abs(dl), near);
        if (!hn::AllFalse(d, is_near)) {
          term = hn::IfThenElse(is_near, hn::Mul(q, psi_series(d, dl)), term);
        }
        const auto p_zero = hn::Eq(p, zero);
        term = hn::IfThenElse(p_zero, q, term);
        term =
            hn::IfThenElse(hn::AndNot(p_zero, hn::Eq(bv, neg_inf)), inf, term);
        sum = hn::Add(sum, term);
        if (grad) store_lanes(d, hn::Mul(gs, hn::Sub(q, p)), count, grad + i);
      });
  return hn::GetLane(hn::SumOfLanes(d, sum));
}

template <class T>
HWY_INLINE void reverse_grad_row_impl(const T* HWY_RESTRICT a,
                                      const T* HWY_RESTRICT b, std::size_t n,
                                      const pair_row& r, double value,
                                      T* HWY_RESTRICT grad, double gscale) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const pair_consts<decltype(d)> c(d, r);
  const V zero = hn::Zero(d);
  const V gs = hn::Set(d, gscale);
  const V val = hn::Set(d, value);
  for_each_pair_vector(
      d, a, b, n, static_cast<T>(-kLogitsInf),
      [&](std::size_t i, std::size_t count, V av, V bv) {
        const V q =
            hn::Exp(d, hn::Sub(tempered(bv, c.mb, c.t, c.untempered), c.lb));
        // q (log q - log p - value); 0 where q = 0 (the log ratio may be
        // infinite or NaN there).
        const V g =
            hn::Mul(hn::Mul(gs, q), hn::Sub(hn::Neg(c.log_ratio(av, bv)), val));
        store_lanes(d, hn::IfThenZeroElse(hn::Eq(q, zero), g), count, grad + i);
      });
}

template <class T>
HWY_INLINE void softmax_grad_row_impl(const T* HWY_RESTRICT x, std::size_t n,
                                      double m, double l, double t,
                                      long long label, T* HWY_RESTRICT grad,
                                      double gscale) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V mv = hn::Set(d, m), lv = hn::Set(d, l), tv = hn::Set(d, t);
  const V gs = hn::Set(d, gscale);
  const bool untempered = t == 1.0;
  for_each_row_vector(d, x, n, static_cast<T>(-kLogitsInf),
                      [&](std::size_t i, std::size_t count, V v) {
                        const V s = hn::Exp(
                            d, hn::Sub(tempered(v, mv, tv, untempered), lv));
                        store_lanes(d, hn::Mul(gs, s), count, grad + i);
                      });
  if (label >= 0 && static_cast<std::size_t>(label) < n) {
    const auto k = static_cast<std::size_t>(label);
    const double dx = static_cast<double>(x[k]) - m;
    const double s = std::exp((untempered ? dx : dx / t) - l);
    grad[k] = static_cast<T>(gscale * (s - 1.0));
  }
}

HWY_NOINLINE void row_lse_f64(const double* x, std::size_t n, double t,
                              lse_partial* out) {
  row_lse_impl(x, n, t, out);
}
HWY_NOINLINE void row_lse_f32(const float* x, std::size_t n, double t,
                              lse_partial* out) {
  row_lse_impl(x, n, t, out);
}
HWY_NOINLINE double kl_row_f64(const double* a, const double* b, std::size_t n,
                               const pair_row& r, double* grad, double gscale) {
  return kl_row_impl(a, b, n, r, grad, gscale);
}
HWY_NOINLINE double kl_row_f32(const float* a, const float* b, std::size_t n,
                               const pair_row& r, float* grad, double gscale) {
  return kl_row_impl(a, b, n, r, grad, gscale);
}
HWY_NOINLINE void reverse_grad_row_f64(const double* a, const double* b,
                                       std::size_t n, const pair_row& r,
                                       double value, double* grad,
                                       double gscale) {
  reverse_grad_row_impl(a, b, n, r, value, grad, gscale);
}
HWY_NOINLINE void reverse_grad_row_f32(const float* a, const float* b,
                                       std::size_t n, const pair_row& r,
                                       double value, float* grad,
                                       double gscale) {
  reverse_grad_row_impl(a, b, n, r, value, grad, gscale);
}
HWY_NOINLINE void softmax_grad_row_f64(const double* x, std::size_t n, double m,
                                       double l, double t, long long label,
                                       double* grad, double gscale) {
  softmax_grad_row_impl(x, n, m, l, t, label, grad, gscale);
}
HWY_NOINLINE void softmax_grad_row_f32(const float* x, std::size_t n, double m,
                                       double l, double t, long long label,
                                       float* grad, double gscale) {
  softmax_grad_row_impl(x, n, m, l, t, label, grad, gscale);
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KLDIV_SIMD_LOGITS_INL_H_
