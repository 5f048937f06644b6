// The accurate term functions of the discrete divergences, shared by the
// measures (discrete.cpp) and the SciPy-compatible forms (scipy_compat.cpp).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

namespace kldiv::detail {

// Neumaier's compensated summation: the error does not grow with n. An
// infinite term makes the sum infinite (the compensation would be NaN).
class compensated_sum {
 public:
  void add(double x) {
    const double t = s_ + x;
    if (!std::isfinite(t)) {
      s_ = t;
      c_ = 0.0;
      return;
    }
    if (std::fabs(s_) >= std::fabs(x)) {
      c_ += (s_ - t) + x;
    } else {
      c_ += (x - t) + s_;
    }
    s_ = t;
  }
  double value() const { return std::isfinite(s_) ? s_ + c_ : s_; }

 private:
  double s_ = 0.0;
  double c_ = 0.0;
};

// log(p / q) for p, q > 0, accurate to an ulp or two of the result.
inline double log_ratio(double p, double q) {
  if (p <= 2.0 * q && q <= 2.0 * p) return std::log1p((p - q) / q);
  const double r = p / q;
  if (std::isnormal(r)) return std::log(r);
  return std::log(p) - std::log(q);  // p/q overflows or underflows
}

// phi(x) = (1 + x) log1p(x) - x for x in [-1/2, 1], without cancellation.
// With u = x / (2 + x), |u| <= 1/3, log1p(x) = 2 atanh(u) gives
// phi = 2u^2 / (1 - u) * (1 + (1 + u) u (1/3 + u^2/5 + u^4/7 + ...)).
inline double phi_near_zero(double x) {
  // 1 / (2j + 3), j = 0, 1, ...: 20 terms reach 9^-20 < 1e-19 at |u| = 1/3.
  static constexpr auto kInvOdd = [] {
    std::array<double, 20> a{};
    for (std::size_t j = 0; j < a.size(); ++j)
      a[j] = 1.0 / (2.0 * static_cast<double>(j) + 3.0);
    return a;
  }();
  const double u = x / (2.0 + x);
  const double u2 = u * u;
  // Terms needed for 1e-18 relative: u2^j < 1e-18.
  const std::size_t terms = u2 < 1e-9   ? 2
                            : u2 < 1e-4 ? 5
                            : u2 < 1e-2 ? 10
                                        : kInvOdd.size();
  double series = 0.0;
  for (std::size_t j = terms; j-- > 0;) series = series * u2 + kInvOdd[j];
  return 2.0 * u2 / (1.0 - u) * (1.0 + (1.0 + u) * u * series);
}

// g(p, q) = p log(p/q) - p + q >= 0, the generalised-KL term, with its edges:
// g(0, q) = q, g(p > 0, 0) = inf.
inline double gkl_term(double p, double q) {
  if (p == 0.0) return q;
  if (q == 0.0) return std::numeric_limits<double>::infinity();
  if (p <= 2.0 * q && q <= 2.0 * p) return q * phi_near_zero((p - q) / q);
  return p * log_ratio(p, q) + (q - p);
}

// e^u - 1 - u >= 0 (= r - 1 - log r for r = e^u), from its series for
// |u| <= 1/2 (Horner over 1/k!, k = 2 .. 19: 2^-18/18! < 1e-21), so that
// nothing cancels near u = 0; +inf at u = +inf.
inline double expm1_minus(double u) {
  if (u == std::numeric_limits<double>::infinity()) return u;
  if (std::fabs(u) > 0.5) return std::expm1(u) - u;
  static constexpr auto kInvFact = [] {
    std::array<double, 18> c{};
    double f = 1.0;
    for (std::size_t k = 2; k < 20; ++k) {
      f *= static_cast<double>(k);
      c[k - 2] = 1.0 / f;
    }
    return c;
  }();
  double s = 0.0;
  for (std::size_t j = kInvFact.size(); j-- > 0;) s = s * u + kInvFact[j];
  return u * u * s;
}

}  // namespace kldiv::detail
