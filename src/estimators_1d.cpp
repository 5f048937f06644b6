// (being written)
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"

namespace kldiv {
sample_estimate kl_1d(std::span<const double>, std::span<const double>,
                      const kl_1d_options&) {
  throw NotSupported("kl_1d: not yet implemented");
}
}  // namespace kldiv
