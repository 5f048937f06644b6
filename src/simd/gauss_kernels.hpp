// The Gaussian batch kernels' plain interface (see gauss-inl.h).
#pragma once

#include <cstddef>

namespace kldiv::detail {

/// One run of n Gaussian pairs: pointers with a stride of 1, or 0 for one
/// value used for every entry.
struct gauss_inputs {
  const double* loc_p;
  const double* scale_p;
  const double* loc_q;
  const double* scale_q;
  std::size_t stride_loc_p, stride_scale_p, stride_loc_q, stride_scale_q;
};

/// KL of each pair into out[i] (when out is not null) and their sum into
/// *sum; *bad when some scale is not > 0 and finite or some location is not
/// finite (the caller finds and reports it).
void gauss_kl_run(const gauss_inputs& in, std::size_t n, double* out,
                  double* sum, bool* bad);

/// The VAE term of n components: Σ 1/2 (expm1(lv) - lv + mu^2) into *sum,
/// with d/dmu = mu and d/dlv = expm1(lv)/2 into the gradients when they are
/// not null; *bad when some mu or lv is not finite.
void vae_run(const double* mu, const double* logvar, std::size_t n,
             double* grad_mu, double* grad_logvar, double* sum, bool* bad);

}  // namespace kldiv::detail
