#include "samples_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "input.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "kldiv/io.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  Estimates from samples (rows are points, columns coordinates; the samples
  may differ in size), each raw (it may be negative; never clipped), with
  the sizes, how many points were tied (zero distances) and how, warnings
  when a sample is small, and with --bootstrap B a seeded percentile
  confidence interval. --estimator chooses:

  knn          KL(P || Q) from X ~ P and Y ~ Q by k-nearest neighbours (Wang,
               Kulkarni & Verdu 2009), any dimension, one estimate per -k
  1d           KL(P || Q) for one column by the empirical CDFs (Perez-Cruz
               2008)
  histogram    KL(P || Q) between histograms on bins fitted on Y (the
               reference; --bins), with outer bins for X outside Y's range;
               prints every bin's share of KL
  categorical  KL(P || Q) between the category frequencies of one text
               column, categories of X that Y lacks in an "unseen" bucket
  entropy      the differential entropy of X (Kozachenko-Leonenko), X only
  mi           the mutual information I(A; B) of paired columns (Kraskov,
               Stogbauer & Grassberger; --variant 1 or 2): one file with
               --x-columns and --y-columns, or two files of paired rows

  Files are CSV/TSV/whitespace text (a header line names the columns), NPY
  or JSON; --columns picks and orders columns by name or 0-based index, the
  same in both files. Categorical files are text with a header line.
)";

constexpr const char* kFooter = R"(
TIES (zero distances between identical points; knn, entropy, 1d, mi)
  distinct  use the k-th neighbour at a distance > 0 (default)
  exclude   leave the tied points out of the average
  jitter    add seeded noise of 1e-10 standard deviations first
  error     stop, stating how many points are tied

BINS (histogram; fitted on Y)
  auto, fd, scott, sturges, doane, rice, sqrt   NumPy's rules
  N              N equal-width bins over Y's range
  quantiles[:N]  N bins of equal Y mass (10 by default)
  E0,E1,...      explicit edges, strictly increasing

EXAMPLES
  kldiv samples x.csv y.csv
  kldiv samples -k 1 -k 5 --bootstrap 200 --seed 7 x.npy y.npy
  kldiv samples --columns height,weight --json people_a.csv people_b.csv
  kldiv samples -e histogram --bins quantiles:20 --smoothing 0.5 cur.csv ref.csv
  kldiv samples -e categorical --columns colour cur.csv ref.csv
  kldiv samples -e entropy -k 3 x.csv
  kldiv samples -e mi --x-columns a --y-columns b,c data.csv

EXIT STATUS
  0 on success; 2 for bad input (files, dimensions, ties under --ties
  error); 1 for an internal error.)";

tie_policy tie_named(const std::string& s) {
  if (s == "distinct") return tie_policy::distinct;
  if (s == "exclude") return tie_policy::exclude;
  if (s == "jitter") return tie_policy::jitter;
  if (s == "error") return tie_policy::error;
  throw InvalidArgument("--ties '" + s +
                        "': choose distinct, exclude, jitter or error");
}

// The chosen columns of a table, row-major.
std::vector<double> pick(const io::table& t,
                         const std::vector<std::string>& columns,
                         std::size_t& cols) {
  if (columns.empty()) {
    cols = t.cols;
    return t.values;
  }
  std::vector<std::size_t> idx;
  for (const auto& c : columns) idx.push_back(t.column_index(c));
  cols = idx.size();
  std::vector<double> out;
  out.reserve(t.rows * cols);
  for (std::size_t r = 0; r < t.rows; ++r) {
    for (const auto c : idx) out.push_back(t.at(r, c));
  }
  return out;
}

// A sample with its shape.
struct sample {
  std::vector<double> values;
  std::size_t rows = 0, cols = 0;
  matrix_view<double> view() const {
    return matrix_view<double>::dense(values.data(), rows, cols);
  }
};

sample read_sample(const std::string& path,
                   const std::vector<std::string>& columns) {
  const auto t = io::read_table(path);
  sample s;
  s.values = pick(t, columns, s.cols);
  s.rows = t.rows;
  return s;
}

// One column of a file, for the 1-D and histogram estimators.
std::vector<double> read_column(const std::string& path,
                                const std::vector<std::string>& columns,
                                const std::string& estimator) {
  const sample s = read_sample(path, columns);
  if (s.cols != 1) {
    throw InvalidArgument(
        path + ": the " + estimator + " estimator takes one column, but " +
        std::to_string(s.cols) + " are chosen; pick one with --columns");
  }
  return s.values;
}

// One text column of a file, for the categorical estimator.
std::vector<std::string> read_labels(const std::string& path,
                                     const std::vector<std::string>& columns) {
  const auto t = io::read_text_table(path);
  if (columns.size() > 1 || (columns.empty() && t.cols != 1)) {
    throw InvalidArgument(
        path + ": the categorical estimator takes one column, but " +
        std::to_string(columns.empty() ? t.cols : columns.size()) +
        " are chosen; pick one with --columns");
  }
  const std::size_t c = columns.empty() ? 0 : t.column_index(columns[0]);
  std::vector<std::string> out;
  out.reserve(t.rows);
  for (std::size_t r = 0; r < t.rows; ++r) {
    if (t.at(r, c).empty()) {
      throw InvalidArgument(path + ": line " + std::to_string(t.lines[r]) +
                            ", column '" + t.names[c] +
                            "': empty field (a missing value)");
    }
    out.push_back(t.at(r, c));
  }
  return out;
}

nlohmann::json interval_json(const std::optional<double>& lo,
                             const std::optional<double>& hi, double unit,
                             const samples_args& a, nlohmann::json& e) {
  if (lo) {
    e["ci"] = {json_number(*lo / unit), json_number(*hi / unit)};
    e["confidence"] = a.confidence;
    e["bootstrap"] = a.bootstrap;
  }
  return e;
}

std::string interval_text(const std::optional<double>& lo,
                          const std::optional<double>& hi, double unit,
                          const samples_args& a) {
  if (!lo) return "";
  return fmt::format("  {:.0f}% CI [{}, {}] ({} bootstrap resamples)",
                     100 * a.confidence, readable(*lo / unit),
                     readable(*hi / unit), a.bootstrap);
}

// The estimator's name and what it estimates, for the report.
struct labels {
  const char* quantity;  // KL(P||Q), H(P), I(A;B)
  const char* method;
};

labels labels_of(const std::string& e) {
  if (e == "entropy") {
    return {"H(P)", "k-nearest neighbours (Kozachenko & Leonenko 1987)"};
  }
  if (e == "mi") {
    return {"I(A;B)",
            "k-nearest neighbours, max-norm (Kraskov, Stogbauer & "
            "Grassberger 2004)"};
  }
  if (e == "1d") return {"KL(P||Q)", "empirical CDFs (Perez-Cruz 2008)"};
  return {"KL(P||Q)", "k-nearest neighbours (Wang, Kulkarni & Verdu 2009)"};
}

// The report of sample_estimates (knn, entropy, 1d, mi).
std::string report(const samples_args& a, const std::string& estimator,
                   const std::vector<sample_estimate>& results,
                   const log_base& base, const std::string& sources) {
  const double unit = base.ln();
  if (a.json) {
    nlohmann::json j;
    j["x"] = a.x;
    if (!a.y.empty()) j["y"] = a.y;
    j["estimator"] = estimator;
    if (estimator == "mi") j["variant"] = a.variant;
    j["unit"] = base.unit();
    for (const auto& r : results) {
      nlohmann::json e{{"value", json_number(r.value / unit)},
                       {"n", r.n},
                       {"m", r.m},
                       {"d", r.d},
                       {"ties", r.ties},
                       {"tie_handling", r.tie_handling},
                       {"warnings", r.warnings}};
      if (r.k > 0) e["k"] = r.k;
      interval_json(r.ci_low, r.ci_high, unit, a, e);
      j["estimates"].push_back(e);
    }
    return j.dump(2) + "\n";
  }
  const labels l = labels_of(estimator);
  const auto& first = results.front();
  std::string out = sources + fmt::format("estimator: {}\nunit: {}\n\n",
                                          l.method, base.unit());
  for (const auto& r : results) {
    const std::string k =
        r.k > 0 ? fmt::format("k = {:<3} ", r.k) : std::string();
    out += fmt::format("{}  {}{}", l.quantity, k, readable(r.value / unit)) +
           interval_text(r.ci_low, r.ci_high, unit, a) + "\n";
  }
  out += fmt::format("\nties: {} of {} {} ({})\n", first.ties, first.n,
                     estimator == "mi" ? "rows" : "points", first.tie_handling);
  for (const auto& w : first.warnings) out += "warning: " + w + "\n";
  return out;
}

// The report of a binned estimate (histogram or categorical): the value and
// one row per bin with the counts, probabilities and the bin's term.
template <class Estimate>
std::string binned_report(const samples_args& a, const std::string& estimator,
                          const std::string& description, const Estimate& r,
                          const std::vector<std::string>& bin_names,
                          const log_base& base, nlohmann::json extra) {
  const double unit = base.ln();
  if (a.json) {
    nlohmann::json j = std::move(extra);
    j["x"] = a.x;
    j["y"] = a.y;
    j["estimator"] = estimator;
    j["unit"] = base.unit();
    j["value"] = json_number(r.value / unit);
    j["n"] = r.n;
    j["m"] = r.m;
    j["smoothing"] = r.smoothing;
    interval_json(r.ci_low, r.ci_high, unit, a, j);
    j["bins"] = bin_names;
    j["x_counts"] = r.x_counts;
    j["y_counts"] = r.y_counts;
    nlohmann::json p, q, t;
    for (std::size_t i = 0; i < r.p.size(); ++i) {
      p.push_back(json_number(r.p[i]));
      q.push_back(json_number(r.q[i]));
      t.push_back(json_number(r.terms[i] / unit));
    }
    j["p"] = p;
    j["q"] = q;
    j["terms"] = t;
    j["warnings"] = r.warnings;
    return j.dump(2) + "\n";
  }
  std::string out = fmt::format(
      "X: {} (n = {})\nY: {} (m = {}, the reference)\nestimator: {}\nunit: "
      "{}\n\nKL(P||Q)  {}{}\n\n",
      a.x, r.n, a.y, r.m, description, base.unit(), readable(r.value / unit),
      interval_text(r.ci_low, r.ci_high, unit, a));
  std::size_t wide = 3;
  for (const auto& b : bin_names) wide = std::max(wide, b.size());
  out += fmt::format("{:<{}}  {:>8}  {:>8}  {:>10}  {:>10}  {:>11}\n", "bin",
                     wide, "X count", "Y count", "p", "q", "p log(p/q)");
  for (std::size_t i = 0; i < r.p.size(); ++i) {
    if (r.x_counts[i] == 0 && r.y_counts[i] == 0 && r.smoothing == 0.0) {
      continue;  // an empty outer bin
    }
    out += fmt::format("{:<{}}  {:>8}  {:>8}  {:>10}  {:>10}  {:>11}\n",
                       bin_names[i], wide, r.x_counts[i], r.y_counts[i],
                       readable(r.p[i]), readable(r.q[i]),
                       readable(r.terms[i] / unit));
  }
  if (r.smoothing > 0.0) {
    out += fmt::format("\nsmoothing: {} added to every bin\n",
                       readable(r.smoothing));
  }
  for (const auto& w : r.warnings) out += "warning: " + w + "\n";
  return out;
}

std::vector<std::string> bin_names_of(const std::vector<double>& e) {
  std::vector<std::string> names{"< " + readable(e.front())};
  for (std::size_t i = 1; i < e.size(); ++i) {
    names.push_back("[" + readable(e[i - 1]) + ", " + readable(e[i]) +
                    (i + 1 == e.size() ? "]" : ")"));
  }
  names.push_back("> " + readable(e.back()));
  return names;
}

void need_y(const samples_args& a, const std::string& e) {
  if (a.y.empty()) {
    throw InvalidArgument("the " + e + " estimator needs two samples: X and Y");
  }
}

}  // namespace

CLI::App* add_samples_command(CLI::App& app, samples_args& a) {
  auto* sub = app.add_subcommand(
      "samples",
      "KL, entropy and mutual information estimated from samples (k-NN, "
      "1-D, histogram, categorical), with ties handled and a confidence "
      "interval");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("X", a.x, "Sample of P (rows are points)")->required();
  sub->add_option("Y", a.y, "Sample of Q (not for entropy)");
  sub->add_option("--estimator,-e", a.estimator,
                  "knn, 1d, histogram, categorical, entropy or mi");
  sub->add_option("-k", a.k, "Neighbour order; repeat for several (1; mi: 3)")
      ->check(CLI::PositiveNumber)
      ->allow_extra_args(false);
  sub->add_option("--ties", a.ties, "distinct, exclude, jitter or error");
  sub->add_option("--bins", a.bins,
                  "histogram bins: a rule, a count, quantiles[:N] or edges");
  sub->add_option("--smoothing", a.smoothing,
                  "histogram/categorical: pseudo-count added to every bin");
  sub->add_option("--variant", a.variant, "mi: KSG estimator 1 or 2");
  sub->add_option("--x-columns", a.x_columns, "mi: the columns of A")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--y-columns", a.y_columns, "mi: the columns of B")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--bootstrap", a.bootstrap,
                  "Bootstrap resamples for a confidence interval");
  sub->add_option("--confidence", a.confidence, "Interval level (0.95)");
  sub->add_option("--seed", a.seed, "Seed of the jitter and the bootstrap");
  sub->add_option("--threads", a.threads,
                  "Threads for the neighbour searches (results do not "
                  "depend on it)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--columns,-c", a.columns,
                  "Columns to use, by name or 0-based index")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--base,-b", a.base,
                  "Logarithm base: e (nats), 2 (bits), 10 or any number > 1");
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  return sub;
}

std::string run_samples(const samples_args& a) {
  const std::string& e = a.estimator;
  const log_base base = parse_base(a.base);
  const auto k = a.k.empty() ? std::vector<int>{e == "mi" ? 3 : 1} : a.k;
  if (e == "knn" || e == "entropy") {
    knn_options o;
    o.k = k;
    o.ties = tie_named(a.ties);
    o.seed = a.seed;
    o.threads = a.threads;
    o.bootstrap = a.bootstrap;
    o.confidence = a.confidence;
    const sample x = read_sample(a.x, a.columns);
    if (e == "entropy") {
      if (!a.y.empty()) {
        throw InvalidArgument(
            "the entropy estimator takes one sample (X), but Y was given");
      }
      return report(
          a, e, entropy_knn(x.view(), o), base,
          fmt::format("X: {} (n = {})\ndimension: {}\n", a.x, x.rows, x.cols));
    }
    need_y(a, e);
    const sample y = read_sample(a.y, a.columns);
    return report(a, e, kl_knn(x.view(), y.view(), o), base,
                  fmt::format("X: {} (n = {})\nY: {} (m = {})\ndimension: {}\n",
                              a.x, x.rows, a.y, y.rows, x.cols));
  }
  if (e == "1d") {
    need_y(a, e);
    kl_1d_options o;
    o.ties = tie_named(a.ties);
    o.seed = a.seed;
    o.bootstrap = a.bootstrap;
    o.confidence = a.confidence;
    const auto x = read_column(a.x, a.columns, e);
    const auto y = read_column(a.y, a.columns, e);
    return report(a, e, {kl_1d(x, y, o)}, base,
                  fmt::format("X: {} (n = {})\nY: {} (m = {})\n", a.x, x.size(),
                              a.y, y.size()));
  }
  if (e == "histogram") {
    need_y(a, e);
    histogram_options o = parse_bins(a.bins);
    o.smoothing = a.smoothing;
    o.seed = a.seed;
    o.bootstrap = a.bootstrap;
    o.confidence = a.confidence;
    const auto x = read_column(a.x, a.columns, e);
    const auto y = read_column(a.y, a.columns, e);
    const auto r = kl_histogram(x, y, o);
    nlohmann::json extra;
    extra["rule"] = r.rule;
    nlohmann::json edges;
    for (const double v : r.edges) edges.push_back(json_number(v));
    extra["edges"] = edges;
    return binned_report(a, e, "histogram (bins: " + r.rule + ", fitted on Y)",
                         r, bin_names_of(r.edges), base, std::move(extra));
  }
  if (e == "categorical") {
    need_y(a, e);
    categorical_options o;
    o.smoothing = a.smoothing;
    o.seed = a.seed;
    o.bootstrap = a.bootstrap;
    o.confidence = a.confidence;
    const auto x = read_labels(a.x, a.columns);
    const auto y = read_labels(a.y, a.columns);
    const auto r = kl_categorical(x, y, o);
    auto names = r.categories;
    names.push_back("(unseen)");
    nlohmann::json extra;
    extra["unseen"] = r.unseen;
    return binned_report(a, e, "categorical (the categories of Y)", r, names,
                         base, std::move(extra));
  }
  if (e == "mi") {
    ksg_options o;
    o.k = k;
    o.variant = a.variant;
    o.ties = tie_named(a.ties);
    o.seed = a.seed;
    o.threads = a.threads;
    o.bootstrap = a.bootstrap;
    o.confidence = a.confidence;
    sample x, y;
    std::string sources;
    if (a.y.empty()) {
      if (a.x_columns.empty() || a.y_columns.empty()) {
        throw InvalidArgument(
            "the mi estimator on one file needs --x-columns and --y-columns "
            "(the two variables), or give two files of paired rows");
      }
      x = read_sample(a.x, a.x_columns);
      y = read_sample(a.x, a.y_columns);
      sources =
          fmt::format("data: {} (N = {})\nA: {}\nB: {}\n", a.x, x.rows,
                      fmt::join(a.x_columns, ","), fmt::join(a.y_columns, ","));
    } else {
      x = read_sample(a.x, a.columns);
      y = read_sample(a.y, a.columns);
      sources = fmt::format(
          "A: {} (dimension {})\nB: {} (dimension {})\nrows: "
          "{}\n",
          a.x, x.cols, a.y, y.cols, x.rows);
    }
    return report(a, e, mutual_information_ksg(x.view(), y.view(), o), base,
                  sources);
  }
  throw InvalidArgument("--estimator '" + e +
                        "': choose knn, 1d, histogram, categorical, entropy "
                        "or mi");
}

}  // namespace kldiv::cli
