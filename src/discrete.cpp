// The scalar implementation of the discrete divergences: plain loops, written
// for accuracy first. It is the reference that faster kernels are tested
// against, so every formula here is chosen to lose no digits:
//  - KL, JS and generalised KL are sums of terms that are all >= 0,
//    g(p, q) = p log(p/q) - p + q, plus the exact (compensated) difference of
//    the sums; g is evaluated by a series where p is close to q, so that
//    KL(p, p + tiny) keeps its digits instead of cancelling to noise.
//  - log(p/q) uses log1p((p - q)/q) where p - q is exact (Sterbenz: q/2 <= p
//    <= 2q), and log p - log q where p/q would overflow or underflow.
//  - Sums are compensated (Neumaier).
// The term functions shared with scipy_compat.cpp are in terms.hpp.
#include "kldiv/discrete.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "format_number.hpp"
#include "kldiv/error.hpp"
#include "reference.hpp"
#include "simd/kernels.hpp"
#include "terms.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace kldiv {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using detail::compensated_sum;
using detail::gkl_term;
using detail::log_ratio;
using detail::phi_near_zero;

// h(z) = expm1(z) - z >= 0, without cancellation for small |z|.
double expm1_minus_id(double z) {
  if (std::fabs(z) >= 1.0) return std::expm1(z) - z;
  double term = z * z / 2.0;
  double sum = 0.0;
  for (int k = 3; k < 40; ++k) {
    sum += term;
    if (std::fabs(term) < 1e-18 * std::fabs(sum)) break;
    term *= z / k;
  }
  return sum;
}

// An input vector: n values at data[i * stride] of type T.
template <class T>
struct strided {
  const T* data;
  std::size_t n;
  std::size_t stride;
  double operator[](std::size_t i) const {
    return static_cast<double>(data[i * stride]);
  }
};

template <class T>
strided<T> as_strided(std::span<const T> s) {
  return {s.data(), s.size(), 1};
}

template <class T>
strided<T> row_of(const matrix_view<T>& m, std::size_t r) {
  return {m.data + r * m.row_stride, m.cols, m.col_stride};
}

// The map from an input's values to the probabilities the measures use:
// identity for probabilities, x / sum for weights and counts, and smoothing.
struct value_map {
  bool identity = true;
  double add = 0.0;      // added before dividing (additive smoothing)
  double divisor = 1.0;  // the total
  double keep = 1.0;     // 1 - lambda
  double mix = 0.0;      // lambda / k
  double operator()(double x) const {
    if (identity) return x;
    const double v = (x + add) / divisor;
    return mix == 0.0 ? v : keep * v + mix;
  }
};

std::string entry_name(const std::string& arg, std::size_t i) {
  return arg + "[" + std::to_string(i) + "]";
}

std::string_view noun(input_kind kind) { return to_string(kind); }

double default_tolerance(bool is_float) { return is_float ? 1e-4 : 1e-6; }

void check_options(const discrete_options& opt) {
  const double a = opt.smooth.amount;
  switch (opt.smooth.kind) {
    case smoothing::method::none:
      break;
    case smoothing::method::additive:
      if (!(a >= 0.0) || !std::isfinite(a)) {
        throw InvalidArgument("smoothing alpha = " + detail::format_number(a) +
                              ": must be finite and >= 0");
      }
      if (opt.kind != input_kind::counts) {
        throw InvalidArgument(
            "additive smoothing (alpha) applies to counts, but the inputs "
            "are " +
            std::string(noun(opt.kind)) +
            ": pass counts, or smooth by mixing with the uniform distribution "
            "(lambda)");
      }
      break;
    case smoothing::method::uniform_mix:
      if (!(a >= 0.0 && a <= 1.0)) {
        throw InvalidArgument("smoothing lambda = " + detail::format_number(a) +
                              ": must be in [0, 1]");
      }
      break;
  }
  if (opt.tolerance && !(*opt.tolerance >= 0.0)) {
    throw InvalidArgument(
        "tolerance = " + detail::format_number(*opt.tolerance) +
        ": must be >= 0");
  }
}

// Checks one input vector (signs, finiteness, sum) unless validation is off,
// and returns the map to its probabilities. `check_sum` is false for measures
// of unnormalised inputs (generalized_kl).
template <class T>
value_map prepare_one(const strided<T>& v, const std::string& arg,
                      const discrete_options& opt, bool check_sum) {
  if (v.n == 0) {
    throw InvalidArgument(arg +
                          " is empty: a distribution needs at least one "
                          "entry");
  }
  compensated_sum total;
  for (std::size_t i = 0; i < v.n; ++i) {
    const T x = v.data[i * v.stride];
    if (opt.validate) {
      if (!std::isfinite(x)) {
        throw InvalidArgument(entry_name(arg, i) + " = " +
                              detail::format_number(x) + ": " +
                              std::string(noun(opt.kind)) + " must be finite");
      }
      if (x < 0) {
        throw InvalidArgument(entry_name(arg, i) + " = " +
                              detail::format_number(x) + ": " +
                              std::string(noun(opt.kind)) + " must be >= 0");
      }
    }
    total.add(static_cast<double>(x));
  }
  const double sum = total.value();
  value_map map;
  if (opt.kind == input_kind::probabilities) {
    const double tol =
        opt.tolerance.value_or(default_tolerance(std::is_same_v<T, float>));
    if (opt.validate && check_sum && !(std::fabs(sum - 1.0) <= tol)) {
      throw InvalidArgument(
          arg + " sums to " + detail::format_number(sum) + ", not 1 (off by " +
          detail::format_number(std::fabs(sum - 1.0)) +
          ", more than the tolerance " + detail::format_number(tol) +
          "): pass normalize to treat the values as weights, or counts");
    }
    if (!opt.smooth.enabled()) return map;  // the values as given
  } else if (!(sum > 0.0) || !std::isfinite(sum)) {
    throw InvalidArgument(arg + " sums to " + detail::format_number(sum) +
                          ": " + std::string(noun(opt.kind)) +
                          " need a positive, finite total");
  }
  map.identity = false;
  map.divisor = sum;
  const double k = static_cast<double>(v.n);
  if (opt.smooth.kind == smoothing::method::additive) {
    map.add = opt.smooth.amount;
    map.divisor = sum + k * opt.smooth.amount;
  } else if (opt.smooth.kind == smoothing::method::uniform_mix) {
    map.keep = 1.0 - opt.smooth.amount;
    map.mix = opt.smooth.amount / k;
  }
  return map;
}

// A pair of inputs, checked and ready: p_i = map_p(raw p_i), likewise q.
template <class T>
struct pair_input {
  strided<T> p, q;
  value_map map_p, map_q;
  std::size_t size() const { return p.n; }
  double pi(std::size_t i) const { return map_p(p[i]); }
  double qi(std::size_t i) const { return map_q(q[i]); }
};

template <class T>
pair_input<T> prepare_pair(const strided<T>& p, const strided<T>& q,
                           const std::string& p_name, const std::string& q_name,
                           const discrete_options& opt, bool check_sum = true) {
  check_options(opt);
  if (p.n != q.n) {
    throw InvalidArgument(p_name + " has " + std::to_string(p.n) +
                          " entries but " + q_name + " has " +
                          std::to_string(q.n) + ": the lengths must match");
  }
  return {p, q, prepare_one(p, p_name, opt, check_sum),
          prepare_one(q, q_name, opt, check_sum)};
}

// ---- the measures, in nats, on prepared inputs ------------------------------

// Σp - Σq, compensated: the part of KL that the g terms leave out.
template <class T>
double sum_difference(const pair_input<T>& in) {
  compensated_sum d;
  for (std::size_t i = 0; i < in.size(); ++i) {
    d.add(in.pi(i));
    d.add(-in.qi(i));
  }
  return d.value();
}

template <class T>
double generalized_kl_nats(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double g = gkl_term(in.pi(i), in.qi(i));
    if (g == kInf) return kInf;
    s.add(g);
  }
  return std::max(s.value(), 0.0);
}

template <class T>
double kl_nats(const pair_input<T>& in) {
  const double g = generalized_kl_nats(in);
  if (g == kInf) return kInf;
  return std::max(g + sum_difference(in), 0.0);
}

template <class T>
pair_input<T> swapped(const pair_input<T>& in) {
  return {in.q, in.p, in.map_q, in.map_p};
}

template <class T>
double cross_entropy_nats(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == 0.0) continue;
    if (q == 0.0) return kInf;
    s.add(-p * std::log(q));
  }
  return std::max(s.value(), 0.0);
}

template <class T>
double entropy_nats(const strided<T>& v, const value_map& map) {
  compensated_sum s;
  for (std::size_t i = 0; i < v.n; ++i) {
    const double p = map(v[i]);
    if (p > 0.0) s.add(-p * std::log(p));
  }
  return std::max(s.value(), 0.0);
}

template <class T>
double jeffreys_nats(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == q) continue;  // identical entries, zeros included: exactly 0
    if (p == 0.0 || q == 0.0) return kInf;
    s.add((p - q) * log_ratio(p, q));
  }
  return std::max(s.value(), 0.0);
}

// The largest JS for the weights: the entropy of (pi1, pi2).
double js_bound_nats(js_weights w) {
  double h = 0.0;
  if (w.pi1 > 0.0) h -= w.pi1 * std::log(w.pi1);
  if (w.pi2 > 0.0) h -= w.pi2 * std::log(w.pi2);
  return h;
}

void check_weights(js_weights w) {
  const bool ok = w.pi1 >= 0.0 && w.pi2 >= 0.0 && std::isfinite(w.pi1) &&
                  std::isfinite(w.pi2) &&
                  std::fabs(w.pi1 + w.pi2 - 1.0) <= 1e-12;
  if (!ok) {
    throw InvalidArgument("js weights pi1 = " + detail::format_number(w.pi1) +
                          ", pi2 = " + detail::format_number(w.pi2) +
                          ": must be >= 0 and sum to 1");
  }
}

// (a + b) - fl(a + b), exactly (Knuth's TwoSum).
double two_sum_error(double a, double b, double s) {
  const double bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

// g(p, m) for m = m_hi + m_lo given to twice double precision (m > 0).
double gkl_term_split(double p, double m_hi, double m_lo) {
  if (p == 0.0) return m_hi + m_lo;
  if (p <= 2.0 * m_hi && m_hi <= 2.0 * p) {
    // p - m_hi is exact; m_lo then enters at full precision.
    const double m = m_hi + m_lo;
    return m * phi_near_zero(((p - m_hi) - m_lo) / m);
  }
  return p * log_ratio(p, m_hi) + ((m_hi - p) + m_lo);
}

// JS = Σ [pi1 g(p, m) + pi2 g(q, m)], m = pi1 p + pi2 q: the sums of p, q
// and m cancel exactly. m is carried to twice double precision (its rounding
// error kept exactly by FMA and TwoSum), so that JS of nearly equal p and q
// keeps its digits; equal entries contribute exactly 0.
template <class T>
double js_nats(const pair_input<T>& in, js_weights w) {
  check_weights(w);
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == q) continue;
    const double a = w.pi1 * p, b = w.pi2 * q;
    const double m_hi = a + b;
    const double m_lo = std::fma(w.pi1, p, -a) + std::fma(w.pi2, q, -b) +
                        two_sum_error(a, b, m_hi);
    if (w.pi1 > 0.0) s.add(w.pi1 * gkl_term_split(p, m_hi, m_lo));
    if (w.pi2 > 0.0) s.add(w.pi2 * gkl_term_split(q, m_hi, m_lo));
  }
  return std::clamp(s.value(), 0.0, js_bound_nats(w));
}

// ½ Σ (sqrt p - sqrt q)^2, with the difference of roots from p - q (exact
// near p = q).
template <class T>
double hellinger_squared(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == q) continue;
    const double sp = std::sqrt(p), sq = std::sqrt(q);
    const double d =
        (p <= 2.0 * q && q <= 2.0 * p) ? (p - q) / (sp + sq) : sp - sq;
    s.add(d * d);
  }
  return 0.5 * s.value();
}

template <class T>
double bhattacharyya_coefficient_value(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    s.add(std::sqrt(in.pi(i)) * std::sqrt(in.qi(i)));
  }
  return std::clamp(s.value(), 0.0, 1.0);
}

// -log(BC / sqrt(Σp Σq)): -log BC for vectors summing to 1, and exactly 0 for
// equal vectors whatever their sums. Near BC = 1 it uses
// BC - G = (A - G) - H², A = (Σp + Σq)/2, G = sqrt(Σp Σq),
// A - G = (Σp - Σq)² / (2 (sqrt Σp + sqrt Σq)²), every part accurate, instead
// of the rounded BC.
template <class T>
double bhattacharyya_distance_nats(const pair_input<T>& in) {
  const double bc = bhattacharyya_coefficient_value(in);
  if (bc == 0.0) return kInf;
  compensated_sum sp, sq;
  for (std::size_t i = 0; i < in.size(); ++i) {
    sp.add(in.pi(i));
    sq.add(in.qi(i));
  }
  const double tp = sp.value(), tq = sq.value();
  const double g = std::sqrt(tp) * std::sqrt(tq);
  if (bc < 0.5 * g) return std::max(-std::log(bc / g), 0.0);
  const double root_sum = std::sqrt(tp) + std::sqrt(tq);
  const double a_minus_g = (tp - tq) * (tp - tq) / (2.0 * root_sum * root_sum);
  return std::max(-std::log1p((a_minus_g - hellinger_squared(in)) / g), 0.0);
}

template <class T>
double total_variation_value(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    s.add(std::fabs(in.pi(i) - in.qi(i)));
  }
  return std::clamp(0.5 * s.value(), 0.0, 1.0);
}

// Σ (p - q)^2 / q, as d * (d / q) so that tiny q does not underflow d^2.
template <class T>
double chi2_pearson_value(const pair_input<T>& in) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == q) continue;
    if (q == 0.0) return kInf;
    const double d = p - q;
    s.add(d * (d / q));
  }
  return std::max(s.value(), 0.0);
}

void check_alpha(double alpha) {
  if (!(alpha >= 0.0)) {
    throw InvalidArgument("renyi alpha = " + detail::format_number(alpha) +
                          ": the order must be >= 0 (or +inf)");
  }
}

// log1p(x) / x, accurate near 0 (where it tends to 1).
double log1p_over_x(double x) {
  if (std::fabs(x) < 1e-4) return 1.0 - x / 2.0 + x * x / 3.0 - x * x * x / 4.0;
  return std::log1p(x) / x;
}

// Rényi divergence of order alpha (checked), in nats, in Rényi's form
// D = log(Σ p^alpha q^(1-alpha) / Σp) / (alpha - 1).
template <class T>
double renyi_nats(const pair_input<T>& in, double alpha) {
  check_alpha(alpha);
  const std::size_t n = in.size();
  if (alpha == 1.0) return kl_nats(in);
  if (alpha == 0.0) {
    // -log(Σ_{p>0} q / Σp) = -log1p(d / Σp) with d = Σ_{p>0} q - Σp
    // = (Σq - Σp) - Σ_{p=0} q, summed with compensation so that a tiny
    // uncovered mass survives. An input this call normalised sums to exactly
    // 1 in exact arithmetic: its Σ is taken as 1, not as the rounded sum, so
    // that equal supports give exactly 0.
    compensated_sum d, total;
    for (std::size_t i = 0; i < n; ++i) {
      const double p = in.pi(i), q = in.qi(i);
      if (in.map_p.identity) {
        total.add(p);
        d.add(-p);
      }
      if (in.map_q.identity) d.add(q);
      if (p == 0.0) d.add(-q);
    }
    if (!in.map_p.identity) {
      total.add(1.0);
      d.add(-1.0);
    }
    if (!in.map_q.identity) d.add(1.0);
    const double ratio_minus_one = d.value() / total.value();
    if (ratio_minus_one <= -1.0) return kInf;
    return std::max(-std::log1p(ratio_minus_one), 0.0);
  }
  if (alpha == kInf) {
    double best = -kInf;
    for (std::size_t i = 0; i < n; ++i) {
      const double p = in.pi(i), q = in.qi(i);
      if (p == 0.0) continue;
      if (q == 0.0) return kInf;
      best = std::max(best, log_ratio(p, q));
    }
    return std::max(best, 0.0);
  }
  // With r = log(p/q) and z = (alpha - 1) r on the shared support, and m0 the
  // mass of p where q = 0 (which drops out of the sum for alpha < 1 and makes
  // it infinite for alpha > 1):
  //   Σ p e^z / Σp - 1 = (alpha - 1) T / Σp,
  //   T = Σ p r + Σ p (e^z - 1 - z) / (alpha - 1)            over |z| < 1
  //     + (Σ p (e^z - 1) - m0) / (alpha - 1)                  over |z| >= 1,
  // where Σ p r = Σ g(p, q) + Σ (p - q) (every term accurate), and
  // D = (T / Σp) * log1p(x) / x with x = (alpha - 1) T / Σp. Near alpha = 1 or
  // p = q every part keeps its digits, so D goes continuously into KL, and no
  // subnormal is multiplied by the small alpha - 1. Where some p e^z would
  // overflow, log-sum-exp takes over.
  const double am1 = alpha - 1.0;
  double w_max = -kInf;  // max log(p e^z)
  bool shared = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == 0.0) continue;
    if (q == 0.0) {
      if (am1 > 0.0) return kInf;
      continue;
    }
    shared = true;
    w_max = std::max(w_max, std::log(p) + am1 * log_ratio(p, q));
  }
  if (!shared) return kInf;  // disjoint supports, alpha < 1
  // log(Σ p e^z / Σp) by log-sum-exp: safe from overflow, and accurate
  // whenever the result is not close to 0.
  const auto log_sum_exp_form = [&] {
    compensated_sum s, total;
    for (std::size_t i = 0; i < n; ++i) {
      const double p = in.pi(i), q = in.qi(i);
      total.add(p);
      if (p == 0.0 || q == 0.0) continue;
      s.add(std::exp(std::log(p) + am1 * log_ratio(p, q) - w_max));
    }
    return std::max((w_max + std::log(s.value() / total.value())) / am1, 0.0);
  };
  if (w_max > 600.0) return log_sum_exp_form();
  compensated_sum t, total;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = in.pi(i), q = in.qi(i);
    total.add(p);
    if (p == 0.0 || p == q) continue;
    if (q == 0.0) {
      t.add(-p / am1);  // the -m0 term
      continue;
    }
    const double z = am1 * log_ratio(p, q);
    if (std::fabs(z) < 1.0) {
      t.add(gkl_term(p, q));
      t.add(p);
      t.add(-q);
      t.add(p * (expm1_minus_id(z) / am1));
    } else {
      t.add(p * (std::expm1(z) / am1));
    }
  }
  const double t_mean = t.value() / total.value();
  const double x = am1 * t_mean;  // Σ p e^z / Σp - 1
  // Where Σ p e^z / Σp is far below 1, the log of it is large and the
  // log-sum-exp form loses nothing, while 1 + x here would cancel.
  if (x < -0.5) return log_sum_exp_form();
  return std::max(t_mean * log1p_over_x(x), 0.0);
}

void check_f_at_one(const convex_function& f) {
  if (!f.f) throw InvalidArgument("f_divergence: f is empty");
  const double f1 = f.f(1.0);
  if (!(std::fabs(f1) <= 1e-12)) {
    throw InvalidArgument("f(1) = " + detail::format_number(f1) +
                          ", but an f-divergence needs f(1) = 0");
  }
  if (std::isnan(f.slope_at_infinity)) {
    throw InvalidArgument("f_divergence: slope_at_infinity is nan");
  }
}

template <class T>
double f_divergence_value(const pair_input<T>& in, const convex_function& f) {
  compensated_sum s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    if (p == 0.0 && q == 0.0) continue;
    const double t = q == 0.0 ? kInf : p / q;
    if (t == kInf) {
      if (f.slope_at_infinity == kInf) return kInf;
      s.add(p * f.slope_at_infinity);
      continue;
    }
    const double ft = f.f(t);
    if (!std::isfinite(ft)) {
      throw InvalidArgument("f(" + detail::format_number(t) +
                            ") = " + detail::format_number(ft) +
                            ": f must be finite on [0, inf)");
    }
    s.add(q * ft);
  }
  return s.value();
}

// ---- the public forms: one pair, and rows

double in_base(double nats, const discrete_options& opt) {
  return opt.base.is_natural() ? nats : nats / opt.base.ln();
}

// Calls fn(pair_input) for the single pair (p, q).
template <class T, class Fn>
double one_pair(std::span<const T> p, std::span<const T> q,
                const discrete_options& opt, Fn fn, bool check_sum = true) {
  return fn(
      prepare_pair(as_strided(p), as_strided(q), "p", "q", opt, check_sum));
}

void check_rows(std::size_t pr, std::size_t qr) {
  if (pr != qr) {
    throw InvalidArgument("p has " + std::to_string(pr) + " rows but q has " +
                          std::to_string(qr) + ": the row counts must match");
  }
}

// Calls fn(pair_input) for every row pair; errors name the row ("p[3][17]").
template <class T, class Fn>
std::vector<double> row_pairs(const matrix_view<T>& p, const matrix_view<T>& q,
                              const discrete_options& opt, Fn fn,
                              bool check_sum = true) {
  check_rows(p.rows, q.rows);
  std::vector<double> out(p.rows);
  for (std::size_t r = 0; r < p.rows; ++r) {
    const std::string suffix = "[" + std::to_string(r) + "]";
    out[r] = fn(prepare_pair(row_of(p, r), row_of(q, r), "p" + suffix,
                             "q" + suffix, opt, check_sum));
  }
  return out;
}

template <class T>
void rel_entr_into(const pair_input<T>& in, T* out,
                   const discrete_options& opt) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double p = in.pi(i), q = in.qi(i);
    double v = 0.0;
    if (p > 0.0) v = q == 0.0 ? kInf : p * log_ratio(p, q);
    out[i] = static_cast<T>(in_base(v, opt));
  }
}

void check_out_size(std::size_t got, std::size_t want) {
  if (got != want) {
    throw InvalidArgument("out has " + std::to_string(got) + " entries but " +
                          std::to_string(want) + " are needed");
  }
}

}  // namespace

// ---- kl: the SIMD kernel where it applies, the scalar loops elsewhere

namespace {

constexpr std::size_t kBlock = 8192;  // entries per block (and per task)

int thread_count(const discrete_options& opt, std::size_t blocks) {
  if (blocks < 2) return 1;
#ifdef _OPENMP
  const int wanted = opt.threads > 0 ? opt.threads : omp_get_max_threads();
#else
  const int wanted = 1;
  (void)opt;
#endif
  return static_cast<int>(std::min<std::size_t>(
      static_cast<std::size_t>(std::max(wanted, 1)), blocks));
}

// A block's partial sums by the scalar reference: for the rare blocks the
// kernel hands back (subnormals, q = 0 < p, some negative values), with its
// own check for invalid values.
template <class T>
detail::kl_partial kl_block_scalar(const T* p, const T* q, std::size_t n) {
  compensated_sum g, d, sp, sq;
  bool bad = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double pi = p[i], qi = q[i];
    bad = bad || !(pi >= 0.0 && qi >= 0.0 && pi < kInf && qi < kInf);
    g.add(gkl_term(pi, qi));
    d.add(pi);
    d.add(-qi);
    sp.add(pi);
    sq.add(qi);
  }
  detail::kl_partial out;
  out.g = g.value();
  out.d_sum = d.value();
  out.sp = sp.value();
  out.sq = sq.value();
  out.bad = bad;
  return out;
}

// The kernels' partial sums over the blocks of p and q, spread over threads
// and combined in their fixed order (the same result for any thread count),
// for probabilities used as given; nothing when the input needs the scalar
// path (other input kinds, smoothing, invalid values, whose messages the
// scalar checks produce).
enum class kernel {
  kl,
  cross_entropy,
  total_variation,
  chi2_pearson,
  hellinger,
  bhattacharyya
};

template <class T>
std::optional<detail::kl_partial> kernel_sums(kernel which,
                                              std::span<const T> p,
                                              std::span<const T> q,
                                              const discrete_options& opt) {
  if (opt.kind != input_kind::probabilities || opt.smooth.enabled() ||
      p.size() != q.size() || p.empty()) {
    return std::nullopt;
  }
  const std::size_t n = p.size();
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<detail::kl_partial> parts(blocks);
  const int threads = thread_count(opt, blocks);
  const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (std::ptrdiff_t b = 0; b < nb; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock;
    const std::size_t len = std::min(kBlock, n - begin);
    const T* pb = p.data() + begin;
    const T* qb = q.data() + begin;
    if (which == kernel::kl) {
      detail::kl_block(pb, qb, len, &parts[b]);
      if (parts[b].odd && !parts[b].bad) {
        parts[b] = kl_block_scalar(pb, qb, len);
      }
    } else if (which == kernel::cross_entropy) {
      detail::xent_block(pb, qb, len, &parts[b]);
    } else {
      const auto m = which == kernel::total_variation
                         ? detail::sum_total_variation
                     : which == kernel::chi2_pearson ? detail::sum_chi2_pearson
                     : which == kernel::hellinger    ? detail::sum_hellinger
                                                  : detail::sum_bhattacharyya;
      detail::sum_block(m, pb, qb, len, &parts[b]);
    }
  }
  compensated_sum g, d, sp, sq;
  for (const auto& part : parts) {
    if (part.bad) return std::nullopt;
    g.add(part.g);
    d.add(part.d_sum);
    d.add(part.d_comp);
    sp.add(part.sp);
    sq.add(part.sq);
  }
  if (opt.validate) {
    const double tol =
        opt.tolerance.value_or(default_tolerance(std::is_same_v<T, float>));
    if (!(std::fabs(sp.value() - 1.0) <= tol) ||
        !(std::fabs(sq.value() - 1.0) <= tol)) {
      return std::nullopt;
    }
  }
  detail::kl_partial total;
  total.g = g.value();
  total.d_sum = d.value();
  return total;
}

// KL in nats by the kernel: Σ g + (Σp - Σq), clamped at 0.
template <class T>
std::optional<double> kl_vector_kernel(std::span<const T> p,
                                       std::span<const T> q,
                                       const discrete_options& opt) {
  const auto s = kernel_sums(kernel::kl, p, q, opt);
  if (!s) return std::nullopt;
  if (s->g == kInf) return kInf;
  return std::max(s->g + s->d_sum, 0.0);
}

// Cross-entropy (entropy for q = p) in nats by the kernel.
template <class T>
std::optional<double> xent_vector_kernel(std::span<const T> p,
                                         std::span<const T> q,
                                         const discrete_options& opt) {
  const auto s = kernel_sums(kernel::cross_entropy, p, q, opt);
  if (!s) return std::nullopt;
  return std::max(s->g, 0.0);
}

template <class T>
double kl_vector(std::span<const T> p, std::span<const T> q,
                 const discrete_options& opt) {
  check_options(opt);
  if (auto v = kl_vector_kernel(p, q, opt)) return in_base(*v, opt);
  return detail::kl_reference(p, q, opt);
}

// Rows through `fast` (a kernel, or nothing) where a row is contiguous, else
// through `slow` (the scalar measure, in nats, on a prepared pair). Many
// short rows are spread over threads, one row per task (each row's result is
// the same on any thread); long rows spread their own blocks instead. Rows
// the kernel declines are then done in order, so that an error names the
// first bad row.
template <class T, class Fast, class Slow>
std::vector<double> kernel_rows(const matrix_view<T>& p,
                                const matrix_view<T>& q,
                                const discrete_options& opt, Fast fast,
                                Slow slow) {
  check_options(opt);
  check_rows(p.rows, q.rows);
  const std::size_t rows = p.rows;
  std::vector<double> out(rows);
  std::vector<char> done(rows, 0);
  if (p.contiguous_rows() && q.contiguous_rows()) {
    const bool by_rows = rows > 1 && p.cols < kBlock;
    const int threads = by_rows ? thread_count(opt, rows * p.cols / kBlock) : 1;
    discrete_options inner = opt;
    if (by_rows) inner.threads = 1;
    const auto nr = static_cast<std::ptrdiff_t>(rows);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
    for (std::ptrdiff_t r = 0; r < nr; ++r) {
      const std::span<const T> pr(p.data + r * p.row_stride, p.cols);
      const std::span<const T> qr(q.data + r * q.row_stride, q.cols);
      if (auto v = fast(pr, qr, inner)) {
        out[r] = in_base(*v, opt);
        done[r] = 1;
      }
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (done[r]) continue;
    const std::string suffix = "[" + std::to_string(r) + "]";
    out[r] = in_base(slow(prepare_pair(row_of(p, r), row_of(q, r), "p" + suffix,
                                       "q" + suffix, opt)),
                     opt);
  }
  return out;
}

template <class T>
std::vector<double> kl_rows(const matrix_view<T>& p, const matrix_view<T>& q,
                            const discrete_options& opt) {
  return kernel_rows(
      p, q, opt,
      [](std::span<const T> a, std::span<const T> b,
         const discrete_options& o) { return kl_vector_kernel(a, b, o); },
      [](const auto& in) { return kl_nats(in); });
}

template <class T>
double cross_entropy_vector(std::span<const T> p, std::span<const T> q,
                            const discrete_options& opt) {
  check_options(opt);
  if (auto v = xent_vector_kernel(p, q, opt)) return in_base(*v, opt);
  return detail::cross_entropy_reference(p, q, opt);
}

template <class T>
std::vector<double> cross_entropy_rows(const matrix_view<T>& p,
                                       const matrix_view<T>& q,
                                       const discrete_options& opt) {
  return kernel_rows(
      p, q, opt,
      [](std::span<const T> a, std::span<const T> b,
         const discrete_options& o) { return xent_vector_kernel(a, b, o); },
      [](const auto& in) { return cross_entropy_nats(in); });
}

}  // namespace

double detail::kl_reference(dspan p, dspan q, const discrete_options& opt) {
  return one_pair(p, q, opt,
                  [&](const auto& in) { return in_base(kl_nats(in), opt); });
}
double detail::kl_reference(fspan p, fspan q, const discrete_options& opt) {
  return one_pair(p, q, opt,
                  [&](const auto& in) { return in_base(kl_nats(in), opt); });
}

double detail::cross_entropy_reference(dspan p, dspan q,
                                       const discrete_options& opt) {
  return one_pair(p, q, opt, [&](const auto& in) {
    return in_base(cross_entropy_nats(in), opt);
  });
}
double detail::cross_entropy_reference(fspan p, fspan q,
                                       const discrete_options& opt) {
  return one_pair(p, q, opt, [&](const auto& in) {
    return in_base(cross_entropy_nats(in), opt);
  });
}
double detail::entropy_reference(dspan p, const discrete_options& opt) {
  check_options(opt);
  const auto v = as_strided(p);
  return in_base(entropy_nats(v, prepare_one(v, "p", opt, true)), opt);
}
double detail::entropy_reference(fspan p, const discrete_options& opt) {
  check_options(opt);
  const auto v = as_strided(p);
  return in_base(entropy_nats(v, prepare_one(v, "p", opt, true)), opt);
}

double cross_entropy(dspan p, dspan q, const discrete_options& opt) {
  return cross_entropy_vector(p, q, opt);
}
double cross_entropy(fspan p, fspan q, const discrete_options& opt) {
  return cross_entropy_vector(p, q, opt);
}
std::vector<double> cross_entropy(dmatrix p, dmatrix q,
                                  const discrete_options& opt) {
  return cross_entropy_rows(p, q, opt);
}
std::vector<double> cross_entropy(fmatrix p, fmatrix q,
                                  const discrete_options& opt) {
  return cross_entropy_rows(p, q, opt);
}

double kl(dspan p, dspan q, const discrete_options& opt) {
  return kl_vector(p, q, opt);
}
double kl(fspan p, fspan q, const discrete_options& opt) {
  return kl_vector(p, q, opt);
}
std::vector<double> kl(dmatrix p, dmatrix q, const discrete_options& opt) {
  return kl_rows(p, q, opt);
}
std::vector<double> kl(fmatrix p, fmatrix q, const discrete_options& opt) {
  return kl_rows(p, q, opt);
}

// Each other measure's public overloads: vector and rows, double and float.
// The lambda turns a prepared pair into the result in the caller's unit.
#define KLDIV_PAIR_MEASURE(name, expr, check_sum)                    \
  double name(dspan p, dspan q, const discrete_options& opt) {       \
    return one_pair(                                                 \
        p, q, opt, [&](const auto& in) { return expr; }, check_sum); \
  }                                                                  \
  double name(fspan p, fspan q, const discrete_options& opt) {       \
    return one_pair(                                                 \
        p, q, opt, [&](const auto& in) { return expr; }, check_sum); \
  }                                                                  \
  std::vector<double> name(dmatrix p, dmatrix q,                     \
                           const discrete_options& opt) {            \
    return row_pairs(                                                \
        p, q, opt, [&](const auto& in) { return expr; }, check_sum); \
  }                                                                  \
  std::vector<double> name(fmatrix p, fmatrix q,                     \
                           const discrete_options& opt) {            \
    return row_pairs(                                                \
        p, q, opt, [&](const auto& in) { return expr; }, check_sum); \
  }

KLDIV_PAIR_MEASURE(generalized_kl, in_base(generalized_kl_nats(in), opt), false)
KLDIV_PAIR_MEASURE(jeffreys, in_base(jeffreys_nats(in), opt), true)
KLDIV_PAIR_MEASURE(bhattacharyya_distance,
                   in_base(bhattacharyya_distance_nats(in), opt), true)
#undef KLDIV_PAIR_MEASURE

// ---- the plain-sum measures: a kernel where it applies

namespace {

// Each plain-sum measure: its kernel, the final step from the sum to the
// result, and the scalar measure for everything the kernel declines.
struct sum_measure_def {
  kernel which;
  double (*finish)(double);
};

double tv_finish(double s) { return std::clamp(0.5 * s, 0.0, 1.0); }
double chi2_finish(double s) { return std::max(s, 0.0); }
double hellinger_finish(double s) {
  return std::sqrt(std::clamp(0.5 * s, 0.0, 1.0));
}
double bc_finish(double s) { return std::clamp(s, 0.0, 1.0); }

template <class T, class Slow>
double sum_measure_vector(const sum_measure_def& def, std::span<const T> p,
                          std::span<const T> q, const discrete_options& opt,
                          Slow slow) {
  check_options(opt);
  if (auto s = kernel_sums(def.which, p, q, opt)) return def.finish(s->g);
  return one_pair(p, q, opt, slow);
}

template <class T, class Slow>
std::vector<double> sum_measure_rows(const sum_measure_def& def,
                                     const matrix_view<T>& p,
                                     const matrix_view<T>& q,
                                     const discrete_options& opt, Slow slow) {
  // kernel_rows converts with in_base; these measures have no unit, so the
  // base is set aside for them.
  discrete_options unitless = opt;
  unitless.base = log_base();
  return kernel_rows(
      p, q, unitless,
      [&](std::span<const T> a, std::span<const T> b,
          const discrete_options& o) -> std::optional<double> {
        if (auto s = kernel_sums(def.which, a, b, o)) return def.finish(s->g);
        return std::nullopt;
      },
      slow);
}

const sum_measure_def kTotalVariation{kernel::total_variation, tv_finish};
const sum_measure_def kChi2Pearson{kernel::chi2_pearson, chi2_finish};
const sum_measure_def kHellinger{kernel::hellinger, hellinger_finish};
const sum_measure_def kBhattacharyya{kernel::bhattacharyya, bc_finish};

}  // namespace

#define KLDIV_SUM_MEASURE(name, def, slow_expr)                          \
  double name(dspan p, dspan q, const discrete_options& opt) {           \
    return sum_measure_vector(def, p, q, opt,                            \
                              [](const auto& in) { return slow_expr; }); \
  }                                                                      \
  double name(fspan p, fspan q, const discrete_options& opt) {           \
    return sum_measure_vector(def, p, q, opt,                            \
                              [](const auto& in) { return slow_expr; }); \
  }                                                                      \
  std::vector<double> name(dmatrix p, dmatrix q,                         \
                           const discrete_options& opt) {                \
    return sum_measure_rows(def, p, q, opt,                              \
                            [](const auto& in) { return slow_expr; });   \
  }                                                                      \
  std::vector<double> name(fmatrix p, fmatrix q,                         \
                           const discrete_options& opt) {                \
    return sum_measure_rows(def, p, q, opt,                              \
                            [](const auto& in) { return slow_expr; });   \
  }

KLDIV_SUM_MEASURE(total_variation, kTotalVariation, total_variation_value(in))
KLDIV_SUM_MEASURE(chi2_pearson, kChi2Pearson, chi2_pearson_value(in))
KLDIV_SUM_MEASURE(hellinger, kHellinger,
                  std::sqrt(std::clamp(hellinger_squared(in), 0.0, 1.0)))
KLDIV_SUM_MEASURE(bhattacharyya_coefficient, kBhattacharyya,
                  bhattacharyya_coefficient_value(in))
#undef KLDIV_SUM_MEASURE

// Neyman's chi2 is Pearson's of (q, p), by the scalar loops (so that errors
// name p and q as the caller passed them).
double chi2_neyman(dspan p, dspan q, const discrete_options& opt) {
  return one_pair(p, q, opt, [](const auto& in) {
    return chi2_pearson_value(swapped(in));
  });
}
double chi2_neyman(fspan p, fspan q, const discrete_options& opt) {
  return one_pair(p, q, opt, [](const auto& in) {
    return chi2_pearson_value(swapped(in));
  });
}
std::vector<double> chi2_neyman(dmatrix p, dmatrix q,
                                const discrete_options& opt) {
  return row_pairs(p, q, opt, [](const auto& in) {
    return chi2_pearson_value(swapped(in));
  });
}
std::vector<double> chi2_neyman(fmatrix p, fmatrix q,
                                const discrete_options& opt) {
  return row_pairs(p, q, opt, [](const auto& in) {
    return chi2_pearson_value(swapped(in));
  });
}

// Measures with a parameter after the options.
#define KLDIV_PARAM_MEASURE(name, param_decl, expr)                           \
  double name(dspan p, dspan q, const discrete_options& opt, param_decl) {    \
    return one_pair(p, q, opt, [&](const auto& in) { return expr; });         \
  }                                                                           \
  double name(fspan p, fspan q, const discrete_options& opt, param_decl) {    \
    return one_pair(p, q, opt, [&](const auto& in) { return expr; });         \
  }                                                                           \
  std::vector<double> name(dmatrix p, dmatrix q, const discrete_options& opt, \
                           param_decl) {                                      \
    return row_pairs(p, q, opt, [&](const auto& in) { return expr; });        \
  }                                                                           \
  std::vector<double> name(fmatrix p, fmatrix q, const discrete_options& opt, \
                           param_decl) {                                      \
    return row_pairs(p, q, opt, [&](const auto& in) { return expr; });        \
  }

KLDIV_PARAM_MEASURE(js_divergence, js_weights w, in_base(js_nats(in, w), opt))
KLDIV_PARAM_MEASURE(js_distance, js_weights w,
                    std::sqrt(in_base(js_nats(in, w), opt)))
#undef KLDIV_PARAM_MEASURE

// renyi and f_divergence take their parameter before the options.
double renyi(dspan p, dspan q, double alpha, const discrete_options& opt) {
  return one_pair(p, q, opt, [&](const auto& in) {
    return in_base(renyi_nats(in, alpha), opt);
  });
}
double renyi(fspan p, fspan q, double alpha, const discrete_options& opt) {
  return one_pair(p, q, opt, [&](const auto& in) {
    return in_base(renyi_nats(in, alpha), opt);
  });
}
std::vector<double> renyi(dmatrix p, dmatrix q, double alpha,
                          const discrete_options& opt) {
  check_alpha(alpha);
  return row_pairs(p, q, opt, [&](const auto& in) {
    return in_base(renyi_nats(in, alpha), opt);
  });
}
std::vector<double> renyi(fmatrix p, fmatrix q, double alpha,
                          const discrete_options& opt) {
  check_alpha(alpha);
  return row_pairs(p, q, opt, [&](const auto& in) {
    return in_base(renyi_nats(in, alpha), opt);
  });
}

double f_divergence(dspan p, dspan q, const convex_function& f,
                    const discrete_options& opt) {
  check_f_at_one(f);
  return one_pair(p, q, opt,
                  [&](const auto& in) { return f_divergence_value(in, f); });
}
double f_divergence(fspan p, fspan q, const convex_function& f,
                    const discrete_options& opt) {
  check_f_at_one(f);
  return one_pair(p, q, opt,
                  [&](const auto& in) { return f_divergence_value(in, f); });
}
std::vector<double> f_divergence(dmatrix p, dmatrix q, const convex_function& f,
                                 const discrete_options& opt) {
  check_f_at_one(f);
  return row_pairs(p, q, opt,
                   [&](const auto& in) { return f_divergence_value(in, f); });
}
std::vector<double> f_divergence(fmatrix p, fmatrix q, const convex_function& f,
                                 const discrete_options& opt) {
  check_f_at_one(f);
  return row_pairs(p, q, opt,
                   [&](const auto& in) { return f_divergence_value(in, f); });
}

// ---- entropy: one input ----------------------------------------------------

namespace {

template <class T>
double entropy_of(const strided<T>& v, const std::string& arg,
                  const discrete_options& opt) {
  check_options(opt);
  if (v.stride == 1) {
    // Entropy is the cross-entropy of p with itself: the kernel's case q = p.
    const std::span<const T> s(v.data, v.n);
    if (auto h = xent_vector_kernel(s, s, opt)) return in_base(*h, opt);
  }
  return in_base(entropy_nats(v, prepare_one(v, arg, opt, true)), opt);
}

template <class T>
std::vector<double> entropy_rows(const matrix_view<T>& p,
                                 const discrete_options& opt) {
  std::vector<double> out(p.rows);
  for (std::size_t r = 0; r < p.rows; ++r) {
    out[r] = entropy_of(row_of(p, r), "p[" + std::to_string(r) + "]", opt);
  }
  return out;
}

}  // namespace

double entropy(dspan p, const discrete_options& opt) {
  return entropy_of(as_strided(p), "p", opt);
}
double entropy(fspan p, const discrete_options& opt) {
  return entropy_of(as_strided(p), "p", opt);
}
std::vector<double> entropy(dmatrix p, const discrete_options& opt) {
  return entropy_rows(p, opt);
}
std::vector<double> entropy(fmatrix p, const discrete_options& opt) {
  return entropy_rows(p, opt);
}

// ---- rel_entr: elementwise

namespace {

template <class T>
void rel_entr_vector(std::span<const T> p, std::span<const T> q,
                     std::span<T> out, const discrete_options& opt) {
  const auto in = prepare_pair(as_strided(p), as_strided(q), "p", "q", opt);
  check_out_size(out.size(), p.size());
  rel_entr_into(in, out.data(), opt);
}

template <class T>
void rel_entr_matrix(const matrix_view<T>& p, const matrix_view<T>& q,
                     std::span<T> out, const discrete_options& opt) {
  check_rows(p.rows, q.rows);
  check_out_size(out.size(), p.rows * p.cols);
  for (std::size_t r = 0; r < p.rows; ++r) {
    const std::string suffix = "[" + std::to_string(r) + "]";
    const auto in = prepare_pair(row_of(p, r), row_of(q, r), "p" + suffix,
                                 "q" + suffix, opt);
    rel_entr_into(in, out.data() + r * p.cols, opt);
  }
}

}  // namespace

void rel_entr(dspan p, dspan q, std::span<double> out,
              const discrete_options& opt) {
  rel_entr_vector(p, q, out, opt);
}
void rel_entr(fspan p, fspan q, std::span<float> out,
              const discrete_options& opt) {
  rel_entr_vector(p, q, out, opt);
}
void rel_entr(dmatrix p, dmatrix q, std::span<double> out,
              const discrete_options& opt) {
  rel_entr_matrix(p, q, out, opt);
}
void rel_entr(fmatrix p, fmatrix q, std::span<float> out,
              const discrete_options& opt) {
  rel_entr_matrix(p, q, out, opt);
}

// ---- measures by name

namespace {

struct measure_info {
  measure m;
  std::string_view name;
  bool has_unit;
  bool uses_q;
};

constexpr std::array<measure_info, 15> kMeasures{{
    {measure::kl, "kl", true, true},
    {measure::reverse_kl, "reverse_kl", true, true},
    {measure::generalized_kl, "generalized_kl", true, true},
    {measure::entropy, "entropy", true, false},
    {measure::cross_entropy, "cross_entropy", true, true},
    {measure::jeffreys, "jeffreys", true, true},
    {measure::js_divergence, "js_divergence", true, true},
    {measure::js_distance, "js_distance", true, true},
    {measure::renyi, "renyi", true, true},
    {measure::hellinger, "hellinger", false, true},
    {measure::bhattacharyya_coefficient, "bhattacharyya_coefficient", false,
     true},
    {measure::bhattacharyya_distance, "bhattacharyya_distance", true, true},
    {measure::total_variation, "total_variation", false, true},
    {measure::chi2_pearson, "chi2_pearson", false, true},
    {measure::chi2_neyman, "chi2_neyman", false, true},
}};

constexpr std::array<measure, kMeasures.size()> kAllMeasures = [] {
  std::array<measure, kMeasures.size()> a{};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = kMeasures[i].m;
  return a;
}();

const measure_info& info(measure m) {
  return kMeasures[static_cast<std::size_t>(m)];
}

template <class T>
double evaluate_prepared(measure m, const pair_input<T>& in,
                         const discrete_options& opt,
                         const measure_params& params) {
  switch (m) {
    case measure::kl:
      return in_base(kl_nats(in), opt);
    case measure::reverse_kl:
      return in_base(kl_nats(swapped(in)), opt);
    case measure::generalized_kl:
      return in_base(generalized_kl_nats(in), opt);
    case measure::entropy:
      return in_base(entropy_nats(in.p, in.map_p), opt);
    case measure::cross_entropy:
      return in_base(cross_entropy_nats(in), opt);
    case measure::jeffreys:
      return in_base(jeffreys_nats(in), opt);
    case measure::js_divergence:
      return in_base(js_nats(in, params.weights), opt);
    case measure::js_distance:
      return std::sqrt(in_base(js_nats(in, params.weights), opt));
    case measure::renyi:
      return in_base(renyi_nats(in, params.alpha), opt);
    case measure::hellinger:
      return std::sqrt(std::clamp(hellinger_squared(in), 0.0, 1.0));
    case measure::bhattacharyya_coefficient:
      return bhattacharyya_coefficient_value(in);
    case measure::bhattacharyya_distance:
      return in_base(bhattacharyya_distance_nats(in), opt);
    case measure::total_variation:
      return total_variation_value(in);
    case measure::chi2_pearson:
      return chi2_pearson_value(in);
    case measure::chi2_neyman:
      return chi2_pearson_value(swapped(in));
  }
  return 0.0;
}

}  // namespace

std::span<const measure> all_measures() { return kAllMeasures; }
std::string_view name(measure m) { return info(m).name; }
bool has_unit(measure m) { return info(m).has_unit; }
bool uses_q(measure m) { return info(m).uses_q; }

std::optional<measure> measure_from_name(std::string_view name) {
  for (const auto& mi : kMeasures) {
    if (mi.name == name) return mi.m;
  }
  return std::nullopt;
}

namespace {

// The measures whose public functions run a SIMD kernel, through those
// functions (for one pair or rows alike); nothing for the others.
template <class In>
auto through_kernel(measure m, const In& p, const In& q,
                    const discrete_options& opt)
    -> std::optional<decltype(kl(p, q, opt))> {
  switch (m) {
    case measure::entropy:
      return entropy(p, opt);
    case measure::kl:
      return kl(p, q, opt);
    case measure::reverse_kl:
      return kl(q, p, opt);
    case measure::cross_entropy:
      return cross_entropy(p, q, opt);
    case measure::total_variation:
      return total_variation(p, q, opt);
    case measure::chi2_pearson:
      return chi2_pearson(p, q, opt);
    case measure::hellinger:
      return hellinger(p, q, opt);
    case measure::bhattacharyya_coefficient:
      return bhattacharyya_coefficient(p, q, opt);
    default:
      return std::nullopt;
  }
}

template <class T>
double evaluate_one(measure m, std::span<const T> p, std::span<const T> q,
                    const discrete_options& opt, const measure_params& params) {
  if (auto v = through_kernel(m, p, q, opt)) return *v;
  return one_pair(
      p, q, opt,
      [&](const auto& in) { return evaluate_prepared(m, in, opt, params); },
      m != measure::generalized_kl);
}

template <class T>
std::vector<double> evaluate_rows(measure m, const matrix_view<T>& p,
                                  const matrix_view<T>& q,
                                  const discrete_options& opt,
                                  const measure_params& params) {
  if (auto v = through_kernel(m, p, q, opt)) return std::move(*v);
  return row_pairs(
      p, q, opt,
      [&](const auto& in) { return evaluate_prepared(m, in, opt, params); },
      m != measure::generalized_kl);
}

}  // namespace

double detail::scalar_reference(measure m, dspan p, dspan q,
                                const discrete_options& opt) {
  return one_pair(
      p, q, opt,
      [&](const auto& in) { return evaluate_prepared(m, in, opt, {}); },
      m != measure::generalized_kl);
}
double detail::scalar_reference(measure m, fspan p, fspan q,
                                const discrete_options& opt) {
  return one_pair(
      p, q, opt,
      [&](const auto& in) { return evaluate_prepared(m, in, opt, {}); },
      m != measure::generalized_kl);
}

double evaluate(measure m, dspan p, dspan q, const discrete_options& opt,
                const measure_params& params) {
  return evaluate_one(m, p, q, opt, params);
}
double evaluate(measure m, fspan p, fspan q, const discrete_options& opt,
                const measure_params& params) {
  return evaluate_one(m, p, q, opt, params);
}
std::vector<double> evaluate(measure m, dmatrix p, dmatrix q,
                             const discrete_options& opt,
                             const measure_params& params) {
  return evaluate_rows(m, p, q, opt, params);
}
std::vector<double> evaluate(measure m, fmatrix p, fmatrix q,
                             const discrete_options& opt,
                             const measure_params& params) {
  return evaluate_rows(m, p, q, opt, params);
}

// ---- the summary

discrete_summary summarize(dspan p, dspan q, const discrete_options& opt) {
  const auto in = prepare_pair(as_strided(p), as_strided(q), "p", "q", opt);
  discrete_summary s;
  s.size = p.size();
  s.options = opt;
  compensated_sum pt, qt, pm, qm;
  for (std::size_t i = 0; i < p.size(); ++i) {
    pt.add(p[i]);
    qt.add(q[i]);
    const double pi = in.pi(i), qi = in.qi(i);
    if (pi > 0.0 && qi == 0.0) {
      pm.add(pi);
      ++s.support.bins_where_q_zero;
    }
    if (qi > 0.0 && pi == 0.0) {
      qm.add(qi);
      ++s.support.bins_where_p_zero;
    }
  }
  s.p_total = pt.value();
  s.q_total = qt.value();
  s.support.p_mass_where_q_zero = pm.value();
  s.support.q_mass_where_p_zero = qm.value();
  const auto v = [&](measure m, const measure_params& params = {}) {
    return evaluate_prepared(m, in, opt, params);
  };
  s.kl = v(measure::kl);
  s.reverse_kl = v(measure::reverse_kl);
  s.jeffreys = v(measure::jeffreys);
  s.js_divergence = v(measure::js_divergence);
  s.js_distance = v(measure::js_distance);
  s.cross_entropy = v(measure::cross_entropy);
  s.reverse_cross_entropy = in_base(cross_entropy_nats(swapped(in)), opt);
  s.entropy_p = in_base(entropy_nats(in.p, in.map_p), opt);
  s.entropy_q = in_base(entropy_nats(in.q, in.map_q), opt);
  s.renyi_half = v(measure::renyi, {.alpha = 0.5});
  s.renyi_2 = v(measure::renyi, {.alpha = 2.0});
  s.renyi_inf = v(measure::renyi, {.alpha = kInf});
  s.hellinger = v(measure::hellinger);
  s.bhattacharyya_coefficient = v(measure::bhattacharyya_coefficient);
  s.bhattacharyya_distance = v(measure::bhattacharyya_distance);
  s.total_variation = v(measure::total_variation);
  s.chi2_pearson = v(measure::chi2_pearson);
  s.chi2_neyman = v(measure::chi2_neyman);
  return s;
}

}  // namespace kldiv
