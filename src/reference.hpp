// The scalar reference implementations that the SIMD kernels are tested
// against (tests/test_simd.cpp), where the public function uses a kernel.
#pragma once

#include "kldiv/discrete.hpp"

namespace kldiv::detail {

/// kl(p, q, opt) by the scalar loops alone.
double kl_reference(dspan p, dspan q, const discrete_options& opt = {});
double kl_reference(fspan p, fspan q, const discrete_options& opt = {});

/// cross_entropy(p, q, opt) and entropy(p, opt) by the scalar loops alone.
double cross_entropy_reference(dspan p, dspan q,
                               const discrete_options& opt = {});
double cross_entropy_reference(fspan p, fspan q,
                               const discrete_options& opt = {});
double entropy_reference(dspan p, const discrete_options& opt = {});
double entropy_reference(fspan p, const discrete_options& opt = {});

/// Measure `m` by the scalar loops alone, whatever the public function uses.
double scalar_reference(measure m, dspan p, dspan q,
                        const discrete_options& opt = {},
                        const measure_params& params = {});
double scalar_reference(measure m, fspan p, fspan q,
                        const discrete_options& opt = {},
                        const measure_params& params = {});

}  // namespace kldiv::detail
