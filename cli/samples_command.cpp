#include "samples_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
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
  KL(P || Q) estimated from a sample X of P and a sample Y of Q (rows are
  points, columns coordinates; the samples may differ in size): the
  k-nearest-neighbour estimator of Wang, Kulkarni & Verdu (2009), one
  estimate per k, raw (it may be negative; never clipped), with the sizes,
  the dimension, how many points were tied (zero neighbour distances) and
  how, warnings when the sample is small for its dimension, and with
  --bootstrap B a seeded percentile confidence interval.

  Files are CSV/TSV/whitespace text (a header line names the columns), NPY
  or JSON; --columns picks and orders columns by name or 0-based index, the
  same in both files.
)";

constexpr const char* kFooter = R"(
TIES (zero distances between identical points)
  distinct  use the k-th neighbour at a distance > 0 (default)
  exclude   leave the tied points out of the average
  jitter    add seeded noise of 1e-10 standard deviations first
  error     stop, stating how many points are tied

EXAMPLES
  kldiv samples x.csv y.csv
  kldiv samples -k 1 -k 5 --bootstrap 200 --seed 7 x.npy y.npy
  kldiv samples --columns height,weight --json people_a.csv people_b.csv

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

}  // namespace

CLI::App* add_samples_command(CLI::App& app, samples_args& a) {
  auto* sub = app.add_subcommand(
      "samples",
      "KL estimated from two samples of points (k-NN), with ties "
      "handled and a confidence interval");
  sub->description(sub->get_description() + "\n" + kDescription);
  sub->footer(kFooter);
  sub->add_option("X", a.x, "Sample of P (rows are points)")->required();
  sub->add_option("Y", a.y, "Sample of Q")->required();
  sub->add_option("--estimator,-e", a.estimator, "knn (more to come)");
  sub->add_option("-k", a.k, "Neighbour order; repeat for several")
      ->check(CLI::PositiveNumber);
  sub->add_option("--ties", a.ties, "distinct, exclude, jitter or error");
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
      ->delimiter(',');
  sub->add_option("--base,-b", a.base,
                  "Logarithm base: e (nats), 2 (bits), 10 or any number > 1");
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  return sub;
}

std::string run_samples(const samples_args& a) {
  if (a.estimator != "knn") {
    throw InvalidArgument("--estimator '" + a.estimator +
                          "': only knn is available so far");
  }
  const log_base base = parse_base(a.base);
  const auto tx = io::read_table(a.x), ty = io::read_table(a.y);
  std::size_t dx = 0, dy = 0;
  const auto x = pick(tx, a.columns, dx), y = pick(ty, a.columns, dy);
  knn_options o;
  o.k = a.k;
  o.ties = tie_named(a.ties);
  o.seed = a.seed;
  o.threads = a.threads;
  o.bootstrap = a.bootstrap;
  o.confidence = a.confidence;
  const auto results =
      kl_knn(matrix_view<double>::dense(x.data(), tx.rows, dx),
             matrix_view<double>::dense(y.data(), ty.rows, dy), o);
  const double unit = base.ln();
  if (a.json) {
    nlohmann::json j;
    j["x"] = a.x;
    j["y"] = a.y;
    j["estimator"] = "knn";
    j["unit"] = base.unit();
    for (const auto& r : results) {
      nlohmann::json e{{"k", r.k},
                       {"value", json_number(r.value / unit)},
                       {"n", r.n},
                       {"m", r.m},
                       {"d", r.d},
                       {"ties", r.ties},
                       {"tie_handling", r.tie_handling},
                       {"warnings", r.warnings}};
      if (r.ci_low) {
        e["ci"] = {json_number(*r.ci_low / unit),
                   json_number(*r.ci_high / unit)};
        e["confidence"] = a.confidence;
        e["bootstrap"] = a.bootstrap;
      }
      j["estimates"].push_back(e);
    }
    return j.dump(2) + "\n";
  }
  const auto& first = results.front();
  std::string out = fmt::format(
      "X: {} (n = {})\nY: {} (m = {})\ndimension: {}\nestimator: k-nearest "
      "neighbours (Wang, Kulkarni & Verdu 2009)\nunit: {}\n\n",
      a.x, first.n, a.y, first.m, first.d, base.unit());
  for (const auto& r : results) {
    std::string line =
        fmt::format("KL(P||Q)  k = {:<3} {}", r.k, readable(r.value / unit));
    if (r.ci_low) {
      line += fmt::format("  {:.0f}% CI [{}, {}] ({} bootstrap resamples)",
                          100 * a.confidence, readable(*r.ci_low / unit),
                          readable(*r.ci_high / unit), a.bootstrap);
    }
    out += line + "\n";
  }
  out += fmt::format("\nties: {} of {} points ({})\n", first.ties, first.n,
                     first.tie_handling);
  for (const auto& w : first.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace kldiv::cli
