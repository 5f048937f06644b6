// One runtime type over every family of kldiv/distributions.hpp, a small spec
// language for it ("normal(0, 1)", "gamma(shape=2, rate=3)",
// "categorical([0.2, 0.8])", "multivariate_normal([0, 0], [[1, 0.5], [0.5,
// 2]])", "@file.json"), and KL between any two: the
// closed form where one exists, +inf where the supports make it infinite, and
// otherwise a Monte Carlo estimate with its standard error when asked for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kldiv/distributions.hpp"

namespace kldiv {

/// Any one distribution of the families in distributions.hpp.
using distribution =
    std::variant<normal, exponential, gamma, chi2, beta, laplace, uniform,
                 lognormal, cauchy, gumbel, half_normal, pareto, weibull,
                 student_t, von_mises, bernoulli, binomial, poisson, geometric,
                 categorical, dirichlet, multivariate_normal>;

/// The family's name ("normal").
std::string_view family(const distribution& d);

/// The distribution as a spec with every parameter named, numbers in full
/// precision: "normal(loc=0, scale=1)".
std::string describe(const distribution& d);

/// Parses a spec: FAMILY(ARGS) with positional and/or name=value arguments
/// (numbers; vectors as JSON arrays), parameters with defaults omitted at
/// will; or "@path" to a JSON file {"family": "normal", "loc": 0, ...}.
/// Throws InvalidArgument naming the family, the parameter and what is
/// allowed (the families, a family's parameters), IoError for the file.
distribution parse_distribution(std::string_view spec);

/// Every family name parse_distribution knows, in the order of the variant.
const std::vector<std::string>& distribution_families();

/// One parameter of a family, as the spec language and make_distribution
/// take it.
struct distribution_parameter {
  std::string name;
  std::optional<double> fallback;  ///< the default, if it may be omitted
  bool vector = false;             ///< categorical probs, dirichlet alpha
  /// A matrix, or a vector standing for its diagonal (multivariate_normal's
  /// covariance); make_distribution takes it row-major, d * d numbers, or d.
  bool matrix = false;
};

/// A family's parameters in order; InvalidArgument for an unknown family.
std::vector<distribution_parameter> distribution_parameters(
    std::string_view family);

/// The distribution of the named family from its parameter values in the
/// family's order, each a list: one number, or the vector of a vector
/// parameter. The constructors' checks apply (InvalidArgument naming the
/// family and parameter); a wrong number of values is InvalidArgument too.
distribution make_distribution(std::string_view family,
                               const std::vector<std::vector<double>>& values);

/// make_distribution for many parameter rows of one family whose parameters
/// are all numbers (every family but categorical, dirichlet and
/// multivariate_normal): the family looked up once, no conversion per
/// distribution. Same checks and messages as make_distribution.
class distribution_builder {
 public:
  /// InvalidArgument for an unknown family or one with a vector parameter.
  explicit distribution_builder(std::string_view family);
  std::size_t parameters() const;
  /// One number per parameter, in the family's order.
  distribution operator()(std::span<const double> values) const;

 private:
  const void* spec_;  // the family's entry in the library's table
};

/// How to estimate KL where no closed form exists.
struct monte_carlo {
  std::size_t samples = 1'000'000;
  std::uint64_t seed = 0;
  /// Threads over blocks of samples, each block with its own stream of the
  /// seed: the same seed gives the same estimate for any thread count.
  int threads = 0;
};

/// A KL value with how it was obtained.
struct kl_result {
  double value = 0.0;           ///< nats
  double standard_error = 0.0;  ///< 0 for exact values
  std::size_t samples = 0;      ///< 0 for exact values
  /// "closed form", "support" (+inf: P is not absolutely continuous with
  /// respect to Q), "exact sum" (P with finite support against a discrete Q
  /// of another family: Σ P(k) log(P(k)/Q(k)) term by term), or
  /// "monte carlo".
  std::string method;
  bool exact() const { return samples == 0; }
};

/// KL(P || Q) in closed form (same family, and the cross-family pairs that
/// have one), or +inf where P and Q have supports that make it infinite (a
/// continuous family against a discrete one, or supports not nested), or by
/// exact summation where P has finite support and Q is discrete; otherwise
/// NotSupported naming both families and the estimate that applies
/// (kl(p, q, monte_carlo{...})).
kl_result kl(const distribution& p, const distribution& q);

/// The closed form where kl(p, q) has one, otherwise the Monte Carlo estimate
/// mean over x ~ P of log p(x) - log q(x), with its standard error.
kl_result kl(const distribution& p, const distribution& q,
             const monte_carlo& mc);

/// KL(P || Q) by numerical integration for two one-dimensional continuous
/// distributions (Boost.Math's tanh-sinh and exp-sinh quadratures of
/// p (log p - log q) over P's support, split at P's centre; standard_error
/// holds the quadrature's error estimate, method "quadrature"), or by
/// summation over P's support for two discrete ones (until P's remaining
/// mass is below 1e-18, method "summation"); +inf where P has mass where Q
/// has none. Deterministic, and usually far more accurate than Monte Carlo
/// for the pairs without a closed form (Student's t, Cauchy against normal,
/// ...). NotSupported for other pairs (multivariate, Dirichlet, a continuous
/// against a discrete distribution) or when the quadrature fails. The error
/// stated is the larger of the quadrature's estimate and the change from a
/// 10^4 times coarser run; it can still be optimistic where double precision
/// cannot see the mass: within 1e-16 of a singular endpoint (a Beta with a
/// or b < 1 loses about 1e-6 relative) or in tails decaying like x^-(1+e)
/// (a Pareto with alpha near 2 against a normal: about 1e-5 relative).
kl_result kl_integrate(const distribution& p, const distribution& q,
                       double tolerance = 1e-12);

/// The Monte Carlo estimate even where a closed form exists (for checks).
kl_result kl_monte_carlo(const distribution& p, const distribution& q,
                         const monte_carlo& mc);

}  // namespace kldiv
