// KL(P || Q) in closed form for two distributions of different families, in
// nats. Every pair is -H(P) - E_P[log q(X)] with the expectations of P that
// log q needs (E X, E X^2, E log X, E e^(-X/b), E X^k, E |X - m|).
//
// Sources, per pair: PyTorch 1.13 (torch/distributions/kl.py) for the pairs
// it registers; TensorFlow Probability for Weibull || Gamma; the rest derived
// here from the same expectations (each says so). chi2(df) is
// Gamma(df/2, rate 1/2) and exponential(rate) is Gamma(1, rate), so each
// Gamma formula serves them too.
//
// Numerics: the formulas are rearranged into sums of terms that are >= 0
// where the families overlap (exponential = gamma = chi2 = Weibull at shape
// 1, uniform(0, 1) = beta(1, 1)), so nearly equal distributions keep their
// digits and equal ones give exactly 0:
//   g(r) = r - 1 - log r from its series in log r;
//   B(x, y) = lgamma(x) - lgamma(y) - (x - y) digamma(y) >= 0 (the Bregman
//   divergence of lgamma) from its Taylor series when x is near y;
//   P || Normal as J(P) + g(var/s^2)/2 + (mean - loc)^2/(2 s^2), with J(P)
//   P's negentropy (its KL to the normal with its own mean and variance) in
//   a form without cancellation, Stirling's series for large shapes;
//   P || Gumbel as A + C + g(e^(C - t)), C = log E[e^-(X - E X)/scale] >= 0.
// +inf where P is not absolutely continuous with respect to Q, and where an
// expectation is infinite (a Pareto's mean for alpha <= 1, its second moment
// for alpha <= 2, a Laplace's E e^(-X/scale) when its scale is at least the
// Gumbel's); never NaN.
#include <algorithm>
#include <array>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/polygamma.hpp>
#include <cmath>
#include <limits>
#include <numbers>

#include "kldiv/distributions.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEuler = std::numbers::egamma;
constexpr double kPi = std::numbers::pi;
constexpr double kLog2Pi = 1.8378770664093454836;  // log(2 pi)

using boost::math::digamma;

using detail::expm1_minus;  // e^u - 1 - u without cancellation

// u - log1p(u) >= 0 for u > -1 (= g(1 + u)).
double minus_log1p(double u) { return expm1_minus(std::log1p(u)); }

// B(x, y) = lgamma(x) - lgamma(y) - (x - y) digamma(y) >= 0 for x, y > 0.
// Where |x - y| <= y/5 from the Taylor series Σ_{j>=2} ψ^(j-1)(y) d^j / j!
// (its terms shrink at least like (d/y)^j / j), so nearly equal arguments
// keep their digits; otherwise directly. d is x - y, passed by callers that
// know it more exactly than the rounded x allows (x = a + b, x = 1/k).
double lgamma_bregman(double x, double y, double d) {
  if (d == 0.0) return 0.0;
  if (std::fabs(d) > 0.2 * y) {
    return std::max(std::lgamma(x) - std::lgamma(y) - d * digamma(y), 0.0);
  }
  double sum = 0.0, c = d;
  for (int j = 2; j < 60; ++j) {
    c *= d / j;
    const double t = boost::math::polygamma(j - 1, y) * c;
    sum += t;
    if (std::fabs(t) <= 1e-17 * std::fabs(sum)) break;
  }
  return std::max(sum, 0.0);
}

double lgamma_bregman(double x, double y) {
  return lgamma_bregman(x, y, x - y);
}

// log(b l) for b, l > 0: one rounding unless the product overflows or
// underflows.
double log_product(double b, double l) {
  const double bl = b * l;
  return std::isnormal(bl) ? std::log(bl) : std::log(b) + std::log(l);
}

// Stirling's remainders, for x > 0:
//   delta(x) = lgamma(x) - ((x - 1/2) log x - x + log(2 pi)/2),
//   eps(x)   = log x - 1/(2x) - digamma(x),
// from their asymptotic series (Bernoulli numbers) for x >= 10, where the
// 8th term is below 4e-15 of the sum; directly below.
double stirling_delta(double x) {
  if (x < 10.0) {
    return std::lgamma(x) - ((x - 0.5) * std::log(x) - x + 0.5 * kLog2Pi);
  }
  // B_2n / (2n (2n - 1)), n = 1 .. 8.
  static constexpr double c[] = {1.0 / 12,    -1.0 / 360,      1.0 / 1260,
                                 -1.0 / 1680, 1.0 / 1188,      -691.0 / 360360,
                                 1.0 / 156,   -3617.0 / 122400};
  const double z = 1.0 / (x * x);
  double s = 0.0;
  for (int j = 7; j >= 0; --j) s = s * z + c[j];
  return s / x;
}

double stirling_eps(double x) {
  if (x < 10.0) return std::log(x) - 0.5 / x - digamma(x);
  // B_2n / (2n), n = 1 .. 8.
  static constexpr double c[] = {1.0 / 12,   -1.0 / 120,    1.0 / 252,
                                 -1.0 / 240, 1.0 / 132,     -691.0 / 32760,
                                 1.0 / 12,   -3617.0 / 8160};
  const double z = 1.0 / (x * x);
  double s = 0.0;
  for (int j = 7; j >= 0; --j) s = s * z + c[j];
  return s * z;
}

// ---- the expectations of P ------------------------------------------------

// E[log X] for X ~ Uniform(a, b), 0 <= a < b. Near a narrow interval (half
// width h <= m/2 about the midpoint m) as log m - Σ_k (h/m)^2k / (2k (2k+1))
// (the odd moments vanish), so nothing cancels; else
// (b log b - a log a)/(b - a) - 1 with 0 log 0 = 0.
double uniform_mean_log(double a, double b) {
  const double m = 0.5 * a + 0.5 * b, h = 0.5 * b - 0.5 * a;
  const double r = h / m;
  if (r <= 0.5) {
    const double r2 = r * r;
    double s = 0.0, p = 1.0;
    for (int k = 1; k < 40; ++k) {
      p *= r2;
      const double t = p / (2.0 * k * (2.0 * k + 1.0));
      s += t;
      if (t <= 1e-18 * s) break;
    }
    return std::log(m) - s;
  }
  const auto xlogx = [](double x) { return x == 0.0 ? 0.0 : x * std::log(x); };
  return (xlogx(b) - xlogx(a)) / (b - a) - 1.0;
}

// -H(P), the negative entropy.
double neg_entropy_gamma(double shape, double rate) {
  return std::log(rate) - shape - std::lgamma(shape) +
         (shape - 1.0) * digamma(shape);
}

// -H(Beta(a, b)) = KL(Beta(a, b) || Uniform(0, 1))
//   = B(1, a) + B(1, b) - B(2, a + b)
// (exact: lgamma(1) = lgamma(2) = 0), each term accurate near a = b = 1.
double neg_entropy_beta(double a, double b) {
  return lgamma_bregman(1.0, a) + lgamma_bregman(1.0, b) -
         lgamma_bregman(2.0, a + b, (1.0 - a) + (1.0 - b));
}

// J(P) = KL(P || Normal(E X, sd X)) >= 0, P's negentropy: where the family
// has a shape parameter, from Stirling's remainders so that near-normal
// shapes (large) keep their digits.
double negentropy_gamma(double shape) {
  const double a = shape;
  return std::max(0.5 / a - stirling_delta(a) - (a - 1.0) * stirling_eps(a),
                  0.0);
}

double negentropy_beta(double a, double b) {
  const double n = a + b;
  const double t = -0.5 * std::log1p(1.0 / n) + 0.5 / a + 0.5 / b - 1.0 / n -
                   stirling_delta(a) - stirling_delta(b) + stirling_delta(n) -
                   (a - 1.0) * stirling_eps(a) - (b - 1.0) * stirling_eps(b) +
                   (n - 2.0) * stirling_eps(n);
  return std::max(t, 0.0);
}

// ---- the cross entropies of Q, arranged ------------------------------------

// KL(P || Normal(loc, scale)) = J(P) + g(sd^2/scale^2)/2
//   + (mean - loc)^2 / (2 scale^2), given mean - loc (formed by the caller
// from the locations' difference where P has one, so no digits are lost to
// a rounded mean).
double to_normal(double negentropy, double mean_minus_loc, double sd,
                 const normal& q) {
  const double z = mean_minus_loc / q.scale();
  return negentropy +
         0.5 * expm1_minus(2.0 * detail::log_ratio(sd, q.scale())) +
         0.5 * z * z;
}

// KL(P || Gumbel(loc, scale)) = -H(P) + log scale + t + M, with
// t = (E X - loc)/scale and M = E e^-(X - loc)/scale = e^(C - t), C = log E
// e^-(X - E X)/scale >= 0 (Jensen): written as A + C + g(e^(C - t)) with A =
// -H(P) + log scale + 1, so large |t| cannot cancel against M.
double to_gumbel(double a, double c, double mean, const gumbel& q) {
  if (c == kInf) return kInf;
  const double t = (mean - q.loc()) / q.scale();
  return std::max(a + c + expm1_minus(c - t), 0.0);
}

// KL(Gamma(ap, bp) || Gamma(aq, bq)) = ap g(ρ) + B(aq, ap)
//   + (ap - aq) log ρ, ρ = bq/bp (torch's _kl_gamma_gamma, rearranged: the
// first two terms are >= 0 and the third is second order where the others
// are small).
double gamma_gamma(double ap, double bp, double aq, double bq) {
  const double lr = detail::log_ratio(bq, bp);
  return std::max(
      ap * expm1_minus(lr) + lgamma_bregman(aq, ap) + (ap - aq) * lr, 0.0);
}

// KL(P || Gamma(shape, rate)) from -H(P), E log X, E X.
double to_gamma(double neg_entropy, double mean_log, double mean, double shape,
                double rate) {
  if (mean == kInf) return kInf;
  return std::max(neg_entropy - shape * std::log(rate) + std::lgamma(shape) -
                      (shape - 1.0) * mean_log + rate * mean,
                  0.0);
}

// KL(Weibull(scale l, shape k) || Gamma(a, b)) (TFP's _kl_weibull_gamma:
// -H(W) - a log b + lgamma(a) - (a - 1) E log X + b E X with E log X = log l
// - γ/k, E X = l Γ(1 + 1/k)), rearranged with u = 1/k and ρ = b l Γ(1 + u):
//   g(ρ) + B(u, 1) + B(a, 1) + (a - 1)(γ (u - 1) - log(b l)),
// the first three >= 0 and the last second order near k = a = 1.
double weibull_gamma(double l, double k, double a, double b) {
  const double u = 1.0 / k;
  const double um1 = (1.0 - k) / k;  // u - 1 without the rounding of u
  if (std::lgamma(1.0 + u) == kInf) return kInf;  // E X = l Γ(1 + u)
  // log Γ(1 + u) = log u + lgamma(u) = -log k + B(u, 1) - γ (u - 1).
  const double bu = lgamma_bregman(u, 1.0, um1);
  const double lg1u = -std::log(k) + bu - kEuler * um1;
  const double log_bl = log_product(b, l);
  const double g = expm1_minus(log_bl + lg1u);
  if (g == kInf) return kInf;  // ρ overflows or underflows: it dominates
  // h - log ρ = γ (u - 1) - log(b l), without the lgamma.
  return std::max(
      g + bu + lgamma_bregman(a, 1.0) + (a - 1.0) * (kEuler * um1 - log_bl),
      0.0);
}

// KL(Gamma(a, b) || Weibull(scale l, shape k)), derived: -H(Γ) - log k + k
// log l - (k - 1) E log X + l^-k E X^k with E log X = ψ(a) - log b and E X^k
// = Γ(a + k) / (Γ(a) b^k). With ρ = E X^k / l^k it is g(ρ) + C(a, k), C the
// least KL over l:
//   C = g(k/a) + B(a + k, a + 1) + D(a), D(a) = B(1, a) - (a - 1)^2 / a.
double gamma_weibull(double a, double b, double l, double k) {
  // lgamma(a + k) - lgamma(a) = log a + (k - 1) ψ(a + 1) + B(a + k, a + 1),
  // with k - 1 exact where a + k is not.
  const double b2 = lgamma_bregman(a + k, a + 1.0, k - 1.0);
  const double log_rho =
      std::log(a) + (k - 1.0) * digamma(a + 1.0) + b2 - k * log_product(b, l);
  const double g = expm1_minus(log_rho);
  if (g == kInf) return kInf;
  // D(a) = B(1, a) - (a - 1)^2 / a; for a >= 10 by Stirling's remainders,
  // 3/2 - log(2 π a)/2 - 1/(2a) - delta(a) - (a - 1) eps(a), as the two
  // parts grow like a while D grows like log a.
  const double d = a < 10.0
                       ? lgamma_bregman(1.0, a) - (a - 1.0) * ((a - 1.0) / a)
                       : 1.5 - 0.5 * (kLog2Pi + std::log(a)) - 0.5 / a -
                             stirling_delta(a) - (a - 1.0) * stirling_eps(a);
  const double c = expm1_minus(detail::log_ratio(k, a)) + b2 + d;
  return std::max(g + c, 0.0);
}

}  // namespace

// ---- Bernoulli || Poisson (torch's _kl_bernoulli_poisson) ------------------
// -H(P) - p log λ + λ = [p log(p/λ) - p + λ] + [(1 - p) log(1 - p) + p], both
// >= 0.
double kl(const bernoulli& p, const poisson& q) {
  const double x = p.p();
  const double t = x == 1.0   ? 1.0
                   : x <= 0.5 ? detail::phi_near_zero(-x)
                              : (1.0 - x) * std::log1p(-x) + x;
  return detail::gkl_term(x, q.rate()) + t;
}

// ---- Beta || ... (torch)
// -----------------------------------------------------

double kl(const beta& p, const exponential& q) {
  const double mean = p.a() / (p.a() + p.b());
  return std::max(
      neg_entropy_beta(p.a(), p.b()) - std::log(q.rate()) + q.rate() * mean,
      0.0);
}

double kl(const beta& p, const gamma& q) {
  const double n = p.a() + p.b();
  return to_gamma(neg_entropy_beta(p.a(), p.b()), digamma(p.a()) - digamma(n),
                  p.a() / n, q.shape(), q.rate());
}

// Derived (chi2 as a gamma).
double kl(const beta& p, const chi2& q) {
  return kl(p, gamma(0.5 * q.df(), 0.5));
}

double kl(const beta& p, const normal& q) {
  const double a = p.a(), b = p.b(), n = a + b;
  const double sd = std::sqrt(a * b / (n + 1.0)) / n;
  return to_normal(negentropy_beta(a, b), a / n - q.loc(), sd, q);
}

double kl(const beta& p, const uniform& q) {
  if (q.low() > 0.0 || q.high() < 1.0) return kInf;
  return std::max(neg_entropy_beta(p.a(), p.b()) + std::log(q.high() - q.low()),
                  0.0);
}

// ---- Exponential, Gamma, Chi2 among themselves (torch's exponential-gamma,
// gamma-exponential, and Gamma || Gamma for chi2) ---------------------------

double kl(const exponential& p, const gamma& q) {
  return gamma_gamma(1.0, p.rate(), q.shape(), q.rate());
}
double kl(const gamma& p, const exponential& q) {
  return gamma_gamma(p.shape(), p.rate(), 1.0, q.rate());
}
double kl(const chi2& p, const exponential& q) {
  return gamma_gamma(0.5 * p.df(), 0.5, 1.0, q.rate());
}
double kl(const exponential& p, const chi2& q) {
  return gamma_gamma(1.0, p.rate(), 0.5 * q.df(), 0.5);
}
double kl(const chi2& p, const gamma& q) {
  return gamma_gamma(0.5 * p.df(), 0.5, q.shape(), q.rate());
}
double kl(const gamma& p, const chi2& q) {
  return gamma_gamma(p.shape(), p.rate(), 0.5 * q.df(), 0.5);
}

// ---- ... || Gumbel (torch's exponential-gumbel, gamma-gumbel, normal-gumbel,
// uniform-gumbel; chi2 as a gamma; Laplace derived) ---------------------------

// Gamma(a, r): C = a (u - log1p u), u = 1/(r scale).
double kl(const gamma& p, const gumbel& q) {
  const double a = p.shape(), r = p.rate(), s = q.scale();
  const double c = a * minus_log1p(1.0 / (r * s));
  const double big_a = neg_entropy_gamma(a, r) + std::log(s) + 1.0;
  return to_gumbel(big_a, c, a / r, q);
}

double kl(const exponential& p, const gumbel& q) {
  const double w = p.rate() * q.scale();
  return to_gumbel(std::log(p.rate()) + std::log(q.scale()),
                   minus_log1p(1.0 / w), 1.0 / p.rate(), q);
}

double kl(const chi2& p, const gumbel& q) {
  return kl(gamma(0.5 * p.df(), 0.5), q);
}

// C = σ² / (2 scale²).
double kl(const normal& p, const gumbel& q) {
  const double z = p.scale() / q.scale();
  return to_gumbel(
      std::log(q.scale()) - std::log(p.scale()) + 0.5 - 0.5 * kLog2Pi,
      0.5 * z * z, p.loc(), q);
}

// C = log(sinh(y)/y), y = (high - low) / (2 scale).
double kl(const uniform& p, const gumbel& q) {
  const double width = p.high() - p.low();
  const double y = 0.5 * width / q.scale();
  double c;
  if (y < 0.5) {  // sinh(y)/y - 1 = Σ_k y^2k / (2k+1)!
    const double y2 = y * y;
    double s = 0.0, t = 1.0;
    for (int k = 1; k < 12; ++k) {
      t *= y2 / ((2.0 * k) * (2.0 * k + 1.0));
      s += t;
    }
    c = std::log1p(s);
  } else if (y < 20.0) {
    c = std::log(std::sinh(y) / y);
  } else {
    c = y - std::log(2.0 * y) + std::log1p(-std::exp(-2.0 * y));
  }
  return to_gumbel(std::log(q.scale()) - std::log(width) + 1.0, c,
                   0.5 * p.low() + 0.5 * p.high(), q);
}

// Derived: E e^-(X - m)/s = 1/(1 - (b/s)^2) for b < s (the Laplace's moment
// generating function), +inf otherwise; -H(P) = -1 - log(2b).
double kl(const laplace& p, const gumbel& q) {
  const double z = p.scale() / q.scale();
  const double c = z < 1.0 ? -std::log1p(-z * z) : kInf;
  return to_gumbel(std::log(q.scale()) - std::log(2.0 * p.scale()), c, p.loc(),
                   q);
}

// ---- ... || Normal (torch's beta-, exponential-, gamma-, gumbel-, laplace-,
// pareto-, uniform-normal; chi2 as a gamma; half-normal derived) ------------
// Each as J(P) + g(var/scale^2)/2 + (mean - loc)^2/(2 scale^2).

double kl(const exponential& p, const normal& q) {
  // J = (log 2π - 1)/2.
  return to_normal(0.5 * (kLog2Pi - 1.0), 1.0 / p.rate() - q.loc(),
                   1.0 / p.rate(), q);
}

double kl(const gamma& p, const normal& q) {
  const double a = p.shape();
  return to_normal(negentropy_gamma(a), a / p.rate() - q.loc(),
                   std::sqrt(a) / p.rate(), q);
}

double kl(const chi2& p, const normal& q) {
  return kl(gamma(0.5 * p.df(), 0.5), q);
}

// J = log(π^3 e / 3)/2 - γ - 1; mean loc + γ scale, sd π scale / √6.
double kl(const gumbel& p, const normal& q) {
  const double j =
      0.5 * (3.0 * std::log(kPi) + 1.0 - std::log(3.0)) - kEuler - 1.0;
  return to_normal(j, (p.loc() - q.loc()) + kEuler * p.scale(),
                   kPi / std::sqrt(6.0) * p.scale(), q);
}

// J = (log π - 1)/2; sd √2 scale.
double kl(const laplace& p, const normal& q) {
  return to_normal(0.5 * (std::log(kPi) - 1.0), p.loc() - q.loc(),
                   std::numbers::sqrt2 * p.scale(), q);
}

// J = log(2π)/2 - 1/2 - 1/α - log1p(-1/α) - log1p(-2/α)/2; +inf for α <= 2
// (an infinite second moment).
double kl(const pareto& p, const normal& q) {
  const double a = p.alpha(), s = p.scale();
  if (a <= 2.0) return kInf;
  const double j = 0.5 * kLog2Pi - 0.5 - 1.0 / a - std::log1p(-1.0 / a) -
                   0.5 * std::log1p(-2.0 / a);
  const double sd = s / (a - 1.0) * std::sqrt(a / (a - 2.0));
  return to_normal(std::max(j, 0.0), s * (a / (a - 1.0)) - q.loc(), sd, q);
}

// J = log(π e / 6)/2.
double kl(const uniform& p, const normal& q) {
  const double w = p.high() - p.low();
  return to_normal(0.5 * std::log(kPi * std::numbers::e / 6.0),
                   0.5 * p.low() + 0.5 * p.high() - q.loc(),
                   w / (2.0 * std::numbers::sqrt3), q);
}

// Derived: E X = σ √(2/π), var σ² (1 - 2/π), J = log(4 - 8/π)/2.
double kl(const half_normal& p, const normal& q) {
  const double s = p.scale();
  return to_normal(0.5 * std::log(4.0 - 8.0 / kPi),
                   s * std::sqrt(2.0 / kPi) - q.loc(),
                   s * std::sqrt(1.0 - 2.0 / kPi), q);
}

// ---- Normal || Laplace (torch's _kl_normal_laplace) ------------------------
// log(b/σ) + E|X - m|/b - (1 + log(π/2))/2 with E|X - m| = σ √(2/π)
// e^(-Δ²/2σ²) + Δ erf(Δ/(σ√2)), written g(E/b) + log(E/σ) + (1 - log(π/2))/2
// (the last two >= log(2/π) + 1/2 > 0).
double kl(const normal& p, const laplace& q) {
  const double s = p.scale(), d = std::fabs(p.loc() - q.loc());
  const double z = d / s;
  const double e = s * std::sqrt(2.0 / kPi) * std::exp(-0.5 * z * z) +
                   d * std::erf(z / std::numbers::sqrt2);
  return expm1_minus(detail::log_ratio(e, q.scale())) +
         detail::log_ratio(e, s) + 0.5 * (1.0 - std::log(0.5 * kPi));
}

// ---- Pareto || ... (torch)
// ---------------------------------------------------

// log(α/(s λ)) - 1/α + α s λ/(α - 1) - 1; +inf for α <= 1 (infinite mean).
double kl(const pareto& p, const exponential& q) {
  const double a = p.alpha(), sl = p.scale() * q.rate();
  if (a <= 1.0) return kInf;
  const double lin = sl * (a / (a - 1.0));
  if (lin == kInf) return kInf;
  return std::max(std::log(a) - std::log(p.scale()) - std::log(q.rate()) -
                      1.0 / a + lin - 1.0,
                  0.0);
}

double kl(const pareto& p, const gamma& q) {
  const double a = p.alpha(), s = p.scale();
  if (a <= 1.0) return kInf;
  return to_gamma(std::log(a / s) - 1.0 - 1.0 / a, std::log(s) + 1.0 / a,
                  s * (a / (a - 1.0)), q.shape(), q.rate());
}

double kl(const pareto& p, const chi2& q) {
  return kl(p, gamma(0.5 * q.df(), 0.5));
}

// ---- Uniform || ... (torch)
// --------------------------------------------------

// -log(b - a) + B(x, 1) + B(y, 1) - B(x + y, 2) - (x - 1)(E log X + 1)
//   - (y - 1)(E log(1 - X) + 1),
// torch's _kl_uniform_beta with lbeta(x, y) = B(x, 1) + B(y, 1) - B(x + y, 2)
// - (x + y - 2): exactly 0 for Uniform(0, 1) || Beta(1, 1).
double kl(const uniform& p, const beta& q) {
  const double lo = p.low(), hi = p.high(), x = q.a(), y = q.b();
  if (lo < 0.0 || hi > 1.0) return kInf;
  const double el = uniform_mean_log(lo, hi) + 1.0;
  const double el1 = uniform_mean_log(1.0 - hi, 1.0 - lo) + 1.0;
  return std::max(-std::log(hi - lo) + lgamma_bregman(x, 1.0) +
                      lgamma_bregman(y, 1.0) -
                      lgamma_bregman(x + y, 2.0, (x - 1.0) + (y - 1.0)) -
                      (x - 1.0) * el - (y - 1.0) * el1,
                  0.0);
}

double kl(const uniform& p, const exponential& q) {
  if (p.low() < 0.0) return kInf;
  const double l = q.rate();
  return std::max(
      l * (0.5 * p.low() + 0.5 * p.high()) - std::log((p.high() - p.low()) * l),
      0.0);
}

double kl(const uniform& p, const gamma& q) {
  if (p.low() < 0.0) return kInf;
  return to_gamma(-std::log(p.high() - p.low()),
                  uniform_mean_log(p.low(), p.high()),
                  0.5 * p.low() + 0.5 * p.high(), q.shape(), q.rate());
}

double kl(const uniform& p, const chi2& q) {
  return kl(p, gamma(0.5 * q.df(), 0.5));
}

// -log(b - a) - log α - α log s + (α + 1) E log X.
double kl(const uniform& p, const pareto& q) {
  if (p.low() < q.scale()) return kInf;
  const double el = uniform_mean_log(p.low(), p.high());
  return std::max(-std::log(p.high() - p.low()) - std::log(q.alpha()) +
                      q.alpha() * (el - std::log(q.scale())) + el,
                  0.0);
}

// ---- Weibull and the gammas (TFP's Weibull || Gamma; the others derived) --

double kl(const weibull& p, const gamma& q) {
  return weibull_gamma(p.scale(), p.shape(), q.shape(), q.rate());
}
double kl(const weibull& p, const exponential& q) {
  return weibull_gamma(p.scale(), p.shape(), 1.0, q.rate());
}
double kl(const weibull& p, const chi2& q) {
  return weibull_gamma(p.scale(), p.shape(), 0.5 * q.df(), 0.5);
}
double kl(const gamma& p, const weibull& q) {
  return gamma_weibull(p.shape(), p.rate(), q.scale(), q.shape());
}
double kl(const exponential& p, const weibull& q) {
  return gamma_weibull(1.0, p.rate(), q.scale(), q.shape());
}
double kl(const chi2& p, const weibull& q) {
  return gamma_weibull(0.5 * p.df(), 0.5, q.scale(), q.shape());
}

// ---- +inf by the supports (torch's _kl_*_infinity and their chi2 and
// half-normal analogues): P puts mass where Q has none. -----------------------

#define KLDIV_INFINITE_KL(P, Q) \
  double kl(const P&, const Q&) { return kInf; }
KLDIV_INFINITE_KL(beta, pareto)
KLDIV_INFINITE_KL(exponential, beta)
KLDIV_INFINITE_KL(exponential, pareto)
KLDIV_INFINITE_KL(exponential, uniform)
KLDIV_INFINITE_KL(gamma, beta)
KLDIV_INFINITE_KL(gamma, pareto)
KLDIV_INFINITE_KL(gamma, uniform)
KLDIV_INFINITE_KL(chi2, beta)
KLDIV_INFINITE_KL(chi2, pareto)
KLDIV_INFINITE_KL(chi2, uniform)
KLDIV_INFINITE_KL(gumbel, beta)
KLDIV_INFINITE_KL(gumbel, exponential)
KLDIV_INFINITE_KL(gumbel, gamma)
KLDIV_INFINITE_KL(gumbel, chi2)
KLDIV_INFINITE_KL(gumbel, pareto)
KLDIV_INFINITE_KL(gumbel, uniform)
KLDIV_INFINITE_KL(laplace, beta)
KLDIV_INFINITE_KL(laplace, exponential)
KLDIV_INFINITE_KL(laplace, gamma)
KLDIV_INFINITE_KL(laplace, chi2)
KLDIV_INFINITE_KL(laplace, pareto)
KLDIV_INFINITE_KL(laplace, uniform)
KLDIV_INFINITE_KL(normal, beta)
KLDIV_INFINITE_KL(normal, exponential)
KLDIV_INFINITE_KL(normal, gamma)
KLDIV_INFINITE_KL(normal, chi2)
KLDIV_INFINITE_KL(normal, pareto)
KLDIV_INFINITE_KL(normal, uniform)
KLDIV_INFINITE_KL(normal, half_normal)
KLDIV_INFINITE_KL(pareto, beta)
KLDIV_INFINITE_KL(pareto, uniform)
KLDIV_INFINITE_KL(poisson, bernoulli)
KLDIV_INFINITE_KL(poisson, binomial)
#undef KLDIV_INFINITE_KL

}  // namespace kldiv
