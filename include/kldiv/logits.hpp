// Divergences between the softmaxes of two models' logits, row by row: the
// distillation and quantisation case (rows x vocabulary, float or double,
// vocabularies of any size).
//
// Conventions (docs/logits.md):
//  - `a` is the reference model (teacher, base), `b` the model being measured
//    or trained (student, quantised); P = softmax(a / T), Q = softmax(b / T)
//    row by row. kl is KL(P || Q), reverse_kl KL(Q || P).
//  - Each row is read in a streaming pass with an online maximum and
//    log-sum-exp (no overflow for logits of any size), then once more for the
//    divergence (the row is then in cache). Nothing of size rows x vocabulary
//    is allocated: extra memory is O(rows) plus O(vocabulary) per thread.
//  - Nothing is hidden: the temperature divides the logits and the result is
//    the divergence of the tempered softmaxes; the T^2 factor of Hinton et al.
//    is applied only when asked for (`scale_by_t_squared`).
//  - Reductions run over rows only: none (one value per row), sum, or mean
//    over the valid (unmasked) rows. A batch with no valid row gives 0.
//  - The gradient is with respect to b (the student's logits, before the
//    temperature), of the reduced value (for `none`: of each row's own value),
//    and is never NaN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kldiv/matrix.hpp"
#include "kldiv/options.hpp"

namespace kldiv {

/// What the numbers of a logits input are.
enum class logits_kind {
  /// Unnormalised log-probabilities (any finite value, or -inf for a token
  /// that has probability 0); softmax gives the distribution.
  logits,
  /// Log-probabilities: each row's log-sum-exp must be 0 within the
  /// tolerance (checked), -inf allowed (probability 0); then normalised by
  /// it like logits, so that results are those of distributions summing to
  /// exactly 1.
  log_probabilities,
};

/// A reduction over rows.
enum class reduction {
  none,  ///< one value per row
  sum,   ///< the sum over the valid rows
  mean,  ///< the mean over the valid rows (0 when no row is valid)
};

/// The divergences of a pair of logits rows.
enum class logits_measure {
  kl,          ///< KL(P || Q)
  reverse_kl,  ///< KL(Q || P)
  /// The generalised Jensen-Shannon divergence of weight beta in [0, 1],
  /// M = beta P + (1 - beta) Q:
  ///   JSD_beta = [beta KL(P || M) + (1 - beta) KL(Q || M)] / (beta (1 - beta))
  /// for 0 < beta < 1, and its limits KL(P || Q) at beta = 0 and KL(Q || P)
  /// at beta = 1: continuous on [0, 1]. beta = 1/2 gives 4 JS(P, Q); the
  /// unscaled value of Agarwal et al. (GKD, 2024) is beta (1 - beta) times it.
  generalized_jsd,
};

/// Options of the logits functions.
struct logits_options {
  log_base base{};
  logits_kind kind = logits_kind::logits;
  /// T > 0 divides every logit (log-probability inputs too: softmax(log p /
  /// T) is p^(1/T) renormalised).
  double temperature = 1.0;
  /// Multiply each row's value (and the gradient) by T^2, as in Hinton et
  /// al.'s distillation loss; off unless asked for.
  bool scale_by_t_squared = false;
  /// The weight beta of generalized_jsd, in [0, 1].
  double beta = 0.5;
  reduction reduce = reduction::mean;
  /// How far a log-probability row's log-sum-exp may be from 0. Unset: 1e-6
  /// for double inputs, 1e-4 for float inputs.
  std::optional<double> tolerance{};
  /// Threads over rows (one row per thread at a time); results are
  /// bit-identical for any count. 0: OpenMP's default.
  int threads = 0;

  logits_options& in_base(double b) {
    base = log_base(b);
    return *this;
  }
  logits_options& with_temperature(double t) {
    temperature = t;
    return *this;
  }
  logits_options& with_beta(double b) {
    beta = b;
    return *this;
  }
  logits_options& reduced(reduction r) {
    reduce = r;
    return *this;
  }
  logits_options& log_probs() {
    kind = logits_kind::log_probabilities;
    return *this;
  }
  logits_options& with_threads(int n) {
    threads = n;
    return *this;
  }
};

/// The result of a logits function.
struct logits_result {
  /// One value per row (0 for a masked row); filled for every reduction.
  std::vector<double> rows;
  /// The reduction asked for (for reduction::none: the sum, for reference).
  double value = 0.0;
  /// How many rows were valid (not masked, label not ignored).
  std::size_t valid_rows = 0;
  /// The unit of the values ("nats", "bits", ...).
  std::string unit;
};

/// Which rows count: empty means every row; otherwise one entry per row,
/// nonzero for a valid row.
using row_mask = std::span<const std::uint8_t>;

/// The divergence `m` between the rows of a and b (same shape, rows x vocab,
/// vocab >= 1). `gradient`, when not empty, must hold rows * vocab values: it
/// receives d value / d b, row-major; masked rows get 0. Throws
/// InvalidArgument naming the input, row and column of a bad entry (NaN,
/// +inf, a row of -inf only) or the bad option.
logits_result divergence_from_logits(logits_measure m,
                                     const matrix_view<double>& a,
                                     const matrix_view<double>& b,
                                     const logits_options& opt = {},
                                     row_mask mask = {},
                                     std::span<double> gradient = {});
logits_result divergence_from_logits(logits_measure m,
                                     const matrix_view<float>& a,
                                     const matrix_view<float>& b,
                                     const logits_options& opt = {},
                                     row_mask mask = {},
                                     std::span<float> gradient = {});

/// KL(softmax(a/T) || softmax(b/T)) per row, reduced.
template <class T>
logits_result kl_from_logits(const matrix_view<T>& a, const matrix_view<T>& b,
                             const logits_options& opt = {}, row_mask mask = {},
                             std::span<T> gradient = {}) {
  return divergence_from_logits(logits_measure::kl, a, b, opt, mask, gradient);
}
/// KL(softmax(b/T) || softmax(a/T)) per row, reduced.
template <class T>
logits_result reverse_kl_from_logits(const matrix_view<T>& a,
                                     const matrix_view<T>& b,
                                     const logits_options& opt = {},
                                     row_mask mask = {},
                                     std::span<T> gradient = {}) {
  return divergence_from_logits(logits_measure::reverse_kl, a, b, opt, mask,
                                gradient);
}
/// The generalised JSD of weight opt.beta (see logits_measure).
template <class T>
logits_result generalized_jsd_from_logits(const matrix_view<T>& a,
                                          const matrix_view<T>& b,
                                          const logits_options& opt = {},
                                          row_mask mask = {},
                                          std::span<T> gradient = {}) {
  return divergence_from_logits(logits_measure::generalized_jsd, a, b, opt,
                                mask, gradient);
}

/// Cross-entropy of softmax(logits/T) against integer labels, one per row:
/// -log softmax(logits/T)[label]. A label equal to `ignore_index` (when set)
/// or a masked row does not count; any other label outside [0, vocab) is an
/// InvalidArgument. The gradient is with respect to `logits`.
logits_result cross_entropy_from_logits(
    const matrix_view<double>& logits, std::span<const std::int64_t> labels,
    const logits_options& opt = {},
    std::optional<std::int64_t> ignore_index = std::nullopt, row_mask mask = {},
    std::span<double> gradient = {});
logits_result cross_entropy_from_logits(
    const matrix_view<float>& logits, std::span<const std::int64_t> labels,
    const logits_options& opt = {},
    std::optional<std::int64_t> ignore_index = std::nullopt, row_mask mask = {},
    std::span<float> gradient = {});

/// "kl", "reverse_kl", "generalized_jsd".
std::string_view name(logits_measure m);
/// The measure of a name (also "reverse-kl", "jsd", "gjsd"); throws
/// InvalidArgument listing the names otherwise.
logits_measure logits_measure_from_name(std::string_view name);
/// "none", "sum", "mean"; and back (InvalidArgument otherwise).
std::string_view name(reduction r);
reduction reduction_from_name(std::string_view name);

// ---------------------------------------------------------------------------
// Comparing two models over a data set: `kldiv logits BASE TEST`.

/// Per-row statistics that accumulate chunk by chunk (for files larger than
/// memory): feed every row's KL and top-token facts, then summarise.
struct logits_comparison {
  std::size_t rows = 0;
  double mean_kl = 0.0;
  double standard_error = 0.0;  ///< of the mean: sd / sqrt(rows)
  double median_kl = 0.0;
  double p90_kl = 0.0, p99_kl = 0.0, p999_kl = 0.0;
  double max_kl = 0.0;
  /// Fraction of rows whose most probable token is the same in both models.
  double top1_agreement = 0.0;
  /// RMS over rows of P(top) - Q(top), top = the base model's most probable
  /// token.
  double rms_top_prob_diff = 0.0;
  std::string unit;
};

/// Accumulates rows of two models' logits and summarises them.
class logits_comparer {
 public:
  explicit logits_comparer(logits_options opt = {});
  /// Adds a chunk of rows (same shape in both; the vocabulary must not change
  /// between chunks).
  void add(const matrix_view<double>& base, const matrix_view<double>& test);
  void add(const matrix_view<float>& base, const matrix_view<float>& test);
  std::size_t rows() const { return kl_.size(); }
  /// The statistics so far (InvalidArgument when no row was added).
  logits_comparison summary() const;

 private:
  logits_options opt_;
  std::size_t vocab_ = 0;
  std::vector<double> kl_;  // O(rows): one value per row
  std::size_t agree_ = 0;
  double sum_sq_top_diff_ = 0.0;
};

}  // namespace kldiv
