// Parametric distributions as small value types (Boost.Math style): each
// validates its parameters in its constructor (InvalidArgument naming the
// family, the parameter, its value and what is allowed) and has free
// functions log_pdf (log_pmf for discrete families), mean, variance, entropy
// and sample. Parameterisations follow torch.distributions, so that numbers
// carry over. kl(P, Q) in closed form follows the families.
//
// Entropies are differential for continuous families and Shannon for discrete
// ones, in nats. log_pdf is -inf outside the support (never NaN); a NaN x is
// an InvalidArgument. At a boundary of the support, log_pdf is the density's
// limit (as torch: +inf for Gamma(shape < 1) at 0). A moment that is infinite
// is +inf; one that does not exist throws NotSupported.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace kldiv {

// ---------------------------------------------------------------------------
// Random numbers: the same seed gives the same numbers on every machine.

/// A seeded stream of random numbers (Boost.Random's mt19937_64 and its
/// portable distributions). `stream` selects one of many independent streams
/// of one seed (for per-block streams in parallel Monte Carlo).
class random_stream {
 public:
  explicit random_stream(std::uint64_t seed, std::uint64_t stream = 0);
  ~random_stream();
  random_stream(random_stream&&) noexcept;
  random_stream& operator=(random_stream&&) noexcept;
  random_stream(const random_stream&) = delete;
  random_stream& operator=(const random_stream&) = delete;

  /// Uniform on the open interval (0, 1).
  double uniform();
  /// Standard normal.
  double normal();
  /// Gamma(shape, 1), shape > 0.
  double gamma(double shape);
  /// Exponential(1).
  double exponential();

  struct state;  ///< the engine (in the implementation only)
  state& engine() { return *state_; }

 private:
  std::unique_ptr<state> state_;
};

// ---------------------------------------------------------------------------
// Continuous families on the real line or part of it.

/// Normal(loc, scale): scale > 0.
class normal {
 public:
  explicit normal(double loc = 0.0, double scale = 1.0);
  double loc() const { return loc_; }
  double scale() const { return scale_; }

 private:
  double loc_, scale_;
};

/// Exponential(rate): rate > 0; support [0, inf).
class exponential {
 public:
  explicit exponential(double rate = 1.0);
  double rate() const { return rate_; }

 private:
  double rate_;
};

/// Gamma(shape, rate) (torch's concentration, rate): both > 0; support
/// (0, inf).
class gamma {
 public:
  explicit gamma(double shape, double rate = 1.0);
  double shape() const { return shape_; }
  double rate() const { return rate_; }

 private:
  double shape_, rate_;
};

/// Chi-squared(df) = Gamma(df/2, 1/2): df > 0.
class chi2 {
 public:
  explicit chi2(double df);
  double df() const { return df_; }

 private:
  double df_;
};

/// Beta(a, b) (torch's concentration1, concentration0): both > 0; support
/// (0, 1).
class beta {
 public:
  beta(double a, double b);
  double a() const { return a_; }
  double b() const { return b_; }

 private:
  double a_, b_;
};

/// Laplace(loc, scale): scale > 0.
class laplace {
 public:
  explicit laplace(double loc = 0.0, double scale = 1.0);
  double loc() const { return loc_; }
  double scale() const { return scale_; }

 private:
  double loc_, scale_;
};

/// Uniform(low, high): low < high, both finite; support [low, high].
class uniform {
 public:
  uniform(double low, double high);
  double low() const { return low_; }
  double high() const { return high_; }

 private:
  double low_, high_;
};

/// LogNormal(loc, scale): log X ~ Normal(loc, scale); support (0, inf).
class lognormal {
 public:
  explicit lognormal(double loc = 0.0, double scale = 1.0);
  double loc() const { return loc_; }
  double scale() const { return scale_; }

 private:
  double loc_, scale_;
};

/// Cauchy(loc, scale): scale > 0 (mean and variance undefined: NaN is not
/// returned; mean() and variance() throw NotSupported).
class cauchy {
 public:
  explicit cauchy(double loc = 0.0, double scale = 1.0);
  double loc() const { return loc_; }
  double scale() const { return scale_; }

 private:
  double loc_, scale_;
};

/// Gumbel(loc, scale) (maximum): scale > 0.
class gumbel {
 public:
  explicit gumbel(double loc = 0.0, double scale = 1.0);
  double loc() const { return loc_; }
  double scale() const { return scale_; }

 private:
  double loc_, scale_;
};

/// HalfNormal(scale): |X| for X ~ Normal(0, scale); support [0, inf).
class half_normal {
 public:
  explicit half_normal(double scale = 1.0);
  double scale() const { return scale_; }

 private:
  double scale_;
};

/// Pareto(scale, alpha): both > 0; support [scale, inf). mean() is +inf for
/// alpha <= 1; variance() is +inf for 1 < alpha <= 2 and throws NotSupported
/// for alpha <= 1 (a variance about an infinite mean does not exist).
class pareto {
 public:
  pareto(double scale, double alpha);
  double scale() const { return scale_; }
  double alpha() const { return alpha_; }

 private:
  double scale_, alpha_;
};

/// Weibull(scale, shape) (torch's scale, concentration): both > 0; support
/// [0, inf).
class weibull {
 public:
  weibull(double scale, double shape);
  double scale() const { return scale_; }
  double shape() const { return shape_; }

 private:
  double scale_, shape_;
};

/// StudentT(df, loc, scale): df > 0, scale > 0. mean() throws NotSupported
/// for df <= 1 (no mean); variance() is +inf for 1 < df <= 2 and throws
/// NotSupported for df <= 1.
class student_t {
 public:
  explicit student_t(double df, double loc = 0.0, double scale = 1.0);
  double df() const { return df_; }
  double loc() const { return loc_; }
  double scale() const { return scale_; }

 private:
  double df_, loc_, scale_;
};

/// VonMises(loc, concentration): concentration >= 0; support [loc - pi,
/// loc + pi) (angles; log_pdf reduces x modulo 2 pi). As torch: mean() is
/// loc and variance() the circular variance 1 - I1(k)/I0(k).
class von_mises {
 public:
  explicit von_mises(double loc = 0.0, double concentration = 1.0);
  double loc() const { return loc_; }
  double concentration() const { return concentration_; }

 private:
  double loc_, concentration_;
};

// ---------------------------------------------------------------------------
// Discrete families (on 0, 1, 2, ...).

/// Bernoulli(p): 0 <= p <= 1.
class bernoulli {
 public:
  explicit bernoulli(double p);
  double p() const { return p_; }

 private:
  double p_;
};

/// Binomial(n, p): n >= 0 a whole number, 0 <= p <= 1.
class binomial {
 public:
  binomial(std::int64_t n, double p);
  std::int64_t n() const { return n_; }
  double p() const { return p_; }

 private:
  std::int64_t n_;
  double p_;
};

/// Poisson(rate): rate > 0.
class poisson {
 public:
  explicit poisson(double rate);
  double rate() const { return rate_; }

 private:
  double rate_;
};

/// Geometric(p): the number of failures before the first success, 0 < p <= 1.
/// (sample() saturates at the largest int64 for tiny p.)
class geometric {
 public:
  explicit geometric(double p);
  double p() const { return p_; }

 private:
  double p_;
};

/// Categorical(probs) on 0 .. k-1: probabilities >= 0 summing to 1 within
/// 1e-6 (as given; not renormalised). mean() and variance() are those of the
/// index k.
class categorical {
 public:
  explicit categorical(std::vector<double> probs);
  const std::vector<double>& probs() const { return probs_; }

 private:
  std::vector<double> probs_;
};

// ---------------------------------------------------------------------------
// On the simplex.

/// Dirichlet(alpha): k >= 2 concentrations, each > 0.
class dirichlet {
 public:
  explicit dirichlet(std::vector<double> alpha);
  const std::vector<double>& alpha() const { return alpha_; }

 private:
  std::vector<double> alpha_;
};

// ---------------------------------------------------------------------------
// Free functions. For each family F above:
//   double log_pdf(const F&, double x)        continuous families
//   double log_pmf(const F&, std::int64_t k)  discrete families
//   double mean(const F&), variance(const F&), entropy(const F&)
//   double sample(const F&, random_stream&)   (std::int64_t for discrete)
// Dirichlet: log_pdf(d, x) for x on the simplex, mean/variance per component,
// sample into a vector.

#define KLDIV_CONTINUOUS_FUNCTIONS(F)          \
  double log_pdf(const F& d, double x);        \
  double mean(const F& d);                     \
  double variance(const F& d);                 \
  double entropy(const F& d);                  \
  double sample(const F& d, random_stream& r); \
  std::string_view family(const F& d);

KLDIV_CONTINUOUS_FUNCTIONS(normal)
KLDIV_CONTINUOUS_FUNCTIONS(exponential)
KLDIV_CONTINUOUS_FUNCTIONS(gamma)
KLDIV_CONTINUOUS_FUNCTIONS(chi2)
KLDIV_CONTINUOUS_FUNCTIONS(beta)
KLDIV_CONTINUOUS_FUNCTIONS(laplace)
KLDIV_CONTINUOUS_FUNCTIONS(uniform)
KLDIV_CONTINUOUS_FUNCTIONS(lognormal)
KLDIV_CONTINUOUS_FUNCTIONS(cauchy)
KLDIV_CONTINUOUS_FUNCTIONS(gumbel)
KLDIV_CONTINUOUS_FUNCTIONS(half_normal)
KLDIV_CONTINUOUS_FUNCTIONS(pareto)
KLDIV_CONTINUOUS_FUNCTIONS(weibull)
KLDIV_CONTINUOUS_FUNCTIONS(student_t)
KLDIV_CONTINUOUS_FUNCTIONS(von_mises)
#undef KLDIV_CONTINUOUS_FUNCTIONS

#define KLDIV_DISCRETE_FUNCTIONS(F)                  \
  double log_pmf(const F& d, std::int64_t k);        \
  double mean(const F& d);                           \
  double variance(const F& d);                       \
  double entropy(const F& d);                        \
  std::int64_t sample(const F& d, random_stream& r); \
  std::string_view family(const F& d);

KLDIV_DISCRETE_FUNCTIONS(bernoulli)
KLDIV_DISCRETE_FUNCTIONS(binomial)
KLDIV_DISCRETE_FUNCTIONS(poisson)
KLDIV_DISCRETE_FUNCTIONS(geometric)
KLDIV_DISCRETE_FUNCTIONS(categorical)
#undef KLDIV_DISCRETE_FUNCTIONS

double log_pdf(const dirichlet& d, std::span<const double> x);
std::vector<double> mean(const dirichlet& d);
std::vector<double> variance(const dirichlet& d);
double entropy(const dirichlet& d);
std::vector<double> sample(const dirichlet& d, random_stream& r);
std::string_view family(const dirichlet& d);
// family(d): the family's name as in specs and messages ("normal",
// "half_normal").

// ---------------------------------------------------------------------------
// KL(P || Q) in closed form, same family, in nats: +inf where P is not
// absolutely continuous with respect to Q (e.g. uniform supports that are not
// nested, binomials with different n, Bernoulli(p) against Bernoulli(0 or 1)
// where p differs), never NaN.

#define KLDIV_SAME_FAMILY_KL(F) double kl(const F& p, const F& q);
KLDIV_SAME_FAMILY_KL(normal)
KLDIV_SAME_FAMILY_KL(exponential)
KLDIV_SAME_FAMILY_KL(gamma)
KLDIV_SAME_FAMILY_KL(chi2)
KLDIV_SAME_FAMILY_KL(beta)
KLDIV_SAME_FAMILY_KL(laplace)
KLDIV_SAME_FAMILY_KL(uniform)
KLDIV_SAME_FAMILY_KL(lognormal)
KLDIV_SAME_FAMILY_KL(cauchy)
KLDIV_SAME_FAMILY_KL(gumbel)
KLDIV_SAME_FAMILY_KL(half_normal)
KLDIV_SAME_FAMILY_KL(pareto)
KLDIV_SAME_FAMILY_KL(weibull)
KLDIV_SAME_FAMILY_KL(von_mises)
KLDIV_SAME_FAMILY_KL(bernoulli)
KLDIV_SAME_FAMILY_KL(binomial)
KLDIV_SAME_FAMILY_KL(poisson)
KLDIV_SAME_FAMILY_KL(geometric)
KLDIV_SAME_FAMILY_KL(categorical)
KLDIV_SAME_FAMILY_KL(dirichlet)
#undef KLDIV_SAME_FAMILY_KL

}  // namespace kldiv
