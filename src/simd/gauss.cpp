// Compiles gauss-inl.h once per SIMD target and dispatches to the best one at
// run time, under the same target limit as the other kernels.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/gauss.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/gauss-inl.h"

#if HWY_ONCE
namespace kldiv::detail {

HWY_EXPORT(gauss_kl_run_impl);
HWY_EXPORT(vae_run_impl);

void gauss_kl_run(const gauss_inputs& in, std::size_t n, double* out,
                  double* sum, bool* bad) {
  HWY_DYNAMIC_DISPATCH(gauss_kl_run_impl)(in, n, out, sum, bad);
}

void vae_run(const double* mu, const double* logvar, std::size_t n,
             double* grad_mu, double* grad_logvar, double* sum, bool* bad) {
  HWY_DYNAMIC_DISPATCH(vae_run_impl)
  (mu, logvar, n, grad_mu, grad_logvar, sum, bad);
}

}  // namespace kldiv::detail
#endif  // HWY_ONCE
