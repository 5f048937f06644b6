// Divergences between discrete distributions: probability vectors,
// histograms, count tables.
//
// Every function takes p and q as std::span of double or float (a
// std::vector or std::array converts implicitly), and has a batched form over
// the rows of a matrix_view (one result per row, in order). Inputs are
// accumulated in double. `kl(p, q)` is KL(p‖q) = Σ p_i log(p_i / q_i).
//
// Edge cases (after any normalisation and smoothing):
//   p_i = 0, q_i >= 0  -> the term is exactly 0 (0 log 0 = 0)
//   p_i > 0, q_i = 0   -> the term, and so the result, is +inf
// Invalid input throws kldiv::InvalidArgument naming the argument, index and
// value: a negative, NaN or infinite entry, an empty vector, lengths that
// differ, or a probability vector whose sum is off 1 by more than the
// tolerance (see discrete_options). Identical inputs give exactly 0.
//
// Results that are logarithms are in the unit of options.base (nats by
// default); hellinger, the Bhattacharyya coefficient, total variation, the
// chi-squared divergences and f_divergence have no unit and ignore the base.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kldiv/matrix.hpp"
#include "kldiv/options.hpp"

namespace kldiv {

using dspan = std::span<const double>;
using fspan = std::span<const float>;
using dmatrix = matrix_view<double>;
using fmatrix = matrix_view<float>;

/// KL(p‖q) = Σ p_i log(p_i / q_i) >= 0. Computed as
/// Σ [p_i log(p_i/q_i) - p_i + q_i] + (Σp - Σq), whose terms are all >= 0, so
/// that p close to q loses no digits to cancellation.
double kl(dspan p, dspan q, const discrete_options& opt = {});
double kl(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> kl(dmatrix p, dmatrix q, const discrete_options& opt = {});
std::vector<double> kl(fmatrix p, fmatrix q, const discrete_options& opt = {});

/// The terms of kl(p, q), one per entry, into `out` (same length as p):
/// out_i = p_i log(p_i / q_i), 0 where p_i = 0, +inf where p_i > 0 = q_i.
/// The same checks, normalisation and smoothing as kl apply. The batched form
/// writes rows x cols values, row-major.
void rel_entr(dspan p, dspan q, std::span<double> out,
              const discrete_options& opt = {});
void rel_entr(fspan p, fspan q, std::span<float> out,
              const discrete_options& opt = {});
void rel_entr(dmatrix p, dmatrix q, std::span<double> out,
              const discrete_options& opt = {});
void rel_entr(fmatrix p, fmatrix q, std::span<float> out,
              const discrete_options& opt = {});

/// Generalised KL for unnormalised non-negative measures:
/// Σ [p_i log(p_i / q_i) - p_i + q_i] >= 0 (SciPy's kl_div, summed). No sum
/// check (the inputs need not sum to 1); normalisation and smoothing still
/// apply when asked for.
double generalized_kl(dspan p, dspan q, const discrete_options& opt = {});
double generalized_kl(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> generalized_kl(dmatrix p, dmatrix q,
                                   const discrete_options& opt = {});
std::vector<double> generalized_kl(fmatrix p, fmatrix q,
                                   const discrete_options& opt = {});

/// Shannon entropy H(p) = -Σ p_i log p_i >= 0.
double entropy(dspan p, const discrete_options& opt = {});
double entropy(fspan p, const discrete_options& opt = {});
std::vector<double> entropy(dmatrix p, const discrete_options& opt = {});
std::vector<double> entropy(fmatrix p, const discrete_options& opt = {});

/// Cross-entropy H(p, q) = -Σ p_i log q_i = H(p) + KL(p‖q).
double cross_entropy(dspan p, dspan q, const discrete_options& opt = {});
double cross_entropy(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> cross_entropy(dmatrix p, dmatrix q,
                                  const discrete_options& opt = {});
std::vector<double> cross_entropy(fmatrix p, fmatrix q,
                                  const discrete_options& opt = {});

/// Jeffreys divergence KL(p‖q) + KL(q‖p) = Σ (p_i - q_i) log(p_i / q_i).
double jeffreys(dspan p, dspan q, const discrete_options& opt = {});
double jeffreys(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> jeffreys(dmatrix p, dmatrix q,
                             const discrete_options& opt = {});
std::vector<double> jeffreys(fmatrix p, fmatrix q,
                             const discrete_options& opt = {});

/// The weights of the Jensen–Shannon mixture m = pi1 p + pi2 q; both >= 0,
/// summing to 1.
struct js_weights {
  double pi1 = 0.5;
  double pi2 = 0.5;
};

/// Jensen–Shannon divergence pi1 KL(p‖m) + pi2 KL(q‖m), m = pi1 p + pi2 q.
/// Always finite: 0 <= JS <= H(pi1, pi2) (= log 2 for equal weights).
double js_divergence(dspan p, dspan q, const discrete_options& opt = {},
                     js_weights w = {});
double js_divergence(fspan p, fspan q, const discrete_options& opt = {},
                     js_weights w = {});
std::vector<double> js_divergence(dmatrix p, dmatrix q,
                                  const discrete_options& opt = {},
                                  js_weights w = {});
std::vector<double> js_divergence(fmatrix p, fmatrix q,
                                  const discrete_options& opt = {},
                                  js_weights w = {});

/// Jensen–Shannon distance sqrt(JS) (a metric; SciPy's jensenshannon), with
/// JS in the unit of options.base.
double js_distance(dspan p, dspan q, const discrete_options& opt = {},
                   js_weights w = {});
double js_distance(fspan p, fspan q, const discrete_options& opt = {},
                   js_weights w = {});
std::vector<double> js_distance(dmatrix p, dmatrix q,
                                const discrete_options& opt = {},
                                js_weights w = {});
std::vector<double> js_distance(fmatrix p, fmatrix q,
                                const discrete_options& opt = {},
                                js_weights w = {});

/// Rényi divergence of order alpha >= 0 (alpha may be +inf), in Rényi's own
/// form that divides by Σp:
///   D_alpha = log(Σ p_i^alpha q_i^(1-alpha) / Σ p_i) / (alpha - 1),
/// with its limits D_0 = -log(Σ_{p_i>0} q_i / Σ p_i), D_1 = KL(p‖q) and
/// D_inf = log max_i p_i / q_i. For p summing to exactly 1 this is the usual
/// definition; dividing by Σp keeps it continuous at alpha = 1 when p sums to
/// 1 only within rounding (no log(Σp)/(alpha - 1) blow-up). Computed without
/// loss of digits near alpha = 1 and near p = q; non-decreasing in alpha.
double renyi(dspan p, dspan q, double alpha, const discrete_options& opt = {});
double renyi(fspan p, fspan q, double alpha, const discrete_options& opt = {});
std::vector<double> renyi(dmatrix p, dmatrix q, double alpha,
                          const discrete_options& opt = {});
std::vector<double> renyi(fmatrix p, fmatrix q, double alpha,
                          const discrete_options& opt = {});

/// Hellinger distance H = sqrt(½ Σ (sqrt p_i - sqrt q_i)^2), in [0, 1]
/// (the ½ convention; multiply by sqrt 2 for the other one). No unit.
double hellinger(dspan p, dspan q, const discrete_options& opt = {});
double hellinger(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> hellinger(dmatrix p, dmatrix q,
                              const discrete_options& opt = {});
std::vector<double> hellinger(fmatrix p, fmatrix q,
                              const discrete_options& opt = {});

/// Bhattacharyya coefficient BC = Σ sqrt(p_i q_i), in [0, 1]. No unit.
double bhattacharyya_coefficient(dspan p, dspan q,
                                 const discrete_options& opt = {});
double bhattacharyya_coefficient(fspan p, fspan q,
                                 const discrete_options& opt = {});
std::vector<double> bhattacharyya_coefficient(dmatrix p, dmatrix q,
                                              const discrete_options& opt = {});
std::vector<double> bhattacharyya_coefficient(fmatrix p, fmatrix q,
                                              const discrete_options& opt = {});

/// Bhattacharyya distance -log BC >= 0 (+inf for disjoint supports), computed
/// as -log(BC / sqrt(Σp Σq)) so that equal vectors give exactly 0 even when
/// their sums are 1 only within rounding.
double bhattacharyya_distance(dspan p, dspan q,
                              const discrete_options& opt = {});
double bhattacharyya_distance(fspan p, fspan q,
                              const discrete_options& opt = {});
std::vector<double> bhattacharyya_distance(dmatrix p, dmatrix q,
                                           const discrete_options& opt = {});
std::vector<double> bhattacharyya_distance(fmatrix p, fmatrix q,
                                           const discrete_options& opt = {});

/// Total variation distance ½ Σ |p_i - q_i|, in [0, 1]. No unit.
double total_variation(dspan p, dspan q, const discrete_options& opt = {});
double total_variation(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> total_variation(dmatrix p, dmatrix q,
                                    const discrete_options& opt = {});
std::vector<double> total_variation(fmatrix p, fmatrix q,
                                    const discrete_options& opt = {});

/// Pearson's chi-squared divergence Σ (p_i - q_i)^2 / q_i (+inf where
/// q_i = 0 < p_i). No unit.
double chi2_pearson(dspan p, dspan q, const discrete_options& opt = {});
double chi2_pearson(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> chi2_pearson(dmatrix p, dmatrix q,
                                 const discrete_options& opt = {});
std::vector<double> chi2_pearson(fmatrix p, fmatrix q,
                                 const discrete_options& opt = {});

/// Neyman's chi-squared divergence Σ (p_i - q_i)^2 / p_i (+inf where
/// p_i = 0 < q_i). No unit.
double chi2_neyman(dspan p, dspan q, const discrete_options& opt = {});
double chi2_neyman(fspan p, fspan q, const discrete_options& opt = {});
std::vector<double> chi2_neyman(dmatrix p, dmatrix q,
                                const discrete_options& opt = {});
std::vector<double> chi2_neyman(fmatrix p, fmatrix q,
                                const discrete_options& opt = {});

/// A convex f with f(1) = 0 for f_divergence. slope_at_infinity is
/// lim_{t->inf} f(t)/t, the weight of p's mass where q = 0: +inf for KL's
/// f(t) = t log t, ½ for total variation's f(t) = |t - 1| / 2.
struct convex_function {
  std::function<double(double)> f;
  double slope_at_infinity = std::numeric_limits<double>::infinity();
};

/// D_f(p‖q) = Σ q_i f(p_i / q_i), with the conventions 0 f(0/0) = 0 and
/// q_i = 0 < p_i contributing p_i * slope_at_infinity. f(1) must be 0 (within
/// 1e-12), and f must return finite values on [0, inf): a NaN or infinite f(t)
/// throws InvalidArgument naming t. The base option does not apply.
double f_divergence(dspan p, dspan q, const convex_function& f,
                    const discrete_options& opt = {});
double f_divergence(fspan p, fspan q, const convex_function& f,
                    const discrete_options& opt = {});
std::vector<double> f_divergence(dmatrix p, dmatrix q, const convex_function& f,
                                 const discrete_options& opt = {});
std::vector<double> f_divergence(fmatrix p, fmatrix q, const convex_function& f,
                                 const discrete_options& opt = {});

// ---------------------------------------------------------------------------
// Measures by name: for the command line, the Python module and scripts.

enum class measure {
  kl,
  reverse_kl,
  generalized_kl,
  entropy,
  cross_entropy,
  jeffreys,
  js_divergence,
  js_distance,
  renyi,
  hellinger,
  bhattacharyya_coefficient,
  bhattacharyya_distance,
  total_variation,
  chi2_pearson,
  chi2_neyman,
};

/// Every measure, in the order above.
std::span<const measure> all_measures();
/// The measure's name as in the C++ API ("kl", "reverse_kl", ...).
std::string_view name(measure m);
/// The measure called `name`, if there is one.
std::optional<measure> measure_from_name(std::string_view name);
/// Whether the result is a logarithm and so carries the unit of the base.
bool has_unit(measure m);
/// Whether q is used (entropy needs only p).
bool uses_q(measure m);

/// The parameters some measures take.
struct measure_params {
  double alpha = 0.5;  ///< renyi's order
  js_weights weights{};
};

/// The measure `m` for one pair (reverse_kl is KL(q‖p); entropy ignores q).
double evaluate(measure m, dspan p, dspan q, const discrete_options& opt = {},
                const measure_params& params = {});
double evaluate(measure m, fspan p, fspan q, const discrete_options& opt = {},
                const measure_params& params = {});
/// The measure `m` for each row pair.
std::vector<double> evaluate(measure m, dmatrix p, dmatrix q,
                             const discrete_options& opt = {},
                             const measure_params& params = {});
std::vector<double> evaluate(measure m, fmatrix p, fmatrix q,
                             const discrete_options& opt = {},
                             const measure_params& params = {});

// ---------------------------------------------------------------------------
// Every measure at once, with the diagnostics a person needs to read them.

/// Where the supports of p and q differ (after normalisation and smoothing).
struct support_diagnostics {
  double p_mass_where_q_zero =
      0.0;  ///< Σ p_i over q_i = 0: KL(p‖q) = inf if > 0
  std::size_t bins_where_q_zero = 0;  ///< how many i have p_i > 0 = q_i
  double q_mass_where_p_zero =
      0.0;  ///< Σ q_i over p_i = 0: KL(q‖p) = inf if > 0
  std::size_t bins_where_p_zero = 0;  ///< how many i have q_i > 0 = p_i
};

struct discrete_summary {
  std::size_t size = 0;  ///< entries per vector
  discrete_options options{};
  double p_total = 0.0;  ///< Σ p as given, before normalisation
  double q_total = 0.0;  ///< Σ q as given
  support_diagnostics support{};
  double kl = 0.0;          ///< KL(p‖q)
  double reverse_kl = 0.0;  ///< KL(q‖p)
  double jeffreys = 0.0;
  double js_divergence = 0.0;  ///< equal weights
  double js_distance = 0.0;
  double cross_entropy = 0.0;          ///< H(p, q)
  double reverse_cross_entropy = 0.0;  ///< H(q, p)
  double entropy_p = 0.0;
  double entropy_q = 0.0;
  double renyi_half = 0.0;  ///< D_½(p‖q) = -2 log BC
  double renyi_2 = 0.0;     ///< D_2(p‖q) = log(1 + chi2_pearson)
  double renyi_inf = 0.0;   ///< D_inf(p‖q) = log max p_i/q_i
  double hellinger = 0.0;
  double bhattacharyya_coefficient = 0.0;
  double bhattacharyya_distance = 0.0;
  double total_variation = 0.0;
  double chi2_pearson = 0.0;
  double chi2_neyman = 0.0;
};

/// Every measure for the pair (p, q), in the unit of opt.base, with the sums
/// and support diagnostics. Throws as the single measures do.
discrete_summary summarize(dspan p, dspan q, const discrete_options& opt = {});

}  // namespace kldiv
