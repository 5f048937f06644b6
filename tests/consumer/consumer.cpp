// A program outside the kldiv tree, built against the installed package.
#include <cstdio>
#include <vector>

#include "kldiv/kldiv.hpp"

int main() {
  // KL([1, 0] ‖ [0.6, 0.4]) = ln(1 / 0.6) = 0.5108256237659907 nats.
  const std::vector<double> p{1.0, 0.0}, q{0.6, 0.4};
  std::printf("KL = %.16g\n", kldiv::kl(p, q));
  return 0;
}
