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

// Full-covariance MVN pairs: construction from covariances (Cholesky) and
// KL, 10^3 pairs of dimension 64.
void BM_kl_mvn_full(benchmark::State& s) {
  const auto pairs = static_cast<std::size_t>(s.range(0));
  const auto d = static_cast<std::size_t>(s.range(1));
  std::vector<std::vector<double>> covs, means;
  std::mt19937_64 rng(9);
  std::normal_distribution<double> z(0.0, 1.0);
  for (std::size_t k = 0; k < 2 * pairs; ++k) {
    std::vector<double> a(d * d), c(d * d, 0.0), m(d);
    for (auto& x : a) x = z(rng);
    for (auto& x : m) x = z(rng);
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = 0; j < d; ++j) {
        double t = i == j ? 0.5 * static_cast<double>(d) : 0.0;
        for (std::size_t l = 0; l < d; ++l) t += a[i * d + l] * a[j * d + l];
        c[i * d + j] = t;
      }
    }
    covs.push_back(std::move(c));
    means.push_back(std::move(m));
  }
  for (auto _ : s) {
    double total = 0.0;
    for (std::size_t k = 0; k < pairs; ++k) {
      const auto p = kldiv::multivariate_normal::full(
          means[2 * k],
          kldiv::matrix_view<double>::dense(covs[2 * k].data(), d, d));
      const auto q = kldiv::multivariate_normal::full(
          means[2 * k + 1],
          kldiv::matrix_view<double>::dense(covs[2 * k + 1].data(), d, d));
      total += kldiv::kl(p, q);
    }
    benchmark::DoNotOptimize(total);
  }
  s.SetItemsProcessed(s.iterations() * static_cast<int64_t>(pairs));
}

BENCHMARK(BM_kl_mvn_full)->Args({1000, 64})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kl_normal)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kl_diag_normal)
    ->Args({100'000, 16})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_vae_kl_grad)->Args({100'000, 64})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
