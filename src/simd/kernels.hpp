// The SIMD kernels' plain interface: pointers and sizes in, plain structs
// out. Implemented once per target in src/simd/*-inl.h and dispatched at run
// time (dispatch.cpp); no SIMD type appears here.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kldiv::detail {

/// Partial sums of KL over one block (see kl-inl.h for the contract).
struct kl_partial {
  double g = 0.0;       ///< Σ g(p, q), every term >= 0
  double d_sum = 0.0;   ///< Σ (p - q) ...
  double d_comp = 0.0;  ///< ... and its compensation
  double sp = 0.0;      ///< Σ p
  double sq = 0.0;      ///< Σ q
  bool bad = false;     ///< a negative, NaN or infinite entry
  bool odd = false;     ///< a subnormal or extreme ratio: redo in scalar
};

/// One block through the best SIMD target the CPU (and any forced limit)
/// allows.
void kl_block(const double* p, const double* q, std::size_t n, kl_partial* out);
void kl_block(const float* p, const float* q, std::size_t n, kl_partial* out);

/// Cross-entropy Σ -p log q over one block, into out->g (sp, sq, bad as for
/// KL; d and odd unused). Entropy is xent_block(p, p, ...).
void xent_block(const double* p, const double* q, std::size_t n,
                kl_partial* out);
void xent_block(const float* p, const float* q, std::size_t n, kl_partial* out);

/// The measures that are a plain sum of one term per entry.
enum sum_measure : int {
  sum_total_variation = 0,  ///< |p - q|
  sum_chi2_pearson = 1,     ///< (p - q)^2 / q
  sum_hellinger = 2,        ///< (sqrt p - sqrt q)^2
  sum_bhattacharyya = 3,    ///< sqrt(p q)
};

/// Σ term(p_i, q_i) of measure `which` over one block, into out->g (sp, sq,
/// bad as for KL).
void sum_block(sum_measure which, const double* p, const double* q,
               std::size_t n, kl_partial* out);
void sum_block(sum_measure which, const float* p, const float* q, std::size_t n,
               kl_partial* out);

/// The name of the target kl_block runs on ("AVX3", "AVX2", "SSE4", ...).
std::string active_target_name();

/// Every target this build has code for and this CPU runs, best first.
std::vector<std::string> supported_target_names();

/// Limits dispatch to `name` and the targets below it ("" lifts the limit).
/// Returns false (and changes nothing) for a name that is not supported.
bool limit_target(const std::string& name);

}  // namespace kldiv::detail
