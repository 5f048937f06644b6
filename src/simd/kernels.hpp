// The SIMD kernels' plain interface: pointers and sizes in, plain structs
// out. Implemented once per target in src/simd/*-inl.h and dispatched at run
// time (dispatch.cpp); no SIMD type appears here.
#pragma once

#include <cstddef>
#include <limits>
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
  // Further results of the kernels of measures-inl.h (see there).
  double h = 0.0;  ///< a second plain sum
  double top = -std::numeric_limits<double>::infinity();  ///< a maximum
  bool any = false;                                       ///< some entry ...
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

/// The map from raw values (weights, counts, smoothed inputs) to the
/// probabilities a measure sees: (x + add) / divisor, then keep * that + mix
/// where mix != 0 (the scalar value_map's operations, in its order).
struct value_scale {
  double add = 0.0;
  double divisor = 1.0;
  double keep = 1.0;
  double mix = 0.0;
};

/// out->d_sum + out->d_comp = Σ x (compensated), out->bad: a negative, NaN or
/// infinite x.
void total_block(const double* x, std::size_t n, kl_partial* out);
void total_block(const float* x, std::size_t n, kl_partial* out);

/// out[i] = the value x[i] maps to by `s`.
void map_block(const double* x, std::size_t n, const value_scale& s,
               double* out);
void map_block(const float* x, std::size_t n, const value_scale& s,
               double* out);

/// Jensen–Shannon with weights w1, w2 over one block: out->g = Σ of its
/// terms (each >= 0), sp, sq, bad, odd as for KL.
void js_block(const double* p, const double* q, std::size_t n, double w1,
              double w2, kl_partial* out);
void js_block(const float* p, const float* q, std::size_t n, double w1,
              double w2, kl_partial* out);

/// Jeffreys Σ (p - q) log(p/q) over one block into out->g (sp, sq, bad, odd
/// as for KL).
void jeffreys_block(const double* p, const double* q, std::size_t n,
                    kl_partial* out);
void jeffreys_block(const float* p, const float* q, std::size_t n,
                    kl_partial* out);

/// What renyi_block computes (see measures-inl.h).
enum renyi_mode : int {
  renyi_order0 = 0,     ///< d = Σq - Σp - Σ_{p=0} q, h = Σ_{p=0} q
  renyi_sums = 1,       ///< d = T, h = Σ_{q=0} p, any = shared support
  renyi_exp_sum = 2,    ///< g = Σ p (p/q)^(alpha - 1) over p, q > 0
  renyi_order_inf = 3,  ///< top = max over p > 0 of log(p/q)
};
void renyi_block(renyi_mode mode, double alpha, const double* p,
                 const double* q, std::size_t n, kl_partial* out);
void renyi_block(renyi_mode mode, double alpha, const float* p, const float* q,
                 std::size_t n, kl_partial* out);

/// The Bhattacharyya distance's sums over one block: g = Σ sqrt(p q),
/// h = Σ (sqrt p - sqrt q)^2, d = Σ (p - q) (sp, sq, bad as for KL).
void bhattacharyya_block(const double* p, const double* q, std::size_t n,
                         kl_partial* out);
void bhattacharyya_block(const float* p, const float* q, std::size_t n,
                         kl_partial* out);

/// The name of the target kl_block runs on ("AVX3", "AVX2", "SSE4", ...).
std::string active_target_name();

/// Every target this build has code for and this CPU runs, best first.
std::vector<std::string> supported_target_names();

/// Limits dispatch to `name` and the targets below it ("" lifts the limit).
/// Returns false (and changes nothing) for a name that is not supported.
bool limit_target(const std::string& name);

}  // namespace kldiv::detail
