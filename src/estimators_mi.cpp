// (being written)
#include "kldiv/error.hpp"
#include "kldiv/estimators.hpp"

namespace kldiv {
std::vector<sample_estimate> mutual_information_ksg(const matrix_view<double>&,
                                                    const matrix_view<double>&,
                                                    const ksg_options&) {
  throw NotSupported("mutual_information_ksg: not yet implemented");
}
}  // namespace kldiv
