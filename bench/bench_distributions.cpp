// Google Benchmark of the batched Gaussian KLs: 10^6 normal pairs, 10^5
// diagonal normals of 16 components, the VAE term of 10^5 x 64, one thread.
// bench/compare_distributions.py sets these beside torch.distributions.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "kldiv/distributions.hpp"

namespace {

std::vector<double> values(std::size_t n, unsigned seed, bool positive) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<double> v(n);
  for (auto& x : v) x = positive ? std::exp(0.5 * z(rng)) : z(rng);
  return v;
}

void BM_kl_normal(benchmark::State& s) {
  const auto n = static_cast<std::size_t>(s.range(0));
  const auto mp = values(n, 1, false), sp = values(n, 2, true);
  const auto mq = values(n, 3, false), sq = values(n, 4, true);
  std::vector<double> out(n);
  for (auto _ : s) {
    kldiv::kl_normal(mp, sp, mq, sq, out, 1);
    benchmark::DoNotOptimize(out.data());
  }
  s.SetItemsProcessed(s.iterations() * static_cast<int64_t>(n));
}

void BM_kl_diag_normal(benchmark::State& s) {
  const auto rows = static_cast<std::size_t>(s.range(0));
  const auto d = static_cast<std::size_t>(s.range(1));
  const auto mp = values(rows * d, 1, false), sp = values(rows * d, 2, true);
  const auto mq = values(rows * d, 3, false), sq = values(rows * d, 4, true);
  const auto m = [&](const std::vector<double>& v) {
    return kldiv::matrix_view<double>::dense(v.data(), rows, d);
  };
  std::vector<double> out(rows);
  for (auto _ : s) {
    kldiv::kl_diag_normal(m(mp), m(sp), m(mq), m(sq), out, 1);
    benchmark::DoNotOptimize(out.data());
  }
  s.SetItemsProcessed(s.iterations() * static_cast<int64_t>(rows));
}

void BM_vae_kl_grad(benchmark::State& s) {
  const auto rows = static_cast<std::size_t>(s.range(0));
  const auto d = static_cast<std::size_t>(s.range(1));
  const auto mu = values(rows * d, 1, false), lv = values(rows * d, 2, false);
  std::vector<double> out(rows), gm(rows * d), gl(rows * d);
  for (auto _ : s) {
    kldiv::vae_kl(kldiv::matrix_view<double>::dense(mu.data(), rows, d),
                  kldiv::matrix_view<double>::dense(lv.data(), rows, d), out,
                  gm, gl, 1);
    benchmark::DoNotOptimize(out.data());
  }
  s.SetItemsProcessed(s.iterations() * static_cast<int64_t>(rows));
}

BENCHMARK(BM_kl_normal)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kl_diag_normal)
    ->Args({100'000, 16})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_vae_kl_grad)->Args({100'000, 64})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
