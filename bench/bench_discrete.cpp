// Google Benchmark of the discrete divergences (the SIMD kernels). Rates are
// in elements per second and bytes read per second; bench/compare_discrete.py
// sets these beside SciPy's.
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <type_traits>
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

// The memory limit: the time to merely read p and q once. A plain
// `a += p[i]` loop is bound by the latency of one chain of additions (GCC
// does not reorder it without -ffast-math), not by memory. Here four
// independent 16-byte vector sums per input (GCC/Clang vector extensions, so
// plain SSE2 in the default build) let the loads run at the speed of memory.
typedef double f64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));

template <class T>
double read_both(const std::vector<T>& p, const std::vector<T>& q) {
  using V = std::conditional_t<sizeof(T) == 8, f64x2, f32x4>;
  constexpr std::size_t lanes = sizeof(V) / sizeof(T), sums = 4;
  V a[sums] = {}, b[sums] = {};
  std::size_t i = 0;
  for (; i + sums * lanes <= p.size(); i += sums * lanes) {
    for (std::size_t k = 0; k < sums; ++k) {
      V x, y;
      std::memcpy(&x, p.data() + i + k * lanes, sizeof(V));
      std::memcpy(&y, q.data() + i + k * lanes, sizeof(V));
      a[k] += x;
      b[k] += y;
    }
  }
  double sum = 0;
  for (; i < p.size(); ++i) sum += p[i] + q[i];
  for (std::size_t k = 0; k < sums; ++k) {
    for (std::size_t l = 0; l < lanes; ++l) sum += a[k][l] + b[k][l];
  }
  return sum;
}

void BM_read(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return read_both(p, q); });
}
// The same for float data (half the bytes), the limit of BM_kl_float.
void BM_read_float(benchmark::State& s) {
  const auto n = static_cast<std::size_t>(s.range(0));
  const auto pd = distribution(n, 1), qd = distribution(n, 2);
  const std::vector<float> p(pd.begin(), pd.end()), q(qd.begin(), qd.end());
  for (auto _ : s) benchmark::DoNotOptimize(read_both(p, q));
  s.SetItemsProcessed(s.iterations() * static_cast<int64_t>(n));
  s.SetBytesProcessed(s.iterations() * static_cast<int64_t>(n) * 8);
}
void BM_kl(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::kl(p, q); });
}
void BM_kl_1thread(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) {
    return kldiv::kl(p, q, kldiv::discrete_options{}.with_threads(1));
  });
}
void BM_kl_float(benchmark::State& s) {
  const auto n = static_cast<std::size_t>(s.range(0));
  const auto pd = distribution(n, 1), qd = distribution(n, 2);
  const std::vector<float> p(pd.begin(), pd.end()), q(qd.begin(), qd.end());
  const auto opt = kldiv::discrete_options{}.with_tolerance(1e-3);
  for (auto _ : s) benchmark::DoNotOptimize(kldiv::kl(p, q, opt));
  s.SetItemsProcessed(s.iterations() * static_cast<int64_t>(n));
  s.SetBytesProcessed(s.iterations() * static_cast<int64_t>(n) * 8);
}
void BM_entropy(benchmark::State& s) {
  run(
      s, [](const auto& p, const auto&) { return kldiv::entropy(p); }, 1);
}
void BM_js_divergence(benchmark::State& s) {
  run(s,
      [](const auto& p, const auto& q) { return kldiv::js_divergence(p, q); });
}
void BM_js_distance(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::js_distance(p, q); });
}
void BM_jeffreys(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::jeffreys(p, q); });
}
void BM_renyi_half(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::renyi(p, q, 0.5); });
}
void BM_renyi_2(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::renyi(p, q, 2.0); });
}
void BM_bhattacharyya_distance(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) {
    return kldiv::bhattacharyya_distance(p, q);
  });
}
void BM_chi2_neyman(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::chi2_neyman(p, q); });
}
void BM_generalized_kl(benchmark::State& s) {
  run(s,
      [](const auto& p, const auto& q) { return kldiv::generalized_kl(p, q); });
}
// Weights: the same vectors, normalised by the kernels (two passes).
void BM_kl_weights(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) {
    return kldiv::kl(p, q, kldiv::discrete_options{}.normalize());
  });
}
void BM_hellinger(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) { return kldiv::hellinger(p, q); });
}
void BM_cross_entropy(benchmark::State& s) {
  run(s,
      [](const auto& p, const auto& q) { return kldiv::cross_entropy(p, q); });
}
void BM_total_variation(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) {
    return kldiv::total_variation(p, q);
  });
}
void BM_chi2_pearson(benchmark::State& s) {
  run(s,
      [](const auto& p, const auto& q) { return kldiv::chi2_pearson(p, q); });
}
void BM_bhattacharyya_coefficient(benchmark::State& s) {
  run(s, [](const auto& p, const auto& q) {
    return kldiv::bhattacharyya_coefficient(p, q);
  });
}
// The terms, elementwise, into a preallocated output (reads p and q, writes
// n doubles).
void BM_rel_entr(benchmark::State& s) {
  std::vector<double> out;
  run(s, [&out](const auto& p, const auto& q) {
    out.resize(p.size());
    kldiv::rel_entr(p, q, out);
    return out[0];
  });
}

}  // namespace

BENCHMARK(BM_read)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_read_float)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_kl)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_kl_1thread)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_kl_float)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_entropy)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_js_divergence)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_js_distance)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_jeffreys)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_renyi_half)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_renyi_2)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_bhattacharyya_distance)
    ->RangeMultiplier(100)
    ->Range(1000, 10000000);
BENCHMARK(BM_chi2_neyman)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_generalized_kl)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_kl_weights)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_hellinger)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_cross_entropy)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_total_variation)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_chi2_pearson)->RangeMultiplier(100)->Range(1000, 10000000);
BENCHMARK(BM_bhattacharyya_coefficient)
    ->RangeMultiplier(100)
    ->Range(1000, 10000000);
BENCHMARK(BM_rel_entr)->RangeMultiplier(100)->Range(1000, 10000000);

BENCHMARK_MAIN();
