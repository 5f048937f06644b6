// Welford's running mean and sum of squared deviations, merged with Chan et
// al.'s pairwise formula: Monte Carlo blocks are accumulated one by one and
// combined in block order (the same result for any thread count).
#pragma once

#include <cmath>

namespace kldiv::detail {

struct running_moments {
  double n = 0.0, mean = 0.0, m2 = 0.0;

  void add(double x) {
    n += 1.0;
    const double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  void merge(const running_moments& o) {
    if (o.n == 0.0) return;
    const double total = n + o.n;
    const double d = o.mean - mean;
    mean += d * o.n / total;
    m2 += o.m2 + d * d * n * o.n / total;
    n = total;
  }
  /// The sample variance (n - 1 in the denominator).
  double variance() const { return m2 / (n - 1.0); }
  /// The squared standard error of the mean.
  double mean_variance() const { return variance() / n; }
  double standard_error() const { return std::sqrt(mean_variance()); }
};

}  // namespace kldiv::detail
