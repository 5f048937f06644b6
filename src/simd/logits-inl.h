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

// The first pass over a row, chunk by chunk: the chunk's maximum (the chunk
// is then in L1), one exponential per entry relative to it, kept in e; the
// running sum rescaled when the maximum rises.
template <class T>
HWY_INLINE void row_exp_impl(const T* HWY_RESTRICT x, std::size_t n, double t,
                             double* HWY_RESTRICT e, double* HWY_RESTRICT cmax,
                             lse_partial* out) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V neg_inf = hn::Set(d, -kLogitsInf);
  const V pos_inf = hn::Set(d, kLogitsInf);
  const V tv = hn::Set(d, t);
  const bool untempered = t == 1.0;
  double m = -kLogitsInf, sum = 0.0;
  *out = lse_partial{};
  for (std::size_t c = 0, start = 0; start < n; ++c, start += kLogitsChunk) {
    const std::size_t len = std::min(kLogitsChunk, n - start);
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
    cmax[c] = cm;
    if (cm == -kLogitsInf) {
      std::fill(e + start, e + start + len, 0.0);
      continue;
    }
    const V mv = hn::Set(d, cm);
    V acc = hn::Zero(d);
    for_each_row_vector(d, x + start, len, static_cast<T>(-kLogitsInf),
                        [&](std::size_t i, std::size_t count, V v) {
                          const V ev =
                              hn::Exp(d, tempered(v, mv, tv, untempered));
                          acc = hn::Add(acc, ev);
                          store_lanes(d, ev, count, e + start + i);
                        });
    const double s = hn::GetLane(hn::SumOfLanes(d, acc));
    if (cm > m) {
      const double shift = m - cm;
      sum =
          (m == -kLogitsInf ? 0.0
                            : sum * std::exp(untempered ? shift : shift / t)) +
          s;
      m = cm;
    } else {
      const double shift = cm - m;
      sum += s * std::exp(untempered ? shift : shift / t);
    }
  }
  out->max = m;
  out->sum = sum;
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
  // Estrin's scheme: the same terms as Horner's, a shorter dependency chain.
  const auto x2 = hn::Mul(dl, dl);
  const auto x4 = hn::Mul(x2, x2);
  const auto x8 = hn::Mul(x4, x4);
  const auto pair = [&](int j) {
    return hn::MulAdd(hn::Set(d, kPsi.c[j + 1]), dl, hn::Set(d, kPsi.c[j]));
  };
  const auto q0 = hn::MulAdd(pair(2), x2, pair(0));
  const auto q1 = hn::MulAdd(pair(6), x2, pair(4));
  const auto q2 = hn::MulAdd(pair(10), x2, pair(8));
  const auto q3 =
      hn::MulAdd(hn::Set(d, kPsi.c[13]), dl, hn::Set(d, kPsi.c[12]));
  const auto lo = hn::MulAdd(q1, x4, q0);
  const auto hi = hn::MulAdd(q3, x4, q2);
  return hn::Mul(x2, hn::MulAdd(hi, x8, lo));
}

// The per-row constants of a pair, as vectors.
template <class D>
struct pair_consts {
  hn::Vec<D> ma, mb, t, dl;
  bool untempered;
  pair_consts(D d, const pair_row& r)
      : ma(hn::Set(d, r.ma)),
        mb(hn::Set(d, r.mb)),
        t(hn::Set(d, r.t)),
        dl(hn::Set(d, r.la - r.lb)),
        untempered(r.t == 1.0) {}
  // log p - log q, as log_ratio_of computes it.
  HWY_INLINE hn::Vec<D> log_ratio(hn::Vec<D> a, hn::Vec<D> b) const {
    const auto diff = hn::Sub(hn::Sub(a, ma), hn::Sub(b, mb));
    return hn::Sub(untempered ? diff : hn::Div(diff, t), dl);
  }
};

// Calls step(i, count, a, b, ea, eb, sa, sb) for each vector of a row pair
// and its first-pass exponentials, sa and sb the chunk's scales; the last
// vector of each chunk padded (-inf logits, 0 exponentials).
template <class D, class T, class Step>
HWY_INLINE void for_each_pair_exp_vector(
    D d, const T* HWY_RESTRICT a, const T* HWY_RESTRICT b, std::size_t n,
    const double* HWY_RESTRICT ea, const double* HWY_RESTRICT sa,
    const double* HWY_RESTRICT eb, const double* HWY_RESTRICT sb, Step step) {
  using V = hn::Vec<D>;
  const std::size_t lanes = hn::Lanes(d);
  for (std::size_t c = 0, start = 0; start < n; ++c, start += kLogitsChunk) {
    const std::size_t end = std::min(n, start + kLogitsChunk);
    const V sav = hn::Set(d, sa ? sa[c] : 0.0);
    const V sbv = hn::Set(d, sb[c]);
    std::size_t i = start;
    for (; i + lanes <= end; i += lanes) {
      step(i, lanes, logits_load(d, a + i), logits_load(d, b + i),
           ea ? hn::LoadU(d, ea + i) : hn::Zero(d), hn::LoadU(d, eb + i), sav,
           sbv);
    }
    if (i < end) {
      HWY_ALIGN T at[HWY_MAX_BYTES / sizeof(double)];
      HWY_ALIGN T bt[HWY_MAX_BYTES / sizeof(double)];
      HWY_ALIGN double eat[HWY_MAX_BYTES / sizeof(double)] = {};
      HWY_ALIGN double ebt[HWY_MAX_BYTES / sizeof(double)] = {};
      std::fill(at, at + lanes, static_cast<T>(-kLogitsInf));
      std::fill(bt, bt + lanes, static_cast<T>(-kLogitsInf));
      std::copy(a + i, a + end, at);
      std::copy(b + i, b + end, bt);
      if (ea) std::copy(ea + i, ea + end, eat);
      std::copy(eb + i, eb + end, ebt);
      step(i, end - i, logits_load(d, at), logits_load(d, bt), hn::Load(d, eat),
           hn::Load(d, ebt), sav, sbv);
    }
  }
}

template <class T>
HWY_INLINE double kl_row_impl(const T* HWY_RESTRICT a, const T* HWY_RESTRICT b,
                              std::size_t n, const pair_row& r,
                              const double* ea, const double* sa,
                              const double* eb, const double* sb,
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
  for_each_pair_exp_vector(
      d, a, b, n, ea, sa, eb, sb,
      [&](std::size_t i, std::size_t count, V av, V bv, V eav, V ebv, V sav,
          V sbv) {
        const V p = hn::Mul(eav, sav);
        const V q = hn::Mul(ebv, sbv);
        const V dl = c.log_ratio(av, bv);
        // Far from p = q: p dl - p + q.
        V term = hn::Add(hn::MulSub(p, dl, p), q);
        const auto is_near = hn::Le(hn::Abs(dl), near);
        if (!hn::AllFalse(d, is_near)) {
          term = hn::IfThenElse(is_near, hn::Mul(q, psi_series(d, dl)), term);
        }
        term = hn::IfThenElse(hn::Eq(p, zero), q, term);
        // P > 0 = Q (b = -inf, a finite): +inf, even where p underflows.
        term = hn::IfThenElse(
            hn::AndNot(hn::Eq(av, neg_inf), hn::Eq(bv, neg_inf)), inf, term);
        sum = hn::Add(sum, term);
        if (grad) store_lanes(d, hn::Mul(gs, hn::Sub(q, p)), count, grad + i);
      });
  return hn::GetLane(hn::SumOfLanes(d, sum));
}

template <class T>
HWY_INLINE void reverse_grad_row_impl(const T* HWY_RESTRICT a,
                                      const T* HWY_RESTRICT b, std::size_t n,
                                      const pair_row& r, const double* eb,
                                      const double* sb, double value,
                                      T* HWY_RESTRICT grad, double gscale) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const pair_consts<decltype(d)> c(d, r);
  const V zero = hn::Zero(d);
  const V gs = hn::Set(d, gscale);
  const V val = hn::Set(d, value);
  for_each_pair_exp_vector(
      d, a, b, n, nullptr, nullptr, eb, sb,
      [&](std::size_t i, std::size_t count, V av, V bv, V, V ebv, V, V sbv) {
        const V q = hn::Mul(ebv, sbv);
        // q (log q - log p - value); 0 where q = 0 (the log ratio may be
        // infinite or NaN there).
        const V g =
            hn::Mul(hn::Mul(gs, q), hn::Sub(hn::Neg(c.log_ratio(av, bv)), val));
        store_lanes(d, hn::IfThenZeroElse(hn::Eq(q, zero), g), count, grad + i);
      });
}

template <class T>
HWY_INLINE void softmax_grad_row_impl(std::size_t n, const double* e,
                                      const double* scale, T* HWY_RESTRICT grad,
                                      double gscale) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  for (std::size_t c = 0, start = 0; start < n; ++c, start += kLogitsChunk) {
    const std::size_t end = std::min(n, start + kLogitsChunk);
    const V s = hn::Set(d, gscale * scale[c]);
    std::size_t i = start;
    for (; i + lanes <= end; i += lanes) {
      store_lanes(d, hn::Mul(s, hn::LoadU(d, e + i)), lanes, grad + i);
    }
    for (; i < end; ++i) grad[i] = static_cast<T>(gscale * scale[c] * e[i]);
  }
}

// phi(z) = (1 + z) log1p(z) - z >= 0 and log1p(z), for z >= -1, as in
// terms.hpp: where -1/2 <= z <= 1 by u = z / (2 + z) (|u| <= 1/3) and the
// series S = Σ_{j<20} u^2j / (2j + 3), log1p(z) = 2u (1 + u^2 S) and phi =
// 2u^2 / (1 - u) (1 + (1 + u) u S), without cancellation; elsewhere from
// log(1 + z) (1 + z is exact for z in [-1, -1/2]); phi(-1) = 1.
template <class D>
HWY_INLINE void phi_and_log1p(D d, hn::Vec<D> z, hn::Vec<D>* phi,
                              hn::Vec<D>* lg) {
  using V = hn::Vec<D>;
  const V one = hn::Set(d, 1.0);
  const V two = hn::Set(d, 2.0);
  const auto near = hn::And(hn::Ge(z, hn::Set(d, -0.5)), hn::Le(z, one));
  const auto minus_one = hn::Eq(z, hn::Neg(one));
  const V zp1 = hn::Add(one, z);
  const V log_far = hn::Log(d, hn::IfThenElse(minus_one, one, zp1));
  V f = hn::Sub(hn::Mul(zp1, log_far), z);
  V l = log_far;
  if (!hn::AllFalse(d, near)) {
    const V u = hn::Div(z, hn::Add(two, z));
    const V u2 = hn::Mul(u, u);
    V series = hn::Set(d, 1.0 / 41.0);
    for (int j = 18; j >= 0; --j) {
      series = hn::MulAdd(series, u2, hn::Set(d, 1.0 / (2.0 * j + 3.0)));
    }
    const V l_near = hn::Mul(hn::Mul(two, u), hn::MulAdd(u2, series, one));
    const V f_near =
        hn::Mul(hn::Div(hn::Mul(two, u2), hn::Sub(one, u)),
                hn::MulAdd(hn::Mul(hn::Add(one, u), u), series, one));
    f = hn::IfThenElse(near, f_near, f);
    l = hn::IfThenElse(near, l_near, l);
  }
  *phi = hn::IfThenElse(minus_one, one, f);
  *lg = l;
}

// The generalised JSD of one row for 0 < beta < 1 (logits.cpp's
// scalar_gjsd_row, term for term): returns Σ m [phi(x)/(1 - beta) +
// phi(y)/beta], *k = Σ q log1p(y); with a gradient pass of its own.
template <class T>
HWY_INLINE double gjsd_row_impl(const T* HWY_RESTRICT a,
                                const T* HWY_RESTRICT b, std::size_t n,
                                const pair_row& r, const double* ea,
                                const double* sa, const double* eb,
                                const double* sb, double beta, double* k,
                                T* HWY_RESTRICT grad, double gscale,
                                bool value_pass) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const pair_consts<decltype(d)> c(d, r);
  const V zero = hn::Zero(d);
  const V one = hn::Set(d, 1.0);
  const V bv_ = hn::Set(d, beta);
  const V cb = hn::Set(d, 1.0 - beta);
  const V inv_b = hn::Set(d, 1.0 / beta);
  const V inv_cb = hn::Set(d, 1.0 / (1.0 - beta));
  const V kv = hn::Set(d, value_pass ? 0.0 : *k);
  const V gs = hn::Set(d, gscale / beta);
  V sum = zero, ksum = zero;
  for_each_pair_exp_vector(
      d, a, b, n, ea, sa, eb, sb,
      [&](std::size_t i, std::size_t count, V av, V bv, V eav, V ebv, V sav,
          V sbv) {
        const V p = hn::Mul(eav, sav);
        const V q = hn::Mul(ebv, sbv);
        const auto p_zero = hn::Eq(p, zero);
        const auto q_zero = hn::Eq(q, zero);
        const V dl = c.log_ratio(av, bv);
        // p - q, from q expm1(log(p/q)) where they are close.
        const auto close =
            hn::AndNot(hn::Or(p_zero, q_zero), hn::Lt(hn::Abs(dl), one));
        V diff = hn::Sub(p, q);
        if (!hn::AllFalse(d, close)) {
          const V e1 = hn::Expm1(d, hn::IfThenElseZero(close, dl));
          diff = hn::IfThenElse(close, hn::Mul(q, e1), diff);
        }
        const V m = hn::MulAdd(bv_, diff, q);
        const auto both_zero = hn::And(p_zero, q_zero);
        const V dm = hn::Div(diff, hn::IfThenElse(both_zero, one, m));
        const V x = hn::IfThenElse(p_zero, hn::Neg(one), hn::Mul(cb, dm));
        const V y =
            hn::IfThenElse(q_zero, hn::Neg(one), hn::Neg(hn::Mul(bv_, dm)));
        V phi_y, log1p_y;
        phi_and_log1p(d, y, &phi_y, &log1p_y);
        const V qlog = hn::IfThenZeroElse(q_zero, hn::Mul(q, log1p_y));
        if (value_pass) {
          V phi_x, log1p_x;
          phi_and_log1p(d, x, &phi_x, &log1p_x);
          const V term =
              hn::Mul(m, hn::MulAdd(phi_x, inv_cb, hn::Mul(phi_y, inv_b)));
          sum = hn::Add(sum, hn::IfThenZeroElse(both_zero, term));
          ksum = hn::Add(ksum, qlog);
        } else {
          const V g = hn::Mul(gs, hn::Sub(qlog, hn::Mul(q, kv)));
          store_lanes(d, g, count, grad + i);
        }
      });
  if (value_pass) *k = hn::GetLane(hn::SumOfLanes(d, ksum));
  return hn::GetLane(hn::SumOfLanes(d, sum));
}

HWY_NOINLINE double gjsd_row_f64(const double* a, const double* b,
                                 std::size_t n, const pair_row& r,
                                 const double* ea, const double* sa,
                                 const double* eb, const double* sb,
                                 double beta, double* k) {
  return gjsd_row_impl(a, b, n, r, ea, sa, eb, sb, beta, k,
                       static_cast<double*>(nullptr), 0.0, true);
}
HWY_NOINLINE double gjsd_row_f32(const float* a, const float* b, std::size_t n,
                                 const pair_row& r, const double* ea,
                                 const double* sa, const double* eb,
                                 const double* sb, double beta, double* k) {
  return gjsd_row_impl(a, b, n, r, ea, sa, eb, sb, beta, k,
                       static_cast<float*>(nullptr), 0.0, true);
}
HWY_NOINLINE void gjsd_grad_row_f64(const double* a, const double* b,
                                    std::size_t n, const pair_row& r,
                                    const double* ea, const double* sa,
                                    const double* eb, const double* sb,
                                    double beta, double k, double* grad,
                                    double gscale) {
  gjsd_row_impl(a, b, n, r, ea, sa, eb, sb, beta, &k, grad, gscale, false);
}
HWY_NOINLINE void gjsd_grad_row_f32(const float* a, const float* b,
                                    std::size_t n, const pair_row& r,
                                    const double* ea, const double* sa,
                                    const double* eb, const double* sb,
                                    double beta, double k, float* grad,
                                    double gscale) {
  gjsd_row_impl(a, b, n, r, ea, sa, eb, sb, beta, &k, grad, gscale, false);
}

HWY_NOINLINE void row_exp_f64(const double* x, std::size_t n, double t,
                              double* e, double* cmax, lse_partial* out) {
  row_exp_impl(x, n, t, e, cmax, out);
}
HWY_NOINLINE void row_exp_f32(const float* x, std::size_t n, double t,
                              double* e, double* cmax, lse_partial* out) {
  row_exp_impl(x, n, t, e, cmax, out);
}
HWY_NOINLINE double kl_row_f64(const double* a, const double* b, std::size_t n,
                               const pair_row& r, const double* ea,
                               const double* sa, const double* eb,
                               const double* sb, double* grad, double gscale) {
  return kl_row_impl(a, b, n, r, ea, sa, eb, sb, grad, gscale);
}
HWY_NOINLINE double kl_row_f32(const float* a, const float* b, std::size_t n,
                               const pair_row& r, const double* ea,
                               const double* sa, const double* eb,
                               const double* sb, float* grad, double gscale) {
  return kl_row_impl(a, b, n, r, ea, sa, eb, sb, grad, gscale);
}
HWY_NOINLINE void reverse_grad_row_f64(const double* a, const double* b,
                                       std::size_t n, const pair_row& r,
                                       const double* eb, const double* sb,
                                       double value, double* grad,
                                       double gscale) {
  reverse_grad_row_impl(a, b, n, r, eb, sb, value, grad, gscale);
}
HWY_NOINLINE void reverse_grad_row_f32(const float* a, const float* b,
                                       std::size_t n, const pair_row& r,
                                       const double* eb, const double* sb,
                                       double value, float* grad,
                                       double gscale) {
  reverse_grad_row_impl(a, b, n, r, eb, sb, value, grad, gscale);
}
HWY_NOINLINE void softmax_grad_row_f64(std::size_t n, const double* e,
                                       const double* scale, double* grad,
                                       double gscale) {
  softmax_grad_row_impl(n, e, scale, grad, gscale);
}
HWY_NOINLINE void softmax_grad_row_f32(std::size_t n, const double* e,
                                       const double* scale, float* grad,
                                       double gscale) {
  softmax_grad_row_impl(n, e, scale, grad, gscale);
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KLDIV_SIMD_LOGITS_INL_H_
