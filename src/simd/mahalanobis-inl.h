// Squared Mahalanobis norms of many points under many components, vectorised
// over points: for each lane group of points, every row of every
// component's inverse factor is one chain of fused multiply-adds over the d
// coordinates, squared into the component's sum; no d x n temporary.
// Re-included once per SIMD target by foreach_target.h (mahalanobis.cpp).

#if defined(KLDIV_SIMD_MAHALANOBIS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef KLDIV_SIMD_MAHALANOBIS_INL_H_
#undef KLDIV_SIMD_MAHALANOBIS_INL_H_
#else
#define KLDIV_SIMD_MAHALANOBIS_INL_H_
#endif

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "hwy/aligned_allocator.h"
#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "simd/mahalanobis_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace kldiv::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void mahalanobis_block_impl(const double* s, const double* h, std::size_t k,
                            std::size_t d, const double* x, std::size_t n,
                            double* out) {
  const hn::ScalableTag<double> df;
  const std::size_t lanes = hn::Lanes(df);
  // This lane group's coordinates, contiguous (d vectors): loaded once per
  // group rather than once per row, and away from the 4 KiB aliasing of
  // rows n apart.
  auto buf = hwy::AllocateAligned<double>(d * lanes);
  std::size_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    for (std::size_t i = 0; i < d; ++i) {
      hn::Store(hn::LoadU(df, x + i * n + j), df, buf.get() + i * lanes);
    }
    for (std::size_t a = 0; a < k; ++a) {
      auto acc = hn::Zero(df);
      for (std::size_t r = a * d; r < (a + 1) * d; ++r) {
        const double* row = s + r * d;
        auto v = hn::Neg(hn::Set(df, h[r]));
        // Only the lower triangle of each block is nonzero: row r - a d
        // has entries 0 .. r - a d.
        const std::size_t last = r - a * d;
        for (std::size_t i = 0; i <= last; ++i) {
          v = hn::MulAdd(hn::Set(df, row[i]),
                         hn::Load(df, buf.get() + i * lanes), v);
        }
        acc = hn::MulAdd(v, v, acc);
      }
      hn::StoreU(acc, df, out + a * n + j);
    }
  }
  // The remaining points, one at a time.
  for (; j < n; ++j) {
    for (std::size_t a = 0; a < k; ++a) {
      double acc = 0.0;
      for (std::size_t r = a * d; r < (a + 1) * d; ++r) {
        double v = -h[r];
        const std::size_t last = r - a * d;
        for (std::size_t i = 0; i <= last; ++i)
          v += s[r * d + i] * x[i * n + j];
        acc += v * v;
      }
      out[a * n + j] = acc;
    }
  }
}

void log_sum_exp_rows_impl(const double* t, std::size_t k, std::size_t n,
                           double* out) {
  const hn::ScalableTag<double> df;
  const std::size_t lanes = hn::Lanes(df);
  const auto neg_inf = hn::Set(df, -std::numeric_limits<double>::infinity());
  std::size_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    auto m = hn::LoadU(df, t + j);
    for (std::size_t a = 1; a < k; ++a)
      m = hn::Max(m, hn::LoadU(df, t + a * n + j));
    // Where every term is -inf the sum is of e^(nan): keep -inf instead.
    const auto all_inf = hn::Eq(m, neg_inf);
    const auto safe_m = hn::IfThenElse(all_inf, hn::Zero(df), m);
    auto s = hn::Zero(df);
    for (std::size_t a = 0; a < k; ++a) {
      s = hn::Add(s,
                  hn::Exp(df, hn::Sub(hn::LoadU(df, t + a * n + j), safe_m)));
    }
    const auto r = hn::Add(safe_m, hn::Log(df, s));
    hn::StoreU(hn::IfThenElse(all_inf, neg_inf, r), df, out + j);
  }
  for (; j < n; ++j) {
    double m = t[j];
    for (std::size_t a = 1; a < k; ++a) m = std::max(m, t[a * n + j]);
    if (m == -std::numeric_limits<double>::infinity()) {
      out[j] = m;
      continue;
    }
    double s = 0.0;
    for (std::size_t a = 0; a < k; ++a) s += std::exp(t[a * n + j] - m);
    out[j] = m + std::log(s);
  }
}

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
