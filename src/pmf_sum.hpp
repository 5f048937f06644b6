// KL(P || Q) = Σ_k P(k) log(P(k)/Q(k)) over k = 0 .. top, term by term
// (compensated): for a P whose support lies in 0 .. top. +inf where P has
// mass and Q none. Shared by the binomial closed form (n_P < n_Q) and the
// runtime's exact sums across discrete families.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "terms.hpp"

namespace kldiv::detail {

template <class P, class Q>
double kl_by_summation(const P& p, const Q& q, std::int64_t top) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  compensated_sum s;
  for (std::int64_t k = 0; k <= top; ++k) {
    const double lp = log_pmf(p, k);
    if (lp == -kInf) continue;
    const double lq = log_pmf(q, k);
    if (lq == -kInf) return kInf;
    s.add(std::exp(lp) * (lp - lq));
  }
  return std::max(s.value(), 0.0);
}

}  // namespace kldiv::detail
