// Divergences estimated from samples: the k-nearest-neighbour KL estimator of
// Wang, Kulkarni & Verdú (2009) for samples of different sizes, with ties
// handled by a policy the caller chooses and the count of affected points
// reported; every estimate raw (never clipped at 0), with an optional
// seeded bootstrap confidence interval.
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

}  // namespace kldiv
