// Fitting candidate families to one-dimensional data by maximum likelihood,
// and ranking the fits by KL(empirical || model).
//
// Discrete data (every value a whole number) are fitted by the discrete
// families, anything else by the continuous ones, unless the caller chooses
// (fit_options::kind, fit_options::families). Each fit is the maximum
// likelihood estimate:
//
//   uniform            low = min, high = max (on the integers low .. high)
//   binomial           n = the largest value unless fit_options::binomial_n
//                      is given; p = mean / n (the MLE of p for that n; the
//                      largest value is the usual choice of n, not its MLE)
//   poisson            rate = mean
//   geometric          failures before the first success (kldiv::geometric):
//                      p = 1 / (1 + mean)
//   negative_binomial  P(k) = Γ(k + r) / (Γ(r) k!) p^r (1 - p)^k (r = 1 is
//                      kldiv::geometric; SciPy's nbinom(r, p)): p = r / (r +
//                      mean), r the root of the profile score
//                      Σ [ψ(x_i + r) - ψ(r)] + n log(r / (r + mean)) = 0. A
//                      finite root exists iff the variance (1/n) exceeds the
//                      mean; otherwise the family is reported as not fitted.
//   normal             loc = mean, scale = the standard deviation with 1/n
//   lognormal          loc, scale: the normal fit of log x (x > 0)
//   exponential        rate = 1 / mean (x >= 0)
//   gamma              shape k: log k - ψ(k) = log mean - mean(log x), by
//                      safeguarded Newton; rate = k / mean (x > 0)
//   weibull            shape k: Σ x^k log x / Σ x^k - 1/k = mean(log x), by
//                      safeguarded Newton; scale = (mean(x^k))^(1/k) (x > 0)
//   beta               a, b: ψ(a) - ψ(a + b) = mean(log x), ψ(b) - ψ(a + b)
//                      = mean(log(1 - x)), by Newton with the trigamma
//                      Jacobian and a line search on the (concave)
//                      log-likelihood (0 < x < 1)
//
// A family whose support does not hold the data, or whose MLE does not exist
// or is degenerate (all values equal, a beta datum at 0 or 1, ...), is kept
// in the result as not fitted, with the reason.
//
// Ranking. Discrete data: the exact KL(p̂ || P) = Σ_v p̂(v) log(p̂(v) / P(v))
// over the observed values v (+inf if one is outside P's support).
// Continuous data: the estimate -Ĥ - (1/n) Σ log f(x_i), Ĥ the
// Kozachenko–Leonenko entropy of the data (kldiv::entropy_knn, k = 1, ties
// distinct); Ĥ is the same for every family, so this ranking is the
// log-likelihood ranking. Fitted models come first, best (smallest KL)
// first, ties in the order of fit_family; then the families not fitted.
//
// Bad input (empty data, a value that is not finite, a count that is
// negative or not whole, a non-whole value fitted as discrete, a family of
// the other kind) is an InvalidArgument naming the argument and the index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kldiv {

enum class fit_family {
  // discrete
  uniform,
  binomial,
  poisson,
  geometric,
  negative_binomial,
  // continuous
  normal,
  lognormal,
  exponential,
  gamma,
  weibull,
  beta,
};

/// The family's name ("negative_binomial") and back; an unknown name is an
/// InvalidArgument listing the known ones.
std::string_view name(fit_family f);
fit_family fit_family_from_name(std::string_view name);
/// Whether the family is one of the discrete ones.
bool is_discrete(fit_family f);

/// How the data are treated: automatic means discrete when every value is a
/// whole number (|x| <= 2^53), continuous otherwise.
enum class data_kind { automatic, discrete, continuous };

struct fit_options {
  data_kind kind = data_kind::automatic;
  /// The families to fit (empty: every family of the data's kind). Each must
  /// be of the data's kind.
  std::vector<fit_family> families;
  /// The binomial's number of trials (>= 0); by default the largest value.
  std::optional<std::int64_t> binomial_n;
};

struct fit_parameter {
  std::string name;  ///< as the distribution class names it ("shape")
  double value = 0.0;
};

struct fitted_model {
  fit_family family = fit_family::normal;
  std::string name;  ///< name(family)
  bool fitted = false;
  std::string reason;  ///< why not fitted (empty when fitted)
  /// In the order of the distribution class's constructor.
  std::vector<fit_parameter> parameters;
  /// The number of free parameters: the binomial's n counts when it was
  /// taken from the data, the uniform's low and high count.
  int k = 0;
  double log_likelihood = 0.0;  ///< nats
  double aic = 0.0;             ///< 2k - 2 log_likelihood
  double bic = 0.0;             ///< k log n - 2 log_likelihood
  double kl = 0.0;              ///< KL(empirical || model), nats
  /// "exact", "k-NN entropy", or "point mass" (continuous data that are
  /// all equal: no density fits them, KL = +inf).
  std::string kl_method;

  /// The value of the parameter called `name`; InvalidArgument if none.
  double parameter(std::string_view name) const;
};

struct fit_result {
  std::vector<fitted_model> models;  ///< ranked, best first; then not fitted
  bool discrete = false;
  std::size_t n = 0;  ///< observations (the sum of the counts)
  /// The entropy the KLs rest on, nats: the plug-in (Shannon) entropy of the
  /// empirical distribution for discrete data, the Kozachenko–Leonenko
  /// estimate for continuous data.
  double entropy = 0.0;
  /// How the KLs were obtained, in words.
  std::string kl_estimator;
  std::vector<std::string> warnings;
};

/// Fits the families to the observations `data` (named data[i] in errors).
fit_result fit(std::span<const double> data, const fit_options& options = {});

/// The fitted model's log pmf (discrete families; -inf off the whole
/// numbers and outside the support) or log pdf (continuous families) at x,
/// from its parameters. InvalidArgument if the model was not fitted or x is
/// NaN.
double log_density(const fitted_model& model, double x);

/// The same from a table: `values[i]` observed `counts[i]` times (counts
/// whole numbers >= 0, at least one positive; a value may repeat). The result
/// is the one fit() gives on the expanded observations. Continuous data are
/// expanded for the k-NN entropy (the sum of the counts in memory).
fit_result fit_counts(std::span<const double> values,
                      std::span<const double> counts,
                      const fit_options& options = {});

}  // namespace kldiv
