// The vector kernels of KL between Gaussians: per pair
//   KL = (r^2 - 1)/2 - log r + t^2 / 2,  r = s_p / s_q, t = (m_p - m_q) / s_q;
// where the scales are close (|2 log r| <= 1/4) the scale term is h(2u), u =
// log r = 2 atanh((s_p - s_q)/(s_p + s_q)) from its series (s_p - s_q is
// exact there), h(x) = (expm1(x) - x) / 2 = x^2 Σ x^k / (k + 2)! / 2 (12
// terms, the next below 1e-18 relative), so nearly equal scales keep their
// digits; elsewhere the closed form cancels at most 3 bits. Each KL within a
// few ulp; identical parameters give exactly 0. The VAE term is Σ h(logvar) +
// mu^2 / 2. Re-included once per SIMD target by foreach_target.h (gauss.cpp).

#if defined(KLDIV_SIMD_GAUSS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef KLDIV_SIMD_GAUSS_INL_H_
#undef KLDIV_SIMD_GAUSS_INL_H_
#else
#define KLDIV_SIMD_GAUSS_INL_H_
#endif

#include <cmath>
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

// h(x) = (expm1(x) - x) / 2 from its series, for |x| <= 1/4.
template <class D>
HWY_INLINE hn::Vec<D> half_expm1_series_of(D d, hn::Vec<D> x) {
  hn::Vec<D> s = hn::Set(d, kHalfExpm1.c[11]);
  for (int k = 10; k >= 0; --k) {
    s = hn::MulAdd(s, x, hn::Set(d, kHalfExpm1.c[k]));
  }
  return hn::Mul(hn::Mul(hn::Set(d, 0.5), hn::Mul(x, x)), s);
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
  V acc = zero;
  // The checks, cheaply: the least scale (must be > 0), and the sum, which a
  // NaN or infinite parameter makes NaN or infinite (so does a legitimately
  // infinite KL: the caller's scan then finds nothing wrong).
  V min_scale = one;
  const auto step = [&](V mp, V sp, V mq, V sq, std::size_t i,
                        std::size_t count) {
    min_scale = hn::Min(min_scale, hn::Min(sp, sq));
    // r = s_p / s_q and t from 1 / s_q.
    // Unsanitised: a NaN, zero or infinite parameter makes this pair's KL
    // NaN or infinite, which the sum shows.
    const V sp1 = sp, sq1 = sq;
    const V inv = hn::Div(one, sq1);
    const V r = hn::Mul(sp1, inv);
    const V t = hn::Mul(hn::Sub(mp, mq), inv);
    // Far from equal scales: (r^2 - 1)/2 - log r (cancels at most 3 bits).
    V scale_term =
        hn::Sub(hn::MulAdd(hn::Mul(half, r), r, hn::Neg(half)), hn::Log(d, r));
    // Near (|2 log r| <= 1/4): h(2u) from its series with u = log r =
    // 2 atanh(z), z = (s_p - s_q)/(s_p + s_q) (|z| <= 1/16, the numerator
    // exact), atanh(z) = z (1 + z^2 Σ_{k<7} z^2k / (2k + 3)); only when a
    // lane needs it.
    const auto near = hn::And(hn::Ge(r, hn::Set(d, 0.8824969025845955)),
                              hn::Le(r, hn::Set(d, 1.1331484530668263)));
    if (!hn::AllFalse(d, near)) {
      const V z = hn::Div(hn::Sub(sp1, sq1), hn::Add(sp1, sq1));
      const V w = hn::Mul(z, z);
      V series = hn::Set(d, 1.0 / 15.0);
      for (int k = 5; k >= 0; --k) {
        series = hn::MulAdd(series, w, hn::Set(d, 1.0 / (2.0 * k + 3.0)));
      }
      const V atanh_z = hn::MulAdd(hn::Mul(z, w), series, z);
      const V x = hn::Mul(hn::Set(d, 4.0), atanh_z);  // 2 log r
      scale_term = hn::IfThenElse(near, half_expm1_series_of(d, x), scale_term);
    }
    const V kl = hn::MulAdd(hn::Mul(half, t), t, scale_term);
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
  *bad = !(hn::GetLane(hn::MinOfLanes(d, min_scale)) > 0.0) ||
         !(std::fabs(*sum) < std::numeric_limits<double>::infinity());
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
  V acc = zero;
  const auto step = [&](V m, V lv, std::size_t i, std::size_t count) {
    // expm1(lv) once, for the term (h(lv) = (expm1(lv) - lv)/2, by its
    // series near 0) and the gradient (expm1(lv)/2).
    const V e = hn::Expm1(d, lv);
    V h = hn::Mul(half, hn::Sub(e, lv));
    const auto near = hn::Le(hn::Abs(lv), hn::Set(d, 0.25));
    if (!hn::AllFalse(d, near)) {
      h = hn::IfThenElse(near, half_expm1_series_of(d, lv), h);
    }
    acc = hn::Add(acc, hn::MulAdd(hn::Mul(half, m), m, h));
    if (grad_logvar) {
      const V g = hn::Mul(half, e);
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
  // A NaN or infinite mu or logvar makes the sum NaN or infinite.
  *bad = !(std::fabs(*sum) < std::numeric_limits<double>::infinity());
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // KLDIV_SIMD_GAUSS_INL_H_
