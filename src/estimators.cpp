// k-nearest-neighbour KL estimation (Wang, Kulkarni & Verdú 2009) on
// nanoflann k-d trees or by brute force, queries spread over OpenMP threads
// (each point's distances are its own, summed in order afterwards: the same
// result for any thread count), ties by policy, seeded bootstrap intervals.
#include "kldiv/estimators.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <nanoflann.hpp>
#include <numbers>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "sample_common.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

using detail::points;

// Leaf size of the k-d trees.
constexpr std::size_t leaf_size = 48;

// One sample as nanoflann's dataset: rows of d doubles at p. After the build
// p points at a copy in the tree's leaf order (and the tree's index array is
// made the identity), so that a leaf's points are adjacent in memory.
struct flat {
  const double* p = nullptr;
  std::size_t n = 0, d = 0;
  std::vector<double> lo, hi;  // bounding box
  std::size_t kdtree_get_point_count() const { return n; }
  double kdtree_get_pt(std::size_t i, std::size_t j) const {
    return p[i * d + j];
  }
  template <class B>
  bool kdtree_get_bbox(B& b) const {
    for (std::size_t j = 0; j < d; ++j) {
      b[j].low = lo[j];
      b[j].high = hi[j];
    }
    return true;
  }
};

// nanoflann's metric (the build needs its types; the search is ours).
struct l2 {
  using ElementType = double;
  using DistanceType = double;
  const flat& f;
  explicit l2(const flat& data) : f(data) {}
  double evalMetric(const double* a, std::size_t i, std::size_t d) const {
    double s = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      const double u = a[j] - f.kdtree_get_pt(i, j);
      s += u * u;
    }
    return s;
  }
  template <class U, class V>
  double accum_dist(U a, V b, std::size_t) const {
    return (a - b) * (a - b);
  }
};

// The `cap` nearest so far, sorted, with a fixed capacity: no allocation.
class nearest_set {
 public:
  nearest_set(std::size_t* idx, double* dist2, std::size_t cap)
      : idx_(idx), dist2_(dist2), cap_(cap) {}
  double worst() const { return worst_; }
  // Keeps (d, i) if d is below the worst kept distance (or not full yet).
  void add(double d, std::size_t i) {
    if (count_ == cap_ && d >= worst_) return;
    std::size_t j = count_ < cap_ ? count_++ : cap_ - 1;
    for (; j > 0 && dist2_[j - 1] > d; --j) {
      dist2_[j] = dist2_[j - 1];
      idx_[j] = idx_[j - 1];
    }
    dist2_[j] = d;
    idx_[j] = i;
    if (count_ == cap_) worst_ = dist2_[cap_ - 1];
  }

 private:
  std::size_t* idx_;
  double* dist2_;
  std::size_t cap_, count_ = 0;
  double worst_ = std::numeric_limits<double>::max();
};

// A k-d tree whose dimension is a compile-time constant for d <= 8 (the
// search's distance loops unrolled) or run-time above. Points are known by
// their position in the tree's leaf order.
struct any_tree {
  virtual ~any_tree() = default;
  // The `count` nearest of q (count <= n), sorted: positions in idx, squared
  // distances in dist2.
  virtual void knn(const double* q, std::size_t count, std::size_t* idx,
                   double* dist2) const = 0;
  // The original index of the point at each position.
  virtual const std::vector<std::size_t>& order() const = 0;
};

template <int Dim>
struct tree_of final : any_tree {
  using index = nanoflann::KDTreeSingleIndexAdaptor<l2, flat, Dim, std::size_t>;
  flat f;
  std::vector<double> cols;  // the points in leaf order by column
  index t;
  explicit tree_of(const points& p)
      : f(view(p)),
        t(static_cast<int>(p.d), f,
          nanoflann::KDTreeSingleIndexAdaptorParams(
              leaf_size, nanoflann::KDTreeSingleIndexAdaptorFlags::
                             SkipInitialBuildIndex)) {
    t.buildIndex();
    cols.resize(p.v.size());
    for (std::size_t i = 0; i < p.n; ++i) {
      const double* r = p.row(t.vAcc[i]);
      for (std::size_t j = 0; j < p.d; ++j) cols[j * p.n + i] = r[j];
    }
  }
  static flat view(const points& p) {
    flat v;
    v.p = p.v.data();
    v.n = p.n;
    v.d = p.d;
    v.lo.assign(p.row(0), p.row(0) + p.d);
    v.hi = v.lo;
    for (std::size_t i = 1; i < p.n; ++i) {
      const double* r = p.row(i);
      for (std::size_t j = 0; j < p.d; ++j) {
        v.lo[j] = std::min(v.lo[j], r[j]);
        v.hi[j] = std::max(v.hi[j], r[j]);
      }
    }
    return v;
  }
  void knn(const double* q, std::size_t count, std::size_t* idx,
           double* dist2) const override {
    nearest_set r(idx, dist2, count);
    search(r, q);
  }
  using node = typename index::Node;
  static constexpr std::size_t dims = Dim > 0 ? Dim : 0;
  // nanoflann's exact search (findNeighbors, searchLevel) on its tree, with
  // each leaf's distances computed column by column (vectorised).
  void search(nearest_set& r, const double* q) const {
    std::array<double, dims> fixed{};
    double* off = fixed.data();
    if constexpr (Dim <= 0) {
      thread_local std::vector<double> dyn;
      dyn.assign(f.d, 0.0);
      off = dyn.data();
    }
    double mind = 0.0;
    for (std::size_t j = 0; j < f.d; ++j) {
      if (q[j] < t.root_bbox[j].low) {
        off[j] = (q[j] - t.root_bbox[j].low) * (q[j] - t.root_bbox[j].low);
        mind += off[j];
      }
      if (q[j] > t.root_bbox[j].high) {
        off[j] = (q[j] - t.root_bbox[j].high) * (q[j] - t.root_bbox[j].high);
        mind += off[j];
      }
    }
    level(r, q, t.root_node, mind, off);
  }
  void level(nearest_set& r, const double* q, const node* nd, double mind,
             double* off) const {
    if (nd->child1 == nullptr && nd->child2 == nullptr) {
      scan(r, q, nd->node_type.lr.left, nd->node_type.lr.right);
      return;
    }
    const auto j = static_cast<std::size_t>(nd->node_type.sub.divfeat);
    const double v = q[j];
    const double lo = nd->node_type.sub.divlow, hi = nd->node_type.sub.divhigh;
    const bool left = (v - lo) + (v - hi) < 0;
    const double cut = left ? (v - hi) * (v - hi) : (v - lo) * (v - lo);
    level(r, q, left ? nd->child1 : nd->child2, mind, off);
    const double old = off[j];
    mind = mind + cut - old;
    off[j] = cut;
    if (mind <= r.worst()) {
      level(r, q, left ? nd->child2 : nd->child1, mind, off);
    }
    off[j] = old;
  }
  void scan(nearest_set& r, const double* q, std::size_t lo,
            std::size_t hi) const {
    const std::size_t len = hi - lo, d = Dim > 0 ? dims : f.d;
    double acc[leaf_size];
    const double* c = cols.data() + lo;
    if constexpr (Dim > 0) {
      // (a point's sum in registers; vectorised over the points)
      for (std::size_t i = 0; i < len; ++i) {
        double s = 0.0;
        for (std::size_t j = 0; j < dims; ++j) {
          const double u = q[j] - c[j * f.n + i];
          s += u * u;
        }
        acc[i] = s;
      }
    } else {
      for (std::size_t i = 0; i < len; ++i) acc[i] = 0.0;
      for (std::size_t j = 0; j < d; ++j) {
        const double qj = q[j];
        for (std::size_t i = 0; i < len; ++i) {
          const double u = qj - c[j * f.n + i];
          acc[i] += u * u;
        }
      }
    }
    const double w = r.worst();
    for (std::size_t i = 0; i < len; ++i) {
      if (acc[i] < w) r.add(acc[i], lo + i);
    }
  }
  const std::vector<std::size_t>& order() const override { return t.vAcc; }
};

std::unique_ptr<any_tree> make_tree(const points& p) {
  switch (p.d) {
    case 1:
      return std::make_unique<tree_of<1>>(p);
    case 2:
      return std::make_unique<tree_of<2>>(p);
    case 3:
      return std::make_unique<tree_of<3>>(p);
    case 4:
      return std::make_unique<tree_of<4>>(p);
    case 5:
      return std::make_unique<tree_of<5>>(p);
    case 6:
      return std::make_unique<tree_of<6>>(p);
    case 7:
      return std::make_unique<tree_of<7>>(p);
    case 8:
      return std::make_unique<tree_of<8>>(p);
    default:
      return std::make_unique<tree_of<-1>>(p);
  }
}

// Sorted squared distances from q to its `count` nearest points of `data`
// (count <= data.n), by the tree or by brute force, into the first count
// entries of dist2 (grown as needed, never shrunk: no work per query).
class searcher {
 public:
  searcher(const points& data, bool use_tree) : data_(data) {
    if (use_tree && data.n > 0) {
      tree_ = make_tree(data);
    } else {
      identity_.resize(data.n);
      for (std::size_t i = 0; i < data.n; ++i) identity_[i] = i;
    }
  }
  void nearest(const double* q, std::size_t count,
               std::vector<std::size_t>& pos,
               std::vector<double>& dist2) const {
    if (dist2.size() < count) dist2.resize(count);
    if (tree_) {
      if (pos.size() < count) pos.resize(count);
      tree_->knn(q, count, pos.data(), dist2.data());
      return;
    }
    thread_local std::vector<double> all;
    all.resize(data_.n);
    for (std::size_t i = 0; i < data_.n; ++i) {
      double s = 0.0;
      const double* r = data_.row(i);
      for (std::size_t j = 0; j < data_.d; ++j) {
        const double t = r[j] - q[j];
        s += t * t;
      }
      all[i] = s;
    }
    std::partial_sort(all.begin(),
                      all.begin() + static_cast<std::ptrdiff_t>(count),
                      all.end());
    std::copy_n(all.begin(), count, dist2.begin());
  }
  std::size_t size() const { return data_.n; }
  /// The points in the tree's leaf order (spatially close points next to
  /// each other), or 0 .. n-1 without a tree: querying in this order keeps
  /// both trees' nodes in cache.
  const std::vector<std::size_t>& order() const {
    return tree_ ? tree_->order() : identity_;
  }

 private:
  const points& data_;
  std::unique_ptr<any_tree> tree_;
  std::vector<std::size_t> identity_;  // the order without a tree
};

// One query's neighbours (a thread's buffers, reused).
struct query_state {
  std::vector<double> dist2;     // sorted squared distances
  std::vector<std::size_t> pos;  // their positions (tree)
};

// The sorted squared distances from q to enough neighbours for every k up
// to kmax after skipping `skip` entries (and, with `distinct`, every zero):
// asks the searcher for more neighbours until there are enough. Returns the
// number of zeros at the front.
std::size_t neighbours(const searcher& s, const double* q, int kmax,
                       std::size_t skip, bool distinct, query_state& st) {
  std::size_t want = skip + static_cast<std::size_t>(kmax);
  for (;;) {
    const std::size_t count = std::min(want, s.size());
    s.nearest(q, count, st.pos, st.dist2);
    std::size_t zeros = 0;
    while (zeros < count && st.dist2[zeros] == 0.0) ++zeros;
    const std::size_t first = distinct ? std::max(zeros, skip) : skip;
    if (first + static_cast<std::size_t>(kmax) <= count) return zeros;
    if (count == s.size()) {
      throw InvalidArgument(
          "fewer than k = " + std::to_string(kmax) +
          " neighbours at a distance > 0 (the sample has too many identical "
          "points for k)");
    }
    want = std::max(want * 2, zeros + static_cast<std::size_t>(kmax) + 1);
  }
}

// The k-th distance (1-based) after the skipped entries.
double kth_distance(const query_state& st, std::size_t zeros, int k,
                    std::size_t skip, bool distinct) {
  const std::size_t first = distinct ? std::max(zeros, skip) : skip;
  return std::sqrt(st.dist2[first + static_cast<std::size_t>(k) - 1]);
}

// What is estimated: KL(P || Q) from x and y (kl_knn), or the entropy of P
// from x alone (entropy_knn, y absent). `name` prefixes every message.
struct estimand {
  const char* name;
  bool entropy;
};

// The estimates for every k on prepared points; ties counted per k. Per
// point one search among the x's (the point itself is one zero to skip)
// and, for KL, one among the y's, for every k at once.
std::vector<sample_estimate> estimate(const estimand& e, const points& x,
                                      const points& y, const knn_options& o,
                                      tie_policy ties) {
  const bool use_tree = o.search == knn_search::tree ||
                        (o.search == knn_search::automatic && x.d <= 12);
  const searcher sx(x, use_tree);
  const searcher sy(y, use_tree && !e.entropy);
  const std::size_t nk = o.k.size();
  const int kmax = *std::max_element(o.k.begin(), o.k.end());
  const std::vector<std::size_t>& order = sx.order();
  // Per point and k: log(ν/ρ) (KL) or log ε (entropy), and whether tied.
  std::vector<double> logs(x.n * nk);
  std::vector<unsigned char> tied(x.n * nk);
  const bool distinct = ties == tie_policy::distinct;
  const int wanted = o.threads > 0 ? o.threads : omp_get_max_threads();
  detail::parallel_for_each(
      x.n, x.n < 256 ? 1 : wanted, std::string(e.name) + ": ",
      [] { return std::pair<query_state, query_state>(); },
      [&](std::size_t ii, std::pair<query_state, query_state>& q) {
        auto& [bx, by] = q;
        const std::size_t i = order[ii];
        const std::size_t zx = neighbours(sx, x.row(i), kmax, 1, distinct, bx);
        const std::size_t zy =
            e.entropy ? 0 : neighbours(sy, x.row(i), kmax, 0, distinct, by);
        for (std::size_t c = 0; c < nk; ++c) {
          const int k = o.k[c];
          const double rho = kth_distance(bx, zx, k, 1, distinct);
          const double nu =
              e.entropy ? 1.0 : kth_distance(by, zy, k, 0, distinct);
          const bool zero = rho == 0.0 || nu == 0.0;
          tied[i * nk + c] = distinct ? (zx > 1 || zy > 0) : zero;
          logs[i * nk + c] = zero        ? 0.0
                             : e.entropy ? std::log(rho)
                                         : detail::log_ratio(nu, rho);
        }
      });
  std::vector<sample_estimate> out;
  const double dd = static_cast<double>(x.d);
  // Entropy: ψ(n) - ψ(k) + log V_d, with log V_d = d/2 log π - lgamma(d/2 +
  // 1); KL: log(m / (n - 1)).
  const double log_ball =
      0.5 * dd * std::log(std::numbers::pi) - std::lgamma(0.5 * dd + 1.0);
  for (std::size_t c = 0; c < nk; ++c) {
    sample_estimate r;
    r.k = o.k[c];
    r.n = x.n;
    r.m = y.n;
    r.d = x.d;
    r.tie_handling = detail::policy_name(ties);
    detail::compensated_sum s;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < x.n; ++i) {
      if (tied[i * nk + c]) ++r.ties;
      if (tied[i * nk + c] && !distinct) continue;  // exclude (or error)
      s.add(logs[i * nk + c]);
      ++kept;
    }
    if (ties == tie_policy::error && r.ties > 0) {
      throw InvalidArgument(
          std::string(e.name) + ": " + std::to_string(r.ties) + " of " +
          std::to_string(x.n) +
          " points have a zero nearest-neighbour distance at k = " +
          std::to_string(r.k) +
          " (ties: identical points); choose a tie policy: jitter, distinct "
          "or exclude");
    }
    if (kept == 0) {
      throw InvalidArgument(std::string(e.name) +
                            ": every point is tied; nothing is left to "
                            "estimate from");
    }
    const double mean_log = dd / static_cast<double>(kept) * s.value();
    r.value = e.entropy ? boost::math::digamma(static_cast<double>(x.n)) -
                              boost::math::digamma(static_cast<double>(r.k)) +
                              log_ball + mean_log
                        : mean_log + std::log(static_cast<double>(y.n) /
                                              static_cast<double>(x.n - 1));
    out.push_back(std::move(r));
  }
  return out;
}

// The checks, ties by jitter, warnings and bootstrap shared by kl_knn and
// entropy_knn (yv null for entropy).
std::vector<sample_estimate> run(const estimand& e,
                                 const matrix_view<double>& xv,
                                 const matrix_view<double>* yv,
                                 const knn_options& o) {
  const std::string name = e.name;
  if (yv && xv.cols != yv->cols) {
    throw InvalidArgument(name + ": x has " + std::to_string(xv.cols) +
                          " columns but y has " + std::to_string(yv->cols) +
                          ": the samples must have the same dimension");
  }
  if (xv.cols == 0) {
    throw InvalidArgument(name + (yv ? ": the samples have no columns"
                                     : ": the sample has no columns"));
  }
  const int kmax = detail::check_k(name, o.k);
  const auto need = static_cast<std::size_t>(kmax);
  if (yv && (xv.rows < need + 1 || yv->rows < need)) {
    throw InvalidArgument(name + ": x has " + std::to_string(xv.rows) +
                          " points and y " + std::to_string(yv->rows) +
                          ", but k = " + std::to_string(kmax) +
                          " needs at least k + 1 in x and k in y");
  }
  if (!yv && xv.rows < need + 1) {
    throw InvalidArgument(name + ": x has " + std::to_string(xv.rows) +
                          " points, but k = " + std::to_string(kmax) +
                          " needs at least k + 1");
  }
  detail::check_jitter_scale(name, o.jitter_scale);
  detail::check_interval_options(name, o.bootstrap, o.confidence);
  points x = detail::copy_points(xv, "x");
  points y = yv ? detail::copy_points(*yv, "y") : points{{}, 0, x.d};
  std::size_t jitter_ties = 0;
  tie_policy ties = o.ties;
  if (ties == tie_policy::jitter) {
    jitter_ties = detail::exact_ties(x, y);
    detail::add_jitter(x, y, o.jitter_scale, o.seed);
    ties = tie_policy::distinct;  // a tie left after jitter is skipped
  }
  auto out = estimate(e, x, y, o, ties);
  for (auto& r : out) {
    if (o.ties == tie_policy::jitter) {
      r.ties = jitter_ties;
      r.tie_handling = "jitter";
    }
    if (x.n < 100 * x.d) {
      r.warnings.push_back(
          "n = " + std::to_string(x.n) +
          " points in d = " + std::to_string(x.d) +
          ": k-NN estimates are strongly biased when n is small for d (n < "
          "100 d)");
    }
  }
  if (o.bootstrap == 0) return out;
  // Percentile interval of B resamples (rows drawn with replacement from x,
  // and from y); duplicates in a resample are skipped (distinct).
  random_stream rs(o.seed, 0xb0075);
  std::vector<std::vector<double>> values(out.size());
  for (std::size_t b = 0; b < o.bootstrap; ++b) {
    const points bx = detail::resample(x, rs);
    const points by = detail::resample(y, rs);
    std::vector<sample_estimate> r;
    try {
      r = estimate(e, bx, by, o, tie_policy::distinct);
    } catch (const InvalidArgument&) {
      throw InvalidArgument(
          name + ": bootstrap resample " + std::to_string(b + 1) +
          " has fewer than k distinct neighbours for some point: the " +
          (yv ? "samples are" : "sample is") +
          " too small or too repetitive for a bootstrap at this k");
    }
    for (std::size_t c = 0; c < r.size(); ++c) values[c].push_back(r[c].value);
  }
  for (std::size_t c = 0; c < out.size(); ++c) {
    std::tie(out[c].ci_low, out[c].ci_high) =
        detail::percentile_interval(std::move(values[c]), o.confidence);
  }
  return out;
}

}  // namespace

std::vector<sample_estimate> kl_knn(const matrix_view<double>& x,
                                    const matrix_view<double>& y,
                                    const knn_options& options) {
  return run({"kl_knn", false}, x, &y, options);
}

std::vector<sample_estimate> entropy_knn(const matrix_view<double>& x,
                                         const knn_options& options) {
  return run({"entropy_knn", true}, x, nullptr, options);
}

}  // namespace kldiv
