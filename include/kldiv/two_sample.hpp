// Two-sample tests and distances: are two samples (a reference and a current
// one) drawn from the same distribution? The per-column tests of
// `kldiv compare`: Kolmogorov–Smirnov, Welch's t, the z-test for means, the
// chi-square tests for categories (homogeneity of two samples, goodness of
// fit to given proportions), plus Wasserstein-1 and the population stability
// index.
//
// Every p-value is two-sided and equals SciPy's (1.10) for the same data:
// scipy.stats.ks_2samp, ttest_ind(equal_var=False), norm.sf,
// chi2_contingency and chisquare; tests/test_two_sample.cpp checks them to 1e-8
// relative against tools/gen_two_sample_reference.py. Bad input (an empty or
// too short sample, a NaN or infinite value, a degenerate table) throws
// kldiv::InvalidArgument naming the argument and, where it applies, the
// index; no result is ever a silent NaN.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kldiv {

/// The outcome of a two-sample test.
struct test_result {
  double statistic = 0.0;  ///< D (KS), t (Welch), z, or chi-square
  double p_value = 1.0;    ///< two-sided, in [0, 1]
  /// Degrees of freedom where the reference distribution has them: Welch's
  /// (Welch–Satterthwaite, not an integer) and the chi-square test's.
  std::optional<double> df{};
  /// How the p-value was computed: "exact", "asymptotic" (KS), "student t"
  /// (Welch), "normal" (z), "chi-square" or "chi-square, Yates-corrected".
  std::string method;
  /// Anything the caller should know about how the result was obtained (a
  /// method switched, ties in a continuous test, categories dropped).
  std::vector<std::string> warnings;
};

/// How ks_2samp computes its p-value (SciPy's `method`).
enum class ks_method {
  /// exact when max(n, m) <= 10000, else asymptotic (SciPy's 'auto').
  automatic,
  /// The exact distribution of D for continuous data (lattice paths; time
  /// about 2 D n m steps, memory m + 1 doubles), as SciPy's 'exact'. When
  /// lcm(n, m) does not fit SciPy's limit (n/g >= (2^31 - 1)/(m/g), g =
  /// gcd) the asymptotic p-value is given instead, with a warning.
  exact,
  /// kstwo.sf(D, round(n m / (n + m))): the one-sample two-sided
  /// Kolmogorov distribution at the effective size (Simard & L'Ecuyer's
  /// choice of algorithm, as in SciPy).
  asymptotic,
};

/// Two-sided two-sample Kolmogorov–Smirnov test: D = sup |F_x - F_y| over
/// the empirical CDFs (ties within and across samples handled as SciPy does:
/// each CDF steps by all copies of a value at once). The exact p-value is
/// that of continuous data (exact for samples without ties, conservative
/// with them); a warning says when ties were found. statistic and p-value
/// equal scipy.stats.ks_2samp(x, y, method=...). Throws InvalidArgument for
/// an empty sample, a NaN or infinite value (naming x[i] or y[i]), and for
/// method asymptotic when n m / (n + m) rounds to 0 (n = m = 1), where the
/// asymptotic distribution is undefined.
test_result ks_2samp(std::span<const double> x, std::span<const double> y,
                     ks_method method = ks_method::automatic);

/// Welch's unequal-variance t-test, two-sided: t = (mean_x - mean_y) /
/// sqrt(s_x²/n + s_y²/m) with sample variances (ddof 1), df by
/// Welch–Satterthwaite, p = 2 P(T_df > |t|). Equals
/// scipy.stats.ttest_ind(x, y, equal_var=False). Throws InvalidArgument for
/// fewer than 2 values in a sample, a NaN or infinite value, and when both
/// samples are constant (zero variance in both: SciPy returns NaN; the test
/// is undefined).
test_result welch_t(std::span<const double> x, std::span<const double> y);

/// The two-sample z-test for means with the sample variances (ddof 1): the
/// statistic of welch_t, referred to the standard normal, p = 2 P(Z > |z|)
/// (scipy.stats.norm.sf). The large-sample version of Welch's test. Same
/// errors as welch_t.
test_result z_test_means(std::span<const double> x, std::span<const double> y);

/// Chi-square test of homogeneity on the 2 x K table [x_counts; y_counts]
/// (counts of the same K categories in two samples), as
/// scipy.stats.chi2_contingency with its defaults: expected counts from the
/// margins, df = K' - 1, Yates' continuity correction when df = 1.
/// Categories with a zero count in both samples carry no information and
/// are dropped first (K' = the categories left; a warning names how many
/// were dropped); SciPy instead fails on their zero expected frequency.
/// Throws InvalidArgument for a length mismatch, a sample whose counts sum
/// to 0, and fewer than 2 categories left (K' < 2).
test_result chi2_categories(std::span<const std::size_t> x_counts,
                            std::span<const std::size_t> y_counts);

/// Chi-square goodness of fit of observed counts to expected proportions of
/// the same K categories (e.g. a current sample's counts against a
/// reference's proportions): E_k = N q_k / Σ q (N the total count),
/// statistic Σ (O_k - E_k)² / E_k, df = K' - 1, no continuity correction;
/// equals scipy.stats.chisquare(observed, N q). Categories with q_k = 0 and
/// no count are dropped (a warning says how many; K' = those left); q_k = 0
/// with a count makes the statistic +inf and the p-value 0, as in SciPy.
/// Throws InvalidArgument for a length mismatch, counts summing to 0, a
/// proportion that is negative, NaN, infinite or > 1, proportions whose sum
/// is off 1 by more than `tolerance`, and K' < 2.
test_result chi2_goodness_of_fit(std::span<const std::size_t> observed,
                                 std::span<const double> expected,
                                 double tolerance = 1e-6);

/// The first Wasserstein (earth mover's) distance between the empirical
/// distributions of x and y: the integral of |F_x - F_y|. Equals
/// scipy.stats.wasserstein_distance(x, y). Throws InvalidArgument for an
/// empty sample and a NaN or infinite value.
double wasserstein_1(std::span<const double> x, std::span<const double> y);

/// Population stability index of two vectors of bin proportions (the same
/// bins): sum over bins of (p_i - q_i) ln(p_i / q_i) = KL(p‖q) + KL(q‖p), in
/// nats. A bin where both are 0 adds 0; a bin where exactly one is 0 makes
/// the index +inf (no epsilon is added silently: smooth the counts first if
/// a finite index is wanted). Throws InvalidArgument for a length mismatch,
/// empty vectors, a value that is negative, NaN, infinite or > 1, and a
/// vector whose sum is off 1 by more than `tolerance`.
double psi(std::span<const double> p, std::span<const double> q,
           double tolerance = 1e-6);

}  // namespace kldiv
