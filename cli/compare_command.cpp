#include "compare_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "input.hpp"
#include "kldiv/compare.hpp"
#include "kldiv/dataset.hpp"
#include "kldiv/error.hpp"
#include "kldiv/report.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  Compares a reference data set with a current one, column by column: are
  they different, by how much, where does the difference come from, and is
  it significant? Every column the two tables share (or those chosen) is
  compared on shared bins (numeric columns: bins fitted on the reference by
  --bins, with outer bins for current values outside the reference range)
  or shared categories (the reference's, plus an unseen bucket):

    JS    the Jensen-Shannon divergence in bits, 0 (same) to 1 (disjoint),
          with a permutation p-value and a bootstrap interval (seeded)
    KL    KL(current || reference) and KL(reference || current), nats
    also  Hellinger, total variation, PSI; numeric columns: the 1-D KL
          estimate, Wasserstein-1, Kolmogorov-Smirnov, Welch's t and the
          z-test for means; categorical columns: chi-square

  and given a verdict: drift when JS >= --js-drift bits and its permutation
  p-value < --alpha; possible drift when p < --alpha and JS >= --js-possible,
  or JS >= --js-drift without significance; otherwise no drift. Columns are
  listed worst first. Missing values (empty, NA, N/A, NaN, nan, null, NULL,
  None) are counted and reported.

  Files are CSV/TSV/whitespace text with a header line (or NPY for numeric
  columns). A column is numeric when every value present is a number;
  --numeric and --categorical override that.
)";

constexpr const char* kFooter = R"(
EXAMPLES
  kldiv compare reference.csv current.csv
  kldiv compare --columns age,income --bins quantiles:20 ref.csv cur.csv
  kldiv compare --categorical zip --seed 7 --json ref.csv cur.csv
  kldiv compare --report drift.html reference.csv current.csv

EXIT STATUS
  0 on success (whatever the verdicts); 2 for bad input; 1 for an internal
  error.)";

const char* kind_name(column_kind k) {
  return k == column_kind::numeric ? "numeric" : "categorical";
}

// The columns of a file, only those chosen (in the order chosen).
std::vector<data_column> load(const std::string& path, const compare_args& a) {
  column_types t;
  t.numeric = a.numeric;
  t.categorical = a.categorical;
  auto cols = read_columns(path, t);
  if (a.columns.empty()) return cols;
  std::vector<data_column> out;
  for (const auto& name : a.columns) {
    const auto it = std::find_if(cols.begin(), cols.end(),
                                 [&](const auto& c) { return c.name == name; });
    if (it == cols.end()) {
      std::string list;
      for (const auto& c : cols) list += (list.empty() ? "" : ", ") + c.name;
      throw InvalidArgument(path + ": no column '" + name +
                            "'; the columns are " + list);
    }
    out.push_back(*it);
  }
  return out;
}

const test_result* find_test(const column_comparison& c,
                             const std::string& name) {
  for (const auto& t : c.tests) {
    if (t.name == name) return &t.result;
  }
  return nullptr;
}

std::string p_text(const test_result* t) {
  return t ? readable(t->p_value) : std::string("-");
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, compare_args& a) {
  auto* sub = app.add_subcommand(
      "compare",
      "Are two data sets different, where, and how sure: every shared "
      "column compared, with tests and a verdict");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("REFERENCE", a.reference, "The reference data")->required();
  sub->add_option("CURRENT", a.current, "The current data")->required();
  sub->add_option("--columns,-c", a.columns, "Columns to compare")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--numeric", a.numeric, "Columns to treat as numeric")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--categorical", a.categorical,
                  "Columns to treat as categorical")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--bins", a.bins,
                  "Bins of numeric columns, fitted on the reference: auto, "
                  "fd, scott, sturges, doane, rice, sqrt, N, quantiles[:N] "
                  "or edges");
  sub->add_option("--smoothing", a.smoothing,
                  "Pseudo-count added to every bin for the KLs and PSI");
  sub->add_option("--permutations", a.permutations,
                  "Permutations for the JS p-value (1000)");
  sub->add_option("--bootstrap", a.bootstrap,
                  "Resamples for the JS interval (200)");
  sub->add_option("--confidence", a.confidence, "Interval level (0.95)");
  sub->add_option("--seed", a.seed, "Seed of the permutations and resamples");
  sub->add_option("--alpha", a.alpha, "Significance level (0.01)");
  sub->add_option("--js-possible", a.js_possible,
                  "JS (bits) for possible drift (0.01)");
  sub->add_option("--js-drift", a.js_drift, "JS (bits) for drift (0.05)");
  sub->add_option("--threads", a.threads,
                  "Threads (results do not depend on it)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  sub->add_option("--report", a.report,
                  "Also write an HTML report (one self-contained file: "
                  "charts, tests, verdicts, explained) to this file");
  return sub;
}

std::string run_compare(const compare_args& a) {
  compare_options o;
  o.bins = parse_bins(a.bins);
  o.smoothing = a.smoothing;
  o.permutations = a.permutations;
  o.bootstrap = a.bootstrap;
  o.confidence = a.confidence;
  o.seed = a.seed;
  o.threads = a.threads;
  o.thresholds.alpha = a.alpha;
  o.thresholds.js_possible = a.js_possible;
  o.thresholds.js_drift = a.js_drift;
  const auto ref = load(a.reference, a);
  const auto cur = load(a.current, a);
  comparison r;
  try {
    r = compare(ref, cur, o);
  } catch (const InvalidArgument& e) {
    // The library says "reference" and "current": name the files too.
    throw InvalidArgument(std::string(e.what()) + " (reference: " +
                          a.reference + ", current: " + a.current + ")");
  }
  if (!a.report.empty()) {
    report_options ro;
    ro.reference_name = display_name(a.reference, a.current);
    ro.current_name = display_name(a.current, a.reference);
    write_file(a.report, compare_report_html(r, ro), "--report");
  }
  if (a.json) {
    nlohmann::json j;
    j["reference"] = a.reference;
    j["current"] = a.current;
    j["thresholds"] = {{"alpha", a.alpha},
                       {"js_possible_bits", a.js_possible},
                       {"js_drift_bits", a.js_drift}};
    for (const auto& c : r.columns) {
      nlohmann::json e{
          {"column", c.name},
          {"kind", kind_name(c.kind)},
          {"n_reference", c.n_reference},
          {"n_current", c.n_current},
          {"missing_reference", c.missing_reference},
          {"missing_current", c.missing_current},
          {"js_bits", json_number(c.js_bits)},
          {"kl_current_reference", json_number(c.kl_current_reference)},
          {"kl_reference_current", json_number(c.kl_reference_current)},
          {"hellinger", json_number(c.hellinger)},
          {"total_variation", json_number(c.total_variation)},
          {"psi", json_number(c.psi)},
          {"verdict", c.verdict},
          {"reason", c.reason},
          {"warnings", c.warnings},
          {"bins", c.bins},
          {"reference_counts", c.reference_counts},
          {"current_counts", c.current_counts}};
      if (c.js_ci_low) {
        e["js_ci_bits"] = {json_number(*c.js_ci_low),
                           json_number(*c.js_ci_high)};
      }
      if (!c.edges.empty()) {
        nlohmann::json edges;
        for (const double v : c.edges) edges.push_back(json_number(v));
        e["edges"] = edges;
      }
      nlohmann::json terms;
      for (const double v : c.kl_terms) terms.push_back(json_number(v));
      e["kl_terms"] = terms;
      if (c.kl_1d) e["kl_1d"] = json_number(*c.kl_1d);
      if (c.wasserstein) e["wasserstein"] = json_number(*c.wasserstein);
      for (const auto& t : c.tests) {
        nlohmann::json tj{{"statistic", json_number(t.result.statistic)},
                          {"p_value", json_number(t.result.p_value)},
                          {"method", t.result.method}};
        if (t.result.df) tj["df"] = json_number(*t.result.df);
        e["tests"][t.name] = tj;
      }
      j["columns"].push_back(e);
    }
    return j.dump(2) + "\n";
  }
  std::size_t drift = 0, possible = 0;
  for (const auto& c : r.columns) {
    drift += c.verdict == "drift";
    possible += c.verdict == "possible drift";
  }
  std::string out = fmt::format(
      "reference: {}\ncurrent:   {}\ncolumns compared: {} (drift: {}, "
      "possible drift: {}, no drift: {})\n\n",
      a.reference, a.current, r.columns.size(), drift, possible,
      r.columns.size() - drift - possible);
  std::size_t wide = 6;
  for (const auto& c : r.columns) wide = std::max(wide, c.name.size());
  out += fmt::format(
      "{:<{}}  {:<11}  {:>13}  {:>9}  {:>10}  {:>10}  {:>9}  {:>9}  {:>9}  "
      "{}\n",
      "column", wide, "kind", "n ref/cur", "JS bits", "KL cur|ref",
      "KL ref|cur", "perm p", "test p", "missing", "verdict");
  for (const auto& c : r.columns) {
    const test_result* main =
        find_test(c, c.kind == column_kind::numeric ? "Kolmogorov-Smirnov"
                                                    : "chi-square");
    out += fmt::format(
        "{:<{}}  {:<11}  {:>13}  {:>9}  {:>10}  {:>10}  {:>9}  {:>9}  {:>9}  "
        "{}\n",
        c.name, wide, kind_name(c.kind),
        fmt::format("{}/{}", c.n_reference, c.n_current), readable(c.js_bits),
        readable(c.kl_current_reference), readable(c.kl_reference_current),
        p_text(find_test(c, "JS permutation")), p_text(main),
        fmt::format("{}/{}", c.missing_reference, c.missing_current),
        c.verdict);
  }
  out += "\n";
  for (const auto& c : r.columns) {
    out += fmt::format("{}: {}\n", c.name, c.reason);
    for (const auto& w : c.warnings) out += "  warning: " + w + "\n";
  }
  out += fmt::format(
      "\nJS: Jensen-Shannon divergence in bits (0 same, 1 disjoint); perm "
      "p: its permutation p-value ({} permutations); test p: "
      "Kolmogorov-Smirnov (numeric) or chi-square (categorical); KL in "
      "nats; --json gives every measure, test and bin.\n",
      a.permutations);
  if (!a.report.empty()) out += "\nreport: " + a.report + "\n";
  return out;
}

}  // namespace kldiv::cli
