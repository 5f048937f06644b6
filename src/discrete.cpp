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

// "p[3]": the name of row r of an argument. Built by appending (GCC 12 warns
// falsely, -Wrestrict, on "p" + a string where this gets inlined).
std::string row_name(const char* arg, std::size_t r) {
  std::string name(arg);
  name += '[';
  name += std::to_string(r);
  name += ']';
  return name;
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

// The map of a checked input of n values summing to `sum` that is not used
// as given (weights, counts, or smoothed).
value_map scaled_map(double sum, std::size_t n, const discrete_options& opt) {
  value_map map;
  map.identity = false;
  map.divisor = sum;
  const double k = static_cast<double>(n);
  if (opt.smooth.kind == smoothing::method::additive) {
    map.add = opt.smooth.amount;
    map.divisor = sum + k * opt.smooth.amount;
  } else if (opt.smooth.kind == smoothing::method::uniform_mix) {
    map.keep = 1.0 - opt.smooth.amount;
    map.mix = opt.smooth.amount / k;
  }
  return map;
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
    if (!opt.smooth.enabled()) return value_map{};  // the values as given
  } else if (!(sum > 0.0) || !std::isfinite(sum)) {
    throw InvalidArgument(arg + " sums to " + detail::format_number(sum) +
                          ": " + std::string(noun(opt.kind)) +
                          " need a positive, finite total");
  }
  return scaled_map(sum, v.n, opt);
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
  compensated_sum sp, sq, diff;
  for (std::size_t i = 0; i < in.size(); ++i) {
    sp.add(in.pi(i));
    sq.add(in.qi(i));
    diff.add(in.pi(i));
    diff.add(-in.qi(i));
  }
  const double tp = sp.value(), tq = sq.value();
  const double g = std::sqrt(tp) * std::sqrt(tq);
  if (bc < 0.5 * g) return std::max(-std::log(bc / g), 0.0);
  const double root_sum = std::sqrt(tp) + std::sqrt(tq);
  // Σp - Σq summed as one (not the difference of the rounded sums, which
  // would dominate A - G for nearly equal vectors).
  const double d = diff.value();
  const double a_minus_g = d * d / (2.0 * root_sum * root_sum);
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
    out[r] = fn(prepare_pair(row_of(p, r), row_of(q, r), row_name("p", r),
                             row_name("q", r), opt, check_sum));
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

// ---- the SIMD kernels where they apply, the scalar loops elsewhere

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

// JS's terms as js_nats computes them, into g.
template <class T>
detail::kl_partial js_block_scalar(const T* p, const T* q, std::size_t n,
                                   js_weights w) {
  compensated_sum g, sp, sq;
  for (std::size_t i = 0; i < n; ++i) {
    const double pi = p[i], qi = q[i];
    sp.add(pi);
    sq.add(qi);
    if (pi == qi) continue;
    const double a = w.pi1 * pi, b = w.pi2 * qi;
    const double m_hi = a + b;
    const double m_lo = std::fma(w.pi1, pi, -a) + std::fma(w.pi2, qi, -b) +
                        two_sum_error(a, b, m_hi);
    if (w.pi1 > 0.0) g.add(w.pi1 * gkl_term_split(pi, m_hi, m_lo));
    if (w.pi2 > 0.0) g.add(w.pi2 * gkl_term_split(qi, m_hi, m_lo));
  }
  detail::kl_partial out;
  out.g = g.value();
  out.sp = sp.value();
  out.sq = sq.value();
  return out;
}

// Jeffreys's terms as jeffreys_nats computes them, into g.
template <class T>
detail::kl_partial jeffreys_block_scalar(const T* p, const T* q,
                                         std::size_t n) {
  compensated_sum g, sp, sq;
  for (std::size_t i = 0; i < n; ++i) {
    const double pi = p[i], qi = q[i];
    sp.add(pi);
    sq.add(qi);
    if (pi == qi) continue;
    if (pi == 0.0 || qi == 0.0) {
      g.add(kInf);
      continue;
    }
    g.add((pi - qi) * log_ratio(pi, qi));
  }
  detail::kl_partial out;
  out.g = g.value();
  out.sp = sp.value();
  out.sq = sq.value();
  return out;
}

// ---- running a kernel over the blocks

// A block of each input mapped to probabilities (weights, counts,
// smoothing), per thread, allocated once.
double* scratch(std::size_t which) {
  thread_local std::vector<double> buf(2 * kBlock);
  return buf.data() + which * kBlock;
}

// Runs `fn(b)` for every block b of n entries, spread over threads.
template <class Fn>
void for_each_block(std::size_t n, const discrete_options& opt, Fn fn) {
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  const int threads = thread_count(opt, blocks);
  const auto nb = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (std::ptrdiff_t b = 0; b < nb; ++b) fn(static_cast<std::size_t>(b));
}

// The compensated total of x by the kernels, or nothing where some entry is
// negative, NaN or infinite.
template <class T>
std::optional<double> kernel_total(std::span<const T> x,
                                   const discrete_options& opt) {
  std::vector<detail::kl_partial> parts((x.size() + kBlock - 1) / kBlock);
  for_each_block(x.size(), opt, [&](std::size_t b) {
    const std::size_t begin = b * kBlock;
    detail::total_block(x.data() + begin, std::min(kBlock, x.size() - begin),
                        &parts[b]);
  });
  compensated_sum total;
  for (const auto& part : parts) {
    if (part.bad) return std::nullopt;
    total.add(part.d_sum);
    total.add(part.d_comp);
  }
  return total.value();
}

// The map of x to the probabilities the measures see, by the kernels: as
// prepare_one's, or nothing where prepare_one would throw (it then does).
template <class T>
std::optional<detail::value_scale> kernel_scale(std::span<const T> x,
                                                const discrete_options& opt,
                                                bool check_sum) {
  const auto sum = kernel_total(x, opt);
  if (!sum) return std::nullopt;
  if (opt.kind == input_kind::probabilities) {
    const double tol =
        opt.tolerance.value_or(default_tolerance(std::is_same_v<T, float>));
    if (opt.validate && check_sum && !(std::fabs(*sum - 1.0) <= tol)) {
      return std::nullopt;
    }
  } else if (!(*sum > 0.0) || !std::isfinite(*sum)) {
    return std::nullopt;
  }
  const value_map map = scaled_map(*sum, x.size(), opt);
  return detail::value_scale{map.add, map.divisor, map.keep, map.mix};
}

// A kernel's partial sums over the blocks of p and q, spread over threads and
// combined in their fixed order (the same result for any thread count):
// `block(p, q, n, out)` runs the kernel on one block, of T as given or of
// doubles mapped from weights, counts or smoothed inputs. Nothing where the
// scalar path must run instead: invalid values, a sum off 1 (unless
// !check_sum), whose messages the scalar checks produce. The result's g, d
// (in d_sum), h, sp and sq are compensated sums, top the maximum, any and
// odd the blocks' or.
template <class T, class Block>
std::optional<detail::kl_partial> kernel_sums(std::span<const T> p,
                                              std::span<const T> q,
                                              const discrete_options& opt,
                                              bool check_sum, Block block) {
  if (p.size() != q.size() || p.empty()) return std::nullopt;
  const std::size_t n = p.size();
  const bool scaled =
      opt.kind != input_kind::probabilities || opt.smooth.enabled();
  std::optional<detail::value_scale> scale_p, scale_q;
  if (scaled) {
    scale_p = kernel_scale(p, opt, check_sum);
    if (!scale_p) return std::nullopt;
    scale_q = p.data() == q.data() ? scale_p : kernel_scale(q, opt, check_sum);
    if (!scale_q) return std::nullopt;
  }
  std::vector<detail::kl_partial> parts((n + kBlock - 1) / kBlock);
  for_each_block(n, opt, [&](std::size_t b) {
    const std::size_t begin = b * kBlock;
    const std::size_t len = std::min(kBlock, n - begin);
    if (!scaled) {
      block(p.data() + begin, q.data() + begin, len, &parts[b]);
      return;
    }
    double* ps = scratch(0);
    double* qs = scratch(1);
    detail::map_block(p.data() + begin, len, *scale_p, ps);
    detail::map_block(q.data() + begin, len, *scale_q, qs);
    block(static_cast<const double*>(ps), static_cast<const double*>(qs), len,
          &parts[b]);
  });
  compensated_sum g, d, h, sp, sq;
  detail::kl_partial total;
  for (const auto& part : parts) {
    if (part.bad) return std::nullopt;
    g.add(part.g);
    d.add(part.d_sum);
    d.add(part.d_comp);
    h.add(part.h);
    sp.add(part.sp);
    sq.add(part.sq);
    total.top = std::max(total.top, part.top);
    total.any = total.any || part.any;
    total.odd = total.odd || part.odd;
  }
  if (opt.validate && check_sum && !scaled) {
    const double tol =
        opt.tolerance.value_or(default_tolerance(std::is_same_v<T, float>));
    if (!(std::fabs(sp.value() - 1.0) <= tol) ||
        !(std::fabs(sq.value() - 1.0) <= tol)) {
      return std::nullopt;
    }
  }
  total.g = g.value();
  total.d_sum = d.value();
  total.h = h.value();
  total.sp = sp.value();
  total.sq = sq.value();
  return total;
}

// ---- each measure by its kernel, in nats (or its own unit), or nothing

// The KL kernel, its odd blocks redone by the scalar reference.
const auto kl_kernel = [](const auto* p, const auto* q, std::size_t n,
                          detail::kl_partial* out) {
  detail::kl_block(p, q, n, out);
  if (out->odd && !out->bad) *out = kl_block_scalar(p, q, n);
};

// KL: Σ g + (Σp - Σq), clamped at 0.
template <class T>
std::optional<double> kl_vector_kernel(std::span<const T> p,
                                       std::span<const T> q,
                                       const discrete_options& opt) {
  const auto s = kernel_sums(p, q, opt, true, kl_kernel);
  if (!s) return std::nullopt;
  if (s->g == kInf) return kInf;
  return std::max(s->g + s->d_sum, 0.0);
}

// Generalised KL: Σ g, with no check of the sums.
template <class T>
std::optional<double> gkl_vector_kernel(std::span<const T> p,
                                        std::span<const T> q,
                                        const discrete_options& opt) {
  const auto s = kernel_sums(p, q, opt, false, kl_kernel);
  if (!s) return std::nullopt;
  return std::max(s->g, 0.0);
}

// Cross-entropy (entropy for q = p).
template <class T>
std::optional<double> xent_vector_kernel(std::span<const T> p,
                                         std::span<const T> q,
                                         const discrete_options& opt) {
  const auto s = kernel_sums(
      p, q, opt, true,
      [](const auto* a, const auto* b, std::size_t n, detail::kl_partial* out) {
        detail::xent_block(a, b, n, out);
      });
  if (!s) return std::nullopt;
  return std::max(s->g, 0.0);
}

// The sum of one plain-sum measure's terms.
template <class T>
std::optional<double> plain_sum_kernel(detail::sum_measure which,
                                       std::span<const T> p,
                                       std::span<const T> q,
                                       const discrete_options& opt) {
  const auto s = kernel_sums(p, q, opt, true,
                             [which](const auto* a, const auto* b,
                                     std::size_t n, detail::kl_partial* out) {
                               detail::sum_block(which, a, b, n, out);
                             });
  if (!s) return std::nullopt;
  return s->g;
}

template <class T>
std::optional<double> js_vector_kernel(std::span<const T> p,
                                       std::span<const T> q,
                                       const discrete_options& opt,
                                       js_weights w) {
  // Bad weights: the scalar path reports them (after the inputs).
  if (!(w.pi1 >= 0.0 && w.pi2 >= 0.0 && std::isfinite(w.pi1) &&
        std::isfinite(w.pi2) && std::fabs(w.pi1 + w.pi2 - 1.0) <= 1e-12)) {
    return std::nullopt;
  }
  const auto s = kernel_sums(p, q, opt, true,
                             [w](const auto* a, const auto* b, std::size_t n,
                                 detail::kl_partial* out) {
                               detail::js_block(a, b, n, w.pi1, w.pi2, out);
                               if (out->odd && !out->bad)
                                 *out = js_block_scalar(a, b, n, w);
                             });
  if (!s) return std::nullopt;
  return std::clamp(s->g, 0.0, js_bound_nats(w));
}

template <class T>
std::optional<double> jeffreys_vector_kernel(std::span<const T> p,
                                             std::span<const T> q,
                                             const discrete_options& opt) {
  const auto s = kernel_sums(
      p, q, opt, true,
      [](const auto* a, const auto* b, std::size_t n, detail::kl_partial* out) {
        detail::jeffreys_block(a, b, n, out);
        if (out->odd && !out->bad) *out = jeffreys_block_scalar(a, b, n);
      });
  if (!s) return std::nullopt;
  return std::max(s->g, 0.0);
}

// As bhattacharyya_distance_nats, from the kernel's BC, H², Σp, Σq and
// Σp - Σq.
template <class T>
std::optional<double> bhattacharyya_distance_kernel(
    std::span<const T> p, std::span<const T> q, const discrete_options& opt) {
  const auto s = kernel_sums(
      p, q, opt, true,
      [](const auto* a, const auto* b, std::size_t n, detail::kl_partial* out) {
        detail::bhattacharyya_block(a, b, n, out);
      });
  if (!s) return std::nullopt;
  const double bc = std::clamp(s->g, 0.0, 1.0);
  if (bc == 0.0) return kInf;
  const double tp = s->sp, tq = s->sq;
  const double g = std::sqrt(tp) * std::sqrt(tq);
  if (bc < 0.5 * g) return std::max(-std::log(bc / g), 0.0);
  const double root_sum = std::sqrt(tp) + std::sqrt(tq);
  const double diff = s->d_sum;  // Σp - Σq, compensated
  const double a_minus_g = diff * diff / (2.0 * root_sum * root_sum);
  return std::max(-std::log1p((a_minus_g - 0.5 * s->h) / g), 0.0);
}

// Rényi by the kernels, as renyi_nats computes it; nothing for a bad alpha
// (the scalar path reports it) and where the scalar reference must run
// (subnormals, extreme ratios, terms near overflow).
template <class T>
std::optional<double> renyi_vector_kernel(std::span<const T> p,
                                          std::span<const T> q,
                                          const discrete_options& opt,
                                          double alpha) {
  if (!(alpha >= 0.0)) return std::nullopt;
  if (alpha == 1.0) return kl_vector_kernel(p, q, opt);
  const auto run = [&](detail::renyi_mode mode) {
    return kernel_sums(p, q, opt, true,
                       [mode, alpha](const auto* a, const auto* b,
                                     std::size_t n, detail::kl_partial* out) {
                         detail::renyi_block(mode, alpha, a, b, n, out);
                       });
  };
  const bool scaled =
      opt.kind != input_kind::probabilities || opt.smooth.enabled();
  if (alpha == 0.0) {
    const auto s = run(detail::renyi_order0);
    if (!s) return std::nullopt;
    // Normalised inputs sum to 1 exactly, as in renyi_nats.
    const double d = scaled ? -s->h : s->d_sum;
    const double total = scaled ? 1.0 : s->sp;
    const double ratio_minus_one = d / total;
    if (ratio_minus_one <= -1.0) return kInf;
    return std::max(-std::log1p(ratio_minus_one), 0.0);
  }
  if (alpha == kInf) {
    const auto s = run(detail::renyi_order_inf);
    if (!s || s->odd) return std::nullopt;
    return std::max(s->top, 0.0);
  }
  const auto s = run(detail::renyi_sums);
  if (!s || s->odd) return std::nullopt;
  const double am1 = alpha - 1.0;
  if (am1 > 0.0 && s->h > 0.0) return kInf;  // p > 0 = q
  if (!s->any) return kInf;                  // disjoint supports, alpha < 1
  const double t_mean = s->d_sum / s->sp;
  const double x = am1 * t_mean;  // Σ p e^z / Σp - 1
  if (x < -0.5) {
    // Far below 1: the log of Σ p e^z / Σp directly (no term near overflow).
    const auto e = run(detail::renyi_exp_sum);
    if (!e || e->odd) return std::nullopt;
    return std::max(std::log(e->g / s->sp) / am1, 0.0);
  }
  return std::max(t_mean * log1p_over_x(x), 0.0);
}

// ---- the public forms through the kernels

// One pair: `fast(p, q, opt)` (the kernel, in nats or the measure's own
// unit) where it applies, else `slow(prepared pair)` (the scalar reference,
// likewise); `finish` turns either into the result.
template <class T, class Fast, class Slow, class Finish>
double kernel_vector(std::span<const T> p, std::span<const T> q,
                     const discrete_options& opt, Fast fast, Slow slow,
                     Finish finish, bool check_sum = true) {
  check_options(opt);
  if (auto v = fast(p, q, opt)) return finish(*v);
  return finish(one_pair(p, q, opt, slow, check_sum));
}

// Rows through `fast` where a row is contiguous, else through `slow`, each
// result through `finish`. Many short rows are spread over threads, one row
// per task (each row's result is the same on any thread); long rows spread
// their own blocks instead. Rows the kernel declines are then done in order,
// so that an error names the first bad row.
template <class T, class Fast, class Slow, class Finish>
std::vector<double> kernel_rows(const matrix_view<T>& p,
                                const matrix_view<T>& q,
                                const discrete_options& opt, Fast fast,
                                Slow slow, Finish finish,
                                bool check_sum = true) {
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
        out[r] = finish(*v);
        done[r] = 1;
      }
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (done[r]) continue;
    out[r] =
        finish(slow(prepare_pair(row_of(p, r), row_of(q, r), row_name("p", r),
                                 row_name("q", r), opt, check_sum)));
  }
  return out;
}

// A measure's kernel (Fast), its scalar reference (Slow) and its last step
// (Finish), for the four public overloads below.
#define KLDIV_KERNEL_MEASURE(name, fast_expr, slow_expr, finish_expr,         \
                             check_sum)                                       \
  double name(dspan p, dspan q, const discrete_options& opt) {                \
    return kernel_vector(                                                     \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; }, check_sum);                    \
  }                                                                           \
  double name(fspan p, fspan q, const discrete_options& opt) {                \
    return kernel_vector(                                                     \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; }, check_sum);                    \
  }                                                                           \
  std::vector<double> name(dmatrix p, dmatrix q,                              \
                           const discrete_options& opt) {                     \
    return kernel_rows(                                                       \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; }, check_sum);                    \
  }                                                                           \
  std::vector<double> name(fmatrix p, fmatrix q,                              \
                           const discrete_options& opt) {                     \
    return kernel_rows(                                                       \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; }, check_sum);                    \
  }

double tv_finish(double s) { return std::clamp(0.5 * s, 0.0, 1.0); }
double chi2_finish(double s) { return std::max(s, 0.0); }
double hellinger_finish(double s) {
  return std::sqrt(std::clamp(0.5 * s, 0.0, 1.0));
}
double bc_finish(double s) { return std::clamp(s, 0.0, 1.0); }

// A plain-sum measure's kernel, finished to its result (no unit).
template <class T>
std::optional<double> plain_sum_result(detail::sum_measure which,
                                       double (*finish)(double),
                                       std::span<const T> p,
                                       std::span<const T> q,
                                       const discrete_options& opt) {
  if (auto s = plain_sum_kernel(which, p, q, opt)) return finish(*s);
  return std::nullopt;
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

KLDIV_KERNEL_MEASURE(kl, kl_vector_kernel(a, b, o), kl_nats(in),
                     in_base(v, opt), true)
KLDIV_KERNEL_MEASURE(cross_entropy, xent_vector_kernel(a, b, o),
                     cross_entropy_nats(in), in_base(v, opt), true)
KLDIV_KERNEL_MEASURE(generalized_kl, gkl_vector_kernel(a, b, o),
                     generalized_kl_nats(in), in_base(v, opt), false)
KLDIV_KERNEL_MEASURE(jeffreys, jeffreys_vector_kernel(a, b, o),
                     jeffreys_nats(in), in_base(v, opt), true)
KLDIV_KERNEL_MEASURE(bhattacharyya_distance,
                     bhattacharyya_distance_kernel(a, b, o),
                     bhattacharyya_distance_nats(in), in_base(v, opt), true)
KLDIV_KERNEL_MEASURE(total_variation,
                     plain_sum_result(detail::sum_total_variation, tv_finish, a,
                                      b, o),
                     total_variation_value(in), v, true)
KLDIV_KERNEL_MEASURE(chi2_pearson,
                     plain_sum_result(detail::sum_chi2_pearson, chi2_finish, a,
                                      b, o),
                     chi2_pearson_value(in), v, true)
// Neyman's chi2 is Pearson's of (q, p); errors name p and q as passed.
KLDIV_KERNEL_MEASURE(chi2_neyman,
                     plain_sum_result(detail::sum_chi2_pearson, chi2_finish, b,
                                      a, o),
                     chi2_pearson_value(swapped(in)), v, true)
KLDIV_KERNEL_MEASURE(hellinger,
                     plain_sum_result(detail::sum_hellinger, hellinger_finish,
                                      a, b, o),
                     std::sqrt(std::clamp(hellinger_squared(in), 0.0, 1.0)), v,
                     true)
KLDIV_KERNEL_MEASURE(bhattacharyya_coefficient,
                     plain_sum_result(detail::sum_bhattacharyya, bc_finish, a,
                                      b, o),
                     bhattacharyya_coefficient_value(in), v, true)
#undef KLDIV_KERNEL_MEASURE

// Measures with a parameter after the options.
#define KLDIV_PARAM_MEASURE(name, param_decl, fast_expr, slow_expr,           \
                            finish_expr)                                      \
  double name(dspan p, dspan q, const discrete_options& opt, param_decl) {    \
    return kernel_vector(                                                     \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; });                               \
  }                                                                           \
  double name(fspan p, fspan q, const discrete_options& opt, param_decl) {    \
    return kernel_vector(                                                     \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; });                               \
  }                                                                           \
  std::vector<double> name(dmatrix p, dmatrix q, const discrete_options& opt, \
                           param_decl) {                                      \
    return kernel_rows(                                                       \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; });                               \
  }                                                                           \
  std::vector<double> name(fmatrix p, fmatrix q, const discrete_options& opt, \
                           param_decl) {                                      \
    return kernel_rows(                                                       \
        p, q, opt,                                                            \
        [&](auto a, auto b, const discrete_options& o) { return fast_expr; }, \
        [&](const auto& in) { return slow_expr; },                            \
        [&](double v) { return finish_expr; });                               \
  }

KLDIV_PARAM_MEASURE(js_divergence, js_weights w, js_vector_kernel(a, b, o, w),
                    js_nats(in, w), in_base(v, opt))
KLDIV_PARAM_MEASURE(js_distance, js_weights w, js_vector_kernel(a, b, o, w),
                    js_nats(in, w), std::sqrt(in_base(v, opt)))
#undef KLDIV_PARAM_MEASURE

// renyi takes its parameter before the options; the rows check it first.
double renyi(dspan p, dspan q, double alpha, const discrete_options& opt) {
  return kernel_vector(
      p, q, opt,
      [&](auto a, auto b, const discrete_options& o) {
        return renyi_vector_kernel(a, b, o, alpha);
      },
      [&](const auto& in) { return renyi_nats(in, alpha); },
      [&](double v) { return in_base(v, opt); });
}
double renyi(fspan p, fspan q, double alpha, const discrete_options& opt) {
  return kernel_vector(
      p, q, opt,
      [&](auto a, auto b, const discrete_options& o) {
        return renyi_vector_kernel(a, b, o, alpha);
      },
      [&](const auto& in) { return renyi_nats(in, alpha); },
      [&](double v) { return in_base(v, opt); });
}
std::vector<double> renyi(dmatrix p, dmatrix q, double alpha,
                          const discrete_options& opt) {
  check_alpha(alpha);
  return kernel_rows(
      p, q, opt,
      [&](auto a, auto b, const discrete_options& o) {
        return renyi_vector_kernel(a, b, o, alpha);
      },
      [&](const auto& in) { return renyi_nats(in, alpha); },
      [&](double v) { return in_base(v, opt); });
}
std::vector<double> renyi(fmatrix p, fmatrix q, double alpha,
                          const discrete_options& opt) {
  check_alpha(alpha);
  return kernel_rows(
      p, q, opt,
      [&](auto a, auto b, const discrete_options& o) {
        return renyi_vector_kernel(a, b, o, alpha);
      },
      [&](const auto& in) { return renyi_nats(in, alpha); },
      [&](double v) { return in_base(v, opt); });
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

// rel_entr of probabilities by the kernel, blocks over threads, checks fused
// into the pass; false (out then unspecified) where the scalar path must run:
// weights, counts or smoothing, or an input the checks reject (the scalar
// path then names the entry).
template <class T>
bool rel_entr_kernel(std::span<const T> p, std::span<const T> q, T* out,
                     const discrete_options& opt) {
  if (opt.kind != input_kind::probabilities || opt.smooth.enabled() ||
      p.size() != q.size() || p.empty()) {
    return false;
  }
  check_options(opt);
  const std::size_t n = p.size();
  const double scale = 1.0 / opt.base.ln();
  std::vector<detail::kl_partial> parts((n + kBlock - 1) / kBlock);
  for_each_block(n, opt, [&](std::size_t b) {
    const std::size_t begin = b * kBlock;
    const std::size_t len = std::min(kBlock, n - begin);
    detail::rel_entr_block(p.data() + begin, q.data() + begin, len, scale,
                           out + begin, &parts[b]);
    if (parts[b].odd && !parts[b].bad) {  // subnormals or extreme ratios
      const pair_input<T> in{
          {p.data() + begin, len, 1}, {q.data() + begin, len, 1}, {}, {}};
      rel_entr_into(in, out + begin, opt);
    }
  });
  compensated_sum sp, sq;
  for (const auto& part : parts) {
    if (part.bad) return false;
    sp.add(part.sp);
    sq.add(part.sq);
  }
  if (opt.validate) {
    const double tol =
        opt.tolerance.value_or(default_tolerance(std::is_same_v<T, float>));
    if (!(std::fabs(sp.value() - 1.0) <= tol) ||
        !(std::fabs(sq.value() - 1.0) <= tol)) {
      return false;
    }
  }
  return true;
}

template <class T>
void rel_entr_vector(std::span<const T> p, std::span<const T> q,
                     std::span<T> out, const discrete_options& opt) {
  if (out.size() == p.size() && rel_entr_kernel(p, q, out.data(), opt)) return;
  const auto in = prepare_pair(as_strided(p), as_strided(q), "p", "q", opt);
  check_out_size(out.size(), p.size());
  rel_entr_into(in, out.data(), opt);
}

template <class T>
void rel_entr_matrix(const matrix_view<T>& p, const matrix_view<T>& q,
                     std::span<T> out, const discrete_options& opt) {
  check_rows(p.rows, q.rows);
  check_out_size(out.size(), p.rows * p.cols);
  const bool contiguous =
      p.contiguous_rows() && q.contiguous_rows() && p.cols == q.cols;
  for (std::size_t r = 0; r < p.rows; ++r) {
    T* row_out = out.data() + r * p.cols;
    if (contiguous &&
        rel_entr_kernel(std::span<const T>(p.data + r * p.row_stride, p.cols),
                        std::span<const T>(q.data + r * q.row_stride, q.cols),
                        row_out, opt)) {
      continue;
    }
    const auto in = prepare_pair(row_of(p, r), row_of(q, r), row_name("p", r),
                                 row_name("q", r), opt);
    rel_entr_into(in, row_out, opt);
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

// KL(q‖p) by the KL kernel on (q, p); errors name p and q as passed.
template <class T>
double reverse_kl(std::span<const T> p, std::span<const T> q,
                  const discrete_options& opt) {
  return kernel_vector(
      p, q, opt,
      [](auto a, auto b, const discrete_options& o) {
        return kl_vector_kernel(b, a, o);
      },
      [](const auto& in) { return kl_nats(swapped(in)); },
      [&](double v) { return in_base(v, opt); });
}
template <class T>
std::vector<double> reverse_kl(const matrix_view<T>& p, const matrix_view<T>& q,
                               const discrete_options& opt) {
  return kernel_rows(
      p, q, opt,
      [](auto a, auto b, const discrete_options& o) {
        return kl_vector_kernel(b, a, o);
      },
      [](const auto& in) { return kl_nats(swapped(in)); },
      [&](double v) { return in_base(v, opt); });
}

// Every measure through its public function, which runs its SIMD kernel where
// the kernel applies (for one pair or rows alike).
template <class In>
auto through_kernel(measure m, const In& p, const In& q,
                    const discrete_options& opt, const measure_params& params)
    -> decltype(kl(p, q, opt)) {
  switch (m) {
    case measure::entropy:
      return entropy(p, opt);
    case measure::kl:
      return kl(p, q, opt);
    case measure::reverse_kl:
      return reverse_kl(p, q, opt);
    case measure::generalized_kl:
      return generalized_kl(p, q, opt);
    case measure::cross_entropy:
      return cross_entropy(p, q, opt);
    case measure::jeffreys:
      return jeffreys(p, q, opt);
    case measure::js_divergence:
      return js_divergence(p, q, opt, params.weights);
    case measure::js_distance:
      return js_distance(p, q, opt, params.weights);
    case measure::renyi:
      return renyi(p, q, params.alpha, opt);
    case measure::total_variation:
      return total_variation(p, q, opt);
    case measure::chi2_pearson:
      return chi2_pearson(p, q, opt);
    case measure::chi2_neyman:
      return chi2_neyman(p, q, opt);
    case measure::hellinger:
      return hellinger(p, q, opt);
    case measure::bhattacharyya_coefficient:
      return bhattacharyya_coefficient(p, q, opt);
    case measure::bhattacharyya_distance:
      return bhattacharyya_distance(p, q, opt);
  }
  return kl(p, q, opt);
}

template <class T>
double scalar_one(measure m, std::span<const T> p, std::span<const T> q,
                  const discrete_options& opt, const measure_params& params) {
  return one_pair(
      p, q, opt,
      [&](const auto& in) { return evaluate_prepared(m, in, opt, params); },
      m != measure::generalized_kl);
}

}  // namespace

double detail::scalar_reference(measure m, dspan p, dspan q,
                                const discrete_options& opt,
                                const measure_params& params) {
  return scalar_one(m, p, q, opt, params);
}
double detail::scalar_reference(measure m, fspan p, fspan q,
                                const discrete_options& opt,
                                const measure_params& params) {
  return scalar_one(m, p, q, opt, params);
}

double evaluate(measure m, dspan p, dspan q, const discrete_options& opt,
                const measure_params& params) {
  return through_kernel(m, p, q, opt, params);
}
double evaluate(measure m, fspan p, fspan q, const discrete_options& opt,
                const measure_params& params) {
  return through_kernel(m, p, q, opt, params);
}
std::vector<double> evaluate(measure m, dmatrix p, dmatrix q,
                             const discrete_options& opt,
                             const measure_params& params) {
  return through_kernel(m, p, q, opt, params);
}
std::vector<double> evaluate(measure m, fmatrix p, fmatrix q,
                             const discrete_options& opt,
                             const measure_params& params) {
  return through_kernel(m, p, q, opt, params);
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
