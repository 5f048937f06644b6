#include "fit_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "input.hpp"
#include "kldiv/error.hpp"
#include "kldiv/fit.hpp"
#include "kldiv/io.hpp"
#include "kldiv/report.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  Fits candidate families to one column of data by maximum likelihood and
  ranks them by KL(empirical || model), with each model's parameters,
  log-likelihood, AIC and BIC. Whole-number data are fitted by the discrete
  families (uniform, binomial, Poisson, geometric, negative binomial) and
  ranked by the exact KL over the observed values; other data by the
  continuous ones (normal, lognormal, exponential, gamma, Weibull, beta) and
  ranked by one of two estimates (--kl):

  knn        -H - mean log f(x), H the Kozachenko-Leonenko entropy of the
             data (the same for every model, so this is also the
             log-likelihood ranking); may be negative, and far off when
             values repeat (rounded data).
  histogram  sum_b p_b log(p_b / P_b) on bins fitted on the data (--bins),
             p_b the data's proportion and P_b the model's mass in bin b:
             the KL between the binned data and the binned model, >= 0.
  auto       histogram when a value repeats in the data, knn otherwise.

  A family whose support does not hold the data, or whose fit does not
  exist, is listed with the reason.

  DATA is CSV/TSV/whitespace text, NPY or JSON; --column picks the column
  (by name or 0-based index) when there are several. With --counts COLUMN,
  DATA is a table of values (--column) and their frequencies.

BINS (--bins, for the histogram estimate)
  auto, fd, scott, sturges, doane, rice, sqrt   NumPy's rules (default auto)
  N              N equal-width bins over the data's range
  quantiles[:N]  N bins of equal data mass (10 by default)
  e0,e1,...      these edges (data outside them fall in two outer bins)

  Rounded data (at least 3 distinct values, all on a grid of step g): the
  bins of a rule or a count are aligned with the grid, their width made a
  whole number of steps (at least one) with edges at the midpoints between
  grid points (NumPy's rules can give bins narrower than the grid for
  large data, many of them empty, which inflates every KL); quantile edges
  move to the nearest midpoints that keep each bin's data. The ranking line
  says so. Edges given as e0,e1,... are used as they are; --no-align keeps
  a rule's own bins.
)";

constexpr const char* kFooter = R"(
EXAMPLES
  kldiv fit waiting_times.csv
  kldiv fit --column fives_or_sixes --counts observed examples/weldon_dice.csv
  kldiv fit --families poisson,negative_binomial --json counts.csv
  kldiv fit --column sepal_length --kl histogram --bins fd iris.csv

EXIT STATUS
  0 on success; 2 for bad input; 1 for an internal error.)";

data_kind kind_named(const std::string& s) {
  if (s == "auto") return data_kind::automatic;
  if (s == "discrete") return data_kind::discrete;
  if (s == "continuous") return data_kind::continuous;
  throw InvalidArgument("--kind '" + s +
                        "': choose auto, discrete or continuous");
}

continuous_kl_method kl_named(const std::string& s) {
  if (s == "auto") return continuous_kl_method::automatic;
  if (s == "knn") return continuous_kl_method::knn;
  if (s == "histogram") return continuous_kl_method::histogram;
  throw InvalidArgument("--kl '" + s + "': choose auto, knn or histogram");
}

std::vector<double> column_of(const io::table& t, const std::string& key,
                              const char* what) {
  if (key.empty()) {
    if (t.cols != 1) {
      throw InvalidArgument(t.source + " has " + std::to_string(t.cols) +
                            " columns: choose the " + what + " with --column");
    }
    return t.column(0);
  }
  return t.column(t.column_index(key));
}

std::string parameters_text(const fitted_model& m) {
  std::string s;
  for (const auto& p : m.parameters) {
    s += (s.empty() ? "" : ", ") + p.name + " = " + readable(p.value);
  }
  return s;
}

}  // namespace

CLI::App* add_fit_command(CLI::App& app, fit_args& a) {
  auto* sub = app.add_subcommand(
      "fit",
      "Which model describes the data best: families fitted by maximum "
      "likelihood, ranked by KL");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("DATA", a.data, "The data (one column, or --column)")
      ->required();
  sub->add_option("--column,-c", a.column,
                  "The column of values, by name or 0-based index");
  sub->add_option("--counts", a.counts,
                  "A column of frequencies: DATA is a table of values");
  sub->add_option("--families,-f", a.families,
                  "Families to fit, comma-separated (default: all that "
                  "apply)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--kind", a.kind, "auto, discrete or continuous");
  sub->add_option("--binomial-n", a.binomial_n,
                  "The binomial's number of trials (default: the largest "
                  "value)");
  sub->add_option("--kl", a.kl,
                  "The continuous KL estimate: auto (histogram when values "
                  "repeat, else knn), knn or histogram");
  sub->add_option("--bins", a.bins,
                  "Histogram bins: a rule, a count, quantiles[:N] or edges");
  sub->add_flag("--no-align", a.no_align,
                "Keep the bins of a rule as they are on rounded data (no "
                "alignment with the data's grid)");
  sub->add_option("--base,-b", a.base,
                  "Logarithm base of the KLs: e (nats), 2 (bits), 10 or any "
                  "number > 1");
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  sub->add_option("--report", a.report,
                  "Also write an HTML report (one self-contained file: the "
                  "data with every fitted model drawn, the ranking, "
                  "explained) to this file");
  return sub;
}

std::string run_fit(const fit_args& a) {
  const log_base base = parse_base(a.base);
  fit_options o;
  o.kind = kind_named(a.kind);
  o.binomial_n = a.binomial_n;
  o.continuous_kl = kl_named(a.kl);
  o.bins = parse_bins(a.bins);
  o.align_to_grid = !a.no_align;
  for (const auto& f : a.families)
    o.families.push_back(fit_family_from_name(f));
  const auto t = io::read_table(a.data);
  const auto values = column_of(t, a.column, "column of values");
  const std::vector<double> counts = a.counts.empty()
                                         ? std::vector<double>{}
                                         : t.column(t.column_index(a.counts));
  const fit_result r =
      a.counts.empty() ? fit(values, o) : fit_counts(values, counts, o);
  if (!a.report.empty()) {
    report_options ro;
    ro.data_name = display_name(a.data, "") +
                   (a.column.empty() ? "" : ", column " + a.column);
    write_file(a.report, fit_report_html(r, values, counts, ro), "--report");
  }
  const double unit = base.ln();
  if (a.json) {
    nlohmann::json j;
    j["data"] = a.data;
    j["n"] = r.n;
    j["discrete"] = r.discrete;
    j["unit"] = base.unit();
    j["kl_estimator"] = r.kl_estimator;
    j["kl_edges"] = nlohmann::json::array();
    for (const double e : r.kl_edges) j["kl_edges"].push_back(json_number(e));
    j["entropy"] = json_number(r.entropy / unit);
    j["warnings"] = r.warnings;
    for (const auto& m : r.models) {
      nlohmann::json e{{"family", m.name}, {"fitted", m.fitted}};
      if (!m.fitted) {
        e["reason"] = m.reason;
      } else {
        nlohmann::json p;
        for (const auto& q : m.parameters) p[q.name] = json_number(q.value);
        e["parameters"] = p;
        e["k"] = m.k;
        e["log_likelihood"] = json_number(m.log_likelihood);
        e["aic"] = json_number(m.aic);
        e["bic"] = json_number(m.bic);
        e["kl"] = json_number(m.kl / unit);
        e["kl_method"] = m.kl_method;
      }
      j["models"].push_back(e);
    }
    return j.dump(2) + "\n";
  }
  std::string out = fmt::format(
      "data: {} (n = {}, {})\nranked by KL(empirical || model): {}\nunit: {} "
      "(log-likelihood, AIC and BIC in nats)\n\n",
      a.data, r.n, r.discrete ? "discrete" : "continuous", r.kl_estimator,
      base.unit());
  out += fmt::format("{:<5} {:<18} {:>11} {:>13} {:>12} {:>12}  {}\n", "rank",
                     "family", "KL", "log-lik", "AIC", "BIC", "parameters");
  int rank = 0;
  std::string not_fitted;
  for (const auto& m : r.models) {
    if (!m.fitted) {
      not_fitted += "  " + m.name + ": " + m.reason + "\n";
      continue;
    }
    out +=
        fmt::format("{:<5} {:<18} {:>11} {:>13} {:>12} {:>12}  {}\n", ++rank,
                    m.name, readable(m.kl / unit), readable(m.log_likelihood),
                    readable(m.aic), readable(m.bic), parameters_text(m));
  }
  if (!not_fitted.empty()) out += "\nnot fitted:\n" + not_fitted;
  for (const auto& w : r.warnings) out += "warning: " + w + "\n";
  if (!a.report.empty()) out += "\nreport: " + a.report + "\n";
  return out;
}

}  // namespace kldiv::cli
