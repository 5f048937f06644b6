// The mixture kernel's plain interface (see mahalanobis-inl.h).
#pragma once

#include <cstddef>

namespace kldiv::detail {

/// For k blocks of d rows of s (k d x d, row-major) with shifts h (k d), and
/// n points x (d x n, row-major: coordinate i of point j at x[i * n + j]):
/// out[a * n + j] = Σ_{r in block a} (Σ_i s[r, i] x[i, j] - h[r])^2, the
/// squared norms |L_a^-1 (x_j - μ_a)|^2 of a mixture's components.
void mahalanobis_block(const double* s, const double* h, std::size_t k,
                       std::size_t d, const double* x, std::size_t n,
                       double* out);

/// out[j] = log Σ_a exp(t[a * n + j]) over the k rows of t (k x n,
/// row-major), by the row maximum (-inf where every term is -inf).
void log_sum_exp_rows(const double* t, std::size_t k, std::size_t n,
                      double* out);

}  // namespace kldiv::detail
