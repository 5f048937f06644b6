// Histogram and categorical KL on shared bins: edges from a named rule
// fitted on the reference sample (NumPy's histogram_bin_edges rules, the same
// arithmetic), two outer bins for data outside the reference range, explicit
// smoothing only, and bootstrap intervals with the bins held fixed.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "format_number.hpp"
#include "kldiv/discrete.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "sample_common.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

constexpr std::size_t kMaxBins = 1'000'000;

const char* rule_name(bin_rule r) {
  switch (r) {
    case bin_rule::automatic:
      return "auto";
    case bin_rule::freedman_diaconis:
      return "fd";
    case bin_rule::scott:
      return "scott";
    case bin_rule::sturges:
      return "sturges";
    case bin_rule::doane:
      return "doane";
    case bin_rule::rice:
      return "rice";
    case bin_rule::sqrt:
      return "sqrt";
    case bin_rule::count:
      return "count";
    case bin_rule::quantiles:
      return "quantiles";
    case bin_rule::edges:
      return "edges";
  }
  return "";
}

std::vector<double> checked_sorted(std::span<const double> v,
                                   const char* what) {
  const detail::points p = detail::copy_points(v, what);
  std::vector<double> s = p.v;
  std::sort(s.begin(), s.end());
  return s;
}

double mean_of(const std::vector<double>& v) {
  detail::compensated_sum s;
  for (const double x : v) s.add(x);
  return s.value() / static_cast<double>(v.size());
}

// NumPy's np.std (ddof 0).
double std_of(const std::vector<double>& v) {
  const double mu = mean_of(v);
  detail::compensated_sum s;
  for (const double x : v) s.add((x - mu) * (x - mu));
  return std::sqrt(s.value() / static_cast<double>(v.size()));
}

// NumPy's linear quantile (method 7) of sorted values, with its
// interpolation: a + (b - a) t, or b - (b - a)(1 - t) for t >= 0.5.
double quantile_sorted(const std::vector<double>& s, double q) {
  const double vi = static_cast<double>(s.size() - 1) * q;
  if (vi >= static_cast<double>(s.size() - 1)) return s.back();
  if (vi < 0.0) return s.front();
  const double lo = std::floor(vi);
  const auto i = static_cast<std::size_t>(lo);
  const double t = vi - lo;
  const double a = s[i], b = s[i + 1], diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// The bin width of a NumPy rule (0: one bin).
double rule_width(bin_rule r, const std::vector<double>& s) {
  const double n = static_cast<double>(s.size());
  const double ptp = s.back() - s.front();
  const auto sturges = [&] { return ptp / (std::log2(n) + 1.0); };
  const auto fd = [&] {
    const double iqr = quantile_sorted(s, 0.75) - quantile_sorted(s, 0.25);
    return 2.0 * iqr * std::pow(n, -1.0 / 3.0);
  };
  switch (r) {
    case bin_rule::automatic: {
      const double f = fd();
      return f != 0.0 ? std::min(f, sturges()) : sturges();
    }
    case bin_rule::freedman_diaconis:
      return fd();
    case bin_rule::scott:
      return std::pow(24.0 * std::pow(std::numbers::pi, 0.5) / n, 1.0 / 3.0) *
             std_of(s);
    case bin_rule::sturges:
      return sturges();
    case bin_rule::doane: {
      if (s.size() <= 2) return 0.0;
      const double sg1 = std::sqrt(6.0 * (n - 2.0) / ((n + 1.0) * (n + 3.0)));
      const double sigma = std_of(s);
      if (!(sigma > 0.0)) return 0.0;
      const double mu = mean_of(s);
      detail::compensated_sum g;
      for (const double x : s) {
        const double z = (x - mu) / sigma;
        g.add(z * z * z);
      }
      const double g1 = g.value() / n;
      return ptp / (1.0 + std::log2(n) + std::log2(1.0 + std::abs(g1) / sg1));
    }
    case bin_rule::rice:
      return ptp / (2.0 * std::pow(n, 1.0 / 3.0));
    case bin_rule::sqrt:
      return ptp / std::sqrt(n);
    default:
      return 0.0;
  }
}

// NumPy's linspace(first, last, bins + 1).
std::vector<double> equal_width(double first, double last, std::size_t bins) {
  std::vector<double> e(bins + 1);
  const double step = (last - first) / static_cast<double>(bins);
  for (std::size_t i = 0; i <= bins; ++i) {
    e[i] = static_cast<double>(i) * step + first;
  }
  e[bins] = last;
  return e;
}

void check_edges(std::span<const double> edges, const std::string& what) {
  if (edges.size() < 2) {
    throw InvalidArgument(what + " has " + std::to_string(edges.size()) +
                          " edges, but needs at least 2 (one bin)");
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i])) {
      throw InvalidArgument(what + "[" + std::to_string(i) +
                            "] = " + detail::format_number(edges[i]) +
                            ", but must be finite");
    }
    if (i > 0 && !(edges[i] > edges[i - 1])) {
      throw InvalidArgument(what + " must be strictly increasing, but [" +
                            std::to_string(i) +
                            "] = " + detail::format_number(edges[i]) +
                            " follows " + detail::format_number(edges[i - 1]));
    }
  }
}

void check_smoothing(const std::string& name, double s) {
  if (!(s >= 0.0 && std::isfinite(s))) {
    throw InvalidArgument(name + ": smoothing = " + detail::format_number(s) +
                          ", but must be >= 0 and finite");
  }
}

// p, q, the terms and KL from counts over the same bins, with `s` added to
// every bin.
struct from_counts {
  std::vector<double> p, q, terms;
  double value = 0.0;
};

from_counts kl_of_counts(const std::vector<std::size_t>& cx,
                         const std::vector<std::size_t>& cy, double s) {
  from_counts r;
  const double bins = static_cast<double>(cx.size());
  double n = 0.0, m = 0.0;
  for (const auto c : cx) n += static_cast<double>(c);
  for (const auto c : cy) m += static_cast<double>(c);
  r.p.resize(cx.size());
  r.q.resize(cy.size());
  for (std::size_t i = 0; i < cx.size(); ++i) {
    r.p[i] = (static_cast<double>(cx[i]) + s) / (n + s * bins);
    r.q[i] = (static_cast<double>(cy[i]) + s) / (m + s * bins);
  }
  r.terms.resize(cx.size());
  rel_entr(r.p, r.q, r.terms);
  r.value = kl(r.p, r.q);
  return r;
}

// Where KL is infinite: a warning naming the bins and the remedy.
void warn_infinite(const from_counts& f, std::vector<std::string>& w,
                   const char* one, const char* many) {
  if (!std::isinf(f.value)) return;
  std::size_t empty = 0;
  for (std::size_t i = 0; i < f.p.size(); ++i) {
    if (f.p[i] > 0.0 && f.q[i] == 0.0) ++empty;
  }
  w.push_back("KL is infinite: x has values in " + std::to_string(empty) + " " +
              (empty == 1 ? one : many) +
              " where the reference y has none; set smoothing (a "
              "pseudo-count per bin, e.g. 0.5) for a finite estimate");
}

std::vector<double> resample_values(const std::vector<double>& v,
                                    random_stream& rs) {
  std::vector<double> out;
  out.reserve(v.size());
  for (const auto i : detail::resample_indices(v.size(), rs)) {
    out.push_back(v[i]);
  }
  return out;
}

}  // namespace

std::vector<double> bin_edges(std::span<const double> reference,
                              const histogram_options& o) {
  if (o.rule == bin_rule::edges) {
    check_edges(o.edges, "edges");
    return o.edges;
  }
  if (reference.empty()) {
    throw InvalidArgument("bin_edges: the reference sample is empty");
  }
  const std::vector<double> s = checked_sorted(reference, "reference");
  const std::string rule = rule_name(o.rule);
  if ((o.rule == bin_rule::count || o.rule == bin_rule::quantiles) &&
      (o.bins < 1 || o.bins > kMaxBins)) {
    throw InvalidArgument("bin_edges: bins = " + std::to_string(o.bins) +
                          " for rule " + rule + ", but must be in 1 .. " +
                          std::to_string(kMaxBins));
  }
  double first = s.front(), last = s.back();
  if (o.rule == bin_rule::quantiles) {
    std::vector<double> e;
    const double step = 1.0 / static_cast<double>(o.bins);
    for (std::size_t i = 0; i <= o.bins; ++i) {
      const double q = i == o.bins ? 1.0 : static_cast<double>(i) * step;
      const double v = quantile_sorted(s, q);
      if (e.empty() || v > e.back()) e.push_back(v);
    }
    if (e.size() < 2) return {first - 0.5, last + 0.5};
    return e;
  }
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  std::size_t bins = o.bins;
  if (o.rule != bin_rule::count) {
    const double width = rule_width(o.rule, s);
    const double count = width != 0.0 ? std::ceil((last - first) / width) : 1;
    if (!(count <= static_cast<double>(kMaxBins))) {
      throw InvalidArgument(
          "bin_edges: rule " + rule + " gives " + detail::format_number(count) +
          " bins for this reference (more than " + std::to_string(kMaxBins) +
          "); choose another rule, quantiles, or a bin count");
    }
    bins = static_cast<std::size_t>(count);
  }
  return equal_width(first, last, bins);
}

std::vector<std::size_t> bin_counts(std::span<const double> values,
                                    std::span<const double> edges) {
  check_edges(edges, "edges");
  const std::size_t b = edges.size() - 1;
  std::vector<std::size_t> c(b + 2);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) {
      throw InvalidArgument("values[" + std::to_string(i) + "] = " +
                            detail::format_number(v) + ", but must be finite");
    }
    if (v < edges.front()) {
      ++c[0];
    } else if (v > edges.back()) {
      ++c[b + 1];
    } else if (v == edges.back()) {
      ++c[b];
    } else {
      ++c[static_cast<std::size_t>(
          std::upper_bound(edges.begin(), edges.end(), v) - edges.begin())];
    }
  }
  return c;
}

histogram_estimate kl_histogram(std::span<const double> xs,
                                std::span<const double> ys,
                                const histogram_options& o) {
  const std::string name = "kl_histogram";
  if (xs.empty() || ys.empty()) {
    throw InvalidArgument(name + ": x has " + std::to_string(xs.size()) +
                          " values and y " + std::to_string(ys.size()) +
                          ", but each needs at least 1");
  }
  check_smoothing(name, o.smoothing);
  detail::check_interval_options(name, o.bootstrap, o.confidence);
  const std::vector<double> x = checked_sorted(xs, "x");
  const std::vector<double> y = checked_sorted(ys, "y");
  histogram_estimate r;
  r.edges = bin_edges(y, o);
  r.x_counts = bin_counts(x, r.edges);
  r.y_counts = bin_counts(y, r.edges);
  auto f = kl_of_counts(r.x_counts, r.y_counts, o.smoothing);
  r.value = f.value;
  r.n = x.size();
  r.m = y.size();
  r.rule = rule_name(o.rule);
  r.smoothing = o.smoothing;
  const std::size_t outside = r.x_counts.front() + r.x_counts.back();
  if (outside > 0) {
    r.warnings.push_back(
        std::to_string(outside) + " of " + std::to_string(r.n) +
        " values of x lie outside the reference range [" +
        detail::format_number(r.edges.front()) + ", " +
        detail::format_number(r.edges.back()) + "] (the outer bins)");
  }
  warn_infinite(f, r.warnings, "bin", "bins");
  r.p = std::move(f.p);
  r.q = std::move(f.q);
  r.terms = std::move(f.terms);
  if (o.bootstrap == 0) return r;
  random_stream rs(o.seed, 0xb0075);
  std::vector<double> values;
  for (std::size_t b = 0; b < o.bootstrap; ++b) {
    const auto bx = resample_values(x, rs);
    const auto by = resample_values(y, rs);
    values.push_back(kl_of_counts(bin_counts(bx, r.edges),
                                  bin_counts(by, r.edges), o.smoothing)
                         .value);
  }
  std::tie(r.ci_low, r.ci_high) =
      detail::percentile_interval(std::move(values), o.confidence);
  return r;
}

categorical_estimate kl_categorical(std::span<const std::string> xs,
                                    std::span<const std::string> ys,
                                    const categorical_options& o) {
  const std::string name = "kl_categorical";
  if (xs.empty() || ys.empty()) {
    throw InvalidArgument(name + ": x has " + std::to_string(xs.size()) +
                          " values and y " + std::to_string(ys.size()) +
                          ", but each needs at least 1");
  }
  check_smoothing(name, o.smoothing);
  detail::check_interval_options(name, o.bootstrap, o.confidence);
  categorical_estimate r;
  std::map<std::string, std::size_t> index;
  for (const auto& c : ys) index.emplace(c, 0);
  std::size_t k = 0;
  for (auto& [c, i] : index) {
    i = k++;
    r.categories.push_back(c);
  }
  // Each value's bin: its category's, or the unseen bucket K.
  const auto bins_of = [&](std::span<const std::string> v) {
    std::vector<std::size_t> b(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto it = index.find(v[i]);
      b[i] = it == index.end() ? k : it->second;
    }
    return b;
  };
  const auto bx = bins_of(xs), by = bins_of(ys);
  const auto count = [&](const std::vector<std::size_t>& b,
                         const std::vector<std::size_t>* pick) {
    std::vector<std::size_t> c(k + 1);
    if (pick) {
      for (const auto i : *pick) ++c[b[i]];
    } else {
      for (const auto i : b) ++c[i];
    }
    return c;
  };
  r.x_counts = count(bx, nullptr);
  r.y_counts = count(by, nullptr);
  std::set<std::string> unseen;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (bx[i] == k) unseen.insert(xs[i]);
  }
  r.unseen.assign(unseen.begin(), unseen.end());
  auto f = kl_of_counts(r.x_counts, r.y_counts, o.smoothing);
  r.value = f.value;
  r.n = xs.size();
  r.m = ys.size();
  r.smoothing = o.smoothing;
  if (!r.unseen.empty()) {
    std::string list;
    for (std::size_t i = 0; i < r.unseen.size() && i < 5; ++i) {
      list += (i ? ", " : "") + ("'" + r.unseen[i] + "'");
    }
    if (r.unseen.size() > 5) list += ", ...";
    r.warnings.push_back(
        std::to_string(r.x_counts.back()) + " of " + std::to_string(r.n) +
        " values of x are in " + std::to_string(r.unseen.size()) +
        (r.unseen.size() == 1 ? " category" : " categories") +
        " the reference y does not have (" + list + "): the unseen bucket");
  }
  warn_infinite(f, r.warnings, "category", "categories");
  r.p = std::move(f.p);
  r.q = std::move(f.q);
  r.terms = std::move(f.terms);
  if (o.bootstrap == 0) return r;
  random_stream rs(o.seed, 0xb0075);
  std::vector<double> values;
  for (std::size_t b = 0; b < o.bootstrap; ++b) {
    const auto ix = detail::resample_indices(bx.size(), rs);
    const auto iy = detail::resample_indices(by.size(), rs);
    values.push_back(
        kl_of_counts(count(bx, &ix), count(by, &iy), o.smoothing).value);
  }
  std::tie(r.ci_low, r.ci_high) =
      detail::percentile_interval(std::move(values), o.confidence);
  return r;
}

}  // namespace kldiv
