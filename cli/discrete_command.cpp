#include "discrete_command.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <vector>

#include "input.hpp"
#include "kldiv/discrete.hpp"
#include "kldiv/error.hpp"
#include "output.hpp"

namespace kldiv::cli {
namespace {

constexpr const char* kDescription = R"(
DESCRIPTION
  Compares two discrete distributions P and Q (probability vectors, histograms
  or count tables over the same bins) and prints every divergence between them:
  KL in both directions, Jeffreys, Jensen-Shannon, cross-entropy and entropy,
  Renyi, Hellinger, Bhattacharyya, total variation and chi-squared, with their
  unit and the diagnostics that explain them (the mass of P where Q is 0, which
  makes KL(P||Q) infinite).

  P and Q are each a file (CSV, TSV or whitespace-separated text, NumPy .npy of
  float32 or float64, a JSON array), '-' for standard input, or an inline list
  such as 0.1,0.4,0.5. By default the inputs must be probabilities (>= 0,
  summing to 1 within the tolerance); --normalize takes them as weights and
  --counts as counts, each divided by its total. Nothing is smoothed unless
  --smooth asks for it: a zero in Q under a positive P gives KL = inf.
)";

constexpr const char* kFooter = R"(
OUTPUT
  Without --measure: a table of every measure, in the unit of --base (nats for
  e, bits for 2, hartleys for 10), followed by the support diagnostics. With
  --measure NAME: only that number, in full precision, for scripts. With
  --json: one JSON object; non-finite values are written as the strings
  "inf", "-inf" and "nan" (JSON has no literal for them).

MEASURES (names for --measure, as in the C++ API)
  kl, reverse_kl, generalized_kl, entropy, cross_entropy, jeffreys,
  js_divergence, js_distance, renyi (with --alpha), hellinger,
  bhattacharyya_coefficient, bhattacharyya_distance, total_variation,
  chi2_pearson, chi2_neyman

EXAMPLES
  kldiv discrete 0.1,0.4,0.5 0.8,0.15,0.05
  kldiv discrete --base 2 --measure kl p.csv q.csv
  kldiv discrete --counts --smooth alpha=0.5 observed.csv expected.csv
  kldiv discrete --rows --measure js_distance batch_p.npy batch_q.npy
  kldiv discrete --counts --p-column english --q-column french letters.csv letters.csv
  cat p.txt | kldiv discrete - q.txt --json

EXIT STATUS
  0 on success; 2 for bad input (a missing file, an unparsable number, a
  negative value, lengths that differ, an unknown option), with one line on
  standard error and nothing on standard output; 1 for an internal error.)";

double parse_number(const std::string& text, const std::string& what) {
  double v = 0.0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc{} || res.ptr != text.data() + text.size()) {
    throw InvalidArgument(what + ": '" + text + "' is not a number");
  }
  return v;
}

smoothing parse_smoothing(const std::string& s) {
  const auto eq = s.find('=');
  const std::string key = s.substr(0, eq);
  if (eq == std::string::npos || (key != "alpha" && key != "lambda")) {
    throw InvalidArgument("--smooth '" + s +
                          "': expected alpha=A (additive, on counts) or "
                          "lambda=L (mix with the uniform distribution)");
  }
  const double v = parse_number(s.substr(eq + 1), "--smooth " + key);
  return key == "alpha" ? smoothing::additive(v) : smoothing::uniform_mix(v);
}

js_weights parse_js_weights(const std::string& s) {
  const auto comma = s.find(',');
  if (comma == std::string::npos) {
    throw InvalidArgument("--js-weights '" + s + "': expected PI1,PI2");
  }
  return {parse_number(s.substr(0, comma), "--js-weights"),
          parse_number(s.substr(comma + 1), "--js-weights")};
}

discrete_options options_from(const discrete_args& a) {
  discrete_options opt;
  opt.base = parse_base(a.base);
  if (a.normalize) opt.kind = input_kind::weights;
  if (a.counts) opt.kind = input_kind::counts;
  if (a.smooth) opt.smooth = parse_smoothing(*a.smooth);
  opt.tolerance = a.tolerance;
  opt.threads = a.threads;
  return opt;
}

// The unit of measure m's result: the base's, its square root for
// js_distance, "none" for the measures that are not logarithms.
std::string unit_of(measure m, const log_base& base) {
  if (m == measure::js_distance) return "sqrt(" + base.unit() + ")";
  return has_unit(m) ? base.unit() : "none";
}

// One line of the summary table.
struct line {
  std::string name;
  double value;
  bool has_unit;
  std::string meaning;
};

std::vector<line> summary_lines(const discrete_summary& s) {
  const double log2_in_unit = std::numbers::ln2 / s.options.base.ln();
  return {
      {"kl", s.kl, true, "KL(P||Q)"},
      {"reverse_kl", s.reverse_kl, true, "KL(Q||P)"},
      {"jeffreys", s.jeffreys, true, "KL(P||Q) + KL(Q||P)"},
      {"js_divergence", s.js_divergence, true,
       "Jensen-Shannon divergence, 0 to " + readable(log2_in_unit)},
      {"js_distance", s.js_distance, false, "sqrt(JS divergence), a metric"},
      {"cross_entropy", s.cross_entropy, true, "H(P, Q) = H(P) + KL(P||Q)"},
      {"reverse_cross_entropy", s.reverse_cross_entropy, true, "H(Q, P)"},
      {"entropy", s.entropy_p, true, "H(P)"},
      {"entropy_q", s.entropy_q, true, "H(Q)"},
      {"renyi alpha=0.5", s.renyi_half, true, "Renyi divergence of order 1/2"},
      {"renyi alpha=2", s.renyi_2, true, "Renyi divergence of order 2"},
      {"renyi alpha=inf", s.renyi_inf, true, "log max P/Q"},
      {"hellinger", s.hellinger, false, "Hellinger distance, 0 to 1"},
      {"bhattacharyya_coefficient", s.bhattacharyya_coefficient, false,
       "sum sqrt(P Q), 1 when equal"},
      {"bhattacharyya_distance", s.bhattacharyya_distance, true,
       "-log of the coefficient"},
      {"total_variation", s.total_variation, false, "1/2 sum |P - Q|, 0 to 1"},
      {"chi2_pearson", s.chi2_pearson, false, "sum (P - Q)^2 / Q"},
      {"chi2_neyman", s.chi2_neyman, false, "sum (P - Q)^2 / P"},
  };
}

std::string support_text(const discrete_summary& s) {
  std::string out;
  const auto& d = s.support;
  if (d.bins_where_q_zero == 0) {
    out += "  every entry with P > 0 has Q > 0: KL(P||Q) is finite\n";
  } else {
    out += fmt::format(
        "  P has mass {} on {} entr{} where Q = 0: KL(P||Q) = inf (smooth Q, "
        "or use js_divergence, which stays finite)\n",
        readable(d.p_mass_where_q_zero), d.bins_where_q_zero,
        d.bins_where_q_zero == 1 ? "y" : "ies");
  }
  if (d.bins_where_p_zero == 0) {
    out += "  every entry with Q > 0 has P > 0: KL(Q||P) is finite\n";
  } else {
    out += fmt::format(
        "  Q has mass {} on {} entr{} where P = 0: KL(Q||P) = inf\n",
        readable(d.q_mass_where_p_zero), d.bins_where_p_zero,
        d.bins_where_p_zero == 1 ? "y" : "ies");
  }
  return out;
}

std::string input_line(const char* what, const std::string& source,
                       std::size_t n, double total, input_kind kind) {
  return fmt::format("{}: {} ({} entries, {}, total {})\n", what, source, n,
                     to_string(kind), exact(total));
}

std::string summary_table(const discrete_summary& s, const std::string& p_src,
                          const std::string& q_src) {
  const std::string unit = s.options.base.unit();
  std::string out = input_line("P", p_src, s.size, s.p_total, s.options.kind);
  out += input_line("Q", q_src, s.size, s.q_total, s.options.kind);
  out += fmt::format("unit: {} (log base {}); smoothing: {}\n\n", unit,
                     s.options.base.is_natural()
                         ? std::string("e")
                         : readable(s.options.base.value()),
                     s.options.smooth.describe());
  const auto lines = summary_lines(s);
  out += fmt::format("{:<26}  {:>12}  {:<10}  {}\n", "measure", "value", "unit",
                     "meaning");
  for (const auto& l : lines) {
    const std::string u = l.has_unit                ? unit
                          : l.name == "js_distance" ? "sqrt(" + unit + ")"
                                                    : "-";
    out += fmt::format("{:<26}  {:>12}  {:<10}  {}\n", l.name,
                       readable(l.value), u, l.meaning);
  }
  out += "\nsupport\n" + support_text(s);
  return out;
}

nlohmann::json summary_json(const discrete_summary& s, const std::string& p_src,
                            const std::string& q_src) {
  nlohmann::json j;
  j["p"] = {{"source", p_src}, {"size", s.size}, {"total", s.p_total}};
  j["q"] = {{"source", q_src}, {"size", s.size}, {"total", s.q_total}};
  j["kind"] = to_string(s.options.kind);
  j["base"] = s.options.base.value();
  j["unit"] = s.options.base.unit();
  j["smoothing"] = s.options.smooth.describe();
  nlohmann::json m = nlohmann::json::object();
  for (const auto& l : summary_lines(s)) m[l.name] = json_number(l.value);
  j["measures"] = m;
  j["support"] = {
      {"p_mass_where_q_zero", s.support.p_mass_where_q_zero},
      {"entries_where_q_zero", s.support.bins_where_q_zero},
      {"q_mass_where_p_zero", s.support.q_mass_where_p_zero},
      {"entries_where_p_zero", s.support.bins_where_p_zero},
  };
  return j;
}

// A table's rows as a matrix view; a single row (or an inline list, which is
// one distribution) is repeated `rows` times.
dmatrix as_matrix(const io::table& t, std::size_t rows) {
  if (t.source == "<inline>") {
    return dmatrix::repeat(std::span<const double>(t.values), rows);
  }
  if (t.rows == 1 && rows > 1) {
    return dmatrix::repeat(std::span<const double>(t.values), rows);
  }
  return dmatrix::dense(t.values.data(), t.rows, t.cols);
}

std::string run_rows(const discrete_args& a, const discrete_options& opt,
                     const measure_params& params) {
  if (a.column || a.p_column || a.q_column) {
    throw InvalidArgument(
        "--rows takes every column of each row: it cannot be combined with "
        "--column, --p-column or --q-column");
  }
  const io::table tp = load_input(a.p);
  const io::table tq = a.q.empty() ? tp : load_input(a.q);
  const auto rows_of = [](const io::table& t) {
    return t.source == "<inline>" ? std::size_t{1} : t.rows;
  };
  const std::size_t rows = std::max(rows_of(tp), rows_of(tq));
  const dmatrix p = as_matrix(tp, rows), q = as_matrix(tq, rows);
  const std::string unit = opt.base.unit();
  std::vector<measure> shown;
  if (a.measure) {
    shown.push_back(*measure_from_name(*a.measure));
  } else {
    shown = {measure::kl, measure::reverse_kl, measure::js_divergence,
             measure::hellinger, measure::total_variation};
  }
  std::vector<std::vector<double>> columns;
  for (measure m : shown) columns.push_back(evaluate(m, p, q, opt, params));

  if (a.json) {
    nlohmann::json j;
    j["unit"] = unit;
    j["rows"] = nlohmann::json::array();
    for (std::size_t r = 0; r < rows; ++r) {
      nlohmann::json row;
      for (std::size_t k = 0; k < shown.size(); ++k) {
        row[std::string(name(shown[k]))] = json_number(columns[k][r]);
      }
      j["rows"].push_back(row);
    }
    return j.dump(2) + "\n";
  }
  std::string out;
  if (a.measure) {
    for (double v : columns[0]) out += exact(v) + "\n";
    return out;
  }
  out += fmt::format(
      "{} rows; unit: {} (hellinger and total_variation have "
      "none)\n\n{:>6}",
      rows, unit, "row");
  for (measure m : shown) out += fmt::format("  {:>15}", name(m));
  out += "\n";
  for (std::size_t r = 0; r < rows; ++r) {
    out += fmt::format("{:>6}", r);
    for (const auto& c : columns)
      out += fmt::format("  {:>15}", readable(c[r]));
    out += "\n";
  }
  return out;
}

}  // namespace

CLI::App* add_discrete_command(CLI::App& app, discrete_args& a) {
  CLI::App* sub = app.add_subcommand(
      "discrete", "Divergences between two discrete distributions P and Q");
  sub->footer(std::string(kDescription) + kFooter);
  sub->add_option("P", a.p, "The first distribution: file, '-' or list")
      ->required();
  sub->add_option("Q", a.q,
                  "The second distribution (not needed for --measure "
                  "entropy)");
  sub->add_option("--measure,-m", a.measure,
                  "Print only this measure (see MEASURES)");
  sub->add_option("--alpha", a.alpha,
                  "The order of --measure renyi (>= 0, or inf)")
      ->default_str("0.5");
  sub->add_option("--base,-b", a.base,
                  "Logarithm base: e (nats), 2 (bits), 10 (hartleys) or any "
                  "b > 1")
      ->default_str("e");
  auto* norm = sub->add_flag("--normalize,-n", a.normalize,
                             "The inputs are weights: divide each by its sum");
  sub->add_flag("--counts,-c", a.counts,
                "The inputs are counts: divide each by its total")
      ->excludes(norm);
  sub->add_option("--smooth", a.smooth,
                  "alpha=A: add A to every count (needs --counts); "
                  "lambda=L: mix each input with the uniform distribution");
  sub->add_option("--tolerance", a.tolerance,
                  "How far a probability vector's sum may be from 1 (default "
                  "1e-6)");
  sub->add_option("--js-weights", a.js_weights,
                  "Weights PI1,PI2 of the Jensen-Shannon mixture (default "
                  "0.5,0.5)");
  sub->add_flag("--rows,-r", a.rows,
                "Each row of P and Q is one distribution: one result per row "
                "(a single-row Q is compared with every row of P)");
  sub->add_option("--column", a.column,
                  "The column of P and Q to use, by name or 0-based index");
  sub->add_option("--p-column", a.p_column,
                  "The column of P (overrides --column)");
  sub->add_option("--q-column", a.q_column,
                  "The column of Q (overrides --column)");
  sub->add_flag("--json,-j", a.json, "Print one JSON object");
  sub->add_option("--threads,-t", a.threads,
                  "Threads for long inputs (default: OMP_NUM_THREADS, else "
                  "all cores); results do not depend on it")
      ->check(CLI::NonNegativeNumber);
  return sub;
}

std::string run_discrete(const discrete_args& a) {
  const discrete_options opt = options_from(a);
  measure_params params;
  params.alpha = a.alpha;
  if (a.js_weights) params.weights = parse_js_weights(*a.js_weights);
  std::optional<measure> m;
  if (a.measure) {
    m = measure_from_name(*a.measure);
    if (!m) {
      throw InvalidArgument("--measure '" + *a.measure +
                            "' is not a measure: see kldiv discrete --help "
                            "for the names");
    }
  }
  const bool q_needed = !m || uses_q(*m);
  if (q_needed && a.q.empty()) {
    throw InvalidArgument("Q is missing: kldiv discrete P Q");
  }
  if (a.p == "-" && a.q == "-") {
    throw InvalidArgument("P and Q cannot both be '-' (standard input)");
  }
  if (a.rows) return run_rows(a, opt, params);

  const auto p_col = a.p_column ? a.p_column : a.column;
  const auto q_col = a.q_column ? a.q_column : a.column;
  const io::table tp = load_input(a.p);
  const std::vector<double> p = pick_vector(tp, "P", p_col);
  // One measure: the number alone, or a small JSON object.
  const auto one_measure = [&](const std::vector<double>& q) {
    const double v = evaluate(*m, p, q, opt, params);
    if (!a.json) return exact(v) + "\n";
    return nlohmann::json{{"measure", name(*m)},
                          {"value", json_number(v)},
                          {"unit", unit_of(*m, opt.base)}}
               .dump(2) +
           "\n";
  };
  if (m && !uses_q(*m)) return one_measure(p);
  const io::table tq = load_input(a.q);
  const std::vector<double> q = pick_vector(tq, "Q", q_col);
  if (m) return one_measure(q);
  const discrete_summary s = summarize(p, q, opt);
  const std::string p_src = describe_source(tp, p_col);
  const std::string q_src = describe_source(tq, q_col);
  if (a.json) return summary_json(s, p_src, q_src).dump(2) + "\n";
  return summary_table(s, p_src, q_src);
}

}  // namespace kldiv::cli
