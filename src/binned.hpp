// What the measures on shared bins share (kldiv compare and the histogram
// and categorical estimators): proportions from counts with a pseudo-count,
// and KL(p || q) with its per-bin terms. Both sides compute them here, so the
// same counts give bit-identical values everywhere.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "kldiv/discrete.hpp"

namespace kldiv::detail {

// The proportions (c_i + s) / (n + s B) of counts c over B bins, n their sum:
// the pseudo-count s added to every bin.
inline std::vector<double> proportions(std::span<const std::size_t> c,
                                       double s) {
  double n = 0.0;
  for (const auto v : c) n += static_cast<double>(v);
  const double total = n + s * static_cast<double>(c.size());
  std::vector<double> p(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    p[i] = (static_cast<double>(c[i]) + s) / total;
  }
  return p;
}

// The proportions p and q of two count vectors over the same bins, KL(p || q)
// in nats and its terms p_i log(p_i / q_i) per bin, as kl and rel_entr give
// them: a bin with p_i > 0 and q_i = 0 makes its term and KL +inf.
struct binned_kl {
  std::vector<double> p, q, terms;
  double value = 0.0;
};

inline binned_kl kl_of_counts(std::span<const std::size_t> cp,
                              std::span<const std::size_t> cq, double s) {
  binned_kl r{proportions(cp, s), proportions(cq, s), {}, 0.0};
  r.terms.resize(r.p.size());
  rel_entr(r.p, r.q, r.terms);
  r.value = kl(r.p, r.q);
  return r;
}

// The bins with p_i > 0 and q_i = 0: those that make KL(p || q) infinite.
inline std::size_t infinite_bins(std::span<const double> p,
                                 std::span<const double> q) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] > 0.0 && q[i] == 0.0) ++n;
  }
  return n;
}

}  // namespace kldiv::detail
