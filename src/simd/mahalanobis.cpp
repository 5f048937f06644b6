// Compiles mahalanobis-inl.h once per SIMD target and dispatches to the best
// one at run time, under the same target limit as the other kernels.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/mahalanobis.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/mahalanobis-inl.h"

#if HWY_ONCE
namespace kldiv::detail {

HWY_EXPORT(mahalanobis_block_impl);
HWY_EXPORT(log_sum_exp_rows_impl);

void log_sum_exp_rows(const double* t, std::size_t k, std::size_t n,
                      double* out) {
  HWY_DYNAMIC_DISPATCH(log_sum_exp_rows_impl)(t, k, n, out);
}

void mahalanobis_block(const double* s, const double* h, std::size_t k,
                       std::size_t d, const double* x, std::size_t n,
                       double* out) {
  HWY_DYNAMIC_DISPATCH(mahalanobis_block_impl)(s, h, k, d, x, n, out);
}

}  // namespace kldiv::detail
#endif  // HWY_ONCE
