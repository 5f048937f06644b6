// A k-d tree under the max-norm (Chebyshev distance), which nanoflann 1.4.2
// cannot search exactly (its pruning adds per-coordinate distances): the k
// nearest distances with their points, every point within a radius, and
// the number of points within a radius, strict or not. Median splits on the
// widest coordinate, bounding boxes per node, leaves of up to 16 points.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <utility>
#include <vector>

namespace kldiv::detail {

class max_tree {
 public:
  /// Points row-major: `n` rows of `d` values (copied, reordered).
  max_tree(const double* data, std::size_t n, std::size_t d) : n_(n), d_(d) {
    idx_.resize(n);
    std::iota(idx_.begin(), idx_.end(), std::size_t{0});
    std::vector<double> src(data, data + n * d);
    if (n > 0) build(src, 0, n);
    pts_.resize(n * d);
    for (std::size_t i = 0; i < n; ++i) {
      std::copy_n(src.data() + idx_[i] * d, d, pts_.data() + i * d);
    }
  }

  /// The `count` smallest distances from q (sorted, ties in any order) and
  /// the original indices of their points; count <= n.
  void nearest(const double* q, std::size_t count, std::vector<double>& dist,
               std::vector<std::size_t>& which) const {
    dist.assign(count, HUGE_VAL);
    which.assign(count, 0);
    if (count > 0) nearest_in(0, q, count, dist, which);
  }

  /// Calls f(original index, distance) for every point at distance <= r.
  template <class F>
  void within(const double* q, double r, F&& f) const {
    within_in(0, q, r, f);
  }

  /// The number of points at distance < r (strict) or <= r.
  std::size_t count_within(const double* q, double r, bool strict) const {
    return count_in(0, q, r, strict);
  }

 private:
  struct node {
    std::size_t begin, end;           // points [begin, end) in tree order
    std::size_t left = 0, right = 0;  // children (0: a leaf)
  };
  static constexpr std::size_t kLeaf = 16;

  std::size_t n_, d_;
  std::vector<std::size_t> idx_;  // tree order -> original index
  std::vector<double> pts_;       // points in tree order
  std::vector<node> nodes_;
  std::vector<double> lo_, hi_;  // bounding box per node, d values each

  std::size_t build(const std::vector<double>& src, std::size_t b,
                    std::size_t e) {
    const std::size_t id = nodes_.size();
    nodes_.push_back({b, e});
    lo_.resize(lo_.size() + d_, HUGE_VAL);
    hi_.resize(hi_.size() + d_, -HUGE_VAL);
    for (std::size_t i = b; i < e; ++i) {
      const double* p = src.data() + idx_[i] * d_;
      for (std::size_t j = 0; j < d_; ++j) {
        lo_[id * d_ + j] = std::min(lo_[id * d_ + j], p[j]);
        hi_[id * d_ + j] = std::max(hi_[id * d_ + j], p[j]);
      }
    }
    if (e - b <= kLeaf) return id;
    std::size_t dim = 0;
    double widest = -1.0;
    for (std::size_t j = 0; j < d_; ++j) {
      const double w = hi_[id * d_ + j] - lo_[id * d_ + j];
      if (w > widest) {
        widest = w;
        dim = j;
      }
    }
    if (widest == 0.0) return id;  // every point the same: one leaf
    const std::size_t mid = b + (e - b) / 2;
    std::nth_element(idx_.begin() + static_cast<std::ptrdiff_t>(b),
                     idx_.begin() + static_cast<std::ptrdiff_t>(mid),
                     idx_.begin() + static_cast<std::ptrdiff_t>(e),
                     [&](std::size_t u, std::size_t v) {
                       return src[u * d_ + dim] < src[v * d_ + dim];
                     });
    const std::size_t l = build(src, b, mid);
    const std::size_t r = build(src, mid, e);
    nodes_[id].left = l;
    nodes_[id].right = r;
    return id;
  }

  // The max-norm distance from q to the node's box (0 inside).
  double box_distance(std::size_t id, const double* q) const {
    double m = 0.0;
    for (std::size_t j = 0; j < d_; ++j) {
      m = std::max(m,
                   std::max(lo_[id * d_ + j] - q[j], q[j] - hi_[id * d_ + j]));
    }
    return m;
  }
  // The largest max-norm distance from q to a point of the node's box.
  double box_far(std::size_t id, const double* q) const {
    double m = 0.0;
    for (std::size_t j = 0; j < d_; ++j) {
      m = std::max(m,
                   std::max(q[j] - lo_[id * d_ + j], hi_[id * d_ + j] - q[j]));
    }
    return m;
  }
  double distance(std::size_t i, const double* q) const {
    const double* p = pts_.data() + i * d_;
    double m = 0.0;
    for (std::size_t j = 0; j < d_; ++j) m = std::max(m, std::abs(p[j] - q[j]));
    return m;
  }

  void nearest_in(std::size_t id, const double* q, std::size_t count,
                  std::vector<double>& dist,
                  std::vector<std::size_t>& which) const {
    const node& nd = nodes_[id];
    if (nd.left == 0) {
      for (std::size_t i = nd.begin; i < nd.end; ++i) {
        const double t = distance(i, q);
        if (t >= dist[count - 1]) continue;
        std::size_t k = count - 1;
        while (k > 0 && dist[k - 1] > t) {
          dist[k] = dist[k - 1];
          which[k] = which[k - 1];
          --k;
        }
        dist[k] = t;
        which[k] = idx_[i];
      }
      return;
    }
    const double dl = box_distance(nd.left, q), dr = box_distance(nd.right, q);
    const bool left_first = dl <= dr;
    const std::size_t a = left_first ? nd.left : nd.right;
    const std::size_t b = left_first ? nd.right : nd.left;
    const double da = left_first ? dl : dr, db = left_first ? dr : dl;
    if (da < dist[count - 1]) nearest_in(a, q, count, dist, which);
    if (db < dist[count - 1]) nearest_in(b, q, count, dist, which);
  }

  template <class F>
  void within_in(std::size_t id, const double* q, double r, F& f) const {
    if (box_distance(id, q) > r) return;
    const node& nd = nodes_[id];
    if (nd.left == 0) {
      for (std::size_t i = nd.begin; i < nd.end; ++i) {
        const double t = distance(i, q);
        if (t <= r) f(idx_[i], t);
      }
      return;
    }
    within_in(nd.left, q, r, f);
    within_in(nd.right, q, r, f);
  }

  std::size_t count_in(std::size_t id, const double* q, double r,
                       bool strict) const {
    const double near = box_distance(id, q);
    if (strict ? near >= r : near > r) return 0;
    const node& nd = nodes_[id];
    const double far = box_far(id, q);
    if (strict ? far < r : far <= r) return nd.end - nd.begin;
    if (nd.left == 0) {
      std::size_t c = 0;
      for (std::size_t i = nd.begin; i < nd.end; ++i) {
        const double t = distance(i, q);
        c += strict ? t < r : t <= r;
      }
      return c;
    }
    return count_in(nd.left, q, r, strict) + count_in(nd.right, q, r, strict);
  }
};

}  // namespace kldiv::detail
