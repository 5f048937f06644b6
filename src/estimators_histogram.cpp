// (being written)
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"

namespace kldiv {
std::vector<double> bin_edges(std::span<const double>,
                              const histogram_options&) {
  throw NotSupported("bin_edges: not yet implemented");
}
std::vector<std::size_t> bin_counts(std::span<const double>,
                                    std::span<const double>) {
  throw NotSupported("bin_counts: not yet implemented");
}
histogram_estimate kl_histogram(std::span<const double>,
                                std::span<const double>,
                                const histogram_options&) {
  throw NotSupported("kl_histogram: not yet implemented");
}
categorical_estimate kl_categorical(std::span<const std::string>,
                                    std::span<const std::string>,
                                    const categorical_options&) {
  throw NotSupported("kl_categorical: not yet implemented");
}
}  // namespace kldiv
