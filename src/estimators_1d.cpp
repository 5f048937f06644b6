// The one-dimensional KL estimator of Pérez-Cruz (2008) on the
// piecewise-linear interpolations of the two empirical CDFs, with a
// scale-invariant boundary and repeated values collapsed into weighted
// steps (see estimators.hpp for the definition).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "sample_common.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

// The distinct values of a sorted sample and how often each occurs.
struct steps {
  std::vector<double> value;
  std::vector<double> count;
};

steps steps_of(const std::vector<double>& sorted) {
  steps s;
  for (const double v : sorted) {
    if (!s.value.empty() && s.value.back() == v) {
      s.count.back() += 1.0;
    } else {
      s.value.push_back(v);
      s.count.push_back(1.0);
    }
  }
  return s;
}

struct estimate_1d {
  double value;      // NaN when every point is tied and left out
  std::size_t ties;  // points tied
};

// The estimate on sorted samples under distinct or exclude (or error,
// which is exclude that refuses ties).
estimate_1d estimate(const std::vector<double>& x, const std::vector<double>& y,
                     tie_policy ties) {
  const double n = static_cast<double>(x.size());
  const double m = static_cast<double>(y.size());
  const double a = std::min(x.front(), y.front());
  const double b = std::max(x.back(), y.back());
  const double w = a == b ? 1.0 : (b - a) / (n + m);
  const double lo = a - w;
  const steps p = steps_of(x), q = steps_of(y);
  detail::compensated_sum sum;
  std::size_t tied = 0, kept = 0;
  std::size_t i = 0;  // the first knot of q at or above the current value
  for (std::size_t j = 0; j < p.value.size(); ++j) {
    const double u = p.value[j];
    const double run_p = u - (j == 0 ? lo : p.value[j - 1]);
    const double rise_p = (j == 0 ? 0.0 : p.count[j - 1]) + p.count[j];
    while (i < q.value.size() && q.value[i] < u) ++i;
    // Q's segment (left, right] holding u: knots lo, q.value..., hi.
    const double left = i == 0 ? lo : q.value[i - 1];
    const double right = i < q.value.size() ? q.value[i] : b + w;
    const double rise_q = (i == 0 ? 0.0 : q.count[i - 1]) +
                          (i < q.value.size() ? q.count[i] : 0.0);
    const bool in_y = i < q.value.size() && q.value[i] == u;
    const double term =
        std::log((rise_p * m * (right - left)) / (rise_q * n * run_p)) +
        (in_y ? 1.0 : 0.0);
    const bool is_tied = p.count[j] > 1.0 || in_y;
    const auto c = static_cast<std::size_t>(p.count[j]);
    if (is_tied) tied += c;
    if (is_tied && ties != tie_policy::distinct) continue;
    sum.add(p.count[j] * term);
    kept += c;
  }
  if (kept == 0) return {std::nan(""), tied};
  return {sum.value() / static_cast<double>(kept) - 1.0, tied};
}

std::vector<double> sorted_values(const detail::points& p) {
  std::vector<double> v = p.v;
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

sample_estimate kl_1d(std::span<const double> xs, std::span<const double> ys,
                      const kl_1d_options& o) {
  const std::string name = "kl_1d";
  if (xs.size() < 2 || ys.size() < 2) {
    throw InvalidArgument(name + ": x has " + std::to_string(xs.size()) +
                          " values and y " + std::to_string(ys.size()) +
                          ", but each needs at least 2");
  }
  detail::check_jitter_scale(name, o.jitter_scale);
  detail::check_interval_options(name, o.bootstrap, o.confidence);
  detail::points x = detail::copy_points(xs, "x");
  detail::points y = detail::copy_points(ys, "y");
  std::size_t jitter_ties = 0;
  tie_policy ties = o.ties;
  if (ties == tie_policy::jitter) {
    jitter_ties = detail::exact_ties(x, y);
    detail::add_jitter(x, y, o.jitter_scale, o.seed);
    ties = tie_policy::distinct;
  }
  const estimate_1d e = estimate(sorted_values(x), sorted_values(y), ties);
  if (o.ties == tie_policy::error && e.ties > 0) {
    throw InvalidArgument(
        name + ": " + std::to_string(e.ties) + " of " + std::to_string(x.n) +
        " values of x are tied (repeated in x or found in y); choose a tie "
        "policy: jitter, distinct or exclude");
  }
  if (std::isnan(e.value)) {
    throw InvalidArgument(
        name +
        ": every value of x is tied (repeated, or found in y); nothing is "
        "left to estimate from");
  }
  sample_estimate r;
  r.value = e.value;
  r.n = x.n;
  r.m = y.n;
  r.d = 1;
  r.ties = o.ties == tie_policy::jitter ? jitter_ties : e.ties;
  r.tie_handling = detail::policy_name(o.ties);
  if (x.n < 100 || y.n < 100) {
    r.warnings.push_back("n = " + std::to_string(x.n) +
                         " and m = " + std::to_string(y.n) +
                         ": the 1-D estimate is strongly biased when a "
                         "sample has fewer than 100 values");
  }
  if (o.bootstrap == 0) return r;
  // Half-sampling rather than resampling with replacement: a resample's
  // repeated values change the spacings the estimate is made of (its
  // intervals were centred far above the value). Each of the B draws takes
  // half of x and half of y without replacement; the deviations of the half
  // estimates from the full one, scaled by sqrt(h / (n - h)) (the ratio of
  // the spreads of a half and of the whole), give the interval
  // [D - q_hi, D - q_lo].
  random_stream rs(o.seed, 0xb0075);
  const std::size_t hx = x.n / 2, hy = y.n / 2;
  if (hx < 2 || hy < 2) {
    throw InvalidArgument(name +
                          ": the interval needs at least 4 values in x and "
                          "in y (it estimates from halves)");
  }
  const double scale =
      std::sqrt(static_cast<double>(hx) / static_cast<double>(x.n - hx));
  std::vector<double> values;
  values.reserve(o.bootstrap);
  std::vector<double> sx = x.v, sy = y.v;
  for (std::size_t b = 0; b < o.bootstrap; ++b) {
    detail::shuffle_front(sx, hx, rs);
    detail::shuffle_front(sy, hy, rs);
    std::vector<double> bx(sx.begin(), sx.begin() + static_cast<long>(hx));
    std::vector<double> by(sy.begin(), sy.begin() + static_cast<long>(hy));
    std::sort(bx.begin(), bx.end());
    std::sort(by.begin(), by.end());
    const double half = estimate(bx, by, tie_policy::distinct).value;
    values.push_back(e.value - scale * (half - e.value));
  }
  std::tie(r.ci_low, r.ci_high) =
      detail::percentile_interval(std::move(values), o.confidence);
  return r;
}

}  // namespace kldiv
