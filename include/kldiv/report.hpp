// Reports a person can read: one self-contained HTML page (inline SVG charts
// and CSS; no scripts, no fonts or images fetched) for a comparison of two
// data sets or for the models fitted to one. The page explains itself to
// someone who has never heard of KL: what each chart shows, what each
// number means and how large is large.
//
// Every chart is an <svg class="chart" data-chart="KIND" role="img"
// aria-label="..."> with its width and height set: KIND is "distribution"
// (the two data sets overlaid, per column), "kl-terms" (each bin's part of
// KL, per column), "fit" (the data and every fitted model) or "fit-model"
// (the data and one model). Colours: reference #2b6cb0, current #dd6b20,
// KL parts #c53030 (more common now) and #2f855a (less common now), data
// bars of a fit #a0aec0.
#pragma once

#include <span>
#include <string>

#include "kldiv/compare.hpp"
#include "kldiv/fit.hpp"

namespace kldiv {

struct report_options {
  /// The page's title (empty: "Comparison of REFERENCE and CURRENT" or
  /// "Models fitted to DATA").
  std::string title;
  /// How the page names the data sets (file names, say).
  std::string reference_name = "reference";
  std::string current_name = "current";
  std::string data_name = "data";
};

/// The comparison as an HTML page: a summary table (one row per column,
/// worst first, with the verdicts), then per column the two distributions
/// overlaid on the shared bins or categories, each bin's contribution to
/// KL(current || reference), the measures and tests with a reading of each,
/// the verdict and its reason, the warnings; last, what the numbers mean.
std::string compare_report_html(const comparison& result,
                                const report_options& options = {});

/// The fit as an HTML page: the data (a histogram, or bars at each value for
/// discrete data) with every fitted model drawn over it, one small chart per
/// model, the ranking table (parameters, KL, log-likelihood, AIC, BIC), the
/// families not fitted and why, and how KL was estimated. `values` and
/// `counts` are the data given to fit (counts empty) or fit_counts.
/// InvalidArgument when they are not the data of `result` (another number
/// of observations) or have sizes that differ.
std::string fit_report_html(const fit_result& result,
                            std::span<const double> values,
                            std::span<const double> counts = {},
                            const report_options& options = {});

}  // namespace kldiv
