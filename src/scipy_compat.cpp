#include "kldiv/scipy_compat.hpp"

#include <cmath>
#include <limits>

#include "kldiv/discrete.hpp"
#include "kldiv/error.hpp"
#include "terms.hpp"

namespace kldiv::scipy_compat {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

double rel_entr_term(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return kNan;
  if (x > 0.0 && y > 0.0) {
    return std::isinf(x) || std::isinf(y) ? x * std::log(x / y)
                                          : x * detail::log_ratio(x, y);
  }
  if (x == 0.0 && y >= 0.0) return 0.0;
  return kInf;
}

double kl_div_term(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return kNan;
  if (x > 0.0 && y > 0.0) {
    return std::isinf(x) || std::isinf(y) ? x * std::log(x / y) - x + y
                                          : detail::gkl_term(x, y);
  }
  if (x == 0.0 && y >= 0.0) return y;
  return kInf;
}

// scipy.special.entr: -x log x, 0 at 0, -inf for x < 0.
double entr_term(double x) {
  if (std::isnan(x)) return kNan;
  if (x > 0.0) return -x * std::log(x);
  if (x == 0.0) return 0.0;
  return -kInf;
}

template <class T, class Term>
void elementwise(std::span<const T> x, std::span<const T> y, std::span<T> out,
                 Term term) {
  if (x.size() != y.size() || out.size() != x.size()) {
    throw InvalidArgument("x, y and out must have the same length");
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    out[i] = static_cast<T>(
        term(static_cast<double>(x[i]), static_cast<double>(y[i])));
  }
}

std::span<const double> contiguous_row(const matrix_view<double>& m,
                                       std::size_t r,
                                       std::vector<double>& buffer) {
  if (m.col_stride == 1) return {m.data + r * m.row_stride, m.cols};
  buffer.resize(m.cols);
  for (std::size_t c = 0; c < m.cols; ++c) buffer[c] = m(r, c);
  return buffer;
}

// Whether SciPy's p / sum(p) is a probability vector: every entry finite and
// >= 0, and a positive, finite sum. Only then do kldiv's algorithms apply.
bool is_weight_vector(std::span<const double> v) {
  double sum = 0.0;
  for (double x : v) {
    if (!(x >= 0.0) || std::isinf(x)) return false;
    sum += x;
  }
  return sum > 0.0 && std::isfinite(sum);
}

double row_sum(std::span<const double> v) {
  detail::compensated_sum s;
  for (double x : v) s.add(x);
  return s.value();
}

double divide_by_log_base(double nats, std::optional<double> base) {
  return base ? nats / std::log(*base) : nats;
}

discrete_options weights() {
  discrete_options opt;
  opt.kind = input_kind::weights;
  return opt;
}

}  // namespace

void rel_entr(std::span<const double> x, std::span<const double> y,
              std::span<double> out) {
  elementwise(x, y, out, rel_entr_term);
}
void rel_entr(std::span<const float> x, std::span<const float> y,
              std::span<float> out) {
  elementwise(x, y, out, rel_entr_term);
}
void kl_div(std::span<const double> x, std::span<const double> y,
            std::span<double> out) {
  elementwise(x, y, out, kl_div_term);
}
void kl_div(std::span<const float> x, std::span<const float> y,
            std::span<float> out) {
  elementwise(x, y, out, kl_div_term);
}

std::vector<double> entropy(const matrix_view<double>& pk,
                            const matrix_view<double>* qk,
                            std::optional<double> base) {
  if (base && !(*base > 0.0)) {
    throw InvalidArgument("`base` must be a positive number or `None`.");
  }
  if (qk && (qk->rows != pk.rows || qk->cols != pk.cols)) {
    throw InvalidArgument("pk and qk must have the same shape");
  }
  std::vector<double> out(pk.rows), pbuf, qbuf;
  for (std::size_t r = 0; r < pk.rows; ++r) {
    const auto p = contiguous_row(pk, r, pbuf);
    if (!qk) {
      out[r] = divide_by_log_base(
          is_weight_vector(p) ? kldiv::entropy(p, weights()) : [&] {
            const double sum = row_sum(p);
            detail::compensated_sum s;
            for (double x : p) s.add(entr_term(x / sum));
            return s.value();
          }(),
          base);
      continue;
    }
    const auto q = contiguous_row(*qk, r, qbuf);
    out[r] = divide_by_log_base(
        is_weight_vector(p) && is_weight_vector(q) ? kldiv::kl(p, q, weights())
                                                   : [&] {
          const double sp = row_sum(p), sq = row_sum(q);
          detail::compensated_sum s;
          for (std::size_t i = 0; i < p.size(); ++i) {
            s.add(rel_entr_term(p[i] / sp, q[i] / sq));
          }
          return s.value();
        }(),
        base);
  }
  return out;
}

std::vector<double> jensenshannon(const matrix_view<double>& p,
                                  const matrix_view<double>& q,
                                  std::optional<double> base) {
  if (q.rows != p.rows || q.cols != p.cols) {
    throw InvalidArgument("p and q must have the same shape");
  }
  std::vector<double> out(p.rows), pbuf, qbuf;
  for (std::size_t r = 0; r < p.rows; ++r) {
    const auto pr = contiguous_row(p, r, pbuf);
    const auto qr = contiguous_row(q, r, qbuf);
    double js = 0.0;  // KL(p‖m) + KL(q‖m), in nats
    if (is_weight_vector(pr) && is_weight_vector(qr)) {
      js = 2.0 * kldiv::js_divergence(pr, qr, weights());
    } else {
      const double sp = row_sum(pr), sq = row_sum(qr);
      detail::compensated_sum s;
      for (std::size_t i = 0; i < pr.size(); ++i) {
        const double a = pr[i] / sp, b = qr[i] / sq, m = (a + b) / 2.0;
        s.add(rel_entr_term(a, m));
        s.add(rel_entr_term(b, m));
      }
      js = s.value();
    }
    out[r] = std::sqrt(divide_by_log_base(js, base) / 2.0);
  }
  return out;
}

}  // namespace kldiv::scipy_compat
