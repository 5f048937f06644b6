// Sampling the multivariate normal: mean + L z, z standard normal from the
// seeded stream (low rank: mean + W u + D^1/2 z). Its own file, so that the
// closed forms (mvn.cpp) do not depend on the random streams.
#include <cmath>
#include <vector>

#include "kldiv/distributions.hpp"

namespace kldiv {

std::vector<double> sample(const multivariate_normal& m, random_stream& r) {
  const std::size_t d = m.dim();
  std::vector<double> z(d);
  for (auto& v : z) v = r.normal();
  std::vector<double> x(d);
  if (m.kind() == multivariate_normal::form::low_rank) {
    const std::size_t k = m.rank();
    std::vector<double> u(k);
    for (auto& v : u) v = r.normal();
    for (std::size_t i = 0; i < d; ++i) {
      double s = m.mean()[i] + std::sqrt(m.diag()[i]) * z[i];
      for (std::size_t j = 0; j < k; ++j) s += m.factor()[i * k + j] * u[j];
      x[i] = s;
    }
    return x;
  }
  for (std::size_t i = 0; i < d; ++i) {
    double s = m.mean()[i];
    if (m.kind() == multivariate_normal::form::diagonal) {
      s += m.factor()[i] * z[i];
    } else {
      for (std::size_t k = 0; k <= i; ++k) s += m.factor()[i * d + k] * z[k];
    }
    x[i] = s;
  }
  return x;
}

}  // namespace kldiv
