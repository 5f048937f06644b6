// Mutual information from paired samples: the two estimators of Kraskov,
// Stögbauer & Grassberger (2004) under the max-norm, on max-norm k-d trees
// (kdtree_max.hpp) over the joint space and each marginal space; rows spread
// over OpenMP threads, each row's term its own and the terms summed in row
// order (the same result for any thread count).
#include <omp.h>

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <cstddef>
#include <exception>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kdtree_max.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "sample_common.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

using detail::points;

double psi(double v) { return boost::math::digamma(v); }

// The max-norm distance between row i and row j over columns [b, e).
double part_distance(const points& z, std::size_t i, std::size_t j,
                     std::size_t b, std::size_t e) {
  double m = 0.0;
  for (std::size_t c = b; c < e; ++c) {
    m = std::max(m, std::abs(z.v[i * z.d + c] - z.v[j * z.d + c]));
  }
  return m;
}

// The columns [b, e) of z as their own points.
points columns(const points& z, std::size_t b, std::size_t e) {
  points p{std::vector<double>(z.n * (e - b)), z.n, e - b};
  for (std::size_t i = 0; i < z.n; ++i) {
    for (std::size_t c = b; c < e; ++c) p.v[i * p.d + c - b] = z.v[i * z.d + c];
  }
  return p;
}

struct mi_result {
  std::vector<double> value;  // per k
  std::size_t ties = 0;       // rows with a repeat
};

// The estimates for every k from the joint rows z = (x, y), x the first dx
// columns; tied rows (repeated) are left out of the average unless
// `distinct`.
mi_result estimate(const points& z, std::size_t dx, const ksg_options& o,
                   bool distinct) {
  const std::size_t n = z.n;
  const points px = columns(z, 0, dx), py = columns(z, dx, z.d);
  const detail::max_tree tz(z.v.data(), n, z.d);
  const detail::max_tree tx(px.v.data(), n, px.d);
  const detail::max_tree ty(py.v.data(), n, py.d);
  const std::size_t nk = o.k.size();
  const int kmax = *std::max_element(o.k.begin(), o.k.end());
  std::vector<double> terms(n * nk);
  std::vector<unsigned char> tied(n);
  const int wanted = o.threads > 0 ? o.threads : omp_get_max_threads();
  const int t = n < 256 ? 1 : wanted;
  std::vector<std::string> errors(static_cast<std::size_t>(std::max(t, 1)));
  const auto rows = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel num_threads(t) if (t > 1)
  {
    std::vector<double> dist;
    std::vector<std::size_t> which;
#pragma omp for schedule(dynamic, 256)
    for (std::ptrdiff_t ii = 0; ii < rows; ++ii) {
      const auto i = static_cast<std::size_t>(ii);
      try {
        // Enough neighbours for the kmax-th at a distance > 0.
        std::size_t count = std::min(n, static_cast<std::size_t>(kmax) + 1);
        std::size_t zeros = 0;
        for (;;) {
          tz.nearest(z.row(i), count, dist, which);
          zeros = static_cast<std::size_t>(
              std::count(dist.begin(), dist.end(), 0.0));
          if (zeros + static_cast<std::size_t>(kmax) <= count) break;
          if (count == n) {
            throw InvalidArgument(
                "fewer than k = " + std::to_string(kmax) +
                " other rows at a distance > 0 (too many repeated rows for "
                "k)");
          }
          count = std::min(
              n, std::max(2 * count, zeros + static_cast<std::size_t>(kmax)));
        }
        tied[i] = zeros > 1;
        for (std::size_t c = 0; c < nk; ++c) {
          const auto k = static_cast<std::size_t>(o.k[c]);
          const double eps = dist[zeros + k - 1];
          double term = 0.0;
          if (o.variant == 1) {
            const std::size_t nx = tx.count_within(px.row(i), eps, true) - 1;
            const std::size_t ny = ty.count_within(py.row(i), eps, true) - 1;
            term = psi(static_cast<double>(nx + 1)) +
                   psi(static_cast<double>(ny + 1));
          } else {
            double ex = 0.0, ey = 0.0;
            tz.within(z.row(i), eps, [&](std::size_t j, double) {
              ex = std::max(ex, part_distance(z, i, j, 0, dx));
              ey = std::max(ey, part_distance(z, i, j, dx, z.d));
            });
            const std::size_t nx = tx.count_within(px.row(i), ex, false) - 1;
            const std::size_t ny = ty.count_within(py.row(i), ey, false) - 1;
            term = psi(static_cast<double>(nx)) + psi(static_cast<double>(ny));
          }
          terms[i * nk + c] = term;
        }
      } catch (const std::exception& ex) {
        errors[static_cast<std::size_t>(omp_get_thread_num())] = ex.what();
      }
    }
  }
  for (const auto& m : errors) {
    if (!m.empty()) throw InvalidArgument("mutual_information_ksg: " + m);
  }
  mi_result r;
  for (std::size_t i = 0; i < n; ++i) r.ties += tied[i];
  const double psi_n = psi(static_cast<double>(n));
  for (std::size_t c = 0; c < nk; ++c) {
    detail::compensated_sum s;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (tied[i] && !distinct) continue;
      s.add(terms[i * nk + c]);
      ++kept;
    }
    if (kept == 0) {  // every row repeated and left out: the caller says so
      r.value.push_back(std::nan(""));
      continue;
    }
    const double k = static_cast<double>(o.k[c]);
    const double head = o.variant == 1 ? psi(k) : psi(k) - 1.0 / k;
    r.value.push_back(head + psi_n - s.value() / static_cast<double>(kept));
  }
  return r;
}

}  // namespace

std::vector<sample_estimate> mutual_information_ksg(
    const matrix_view<double>& xv, const matrix_view<double>& yv,
    const ksg_options& o) {
  const std::string name = "mutual_information_ksg";
  if (xv.rows != yv.rows) {
    throw InvalidArgument(name + ": x has " + std::to_string(xv.rows) +
                          " rows but y has " + std::to_string(yv.rows) +
                          ": the rows are pairs and must match");
  }
  if (xv.cols == 0 || yv.cols == 0) {
    throw InvalidArgument(name + ": " + (xv.cols == 0 ? "x" : "y") +
                          " has no columns");
  }
  if (o.variant != 1 && o.variant != 2) {
    throw InvalidArgument(name + ": variant = " + std::to_string(o.variant) +
                          ", but must be 1 or 2 (KSG's two estimators)");
  }
  const int kmax = detail::check_k(name, o.k);
  if (xv.rows < static_cast<std::size_t>(kmax) + 1) {
    throw InvalidArgument(name + ": " + std::to_string(xv.rows) +
                          " rows, but k = " + std::to_string(kmax) +
                          " needs at least k + 1");
  }
  detail::check_jitter_scale(name, o.jitter_scale);
  detail::check_interval_options(name, o.bootstrap, o.confidence);
  const points x = detail::copy_points(xv, "x");
  const points y = detail::copy_points(yv, "y");
  const std::size_t dx = x.d;
  points z{std::vector<double>(x.n * (x.d + y.d)), x.n, x.d + y.d};
  for (std::size_t i = 0; i < z.n; ++i) {
    std::copy_n(x.row(i), x.d, z.v.data() + i * z.d);
    std::copy_n(y.row(i), y.d, z.v.data() + i * z.d + x.d);
  }
  points none{{}, 0, z.d};
  std::size_t jitter_ties = 0;
  if (o.ties == tie_policy::jitter) {
    jitter_ties = detail::exact_ties(z, none);
    detail::add_jitter(z, none, o.jitter_scale, o.seed);
  }
  const bool distinct =
      o.ties == tie_policy::distinct || o.ties == tie_policy::jitter;
  const mi_result m = estimate(z, dx, o, distinct);
  if (o.ties == tie_policy::error && m.ties > 0) {
    throw InvalidArgument(name + ": " + std::to_string(m.ties) + " of " +
                          std::to_string(z.n) +
                          " rows are repeated (a zero joint distance); "
                          "choose a tie policy: jitter, distinct or exclude");
  }
  if (std::isnan(m.value.front())) {
    throw InvalidArgument(name +
                          ": every row is repeated; nothing is left to "
                          "estimate from");
  }
  std::vector<sample_estimate> out;
  for (std::size_t c = 0; c < o.k.size(); ++c) {
    sample_estimate r;
    r.value = m.value[c];
    r.k = o.k[c];
    r.n = r.m = z.n;
    r.d = z.d;
    r.ties = o.ties == tie_policy::jitter ? jitter_ties : m.ties;
    r.tie_handling = detail::policy_name(o.ties);
    if (z.n < 100 * z.d) {
      r.warnings.push_back(
          "N = " + std::to_string(z.n) + " rows in d = " + std::to_string(z.d) +
          ": k-NN estimates are strongly biased when N is small for d (N < "
          "100 d)");
    }
    out.push_back(std::move(r));
  }
  if (o.bootstrap == 0) return out;
  random_stream rs(o.seed, 0xb0075);
  std::vector<std::vector<double>> values(out.size());
  for (std::size_t b = 0; b < o.bootstrap; ++b) {
    const points bz = detail::resample(z, rs);
    mi_result r;
    try {
      r = estimate(bz, dx, o, true);
    } catch (const InvalidArgument&) {
      throw InvalidArgument(
          name + ": bootstrap resample " + std::to_string(b + 1) +
          " has fewer than k distinct neighbours for some row: the sample is "
          "too small or too repetitive for a bootstrap at this k");
    }
    for (std::size_t c = 0; c < r.value.size(); ++c) {
      values[c].push_back(r.value[c]);
    }
  }
  for (std::size_t c = 0; c < out.size(); ++c) {
    std::tie(out[c].ci_low, out[c].ci_high) =
        detail::percentile_interval(std::move(values[c]), o.confidence);
  }
  return out;
}

}  // namespace kldiv
