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

#include "kldiv/matrix.hpp"

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

// ---------------------------------------------------------------------------
// KL(P || Q) in closed form, P and Q of different families, in nats: the pairs
// PyTorch 1.13 registers, TFP's Weibull || Gamma, those that follow from chi2
// = Gamma(df/2, rate 1/2) and exponential = Gamma(1, rate), and a few derived
// from elementary expectations of P (docs/distributions.md lists each pair
// with its source). +inf where P puts mass where Q has none, and where an
// expectation the formula needs is infinite (Pareto || Exponential, Gamma,
// chi2 for alpha <= 1; Pareto || Normal for alpha <= 2; Laplace || Gumbel
// when the Laplace's scale is at least the Gumbel's); never NaN. Where the
// families overlap (exponential, gamma, chi2 and Weibull at shape 1; uniform
// on (0, 1) and beta(1, 1)) equal distributions give exactly 0.

#define KLDIV_CROSS_FAMILY_KL(P, Q) double kl(const P& p, const Q& q);
// Discrete.
KLDIV_CROSS_FAMILY_KL(bernoulli, poisson)
KLDIV_CROSS_FAMILY_KL(poisson, bernoulli)  // +inf
KLDIV_CROSS_FAMILY_KL(poisson, binomial)   // +inf
// Beta.
KLDIV_CROSS_FAMILY_KL(beta, exponential)
KLDIV_CROSS_FAMILY_KL(beta, gamma)
KLDIV_CROSS_FAMILY_KL(beta, chi2)
KLDIV_CROSS_FAMILY_KL(beta, normal)
KLDIV_CROSS_FAMILY_KL(beta, uniform)  // +inf unless [0, 1] is inside
KLDIV_CROSS_FAMILY_KL(beta, pareto)   // +inf
// Exponential.
KLDIV_CROSS_FAMILY_KL(exponential, gamma)
KLDIV_CROSS_FAMILY_KL(exponential, chi2)
KLDIV_CROSS_FAMILY_KL(exponential, gumbel)
KLDIV_CROSS_FAMILY_KL(exponential, normal)
KLDIV_CROSS_FAMILY_KL(exponential, weibull)
KLDIV_CROSS_FAMILY_KL(exponential, beta)     // +inf
KLDIV_CROSS_FAMILY_KL(exponential, pareto)   // +inf
KLDIV_CROSS_FAMILY_KL(exponential, uniform)  // +inf
// Gamma.
KLDIV_CROSS_FAMILY_KL(gamma, exponential)
KLDIV_CROSS_FAMILY_KL(gamma, chi2)
KLDIV_CROSS_FAMILY_KL(gamma, gumbel)
KLDIV_CROSS_FAMILY_KL(gamma, normal)
KLDIV_CROSS_FAMILY_KL(gamma, weibull)
KLDIV_CROSS_FAMILY_KL(gamma, beta)     // +inf
KLDIV_CROSS_FAMILY_KL(gamma, pareto)   // +inf
KLDIV_CROSS_FAMILY_KL(gamma, uniform)  // +inf
// Chi-squared.
KLDIV_CROSS_FAMILY_KL(chi2, exponential)
KLDIV_CROSS_FAMILY_KL(chi2, gamma)
KLDIV_CROSS_FAMILY_KL(chi2, gumbel)
KLDIV_CROSS_FAMILY_KL(chi2, normal)
KLDIV_CROSS_FAMILY_KL(chi2, weibull)
KLDIV_CROSS_FAMILY_KL(chi2, beta)     // +inf
KLDIV_CROSS_FAMILY_KL(chi2, pareto)   // +inf
KLDIV_CROSS_FAMILY_KL(chi2, uniform)  // +inf
// Gumbel.
KLDIV_CROSS_FAMILY_KL(gumbel, normal)
KLDIV_CROSS_FAMILY_KL(gumbel, beta)         // +inf
KLDIV_CROSS_FAMILY_KL(gumbel, exponential)  // +inf
KLDIV_CROSS_FAMILY_KL(gumbel, gamma)        // +inf
KLDIV_CROSS_FAMILY_KL(gumbel, chi2)         // +inf
KLDIV_CROSS_FAMILY_KL(gumbel, pareto)       // +inf
KLDIV_CROSS_FAMILY_KL(gumbel, uniform)      // +inf
// Half-normal.
KLDIV_CROSS_FAMILY_KL(half_normal, normal)
// Laplace.
KLDIV_CROSS_FAMILY_KL(laplace, normal)
KLDIV_CROSS_FAMILY_KL(laplace, gumbel)       // +inf when scale_p >= scale_q
KLDIV_CROSS_FAMILY_KL(laplace, beta)         // +inf
KLDIV_CROSS_FAMILY_KL(laplace, exponential)  // +inf
KLDIV_CROSS_FAMILY_KL(laplace, gamma)        // +inf
KLDIV_CROSS_FAMILY_KL(laplace, chi2)         // +inf
KLDIV_CROSS_FAMILY_KL(laplace, pareto)       // +inf
KLDIV_CROSS_FAMILY_KL(laplace, uniform)      // +inf
// Normal.
KLDIV_CROSS_FAMILY_KL(normal, gumbel)
KLDIV_CROSS_FAMILY_KL(normal, laplace)
KLDIV_CROSS_FAMILY_KL(normal, beta)         // +inf
KLDIV_CROSS_FAMILY_KL(normal, exponential)  // +inf
KLDIV_CROSS_FAMILY_KL(normal, gamma)        // +inf
KLDIV_CROSS_FAMILY_KL(normal, chi2)         // +inf
KLDIV_CROSS_FAMILY_KL(normal, pareto)       // +inf
KLDIV_CROSS_FAMILY_KL(normal, uniform)      // +inf
KLDIV_CROSS_FAMILY_KL(normal, half_normal)  // +inf
// Pareto.
KLDIV_CROSS_FAMILY_KL(pareto, exponential)  // +inf for alpha <= 1
KLDIV_CROSS_FAMILY_KL(pareto, gamma)        // +inf for alpha <= 1
KLDIV_CROSS_FAMILY_KL(pareto, chi2)         // +inf for alpha <= 1
KLDIV_CROSS_FAMILY_KL(pareto, normal)       // +inf for alpha <= 2
KLDIV_CROSS_FAMILY_KL(pareto, beta)         // +inf
KLDIV_CROSS_FAMILY_KL(pareto, uniform)      // +inf
// Uniform (+inf where its interval leaves Q's support).
KLDIV_CROSS_FAMILY_KL(uniform, beta)
KLDIV_CROSS_FAMILY_KL(uniform, exponential)
KLDIV_CROSS_FAMILY_KL(uniform, gamma)
KLDIV_CROSS_FAMILY_KL(uniform, chi2)
KLDIV_CROSS_FAMILY_KL(uniform, gumbel)
KLDIV_CROSS_FAMILY_KL(uniform, normal)
KLDIV_CROSS_FAMILY_KL(uniform, pareto)
// Weibull.
KLDIV_CROSS_FAMILY_KL(weibull, gamma)
KLDIV_CROSS_FAMILY_KL(weibull, exponential)
KLDIV_CROSS_FAMILY_KL(weibull, chi2)
#undef KLDIV_CROSS_FAMILY_KL

}  // namespace kldiv

// ---------------------------------------------------------------------------
// Batches of Gaussian pairs (SIMD kernels, threads over fixed blocks: the
// same bits for any thread count). Every value in nats, each within a few ulp
// of the exact KL: near equal scales the scale term is formed from its series
// so nothing cancels, and identical parameters give exactly 0. Scales must be
// > 0 and finite, locations finite: InvalidArgument names the input and the
// index (`scale_q[17] = -1, but must be > 0 and finite`). `threads` 0 means
// OpenMP's default.

namespace kldiv {

/// out[i] = KL(N(loc_p[i], scale_p[i]) || N(loc_q[i], scale_q[i])). Each
/// input has out.size() entries, or 1 (the same value for every i).
void kl_normal(std::span<const double> loc_p, std::span<const double> scale_p,
               std::span<const double> loc_q, std::span<const double> scale_q,
               std::span<double> out, int threads = 0);

/// Diagonal Gaussians: row i of each rows x d matrix is one distribution
/// (a matrix of one row is used for every row); out[i] is the KL of row i,
/// the sum of its components' KLs.
void kl_diag_normal(const matrix_view<double>& loc_p,
                    const matrix_view<double>& scale_p,
                    const matrix_view<double>& loc_q,
                    const matrix_view<double>& scale_q, std::span<double> out,
                    int threads = 0);

/// The VAE term for each row: KL(N(mu, diag(exp(logvar))) || N(0, I)) =
/// 1/2 Σ_j (exp(logvar_j) - 1 - logvar_j + mu_j^2), into out (one per row);
/// when grad_mu / grad_logvar are not empty (rows * d values, row-major) they
/// receive d out[i] / d mu = mu and d out[i] / d logvar = expm1(logvar) / 2.
void vae_kl(const matrix_view<double>& mu, const matrix_view<double>& logvar,
            std::span<double> out, std::span<double> grad_mu = {},
            std::span<double> grad_logvar = {}, int threads = 0);

}  // namespace kldiv

// ---------------------------------------------------------------------------
// The multivariate normal.

namespace kldiv {

/// MultivariateNormal(mean, covariance), d >= 1, with the covariance given in
/// full (symmetric positive definite, d x d; only its lower triangle is
/// read), as a diagonal (d variances > 0), or as low rank plus diagonal,
/// W W^T + diag(D) with W d x r and D > 0 (torch's
/// LowRankMultivariateNormal). The constructor keeps the Cholesky factor
/// (full), the standard deviations (diagonal), or W, D and the Cholesky
/// factor of the r x r capacitance I + W^T D^-1 W (low rank): diagonal and
/// low-rank forms never become a d x d matrix unless a full form is on the
/// other side. A covariance that is not positive definite is an
/// InvalidArgument naming the failing leading minor (no silent jitter).
class multivariate_normal {
 public:
  enum class form { full, diagonal, low_rank };
  static multivariate_normal full(std::vector<double> mean,
                                  const matrix_view<double>& covariance);
  static multivariate_normal diagonal(std::vector<double> mean,
                                      std::vector<double> variances);
  /// Covariance W W^T + diag(d): `factor` is W (d x r, r >= 1), `diag` the
  /// d variances of the diagonal part (each > 0 and finite).
  static multivariate_normal low_rank(std::vector<double> mean,
                                      const matrix_view<double>& factor,
                                      std::vector<double> diag);

  std::size_t dim() const { return mean_.size(); }
  form kind() const { return form_; }
  const std::vector<double>& mean() const { return mean_; }
  /// The lower Cholesky factor L (covariance = L L^T), row-major d x d, for
  /// the full form; the standard deviations for the diagonal form; W
  /// (row-major d x rank()) for the low-rank form.
  const std::vector<double>& factor() const { return factor_; }
  /// Low rank: the rank r of W (0 otherwise).
  std::size_t rank() const { return rank_; }
  /// Low rank: the variances D of the diagonal part.
  const std::vector<double>& diag() const { return diag_; }
  /// Low rank: the lower Cholesky factor of I + W^T D^-1 W, row-major r x r.
  const std::vector<double>& capacitance() const { return capacitance_; }

 private:
  multivariate_normal(std::vector<double> mean, std::vector<double> factor,
                      form f);
  std::vector<double> mean_;
  std::vector<double> factor_;
  form form_;
  std::size_t rank_ = 0;
  std::vector<double> diag_;
  std::vector<double> capacitance_;
};

/// KL(P || Q) = 1/2 [tr(Σq^-1 Σp) + (μq - μp)^T Σq^-1 (μq - μp) - d
///   + log det Σq - log det Σp], from the Cholesky factors: tr = ||Lq^-1
/// Lp||_F^2 by a triangular solve, the log-determinants from the factors'
/// diagonals; O(d) for two diagonal forms, O(d r^2) by the Woodbury
/// identity and the matrix determinant lemma when diagonal and low-rank forms
/// meet. Dimensions must match.
double kl(const multivariate_normal& p, const multivariate_normal& q);

/// Many pairs in one call: out[i] = kl(p[i], q[i]), where p or q may hold a
/// single distribution for all pairs; OpenMP threads over pairs (`threads`
/// 0: OpenMP's default), each value the same as one call gives.
void kl(std::span<const multivariate_normal> p,
        std::span<const multivariate_normal> q, std::span<double> out,
        int threads = 0);
double log_pdf(const multivariate_normal& d, std::span<const double> x);
/// The covariance as a dense d x d matrix, row-major (formed from the kept
/// factor: for the diagonal and low-rank forms this builds the d x d matrix).
std::vector<double> covariance_matrix(const multivariate_normal& d);
double entropy(const multivariate_normal& d);
std::vector<double> sample(const multivariate_normal& d, random_stream& r);
std::string_view family(const multivariate_normal& d);

/// Between two Gaussians, in nats: the Bhattacharyya distance
/// 1/8 δ^T Σ^-1 δ + 1/2 log(det Σ / sqrt(det Σp det Σq)), Σ = (Σp + Σq)/2;
/// the Hellinger distance sqrt(1 - exp(-Bhattacharyya)); the Rényi
/// divergence of order alpha in (0, 1) ∪ (1, inf) where Σ_a = a Σq + (1 - a)
/// Σp is positive definite (+inf otherwise), alpha = 1 giving KL; and the
/// 2-Wasserstein distance sqrt(|δ|^2 + tr(Σp + Σq - 2 (Σp^1/2 Σq
/// Σp^1/2)^1/2)).
double bhattacharyya_distance(const multivariate_normal& p,
                              const multivariate_normal& q);
double hellinger(const multivariate_normal& p, const multivariate_normal& q);
double renyi(const multivariate_normal& p, const multivariate_normal& q,
             double alpha);
double wasserstein2(const multivariate_normal& p, const multivariate_normal& q);

}  // namespace kldiv
