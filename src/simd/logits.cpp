// Compiles logits-inl.h once per SIMD target and dispatches to the best one
// at run time, under the same target limit as the other kernels
// (kldiv::limit_simd_target, KLDIV_SIMD_TARGET).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/logits.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/logits-inl.h"

#if HWY_ONCE
#include "simd/logits_kernels.hpp"

namespace kldiv::detail {

HWY_EXPORT(row_lse_f64);
HWY_EXPORT(row_lse_f32);
HWY_EXPORT(kl_row_f64);
HWY_EXPORT(kl_row_f32);
HWY_EXPORT(reverse_grad_row_f64);
HWY_EXPORT(reverse_grad_row_f32);
HWY_EXPORT(softmax_grad_row_f64);
HWY_EXPORT(softmax_grad_row_f32);

void simd_row_lse(const double* x, std::size_t n, double t, lse_partial* out) {
  HWY_DYNAMIC_DISPATCH(row_lse_f64)(x, n, t, out);
}
void simd_row_lse(const float* x, std::size_t n, double t, lse_partial* out) {
  HWY_DYNAMIC_DISPATCH(row_lse_f32)(x, n, t, out);
}
double simd_kl_row(const double* a, const double* b, std::size_t n,
                   const pair_row& r, double* grad, double gscale) {
  return HWY_DYNAMIC_DISPATCH(kl_row_f64)(a, b, n, r, grad, gscale);
}
double simd_kl_row(const float* a, const float* b, std::size_t n,
                   const pair_row& r, float* grad, double gscale) {
  return HWY_DYNAMIC_DISPATCH(kl_row_f32)(a, b, n, r, grad, gscale);
}
void simd_reverse_grad_row(const double* a, const double* b, std::size_t n,
                           const pair_row& r, double value, double* grad,
                           double gscale) {
  HWY_DYNAMIC_DISPATCH(reverse_grad_row_f64)(a, b, n, r, value, grad, gscale);
}
void simd_reverse_grad_row(const float* a, const float* b, std::size_t n,
                           const pair_row& r, double value, float* grad,
                           double gscale) {
  HWY_DYNAMIC_DISPATCH(reverse_grad_row_f32)(a, b, n, r, value, grad, gscale);
}
void simd_softmax_grad_row(const double* x, std::size_t n, double m, double l,
                           double t, long long label, double* grad,
                           double gscale) {
  HWY_DYNAMIC_DISPATCH(softmax_grad_row_f64)
  (x, n, m, l, t, label, grad, gscale);
}
void simd_softmax_grad_row(const float* x, std::size_t n, double m, double l,
                           double t, long long label, float* grad,
                           double gscale) {
  HWY_DYNAMIC_DISPATCH(softmax_grad_row_f32)
  (x, n, m, l, t, label, grad, gscale);
}

}  // namespace kldiv::detail
#endif  // HWY_ONCE
