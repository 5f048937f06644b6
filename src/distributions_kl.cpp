// KL(P || Q) in closed form for two distributions of the same family, in
// nats. Sources: torch/distributions/kl.py (PyTorch 1.13) for the pairs it
// has; TFP for Weibull; Chyzak & Nielsen (2019) for Cauchy; the von Mises
// pair from its definition with A(κ) = I1(κ)/I0(κ). Where a formula would
// cancel for nearly equal parameters it is rearranged (r - 1 - log r from its
// series in log r, the Poisson term as p log(p/q) - p + q without
// cancellation, normals by the Gaussian kernel). +inf where P is not
// absolutely continuous with respect to Q; never NaN.
#include <algorithm>
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "pmf_sum.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEulerGamma = std::numbers::egamma;

// r - 1 - log r >= 0 for r = a / b > 0, without cancellation near r = 1:
// with u = log r (by log1p of the exact difference where a, b are close),
// e^u - 1 - u from its series (terms.hpp); far from 1, a / b exactly.
double r_minus_1_minus_log_r(double a, double b) {
  const double u = detail::log_ratio(a, b);
  if (std::fabs(u) > 0.5) return a / b - 1.0 - u;
  return detail::expm1_minus(u);
}

// φ(u) = u - log(1 + u) >= 0 for u > -1 (+inf at u = -1): e^w - 1 - w with
// w = log1p(u).
double phi(double u) {
  const double w = std::log1p(u);
  if (std::fabs(w) > 0.5) return u - w;
  return detail::expm1_minus(w);
}

double kl_normal_one(double mp, double sp, double mq, double sq) {
  double out = 0.0;
  kl_normal(std::span<const double>(&mp, 1), std::span<const double>(&sp, 1),
            std::span<const double>(&mq, 1), std::span<const double>(&sq, 1),
            std::span<double>(&out, 1), 1);
  return out;
}

// p log(p/q) with 0 log 0 = 0 and +inf for p > 0 = q.
double plogpq(double p, double q) {
  if (p == 0.0) return 0.0;
  if (q == 0.0) return kInf;
  return p * detail::log_ratio(p, q);
}

// log I0(κ), for κ >= 0, without overflow.
double log_i0(double k) {
  if (k < 700.0) return std::log(boost::math::cyl_bessel_i(0, k));
  // I0(k) e^-k sqrt(2 pi k) = 1 + 1/(8k) + 9/(128k^2) + 225/(3072k^3) + ...
  const double x = 1.0 / k;
  return k - 0.5 * std::log(2.0 * std::numbers::pi * k) +
         std::log1p(x * (1.0 / 8 + x * (9.0 / 128 + x * (225.0 / 3072))));
}

// A(κ) = I1(κ) / I0(κ).
double bessel_ratio(double k) {
  if (k == 0.0) return 0.0;
  if (k < 700.0) {
    return boost::math::cyl_bessel_i(1, k) / boost::math::cyl_bessel_i(0, k);
  }
  // 1 - 1/(2k) - 1/(8k^2) - 1/(8k^3) - 25/(128 k^4) + ...
  const double x = 1.0 / k;
  return 1.0 - x * (0.5 + x * (0.125 + x * (0.125 + x * 25.0 / 128)));
}

}  // namespace

double kl(const normal& p, const normal& q) {
  return kl_normal_one(p.loc(), p.scale(), q.loc(), q.scale());
}

double kl(const lognormal& p, const lognormal& q) {
  return kl_normal_one(p.loc(), p.scale(), q.loc(), q.scale());
}

double kl(const half_normal& p, const half_normal& q) {
  return kl_normal_one(0.0, p.scale(), 0.0, q.scale());
}

// KL = r - 1 - log r with r = λq / λp.
double kl(const exponential& p, const exponential& q) {
  return r_minus_1_minus_log_r(q.rate(), p.rate());
}

// torch's _kl_gamma_gamma.
double kl(const gamma& p, const gamma& q) {
  const double ap = p.shape(), bp = p.rate(), aq = q.shape(), bq = q.rate();
  if (ap == aq && bp == bq) return 0.0;
  const double t1 = aq * detail::log_ratio(bp, bq);
  const double t2 = std::lgamma(aq) - std::lgamma(ap);
  const double t3 = (ap - aq) * boost::math::digamma(ap);
  const double t4 = (bq - bp) * (ap / bp);
  return std::max(t1 + t2 + t3 + t4, 0.0);
}

double kl(const chi2& p, const chi2& q) {
  return kl(gamma(p.df() / 2, 0.5), gamma(q.df() / 2, 0.5));
}

// torch's _kl_beta_beta.
double kl(const beta& p, const beta& q) {
  const double a1 = p.a(), b1 = p.b(), a2 = q.a(), b2 = q.b();
  if (a1 == a2 && b1 == b2) return 0.0;
  using boost::math::digamma;
  const double t1 = std::lgamma(a2) + std::lgamma(b2) + std::lgamma(a1 + b1);
  const double t2 = std::lgamma(a1) + std::lgamma(b1) + std::lgamma(a2 + b2);
  const double t3 = (a1 - a2) * digamma(a1);
  const double t4 = (b1 - b2) * digamma(b1);
  const double t5 = (a2 + b2 - a1 - b1) * digamma(a1 + b1);
  return std::max(t1 - t2 + t3 + t4 + t5, 0.0);
}

// torch's _kl_laplace_laplace: -log(r) + |Δ|/sq + r e^(-|Δ|/sp) - 1, r =
// sp/sq; with Δ = 0 it is r - 1 - log r.
double kl(const laplace& p, const laplace& q) {
  const double delta = std::fabs(p.loc() - q.loc());
  if (delta == 0.0) return r_minus_1_minus_log_r(p.scale(), q.scale());
  const double r = p.scale() / q.scale();
  return std::max(
      -std::log(r) + delta / q.scale() + r * std::exp(-delta / p.scale()) - 1.0,
      0.0);
}

double kl(const uniform& p, const uniform& q) {
  if (q.low() > p.low() || q.high() < p.high()) return kInf;
  return std::log((q.high() - q.low()) / (p.high() - p.low()));
}

// Chyzak & Nielsen (2019): log(((sp + sq)^2 + Δ^2) / (4 sp sq)).
double kl(const cauchy& p, const cauchy& q) {
  const double d = p.loc() - q.loc();
  const double diff = p.scale() - q.scale();
  // ((sp + sq)^2 + Δ^2) / (4 sp sq) = 1 + ((sp - sq)^2 + Δ^2) / (4 sp sq).
  return std::log1p((diff * diff + d * d) / (4.0 * p.scale() * q.scale()));
}

// torch's _kl_gumbel_gumbel.
double kl(const gumbel& p, const gumbel& q) {
  if (p.loc() == q.loc() && p.scale() == q.scale()) return 0.0;
  const double ct1 = p.scale() / q.scale();
  const double ct2 = q.loc() / q.scale();
  const double ct3 = p.loc() / q.scale();
  const double t1 = -std::log(ct1) - ct2 + ct3;
  const double t2 = ct1 * kEulerGamma;
  const double t3 = std::exp(ct2 + std::lgamma(1.0 + ct1) - ct3);
  return std::max(t1 + t2 + t3 - (1.0 + kEulerGamma), 0.0);
}

// torch's _kl_pareto_pareto; +inf where P's support starts below Q's.
double kl(const pareto& p, const pareto& q) {
  if (p.scale() < q.scale()) return kInf;
  const double t1 = q.alpha() * detail::log_ratio(p.scale(), q.scale());
  return std::max(t1 + r_minus_1_minus_log_r(q.alpha(), p.alpha()), 0.0);
}

// TFP / Bauckhage (2013), with k the shapes and λ the scales:
// log(k1/λ1^k1) - log(k2/λ2^k2) + (k1 - k2)(log λ1 - γ/k1)
//   + (λ1/λ2)^k2 Γ(k2/k1 + 1) - 1.
double kl(const weibull& p, const weibull& q) {
  const double k1 = p.shape(), l1 = p.scale(), k2 = q.shape(), l2 = q.scale();
  if (k1 == k2 && l1 == l2) return 0.0;
  const double t = std::log(k1) - k1 * std::log(l1) - std::log(k2) +
                   k2 * std::log(l2) +
                   (k1 - k2) * (std::log(l1) - kEulerGamma / k1);
  const double e =
      std::exp(k2 * std::log(l1 / l2) + std::lgamma(k2 / k1 + 1.0));
  return std::max(t + e - 1.0, 0.0);
}

// log(I0(κq) / I0(κp)) + A(κp) (κp - κq cos(μp - μq)).
double kl(const von_mises& p, const von_mises& q) {
  const double kp = p.concentration(), kq = q.concentration();
  if (kp == kq && p.loc() == q.loc()) return 0.0;
  return std::max(
      log_i0(kq) - log_i0(kp) +
          bessel_ratio(kp) * (kp - kq * std::cos(p.loc() - q.loc())),
      0.0);
}

// With δ = q - p (exact where p and q are close): KL = p φ(δ/p) +
// (1 - p) φ(-δ/(1 - p)), φ(u) = u - log(1 + u) >= 0. Neither 1 - q (which
// would carry the rounding of q's complement) nor a difference of logs is
// formed, so nearly equal p and q keep their digits.
double kl(const bernoulli& p, const bernoulli& q) {
  const double a = p.p(), b = q.p();
  if (a == b) return 0.0;
  if (a == 0.0) return -std::log1p(-b);  // +inf for b = 1
  if (a == 1.0) return -std::log(b);     // +inf for b = 0
  const double d = b - a;
  return std::max(a * phi(d / a) + (1.0 - a) * phi(-d / (1.0 - a)), 0.0);
}

// Equal n: n KL(Bernoulli(p) || Bernoulli(q)); P's n above Q's: +inf;
// below: by exact summation over P's support.
double kl(const binomial& p, const binomial& q) {
  if (p.n() > q.n()) {
    return p.p() == 0.0 ? (q.p() == 1.0 && q.n() > 0 ? kInf : -log_pmf(q, 0))
                        : kInf;
  }
  if (p.n() == q.n()) {
    return static_cast<double>(p.n()) * kl(bernoulli(p.p()), bernoulli(q.p()));
  }
  return detail::kl_by_summation(p, q, p.n());
}

// λp log(λp/λq) - λp + λq, every part >= 0 (terms.hpp's g).
double kl(const poisson& p, const poisson& q) {
  return detail::gkl_term(p.rate(), q.rate());
}

// Σ_k P(k) log(P(k)/Q(k)) = log(p/q) + (1-p)/p log((1-p)/(1-q)), which is
// KL(Bernoulli(p) || Bernoulli(q)) / p.
double kl(const geometric& p, const geometric& q) {
  return kl(bernoulli(p.p()), bernoulli(q.p())) / p.p();
}

double kl(const categorical& p, const categorical& q) {
  const auto& a = p.probs();
  const auto& b = q.probs();
  detail::compensated_sum s;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double qi = i < b.size() ? b[i] : 0.0;
    const double t = plogpq(a[i], qi);
    if (t == kInf) return kInf;
    // The g form (p log(p/q) - p + q >= 0) keeps nearly equal vectors'
    // digits; Σ(q - p) over P's support is added back below.
    s.add(a[i] == 0.0 ? 0.0 : detail::gkl_term(a[i], qi));
  }
  detail::compensated_sum d;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == 0.0) continue;
    d.add(a[i]);
    d.add(-(i < b.size() ? b[i] : 0.0));
  }
  return std::max(s.value() + d.value(), 0.0);
}

// torch's _kl_dirichlet_dirichlet.
double kl(const dirichlet& p, const dirichlet& q) {
  const auto& a = p.alpha();
  const auto& b = q.alpha();
  if (a.size() != b.size()) {
    throw InvalidArgument("kl(dirichlet, dirichlet): p has " +
                          std::to_string(a.size()) + " components but q has " +
                          std::to_string(b.size()));
  }
  if (a == b) return 0.0;
  double sa = 0.0, sb = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sa += a[i];
    sb += b[i];
  }
  double t = std::lgamma(sa) - std::lgamma(sb);
  const double psa = boost::math::digamma(sa);
  for (std::size_t i = 0; i < a.size(); ++i) {
    t -= std::lgamma(a[i]) - std::lgamma(b[i]);
    t += (a[i] - b[i]) * (boost::math::digamma(a[i]) - psa);
  }
  return std::max(t, 0.0);
}

}  // namespace kldiv
