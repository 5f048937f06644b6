// The row kernels of the logits divergences: pointers and sizes in, plain
// numbers out. Each has a scalar form (src/logits.cpp, the reference the
// tests compare with) and a SIMD form (logits-inl.h, dispatched at run time
// by src/simd/logits.cpp). No SIMD type appears here.
#pragma once

#include <cstddef>

namespace kldiv::detail {

/// One row's log-sum-exp in two parts, so that no large number enters the
/// per-entry arithmetic: max = the largest x_i (-inf when every entry is
/// -inf), sum = Σ exp((x_i - max) / t) in [1, n]; lse(x / t) = max / t +
/// log(sum). bad: some entry is NaN or +inf (max and sum are then
/// meaningless).
struct lse_partial {
  double max = 0.0;
  double sum = 0.0;
  bool bad = false;
};

/// The normalisation of a pair of rows: log p_i = (a_i - ma) / t - la and
/// log q_i = (b_i - mb) / t - lb.
struct pair_row {
  double ma = 0.0, la = 0.0;
  double mb = 0.0, lb = 0.0;
  double t = 1.0;
};

/// log p_i - log q_i = ((a_i - ma) - (b_i - mb)) / t - (la - lb): the
/// difference of small numbers, so that rows equal up to a constant give
/// (nearly) 0 whatever the size of the logits.
inline double log_ratio_of(double a, double b, const pair_row& r) {
  const double d = (a - r.ma) - (b - r.mb);
  return (r.t == 1.0 ? d : d / r.t) - (r.la - r.lb);
}

// SIMD forms (the best target the CPU and any limit allow). The first pass
// over a row keeps its exponentials, so that the divergence pass needs none:
// e[i] = exp((x_i - cmax[c]) / t) for entry i in chunk c = i / kChunk, cmax[c]
// the chunk's largest entry (-inf for a chunk of -inf only, whose e are 0).
// With scale[c] = exp((cmax[c] - m) / t - l), the probability is
// e[i] * scale[c].

/// Entries per chunk (a multiple of every target's lane count).
constexpr std::size_t kLogitsChunk = 2048;

/// How many chunks a row of n entries has.
constexpr std::size_t logits_chunks(std::size_t n) {
  return (n + kLogitsChunk - 1) / kLogitsChunk;
}

/// The first pass: e and cmax as above, and the row's max and sum (as for
/// lse_partial; sum = Σ exp((x_i - max) / t)).
void simd_row_exp(const double* x, std::size_t n, double t, double* e,
                  double* cmax, lse_partial* out);
void simd_row_exp(const float* x, std::size_t n, double t, double* e,
                  double* cmax, lse_partial* out);

/// KL(P || Q) of one row, Σ g_i with g_i = p log(p/q) - p + q >= 0 (0 where
/// p = 0, +inf where p > 0 and b_i = -inf), p and q from the first pass's
/// exponentials (ea, sa and eb, sb). When grad is not null it receives
/// gscale * (q_i - p_i).
double simd_kl_row(const double* a, const double* b, std::size_t n,
                   const pair_row& r, const double* ea, const double* sa,
                   const double* eb, const double* sb, double* grad,
                   double gscale);
double simd_kl_row(const float* a, const float* b, std::size_t n,
                   const pair_row& r, const double* ea, const double* sa,
                   const double* eb, const double* sb, float* grad,
                   double gscale);

/// grad_i = gscale * q_i * (log q_i - log p_i - value): the gradient of
/// KL(Q || P) with respect to b (value = KL(Q || P) of the row, finite).
void simd_reverse_grad_row(const double* a, const double* b, std::size_t n,
                           const pair_row& r, const double* eb,
                           const double* sb, double value, double* grad,
                           double gscale);
void simd_reverse_grad_row(const float* a, const float* b, std::size_t n,
                           const pair_row& r, const double* eb,
                           const double* sb, double value, float* grad,
                           double gscale);

/// grad_i = gscale * e[i] * scale[c]: the softmax part of the
/// cross-entropy's gradient (the caller subtracts the one-hot entry).
void simd_softmax_grad_row(std::size_t n, const double* e, const double* scale,
                           double* grad, double gscale);
void simd_softmax_grad_row(std::size_t n, const double* e, const double* scale,
                           float* grad, double gscale);

/// The generalised JSD of one row for 0 < beta < 1, scaled by 1 / (beta (1 -
/// beta)) (see logits.hpp); *k receives KL(Q || M) = Σ q log1p(q/m - 1),
/// which the gradient pass takes: grad_i = gscale / beta * q_i (log(q_i/m_i)
/// - k).
double simd_gjsd_row(const double* a, const double* b, std::size_t n,
                     const pair_row& r, const double* ea, const double* sa,
                     const double* eb, const double* sb, double beta,
                     double* k);
double simd_gjsd_row(const float* a, const float* b, std::size_t n,
                     const pair_row& r, const double* ea, const double* sa,
                     const double* eb, const double* sb, double beta,
                     double* k);
void simd_gjsd_grad_row(const double* a, const double* b, std::size_t n,
                        const pair_row& r, const double* ea, const double* sa,
                        const double* eb, const double* sb, double beta,
                        double k, double* grad, double gscale);
void simd_gjsd_grad_row(const float* a, const float* b, std::size_t n,
                        const pair_row& r, const double* ea, const double* sa,
                        const double* eb, const double* sb, double beta,
                        double k, float* grad, double gscale);

}  // namespace kldiv::detail
