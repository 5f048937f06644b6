// kldiv compare's library part: a reference and a current column compared on
// shared bins (numeric: bin_edges fitted on the reference, counted with the
// two outer bins) or shared categories (the reference's, sorted, and an
// unseen bucket), with the divergences of discrete.hpp on the (smoothed)
// proportions, the tests of two_sample.hpp, and a seeded permutation test and
// bootstrap interval for JS.
//
// The permutation p-value is p = (1 + #{JS_perm >= JS_obs}) / (B + 1) over B
// permutations of the pooled values (the observed split counts as one of the
// B + 1 equally likely ones, so p is never 0: the smallest possible value is
// 1 / (B + 1)). Each permutation and each bootstrap resample draws all its
// random numbers from its own stream, random_stream(seed, tag + index), so
// the results are the same for any number of threads.
#include "kldiv/compare.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "binned.hpp"
#include "format_number.hpp"
#include "kldiv/discrete.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "kldiv/two_sample.hpp"
#include "sample_common.hpp"

namespace kldiv {
namespace {

// Stream tags: permutation i draws from random_stream(seed, kPermTag + i),
// bootstrap resample b from random_stream(seed, kBootTag + b).
constexpr std::uint64_t kPermTag = 0x7065726d00000000ull;  // "perm"
constexpr std::uint64_t kBootTag = 0x626f6f7400000000ull;  // "boot"

// A permutation's JS counts as ">= the observed" within this relative
// tolerance, so that splits whose JS equals the observed one mathematically
// but differs in the last bits are counted (as scipy.stats.permutation_test
// does).
constexpr double kTieTolerance = 1e-12;

const char* kind_name(column_kind k) {
  return k == column_kind::numeric ? "numeric" : "categorical";
}

// A number for a sentence: 3 significant digits.
std::string short_number(double x) {
  if (!std::isfinite(x)) return detail::format_number(x);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

void check_options(const compare_options& o) {
  if (!(o.smoothing >= 0.0 && std::isfinite(o.smoothing))) {
    throw InvalidArgument(
        "compare: smoothing = " + detail::format_number(o.smoothing) +
        ", but must be >= 0 and finite");
  }
  if (o.bootstrap > 0 && !(o.confidence > 0.0 && o.confidence < 1.0)) {
    throw InvalidArgument(
        "compare: confidence = " + detail::format_number(o.confidence) +
        ", but must be in (0, 1)");
  }
  if (o.threads < 0) {
    throw InvalidArgument("compare: threads = " + std::to_string(o.threads) +
                          ", but must be >= 0 (0: OpenMP's default)");
  }
  const drift_thresholds& t = o.thresholds;
  if (!(t.alpha > 0.0 && t.alpha <= 1.0)) {
    throw InvalidArgument(
        "compare: thresholds.alpha = " + detail::format_number(t.alpha) +
        ", but must be in (0, 1]");
  }
  if (!(t.js_possible >= 0.0 && t.js_possible <= t.js_drift &&
        t.js_drift <= 1.0)) {
    throw InvalidArgument(
        "compare: thresholds js_possible = " +
        detail::format_number(t.js_possible) +
        " and js_drift = " + detail::format_number(t.js_drift) +
        " bits, but must satisfy 0 <= js_possible <= js_drift <= 1");
  }
}

// The sizes of a column pair checked: kinds equal, values present in both.
void check_pair(const data_column& ref, const data_column& cur) {
  if (ref.kind != cur.kind) {
    const data_column& text = ref.kind == column_kind::categorical ? ref : cur;
    throw InvalidArgument("column " + quoted(ref.name) + " is " +
                          kind_name(ref.kind) + " in the reference but " +
                          kind_name(cur.kind) + " in the current data" +
                          (text.why_categorical.empty()
                               ? std::string()
                               : std::string(" (") +
                                     (&text == &ref ? "reference" : "current") +
                                     ": " + text.why_categorical + ")") +
                          "; name the column numeric or categorical to choose");
  }
  const auto none = [&](const data_column& c, const char* where) {
    if (c.size() > 0) return;
    throw InvalidArgument("column " + quoted(ref.name) +
                          " has no values in the " + where + " (" +
                          std::to_string(c.missing) + " missing)");
  };
  none(ref, "reference");
  none(cur, "current data");
}

void check_finite(const data_column& c, const char* where) {
  for (std::size_t i = 0; i < c.numbers.size(); ++i) {
    if (!std::isfinite(c.numbers[i])) {
      throw InvalidArgument("column " + quoted(c.name) + " in the " + where +
                            ": value [" + std::to_string(i) +
                            "] = " + detail::format_number(c.numbers[i]) +
                            ", but must be finite (leave missing values out "
                            "and count them in `missing`)");
    }
  }
}

const discrete_options& in_bits() {
  static const discrete_options o = discrete_options{}.in_base(2.0);
  return o;
}

// JS in bits between the proportions of two count vectors: the observed
// value and every permutation's and resample's go through this one function,
// so equal counts give bit-identical values.
double js_of_counts(std::span<const std::size_t> cur,
                    std::span<const std::size_t> ref, double s) {
  return js_divergence(detail::proportions(cur, s), detail::proportions(ref, s),
                       in_bits());
}

int thread_count(int wanted, std::size_t work) {
  const int t = wanted > 0 ? wanted : omp_get_max_threads();
  return work < 2 ? 1 : std::max(t, 1);
}

// The bins of each value: current values first (n_cur), then the
// reference's, each in 0 .. bins - 1.
struct pooled_bins {
  std::vector<std::uint32_t> bin;
  std::size_t n_cur = 0, n_ref = 0, bins = 0;
};

// The permutation p-value of JS. Each permutation moves a uniformly drawn
// subset of the smaller group's size to the front of the pooled bins (a
// partial Fisher-Yates shuffle), counts it, and undoes its swaps, so that
// every permutation starts from the same order and depends only on its own
// stream.
struct permutation_outcome {
  test_result result;
  double chance = 0.0;  ///< the mean JS over the permutations, bits
};

permutation_outcome permutation_test(const pooled_bins& pb, double js_obs,
                                     const compare_options& o) {
  const std::size_t perms = o.permutations;
  const std::size_t small = std::min(pb.n_cur, pb.n_ref);
  const bool small_is_cur = pb.n_cur <= pb.n_ref;
  std::vector<std::size_t> total(pb.bins);
  for (const auto b : pb.bin) ++total[b];
  std::vector<double> js(perms);
  struct scratch {
    std::vector<std::uint32_t> v;
    std::vector<std::size_t> swaps, a, rest;
  };
  detail::parallel_for_each(
      perms, thread_count(o.threads, perms), "compare: permutation test: ",
      [&] {
        return scratch{pb.bin, std::vector<std::size_t>(small),
                       std::vector<std::size_t>(pb.bins),
                       std::vector<std::size_t>(pb.bins)};
      },
      [&](std::size_t i, scratch& w) {
        auto& [v, swaps, a, rest] = w;
        random_stream rs(o.seed, kPermTag + i);
        for (std::size_t k = 0; k < small; ++k) {
          const std::size_t left = v.size() - k;
          const std::size_t j =
              k +
              std::min(left - 1, static_cast<std::size_t>(
                                     rs.uniform() * static_cast<double>(left)));
          swaps[k] = j;
          std::swap(v[k], v[j]);
        }
        std::fill(a.begin(), a.end(), 0);
        for (std::size_t k = 0; k < small; ++k) ++a[v[k]];
        for (std::size_t b = 0; b < pb.bins; ++b) rest[b] = total[b] - a[b];
        js[i] = small_is_cur ? js_of_counts(a, rest, o.smoothing)
                             : js_of_counts(rest, a, o.smoothing);
        for (std::size_t k = small; k-- > 0;) std::swap(v[k], v[swaps[k]]);
      });
  const double threshold = js_obs - kTieTolerance * js_obs;
  std::size_t as_large = 0;
  double sum = 0.0;
  for (const double x : js) {
    if (x >= threshold) ++as_large;
    sum += x;
  }
  permutation_outcome out;
  out.chance = sum / static_cast<double>(perms);
  test_result& r = out.result;
  r.statistic = js_obs;
  r.p_value =
      static_cast<double>(1 + as_large) / static_cast<double>(perms + 1);
  r.method = "permutation";
  return out;
}

// The bootstrap percentile interval of JS: each sample resampled with
// replacement (the bins fixed).
std::pair<double, double> bootstrap_interval(const pooled_bins& pb,
                                             const compare_options& o) {
  const std::size_t reps = o.bootstrap;
  std::vector<double> js(reps);
  const std::uint32_t* cur = pb.bin.data();
  const std::uint32_t* ref = pb.bin.data() + pb.n_cur;
  using counts = std::pair<std::vector<std::size_t>, std::vector<std::size_t>>;
  detail::parallel_for_each(
      reps, thread_count(o.threads, reps),
      "compare: bootstrap: ", [&] { return counts(pb.bins, pb.bins); },
      [&](std::size_t i, counts& c) {
        random_stream rs(o.seed, kBootTag + i);
        const auto draw = [&](const std::uint32_t* src, std::size_t n,
                              std::vector<std::size_t>& into) {
          std::fill(into.begin(), into.end(), 0);
          for (std::size_t k = 0; k < n; ++k) {
            const std::size_t j =
                std::min(n - 1, static_cast<std::size_t>(
                                    rs.uniform() * static_cast<double>(n)));
            ++into[src[j]];
          }
        };
        draw(cur, pb.n_cur, c.first);
        draw(ref, pb.n_ref, c.second);
        js[i] = js_of_counts(c.first, c.second, o.smoothing);
      });
  return detail::percentile_interval(std::move(js), o.confidence);
}

// The measures on the shared bins, the JS permutation test (appended to
// r.tests) and the bootstrap interval, from the counts already in r; returns
// the JS chance gives (the permutations' mean), if permutations were asked.
std::optional<double> measures(column_comparison& r, const pooled_bins& pb,
                               const compare_options& o) {
  const double s = o.smoothing;
  detail::binned_kl f =
      detail::kl_of_counts(r.current_counts, r.reference_counts, s);
  r.current_p = std::move(f.p);
  r.reference_p = std::move(f.q);
  r.kl_terms = std::move(f.terms);
  r.kl_current_reference = f.value;
  r.kl_reference_current = kl(r.reference_p, r.current_p);
  r.js_bits = js_of_counts(r.current_counts, r.reference_counts, s);
  r.hellinger = hellinger(r.current_p, r.reference_p);
  r.total_variation = total_variation(r.current_p, r.reference_p);
  r.psi = psi(r.current_p, r.reference_p);
  if (std::isinf(r.kl_current_reference)) {
    const std::size_t empty = detail::infinite_bins(r.current_p, r.reference_p);
    r.warnings.push_back(
        "KL(current || reference) and PSI are infinite: the current data has "
        "values in " +
        std::to_string(empty) + (empty == 1 ? " bin" : " bins") +
        " where the reference has none; set smoothing (a pseudo-count per "
        "bin, e.g. 0.5) for finite values, or read JS, which is bounded");
  } else if (std::isinf(r.kl_reference_current)) {
    r.warnings.push_back(
        "KL(reference || current) and PSI are infinite: the reference has "
        "values in bins where the current data has none; set smoothing for "
        "finite values, or read JS, which is bounded");
  }
  std::optional<double> chance;
  if (o.permutations > 0) {
    auto p = permutation_test(pb, r.js_bits, o);
    chance = p.chance;
    r.tests.push_back({"JS permutation", std::move(p.result)});
  }
  if (o.bootstrap > 0) {
    const auto [lo, hi] = bootstrap_interval(pb, o);
    r.js_ci_low = lo;
    r.js_ci_high = hi;
  }
  return chance;
}

// The test named `name` appended, or a warning saying why it was skipped.
template <class Fn>
void try_test(column_comparison& r, const std::string& name, Fn fn) {
  try {
    named_test t{name, fn()};
    for (const auto& w : t.result.warnings)
      r.warnings.push_back(name + ": " + w);
    r.tests.push_back(std::move(t));
  } catch (const InvalidArgument& e) {
    r.warnings.push_back(name + " test skipped: " + e.what());
  }
}

std::string interval_name(double lo, double hi, bool last) {
  return "[" + short_number(lo) + ", " + short_number(hi) + (last ? "]" : ")");
}

std::optional<double> compare_numeric(column_comparison& r,
                                      const data_column& ref,
                                      const data_column& cur,
                                      const compare_options& o) {
  check_finite(ref, "reference");
  check_finite(cur, "current data");
  histogram_options h = o.bins;
  h.smoothing = 0.0;
  h.bootstrap = 0;
  r.edges = bin_edges(ref.numbers, h);
  r.reference_counts = bin_counts(ref.numbers, r.edges);
  r.current_counts = bin_counts(cur.numbers, r.edges);
  const std::size_t inner = r.edges.size() - 1;
  r.bins.push_back("< " + short_number(r.edges.front()));
  for (std::size_t i = 0; i < inner; ++i) {
    r.bins.push_back(interval_name(r.edges[i], r.edges[i + 1], i + 1 == inner));
  }
  r.bins.push_back("> " + short_number(r.edges.back()));

  // Each value's bin, as bin_counts places it: below, the inner bin
  // [e_{i-1}, e_i) (the last one closed), above.
  pooled_bins pb;
  pb.n_cur = cur.numbers.size();
  pb.n_ref = ref.numbers.size();
  pb.bins = inner + 2;
  pb.bin.reserve(pb.n_cur + pb.n_ref);
  const auto place = [&](double v) -> std::uint32_t {
    if (v < r.edges.front()) return 0;
    if (v > r.edges.back()) return static_cast<std::uint32_t>(inner + 1);
    if (v == r.edges.back()) return static_cast<std::uint32_t>(inner);
    return static_cast<std::uint32_t>(
        std::upper_bound(r.edges.begin(), r.edges.end(), v) - r.edges.begin());
  };
  for (const double v : cur.numbers) pb.bin.push_back(place(v));
  for (const double v : ref.numbers) pb.bin.push_back(place(v));

  const std::size_t outside =
      r.current_counts.front() + r.current_counts.back();
  if (outside > 0) {
    r.warnings.push_back(std::to_string(outside) + " of " +
                         std::to_string(pb.n_cur) +
                         " current values lie outside the reference range [" +
                         short_number(r.edges.front()) + ", " +
                         short_number(r.edges.back()) + "] (the outer bins)");
  }

  if (pb.n_cur >= 2 && pb.n_ref >= 2) {
    try {
      const sample_estimate e = kl_1d(cur.numbers, ref.numbers);
      r.kl_1d = e.value;
      for (const auto& w : e.warnings) r.warnings.push_back("1-D KL: " + w);
    } catch (const InvalidArgument& e) {
      r.warnings.push_back(std::string("1-D KL estimate skipped: ") + e.what());
    }
  } else {
    r.warnings.push_back(
        "1-D KL estimate skipped: it needs at least 2 values in each table");
  }
  r.wasserstein = wasserstein_1(cur.numbers, ref.numbers);

  try_test(r, "Kolmogorov-Smirnov",
           [&] { return ks_2samp(cur.numbers, ref.numbers); });
  const auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(),
                       [&](double x) { return x == v.front(); });
  };
  if (pb.n_cur < 2 || pb.n_ref < 2) {
    r.warnings.push_back(
        "Welch t and z tests skipped: they need at least 2 values in each "
        "table");
  } else if (constant(cur.numbers) && constant(ref.numbers)) {
    r.warnings.push_back(
        "Welch t and z tests skipped: both tables are constant (no variance)");
  } else {
    try_test(r, "Welch t", [&] { return welch_t(cur.numbers, ref.numbers); });
    try_test(r, "z", [&] { return z_test_means(cur.numbers, ref.numbers); });
  }
  return measures(r, pb, o);
}

std::optional<double> compare_categorical(column_comparison& r,
                                          const data_column& ref,
                                          const data_column& cur,
                                          const compare_options& o) {
  // The categories (the reference's, sorted) and the counts with the unseen
  // bucket last, as kl_categorical forms them.
  const categorical_estimate c = kl_categorical(cur.labels, ref.labels);
  r.bins = c.categories;
  r.bins.push_back("(unseen)");
  r.current_counts = c.x_counts;
  r.reference_counts = c.y_counts;
  if (!c.unseen.empty()) {
    std::string list;
    for (std::size_t i = 0; i < c.unseen.size() && i < 5; ++i) {
      list += (i ? ", " : "") + quoted(c.unseen[i]);
    }
    if (c.unseen.size() > 5) list += ", ...";
    r.warnings.push_back(
        std::to_string(c.x_counts.back()) + " of " +
        std::to_string(cur.labels.size()) + " current values are in " +
        std::to_string(c.unseen.size()) +
        (c.unseen.size() == 1 ? " category" : " categories") +
        " the reference does not have (" + list + "): the unseen bucket");
  }

  pooled_bins pb;
  pb.n_cur = cur.labels.size();
  pb.n_ref = ref.labels.size();
  pb.bins = c.categories.size() + 1;
  std::map<std::string, std::uint32_t> index;
  for (std::size_t i = 0; i < c.categories.size(); ++i) {
    index.emplace(c.categories[i], static_cast<std::uint32_t>(i));
  }
  const auto unseen = static_cast<std::uint32_t>(c.categories.size());
  pb.bin.reserve(pb.n_cur + pb.n_ref);
  for (const auto* col : {&cur, &ref}) {
    for (const auto& l : col->labels) {
      const auto it = index.find(l);
      pb.bin.push_back(it == index.end() ? unseen : it->second);
    }
  }

  try_test(r, "chi-square", [&] {
    return chi2_categories(r.current_counts, r.reference_counts);
  });
  return measures(r, pb, o);
}

int severity(const std::string& verdict) {
  if (verdict == "drift") return 2;
  if (verdict == "possible drift") return 1;
  return 0;
}

// The verdict and its reason by the thresholds (see drift_thresholds),
// which apply to JS beyond chance: the observed JS minus the mean JS of the
// permutations, what two samples of these sizes from one distribution give
// on these bins. (Binned JS is biased upwards by sampling noise: for equal
// distributions about (B - 1) (1/n + 1/m) / (8 ln 2) bits over B occupied
// bins, so 100 values against 100 bins give about 0.18 bits from noise
// alone; the raw JS would call that drift.) Without a
// permutation test (permutations = 0) there is no chance level (0 is used)
// and nothing is significant.
void decide(column_comparison& r, const compare_options& o,
            std::optional<double> chance) {
  const drift_thresholds& t = o.thresholds;
  const double excess = r.js_bits - chance.value_or(0.0);
  std::string js_text = "JS = " + short_number(r.js_bits) + " bits";
  if (chance) {
    js_text += ", " + short_number(std::abs(excess)) +
               (excess < 0.0 ? " below" : " above") + " the " +
               short_number(*chance) + " of chance";
  }
  std::optional<double> p;
  for (const auto& nt : r.tests) {
    if (nt.name == "JS permutation") p = nt.result.p_value;
  }
  const bool significant = p && *p < t.alpha;
  const std::string p_text = p ? "permutation p = " + short_number(*p) +
                                     (significant ? " (< " : " (>= ") +
                                     short_number(t.alpha) + ")"
                               : "no permutation test (permutations = 0)";
  const std::string drift = short_number(t.js_drift);
  const std::string possible = short_number(t.js_possible);
  if (significant && excess >= t.js_drift) {
    r.verdict = "drift";
    r.reason = js_text + " (>= " + drift + ") and " + p_text;
  } else if (significant && excess >= t.js_possible) {
    r.verdict = "possible drift";
    r.reason =
        js_text + " (>= " + possible + ", < " + drift + ") and " + p_text;
  } else if (excess >= t.js_drift) {
    r.verdict = "possible drift";
    r.reason = js_text + " (>= " + drift + ") but " + p_text +
               ": large but not significant (too few values to be sure)";
  } else if (significant) {
    r.verdict = "no drift";
    r.reason = p_text + " but " + js_text + " (< " + possible +
               "): significant but too small to matter";
  } else {
    r.verdict = "no drift";
    r.reason = js_text + " (< " + drift + ") and " + p_text;
  }
  if (p && 1.0 / static_cast<double>(o.permutations + 1) >= t.alpha) {
    r.warnings.push_back(
        "with " + std::to_string(o.permutations) +
        " permutations the smallest possible p-value is " +
        short_number(1.0 / static_cast<double>(o.permutations + 1)) +
        ", not below alpha = " + short_number(t.alpha) +
        ": no column can be significant; use more permutations");
  }
}

}  // namespace

column_comparison compare_column(const data_column& reference,
                                 const data_column& current,
                                 const compare_options& options) {
  check_options(options);
  check_pair(reference, current);
  column_comparison r;
  r.name = reference.name;
  r.kind = reference.kind;
  r.n_reference = reference.size();
  r.n_current = current.size();
  r.missing_reference = reference.missing;
  r.missing_current = current.missing;
  const std::optional<double> chance =
      r.kind == column_kind::numeric
          ? compare_numeric(r, reference, current, options)
          : compare_categorical(r, reference, current, options);
  decide(r, options, chance);
  return r;
}

comparison compare(const std::vector<data_column>& reference,
                   const std::vector<data_column>& current,
                   const compare_options& options) {
  check_options(options);
  const auto by_name = [](const std::vector<data_column>& t,
                          const char* where) {
    std::map<std::string, const data_column*> m;
    for (const auto& c : t) {
      if (!m.emplace(c.name, &c).second) {
        throw InvalidArgument("column " + quoted(c.name) +
                              " appears more than once in the " + where);
      }
    }
    return m;
  };
  by_name(reference, "reference");
  const auto cur = by_name(current, "current data");
  comparison out;
  out.options = options;
  for (const auto& ref : reference) {
    const auto it = cur.find(ref.name);
    if (it == cur.end()) continue;
    out.columns.push_back(compare_column(ref, *it->second, options));
  }
  if (out.columns.empty()) {
    const auto names = [](const std::vector<data_column>& t) {
      std::string s;
      for (const auto& c : t) s += (s.empty() ? "" : ", ") + quoted(c.name);
      return s.empty() ? std::string("none") : s;
    };
    throw InvalidArgument(
        "no column is shared by the reference (columns: " + names(reference) +
        ") and the current data (columns: " + names(current) + ")");
  }
  std::stable_sort(out.columns.begin(), out.columns.end(),
                   [](const column_comparison& a, const column_comparison& b) {
                     const int sa = severity(a.verdict),
                               sb = severity(b.verdict);
                     if (sa != sb) return sa > sb;
                     return a.js_bits > b.js_bits;
                   });
  return out;
}

}  // namespace kldiv
