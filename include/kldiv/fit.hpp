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
// Continuous data, by one of two estimators (fit_options::continuous_kl):
//
//   k-NN       -Ĥ - (1/n) Σ log f(x_i), Ĥ the Kozachenko–Leonenko entropy of
//              the data (kldiv::entropy_knn, k = 1, ties distinct). Ĥ is the
//              same for every family, so this ranking is the log-likelihood
//              ranking; the values carry Ĥ's error and may be negative.
//              Repeated values (rounded data) bias Ĥ upwards, by far: Fisher's
//              iris sepal lengths (one decimal) give KLs near -2.
//   histogram  Σ_b p̂_b log(p̂_b / P_b) over the bins b that hold data: edges
//              fitted on the data by fit_options::bins (kldiv::bin_edges,
//              NumPy's "auto" rule by default), p̂_b the data's proportion in
//              bin b, P_b = F(right edge) - F(left edge) the model's mass
//              there (Boost.Math's CDFs, the upper tail by the complement);
//              +inf when P_b = 0 where p̂_b > 0 (also when P_b is below the
//              smallest double, a bin ~38 standard deviations out for a
//              normal). This is the KL between the binned data and the binned
//              model, a different quantity from the k-NN one: always >= 0.
//              Were p̂ the true bin probabilities, it would be at most the
//              unbinned KL(true || model) (data processing); the sampling
//              noise in p̂ biases it up by about (B - 1) / (2n) for a model
//              that is right. With the caller's edges, data below the first
//              or above the last edge are counted in two outer bins, against
//              the model's mass there.
//
// Rounded data (fit_options::align_to_grid, on by default). NumPy's rules
// shrink the bins as n grows (Freedman–Diaconis: 2 IQR n^(-1/3)); on data
// rounded to a grid, bins narrower than about two grid steps hold one or two
// grid points, or none, by where their edges fall rather than by the
// density, which inflates every KL (50,000 normal draws rounded to 0.1 give
// the normal ~0.6 on NumPy's "auto" bins, half of them empty). So when the
// edges come from a rule and the data lie on a grid — at least 3 distinct
// values, each v_min + k g for a whole k within 1e-6 g, g the smallest gap
// between distinct values (refined as (v_max - v_min) / J, J the number of
// steps, since 5.2 - 5.1 is not exactly 0.1) — the bins are aligned with the
// grid:
//
//   width rules (NumPy's, and a bin count): the rule's width w (its mean,
//              (last - first) / B) becomes w' = max(1, round(w / g)) g
//              (halves round up), a whole number of grid steps, and the
//              edges are v_min - g/2 + k w' up to the first one above v_max:
//              every grid point lies in the middle of its cell, none on an
//              edge, and every bin spans the same number of grid cells.
//   quantiles  each edge moves to a midpoint between grid points, the one
//              nearest to it among those that leave the same values on each
//              side (duplicates merged): every bin keeps its data, and the
//              model's mass is taken over whole grid cells (a quantile edge
//              on a grid point would otherwise cut its cell in half).
//
// kl_estimator says so (the rule's width, the grid, the width used) and
// kl_edges holds the edges used. Data on no grid, and the caller's own
// edges, keep their edges; the caller's edges narrower than the grid step
// (on data that lie on one) get a warning, as do a rule's bins narrower than
// twice the closest distinct values' gap when they were not aligned.
//
// automatic (the default) takes the histogram when a value repeats in the
// data (ties bias the k-NN entropy) and k-NN otherwise. fit_result says which
// (kl_estimator, kl_edges, each model's kl_method). Fitted models come
// first, best (smallest KL) first, ties in the order of fit_family; then the
// families not fitted.
//
// Bad input (empty data, a value that is not finite, a count that is
// negative or not whole, a non-whole value fitted as discrete, a family of
// the other kind, bins that bin_edges refuses, smoothing or a bootstrap in
// the bins, continuous_kl other than automatic for discrete data) is an
// InvalidArgument naming the argument (and the index).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kldiv/estimators.hpp"

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

/// How KL(empirical || model) is estimated for continuous data (see above).
enum class continuous_kl_method {
  automatic,  ///< histogram when a value repeats in the data, else knn
  knn,  ///< -Ĥ - (1/n) Σ log f(x_i), Ĥ the Kozachenko–Leonenko entropy
  histogram,  ///< Σ_b p̂_b log(p̂_b / P_b) on bins fitted on the data
};

struct fit_options {
  data_kind kind = data_kind::automatic;
  /// The families to fit (empty: every family of the data's kind). Each must
  /// be of the data's kind.
  std::vector<fit_family> families;
  /// The binomial's number of trials (>= 0); by default the largest value.
  std::optional<std::int64_t> binomial_n;
  /// The continuous KL estimator. Discrete data take the exact KL: any
  /// choice other than automatic is then an InvalidArgument.
  continuous_kl_method continuous_kl = continuous_kl_method::automatic;
  /// The histogram estimator's bins: rule, bins and edges as bin_edges takes
  /// them (fitted on the data; NumPy's "auto" by default). smoothing and
  /// bootstrap must be 0 (seed and confidence are unused). Checked whenever
  /// the data are continuous, used only by the histogram estimator.
  histogram_options bins;
  /// Whether a rule's bins are aligned with the grid of rounded data (see
  /// "Rounded data" above); false keeps the edges bin_edges gives. The
  /// caller's edges (bin_rule::edges) are never moved.
  bool align_to_grid = true;
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
  /// "exact", "k-NN entropy", "histogram", or "point mass" (continuous data
  /// that are all equal: no density fits them, KL = +inf, whichever
  /// continuous_kl).
  std::string kl_method;

  /// The value of the parameter called `name`; InvalidArgument if none.
  double parameter(std::string_view name) const;
};

struct fit_result {
  std::vector<fitted_model> models;  ///< ranked, best first; then not fitted
  bool discrete = false;
  std::size_t n = 0;  ///< observations (the sum of the counts)
  /// The entropy the KLs rest on, nats: the plug-in (Shannon) entropy of the
  /// empirical distribution for discrete data; for continuous data the
  /// Kozachenko–Leonenko estimate (k-NN), or the plug-in entropy of the bin
  /// proportions, -Σ_b p̂_b log p̂_b (histogram: KL = -that - Σ_b p̂_b log
  /// P_b).
  double entropy = 0.0;
  /// How the KLs were obtained, in words (the histogram's rule and number of
  /// bins, how they were aligned with the data's grid, and why the estimator
  /// was chosen when automatic).
  std::string kl_estimator;
  /// The B + 1 bin edges the histogram estimator used, after any alignment
  /// with the data's grid (empty for k-NN, point mass and discrete data).
  std::vector<double> kl_edges;
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
/// expanded for the k-NN entropy and the histogram's bin rules (the sum of
/// the counts in memory).
fit_result fit_counts(std::span<const double> values,
                      std::span<const double> counts,
                      const fit_options& options = {});

}  // namespace kldiv
