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

#include <cstddef>

#include "hwy/aligned_allocator.h"
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

}  // namespace kldiv::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
