// Divergences, entropy and mutual information estimated from samples: the
// k-nearest-neighbour KL estimator of Wang, Kulkarni & Verdú (2009) for
// samples of different sizes, Kozachenko–Leonenko entropy, the 1-D
// empirical-CDF estimator of Pérez-Cruz (2008), histogram and categorical
// estimates on shared bins, and the mutual information estimators of
// Kraskov, Stögbauer & Grassberger (2004). Ties are handled by a policy the
// caller chooses and the count of affected points reported; every estimate
// is raw (never clipped at 0), with an optional seeded bootstrap confidence
// interval.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kldiv/matrix.hpp"

namespace kldiv {

/// What to do with zero nearest-neighbour distances (duplicated points,
/// or a point of X equal to one of Y), which would make log-distance
/// estimators infinite.
enum class tie_policy {
  error,     ///< InvalidArgument stating how many points are tied
  jitter,    ///< add seeded N(0, (scale * sd of the column)^2) noise first
  distinct,  ///< use the k-th neighbour at a distance > 0 (skip zeros)
  exclude,   ///< leave the tied points out of the average
};

/// How neighbours are searched: k-d trees (nanoflann) or brute force, which
/// is exact and faster in high dimensions; automatic picks trees for
/// d <= 12.
enum class knn_search { automatic, tree, brute };

struct knn_options {
  /// Neighbour orders: one estimate per k, from one search.
  std::vector<int> k = {1};
  tie_policy ties = tie_policy::distinct;
  /// jitter: the noise's standard deviation as a fraction of each column's
  /// standard deviation (of X and Y pooled).
  double jitter_scale = 1e-10;
  std::uint64_t seed = 0;  ///< jitter and bootstrap streams
  int threads = 0;         ///< 0: OpenMP's default; queries over threads
  knn_search search = knn_search::automatic;
  /// Bootstrap resamples for a percentile confidence interval (0: none).
  std::size_t bootstrap = 0;
  double confidence = 0.95;
};

/// One estimate with what it rests on.
struct sample_estimate {
  double value = 0.0;  ///< nats; raw (may be negative), never clipped
  int k = 0;           ///< the neighbour order (0 where it does not apply)
  std::optional<double> ci_low, ci_high;  ///< bootstrap interval, if asked
  std::size_t n = 0, m = 0, d = 0;        ///< sizes and dimension
  /// Points whose neighbour distance was 0 (ties), and what was done.
  std::size_t ties = 0;
  std::string tie_handling;
  std::vector<std::string> warnings;  ///< e.g. n small for d
};

/// KL(P || Q) from x ~ P (n x d) and y ~ Q (m x d), n >= k + 1, m >= k:
/// D = d/n Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n - 1)), ρ_k(i) the distance
/// from x_i to its k-th nearest neighbour among the other x, ν_k(i) to its
/// k-th nearest among y (Euclidean). One estimate per k in options.k.
std::vector<sample_estimate> kl_knn(const matrix_view<double>& x,
                                    const matrix_view<double>& y,
                                    const knn_options& options = {});

/// Differential entropy of P from x ~ P (n x d), the Kozachenko–Leonenko
/// estimator: H = ψ(n) - ψ(k) + log V_d + d/n Σ_i log ε_k(i), ε_k(i) the
/// distance from x_i to its k-th nearest neighbour among the other x and
/// V_d = π^(d/2) / Γ(d/2 + 1) the unit ball's volume. Ties, threads, search
/// and bootstrap as for kl_knn (the `m` of the result is 0).
std::vector<sample_estimate> entropy_knn(const matrix_view<double>& x,
                                         const knn_options& options = {});

// --------------------------------------------------------------------------
// One-dimensional data: Pérez-Cruz (2008).

struct kl_1d_options {
  tie_policy ties = tie_policy::distinct;
  double jitter_scale = 1e-10;  ///< as knn_options::jitter_scale
  std::uint64_t seed = 0;       ///< jitter and interval streams
  /// Draws for a confidence interval by half-sampling (0: none): each takes
  /// half of x and half of y without replacement, and the interval is
  /// [D - q_hi, D - q_lo] for the quantiles of the halves' deviations from
  /// D, scaled by sqrt(h / (n - h)). (Resampling with replacement repeats
  /// values, which changes the spacings the estimate rests on.)
  std::size_t bootstrap = 0;
  double confidence = 0.95;
};

/// KL(P || Q) from x ~ P (n >= 2 values) and y ~ Q (m >= 2 values), the
/// empirical-CDF estimator of Pérez-Cruz (2008), "Kullback-Leibler
/// divergence estimation of continuous distributions":
///
///   D = 1/n' Σ_i [log s_P(x_i) - log s_Q(x_i) + [x_i ∈ y]] - 1,
///
/// s_P, s_Q the left-hand slopes of the piecewise-linear CDFs P_c, Q_c at
/// x_i. P_c has knots (lo, 0), (u_j, (C_{j-1} + c_j / 2) / n) for the
/// distinct values u_1 < ... < u_r of x (c_j copies, C_j cumulative) and
/// (hi, 1); Q_c likewise from y and m. The boundary is scale-invariant:
/// lo = a - w and hi = b + w, a and b the smallest and largest value of x
/// and y pooled and w = (b - a) / (n + m) (w = 1 if a == b). A point of x
/// equal to a point of y sits on a knot of Q_c, where its spacing is an
/// ordinary one rather than the length-biased one the -1 corrects, hence
/// the [x_i ∈ y] term (1 if x_i equals a value of y), which makes identical
/// samples give exactly 0. Ties (a value of x repeated in x or found in y):
/// distinct (default) keeps every point with the collapsed CDFs above,
/// exclude leaves the tied points out of the average (n' the others),
/// error refuses, jitter adds seeded noise first. The result has k = 0,
/// d = 1.
sample_estimate kl_1d(std::span<const double> x, std::span<const double> y,
                      const kl_1d_options& options = {});

// --------------------------------------------------------------------------
// Histograms on shared bins.

/// How bin edges are chosen from the reference sample (NumPy's
/// histogram_bin_edges for the named width rules, the same numbers).
enum class bin_rule {
  automatic,          ///< NumPy's "auto": the smaller width of FD and Sturges
  freedman_diaconis,  ///< width 2 IQR n^(-1/3)
  scott,              ///< width (24 √π / n)^(1/3) σ
  sturges,            ///< ⌈log2 n⌉ + 1 bins
  doane,              ///< Sturges corrected for skewness
  rice,               ///< 2 n^(1/3) bins
  sqrt,               ///< √n bins
  count,              ///< `bins` equal-width bins over the range
  quantiles,          ///< `bins` bins of equal reference mass (quantiles)
  edges,              ///< the caller's `edges`, strictly increasing
};

struct histogram_options {
  bin_rule rule = bin_rule::automatic;
  std::size_t bins = 10;      ///< for count and quantiles
  std::vector<double> edges;  ///< for bin_rule::edges
  /// Pseudo-count added to every bin of both samples (the two outer bins
  /// included) before normalising; 0 (the default) means none, so a bin
  /// with current data and no reference data makes KL infinite.
  double smoothing = 0.0;
  std::uint64_t seed = 0;
  std::size_t bootstrap = 0;  ///< resamples (the edges kept fixed)
  double confidence = 0.95;
};

/// A histogram estimate and the bins it rests on. Bins: [0] below the first
/// edge, [1 .. B] the B inner bins [e_{i-1}, e_i) (the last closed), [B + 1]
/// above the last edge.
struct histogram_estimate {
  double value = 0.0;  ///< KL(p || q) in nats, +inf when q has an empty bin
  std::optional<double> ci_low, ci_high;
  std::vector<double> edges;  ///< B + 1 edges, fitted on the reference y
  std::vector<std::size_t> x_counts, y_counts;  ///< B + 2 counts each
  std::vector<double> p, q;   ///< the (smoothed) bin probabilities
  std::vector<double> terms;  ///< p log(p / q) per bin: where KL comes from
  std::size_t n = 0, m = 0;
  std::string rule;  ///< the rule's name ("fd", "quantiles", ...)
  double smoothing = 0.0;
  std::vector<std::string> warnings;  ///< e.g. x outside the reference range
};

/// The bin edges the rule gives for a reference sample (finite values,
/// at least one): B + 1 strictly increasing edges. Quantile edges that
/// coincide (repeated values) are merged.
std::vector<double> bin_edges(std::span<const double> reference,
                              const histogram_options& options = {});

/// The counts of `values` in the bins of `edges`: B + 2 entries, the first
/// below edges.front(), the last above edges.back(), as histogram_estimate.
std::vector<std::size_t> bin_counts(std::span<const double> values,
                                    std::span<const double> edges);

/// KL(P || Q) between the histograms of x ~ P (the current data) and
/// y ~ Q (the reference) on bins fitted on y, with the outer bins catching
/// x outside the reference range.
histogram_estimate kl_histogram(std::span<const double> x,
                                std::span<const double> y,
                                const histogram_options& options = {});

struct categorical_options {
  double smoothing = 0.0;  ///< pseudo-count per category, the unseen one too
  std::uint64_t seed = 0;
  std::size_t bootstrap = 0;
  double confidence = 0.95;
};

/// A categorical estimate: the categories are the reference's (y's), sorted,
/// followed by one bucket for the categories of x that y does not have.
struct categorical_estimate {
  double value = 0.0;  ///< KL(p || q) in nats
  std::optional<double> ci_low, ci_high;
  std::vector<std::string> categories;  ///< K reference categories
  std::vector<std::string> unseen;      ///< x's categories absent from y
  std::vector<std::size_t> x_counts, y_counts;  ///< K + 1 (unseen last)
  std::vector<double> p, q, terms;
  std::size_t n = 0, m = 0;
  double smoothing = 0.0;
  std::vector<std::string> warnings;
};

categorical_estimate kl_categorical(std::span<const std::string> x,
                                    std::span<const std::string> y,
                                    const categorical_options& options = {});

// --------------------------------------------------------------------------
// Mutual information: Kraskov, Stögbauer & Grassberger (2004).

struct ksg_options {
  std::vector<int> k = {3};  ///< one estimate per k
  int variant = 1;           ///< KSG's estimator 1 or 2
  tie_policy ties = tie_policy::distinct;
  double jitter_scale = 1e-10;
  std::uint64_t seed = 0;
  int threads = 0;
  std::size_t bootstrap = 0;  ///< resamples of the pairs (rows)
  double confidence = 0.95;
};

/// I(X; Y) from N paired rows x (N x dx) and y (N x dy), with the max-norm
/// in each space and in the joint one (‖(x, y)‖ = max(‖x‖∞, ‖y‖∞)); ε_i the
/// joint distance from z_i to its k-th nearest other point.
///  variant 1: I = ψ(k) + ψ(N) - <ψ(n_x + 1) + ψ(n_y + 1)>, n_x(i) the
///             number of j != i with ‖x_j - x_i‖ < ε_i (n_y likewise);
///  variant 2: I = ψ(k) - 1/k + ψ(N) - <ψ(n_x) + ψ(n_y)>, n_x(i) the number
///             of j != i with ‖x_j - x_i‖ <= ε_x(i), ε_x(i) the largest
///             x-distance among the points at joint distance <= ε_i.
/// Ties (a row z_i repeated): distinct skips zero joint distances for ε_i;
/// exclude leaves repeated rows out of the average; error refuses; jitter
/// adds seeded noise to every column first. The result's n = m = N and
/// d = dx + dy.
std::vector<sample_estimate> mutual_information_ksg(
    const matrix_view<double>& x, const matrix_view<double>& y,
    const ksg_options& options = {});

}  // namespace kldiv
