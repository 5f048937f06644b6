// The parametric families of kldiv/distributions.hpp: parameter checks,
// log-densities, moments, entropies and seeded sampling (the closed-form KL
// divergences are in distributions_kl.cpp).
//
// Accuracy: log-densities use Boost.Math's gamma_p_derivative and
// ibeta_derivative (the density of the gamma and beta laws, computed without
// the cancellation of lgamma terms for large shapes) wherever their result is
// a normal number, and the textbook log form in the far tails, where the
// value is large and the cancellation harmless. Entropies are closed forms,
// with asymptotic series where the textbook form cancels (gamma for large
// shape, Student-t for large df, von Mises for large concentration); Poisson
// and binomial entropies are exact sums (see poisson's entropy).
//
// Moments: a moment that exists but is infinite is returned as +inf (Pareto
// mean for alpha <= 1, Pareto variance for 1 < alpha <= 2, Student-t variance
// for 1 < df <= 2); one that does not exist at all (the integral has no value,
// as the Cauchy mean, or a variance about an infinite or undefined mean)
// throws NotSupported.
#include "kldiv/distributions.hpp"

#include <algorithm>
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/seed_seq.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "math_policy.hpp"

namespace kldiv {

// ---------------------------------------------------------------------------
// random_stream

// mt19937_64 seeded through Boost's seed_seq (the C++11 seed_seq algorithm,
// defined by Boost and so the same everywhere) with the four 32-bit words
// (seed low, seed high, stream low, stream high): distinct (seed, stream)
// pairs give distinct, thoroughly mixed initial states of the 19937-bit
// engine, so streams are independent for every practical purpose (an overlap
// of two streams within 2^64 draws has probability about 2^-19800).
struct random_stream::state {
  boost::random::mt19937_64 engine;
};

namespace {

boost::random::mt19937_64 make_engine(std::uint64_t seed,
                                      std::uint64_t stream) {
  const std::uint32_t words[4] = {
      static_cast<std::uint32_t>(seed & 0xffffffffu),
      static_cast<std::uint32_t>(seed >> 32),
      static_cast<std::uint32_t>(stream & 0xffffffffu),
      static_cast<std::uint32_t>(stream >> 32)};
  boost::random::seed_seq seq(words, words + 4);
  return boost::random::mt19937_64(seq);
}

}  // namespace

random_stream::random_stream(std::uint64_t seed, std::uint64_t stream)
    : state_(std::make_unique<state>(state{make_engine(seed, stream)})) {}
random_stream::~random_stream() = default;
random_stream::random_stream(random_stream&&) noexcept = default;
random_stream& random_stream::operator=(random_stream&&) noexcept = default;

double random_stream::uniform() {
  // uniform_01 gives [0, 1); 0 is redrawn (probability 2^-53 per draw).
  boost::random::uniform_01<double> u;
  for (;;) {
    const double x = u(state_->engine);
    if (x > 0.0) return x;
  }
}

double random_stream::normal() {
  boost::random::normal_distribution<double> n;
  return n(state_->engine);
}

double random_stream::gamma(double shape) {
  boost::random::gamma_distribution<double> g(shape);
  return g(state_->engine);
}

double random_stream::exponential() {
  boost::random::exponential_distribution<double> e;
  return e(state_->engine);
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = std::numbers::pi;
constexpr double kLn2 = std::numbers::ln2;
constexpr double kLnPi = 1.1447298858494002;   // log(pi)
constexpr double kLn2Pi = 1.8378770664093453;  // log(2 pi)
constexpr double kEulerGamma = std::numbers::egamma;

// Boost.Math's errors as return values (math_policy.hpp).
using detail::math_policy;

double lgam(double x) { return boost::math::lgamma(x, math_policy()); }
double digam(double x) { return boost::math::digamma(x, math_policy()); }

// ---------------------------------------------------------------------------
// Parameter checks, one per constraint (Stan Math style). Messages read
// "<family>: <name> = <value>, but must be <what is allowed>".

[[noreturn]] void fail(std::string_view fam, std::string_view name,
                       const std::string& value, std::string_view allowed) {
  throw InvalidArgument(std::string(fam) + ": " + std::string(name) + " = " +
                        value + ", but must be " + std::string(allowed));
}

void check_finite(std::string_view fam, std::string_view name, double v) {
  if (!std::isfinite(v)) fail(fam, name, detail::format_number(v), "finite");
}

void check_positive_finite(std::string_view fam, std::string_view name,
                           double v) {
  if (!(v > 0.0 && std::isfinite(v)))
    fail(fam, name, detail::format_number(v), "> 0 and finite");
}

void check_nonnegative_finite(std::string_view fam, std::string_view name,
                              double v) {
  if (!(v >= 0.0 && std::isfinite(v)))
    fail(fam, name, detail::format_number(v), ">= 0 and finite");
}

void check_probability(std::string_view fam, std::string_view name, double v) {
  if (!(v >= 0.0 && v <= 1.0))
    fail(fam, name, detail::format_number(v), ">= 0 and <= 1");
}

void check_positive_probability(std::string_view fam, std::string_view name,
                                double v) {
  if (!(v > 0.0 && v <= 1.0))
    fail(fam, name, detail::format_number(v), "> 0 and <= 1");
}

void check_nonnegative_count(std::string_view fam, std::string_view name,
                             std::int64_t v) {
  if (v < 0) fail(fam, name, std::to_string(v), ">= 0");
}

void check_less(std::string_view fam, std::string_view name, double v,
                std::string_view other_name, double other) {
  if (!(v < other))
    fail(fam, name, detail::format_number(v),
         "< " + std::string(other_name) + " = " + detail::format_number(other));
}

void check_min_size(std::string_view fam, std::string_view name,
                    std::size_t size, std::size_t min) {
  if (size < min)
    throw InvalidArgument(std::string(fam) + ": " + std::string(name) +
                          " has " + std::to_string(size) +
                          (size == 1 ? " element" : " elements") +
                          ", but must have at least " + std::to_string(min));
}

constexpr double kSimplexTolerance = 1e-6;

void check_simplex(std::string_view fam, std::string_view name,
                   const std::vector<double>& v) {
  check_min_size(fam, name, v.size(), 1);
  double sum = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!(v[i] >= 0.0 && std::isfinite(v[i])))
      fail(fam, std::string(name) + "[" + std::to_string(i) + "]",
           detail::format_number(v[i]), ">= 0 and finite");
    sum += v[i];
  }
  if (!(std::fabs(sum - 1.0) <= kSimplexTolerance))
    throw InvalidArgument(std::string(fam) + ": " + std::string(name) +
                          " sums to " + detail::format_number(sum) +
                          ", but must sum to 1 within 1e-6");
}

void check_not_nan(std::string_view fam, std::string_view name, double v) {
  if (std::isnan(v))
    throw InvalidArgument(std::string(fam) + ": " + std::string(name) +
                          " = nan, but must not be NaN");
}

[[noreturn]] void no_moment(std::string_view fam, std::string_view moment,
                            const std::string& condition) {
  throw NotSupported(std::string(fam) + ": the " + std::string(moment) +
                     " does not exist" + condition);
}

// ---------------------------------------------------------------------------
// Numerical helpers.

// log(1 + t^2) without overflow of t^2.
double log1p_square(double t) {
  const double a = std::fabs(t);
  if (a > 1e150) return 2.0 * std::log(a) + std::log1p(1.0 / a / a);
  return std::log1p(a * a);
}

// y * log(x) with 0 * log(0) = 0 (the density's limit at a boundary).
double xlogy(double y, double x) {
  if (y == 0.0) return 0.0;
  return y * std::log(x);
}

// Neumaier's compensated sum.
struct compensated_sum {
  double sum = 0.0, c = 0.0;
  void add(double x) {
    const double t = sum + x;
    if (std::fabs(sum) >= std::fabs(x))
      c += (sum - t) + x;
    else
      c += (x - t) + sum;
    sum = t;
  }
  double value() const { return sum + c; }
};

// log of the Gamma(a, 1) density at z > 0: Boost's gamma_p_derivative where
// it is a normal number (accurate for large a), else the log form.
double log_gamma_density(double a, double z) {
  const double d = boost::math::gamma_p_derivative(a, z, math_policy());
  if (std::isnormal(d)) return std::log(d);
  return (a - 1.0) * std::log(z) - z - lgam(a);
}

// log of the Beta(a, b) density at 0 < x < 1.
double log_beta_density(double a, double b, double x) {
  const double d = boost::math::ibeta_derivative(a, b, x, math_policy());
  if (std::isnormal(d)) return std::log(d);
  return (a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) -
         (lgam(a) + lgam(b) - lgam(a + b));
}

// Differential entropy of Gamma(a, 1): a + lgamma(a) + (1 - a) digamma(a),
// which cancels for large a; there the Stirling series
//   1/2 (1 + log(2 pi a)) - 1/(2a) + sum_k B_2k / ((2k-1) a^(2k-1))
//                                  - sum_k B_2k / (2k a^(2k))
// (truncated after k = 5: error below 1e-17 for a >= 20).
double gamma_entropy_unit(double a) {
  if (a < 20.0) return a + lgam(a) + (1.0 - a) * digam(a);
  constexpr double b2k[5] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66};
  double series = 0.0;
  double inv = 1.0 / a, pw = inv;  // a^-(2k-1)
  for (int k = 1; k <= 5; ++k) {
    const double two_k = 2.0 * k;
    series += b2k[k - 1] * pw / (two_k - 1.0) - b2k[k - 1] * pw * inv / two_k;
    pw *= inv * inv;
  }
  return 0.5 * (1.0 + std::log(2.0 * kPi * a)) - 0.5 * inv + series;
}

// digamma(x + 1/2) - digamma(x), x > 0: for large x the asymptotic series
//   1/(2x) + sum_k (2 - 2^(1-2k)) B_2k / (2k x^(2k))
// (truncated after k = 8: error below 1e-19 relative for x >= 20), since the
// difference of two digammas loses digits there.
double digamma_half_step(double x) {
  if (x < 20.0) return digam(x + 0.5) - digam(x);
  constexpr double b2k[8] = {1.0 / 6,  -1.0 / 30,     1.0 / 42, -1.0 / 30,
                             5.0 / 66, -691.0 / 2730, 7.0 / 6,  -3617.0 / 510};
  const double inv2 = 1.0 / (x * x);
  double sum = 0.0, pw = inv2, p2 = 0.5;  // p2 = 2^(1-2k)
  for (int k = 1; k <= 8; ++k) {
    sum += (2.0 - p2) * b2k[k - 1] * pw / (2.0 * k);
    pw *= inv2;
    p2 *= 0.25;
  }
  return 0.5 / x + sum;
}

// Modified Bessel functions for the von Mises law. Below kBesselSwitch
// Boost's cyl_bessel_i (no overflow there); above it the asymptotic series
//   I_v(k) e^-k sqrt(2 pi k) ~ sum_j (-1)^j a_j(v) / k^j,
//   a_j(v) = prod_{i<=j} (4 v^2 - (2i-1)^2) / (j! 8^j),
// summed while its terms decrease and exceed 1e-17 (at k >= 50 they fall far
// below double precision long before they start to grow).
constexpr double kBesselSwitch = 50.0;

struct bessel_series {
  double s0, s1;  // the two sums for v = 0 and v = 1
  double diff;    // s0 - s1, summed termwise (no cancellation)
};

bessel_series bessel_asymptotic(double k) {
  bessel_series r{1.0, 1.0, 0.0};
  double t0 = 1.0, t1 = 1.0;  // (-1)^j a_j(v) / k^j
  for (int j = 1; j < 200; ++j) {
    const double odd = 2.0 * j - 1.0;
    const double n0 = t0 * (-(0.0 - odd * odd)) / (j * 8.0 * k);
    const double n1 = t1 * (-(4.0 - odd * odd)) / (j * 8.0 * k);
    if (std::fabs(n0) > std::fabs(t0) && j > 2) break;  // diverging
    t0 = n0;
    t1 = n1;
    r.s0 += t0;
    r.s1 += t1;
    r.diff += t0 - t1;
    if (std::fabs(t0) < 1e-17 && std::fabs(t1) < 1e-17) break;
  }
  return r;
}

// log(I0(k)) - k.
double log_i0e(double k) {
  if (k < kBesselSwitch)
    return std::log(boost::math::cyl_bessel_i(0.0, k, math_policy())) - k;
  return std::log(bessel_asymptotic(k).s0) - 0.5 * std::log(2.0 * kPi * k);
}

// 1 - I1(k)/I0(k): the circular variance of VonMises(., k).
double one_minus_bessel_ratio(double k) {
  if (k == 0.0) return 1.0;
  if (k < kBesselSwitch) {
    const double i0 = boost::math::cyl_bessel_i(0.0, k, math_policy());
    const double i1 = boost::math::cyl_bessel_i(1.0, k, math_policy());
    return (i0 - i1) / i0;
  }
  const bessel_series s = bessel_asymptotic(k);
  return s.diff / s.s0;
}

// log of a Gamma(shape, 1) variate without underflow for small shapes:
// G(a) = G(a + 1) U^(1/a) in distribution.
double log_gamma_variate(double shape, random_stream& r) {
  if (shape >= 1.0) return std::log(r.gamma(shape));
  return std::log(r.gamma(shape + 1.0)) + std::log(r.uniform()) / shape;
}

// Shannon entropy of a unimodal pmf on the integers lo..hi (hi may be
// "infinite") by exact summation of -p log p outward from the mode, each
// term from the accurate log_pmf; a direction stops where its terms have
// fallen below 1e-19 of the sum so far and p < 1e-3 (past the hump of
// -p log p, so the terms decrease from there on, faster than geometrically
// for the Poisson and binomial tails). The result is the sum to within a few
// ulp plus the neglected tail (below 1e-17 relative).
template <class LogPmf>
double entropy_by_summation(LogPmf log_pmf, std::int64_t mode, std::int64_t lo,
                            std::int64_t hi) {
  compensated_sum sum;
  auto term = [&](std::int64_t k) {
    const double lp = log_pmf(k);
    if (lp == -kInf) return 0.0;
    return -std::exp(lp) * lp;
  };
  auto small_enough = [&](std::int64_t k, double t) {
    return std::exp(log_pmf(k)) < 1e-3 && t <= 1e-19 * sum.value();
  };
  sum.add(term(mode));
  for (std::int64_t k = mode + 1; k <= hi; ++k) {
    const double t = term(k);
    sum.add(t);
    if (small_enough(k, t)) break;
  }
  for (std::int64_t k = mode - 1; k >= lo; --k) {
    const double t = term(k);
    sum.add(t);
    if (small_enough(k, t)) break;
  }
  return sum.value();
}

std::int64_t saturating_floor(double x) {
  if (x >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(std::floor(x));
}

}  // namespace

// ---------------------------------------------------------------------------
// normal

normal::normal(double loc, double scale) : loc_(loc), scale_(scale) {
  check_finite("normal", "loc", loc);
  check_positive_finite("normal", "scale", scale);
}

double log_pdf(const normal& d, double x) {
  check_not_nan("normal", "x", x);
  const double z = (x - d.loc()) / d.scale();
  return -0.5 * z * z - std::log(d.scale()) - 0.5 * kLn2Pi;
}
double mean(const normal& d) { return d.loc(); }
double variance(const normal& d) { return d.scale() * d.scale(); }
double entropy(const normal& d) {
  return 0.5 + 0.5 * kLn2Pi + std::log(d.scale());
}
double sample(const normal& d, random_stream& r) {
  return d.loc() + d.scale() * r.normal();
}
std::string_view family(const normal&) { return "normal"; }

// ---------------------------------------------------------------------------
// exponential

exponential::exponential(double rate) : rate_(rate) {
  check_positive_finite("exponential", "rate", rate);
}

double log_pdf(const exponential& d, double x) {
  check_not_nan("exponential", "x", x);
  if (x < 0.0 || x == kInf) return -kInf;
  return std::log(d.rate()) - d.rate() * x;
}
double mean(const exponential& d) { return 1.0 / d.rate(); }
double variance(const exponential& d) { return 1.0 / (d.rate() * d.rate()); }
double entropy(const exponential& d) { return 1.0 - std::log(d.rate()); }
double sample(const exponential& d, random_stream& r) {
  return r.exponential() / d.rate();
}
std::string_view family(const exponential&) { return "exponential"; }

// ---------------------------------------------------------------------------
// gamma

gamma::gamma(double shape, double rate) : shape_(shape), rate_(rate) {
  check_positive_finite("gamma", "shape", shape);
  check_positive_finite("gamma", "rate", rate);
}

namespace {
double gamma_log_pdf(double a, double rate, double x) {
  if (x < 0.0 || x == kInf) return -kInf;
  if (x == 0.0) {  // the density's limit at 0
    if (a < 1.0) return kInf;
    if (a == 1.0) return std::log(rate);
    return -kInf;
  }
  const double z = rate * x;
  if (z == kInf) return -kInf;
  if (z == 0.0 || !std::isnormal(z))
    return (a - 1.0) * (std::log(rate) + std::log(x)) - z - lgam(a) +
           std::log(rate);
  return log_gamma_density(a, z) + std::log(rate);
}
}  // namespace

double log_pdf(const gamma& d, double x) {
  check_not_nan("gamma", "x", x);
  return gamma_log_pdf(d.shape(), d.rate(), x);
}
double mean(const gamma& d) { return d.shape() / d.rate(); }
double variance(const gamma& d) { return d.shape() / d.rate() / d.rate(); }
double entropy(const gamma& d) {
  return gamma_entropy_unit(d.shape()) - std::log(d.rate());
}
double sample(const gamma& d, random_stream& r) {
  if (d.shape() >= 1.0) return r.gamma(d.shape()) / d.rate();
  return std::exp(log_gamma_variate(d.shape(), r)) / d.rate();
}
std::string_view family(const gamma&) { return "gamma"; }

// ---------------------------------------------------------------------------
// chi2 = Gamma(df/2, 1/2)

chi2::chi2(double df) : df_(df) { check_positive_finite("chi2", "df", df); }

double log_pdf(const chi2& d, double x) {
  check_not_nan("chi2", "x", x);
  return gamma_log_pdf(0.5 * d.df(), 0.5, x);
}
double mean(const chi2& d) { return d.df(); }
double variance(const chi2& d) { return 2.0 * d.df(); }
double entropy(const chi2& d) {
  return gamma_entropy_unit(0.5 * d.df()) + kLn2;
}
double sample(const chi2& d, random_stream& r) {
  return 2.0 * std::exp(log_gamma_variate(0.5 * d.df(), r));
}
std::string_view family(const chi2&) { return "chi2"; }

// ---------------------------------------------------------------------------
// beta

beta::beta(double a, double b) : a_(a), b_(b) {
  check_positive_finite("beta", "a", a);
  check_positive_finite("beta", "b", b);
}

double log_pdf(const beta& d, double x) {
  check_not_nan("beta", "x", x);
  const double a = d.a(), b = d.b();
  if (x < 0.0 || x > 1.0) return -kInf;
  if (x == 0.0 || x == 1.0) {  // the density's limit at the boundary
    const double e = x == 0.0 ? a : b;
    if (e < 1.0) return kInf;
    if (e > 1.0) return -kInf;
    return -(lgam(a) + lgam(b) - lgam(a + b));
  }
  return log_beta_density(a, b, x);
}
double mean(const beta& d) { return d.a() / (d.a() + d.b()); }
double variance(const beta& d) {
  const double s = d.a() + d.b();
  return d.a() / s * (d.b() / s) / (s + 1.0);
}
double entropy(const beta& d) {
  const double a = d.a(), b = d.b();
  return lgam(a) + lgam(b) - lgam(a + b) - (a - 1.0) * digam(a) -
         (b - 1.0) * digam(b) + (a + b - 2.0) * digam(a + b);
}
double sample(const beta& d, random_stream& r) {
  // X = Ga / (Ga + Gb) = logistic(log Ga - log Gb), in log space so that
  // small shapes do not turn it into 0/0.
  const double la = log_gamma_variate(d.a(), r);
  const double lb = log_gamma_variate(d.b(), r);
  const double t = lb - la;
  if (t > 0.0) {
    const double e = std::exp(-t);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + std::exp(t));
}
std::string_view family(const beta&) { return "beta"; }

// ---------------------------------------------------------------------------
// laplace

laplace::laplace(double loc, double scale) : loc_(loc), scale_(scale) {
  check_finite("laplace", "loc", loc);
  check_positive_finite("laplace", "scale", scale);
}

double log_pdf(const laplace& d, double x) {
  check_not_nan("laplace", "x", x);
  return -std::fabs(x - d.loc()) / d.scale() - std::log(2.0 * d.scale());
}
double mean(const laplace& d) { return d.loc(); }
double variance(const laplace& d) { return 2.0 * d.scale() * d.scale(); }
double entropy(const laplace& d) { return 1.0 + kLn2 + std::log(d.scale()); }
double sample(const laplace& d, random_stream& r) {
  // Inverse CDF: v = u - 1/2 in (-1/2, 1/2), so log1p's argument is > -1.
  const double v = r.uniform() - 0.5;
  const double m = -std::log1p(-2.0 * std::fabs(v));
  return v < 0.0 ? d.loc() - d.scale() * m : d.loc() + d.scale() * m;
}
std::string_view family(const laplace&) { return "laplace"; }

// ---------------------------------------------------------------------------
// uniform

uniform::uniform(double low, double high) : low_(low), high_(high) {
  check_finite("uniform", "low", low);
  check_finite("uniform", "high", high);
  check_less("uniform", "low", low, "high", high);
}

namespace {
// log(high - low) without overflow of the difference.
double log_width(const uniform& d) {
  const double w = d.high() - d.low();
  if (std::isfinite(w)) return std::log(w);
  return std::log(0.5 * d.high() - 0.5 * d.low()) + kLn2;
}
}  // namespace

double log_pdf(const uniform& d, double x) {
  check_not_nan("uniform", "x", x);
  if (x < d.low() || x > d.high()) return -kInf;
  return -log_width(d);
}
double mean(const uniform& d) { return 0.5 * d.low() + 0.5 * d.high(); }
double variance(const uniform& d) {
  const double w = d.high() - d.low();
  return w * w / 12.0;
}
double entropy(const uniform& d) { return log_width(d); }
double sample(const uniform& d, random_stream& r) {
  const double u = r.uniform();
  const double x = (1.0 - u) * d.low() + u * d.high();
  return std::clamp(x, d.low(), d.high());
}
std::string_view family(const uniform&) { return "uniform"; }

// ---------------------------------------------------------------------------
// lognormal

lognormal::lognormal(double loc, double scale) : loc_(loc), scale_(scale) {
  check_finite("lognormal", "loc", loc);
  check_positive_finite("lognormal", "scale", scale);
}

double log_pdf(const lognormal& d, double x) {
  check_not_nan("lognormal", "x", x);
  if (x <= 0.0 || x == kInf) return -kInf;
  const double lx = std::log(x);
  const double z = (lx - d.loc()) / d.scale();
  // log(scale) + log(x) as one logarithm where the product is a normal
  // number: the two can be large and cancel.
  const double sx = d.scale() * x;
  const double log_sx = std::isnormal(sx) && std::isfinite(sx)
                            ? std::log(sx)
                            : std::log(d.scale()) + lx;
  return -0.5 * z * z - 0.5 * kLn2Pi - log_sx;
}
double mean(const lognormal& d) {
  return std::exp(d.loc() + 0.5 * d.scale() * d.scale());
}
double variance(const lognormal& d) {
  const double s2 = d.scale() * d.scale();
  return std::expm1(s2) * std::exp(2.0 * d.loc() + s2);
}
double entropy(const lognormal& d) {
  return d.loc() + 0.5 + 0.5 * kLn2Pi + std::log(d.scale());
}
double sample(const lognormal& d, random_stream& r) {
  return std::exp(d.loc() + d.scale() * r.normal());
}
std::string_view family(const lognormal&) { return "lognormal"; }

// ---------------------------------------------------------------------------
// cauchy

cauchy::cauchy(double loc, double scale) : loc_(loc), scale_(scale) {
  check_finite("cauchy", "loc", loc);
  check_positive_finite("cauchy", "scale", scale);
}

double log_pdf(const cauchy& d, double x) {
  check_not_nan("cauchy", "x", x);
  if (std::isinf(x)) return -kInf;
  const double z = (x - d.loc()) / d.scale();
  return -kLnPi - std::log(d.scale()) - log1p_square(z);
}
double mean(const cauchy&) {
  no_moment("cauchy", "mean", " (the integral does not converge)");
}
double variance(const cauchy&) {
  no_moment("cauchy", "variance", " (the mean does not exist)");
}
double entropy(const cauchy& d) {
  return std::log(4.0 * kPi) + std::log(d.scale());
}
double sample(const cauchy& d, random_stream& r) {
  return d.loc() + d.scale() * std::tan(kPi * (r.uniform() - 0.5));
}
std::string_view family(const cauchy&) { return "cauchy"; }

// ---------------------------------------------------------------------------
// gumbel

gumbel::gumbel(double loc, double scale) : loc_(loc), scale_(scale) {
  check_finite("gumbel", "loc", loc);
  check_positive_finite("gumbel", "scale", scale);
}

double log_pdf(const gumbel& d, double x) {
  check_not_nan("gumbel", "x", x);
  const double z = (x - d.loc()) / d.scale();
  if (std::isinf(z)) return -kInf;
  return -(z + std::exp(-z)) - std::log(d.scale());
}
double mean(const gumbel& d) { return d.loc() + d.scale() * kEulerGamma; }
double variance(const gumbel& d) {
  return kPi * kPi / 6.0 * d.scale() * d.scale();
}
double entropy(const gumbel& d) {
  return std::log(d.scale()) + 1.0 + kEulerGamma;
}
double sample(const gumbel& d, random_stream& r) {
  // -log(-log U) with -log U ~ Exponential(1).
  return d.loc() - d.scale() * std::log(r.exponential());
}
std::string_view family(const gumbel&) { return "gumbel"; }

// ---------------------------------------------------------------------------
// half_normal

half_normal::half_normal(double scale) : scale_(scale) {
  check_positive_finite("half_normal", "scale", scale);
}

double log_pdf(const half_normal& d, double x) {
  check_not_nan("half_normal", "x", x);
  if (x < 0.0) return -kInf;
  const double z = x / d.scale();
  return -0.5 * z * z - std::log(d.scale()) + 0.5 * (kLn2 - kLnPi);
}
double mean(const half_normal& d) { return d.scale() * std::sqrt(2.0 / kPi); }
double variance(const half_normal& d) {
  return d.scale() * d.scale() * (1.0 - 2.0 / kPi);
}
double entropy(const half_normal& d) {
  return std::log(d.scale()) + 0.5 * (kLnPi - kLn2) + 0.5;
}
double sample(const half_normal& d, random_stream& r) {
  return d.scale() * std::fabs(r.normal());
}
std::string_view family(const half_normal&) { return "half_normal"; }

// ---------------------------------------------------------------------------
// pareto

pareto::pareto(double scale, double alpha) : scale_(scale), alpha_(alpha) {
  check_positive_finite("pareto", "scale", scale);
  check_positive_finite("pareto", "alpha", alpha);
}

double log_pdf(const pareto& d, double x) {
  check_not_nan("pareto", "x", x);
  if (x < d.scale() || x == kInf) return -kInf;
  const double ratio = x / d.scale();
  const double lr = std::isfinite(ratio) ? std::log(ratio)
                                         : std::log(x) - std::log(d.scale());
  return std::log(d.alpha()) - std::log(d.scale()) - (d.alpha() + 1.0) * lr;
}
double mean(const pareto& d) {
  if (d.alpha() <= 1.0) return kInf;
  return d.alpha() * d.scale() / (d.alpha() - 1.0);
}
double variance(const pareto& d) {
  const double a = d.alpha();
  if (a <= 1.0)
    no_moment("pareto", "variance",
              " for alpha = " + detail::format_number(a) +
                  " (the mean is infinite for alpha <= 1)");
  if (a <= 2.0) return kInf;
  const double am1 = a - 1.0;
  return d.scale() * d.scale() * a / (am1 * am1 * (a - 2.0));
}
double entropy(const pareto& d) {
  return std::log(d.scale() / d.alpha()) + 1.0 + 1.0 / d.alpha();
}
double sample(const pareto& d, random_stream& r) {
  // Inverse CDF: scale U^(-1/alpha) = scale exp(E / alpha).
  return d.scale() * std::exp(r.exponential() / d.alpha());
}
std::string_view family(const pareto&) { return "pareto"; }

// ---------------------------------------------------------------------------
// weibull

weibull::weibull(double scale, double shape) : scale_(scale), shape_(shape) {
  check_positive_finite("weibull", "scale", scale);
  check_positive_finite("weibull", "shape", shape);
}

double log_pdf(const weibull& d, double x) {
  check_not_nan("weibull", "x", x);
  const double k = d.shape(), lam = d.scale();
  if (x < 0.0 || x == kInf) return -kInf;
  if (x == 0.0) {  // the density's limit at 0
    if (k < 1.0) return kInf;
    if (k == 1.0) return -std::log(lam);
    return -kInf;
  }
  const double z = x / lam;
  const double lz = std::isnormal(z) && std::isfinite(z)
                        ? std::log(z)
                        : std::log(x) - std::log(lam);
  return std::log(k) - std::log(lam) + (k - 1.0) * lz - std::exp(k * lz);
}
double mean(const weibull& d) {
  return d.scale() * std::exp(lgam(1.0 + 1.0 / d.shape()));
}
double variance(const weibull& d) {
  // lam^2 (G(1 + 2/k) - G(1 + 1/k)^2), factored so that neither gamma
  // overflows for small k.
  const double g1 = lgam(1.0 + 1.0 / d.shape());
  const double g2 = lgam(1.0 + 2.0 / d.shape());
  return d.scale() * d.scale() * std::exp(2.0 * g1) * std::expm1(g2 - 2.0 * g1);
}
double entropy(const weibull& d) {
  return kEulerGamma * (1.0 - 1.0 / d.shape()) +
         std::log(d.scale() / d.shape()) + 1.0;
}
double sample(const weibull& d, random_stream& r) {
  return d.scale() * std::pow(r.exponential(), 1.0 / d.shape());
}
std::string_view family(const weibull&) { return "weibull"; }

// ---------------------------------------------------------------------------
// student_t

student_t::student_t(double df, double loc, double scale)
    : df_(df), loc_(loc), scale_(scale) {
  check_positive_finite("student_t", "df", df);
  check_finite("student_t", "loc", loc);
  check_positive_finite("student_t", "scale", scale);
}

namespace {
// log(sqrt(df) G(df/2) / G(df/2 + 1/2)), without the cancellation of the
// lgamma difference for large df (the product tends to sqrt 2).
double student_log_norm(double df) {
  return std::log(std::sqrt(df) * boost::math::tgamma_delta_ratio(
                                      0.5 * df, 0.5, math_policy()));
}
}  // namespace

double log_pdf(const student_t& d, double x) {
  check_not_nan("student_t", "x", x);
  if (std::isinf(x)) return -kInf;
  const double z = (x - d.loc()) / d.scale();
  const double df = d.df();
  return -student_log_norm(df) - 0.5 * kLnPi - std::log(d.scale()) -
         0.5 * (df + 1.0) * log1p_square(z / std::sqrt(df));
}
double mean(const student_t& d) {
  if (d.df() <= 1.0)
    no_moment("student_t", "mean",
              " for df = " + detail::format_number(d.df()) + " (needs df > 1)");
  return d.loc();
}
double variance(const student_t& d) {
  const double df = d.df();
  if (df <= 1.0)
    no_moment("student_t", "variance",
              " for df = " + detail::format_number(df) +
                  " (the mean does not exist for df <= 1)");
  if (df <= 2.0) return kInf;
  return d.scale() * d.scale() * df / (df - 2.0);
}
double entropy(const student_t& d) {
  const double df = d.df();
  // log s + (df+1)/2 (psi((df+1)/2) - psi(df/2)) + 1/2 log df
  //       + lbeta(df/2, 1/2).
  return std::log(d.scale()) + 0.5 * (df + 1.0) * digamma_half_step(0.5 * df) +
         student_log_norm(df) + 0.5 * kLnPi;
}
double sample(const student_t& d, random_stream& r) {
  // Z / sqrt(V / df) with V ~ chi2(df) = 2 Gamma(df/2).
  const double z = r.normal();
  const double lv = log_gamma_variate(0.5 * d.df(), r) + kLn2;
  return d.loc() + d.scale() * z * std::exp(0.5 * (std::log(d.df()) - lv));
}
std::string_view family(const student_t&) { return "student_t"; }

// ---------------------------------------------------------------------------
// von_mises

von_mises::von_mises(double loc, double concentration)
    : loc_(loc), concentration_(concentration) {
  check_finite("von_mises", "loc", loc);
  check_nonnegative_finite("von_mises", "concentration", concentration);
}

double log_pdf(const von_mises& d, double x) {
  check_not_nan("von_mises", "x", x);
  if (std::isinf(x)) return -kInf;
  // k cos(x - loc) - log(2 pi I0(k)) = -2 k sin^2((x - loc)/2) - log(2 pi)
  // - log(I0(k) e^-k): periodic in x, and no large terms that cancel.
  const double s = std::sin(0.5 * (x - d.loc()));
  const double k = d.concentration();
  return -2.0 * k * s * s - kLn2Pi - log_i0e(k);
}
double mean(const von_mises& d) { return d.loc(); }
double variance(const von_mises& d) {
  return one_minus_bessel_ratio(d.concentration());
}
double entropy(const von_mises& d) {
  // -k I1/I0 + log(2 pi I0) = k (1 - I1/I0) + log(2 pi) + log(I0 e^-k).
  const double k = d.concentration();
  return k * one_minus_bessel_ratio(k) + kLn2Pi + log_i0e(k);
}
double sample(const von_mises& d, random_stream& r) {
  // Best & Fisher (1979), with rho = (tau - sqrt(2 tau)) / (2 k) rewritten
  // without cancellation for small k.
  const double k = d.concentration();
  const double s = std::sqrt(1.0 + 4.0 * k * k);
  const double tau = 1.0 + s;
  const double rho = 2.0 * k * tau / ((s + 1.0) * (tau + std::sqrt(2.0 * tau)));
  const double rr = (1.0 + rho * rho) / (2.0 * rho);
  double theta;
  if (!(std::isfinite(rr) && rho > 0.0)) {
    theta = kPi * (2.0 * r.uniform() - 1.0);  // k ~ 0: uniform on the circle
  } else {
    for (;;) {
      const double z = std::cos(kPi * r.uniform());
      const double f = (1.0 + rr * z) / (rr + z);
      const double c = k * (rr - f);
      const double u2 = r.uniform();
      if (c * (2.0 - c) - u2 > 0.0 || std::log(c / u2) + 1.0 - c >= 0.0) {
        const double u3 = r.uniform();
        const double a = std::acos(std::clamp(f, -1.0, 1.0));
        theta = u3 > 0.5 ? a : -a;
        break;
      }
    }
  }
  if (theta >= kPi) theta = -kPi;  // the support is [loc - pi, loc + pi)
  return d.loc() + theta;
}
std::string_view family(const von_mises&) { return "von_mises"; }

// ---------------------------------------------------------------------------
// bernoulli

bernoulli::bernoulli(double p) : p_(p) {
  check_probability("bernoulli", "p", p);
}

double log_pmf(const bernoulli& d, std::int64_t k) {
  if (k == 1) return std::log(d.p());
  if (k == 0) return std::log1p(-d.p());
  return -kInf;
}
double mean(const bernoulli& d) { return d.p(); }
double variance(const bernoulli& d) { return d.p() * (1.0 - d.p()); }
double entropy(const bernoulli& d) {
  const double p = d.p();
  return -(xlogy(p, p) + (p == 1.0 ? 0.0 : (1.0 - p) * std::log1p(-p)));
}
std::int64_t sample(const bernoulli& d, random_stream& r) {
  return r.uniform() < d.p() ? 1 : 0;
}
std::string_view family(const bernoulli&) { return "bernoulli"; }

// ---------------------------------------------------------------------------
// binomial

binomial::binomial(std::int64_t n, double p) : n_(n), p_(p) {
  check_nonnegative_count("binomial", "n", n);
  check_probability("binomial", "p", p);
}

double log_pmf(const binomial& d, std::int64_t k) {
  const std::int64_t n = d.n();
  const double p = d.p();
  if (k < 0 || k > n) return -kInf;
  if (p == 0.0) return k == 0 ? 0.0 : -kInf;
  if (p == 1.0) return k == n ? 0.0 : -kInf;
  if (n == 0) return 0.0;
  const double kd = static_cast<double>(k), nd = static_cast<double>(n);
  // C(n, k) p^k q^(n-k) = ibeta_derivative(k + 1, n - k + 1, p) / (n + 1).
  const double dens =
      boost::math::ibeta_derivative(kd + 1.0, nd - kd + 1.0, p, math_policy());
  if (std::isnormal(dens)) return std::log(dens) - std::log1p(nd);
  return lgam(nd + 1.0) - lgam(kd + 1.0) - lgam(nd - kd + 1.0) + xlogy(kd, p) +
         (nd - kd) * std::log1p(-p);
}
double mean(const binomial& d) { return static_cast<double>(d.n()) * d.p(); }
double variance(const binomial& d) {
  return static_cast<double>(d.n()) * d.p() * (1.0 - d.p());
}
double entropy(const binomial& d) {
  if (d.n() == 0 || d.p() == 0.0 || d.p() == 1.0) return 0.0;
  const double nd = static_cast<double>(d.n());
  const auto mode = std::min(
      d.n(), static_cast<std::int64_t>(std::floor((nd + 1.0) * d.p())));
  return entropy_by_summation([&](std::int64_t k) { return log_pmf(d, k); },
                              mode, 0, d.n());
}
std::int64_t sample(const binomial& d, random_stream& r) {
  if (d.n() == 0 || d.p() == 0.0) return 0;
  if (d.p() == 1.0) return d.n();
  boost::random::binomial_distribution<std::int64_t, double> b(d.n(), d.p());
  return b(r.engine().engine);
}
std::string_view family(const binomial&) { return "binomial"; }

// ---------------------------------------------------------------------------
// poisson

poisson::poisson(double rate) : rate_(rate) {
  check_positive_finite("poisson", "rate", rate);
}

double log_pmf(const poisson& d, std::int64_t k) {
  if (k < 0) return -kInf;
  const double kd = static_cast<double>(k);
  // e^-rate rate^k / k! = gamma_p_derivative(k + 1, rate).
  return log_gamma_density(kd + 1.0, d.rate());
}
double mean(const poisson& d) { return d.rate(); }
double variance(const poisson& d) { return d.rate(); }
double entropy(const poisson& d) {
  const double lam = d.rate();
  // For large rates the asymptotic series (its next term is O(rate^-4),
  // below 1e-20 relative here); below, the exact sum (about 40 sqrt(rate)
  // terms).
  if (lam >= 1e5) {
    const double inv = 1.0 / lam;
    return 0.5 * std::log(2.0 * kPi * std::numbers::e * lam) -
           inv * (1.0 / 12.0 + inv * (1.0 / 24.0 + inv * 19.0 / 360.0));
  }
  const auto mode = static_cast<std::int64_t>(std::floor(lam));
  return entropy_by_summation([&](std::int64_t k) { return log_pmf(d, k); },
                              mode, 0,
                              std::numeric_limits<std::int64_t>::max());
}
std::int64_t sample(const poisson& d, random_stream& r) {
  boost::random::poisson_distribution<std::int64_t, double> p(d.rate());
  return p(r.engine().engine);
}
std::string_view family(const poisson&) { return "poisson"; }

// ---------------------------------------------------------------------------
// geometric

geometric::geometric(double p) : p_(p) {
  check_positive_probability("geometric", "p", p);
}

double log_pmf(const geometric& d, std::int64_t k) {
  if (k < 0) return -kInf;
  if (k == 0) return std::log(d.p());
  return static_cast<double>(k) * std::log1p(-d.p()) + std::log(d.p());
}
double mean(const geometric& d) { return (1.0 - d.p()) / d.p(); }
double variance(const geometric& d) { return (1.0 - d.p()) / (d.p() * d.p()); }
double entropy(const geometric& d) {
  const double p = d.p();
  if (p == 1.0) return 0.0;
  return (-(1.0 - p) * std::log1p(-p) - p * std::log(p)) / p;
}
std::int64_t sample(const geometric& d, random_stream& r) {
  // Inverse CDF: floor(E / -log(1 - p)), saturating at the largest int64.
  if (d.p() == 1.0) return 0;
  return saturating_floor(r.exponential() / -std::log1p(-d.p()));
}
std::string_view family(const geometric&) { return "geometric"; }

// ---------------------------------------------------------------------------
// categorical

categorical::categorical(std::vector<double> probs) : probs_(std::move(probs)) {
  check_simplex("categorical", "probs", probs_);
}

double log_pmf(const categorical& d, std::int64_t k) {
  if (k < 0 || static_cast<std::uint64_t>(k) >= d.probs().size()) return -kInf;
  return std::log(d.probs()[static_cast<std::size_t>(k)]);
}
double mean(const categorical& d) {
  compensated_sum s;
  for (std::size_t i = 0; i < d.probs().size(); ++i)
    s.add(static_cast<double>(i) * d.probs()[i]);
  return s.value();
}
double variance(const categorical& d) {
  const double m = mean(d);
  compensated_sum s;
  for (std::size_t i = 0; i < d.probs().size(); ++i) {
    const double dev = static_cast<double>(i) - m;
    s.add(dev * dev * d.probs()[i]);
  }
  return s.value();
}
double entropy(const categorical& d) {
  compensated_sum s;
  for (double p : d.probs()) s.add(-xlogy(p, p));
  return s.value();
}
std::int64_t sample(const categorical& d, random_stream& r) {
  // Inverse CDF against the given probabilities' own total.
  const auto& p = d.probs();
  double total = 0.0;
  for (double x : p) total += x;
  const double t = r.uniform() * total;
  double cum = 0.0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == 0.0) continue;
    last = i;
    cum += p[i];
    if (t < cum) return static_cast<std::int64_t>(i);
  }
  return static_cast<std::int64_t>(last);  // t rounded up to the total
}
std::string_view family(const categorical&) { return "categorical"; }

// ---------------------------------------------------------------------------
// dirichlet

dirichlet::dirichlet(std::vector<double> alpha) : alpha_(std::move(alpha)) {
  check_min_size("dirichlet", "alpha", alpha_.size(), 2);
  for (std::size_t i = 0; i < alpha_.size(); ++i)
    check_positive_finite("dirichlet", "alpha[" + std::to_string(i) + "]",
                          alpha_[i]);
}

double log_pdf(const dirichlet& d, std::span<const double> x) {
  const auto& a = d.alpha();
  if (x.size() != a.size())
    throw InvalidArgument("dirichlet: x has " + std::to_string(x.size()) +
                          " elements, but must have " +
                          std::to_string(a.size()) + " (one per alpha)");
  for (std::size_t i = 0; i < x.size(); ++i)
    check_not_nan("dirichlet", "x[" + std::to_string(i) + "]", x[i]);
  double sx = 0.0;
  for (double xi : x) {
    if (xi < 0.0 || xi > 1.0) return -kInf;
    sx += xi;
  }
  // On the simplex within the tolerance categorical allows.
  if (!(std::fabs(sx - 1.0) <= kSimplexTolerance)) return -kInf;
  compensated_sum s;
  double a0 = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    a0 += a[i];
    s.add(-lgam(a[i]));
    s.add(xlogy(a[i] - 1.0, x[i]));
  }
  s.add(lgam(a0));
  return s.value();
}
std::vector<double> mean(const dirichlet& d) {
  double a0 = 0.0;
  for (double a : d.alpha()) a0 += a;
  std::vector<double> m;
  m.reserve(d.alpha().size());
  for (double a : d.alpha()) m.push_back(a / a0);
  return m;
}
std::vector<double> variance(const dirichlet& d) {
  double a0 = 0.0;
  for (double a : d.alpha()) a0 += a;
  std::vector<double> v;
  v.reserve(d.alpha().size());
  for (double a : d.alpha()) v.push_back(a / a0 * ((a0 - a) / a0) / (a0 + 1.0));
  return v;
}
double entropy(const dirichlet& d) {
  const auto& a = d.alpha();
  double a0 = 0.0;
  for (double ai : a) a0 += ai;
  compensated_sum s;
  for (double ai : a) {
    s.add(lgam(ai));
    s.add(-(ai - 1.0) * digam(ai));
  }
  s.add(-lgam(a0));
  s.add((a0 - static_cast<double>(a.size())) * digam(a0));
  return s.value();
}
std::vector<double> sample(const dirichlet& d, random_stream& r) {
  // Normalised gammas, in log space (small concentrations underflow).
  const auto& a = d.alpha();
  std::vector<double> lg(a.size());
  double mx = -kInf;
  for (std::size_t i = 0; i < a.size(); ++i) {
    lg[i] = log_gamma_variate(a[i], r);
    mx = std::max(mx, lg[i]);
  }
  double total = 0.0;
  for (double& v : lg) {
    v = std::exp(v - mx);
    total += v;
  }
  for (double& v : lg) v /= total;
  return lg;
}
std::string_view family(const dirichlet&) { return "dirichlet"; }

}  // namespace kldiv
