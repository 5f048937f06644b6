// Monte Carlo KL between two Gaussian mixtures (8 components, 16 dimensions,
// full covariances, 10^6 draws, one thread): the case of
// bench/compare_mixture.py, which runs the same estimate through
// scikit-learn. `bench_mixture --dump FILE` writes the two mixtures as JSON
// for it; otherwise Google Benchmark's flags apply.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "kldiv/mixture.hpp"

namespace {

constexpr std::size_t kComponents = 8, kDim = 16;

struct raw {
  std::vector<double> weights, means, covariances;  // k, k x d, k x d x d
};

// Seeded: means N(0, 1); covariances A A^T / d + I with A standard normal.
raw make_raw(std::uint64_t seed) {
  kldiv::random_stream rs(seed);
  raw r;
  r.weights.assign(kComponents, 1.0 / kComponents);
  for (std::size_t i = 0; i < kComponents * kDim; ++i) {
    r.means.push_back(rs.normal());
  }
  for (std::size_t a = 0; a < kComponents; ++a) {
    std::vector<double> m(kDim * kDim);
    for (auto& v : m) v = rs.normal();
    for (std::size_t i = 0; i < kDim; ++i) {
      for (std::size_t j = 0; j < kDim; ++j) {
        double s = 0.0;
        for (std::size_t t = 0; t < kDim; ++t) {
          s += m[i * kDim + t] * m[j * kDim + t];
        }
        r.covariances.push_back(s / kDim + (i == j ? 1.0 : 0.0));
      }
    }
  }
  return r;
}

kldiv::gaussian_mixture mixture(const raw& r) {
  return kldiv::gaussian_mixture::full(
      r.weights,
      kldiv::matrix_view<double>::dense(r.means.data(), kComponents, kDim),
      kldiv::matrix_view<double>::dense(r.covariances.data(), kComponents,
                                        kDim * kDim));
}

std::string json_of(const raw& r) {
  const auto list = [](const std::vector<double>& v) {
    std::string s = "[";
    char buf[40];
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.17g", v[i]);
      if (i) s += ',';
      s += buf;
    }
    return s + "]";
  };
  return "{\"weights\":" + list(r.weights) + ",\"means\":" + list(r.means) +
         ",\"covariances\":" + list(r.covariances) + "}";
}

void BM_gmm_kl_monte_carlo(benchmark::State& state) {
  const auto f = mixture(make_raw(1)), g = mixture(make_raw(2));
  kldiv::gmm_options o;
  o.samples = static_cast<std::size_t>(state.range(0));
  o.seed = 7;
  o.threads = 1;
  double value = 0.0;
  for (auto _ : state) {
    value = kldiv::kl(f, g, kldiv::gmm_method::monte_carlo, o).value;
    benchmark::DoNotOptimize(value);
  }
  state.counters["kl"] = value;
}
BENCHMARK(BM_gmm_kl_monte_carlo)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_gmm_kl_summary_deterministic(benchmark::State& state) {
  const auto f = mixture(make_raw(1)), g = mixture(make_raw(2));
  for (auto _ : state) {
    for (const auto m : kldiv::gmm_methods()) {
      if (m == kldiv::gmm_method::monte_carlo) continue;
      benchmark::DoNotOptimize(kldiv::kl(f, g, m).value);
    }
  }
}
BENCHMARK(BM_gmm_kl_summary_deterministic)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--dump") == 0) {
    std::ofstream(argv[2]) << "{\"f\":" << json_of(make_raw(1))
                           << ",\"g\":" << json_of(make_raw(2)) << "}\n";
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
