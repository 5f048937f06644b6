// Gaussian mixtures and KL between them: Monte Carlo with its standard error
// (the workhorse), every approximation of Hershey & Olsen (2007),
// "Approximating the Kullback Leibler divergence between Gaussian mixture
// models", and the lower and upper bounds of Durrieu, Thiran & Kelly (2012),
// "Lower and upper bounds for approximation of the Kullback-Leibler
// divergence between Gaussian mixture models". Values in nats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/matrix.hpp"

namespace kldiv {

/// f(x) = Σ_a w_a N(x; μ_a, Σ_a): k >= 1 components of one dimension d,
/// weights >= 0 summing to 1 within 1e-6 (then divided by their sum), each
/// component a multivariate_normal (full, diagonal or low-rank form; its
/// covariance checked positive definite, no jitter). InvalidArgument names
/// the component and what is wrong.
class gaussian_mixture {
 public:
  gaussian_mixture(std::vector<double> weights,
                   std::vector<multivariate_normal> components);
  /// Full covariances: means k x d, covariances k x (d * d) row-major.
  static gaussian_mixture full(std::vector<double> weights,
                               const matrix_view<double>& means,
                               const matrix_view<double>& covariances);
  /// Diagonal covariances: means and variances k x d.
  static gaussian_mixture diagonal(std::vector<double> weights,
                                   const matrix_view<double>& means,
                                   const matrix_view<double>& variances);

  std::size_t size() const { return weights_.size(); }
  std::size_t dim() const { return components_.front().dim(); }
  const std::vector<double>& weights() const { return weights_; }
  const std::vector<multivariate_normal>& components() const {
    return components_;
  }

 private:
  std::vector<double> weights_;
  std::vector<multivariate_normal> components_;
};

/// log f(x) for one point (d values), by a log-sum-exp over components.
double log_pdf(const gaussian_mixture& f, std::span<const double> x);
/// log f(x) for each row of x (n x d) into out (n), threads over rows.
void log_pdf(const gaussian_mixture& f, const matrix_view<double>& x,
             std::span<double> out, int threads = 0);
/// One draw: a component by its weight, then that Gaussian.
std::vector<double> sample(const gaussian_mixture& f, random_stream& r);
/// n draws, row-major (n x d): the same numbers as n calls of the one-draw
/// form on the same stream, with the components prepared once.
std::vector<double> sample(const gaussian_mixture& f, random_stream& r,
                           std::size_t n);
/// The moment-matched single Gaussian (mean Σ w μ, covariance Σ w (Σ_a +
/// μ_a μ_a^T) - μ μ^T), full form.
multivariate_normal moment_match(const gaussian_mixture& f);

/// The ways to KL(f || g) between mixtures.
enum class gmm_method {
  monte_carlo,        ///< mean of log f(x) - log g(x), x ~ f, with its SE
  unscented,          ///< Hershey & Olsen's unscented transform
  gaussian,           ///< KL between the moment-matched Gaussians
  product,            ///< product-of-Gaussians approximation
  matched_bound,      ///< Goldberger's matched bound approximation
  variational,        ///< Hershey & Olsen's variational approximation
  variational_upper,  ///< their variational upper bound (iterated)
  lower_bound,        ///< Durrieu, Thiran & Kelly's lower bound
  upper_bound,        ///< Durrieu, Thiran & Kelly's upper bound
};

/// The method's name as the command and Python spell it ("monte_carlo",
/// "variational_upper", ...), and the method of a name (InvalidArgument
/// listing the names otherwise).
std::string_view gmm_method_name(gmm_method m);
gmm_method gmm_method_named(std::string_view name);
/// Every method, in the order above.
const std::vector<gmm_method>& gmm_methods();

struct gmm_options {
  std::size_t samples = 100'000;  ///< Monte Carlo draws
  std::uint64_t seed = 0;
  /// Threads over fixed blocks of draws, each block with its own stream of
  /// the seed: the same seed gives the same estimate for any thread count.
  int threads = 0;
  /// Variational upper bound: iterations at most, and the change in the
  /// bound below which it stops.
  int max_iterations = 1000;
  double tolerance = 1e-12;
};

struct gmm_result {
  gmm_method method = gmm_method::monte_carlo;
  double value = 0.0;           ///< nats
  double standard_error = 0.0;  ///< Monte Carlo only
  std::size_t samples = 0;      ///< Monte Carlo only
  /// "exact" (one component each, for the methods that then give the closed
  /// form: unscented, gaussian, matched_bound, variational,
  /// variational_upper), "estimate" (Monte
  /// Carlo), "approximation", "lower bound" or "upper bound".
  std::string kind;
  double seconds = 0.0;  ///< wall time of this method
};

/// KL(f || g) by one method. Dimensions must match.
gmm_result kl(const gaussian_mixture& f, const gaussian_mixture& g,
              gmm_method method, const gmm_options& options = {});

/// Every method, in gmm_methods() order, each with its value, kind and time.
std::vector<gmm_result> kl_summary(const gaussian_mixture& f,
                                   const gaussian_mixture& g,
                                   const gmm_options& options = {});

/// JS(f, g) = 1/2 KL(f || m) + 1/2 KL(g || m), m = (f + g)/2, by Monte Carlo
/// (options.samples draws from each of f and g), with its standard error.
gmm_result js_monte_carlo(const gaussian_mixture& f, const gaussian_mixture& g,
                          const gmm_options& options = {});

/// A mixture from JSON text: {"weights": [...], "means": [[...], ...],
/// "covariances": [[[...]]]} (full) or "variances": [[...]] (diagonal).
/// InvalidArgument names the source, the field and the problem
/// ("b.json: means[1] has 3 entries, but means[0] has 2").
gaussian_mixture parse_gaussian_mixture(std::string_view json_text,
                                        const std::string& source);
/// The same from a file (IoError when it cannot be read).
gaussian_mixture read_gaussian_mixture(const std::string& path);

}  // namespace kldiv
