// k-NN KL estimation, n = m = 10^5 points in d = 5, k = 1: the case of
// bench/compare_knn.py, which runs the same formula on scipy's cKDTree.
// `bench_estimators --dump DIR` writes the two samples as x.bin and y.bin
// (raw little-endian float64, row-major) for it; otherwise Google
// Benchmark's flags apply.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "kldiv/distributions.hpp"
#include "kldiv/estimators.hpp"

namespace {

constexpr std::size_t kN = 100'000, kDim = 5;

// x ~ N(0, I), y ~ N(0.5, I): KL = d / 8.
std::vector<double> sample(std::uint64_t stream, double shift) {
  kldiv::random_stream rs(42, stream);
  std::vector<double> v(kN * kDim);
  for (auto& e : v) e = rs.normal() + shift;
  return v;
}

void BM_kl_knn(benchmark::State& state) {
  const auto x = sample(1, 0.0), y = sample(2, 0.5);
  kldiv::knn_options o;
  o.k = {1};
  o.threads = static_cast<int>(state.range(0));
  double value = 0.0;
  for (auto _ : state) {
    value = kldiv::kl_knn(kldiv::matrix_view<double>::dense(x.data(), kN, kDim),
                          kldiv::matrix_view<double>::dense(y.data(), kN, kDim),
                          o)[0]
                .value;
    benchmark::DoNotOptimize(value);
  }
  state.counters["kl"] = value;
}
BENCHMARK(BM_kl_knn)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--dump") == 0) {
    const auto x = sample(1, 0.0), y = sample(2, 0.5);
    std::ofstream(std::string(argv[2]) + "/x.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(x.data()),
               static_cast<std::streamsize>(x.size() * sizeof(double)));
    std::ofstream(std::string(argv[2]) + "/y.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(y.data()),
               static_cast<std::streamsize>(y.size() * sizeof(double)));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
