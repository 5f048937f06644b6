// Are two data sets different, where, and how sure: a reference and a
// current table compared column by column. Per column, on shared bins
// (numeric: bins fitted on the reference by a named rule, with outer bins
// for current data outside the reference range) or shared categories (the
// reference's plus an unseen bucket): KL both ways, the Jensen-Shannon
// divergence in bits (bounded by 1), Hellinger, total variation and PSI,
// and each bin's contribution to KL(current || reference); for numeric
// columns also the 1-D KL estimate (Pérez-Cruz), Wasserstein-1, the
// Kolmogorov-Smirnov test, Welch's t and the z-test for means; for
// categorical columns the chi-square test of homogeneity; for every column a
// seeded permutation p-value and bootstrap interval for JS, and a verdict
// (no drift / possible drift / drift) by documented thresholds. Missing
// values are counted and reported, never dropped silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kldiv/estimators.hpp"
#include "kldiv/two_sample.hpp"

namespace kldiv {

enum class column_kind { numeric, categorical };

/// One column of one table: numbers (numeric) or labels (categorical), the
/// missing values left out and counted.
struct data_column {
  std::string name;
  column_kind kind = column_kind::numeric;
  std::vector<double> numbers;      ///< numeric: the values present
  std::vector<std::string> labels;  ///< categorical: the values present
  std::size_t missing = 0;          ///< values missing (empty, NA, ...)
  /// Why a column read from text is categorical ("line 7 has 'n/a?', not a
  /// number"; empty when named so or numeric): said when the kinds of a
  /// column differ between the two tables.
  std::string why_categorical;
  std::size_t size() const {
    return kind == column_kind::numeric ? numbers.size() : labels.size();
  }
};

/// When a column's difference counts as drift. The JS thresholds apply to
/// JS beyond chance: the observed JS minus the mean JS of the permutations
/// (what two samples of these sizes from one distribution give on these
/// bins; binned JS is biased upwards by sampling noise, e.g. about 0.18 bits
/// for 100 values against a large reference on ~100 bins), 0 when
/// permutations = 0. A column is "drift" when the permutation p-value of JS
/// is below `alpha` and JS beyond chance >= `js_drift` bits; "possible
/// drift" when it is below `alpha` and JS beyond chance >= `js_possible`, or
/// when JS beyond chance >= `js_drift` without significance (small samples,
/// or no permutation test); otherwise "no drift" (a significant but tiny
/// difference, as large samples give, is not drift). The reason states JS,
/// the chance level and the p-value.
struct drift_thresholds {
  double alpha = 0.01;
  double js_possible = 0.01;  ///< bits
  double js_drift = 0.05;     ///< bits
};

struct compare_options {
  /// Bins of numeric columns, fitted on the reference (smoothing and
  /// bootstrap fields are ignored: see below).
  histogram_options bins{};
  /// Pseudo-count added to every bin of both histograms before every
  /// measure (the proportions, KLs, JS, Hellinger, TV, PSI and the
  /// permutations and resamples all use the smoothed counts). 0: none, so
  /// a bin with current data and no reference data makes KL(current ||
  /// reference) and PSI infinite; JS, Hellinger and TV are always finite.
  double smoothing = 0.0;
  std::size_t permutations = 1000;  ///< for the JS p-value (0: none)
  std::size_t bootstrap = 200;      ///< for the JS interval (0: none)
  double confidence = 0.95;
  std::uint64_t seed = 0;
  drift_thresholds thresholds{};
  int threads = 0;  ///< for the permutations and bootstraps
};

/// A named test result (KS, Welch t, z, chi-square, JS permutation).
struct named_test {
  std::string name;
  test_result result;
};

struct column_comparison {
  std::string name;
  column_kind kind = column_kind::numeric;
  std::size_t n_reference = 0, n_current = 0;  ///< values present
  std::size_t missing_reference = 0, missing_current = 0;
  /// The shared bins: numeric columns have edges (B + 1) and B + 2 bins
  /// (outer bins first and last); categorical columns have the reference's
  /// categories (sorted) and an unseen bucket last. `bins` names each bin
  /// for display ("[0.5, 1)", "< 0.5", "red", "(unseen)").
  std::vector<double> edges;
  std::vector<std::string> bins;
  std::vector<std::size_t> reference_counts, current_counts;
  std::vector<double> reference_p, current_p;  ///< the (smoothed) proportions
  /// current_p log(current_p / reference_p) per bin, nats: where
  /// KL(current || reference) comes from.
  std::vector<double> kl_terms;
  double kl_current_reference = 0.0;  ///< nats
  double kl_reference_current = 0.0;  ///< nats
  double js_bits = 0.0;               ///< Jensen-Shannon divergence, bits
  std::optional<double> js_ci_low, js_ci_high;  ///< bootstrap, bits
  double hellinger = 0.0;
  double total_variation = 0.0;
  double psi = 0.0;
  /// Numeric columns: the 1-D estimate of KL(current || reference) (nats)
  /// and the Wasserstein-1 distance (in the column's unit).
  std::optional<double> kl_1d, wasserstein;
  /// KS, Welch t, z (numeric) or chi-square (categorical), then the JS
  /// permutation test (statistic: JS in bits; p = (1 + #{JS_perm >=
  /// JS}) / (permutations + 1), so never 0; seeded, the same for any thread
  /// count).
  std::vector<named_test> tests;
  std::string verdict;  ///< "no drift", "possible drift" or "drift"
  std::string reason;   ///< why, in words
  std::vector<std::string> warnings;
};

struct comparison {
  /// One per compared column, worst first (drift, possible, none; then by
  /// JS, largest first).
  std::vector<column_comparison> columns;
  compare_options options;
};

/// Compares each column of `current` with the reference column of the same
/// name (and kind): every column of `reference` that `current` also has.
/// InvalidArgument when a column is numeric in one and categorical in the
/// other, when a column has no values present in either table, or when no
/// column is shared.
comparison compare(const std::vector<data_column>& reference,
                   const std::vector<data_column>& current,
                   const compare_options& options = {});

/// One column compared (as compare does for each).
column_comparison compare_column(const data_column& reference,
                                 const data_column& current,
                                 const compare_options& options = {});

}  // namespace kldiv
