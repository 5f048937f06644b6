// SciPy's semantics, for drop-in replacements (the Python module's
// kldiv.scipy): no input checks, NaN in gives NaN out, a negative entry gives
// +inf or -inf as SciPy's would, and nothing throws for bad values. Where the
// inputs are valid, the values come from kldiv's accurate algorithms, so they
// equal SciPy's to rounding — and are more accurate where SciPy's formulas
// cancel (p close to q). The strict functions of discrete.hpp are the ones to
// use in new code.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "kldiv/matrix.hpp"

namespace kldiv::scipy_compat {

/// scipy.special.rel_entr, elementwise: x log(x/y) for x, y > 0; 0 for x = 0,
/// y >= 0; +inf otherwise; NaN if either is NaN. `out` has x's length.
void rel_entr(std::span<const double> x, std::span<const double> y,
              std::span<double> out);
void rel_entr(std::span<const float> x, std::span<const float> y,
              std::span<float> out);

/// scipy.special.kl_div, elementwise: x log(x/y) - x + y for x, y > 0; y for
/// x = 0, y >= 0; +inf otherwise; NaN if either is NaN.
void kl_div(std::span<const double> x, std::span<const double> y,
            std::span<double> out);
void kl_div(std::span<const float> x, std::span<const float> y,
            std::span<float> out);

/// scipy.stats.entropy(pk, qk, base) for each row: pk (and qk) divided by the
/// row's sum, then -Σ pk log pk, or Σ pk log(pk/qk) when qk is given; divided
/// by log(base) when a base is given. Throws InvalidArgument for base <= 0,
/// with SciPy's message.
std::vector<double> entropy(const matrix_view<double>& pk,
                            const matrix_view<double>* qk,
                            std::optional<double> base);

/// scipy.spatial.distance.jensenshannon(p, q, base) for each row: p and q
/// divided by their sums, sqrt((KL(p‖m) + KL(q‖m)) / 2 / log(base)).
std::vector<double> jensenshannon(const matrix_view<double>& p,
                                  const matrix_view<double>& q,
                                  std::optional<double> base);

}  // namespace kldiv::scipy_compat
