// Google Benchmark of the discrete divergences (the scalar reference
// implementation for now). Rates are in elements per second and bytes read
// per second; bench/compare_discrete.py sets these beside SciPy's.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "kldiv/discrete.hpp"

namespace {

// A probability vector of n entries from a fixed seed (Dirichlet(1)).
std::vector<double> distribution(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> e(1.0);
  std::vector<double> v(n);
  double s = 0;
  for (auto& x : v) s += (x = e(rng));
  for (auto& x : v) x /= s;
  return v;
}

// `inputs`: how many of p and q the measure reads (for bytes per second).
template <class Fn>
void run(benchmark::State& state, Fn fn, int inputs = 2) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto p = distribution(n, 1), q = distribution(n, 2);
  for (auto _ : state) benchmark::DoNotOptimize(fn(p, q));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(n) * 8 *
                          inputs);
}

void BM_kl(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::kl(p, q); });
}
void BM_entropy(benchmark::State& s) {
  run(
      s, [](const auto& p, const auto&) { return kldiv::entropy(p); }, 1);
}
void BM_js_divergence(benchmark::State& s) {
  run(s,
      [](const auto& p, const auto& q) { return kldiv::js_divergence(p, q); });
}
void BM_hellinger(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::hellinger(p, q); });
}

}  // namespace

BENCHMARK(BM_kl)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_entropy)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_js_divergence)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_hellinger)->RangeMultiplier(100)->Range(1000, 10000000);

BENCHMARK_MAIN();
