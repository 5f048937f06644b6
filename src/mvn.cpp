// The multivariate normal: Cholesky factors (Eigen), triangular solves and
// log-determinants from the factors' diagonals; never an explicit inverse or
// determinant. Two diagonal forms take the batched per-component kernel.
#include <omp.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;
using RowMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using detail::format_number;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr const char* kName = "multivariate_normal";

Eigen::Map<const Vec> mean_of(const multivariate_normal& m) {
  return {m.mean().data(), static_cast<Eigen::Index>(m.dim())};
}

Eigen::Map<const RowMat> low_rank_w(const multivariate_normal& m) {
  return {m.factor().data(), static_cast<Eigen::Index>(m.dim()),
          static_cast<Eigen::Index>(m.rank())};
}

Mat covariance(const multivariate_normal& m);

// The lower Cholesky factor as a dense matrix (diagonal and low-rank forms
// expanded: only where a full form is involved).
Mat dense_factor(const multivariate_normal& m) {
  const auto d = static_cast<Eigen::Index>(m.dim());
  switch (m.kind()) {
    case multivariate_normal::form::diagonal:
      return Eigen::Map<const Vec>(m.factor().data(), d).asDiagonal();
    case multivariate_normal::form::low_rank: {
      // W W^T + D is positive definite (D > 0): the factorisation succeeds.
      Eigen::LLT<Mat> llt(covariance(m));
      return llt.matrixL();
    }
    case multivariate_normal::form::full:
      break;
  }
  return Eigen::Map<const RowMat>(m.factor().data(), d, d);
}

Mat covariance(const multivariate_normal& m) {
  if (m.kind() == multivariate_normal::form::low_rank) {
    const auto w = low_rank_w(m);
    Mat c = w * w.transpose();
    for (std::size_t i = 0; i < m.dim(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      c(k, k) += m.diag()[i];
    }
    return c;
  }
  const Mat l = dense_factor(m);
  return l * l.transpose();
}

// A diagonal or low-rank covariance as D + W W^T with the Cholesky factor Lc
// of the capacitance I + W^T D^-1 W (W has no columns for a diagonal form):
// the Woodbury identity Σ^-1 = D^-1 - D^-1 W C^-1 W^T D^-1 and the matrix
// determinant lemma log det Σ = log det D + log det C, in O(d r^2).
struct woodbury {
  Vec d;   // the diagonal part's variances
  Mat w;   // d x r
  Mat lc;  // r x r, lower

  explicit woodbury(const multivariate_normal& m) {
    const auto n = static_cast<Eigen::Index>(m.dim());
    if (m.kind() == multivariate_normal::form::diagonal) {
      d = Eigen::Map<const Vec>(m.factor().data(), n).array().square();
      w = Mat(n, 0);
      lc = Mat(0, 0);
    } else {
      d = Eigen::Map<const Vec>(m.diag().data(), n);
      w = low_rank_w(m);
      const auto r = static_cast<Eigen::Index>(m.rank());
      lc = Eigen::Map<const RowMat>(m.capacitance().data(), r, r);
    }
  }
  // Lc^-1 W^T D^-1 X for X with d rows.
  Mat reduce(const Mat& x) const {
    if (w.cols() == 0) return Mat(0, x.cols());
    const Mat t = w.transpose() * (d.cwiseInverse().asDiagonal() * x);
    return lc.triangularView<Eigen::Lower>().solve(t);
  }
  // Lc^-1 W^T D^-1 diag(s): r x d, no d x d matrix.
  Mat reduce_diag(const Vec& s) const {
    if (w.cols() == 0) return Mat(0, s.size());
    const Mat t = w.transpose() * s.cwiseQuotient(d).asDiagonal();
    return lc.triangularView<Eigen::Lower>().solve(t);
  }
  // v^T Σ^-1 v.
  double inv_quad(const Vec& v) const {
    return (v.array().square() / d.array()).sum() - reduce(v).squaredNorm();
  }
};

bool structured(const multivariate_normal& m) {
  return m.kind() != multivariate_normal::form::full;
}

// log det Σ = 2 Σ log L_ii; low rank: Σ log D_i + 2 Σ log Lc_ii.
double log_det(const multivariate_normal& m) {
  const std::size_t d = m.dim();
  double s = 0.0;
  if (m.kind() == multivariate_normal::form::low_rank) {
    for (double v : m.diag()) s += std::log(v);
    const std::size_t r = m.rank();
    for (std::size_t i = 0; i < r; ++i) {
      s += 2.0 * std::log(m.capacitance()[i * r + i]);
    }
    return s;
  }
  for (std::size_t i = 0; i < d; ++i) {
    const double v = m.kind() == multivariate_normal::form::diagonal
                         ? m.factor()[i]
                         : m.factor()[i * d + i];
    s += std::log(v);
  }
  return 2.0 * s;
}

void check_dims(const multivariate_normal& p, const multivariate_normal& q,
                const char* what) {
  if (p.dim() != q.dim()) {
    throw InvalidArgument(std::string(what) + ": p has dimension " +
                          std::to_string(p.dim()) + " but q has " +
                          std::to_string(q.dim()));
  }
}

bool both_diagonal(const multivariate_normal& p, const multivariate_normal& q) {
  return p.kind() == multivariate_normal::form::diagonal &&
         q.kind() == multivariate_normal::form::diagonal;
}

void check_mean(const std::vector<double>& mean) {
  if (mean.empty()) {
    throw InvalidArgument(std::string(kName) +
                          ": the mean is empty (dimension 0)");
  }
  for (std::size_t i = 0; i < mean.size(); ++i) {
    if (!std::isfinite(mean[i])) {
      throw InvalidArgument(std::string(kName) + ": mean[" + std::to_string(i) +
                            "] = " + format_number(mean[i]) +
                            ", but must be finite");
    }
  }
}

// A Cholesky factor of `a` (lower triangle read) or the message naming the
// first leading minor that is not positive.
Mat cholesky_or_throw(const Mat& a, const char* what) {
  Eigen::LLT<Mat> llt(a);
  if (llt.info() == Eigen::Success) {
    Mat l = llt.matrixL();
    bool ok = true;
    for (Eigen::Index i = 0; i < l.rows(); ++i) ok = ok && l(i, i) > 0.0;
    if (ok) return l;
  }
  // Find the leading minor that fails, for the message.
  const Eigen::Index d = a.rows();
  Mat l = Mat::Zero(d, d);
  for (Eigen::Index j = 0; j < d; ++j) {
    double s = a(j, j);
    for (Eigen::Index k = 0; k < j; ++k) s -= l(j, k) * l(j, k);
    if (!(s > 0.0)) {
      throw InvalidArgument(std::string(what) +
                            " is not positive definite: its leading minor of "
                            "order " +
                            std::to_string(j + 1) + " is not > 0 (pivot " +
                            format_number(s) + "; kldiv adds no jitter)");
    }
    l(j, j) = std::sqrt(s);
    for (Eigen::Index i = j + 1; i < d; ++i) {
      double t = a(i, j);
      for (Eigen::Index k = 0; k < j; ++k) t -= l(i, k) * l(j, k);
      l(i, j) = t / l(j, j);
    }
  }
  throw InvalidArgument(std::string(what) + " is not positive definite");
}

}  // namespace

multivariate_normal::multivariate_normal(std::vector<double> mean,
                                         std::vector<double> factor, form f)
    : mean_(std::move(mean)), factor_(std::move(factor)), form_(f) {}

multivariate_normal multivariate_normal::full(std::vector<double> mean,
                                              const matrix_view<double>& cov) {
  check_mean(mean);
  const std::size_t d = mean.size();
  if (cov.rows != d || cov.cols != d) {
    throw InvalidArgument(std::string(kName) + ": the covariance is " +
                          std::to_string(cov.rows) + " x " +
                          std::to_string(cov.cols) + ", but the mean has " +
                          std::to_string(d) + " entries");
  }
  Mat a(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      const double v = cov(i, j);
      if (!std::isfinite(v)) {
        throw InvalidArgument(std::string(kName) + ": covariance[" +
                              std::to_string(i) + ", " + std::to_string(j) +
                              "] = " + format_number(v) +
                              ", but must be finite");
      }
      a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
      a(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = v;
    }
  }
  const Mat l = cholesky_or_throw(a, "multivariate_normal: the covariance");
  std::vector<double> factor(d * d);
  Eigen::Map<RowMat>(factor.data(), static_cast<Eigen::Index>(d),
                     static_cast<Eigen::Index>(d)) = l;
  return {std::move(mean), std::move(factor), form::full};
}

multivariate_normal multivariate_normal::diagonal(
    std::vector<double> mean, std::vector<double> variances) {
  check_mean(mean);
  if (variances.size() != mean.size()) {
    throw InvalidArgument(
        std::string(kName) + ": " + std::to_string(variances.size()) +
        " variances for a mean of " + std::to_string(mean.size()) + " entries");
  }
  for (std::size_t i = 0; i < variances.size(); ++i) {
    const double v = variances[i];
    if (!(v > 0.0 && v < kInf)) {
      throw InvalidArgument(std::string(kName) + ": variances[" +
                            std::to_string(i) + "] = " + format_number(v) +
                            ", but must be > 0 and finite");
    }
    variances[i] = std::sqrt(v);
  }
  return {std::move(mean), std::move(variances), form::diagonal};
}

multivariate_normal multivariate_normal::low_rank(
    std::vector<double> mean, const matrix_view<double>& factor,
    std::vector<double> diag) {
  check_mean(mean);
  const std::size_t d = mean.size();
  if (factor.rows != d || factor.cols == 0) {
    throw InvalidArgument(std::string(kName) + ": the covariance factor W is " +
                          std::to_string(factor.rows) + " x " +
                          std::to_string(factor.cols) + ", but must be " +
                          std::to_string(d) + " x r with r >= 1");
  }
  if (diag.size() != d) {
    throw InvalidArgument(
        std::string(kName) + ": " + std::to_string(diag.size()) +
        " diagonal variances for a mean of " + std::to_string(d) + " entries");
  }
  for (std::size_t i = 0; i < d; ++i) {
    if (!(diag[i] > 0.0 && diag[i] < kInf)) {
      throw InvalidArgument(std::string(kName) + ": diag[" + std::to_string(i) +
                            "] = " + format_number(diag[i]) +
                            ", but must be > 0 and finite");
    }
  }
  const std::size_t r = factor.cols;
  std::vector<double> w(d * r);
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t j = 0; j < r; ++j) {
      const double v = factor(i, j);
      if (!std::isfinite(v)) {
        throw InvalidArgument(std::string(kName) + ": factor[" +
                              std::to_string(i) + ", " + std::to_string(j) +
                              "] = " + format_number(v) +
                              ", but must be finite");
      }
      w[i * r + j] = v;
    }
  }
  const auto ri = static_cast<Eigen::Index>(r);
  const Eigen::Map<const RowMat> wm(w.data(), static_cast<Eigen::Index>(d), ri);
  const Vec inv_sd =
      Eigen::Map<const Vec>(diag.data(), static_cast<Eigen::Index>(d))
          .cwiseSqrt()
          .cwiseInverse();
  const Mat scaled = inv_sd.asDiagonal() * wm;
  const Mat c = Mat::Identity(ri, ri) + scaled.transpose() * scaled;
  const Mat lc = Eigen::LLT<Mat>(c).matrixL();
  std::vector<double> cap(r * r);
  Eigen::Map<RowMat>(cap.data(), ri, ri) = lc;
  multivariate_normal m(std::move(mean), std::move(w), form::low_rank);
  m.rank_ = r;
  m.diag_ = std::move(diag);
  m.capacitance_ = std::move(cap);
  return m;
}

namespace {

// KL between diagonal and low-rank forms by the Woodbury identity, O(d r^2):
// tr(Σq^-1 Σp) = Σ Dp/Dq - ||Lc^-1 Wq^T Dq^-1 Dp^1/2||_F^2
//              + ||Dq^-1/2 Wp||_F^2 - ||Lc^-1 Wq^T Dq^-1 Wp||_F^2,
// log det Σ = Σ log D + 2 Σ log Lc_ii. The d-sized parts pair up as
// Σ (Dp/Dq - 1 - log(Dp/Dq)), every term >= 0 and none cancelling another,
// so only the rank-sized parts are left to cancel.
double kl_structured(const multivariate_normal& p,
                     const multivariate_normal& q) {
  const woodbury a(p), b(q);
  detail::compensated_sum diag;
  for (Eigen::Index i = 0; i < a.d.size(); ++i) {
    diag.add(detail::gkl_term(b.d(i), a.d(i)) / b.d(i));
  }
  double low = -b.reduce_diag(a.d.cwiseSqrt()).squaredNorm();
  if (a.w.cols() > 0) {
    low += (b.d.cwiseSqrt().cwiseInverse().asDiagonal() * a.w).squaredNorm();
    low -= b.reduce(a.w).squaredNorm();
  }
  double log_c = 0.0;
  for (Eigen::Index i = 0; i < b.lc.rows(); ++i) log_c += std::log(b.lc(i, i));
  for (Eigen::Index i = 0; i < a.lc.rows(); ++i) log_c -= std::log(a.lc(i, i));
  const double maha = b.inv_quad(mean_of(q) - mean_of(p));
  return 0.5 * (diag.value() + low + maha) + log_c;
}

double kl_dense(const multivariate_normal& p, const multivariate_normal& q);

}  // namespace

double kl(const multivariate_normal& p, const multivariate_normal& q) {
  check_dims(p, q, "kl(multivariate_normal, multivariate_normal)");
  if (both_diagonal(p, q)) {
    // Component by component, each KL by the batched kernel (nearly equal
    // components keep their digits), summed.
    std::vector<double> out(p.dim());
    kl_normal(p.mean(), p.factor(), q.mean(), q.factor(), out, 1);
    double s = 0.0;
    for (double v : out) s += v;
    return s;
  }
  if (structured(p) && structured(q)) {
    const double value = kl_structured(p, q);
    // Where it would cancel, the dense path below takes KL from eigenvalues
    // (while d x d matrices stay small).
    if (value > 1e-6 * static_cast<double>(p.dim()) || p.dim() > 2048) {
      return std::max(value, 0.0);
    }
  }
  return kl_dense(p, q);
}

namespace {

double kl_dense(const multivariate_normal& p, const multivariate_normal& q) {
  const Mat lp = dense_factor(p), lq = dense_factor(q);
  const auto lower = lq.triangularView<Eigen::Lower>();
  const Mat m = lower.solve(lp);                       // Lq^-1 Lp
  const Vec z = lower.solve(mean_of(q) - mean_of(p));  // Lq^-1 δ
  const double d = static_cast<double>(p.dim());
  const double value = 0.5 * (m.squaredNorm() + z.squaredNorm() - d) +
                       0.5 * (log_det(q) - log_det(p));
  // tr - d - log det cancels to about d * 1e-16 in absolute terms. Where the
  // result is not well above that, form it again as Σ (λ - 1 - log λ) over
  // the eigenvalues λ of M M^T (each term >= 0, none cancelling another),
  // which keeps about 1e-8 relative for nearly equal covariances.
  if (value > 1e-6 * d) return value;
  Eigen::SelfAdjointEigenSolver<Mat> es(m * m.transpose(),
                                        Eigen::EigenvaluesOnly);
  double s = 0.0;
  for (Eigen::Index i = 0; i < es.eigenvalues().size(); ++i) {
    const double x = es.eigenvalues()(i) - 1.0;
    s += x - std::log1p(x);
  }
  return std::max(0.5 * (s + z.squaredNorm()), 0.0);
}

}  // namespace

void kl(std::span<const multivariate_normal> p,
        std::span<const multivariate_normal> q, std::span<double> out,
        int threads) {
  const std::size_t n = std::max(p.size(), q.size());
  const auto fits = [n](std::size_t k) { return k == n || k == 1; };
  if (p.empty() || q.empty() || !fits(p.size()) || !fits(q.size()) ||
      out.size() != n) {
    throw InvalidArgument(
        "kl(multivariate_normal batches): p has " + std::to_string(p.size()) +
        ", q " + std::to_string(q.size()) + " and out " +
        std::to_string(out.size()) +
        " entries; p and q must have the same length (or 1) and out theirs");
  }
  std::vector<std::string> errors(n);
  const int wanted = threads > 0 ? threads : omp_get_max_threads();
  const int used = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(wanted), n));
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(dynamic, 1) num_threads(used) if (used > 1)
  for (std::ptrdiff_t k = 0; k < count; ++k) {
    const auto i = static_cast<std::size_t>(k);
    try {
      out[i] = kl(p[p.size() == 1 ? 0 : i], q[q.size() == 1 ? 0 : i]);
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!errors[i].empty()) {
      throw InvalidArgument(errors[i] + " (pair " + std::to_string(i) + ")");
    }
  }
}

double log_pdf(const multivariate_normal& m, std::span<const double> x) {
  if (x.size() != m.dim()) {
    throw InvalidArgument(std::string(kName) + ": x has " +
                          std::to_string(x.size()) + " entries for dimension " +
                          std::to_string(m.dim()));
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      throw InvalidArgument(std::string(kName) + ": x[" + std::to_string(i) +
                            "] = nan, but must not be NaN");
    }
  }
  const auto d = static_cast<Eigen::Index>(m.dim());
  const Vec diff = Eigen::Map<const Vec>(x.data(), d) - mean_of(m);
  double maha = 0.0;
  if (m.kind() == multivariate_normal::form::diagonal) {
    for (Eigen::Index i = 0; i < d; ++i) {
      const double t = diff(i) / m.factor()[static_cast<std::size_t>(i)];
      maha += t * t;
    }
  } else if (m.kind() == multivariate_normal::form::low_rank) {
    maha = woodbury(m).inv_quad(diff);
  } else {
    maha = dense_factor(m)
               .triangularView<Eigen::Lower>()
               .solve(diff)
               .squaredNorm();
  }
  const double log_2pi = std::log(2.0 * std::numbers::pi);
  return -0.5 * (static_cast<double>(d) * log_2pi + log_det(m) + maha);
}

std::vector<double> covariance_matrix(const multivariate_normal& m) {
  const auto d = static_cast<Eigen::Index>(m.dim());
  std::vector<double> out(m.dim() * m.dim());
  Eigen::Map<RowMat>(out.data(), d, d) = covariance(m);
  return out;
}

double entropy(const multivariate_normal& m) {
  const double d = static_cast<double>(m.dim());
  return 0.5 * d * (1.0 + std::log(2.0 * std::numbers::pi)) + 0.5 * log_det(m);
}

std::string_view family(const multivariate_normal&) { return kName; }

double bhattacharyya_distance(const multivariate_normal& p,
                              const multivariate_normal& q) {
  check_dims(p, q, "bhattacharyya_distance(multivariate_normal, ...)");
  const Vec delta = mean_of(p) - mean_of(q);
  if (both_diagonal(p, q)) {
    double maha = 0.0, logdet = 0.0;
    for (std::size_t i = 0; i < p.dim(); ++i) {
      const double vp = p.factor()[i] * p.factor()[i];
      const double vq = q.factor()[i] * q.factor()[i];
      const double v = 0.5 * (vp + vq);
      maha += delta(static_cast<Eigen::Index>(i)) *
              delta(static_cast<Eigen::Index>(i)) / v;
      // log(v / sqrt(vp vq)) = log of (a + b)/2 over sqrt(a b), a, b = vp, vq.
      logdet += std::log(v) - 0.5 * (std::log(vp) + std::log(vq));
    }
    return std::max(0.125 * maha + 0.5 * logdet, 0.0);
  }
  const Mat sigma = 0.5 * (covariance(p) + covariance(q));
  const Mat l = cholesky_or_throw(sigma, "(Σp + Σq)/2");
  const Vec z = l.triangularView<Eigen::Lower>().solve(delta);
  double logdet = 0.0;
  for (Eigen::Index i = 0; i < l.rows(); ++i) logdet += 2.0 * std::log(l(i, i));
  return std::max(0.125 * z.squaredNorm() +
                      0.5 * (logdet - 0.5 * (log_det(p) + log_det(q))),
                  0.0);
}

double hellinger(const multivariate_normal& p, const multivariate_normal& q) {
  return std::sqrt(-std::expm1(-bhattacharyya_distance(p, q)));
}

double renyi(const multivariate_normal& p, const multivariate_normal& q,
             double alpha) {
  check_dims(p, q, "renyi(multivariate_normal, ...)");
  if (!(alpha > 0.0) || !std::isfinite(alpha)) {
    throw InvalidArgument(
        "renyi(multivariate_normal, ...): alpha = " + format_number(alpha) +
        ", but must be > 0 and finite");
  }
  if (alpha == 1.0) return kl(p, q);
  // Σ_a = a Σq + (1 - a) Σp; D_a = a/2 δ^T Σ_a^-1 δ
  //   - 1/(2(a - 1)) log(det Σ_a / (det Σp^(1-a) det Σq^a)).
  const Mat sa = alpha * covariance(q) + (1.0 - alpha) * covariance(p);
  Eigen::LLT<Mat> llt(sa);
  if (llt.info() != Eigen::Success) return kInf;  // alpha > 1 only
  const Mat l = llt.matrixL();
  for (Eigen::Index i = 0; i < l.rows(); ++i) {
    if (!(l(i, i) > 0.0)) return kInf;
  }
  const Vec delta = mean_of(p) - mean_of(q);
  const Vec z = l.triangularView<Eigen::Lower>().solve(delta);
  double logdet = 0.0;
  for (Eigen::Index i = 0; i < l.rows(); ++i) logdet += 2.0 * std::log(l(i, i));
  const double value =
      0.5 * alpha * z.squaredNorm() -
      (logdet - (1.0 - alpha) * log_det(p) - alpha * log_det(q)) /
          (2.0 * (alpha - 1.0));
  return std::max(value, 0.0);
}

double wasserstein2(const multivariate_normal& p,
                    const multivariate_normal& q) {
  check_dims(p, q, "wasserstein2(multivariate_normal, ...)");
  const Vec delta = mean_of(p) - mean_of(q);
  if (both_diagonal(p, q)) {
    double s = delta.squaredNorm();
    for (std::size_t i = 0; i < p.dim(); ++i) {
      const double t = p.factor()[i] - q.factor()[i];
      s += t * t;
    }
    return std::sqrt(s);
  }
  // tr(Σp + Σq - 2 (Σp^1/2 Σq Σp^1/2)^1/2) by symmetric eigendecompositions.
  const Mat cp = covariance(p), cq = covariance(q);
  Eigen::SelfAdjointEigenSolver<Mat> ep(cp);
  const Vec root_ev = ep.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  const Mat root_p =
      ep.eigenvectors() * root_ev.asDiagonal() * ep.eigenvectors().transpose();
  const Mat c = root_p * cq * root_p;
  Eigen::SelfAdjointEigenSolver<Mat> ec(0.5 * (c + c.transpose()),
                                        Eigen::EigenvaluesOnly);
  const double cross = ec.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  const double s = delta.squaredNorm() + cp.trace() + cq.trace() - 2.0 * cross;
  return std::sqrt(std::max(s, 0.0));
}

}  // namespace kldiv
