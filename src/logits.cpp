// Divergences from logits, row by row: options and input checks, the scalar
// row kernels (the reference for the SIMD ones in simd/logits-inl.h), the row
// driver (OpenMP over rows, one row per thread, so any thread count gives the
// same bits), reductions and the comparer behind `kldiv logits`.
#include "kldiv/logits.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "logits_reference.hpp"
#include "simd/logits_kernels.hpp"
#include "terms.hpp"

namespace kldiv {
namespace {

using detail::compensated_sum;
using detail::format_number;
using detail::lse_partial;
using detail::pair_row;

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------
// Scalar row kernels.

// psi(d) = e^d (d - 1) + 1 = Σ_{k >= 2} (k - 1) d^k / k! >= 0, the KL term
// over q in terms of d = log(p/q); by its series where |d| <= 1/4 (14 terms:
// the next is below 1e-19 relative), where the closed form would cancel.
constexpr double kNearLogRatio = 0.25;
constexpr std::array<double, 14> kPsiSeries = [] {
  std::array<double, 14> c{};
  double factorial = 2.0;  // (j + 2)!
  for (std::size_t j = 0; j < c.size(); ++j) {
    if (j > 0) factorial *= static_cast<double>(j + 2);
    c[j] = static_cast<double>(j + 1) / factorial;
  }
  return c;
}();

double psi_series(double d) {
  double s = 0.0;
  for (std::size_t j = kPsiSeries.size(); j-- > 0;) s = s * d + kPsiSeries[j];
  return d * d * s;
}

// The KL term g = p log(p/q) - p + q of an entry, from p, q and d = log(p/q)
// (d = +inf exactly where q's logit is -inf and p's is not, NaN where both
// are): +inf there, by the edge table, even when p underflows to 0.
double kl_term(double p, double q, double d) {
  if (d == kInf) return kInf;  // even where p underflows: P > 0 = Q
  if (p == 0.0) return q;
  if (std::fabs(d) <= kNearLogRatio) return q * psi_series(d);
  return p * d - p + q;
}

template <class T>
void scalar_row_lse(const T* x, std::size_t n, double t, lse_partial* out) {
  double m = -kInf;
  bool bad = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i];
    if (!(v < kInf)) bad = true;  // NaN or +inf
    if (v > m) m = v;
  }
  out->bad = bad;
  out->max = m;
  if (bad || m == -kInf) {
    out->sum = 0.0;
    return;
  }
  compensated_sum s;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(x[i]) - m;
    s.add(std::exp(t == 1.0 ? d : d / t));
  }
  out->sum = s.value();
}

template <class T>
double log_prob(T x, double m, double l, double t) {
  const double d = static_cast<double>(x) - m;
  return (t == 1.0 ? d : d / t) - l;
}

template <class T>
double scalar_kl_row(const T* a, const T* b, std::size_t n, const pair_row& r,
                     T* grad, double gscale) {
  compensated_sum s;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = std::exp(log_prob(a[i], r.ma, r.la, r.t));
    const double q = std::exp(log_prob(b[i], r.mb, r.lb, r.t));
    s.add(kl_term(p, q, detail::log_ratio_of(a[i], b[i], r)));
    if (grad) grad[i] = static_cast<T>(gscale * (q - p));
  }
  return s.value();
}

template <class T>
void scalar_reverse_grad_row(const T* a, const T* b, std::size_t n,
                             const pair_row& r, double value, T* grad,
                             double gscale) {
  for (std::size_t i = 0; i < n; ++i) {
    const double q = std::exp(log_prob(b[i], r.mb, r.lb, r.t));
    grad[i] = static_cast<T>(
        q == 0.0 ? 0.0
                 : gscale * q * (-detail::log_ratio_of(a[i], b[i], r) - value));
  }
}

template <class T>
void scalar_softmax_grad_row(const T* x, std::size_t n, double m, double l,
                             double t, long long label, T* grad,
                             double gscale) {
  for (std::size_t i = 0; i < n; ++i) {
    const double s = std::exp(log_prob(x[i], m, l, t));
    const double hot = static_cast<long long>(i) == label ? 1.0 : 0.0;
    grad[i] = static_cast<T>(gscale * (s - hot));
  }
}

// phi(x) = (1 + x) log1p(x) - x >= 0 for x >= -1 (phi(-1) = 1).
double phi(double x) {
  if (x == -1.0) return 1.0;
  if (x >= -0.5 && x <= 1.0) return detail::phi_near_zero(x);
  return (1.0 + x) * std::log1p(x) - x;
}

// The generalised JSD of one row for 0 < beta < 1, scaled by 1/(beta (1 -
// beta)): Σ m [phi(x)/(1 - beta) + phi(y)/beta] with m = beta p + (1 - beta)
// q, x = p/m - 1 = (1 - beta)(p - q)/m, y = q/m - 1 = -beta (p - q)/m; p - q
// from q expm1(log(p/q)) where p and q are close, so that nearly equal rows
// keep their digits. *k receives KL(Q || M) = Σ q log1p(y), for the gradient.
template <class T>
double scalar_gjsd_row(const T* a, const T* b, std::size_t n, const pair_row& r,
                       double beta, double* k) {
  compensated_sum s, kq;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = std::exp(log_prob(a[i], r.ma, r.la, r.t));
    const double q = std::exp(log_prob(b[i], r.mb, r.lb, r.t));
    if (p == 0.0 && q == 0.0) continue;
    const double d_log = detail::log_ratio_of(a[i], b[i], r);
    const double d = (p != 0.0 && q != 0.0 && std::fabs(d_log) < 1.0)
                         ? q * std::expm1(d_log)
                         : p - q;
    const double m = q + beta * d;
    const double x = p == 0.0 ? -1.0 : (1.0 - beta) * d / m;
    const double y = q == 0.0 ? -1.0 : -beta * d / m;
    s.add(m * (phi(x) / (1.0 - beta) + phi(y) / beta));
    if (q != 0.0) kq.add(q * std::log1p(y));
  }
  *k = kq.value();
  return s.value();
}

// grad_i = gscale / beta * q_i (log1p(y_i) - k), y_i as above.
template <class T>
void scalar_gjsd_grad_row(const T* a, const T* b, std::size_t n,
                          const pair_row& r, double beta, double k, T* grad,
                          double gscale) {
  for (std::size_t i = 0; i < n; ++i) {
    const double p = std::exp(log_prob(a[i], r.ma, r.la, r.t));
    const double q = std::exp(log_prob(b[i], r.mb, r.lb, r.t));
    if (q == 0.0) {
      grad[i] = T(0);
      continue;
    }
    const double d_log = detail::log_ratio_of(a[i], b[i], r);
    const double d =
        (p != 0.0 && std::fabs(d_log) < 1.0) ? q * std::expm1(d_log) : p - q;
    const double y = -beta * d / (q + beta * d);
    grad[i] = static_cast<T>(gscale / beta * q * (std::log1p(y) - k));
  }
}

// ---------------------------------------------------------------------------
// The kernels one call uses: SIMD where there is one, or all scalar (the
// reference, for the tests).

// One row's normalisation (log p_i = (x_i - m) / t - l) and, on the SIMD
// path, the first pass's exponentials and their chunk scales
// (logits_kernels.hpp), reused by the divergence pass.
struct row_state {
  double m = 0.0, l = 0.0;
  std::vector<double> e, cmax, scale;

  // scale[c] = exp((cmax[c] - m) / t - l): e * scale is the probability.
  void set_scales(double t) {
    scale.resize(cmax.size());
    for (std::size_t c = 0; c < cmax.size(); ++c) {
      const double d = cmax[c] - m;
      scale[c] = cmax[c] == -kInf ? 0.0 : std::exp((t == 1.0 ? d : d / t) - l);
    }
  }
};

template <class T>
struct row_kernels {
  bool simd = true;

  // The first pass: max and sum of the row at temperature t (keeping the
  // exponentials in st on the SIMD path).
  void first_pass(const T* x, std::size_t n, double t, row_state& st,
                  lse_partial* out) const {
    if (simd) {
      st.e.resize(n);
      st.cmax.resize(detail::logits_chunks(n));
      detail::simd_row_exp(x, n, t, st.e.data(), st.cmax.data(), out);
    } else {
      scalar_row_lse(x, n, t, out);
    }
  }
  double kl(const T* a, const T* b, std::size_t n, const pair_row& r,
            const row_state& sa, const row_state& sb, T* grad,
            double gscale) const {
    if (!simd) return scalar_kl_row(a, b, n, r, grad, gscale);
    return detail::simd_kl_row(a, b, n, r, sa.e.data(), sa.scale.data(),
                               sb.e.data(), sb.scale.data(), grad, gscale);
  }
  void reverse_grad(const T* a, const T* b, std::size_t n, const pair_row& r,
                    const row_state& sb, double value, T* grad,
                    double gscale) const {
    if (simd) {
      detail::simd_reverse_grad_row(a, b, n, r, sb.e.data(), sb.scale.data(),
                                    value, grad, gscale);
    } else {
      scalar_reverse_grad_row(a, b, n, r, value, grad, gscale);
    }
  }
  double gjsd(const T* a, const T* b, std::size_t n, const pair_row& r,
              const row_state& sa, const row_state& sb, double beta,
              double* kq) const {
    if (!simd) return scalar_gjsd_row(a, b, n, r, beta, kq);
    return detail::simd_gjsd_row(a, b, n, r, sa.e.data(), sa.scale.data(),
                                 sb.e.data(), sb.scale.data(), beta, kq);
  }
  void gjsd_grad(const T* a, const T* b, std::size_t n, const pair_row& r,
                 const row_state& sa, const row_state& sb, double beta,
                 double kq, T* grad, double gscale) const {
    if (!simd) {
      scalar_gjsd_grad_row(a, b, n, r, beta, kq, grad, gscale);
      return;
    }
    detail::simd_gjsd_grad_row(a, b, n, r, sa.e.data(), sa.scale.data(),
                               sb.e.data(), sb.scale.data(), beta, kq, grad,
                               gscale);
  }
  void softmax_grad(const T* x, std::size_t n, const row_state& st, double t,
                    std::size_t label, T* grad, double gscale) const {
    if (!simd) {
      scalar_softmax_grad_row(x, n, st.m, st.l, t,
                              static_cast<long long>(label), grad, gscale);
      return;
    }
    detail::simd_softmax_grad_row(n, st.e.data(), st.scale.data(), grad,
                                  gscale);
    const double p = st.e[label] * st.scale[label / detail::kLogitsChunk];
    grad[label] = static_cast<T>(gscale * (p - 1.0));
  }
};

// ---------------------------------------------------------------------------
// Checks.

void check_options(const logits_options& opt) {
  if (!(opt.temperature > 0.0) || !std::isfinite(opt.temperature)) {
    throw InvalidArgument("temperature = " + format_number(opt.temperature) +
                          ": must be > 0 and finite");
  }
  if (!(opt.beta >= 0.0 && opt.beta <= 1.0)) {
    throw InvalidArgument("beta = " + format_number(opt.beta) +
                          ": must be in [0, 1]");
  }
  if (opt.tolerance && !(*opt.tolerance >= 0.0)) {
    throw InvalidArgument("tolerance = " + format_number(*opt.tolerance) +
                          ": must be >= 0");
  }
  if (opt.threads < 0) {
    throw InvalidArgument("threads = " + std::to_string(opt.threads) +
                          ": must be >= 0 (0: OpenMP's default)");
  }
}

template <class T>
void check_shapes(const matrix_view<T>& a, const char* an,
                  const matrix_view<T>& b, const char* bn) {
  if (a.cols == 0) {
    throw InvalidArgument(std::string(an) +
                          " has an empty vocabulary (0 columns)");
  }
  if (a.rows != b.rows || a.cols != b.cols) {
    throw InvalidArgument(
        std::string(an) + " is " + std::to_string(a.rows) + " x " +
        std::to_string(a.cols) + " but " + bn + " is " +
        std::to_string(b.rows) + " x " + std::to_string(b.cols) +
        ": they must have the same shape (rows x vocabulary)");
  }
}

void check_mask(row_mask mask, std::size_t rows) {
  if (!mask.empty() && mask.size() != rows) {
    throw InvalidArgument("mask has " + std::to_string(mask.size()) +
                          " entries for " + std::to_string(rows) +
                          " rows: it needs one per row");
  }
}

template <class T>
void check_gradient(std::span<T> grad, std::size_t rows, std::size_t cols) {
  if (!grad.empty() && grad.size() != rows * cols) {
    throw InvalidArgument("gradient has room for " +
                          std::to_string(grad.size()) + " values, not " +
                          std::to_string(rows) + " x " + std::to_string(cols));
  }
}

double tolerance_for(const logits_options& opt, bool is_float) {
  return opt.tolerance ? *opt.tolerance : (is_float ? 1e-4 : 1e-6);
}

int threads_for(const logits_options& opt, std::size_t rows, std::size_t cols) {
  const int wanted = opt.threads > 0 ? opt.threads : omp_get_max_threads();
  // Below ~64k entries in all, threads cost more than they save.
  if (rows < 2 || rows * cols < (std::size_t{1} << 16)) return 1;
  return static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(wanted), rows));
}

// ---------------------------------------------------------------------------
// One row's normalisation, with the checks; an error is returned as text so
// that rows can run in parallel and the first bad row be reported.

template <class T>
std::string normalise_row(const row_kernels<T>& k, const T* x, std::size_t n,
                          const char* name, std::size_t row,
                          const logits_options& opt, row_state& st) {
  lse_partial part;
  const bool log_probs = opt.kind == logits_kind::log_probabilities;
  const double t = opt.temperature;
  k.first_pass(x, n, log_probs ? 1.0 : t, st, &part);
  const auto where = std::string(name) + "[" + std::to_string(row);
  if (part.bad) {
    for (std::size_t i = 0; i < n; ++i) {
      const double v = x[i];
      if (!(v < kInf)) {
        return where + ", " + std::to_string(i) + "] = " + format_number(v) +
               ": " + (log_probs ? "log-probabilities" : "logits") +
               " must be finite or -inf";
      }
    }
  }
  if (part.max == -kInf) {
    return where + "]: every entry is -inf, so the row has no probability";
  }
  if (!log_probs) {
    st.m = part.max;
    st.l = std::log(part.sum);
    st.set_scales(t);
    return {};
  }
  const double lse = part.max + std::log(part.sum);
  const double tol = tolerance_for(opt, std::is_same_v<T, float>);
  if (!(std::fabs(lse) <= tol)) {
    return where + "]: log-probabilities whose exponentials sum to " +
           format_number(std::exp(lse)) + " (log-sum-exp " +
           format_number(lse) + "), not 1 within the tolerance " +
           format_number(tol) + "; pass logits instead to normalise";
  }
  // Checked, then normalised like logits (by their exact log-sum-exp), so
  // that values and gradients are those of distributions that sum to 1.
  if (t != 1.0) k.first_pass(x, n, t, st, &part);
  st.m = part.max;
  st.l = std::log(part.sum);
  st.set_scales(t);
  return {};
}

// Gathers row r of a strided view into buf, or points into a contiguous one.
template <class T>
const T* row_pointer(const matrix_view<T>& v, std::size_t r,
                     std::vector<T>& buf) {
  const T* start = v.data + r * v.row_stride;
  if (v.contiguous_rows()) return start;
  buf.resize(v.cols);
  for (std::size_t c = 0; c < v.cols; ++c) buf[c] = start[c * v.col_stride];
  return buf.data();
}

// The row values, reduced: mean over valid rows, sum, or none (value = sum).
logits_result reduce_rows(std::vector<double> rows, std::size_t valid,
                          const logits_options& opt) {
  logits_result out;
  compensated_sum s;
  for (double v : rows) s.add(v);
  out.value = s.value();
  if (opt.reduce == reduction::mean) {
    out.value = valid == 0 ? 0.0 : out.value / static_cast<double>(valid);
  }
  out.rows = std::move(rows);
  out.valid_rows = valid;
  out.unit = opt.base.unit();
  return out;
}

// What scales each row's value: T^2 when asked, and the unit.
double value_scale(const logits_options& opt) {
  const double t2 =
      opt.scale_by_t_squared ? opt.temperature * opt.temperature : 1.0;
  return t2 / opt.base.ln();
}

// d (reduced value) / d (row value): 1, or 1 / valid rows for the mean.
double reduction_scale(const logits_options& opt, std::size_t valid) {
  if (opt.reduce != reduction::mean || valid == 0) return 1.0;
  return 1.0 / static_cast<double>(valid);
}

std::size_t count_valid(row_mask mask, std::size_t rows) {
  if (mask.empty()) return rows;
  return static_cast<std::size_t>(
      std::count_if(mask.begin(), mask.end(), [](auto v) { return v != 0; }));
}

void throw_first(const std::vector<std::string>& errors) {
  for (const auto& e : errors) {
    if (!e.empty()) throw InvalidArgument(e);
  }
}

// The per-row extras of the comparer: the top tokens and their
// probabilities.
struct row_extras {
  std::size_t top_a = 0, top_b = 0;
  double p_top = 0.0, q_top = 0.0;
};

template <class T>
std::size_t argmax(const T* x, std::size_t n) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (x[i] > x[best]) best = i;
  }
  return best;
}

template <class T>
logits_result pair_divergence(logits_measure which, const matrix_view<T>& a,
                              const matrix_view<T>& b,
                              const logits_options& opt, row_mask mask,
                              std::span<T> gradient, bool simd,
                              std::vector<row_extras>* extras = nullptr) {
  check_options(opt);
  check_shapes(a, "a", b, "b");
  check_mask(mask, a.rows);
  check_gradient(gradient, a.rows, a.cols);
  const row_kernels<T> k{simd};
  const std::size_t rows = a.rows, n = a.cols;
  const std::size_t valid = count_valid(mask, rows);
  const double vscale = value_scale(opt);
  const double gscale = vscale * reduction_scale(opt, valid) / opt.temperature;
  // beta at either end is the KL it is continuous with.
  if (which == logits_measure::generalized_jsd) {
    if (opt.beta == 0.0) which = logits_measure::kl;
    if (opt.beta == 1.0) which = logits_measure::reverse_kl;
  }

  std::vector<double> values(rows, 0.0);
  std::vector<std::string> errors(rows);
  if (extras) extras->assign(rows, {});
  const int threads = threads_for(opt, rows, n);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    std::vector<T> abuf, bbuf;
    row_state sa, sb;
#pragma omp for schedule(dynamic, 1)
    for (std::size_t r = 0; r < rows; ++r) {
      T* grad = gradient.empty() ? nullptr : gradient.data() + r * n;
      if (!mask.empty() && mask[r] == 0) {
        if (grad) std::fill(grad, grad + n, T(0));
        continue;
      }
      const T* ar = row_pointer(a, r, abuf);
      const T* br = row_pointer(b, r, bbuf);
      errors[r] = normalise_row(k, ar, n, "a", r, opt, sa);
      if (errors[r].empty()) {
        errors[r] = normalise_row(k, br, n, "b", r, opt, sb);
      }
      if (!errors[r].empty()) continue;
      const pair_row pr{sa.m, sa.l, sb.m, sb.l, opt.temperature};
      double v = 0.0;
      switch (which) {
        case logits_measure::kl:
          v = k.kl(ar, br, n, pr, sa, sb, grad, gscale);
          break;
        case logits_measure::reverse_kl: {
          const pair_row swapped{pr.mb, pr.lb, pr.ma, pr.la, pr.t};
          v = k.kl(br, ar, n, swapped, sb, sa, nullptr, 0.0);
          if (grad && std::isfinite(v)) {
            k.reverse_grad(ar, br, n, pr, sb, v, grad, gscale);
          } else if (grad) {
            // KL(Q || P) = +inf: it grows without bound in the logits of
            // the tokens that Q gives mass and P none, and no other logit
            // changes that.
            for (std::size_t i = 0; i < n; ++i) {
              grad[i] = (ar[i] == -kInf && br[i] != -kInf) ? T(kInf) : T(0);
            }
          }
          break;
        }
        case logits_measure::generalized_jsd: {
          double kq = 0.0;
          v = k.gjsd(ar, br, n, pr, sa, sb, opt.beta, &kq);
          if (grad)
            k.gjsd_grad(ar, br, n, pr, sa, sb, opt.beta, kq, grad, gscale);
          break;
        }
      }
      values[r] = v * vscale;
      if (extras) {
        auto& e = (*extras)[r];
        e.top_a = argmax(ar, n);
        e.top_b = argmax(br, n);
        e.p_top = std::exp(log_prob(ar[e.top_a], pr.ma, pr.la, pr.t));
        e.q_top = std::exp(log_prob(br[e.top_a], pr.mb, pr.lb, pr.t));
      }
    }
  }
  throw_first(errors);
  return reduce_rows(std::move(values), valid, opt);
}

template <class T>
logits_result cross_entropy_rows(const matrix_view<T>& x,
                                 std::span<const std::int64_t> labels,
                                 const logits_options& opt,
                                 std::optional<std::int64_t> ignore_index,
                                 row_mask mask, std::span<T> gradient,
                                 bool simd) {
  check_options(opt);
  if (x.cols == 0) {
    throw InvalidArgument("logits has an empty vocabulary (0 columns)");
  }
  if (labels.size() != x.rows) {
    throw InvalidArgument("labels has " + std::to_string(labels.size()) +
                          " entries for " + std::to_string(x.rows) +
                          " rows: it needs one per row");
  }
  check_mask(mask, x.rows);
  check_gradient(gradient, x.rows, x.cols);
  const std::size_t rows = x.rows, n = x.cols;
  std::vector<std::uint8_t> use(rows, 1);
  for (std::size_t r = 0; r < rows; ++r) {
    if (!mask.empty() && mask[r] == 0) use[r] = 0;
    if (ignore_index && labels[r] == *ignore_index) use[r] = 0;
    if (use[r] && (labels[r] < 0 || static_cast<std::size_t>(labels[r]) >= n)) {
      throw InvalidArgument(
          "labels[" + std::to_string(r) + "] = " + std::to_string(labels[r]) +
          ": must be in [0, " + std::to_string(n) + ")" +
          (ignore_index
               ? " or the ignore index " + std::to_string(*ignore_index)
               : std::string()));
    }
  }
  const std::size_t valid = count_valid(use, rows);
  const row_kernels<T> k{simd};
  const double vscale = value_scale(opt);
  const double gscale = vscale * reduction_scale(opt, valid) / opt.temperature;
  std::vector<double> values(rows, 0.0);
  std::vector<std::string> errors(rows);
  const int threads = threads_for(opt, rows, n);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    std::vector<T> buf;
    row_state st;
#pragma omp for schedule(dynamic, 1)
    for (std::size_t r = 0; r < rows; ++r) {
      T* grad = gradient.empty() ? nullptr : gradient.data() + r * n;
      if (!use[r]) {
        if (grad) std::fill(grad, grad + n, T(0));
        continue;
      }
      const T* xr = row_pointer(x, r, buf);
      errors[r] = normalise_row(k, xr, n, "logits", r, opt, st);
      if (!errors[r].empty()) continue;
      const auto label = static_cast<std::size_t>(labels[r]);
      values[r] = -log_prob(xr[label], st.m, st.l, opt.temperature) * vscale;
      if (grad) k.softmax_grad(xr, n, st, opt.temperature, label, grad, gscale);
    }
  }
  throw_first(errors);
  return reduce_rows(std::move(values), valid, opt);
}

}  // namespace

logits_result divergence_from_logits(logits_measure m,
                                     const matrix_view<double>& a,
                                     const matrix_view<double>& b,
                                     const logits_options& opt, row_mask mask,
                                     std::span<double> gradient) {
  return pair_divergence(m, a, b, opt, mask, gradient, true);
}
logits_result divergence_from_logits(logits_measure m,
                                     const matrix_view<float>& a,
                                     const matrix_view<float>& b,
                                     const logits_options& opt, row_mask mask,
                                     std::span<float> gradient) {
  return pair_divergence(m, a, b, opt, mask, gradient, true);
}

logits_result cross_entropy_from_logits(const matrix_view<double>& logits,
                                        std::span<const std::int64_t> labels,
                                        const logits_options& opt,
                                        std::optional<std::int64_t> ignore,
                                        row_mask mask,
                                        std::span<double> gradient) {
  return cross_entropy_rows(logits, labels, opt, ignore, mask, gradient, true);
}
logits_result cross_entropy_from_logits(const matrix_view<float>& logits,
                                        std::span<const std::int64_t> labels,
                                        const logits_options& opt,
                                        std::optional<std::int64_t> ignore,
                                        row_mask mask,
                                        std::span<float> gradient) {
  return cross_entropy_rows(logits, labels, opt, ignore, mask, gradient, true);
}

namespace detail {

logits_result divergence_from_logits_reference(logits_measure m,
                                               const matrix_view<double>& a,
                                               const matrix_view<double>& b,
                                               const logits_options& opt,
                                               row_mask mask,
                                               std::span<double> gradient) {
  return pair_divergence(m, a, b, opt, mask, gradient, false);
}
logits_result divergence_from_logits_reference(
    logits_measure m, const matrix_view<float>& a, const matrix_view<float>& b,
    const logits_options& opt, row_mask mask, std::span<float> gradient) {
  return pair_divergence(m, a, b, opt, mask, gradient, false);
}
logits_result cross_entropy_from_logits_reference(
    const matrix_view<double>& logits, std::span<const std::int64_t> labels,
    const logits_options& opt, std::optional<std::int64_t> ignore,
    row_mask mask, std::span<double> gradient) {
  return cross_entropy_rows(logits, labels, opt, ignore, mask, gradient, false);
}
logits_result cross_entropy_from_logits_reference(
    const matrix_view<float>& logits, std::span<const std::int64_t> labels,
    const logits_options& opt, std::optional<std::int64_t> ignore,
    row_mask mask, std::span<float> gradient) {
  return cross_entropy_rows(logits, labels, opt, ignore, mask, gradient, false);
}

}  // namespace detail

std::string_view name(logits_measure m) {
  switch (m) {
    case logits_measure::kl:
      return "kl";
    case logits_measure::reverse_kl:
      return "reverse_kl";
    case logits_measure::generalized_jsd:
      return "generalized_jsd";
  }
  return "?";
}

logits_measure logits_measure_from_name(std::string_view n) {
  if (n == "kl" || n == "forward_kl" || n == "forward-kl") {
    return logits_measure::kl;
  }
  if (n == "reverse_kl" || n == "reverse-kl") return logits_measure::reverse_kl;
  if (n == "generalized_jsd" || n == "generalized-jsd" || n == "jsd" ||
      n == "gjsd") {
    return logits_measure::generalized_jsd;
  }
  throw InvalidArgument("unknown logits measure '" + std::string(n) +
                        "': choose kl, reverse_kl or generalized_jsd");
}

std::string_view name(reduction r) {
  switch (r) {
    case reduction::none:
      return "none";
    case reduction::sum:
      return "sum";
    case reduction::mean:
      return "mean";
  }
  return "?";
}

reduction reduction_from_name(std::string_view n) {
  if (n == "none") return reduction::none;
  if (n == "sum") return reduction::sum;
  if (n == "mean") return reduction::mean;
  throw InvalidArgument("unknown reduction '" + std::string(n) +
                        "': choose none, sum or mean");
}

// ---------------------------------------------------------------------------
// The comparer.

logits_comparer::logits_comparer(logits_options opt) : opt_(std::move(opt)) {
  opt_.reduce = reduction::none;
  check_options(opt_);
}

namespace {

template <class T>
void comparer_add(const logits_options& opt, std::size_t& vocab,
                  std::vector<double>& kl, std::size_t& agree, double& sum_sq,
                  const matrix_view<T>& base, const matrix_view<T>& test) {
  if (vocab != 0 && base.cols != vocab) {
    throw InvalidArgument("this chunk has a vocabulary of " +
                          std::to_string(base.cols) + ", the earlier ones " +
                          std::to_string(vocab));
  }
  std::vector<row_extras> extras;
  auto r = pair_divergence(logits_measure::kl, base, test, opt, {}, {}, true,
                           &extras);
  vocab = base.cols;
  kl.insert(kl.end(), r.rows.begin(), r.rows.end());
  for (const auto& e : extras) {
    if (e.top_a == e.top_b) ++agree;
    sum_sq += (e.p_top - e.q_top) * (e.p_top - e.q_top);
  }
}

// The q-quantile of sorted values by linear interpolation between the two
// nearest ranks (NumPy's default, "linear").
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  if (frac == 0.0 || sorted[lo] == sorted[hi]) return sorted[lo];
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

}  // namespace

void logits_comparer::add(const matrix_view<double>& base,
                          const matrix_view<double>& test) {
  comparer_add(opt_, vocab_, kl_, agree_, sum_sq_top_diff_, base, test);
}
void logits_comparer::add(const matrix_view<float>& base,
                          const matrix_view<float>& test) {
  comparer_add(opt_, vocab_, kl_, agree_, sum_sq_top_diff_, base, test);
}

logits_comparison logits_comparer::summary() const {
  if (kl_.empty()) {
    throw InvalidArgument("no rows to compare: the inputs have 0 rows");
  }
  logits_comparison s;
  s.rows = kl_.size();
  s.unit = opt_.base.unit();
  const auto n = static_cast<double>(s.rows);
  compensated_sum sum;
  for (double v : kl_) sum.add(v);
  s.mean_kl = sum.value() / n;
  if (std::isfinite(s.mean_kl) && s.rows > 1) {
    compensated_sum sq;
    for (double v : kl_) sq.add((v - s.mean_kl) * (v - s.mean_kl));
    s.standard_error = std::sqrt(sq.value() / (n - 1.0)) / std::sqrt(n);
  } else {
    // One row, or an infinite mean: the spread is undefined.
    s.standard_error = std::numeric_limits<double>::quiet_NaN();
  }
  std::vector<double> sorted = kl_;
  std::sort(sorted.begin(), sorted.end());
  s.median_kl = quantile(sorted, 0.5);
  s.p90_kl = quantile(sorted, 0.9);
  s.p99_kl = quantile(sorted, 0.99);
  s.p999_kl = quantile(sorted, 0.999);
  s.max_kl = sorted.back();
  s.top1_agreement = static_cast<double>(agree_) / n;
  s.rms_top_prob_diff = std::sqrt(sum_sq_top_diff_ / n);
  return s;
}

}  // namespace kldiv
