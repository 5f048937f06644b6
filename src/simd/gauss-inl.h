// The vector kernels of KL between Gaussians: per pair
//   KL = h(2u) + t^2 / 2,  u = log(s_p / s_q), t = (m_p - m_q) / s_q,
//   h(x) = (expm1(x) - x) / 2 >= 0,
// with u = ±log1p(|s_p - s_q| / min(s_p, s_q)) (s_p - s_q is exact where the
// scales are within a factor 2, so nearly equal scales keep their digits) and
// h from its series x^2 Σ x^k / (k + 2)! / 2 where |x| <= 1/4 (12 terms, the
// next below 1e-18 relative), from expm1 elsewhere (cancelling at most 3
// bits). Each KL within a few ulp; identical parameters give exactly 0. The
// VAE term is Σ h(logvar) + mu^2 / 2. Re-included once per SIMD target by
// foreach_target.h (gauss.cpp).

#if defined(KLDIV_SIMD_GAUSS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef KLDIV_SIMD_GAUSS_INL_H_
#undef KLDIV_SIMD_GAUSS_INL_H_
#else
#define KLDIV_SIMD_GAUSS_INL_H_
#endif

#include <cstddef>
#include <limits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "simd/gauss_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace kldiv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// 1 / (k + 2)!, k = 0 .. 11.
struct half_expm1_series {
  double c[12];
  constexpr half_expm1_series() : c() {
    double f = 2.0;
    for (int k = 0; k < 12; ++k) {
      if (k > 0) f *= k + 2;
      c[k] = 1.0 / f;
    }
  }
};
constexpr half_expm1_series kHalfExpm1{};

// h(x) = (expm1(x) - x) / 2 >= 0.
template <class D>
HWY_INLINE hn::Vec<D> half_expm1_minus_x(D d, hn::Vec<D> x) {
  using V = hn::Vec<D>;
  const auto near = hn::Le(hn::Abs(x), hn::Set(d, 0.25));
  V h = hn::Mul(hn::Set(d, 0.5), hn::Sub(hn::Expm1(d, x), x));
  if (!hn::AllFalse(d, near)) {
    V s = hn::Set(d, kHalfExpm1.c[11]);
    for (int k = 10; k >= 0; --k)
      s = hn::MulAdd(s, x, hn::Set(d, kHalfExpm1.c[k]));
    const V series = hn::Mul(hn::Mul(hn::Set(d, 0.5), hn::Mul(x, x)), s);
    h = hn::IfThenElse(near, series, h);
  }
  return h;
}

template <class D>
HWY_INLINE hn::Vec<D> load_or_repeat(D d, const double* p, std::size_t stride,
                                     std::size_t i) {
  return stride ? hn::LoadU(d, p + i) : hn::Set(d, p[0]);
}

HWY_NOINLINE void gauss_kl_run_impl(const gauss_inputs& in, std::size_t n,
                                    double* HWY_RESTRICT out, double* sum,
                                    bool* bad) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const V zero = hn::Zero(d), one = hn::Set(d, 1.0), half = hn::Set(d, 0.5);
  const V inf = hn::Set(d, std::numeric_limits<double>::infinity());
  V acc = zero;
  auto wrong = hn::Lt(one, zero);  // all false
  const auto step = [&](V mp, V sp, V mq, V sq, std::size_t i,
                        std::size_t count) {
    // Checks: scales in (0, inf), locations finite (NaN fails every test).
    wrong = hn::Or(wrong, hn::Not(hn::And(hn::Gt(sp, zero), hn::Lt(sp, inf))));
    wrong = hn::Or(wrong, hn::Not(hn::And(hn::Gt(sq, zero), hn::Lt(sq, inf))));
    wrong = hn::Or(wrong, hn::Not(hn::Lt(hn::Abs(mp), inf)));
    wrong = hn::Or(wrong, hn::Not(hn::Lt(hn::Abs(mq), inf)));
    const V diff = hn::Sub(sp, sq);
    const V lo = hn::Min(sp, sq);
    const V safe_lo = hn::IfThenElse(hn::Gt(lo, zero), lo, one);
    const V l = hn::Log1p(d, hn::Div(hn::Abs(diff), safe_lo));
    const V u = hn::IfThenElse(hn::Lt(diff, zero), hn::Neg(l), l);
    const V t =
        hn::Div(hn::Sub(mp, mq), hn::IfThenElse(hn::Gt(sq, zero), sq, one));
    const V kl =
        hn::MulAdd(hn::Mul(half, t), t, half_expm1_minus_x(d, hn::Add(u, u)));
    if (count == lanes) {
      acc = hn::Add(acc, kl);
      if (out) hn::StoreU(kl, d, out + i);
    } else {
      HWY_ALIGN double tmp[HWY_MAX_BYTES / sizeof(double)];
      hn::Store(kl, d, tmp);
      for (std::size_t k = count; k < lanes; ++k) tmp[k] = 0.0;
      acc = hn::Add(acc, hn::Load(d, tmp));
      if (out) {
        for (std::size_t k = 0; k < count; ++k) out[i + k] = tmp[k];
      }
    }
  };
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    step(load_or_repeat(d, in.loc_p, in.stride_loc_p, i),
         load_or_repeat(d, in.scale_p, in.stride_scale_p, i),
         load_or_repeat(d, in.loc_q, in.stride_loc_q, i),
         load_or_repeat(d, in.scale_q, in.stride_scale_q, i), i, lanes);
  }
  if (i < n) {
    // The tail from copies padded with a valid pair (0, 1, 0, 1).
    HWY_ALIGN double b[4][HWY_MAX_BYTES / sizeof(double)];
    const double* src[4] = {in.loc_p, in.scale_p, in.loc_q, in.scale_q};
    const std::size_t stride[4] = {in.stride_loc_p, in.stride_scale_p,
                                   in.stride_loc_q, in.stride_scale_q};
    for (int a = 0; a < 4; ++a) {
      for (std::size_t k = 0; k < lanes; ++k) {
        b[a][k] = i + k < n ? src[a][stride[a] * (i + k)] : (a % 2 ? 1.0 : 0.0);
      }
    }
    step(hn::Load(d, b[0]), hn::Load(d, b[1]), hn::Load(d, b[2]),
         hn::Load(d, b[3]), i, n - i);
  }
  *sum = hn::GetLane(hn::SumOfLanes(d, acc));
  *bad = !hn::AllFalse(d, wrong);
}

HWY_NOINLINE void vae_run_impl(const double* HWY_RESTRICT mu,
                               const double* HWY_RESTRICT logvar, std::size_t n,
                               double* HWY_RESTRICT grad_mu,
                               double* HWY_RESTRICT grad_logvar, double* sum,
                               bool* bad) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const V zero = hn::Zero(d), half = hn::Set(d, 0.5);
  const V inf = hn::Set(d, std::numeric_limits<double>::infinity());
  V acc = zero;
  auto wrong = hn::Lt(half, zero);
  const auto step = [&](V m, V lv, std::size_t i, std::size_t count) {
    wrong = hn::Or(wrong, hn::Not(hn::Lt(hn::Abs(m), inf)));
    wrong = hn::Or(wrong, hn::Not(hn::Lt(hn::Abs(lv), inf)));
    const V term = hn::MulAdd(hn::Mul(half, m), m, half_expm1_minus_x(d, lv));
    acc = hn::Add(acc, term);
    if (grad_logvar) {
      const V g = hn::Mul(half, hn::Expm1(d, lv));
      if (count == lanes) {
        hn::StoreU(g, d, grad_logvar + i);
      } else {
        HWY_ALIGN double tmp[HWY_MAX_BYTES / sizeof(double)];
        hn::Store(g, d, tmp);
        for (std::size_t k = 0; k < count; ++k) grad_logvar[i + k] = tmp[k];
      }
    }
    if (grad_mu) {
      for (std::size_t k = 0; k < count; ++k) grad_mu[i + k] = mu[i + k];
    }
  };
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    step(hn::LoadU(d, mu + i), hn::LoadU(d, logvar + i), i, lanes);
  }
  if (i < n) {
    HWY_ALIGN double m[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN double l[HWY_MAX_BYTES / sizeof(double)] = {};
    for (std::size_t k = 0; i + k < n; ++k) {
      m[k] = mu[i + k];
      l[k] = logvar[i + k];
    }
    step(hn::Load(d, m), hn::Load(d, l), i, n - i);
  }
  *sum = hn::GetLane(hn::SumOfLanes(d, acc));
  *bad = !hn::AllFalse(d, wrong);
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KLDIV_SIMD_GAUSS_INL_H_
