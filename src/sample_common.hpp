// What the estimators from samples share: points copied and checked, tie
// policy names, exact ties, seeded jitter, bootstrap resampling and the
// percentile interval.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "format_number.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"
#include "kldiv/matrix.hpp"
#include "running_moments.hpp"

namespace kldiv::detail {

// Points row-major (n x d), contiguous (also nanoflann's dataset).
struct points {
  std::vector<double> v;
  std::size_t n = 0, d = 0;
  std::size_t kdtree_get_point_count() const { return n; }
  double kdtree_get_pt(std::size_t i, std::size_t j) const {
    return v[i * d + j];
  }
  template <class B>
  bool kdtree_get_bbox(B&) const {
    return false;
  }
  const double* row(std::size_t i) const { return v.data() + i * d; }
};

// The values of a matrix view, each checked finite (the message names
// `name`[i, j]).
inline points copy_points(const matrix_view<double>& m, const char* name) {
  points p;
  p.n = m.rows;
  p.d = m.cols;
  p.v.resize(p.n * p.d);
  for (std::size_t i = 0; i < p.n; ++i) {
    for (std::size_t j = 0; j < p.d; ++j) {
      const double x = m(i, j);
      if (!std::isfinite(x)) {
        throw InvalidArgument(std::string(name) + "[" + std::to_string(i) +
                              ", " + std::to_string(j) +
                              "] = " + detail::format_number(x) +
                              ", but must be finite");
      }
      p.v[i * p.d + j] = x;
    }
  }
  return p;
}

// One column of values as points (n x 1), each checked finite (the message
// names `name`[i]).
inline points copy_points(std::span<const double> v, const char* name) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw InvalidArgument(std::string(name) + "[" + std::to_string(i) +
                            "] = " + format_number(v[i]) +
                            ", but must be finite");
    }
  }
  return points{{v.begin(), v.end()}, v.size(), 1};
}

inline const char* policy_name(tie_policy t) {
  switch (t) {
    case tie_policy::error:
      return "error";
    case tie_policy::jitter:
      return "jitter";
    case tie_policy::distinct:
      return "distinct";
    case tie_policy::exclude:
      return "exclude";
  }
  return "";
}

// Rows of x that equal another row of x or a row of y (exact).
inline std::size_t exact_ties(const points& x, const points& y) {
  std::unordered_map<std::string, std::size_t> seen;
  const auto key = [](const points& p, std::size_t i) {
    return std::string(reinterpret_cast<const char*>(p.row(i)),
                       p.d * sizeof(double));
  };
  for (std::size_t i = 0; i < x.n; ++i) ++seen[key(x, i)];
  std::unordered_map<std::string, bool> in_y;
  for (std::size_t i = 0; i < y.n; ++i) in_y[key(y, i)] = true;
  std::size_t t = 0;
  for (std::size_t i = 0; i < x.n; ++i) {
    const auto k = key(x, i);
    if (seen[k] > 1 || in_y.count(k)) ++t;
  }
  return t;
}

// Seeded N(0, (scale * sd)^2) noise on every column of x and y, sd the
// column's standard deviation over x and y pooled (1 if it is 0).
inline void add_jitter(points& x, points& y, double scale, std::uint64_t seed) {
  random_stream rs(seed, 0x6a1773);
  for (std::size_t j = 0; j < x.d; ++j) {
    running_moments col;
    for (const points* p : {&x, &y}) {
      for (std::size_t i = 0; i < p->n; ++i) col.add(p->v[i * p->d + j]);
    }
    const double sd = col.n > 1 ? std::sqrt(col.variance()) : 0.0;
    const double s = scale * (sd > 0.0 ? sd : 1.0);
    for (points* p : {&x, &y}) {
      for (std::size_t i = 0; i < p->n; ++i)
        p->v[i * p->d + j] += s * rs.normal();
    }
  }
}

// Rows drawn with replacement from src (uniform indices from rs).
inline points resample(const points& src, random_stream& rs) {
  points p{std::vector<double>(src.n * src.d), src.n, src.d};
  for (std::size_t i = 0; i < p.n; ++i) {
    const auto j = std::min(
        src.n - 1,
        static_cast<std::size_t>(rs.uniform() * static_cast<double>(src.n)));
    std::memcpy(p.v.data() + i * p.d, src.row(j), p.d * sizeof(double));
  }
  return p;
}

// Indices drawn with replacement from 0 .. n - 1 (as resample draws them).
inline std::vector<std::size_t> resample_indices(std::size_t n,
                                                 random_stream& rs) {
  std::vector<std::size_t> idx(n);
  for (auto& j : idx) {
    j = std::min(
        n - 1, static_cast<std::size_t>(rs.uniform() * static_cast<double>(n)));
  }
  return idx;
}

// Moves a uniformly drawn subset of `count` entries of v, in random order,
// to its front (a partial Fisher-Yates shuffle with draws from rs).
template <class T>
void shuffle_front(std::vector<T>& v, std::size_t count, random_stream& rs) {
  for (std::size_t i = 0; i < count && i + 1 < v.size(); ++i) {
    const std::size_t left = v.size() - i;
    const auto j =
        i + std::min(left - 1, static_cast<std::size_t>(
                                   rs.uniform() * static_cast<double>(left)));
    std::swap(v[i], v[j]);
  }
}

// The percentile interval at `confidence` of bootstrap values (sorted here;
// linear interpolation between order statistics).
inline std::pair<double, double> percentile_interval(std::vector<double> v,
                                                     double confidence) {
  std::sort(v.begin(), v.end());
  const auto at = [&](double q) {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  const double alpha = (1.0 - confidence) / 2.0;
  return {at(alpha), at(1.0 - alpha)};
}

// Runs body(i, scratch) for every i < count on `threads` threads (OpenMP,
// static schedule: each thread the same share in every run), `scratch` made
// by make() once per thread. An exception may not leave a parallel region:
// each thread keeps its last error's message, and after the loop the first
// (by thread number) is thrown as InvalidArgument(prefix + message).
template <class Make, class Body>
void parallel_for_each(std::size_t count, int threads,
                       const std::string& prefix, Make make, Body body) {
  const int t = std::max(threads, 1);
  std::vector<std::string> errors(static_cast<std::size_t>(t));
  const auto n = static_cast<std::ptrdiff_t>(count);
#pragma omp parallel num_threads(t) if (t > 1)
  {
    auto scratch = make();
#pragma omp for schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      try {
        body(static_cast<std::size_t>(i), scratch);
      } catch (const std::exception& ex) {
        errors[static_cast<std::size_t>(omp_get_thread_num())] = ex.what();
      }
    }
  }
  for (const auto& m : errors) {
    if (!m.empty()) throw InvalidArgument(prefix + m);
  }
}

// The checks every bootstrap-capable estimator makes of its options.
inline void check_interval_options(const std::string& name,
                                   std::size_t bootstrap, double confidence) {
  if (bootstrap > 0 && !(confidence > 0.0 && confidence < 1.0)) {
    throw InvalidArgument(name + ": confidence must be in (0, 1)");
  }
}

// The neighbour orders checked (none empty, each >= 1); returns the largest.
inline int check_k(const std::string& name, const std::vector<int>& ks) {
  if (ks.empty()) throw InvalidArgument(name + ": no k given");
  int kmax = 0;
  for (const int k : ks) {
    if (k < 1) {
      throw InvalidArgument(name + ": k = " + std::to_string(k) +
                            ", but must be >= 1");
    }
    kmax = std::max(kmax, k);
  }
  return kmax;
}

inline void check_jitter_scale(const std::string& name, double scale) {
  if (!(scale > 0.0 && std::isfinite(scale))) {
    throw InvalidArgument(name + ": jitter_scale must be > 0 and finite");
  }
}

}  // namespace kldiv::detail
