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

HWY_EXPORT(row_exp_f64);
HWY_EXPORT(row_exp_f32);
HWY_EXPORT(kl_row_f64);
HWY_EXPORT(kl_row_f32);
HWY_EXPORT(reverse_grad_row_f64);
HWY_EXPORT(reverse_grad_row_f32);
HWY_EXPORT(softmax_grad_row_f64);
HWY_EXPORT(softmax_grad_row_f32);
HWY_EXPORT(gjsd_row_f64);
HWY_EXPORT(gjsd_row_f32);
HWY_EXPORT(gjsd_grad_row_f64);
HWY_EXPORT(gjsd_grad_row_f32);

double simd_gjsd_row(const double* a, const double* b, std::size_t n,
                     const pair_row& r, const double* ea, const double* sa,
                     const double* eb, const double* sb, double beta,
                     double* k) {
  return HWY_DYNAMIC_DISPATCH(gjsd_row_f64)(a, b, n, r, ea, sa, eb, sb, beta,
                                            k);
}
double simd_gjsd_row(const float* a, const float* b, std::size_t n,
                     const pair_row& r, const double* ea, const double* sa,
                     const double* eb, const double* sb, double beta,
                     double* k) {
  return HWY_DYNAMIC_DISPATCH(gjsd_row_f32)(a, b, n, r, ea, sa, eb, sb, beta,
                                            k);
}
void simd_gjsd_grad_row(const double* a, const double* b, std::size_t n,
                        const pair_row& r, const double* ea, const double* sa,
                        const double* eb, const double* sb, double beta,
                        double k, double* grad, double gscale) {
  HWY_DYNAMIC_DISPATCH(gjsd_grad_row_f64)
  (a, b, n, r, ea, sa, eb, sb, beta, k, grad, gscale);
}
void simd_gjsd_grad_row(const float* a, const float* b, std::size_t n,
                        const pair_row& r, const double* ea, const double* sa,
                        const double* eb, const double* sb, double beta,
                        double k, float* grad, double gscale) {
  HWY_DYNAMIC_DISPATCH(gjsd_grad_row_f32)
  (a, b, n, r, ea, sa, eb, sb, beta, k, grad, gscale);
}

void simd_row_exp(const double* x, std::size_t n, double t, double* e,
                  double* cmax, lse_partial* out) {
  HWY_DYNAMIC_DISPATCH(row_exp_f64)(x, n, t, e, cmax, out);
}
void simd_row_exp(const float* x, std::size_t n, double t, double* e,
                  double* cmax, lse_partial* out) {
  HWY_DYNAMIC_DISPATCH(row_exp_f32)(x, n, t, e, cmax, out);
}
double simd_kl_row(const double* a, const double* b, std::size_t n,
                   const pair_row& r, const double* ea, const double* sa,
                   const double* eb, const double* sb, double* grad,
                   double gscale) {
  return HWY_DYNAMIC_DISPATCH(kl_row_f64)(a, b, n, r, ea, sa, eb, sb, grad,
                                          gscale);
}
double simd_kl_row(const float* a, const float* b, std::size_t n,
                   const pair_row& r, const double* ea, const double* sa,
                   const double* eb, const double* sb, float* grad,
                   double gscale) {
  return HWY_DYNAMIC_DISPATCH(kl_row_f32)(a, b, n, r, ea, sa, eb, sb, grad,
                                          gscale);
}
void simd_reverse_grad_row(const double* a, const double* b, std::size_t n,
                           const pair_row& r, const double* eb,
                           const double* sb, double value, double* grad,
                           double gscale) {
  HWY_DYNAMIC_DISPATCH(reverse_grad_row_f64)
  (a, b, n, r, eb, sb, value, grad, gscale);
}
void simd_reverse_grad_row(const float* a, const float* b, std::size_t n,
                           const pair_row& r, const double* eb,
                           const double* sb, double value, float* grad,
                           double gscale) {
  HWY_DYNAMIC_DISPATCH(reverse_grad_row_f32)
  (a, b, n, r, eb, sb, value, grad, gscale);
}
void simd_softmax_grad_row(std::size_t n, const double* e, const double* scale,
                           double* grad, double gscale) {
  HWY_DYNAMIC_DISPATCH(softmax_grad_row_f64)(n, e, scale, grad, gscale);
}
void simd_softmax_grad_row(std::size_t n, const double* e, const double* scale,
                           float* grad, double gscale) {
  HWY_DYNAMIC_DISPATCH(softmax_grad_row_f32)(n, e, scale, grad, gscale);
}

}  // namespace kldiv::detail
#endif  // HWY_ONCE
