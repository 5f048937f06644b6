// The multivariate normal: Cholesky factors (Eigen), triangular solves and
// log-determinants from the factors' diagonals; never an explicit inverse or
// determinant. Two diagonal forms take the batched per-component kernel.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "format_number.hpp"
#include "kldiv/distributions.hpp"
#include "kldiv/error.hpp"

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

// The lower Cholesky factor as a dense matrix (diagonal forms expanded: only
// where a full form is involved).
Mat dense_factor(const multivariate_normal& m) {
  const auto d = static_cast<Eigen::Index>(m.dim());
  if (m.kind() == multivariate_normal::form::diagonal) {
    return Eigen::Map<const Vec>(m.factor().data(), d).asDiagonal();
  }
  return Eigen::Map<const RowMat>(m.factor().data(), d, d);
}

Mat covariance(const multivariate_normal& m) {
  const Mat l = dense_factor(m);
  return l * l.transpose();
}

// log det Σ = 2 Σ log L_ii.
double log_det(const multivariate_normal& m) {
  const std::size_t d = m.dim();
  double s = 0.0;
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
  } else {
    maha = dense_factor(m)
               .triangularView<Eigen::Lower>()
               .solve(diff)
               .squaredNorm();
  }
  const double log_2pi = std::log(2.0 * std::numbers::pi);
  return -0.5 * (static_cast<double>(d) * log_2pi + log_det(m) + maha);
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
