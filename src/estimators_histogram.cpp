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

#include "binned.hpp"
#include "format_number.hpp"
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

// The values, each checked finite (the message names `what`[i]).
std::vector<double> checked_values(std::span<const double> v,
                                   const char* what) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw InvalidArgument(std::string(what) + "[" + std::to_string(i) +
                            "] = " + detail::format_number(v[i]) +
                            ", but must be finite");
    }
  }
  return {v.begin(), v.end()};
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

// NumPy's linear quantile (method 7) with its interpolation: a + (b - a) t,
// or b - (b - a)(1 - t) for t >= 0.5, of the order statistics a and b
// around (size - 1) q.
double lerp_quantile(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// The same quantile of sorted values.
double quantile_sorted(const std::vector<double>& s, double q) {
  const double vi = static_cast<double>(s.size() - 1) * q;
  if (vi >= static_cast<double>(s.size() - 1)) return s.back();
  if (vi < 0.0) return s.front();
  const double lo = std::floor(vi);
  const auto i = static_cast<std::size_t>(lo);
  return lerp_quantile(s[i], s[i + 1], vi - lo);
}

// The same quantile of unsorted values by selection (v is reordered).
double quantile_select(std::vector<double>& v, double q) {
  const double vi = static_cast<double>(v.size() - 1) * q;
  const double lo = std::floor(vi);
  const auto i = static_cast<std::size_t>(lo);
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(i);
  std::nth_element(v.begin(), at, v.end());
  if (i + 1 >= v.size()) return v[i];
  const double next = *std::min_element(at + 1, v.end());
  return lerp_quantile(v[i], next, vi - lo);
}

// The bin width of a NumPy rule (0: one bin) for values v (reordered)
// spanning ptp.
double rule_width(bin_rule r, std::vector<double>& s, double ptp) {
  const double n = static_cast<double>(s.size());
  const auto sturges = [&] { return ptp / (std::log2(n) + 1.0); };
  const auto fd = [&] {
    const double iqr = quantile_select(s, 0.75) - quantile_select(s, 0.25);
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

// The checks of a binned estimate's sizes and options.
void check_binned(const std::string& name, std::size_t n, std::size_t m,
                  double smoothing, std::size_t bootstrap, double confidence) {
  if (n == 0 || m == 0) {
    throw InvalidArgument(name + ": x has " + std::to_string(n) +
                          " values and y " + std::to_string(m) +
                          ", but each needs at least 1");
  }
  if (!(smoothing >= 0.0 && std::isfinite(smoothing))) {
    throw InvalidArgument(name +
                          ": smoothing = " + detail::format_number(smoothing) +
                          ", but must be >= 0 and finite");
  }
  detail::check_interval_options(name, bootstrap, confidence);
}

// The tail the histogram and categorical estimates share, from the counts
// in r: KL, p, q and the terms with o.smoothing added to every bin; where KL
// is infinite, a warning naming the bins (`one`, `many`) and the remedy; and
// with o.bootstrap > 0 the percentile interval of KL over resamples, whose
// x and y counts resampled_counts(rs) draws from one seeded stream (the bins
// held fixed).
template <class Estimate, class Options, class Resample>
void finish_binned(Estimate& r, const Options& o, const char* one,
                   const char* many, Resample resampled_counts) {
  detail::binned_kl f =
      detail::kl_of_counts(r.x_counts, r.y_counts, o.smoothing);
  r.value = f.value;
  r.smoothing = o.smoothing;
  if (std::isinf(f.value)) {
    const std::size_t empty = detail::infinite_bins(f.p, f.q);
    r.warnings.push_back(
        "KL is infinite: x has values in " + std::to_string(empty) + " " +
        (empty == 1 ? one : many) +
        " where the reference y has none; set smoothing (a pseudo-count per "
        "bin, e.g. 0.5) for a finite estimate");
  }
  r.p = std::move(f.p);
  r.q = std::move(f.q);
  r.terms = std::move(f.terms);
  if (o.bootstrap == 0) return;
  random_stream rs(o.seed, 0xb0075);
  std::vector<double> values;
  for (std::size_t b = 0; b < o.bootstrap; ++b) {
    const auto [cx, cy] = resampled_counts(rs);
    values.push_back(detail::kl_of_counts(cx, cy, o.smoothing).value);
  }
  std::tie(r.ci_low, r.ci_high) =
      detail::percentile_interval(std::move(values), o.confidence);
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

namespace {

// bin_edges on checked values (reordered here); `name` prefixes messages.
std::vector<double> edges_of(std::vector<double> s, const histogram_options& o,
                             const std::string& name) {
  if (o.rule == bin_rule::edges) {
    check_edges(o.edges, "edges");
    return o.edges;
  }
  if (s.empty())
    throw InvalidArgument(name + ": the reference sample is empty");
  const std::string rule = rule_name(o.rule);
  if ((o.rule == bin_rule::count || o.rule == bin_rule::quantiles) &&
      (o.bins < 1 || o.bins > kMaxBins)) {
    throw InvalidArgument(name + ": bins = " + std::to_string(o.bins) +
                          " for rule " + rule + ", but must be in 1 .. " +
                          std::to_string(kMaxBins));
  }
  const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
  double first = *lo, last = *hi;
  if (o.rule == bin_rule::quantiles) {
    std::sort(s.begin(), s.end());
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
  const double ptp = last - first;
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  std::size_t bins = o.bins;
  if (o.rule != bin_rule::count) {
    const double width = rule_width(o.rule, s, ptp);
    const double count = width != 0.0 ? std::ceil((last - first) / width) : 1;
    if (!(count <= static_cast<double>(kMaxBins))) {
      throw InvalidArgument(
          name + ": rule " + rule + " gives " + detail::format_number(count) +
          " bins for this reference (more than " + std::to_string(kMaxBins) +
          "); choose another rule, quantiles, or a bin count");
    }
    bins = static_cast<std::size_t>(count);
  }
  return equal_width(first, last, bins);
}

// The B + 2 counts of checked values in the bins of checked edges. Equal
// widths (`uniform`) find the bin by arithmetic and then correct it by
// comparing with the edges, so both ways give the binary search's answer.
std::vector<std::size_t> count_bins(std::span<const double> values,
                                    std::span<const double> edges,
                                    bool uniform) {
  const std::size_t b = edges.size() - 1;
  std::vector<std::size_t> c(b + 2);
  const double first = edges.front(), last = edges.back();
  const double per = static_cast<double>(b) / (last - first);
  for (const double v : values) {
    if (v < first) {
      ++c[0];
    } else if (v > last) {
      ++c[b + 1];
    } else if (v == last) {
      ++c[b];
    } else if (uniform) {
      auto i = std::min(b - 1, static_cast<std::size_t>((v - first) * per));
      while (i > 0 && v < edges[i]) --i;
      while (i + 1 < b && v >= edges[i + 1]) ++i;
      ++c[i + 1];
    } else {
      ++c[static_cast<std::size_t>(
          std::upper_bound(edges.begin(), edges.end(), v) - edges.begin())];
    }
  }
  return c;
}

}  // namespace

std::vector<double> bin_edges(std::span<const double> reference,
                              const histogram_options& o) {
  return edges_of(o.rule == bin_rule::edges
                      ? std::vector<double>{}
                      : checked_values(reference, "reference"),
                  o, "bin_edges");
}

std::vector<std::size_t> bin_counts(std::span<const double> values,
                                    std::span<const double> edges) {
  check_edges(edges, "edges");
  checked_values(values, "values");
  return count_bins(values, edges, false);
}

histogram_estimate kl_histogram(std::span<const double> xs,
                                std::span<const double> ys,
                                const histogram_options& o) {
  const std::string name = "kl_histogram";
  check_binned(name, xs.size(), ys.size(), o.smoothing, o.bootstrap,
               o.confidence);
  const std::vector<double> x = checked_values(xs, "x");
  const std::vector<double> y = checked_values(ys, "y");
  histogram_estimate r;
  r.edges =
      edges_of(o.rule == bin_rule::edges ? std::vector<double>{} : y, o, name);
  const bool uniform =
      o.rule != bin_rule::edges && o.rule != bin_rule::quantiles;
  const auto counts = [&](std::span<const double> v) {
    return count_bins(v, r.edges, uniform);
  };
  r.x_counts = counts(x);
  r.y_counts = counts(y);
  r.n = x.size();
  r.m = y.size();
  r.rule = rule_name(o.rule);
  const std::size_t outside = r.x_counts.front() + r.x_counts.back();
  if (outside > 0) {
    r.warnings.push_back(
        std::to_string(outside) + " of " + std::to_string(r.n) +
        " values of x lie outside the reference range [" +
        detail::format_number(r.edges.front()) + ", " +
        detail::format_number(r.edges.back()) + "] (the outer bins)");
  }
  finish_binned(r, o, "bin", "bins", [&](random_stream& rs) {
    const auto bx = resample_values(x, rs);
    const auto by = resample_values(y, rs);
    return std::pair{counts(bx), counts(by)};
  });
  return r;
}

categorical_estimate kl_categorical(std::span<const std::string> xs,
                                    std::span<const std::string> ys,
                                    const categorical_options& o) {
  const std::string name = "kl_categorical";
  check_binned(name, xs.size(), ys.size(), o.smoothing, o.bootstrap,
               o.confidence);
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
  r.n = xs.size();
  r.m = ys.size();
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
  finish_binned(r, o, "category", "categories", [&](random_stream& rs) {
    const auto ix = detail::resample_indices(bx.size(), rs);
    const auto iy = detail::resample_indices(by.size(), rs);
    return std::pair{count(bx, &ix), count(by, &iy)};
  });
  return r;
}

}  // namespace kldiv
