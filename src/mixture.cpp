// Gaussian mixtures: checks, batched log-densities (per component a
// triangular solve over a block of points, Eigen), seeded sampling, and KL
// between mixtures by Monte Carlo (fixed blocks of draws, each from its own
// stream, merged in block order), by Hershey & Olsen's approximations and by
// Durrieu, Thiran & Kelly's bounds.
#include "kldiv/mixture.hpp"

#include <omp.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "running_moments.hpp"
#include "simd/mahalanobis_kernels.hpp"

namespace kldiv {
namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;
using RowMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using detail::format_number;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kBlock = 4096;  // Monte Carlo draws per stream

// A component ready for many points: mean, lower factor L and its inverse
// (empty for a diagonal: sd instead), L^-1 μ, and log w - 1/2 (d log 2π +
// log det Σ).
struct prepared {
  Vec mean;
  Mat lower;
  Vec sd;
  Vec shift;  // L^-1 μ
  double log_norm = 0.0;
  Eigen::Index offset = -1;  // its rows in prepared_mixture::stacked
};

// Every component, and the inverse factors of the non-diagonal ones stacked
// (k d x d): one matrix product gives every component's L^-1 x for a block
// of points, the fast path where a triangular solve per component would be
// several times slower.
struct prepared_mixture {
  std::vector<prepared> comps;
  RowMat stacked;              // the inverse factors, k d x d
  std::vector<double> shifts;  // their L^-1 μ, k d
  const prepared& operator[](std::size_t a) const { return comps[a]; }
};

prepared_mixture prepare(const gaussian_mixture& f) {
  prepared_mixture out;
  const auto d = static_cast<Eigen::Index>(f.dim());
  const double log_2pi = std::log(2.0 * std::numbers::pi);
  std::vector<Mat> inverses;
  for (std::size_t a = 0; a < f.size(); ++a) {
    const auto& c = f.components()[a];
    prepared p;
    p.mean = Eigen::Map<const Vec>(c.mean().data(), d);
    if (c.kind() == multivariate_normal::form::diagonal) {
      p.sd = Eigen::Map<const Vec>(c.factor().data(), d);
    } else {
      if (c.kind() == multivariate_normal::form::full) {
        p.lower = Eigen::Map<const RowMat>(c.factor().data(), d, d);
      } else {
        const auto cov = covariance_matrix(c);
        p.lower = Eigen::LLT<Mat>(Eigen::Map<const RowMat>(cov.data(), d, d))
                      .matrixL();
      }
      Mat inv =
          p.lower.triangularView<Eigen::Lower>().solve(Mat::Identity(d, d));
      p.shift = inv * p.mean;
      p.offset = static_cast<Eigen::Index>(inverses.size()) * d;
      inverses.push_back(std::move(inv));
    }
    // entropy = d/2 (1 + log 2π) + 1/2 log det.
    const double half_log_det =
        entropy(c) - 0.5 * static_cast<double>(d) * (1.0 + log_2pi);
    p.log_norm = std::log(f.weights()[a]) -
                 0.5 * static_cast<double>(d) * log_2pi - half_log_det;
    out.comps.push_back(std::move(p));
  }
  out.stacked.resize(static_cast<Eigen::Index>(inverses.size()) * d, d);
  for (std::size_t i = 0; i < inverses.size(); ++i) {
    out.stacked.middleRows(static_cast<Eigen::Index>(i) * d, d) = inverses[i];
  }
  for (const auto& p : out.comps) {
    if (p.offset >= 0)
      out.shifts.insert(out.shifts.end(), p.shift.begin(), p.shift.end());
  }
  return out;
}

// log f at the columns of x (d x n) into out (n): every component's squared
// Mahalanobis norms by the SIMD kernel over the stacked inverse factors
// (simd/mahalanobis-inl.h), diagonal components directly, then a
// log-sum-exp over components.
void log_pdf_block(const prepared_mixture& f, const Mat& x,
                   Eigen::Ref<Vec> out) {
  const Eigen::Index n = x.cols(), d = x.rows();
  // Scratch reused across calls on this thread (blocks of 4096 points would
  // otherwise map and unmap fresh pages for every block).
  thread_local RowMat terms, norms, xr;
  terms.resize(static_cast<Eigen::Index>(f.comps.size()), n);
  if (f.stacked.rows() > 0) {
    xr = x;  // coordinate-major for the kernel
    norms.resize(f.stacked.rows() / d, n);
    detail::mahalanobis_block(f.stacked.data(), f.shifts.data(),
                              static_cast<std::size_t>(norms.rows()),
                              static_cast<std::size_t>(d), xr.data(),
                              static_cast<std::size_t>(n), norms.data());
  }
  for (std::size_t a = 0; a < f.comps.size(); ++a) {
    const auto& c = f.comps[a];
    const auto row = static_cast<Eigen::Index>(a);
    if (c.offset < 0) {
      terms.row(row) =
          (c.log_norm -
           0.5 * ((x.colwise() - c.mean).array().colwise() / c.sd.array())
                     .square()
                     .colwise()
                     .sum())
              .matrix();
    } else {
      terms.row(row) =
          (c.log_norm - 0.5 * norms.row(c.offset / d).array()).matrix();
    }
  }
  // The log-sum-exp over components, vectorised over points.
  detail::log_sum_exp_rows(terms.data(), f.comps.size(),
                           static_cast<std::size_t>(n), out.data());
}

void check_same_dim(const gaussian_mixture& f, const gaussian_mixture& g,
                    const char* what) {
  if (f.dim() != g.dim()) {
    throw InvalidArgument(std::string(what) + ": f has dimension " +
                          std::to_string(f.dim()) + " but g has " +
                          std::to_string(g.dim()));
  }
}

using moments = detail::running_moments;

// Draws n points of f from the stream into the columns of x: for each point
// a uniform (its component, by inversion of the weights' running sum) and d
// normals, in that order; then each component's points at once (μ + L Z).
void draw_block(const gaussian_mixture& f, const prepared_mixture& comps,
                random_stream& rs, std::size_t n, Mat& x) {
  const auto d = static_cast<Eigen::Index>(f.dim());
  const auto cols = static_cast<Eigen::Index>(n);
  x.resize(d, cols);
  thread_local Mat z;
  thread_local std::vector<std::vector<Eigen::Index>> members;
  z.resize(d, cols);
  const auto& w = f.weights();
  members.resize(w.size());
  for (auto& m : members) m.clear();
  for (Eigen::Index j = 0; j < cols; ++j) {
    const double u = rs.uniform();
    std::size_t a = 0;
    double acc = w[0];
    while (u >= acc && a + 1 < w.size()) acc += w[++a];
    members[a].push_back(j);
    for (Eigen::Index i = 0; i < d; ++i) z(i, j) = rs.normal();
  }
  for (std::size_t a = 0; a < w.size(); ++a) {
    if (members[a].empty()) continue;
    const auto& c = comps[a];
    const auto& idx = members[a];
    // Column by column: an indexed assignment would evaluate into a fresh
    // temporary for every block.
    if (c.offset < 0) {
      for (const auto j : idx) {
        x.col(j) = c.mean + c.sd.cwiseProduct(z.col(j));
      }
    } else {
      // μ + L z by rows of L (an Eigen product would allocate its blocking
      // workspace on every call).
      for (const auto j : idx) {
        for (Eigen::Index i = 0; i < d; ++i) {
          double v = c.mean(i);
          for (Eigen::Index t = 0; t <= i; ++t) v += c.lower(i, t) * z(t, j);
          x(i, j) = v;
        }
      }
    }
  }
}

int thread_count(int wanted, std::size_t blocks) {
  const int t = wanted > 0 ? wanted : omp_get_max_threads();
  return static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(t), blocks));
}

// Σ_blocks of (log a(x) - log m(x)) for x ~ src, where m is given by the
// callback: returns the merged moments. Each block has its own stream
// (seed, stream_offset + block).
template <class Fn>
moments monte_carlo_moments(const gaussian_mixture& src, const gmm_options& o,
                            std::uint64_t offset, const Fn& log_ratio) {
  const std::size_t blocks = (o.samples + kBlock - 1) / kBlock;
  const auto comps = prepare(src);
  std::vector<moments> parts(blocks);
  const int t = thread_count(o.threads, blocks);
  const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel num_threads(t) if (t > 1)
  {
    Mat x;
    Vec r;
#pragma omp for schedule(dynamic, 1)
    for (std::ptrdiff_t b = 0; b < nb; ++b) {
      const auto block = static_cast<std::size_t>(b);
      const std::size_t n = std::min(kBlock, o.samples - block * kBlock);
      random_stream rs(o.seed, offset + block);
      draw_block(src, comps, rs, n, x);
      r.resize(static_cast<Eigen::Index>(n));
      log_ratio(x, r);
      for (std::size_t j = 0; j < n; ++j) {
        parts[block].add(r(static_cast<Eigen::Index>(j)));
      }
    }
  }
  moments total;
  for (const auto& p : parts) total.merge(p);
  return total;
}

// Pairwise Gaussian quantities between the components of f and g.
double gauss_kl(const multivariate_normal& a, const multivariate_normal& b) {
  return kldiv::kl(a, b);
}

// log z_ab = log ∫ f_a g_b = log N(μa; μb, Σa + Σb).
double log_overlap(const multivariate_normal& a, const multivariate_normal& b) {
  const std::size_t d = a.dim();
  auto ca = covariance_matrix(a);
  const auto cb = covariance_matrix(b);
  for (std::size_t i = 0; i < ca.size(); ++i) ca[i] += cb[i];
  const auto sum = multivariate_normal::full(
      b.mean(), matrix_view<double>::dense(ca.data(), d, d));
  return log_pdf(sum, a.mean());
}

double log_sum_exp(const std::vector<double>& v) {
  double m = -kInf;
  for (double x : v) m = std::max(m, x);
  if (m == -kInf) return -kInf;
  double s = 0.0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

// Σ_a ω_a log Σ_b π_b e^{t(a, b)} for a matrix of exponents t.
template <class T>
double weighted_lse(const gaussian_mixture& f, const gaussian_mixture& g,
                    const T& t) {
  double total = 0.0;
  std::vector<double> row(g.size());
  for (std::size_t a = 0; a < f.size(); ++a) {
    if (f.weights()[a] == 0.0) continue;
    for (std::size_t b = 0; b < g.size(); ++b) {
      row[b] = std::log(g.weights()[b]) + t(a, b);
    }
    total += f.weights()[a] * log_sum_exp(row);
  }
  return total;
}

double entropy_term(const gaussian_mixture& f) {
  double h = 0.0;
  for (std::size_t a = 0; a < f.size(); ++a) {
    h += f.weights()[a] * entropy(f.components()[a]);
  }
  return h;
}

const char* kind_of(gmm_method m) {
  switch (m) {
    case gmm_method::monte_carlo:
      return "estimate";
    case gmm_method::lower_bound:
      return "lower bound";
    case gmm_method::upper_bound:
    case gmm_method::variational_upper:
      return "upper bound";
    default:
      return "approximation";
  }
}

double unscented(const gaussian_mixture& f, const gaussian_mixture& g) {
  const auto fc = prepare(f), gc = prepare(g);
  const auto d = static_cast<Eigen::Index>(f.dim());
  const double root_d = std::sqrt(static_cast<double>(d));
  double total = 0.0;
  Mat x(d, 2 * d);
  Vec lf(2 * d), lg(2 * d);
  for (std::size_t a = 0; a < f.size(); ++a) {
    if (f.weights()[a] == 0.0) continue;
    const auto& c = fc[a];
    for (Eigen::Index k = 0; k < d; ++k) {
      // μ_a ± sqrt(d) times the k-th column of the lower factor.
      x.col(2 * k) = c.mean;
      x.col(2 * k + 1) = c.mean;
      if (c.lower.size() == 0) {
        x(k, 2 * k) += root_d * c.sd(k);
        x(k, 2 * k + 1) -= root_d * c.sd(k);
      } else {
        x.col(2 * k) += root_d * c.lower.col(k);
        x.col(2 * k + 1) -= root_d * c.lower.col(k);
      }
    }
    log_pdf_block(fc, x, lf);
    log_pdf_block(gc, x, lg);
    total += f.weights()[a] * (lf - lg).sum() / (2.0 * static_cast<double>(d));
  }
  return total;
}

double variational_upper(const gaussian_mixture& f, const gaussian_mixture& g,
                         const gmm_options& o) {
  const std::size_t ka = f.size(), kb = g.size();
  Mat dkl(static_cast<Eigen::Index>(ka), static_cast<Eigen::Index>(kb));
  for (std::size_t a = 0; a < ka; ++a) {
    for (std::size_t b = 0; b < kb; ++b) {
      dkl(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) =
          gauss_kl(f.components()[a], g.components()[b]);
    }
  }
  Mat phi(dkl.rows(), dkl.cols()), psi(dkl.rows(), dkl.cols());
  for (Eigen::Index a = 0; a < phi.rows(); ++a) {
    for (Eigen::Index b = 0; b < phi.cols(); ++b) {
      phi(a, b) = psi(a, b) = f.weights()[static_cast<std::size_t>(a)] *
                              g.weights()[static_cast<std::size_t>(b)];
    }
  }
  const auto value = [&] {
    double v = 0.0;
    for (Eigen::Index a = 0; a < phi.rows(); ++a) {
      for (Eigen::Index b = 0; b < phi.cols(); ++b) {
        if (phi(a, b) > 0.0) {
          v += phi(a, b) * (std::log(phi(a, b) / psi(a, b)) + dkl(a, b));
        }
      }
    }
    return v;
  };
  double last = value();
  for (int it = 0; it < o.max_iterations; ++it) {
    // φ_ab = ω_a ψ_ab e^{-D_ab} / Σ_b' ψ_ab' e^{-D_ab'} (by a row max).
    for (Eigen::Index a = 0; a < phi.rows(); ++a) {
      const double wa = f.weights()[static_cast<std::size_t>(a)];
      if (wa == 0.0) {  // a component without weight takes no mass
        phi.row(a).setZero();
        continue;
      }
      double m = -kInf;
      for (Eigen::Index b = 0; b < phi.cols(); ++b) {
        if (psi(a, b) > 0.0) m = std::max(m, std::log(psi(a, b)) - dkl(a, b));
      }
      double s = 0.0;
      for (Eigen::Index b = 0; b < phi.cols(); ++b) {
        const double e = psi(a, b) > 0.0
                             ? std::exp(std::log(psi(a, b)) - dkl(a, b) - m)
                             : 0.0;
        phi(a, b) = e;
        s += e;
      }
      for (Eigen::Index b = 0; b < phi.cols(); ++b) phi(a, b) *= wa / s;
    }
    // ψ_ab = π_b φ_ab / Σ_a' φ_a'b.
    for (Eigen::Index b = 0; b < phi.cols(); ++b) {
      const double s = phi.col(b).sum();
      const double pb = g.weights()[static_cast<std::size_t>(b)];
      for (Eigen::Index a = 0; a < phi.rows(); ++a) {
        psi(a, b) = s > 0.0 ? pb * phi(a, b) / s : 0.0;
      }
    }
    const double v = value();
    const bool done = std::fabs(last - v) < o.tolerance;
    last = v;
    if (done) break;
  }
  return last;
}

double deterministic(const gaussian_mixture& f, const gaussian_mixture& g,
                     gmm_method m, const gmm_options& o) {
  const auto& fc = f.components();
  const auto& gc = g.components();
  const auto neg_kl_ff = [&](std::size_t a, std::size_t b) {
    return -gauss_kl(fc[a], fc[b]);
  };
  const auto neg_kl_fg = [&](std::size_t a, std::size_t b) {
    return -gauss_kl(fc[a], gc[b]);
  };
  const auto z_ff = [&](std::size_t a, std::size_t b) {
    return log_overlap(fc[a], fc[b]);
  };
  const auto z_fg = [&](std::size_t a, std::size_t b) {
    return log_overlap(fc[a], gc[b]);
  };
  switch (m) {
    case gmm_method::unscented:
      return unscented(f, g);
    case gmm_method::gaussian:
      return kldiv::kl(moment_match(f), moment_match(g));
    case gmm_method::product:
      return weighted_lse(f, f, z_ff) - weighted_lse(f, g, z_fg);
    case gmm_method::matched_bound: {
      double total = 0.0;
      for (std::size_t a = 0; a < f.size(); ++a) {
        if (f.weights()[a] == 0.0) continue;
        double best = kInf, best_value = 0.0;
        for (std::size_t b = 0; b < g.size(); ++b) {
          const double k = gauss_kl(fc[a], gc[b]);
          const double score = k - std::log(g.weights()[b]);
          if (score < best) {
            best = score;
            best_value = k + std::log(f.weights()[a] / g.weights()[b]);
          }
        }
        total += f.weights()[a] * best_value;
      }
      return total;
    }
    case gmm_method::variational:
      return weighted_lse(f, f, neg_kl_ff) - weighted_lse(f, g, neg_kl_fg);
    case gmm_method::variational_upper:
      return variational_upper(f, g, o);
    case gmm_method::lower_bound:
      return weighted_lse(f, f, neg_kl_ff) - entropy_term(f) -
             weighted_lse(f, g, z_fg);
    case gmm_method::upper_bound:
      return weighted_lse(f, f, z_ff) - weighted_lse(f, g, neg_kl_fg) +
             entropy_term(f);
    case gmm_method::monte_carlo:
      break;
  }
  return 0.0;
}

}  // namespace

gaussian_mixture::gaussian_mixture(std::vector<double> weights,
                                   std::vector<multivariate_normal> components)
    : weights_(std::move(weights)), components_(std::move(components)) {
  if (components_.empty()) {
    throw InvalidArgument("gaussian_mixture: no components");
  }
  if (weights_.size() != components_.size()) {
    throw InvalidArgument(
        "gaussian_mixture: " + std::to_string(weights_.size()) +
        " weights for " + std::to_string(components_.size()) + " components");
  }
  double sum = 0.0;
  for (std::size_t a = 0; a < weights_.size(); ++a) {
    const double w = weights_[a];
    if (!(w >= 0.0 && w <= 1.0)) {
      throw InvalidArgument("gaussian_mixture: weights[" + std::to_string(a) +
                            "] = " + format_number(w) +
                            ", but must be in [0, 1]");
    }
    sum += w;
    if (components_[a].dim() != components_[0].dim()) {
      throw InvalidArgument(
          "gaussian_mixture: component " + std::to_string(a) +
          " has dimension " + std::to_string(components_[a].dim()) +
          " but component 0 has " + std::to_string(components_[0].dim()));
    }
  }
  if (!(std::fabs(sum - 1.0) <= 1e-6)) {
    throw InvalidArgument("gaussian_mixture: the weights sum to " +
                          format_number(sum) +
                          ", but must sum to 1 (within "
                          "1e-6)");
  }
  for (auto& w : weights_) w /= sum;
}

namespace {

std::vector<double> row(const matrix_view<double>& m, std::size_t r) {
  std::vector<double> v(m.cols);
  for (std::size_t c = 0; c < m.cols; ++c) v[c] = m(r, c);
  return v;
}

void check_rows(const matrix_view<double>& m, std::size_t k, const char* what) {
  if (m.rows != k) {
    throw InvalidArgument("gaussian_mixture: " + std::to_string(k) +
                          " weights but " + std::to_string(m.rows) + " " +
                          what);
  }
}

}  // namespace

gaussian_mixture gaussian_mixture::full(std::vector<double> weights,
                                        const matrix_view<double>& means,
                                        const matrix_view<double>& covs) {
  const std::size_t k = weights.size(), d = means.cols;
  check_rows(means, k, "rows of means");
  check_rows(covs, k, "covariances");
  if (covs.cols != d * d) {
    throw InvalidArgument("gaussian_mixture: each covariance has " +
                          std::to_string(covs.cols) + " entries, but " +
                          std::to_string(d) + " x " + std::to_string(d) +
                          " are needed");
  }
  std::vector<multivariate_normal> comps;
  for (std::size_t a = 0; a < k; ++a) {
    const auto c = row(covs, a);
    try {
      comps.push_back(multivariate_normal::full(
          row(means, a), matrix_view<double>::dense(c.data(), d, d)));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("gaussian_mixture: component " + std::to_string(a) +
                            ": " + e.what());
    }
  }
  return {std::move(weights), std::move(comps)};
}

gaussian_mixture gaussian_mixture::diagonal(
    std::vector<double> weights, const matrix_view<double>& means,
    const matrix_view<double>& variances) {
  const std::size_t k = weights.size();
  check_rows(means, k, "rows of means");
  check_rows(variances, k, "rows of variances");
  std::vector<multivariate_normal> comps;
  for (std::size_t a = 0; a < k; ++a) {
    try {
      comps.push_back(
          multivariate_normal::diagonal(row(means, a), row(variances, a)));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("gaussian_mixture: component " + std::to_string(a) +
                            ": " + e.what());
    }
  }
  return {std::move(weights), std::move(comps)};
}

double log_pdf(const gaussian_mixture& f, std::span<const double> x) {
  if (x.size() != f.dim()) {
    throw InvalidArgument("gaussian_mixture: x has " +
                          std::to_string(x.size()) + " entries for dimension " +
                          std::to_string(f.dim()));
  }
  const auto comps = prepare(f);
  Mat m = Eigen::Map<const Vec>(x.data(), static_cast<Eigen::Index>(x.size()));
  Vec out(1);
  log_pdf_block(comps, m, out);
  return out(0);
}

void log_pdf(const gaussian_mixture& f, const matrix_view<double>& x,
             std::span<double> out, int threads) {
  if (x.cols != f.dim() || out.size() != x.rows) {
    throw InvalidArgument("gaussian_mixture: x is " + std::to_string(x.rows) +
                          " x " + std::to_string(x.cols) + " and out has " +
                          std::to_string(out.size()) +
                          " entries, for dimension " + std::to_string(f.dim()));
  }
  const auto comps = prepare(f);
  const std::size_t blocks = (x.rows + kBlock - 1) / kBlock;
  const int t = thread_count(threads, blocks);
  const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel num_threads(t) if (t > 1)
  {
    Mat pts;
    Vec r;
#pragma omp for schedule(static)
    for (std::ptrdiff_t b = 0; b < nb; ++b) {
      const std::size_t r0 = static_cast<std::size_t>(b) * kBlock;
      const std::size_t n = std::min(kBlock, x.rows - r0);
      pts.resize(static_cast<Eigen::Index>(f.dim()),
                 static_cast<Eigen::Index>(n));
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < f.dim(); ++i) {
          pts(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
              x(r0 + j, i);
        }
      }
      r.resize(static_cast<Eigen::Index>(n));
      log_pdf_block(comps, pts, r);
      for (std::size_t j = 0; j < n; ++j) {
        out[r0 + j] = r(static_cast<Eigen::Index>(j));
      }
    }
  }
}

std::vector<double> sample(const gaussian_mixture& f, random_stream& r) {
  return sample(f, r, 1);
}

std::vector<double> sample(const gaussian_mixture& f, random_stream& r,
                           std::size_t n) {
  const auto comps = prepare(f);
  std::vector<double> out(n * f.dim());
  Mat x;  // d x block, column-major: each column is one draw's row
  for (std::size_t first = 0; first < n; first += kBlock) {
    const std::size_t count = std::min(kBlock, n - first);
    draw_block(f, comps, r, count, x);
    std::copy(x.data(), x.data() + x.size(), out.data() + first * f.dim());
  }
  return out;
}

multivariate_normal moment_match(const gaussian_mixture& f) {
  const auto d = static_cast<Eigen::Index>(f.dim());
  Vec mean = Vec::Zero(d);
  Mat second = Mat::Zero(d, d);
  for (std::size_t a = 0; a < f.size(); ++a) {
    const auto& c = f.components()[a];
    const Eigen::Map<const Vec> mu(c.mean().data(), d);
    const auto cov = covariance_matrix(c);
    const double w = f.weights()[a];
    mean += w * mu;
    second += w * (Mat(Eigen::Map<const RowMat>(cov.data(), d, d)) +
                   mu * mu.transpose());
  }
  // Σ w (Σ_a + μ_a μ_a^T) - μ μ^T, symmetrised.
  Mat cov = second - mean * mean.transpose();
  cov = 0.5 * (cov + cov.transpose());
  std::vector<double> flat(static_cast<std::size_t>(d * d));
  Eigen::Map<RowMat>(flat.data(), d, d) = cov;
  return multivariate_normal::full(
      {mean.data(), mean.data() + d},
      matrix_view<double>::dense(flat.data(), static_cast<std::size_t>(d),
                                 static_cast<std::size_t>(d)));
}

std::string_view gmm_method_name(gmm_method m) {
  switch (m) {
    case gmm_method::monte_carlo:
      return "monte_carlo";
    case gmm_method::unscented:
      return "unscented";
    case gmm_method::gaussian:
      return "gaussian";
    case gmm_method::product:
      return "product";
    case gmm_method::matched_bound:
      return "matched_bound";
    case gmm_method::variational:
      return "variational";
    case gmm_method::variational_upper:
      return "variational_upper";
    case gmm_method::lower_bound:
      return "lower_bound";
    case gmm_method::upper_bound:
      return "upper_bound";
  }
  return "";
}

const std::vector<gmm_method>& gmm_methods() {
  static const std::vector<gmm_method> all = {
      gmm_method::monte_carlo,       gmm_method::unscented,
      gmm_method::gaussian,          gmm_method::product,
      gmm_method::matched_bound,     gmm_method::variational,
      gmm_method::variational_upper, gmm_method::lower_bound,
      gmm_method::upper_bound};
  return all;
}

gmm_method gmm_method_named(std::string_view name) {
  std::string names;
  for (const auto m : gmm_methods()) {
    if (gmm_method_name(m) == name) return m;
    names += (names.empty() ? "" : ", ") + std::string(gmm_method_name(m));
  }
  throw InvalidArgument("unknown method '" + std::string(name) +
                        "': choose one of " + names);
}

gmm_result kl(const gaussian_mixture& f, const gaussian_mixture& g,
              gmm_method method, const gmm_options& o) {
  check_same_dim(f, g, "kl(gaussian_mixture, gaussian_mixture)");
  const auto start = std::chrono::steady_clock::now();
  gmm_result r;
  r.method = method;
  r.kind = kind_of(method);
  if (method == gmm_method::monte_carlo) {
    if (o.samples < 2) {
      throw InvalidArgument("monte_carlo: samples = " +
                            std::to_string(o.samples) + ", but must be >= 2");
    }
    const auto fc = prepare(f), gc = prepare(g);
    const auto total =
        monte_carlo_moments(f, o, 0, [&](const Mat& x, Vec& out) {
          thread_local Vec lg;
          lg.resize(x.cols());
          log_pdf_block(fc, x, out);
          log_pdf_block(gc, x, lg);
          out -= lg;
        });
    r.value = total.mean;
    r.standard_error = total.standard_error();
    r.samples = o.samples;
  } else {
    r.value = deterministic(f, g, method, o);
    if (f.size() == 1 && g.size() == 1 &&
        (method == gmm_method::unscented || method == gmm_method::gaussian ||
         method == gmm_method::matched_bound ||
         method == gmm_method::variational ||
         method == gmm_method::variational_upper)) {
      r.kind = "exact";
    }
  }
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return r;
}

std::vector<gmm_result> kl_summary(const gaussian_mixture& f,
                                   const gaussian_mixture& g,
                                   const gmm_options& o) {
  std::vector<gmm_result> out;
  for (const auto m : gmm_methods()) out.push_back(kl(f, g, m, o));
  return out;
}

gmm_result js_monte_carlo(const gaussian_mixture& f, const gaussian_mixture& g,
                          const gmm_options& o) {
  check_same_dim(f, g, "js_monte_carlo(gaussian_mixture, gaussian_mixture)");
  if (o.samples < 2) {
    throw InvalidArgument("monte_carlo: samples = " +
                          std::to_string(o.samples) + ", but must be >= 2");
  }
  const auto start = std::chrono::steady_clock::now();
  const auto fc = prepare(f), gc = prepare(g);
  // log m = log(e^{log f} + e^{log g}) - log 2, pointwise.
  const auto half = [&](bool from_f) {
    return [&, from_f](const Mat& x, Vec& out) {
      Vec lf(x.cols()), lg(x.cols());
      log_pdf_block(fc, x, lf);
      log_pdf_block(gc, x, lg);
      // log a - log m with δ = log b - log a: -log((1 + e^δ)/2) =
      // -log1p(expm1(δ)/2), exactly 0 where the densities agree.
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const double delta = from_f ? lg(j) - lf(j) : lf(j) - lg(j);
        out(j) = delta > 30.0
                     ? std::log(2.0) - delta - std::log1p(std::exp(-delta))
                     : -std::log1p(0.5 * std::expm1(delta));
      }
    };
  };
  const std::size_t blocks = (o.samples + kBlock - 1) / kBlock;
  const auto a = monte_carlo_moments(f, o, 0, half(true));
  const auto b = monte_carlo_moments(g, o, blocks, half(false));
  gmm_result r;
  r.method = gmm_method::monte_carlo;
  r.kind = "estimate";
  r.value = 0.5 * (a.mean + b.mean);
  r.standard_error = 0.5 * std::sqrt(a.mean_variance() + b.mean_variance());
  r.samples = o.samples;
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return r;
}

}  // namespace kldiv
