// Google Benchmark of the logits divergences: KL of two models' logits rows
// (64 x 32000 and 32 x 128256, float32, one thread), with and without the
// gradient, and the row log-sum-exp alone. bench/compare_logits.py sets these
// beside PyTorch.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "kldiv/logits.hpp"

namespace {

struct logits_pair {
  std::vector<float> a, b;
};

// Teacher logits N(0, 3^2) and a student off by N(0, 0.3^2) per logit.
const logits_pair& data(std::size_t rows, std::size_t vocab) {
  static std::size_t r0 = 0, v0 = 0;
  static logits_pair d;
  if (r0 != rows || v0 != vocab) {
    std::mt19937_64 rng(42);
    std::normal_distribution<float> z(0.0f, 1.0f);
    d.a.resize(rows * vocab);
    d.b.resize(rows * vocab);
    for (std::size_t i = 0; i < d.a.size(); ++i) {
      d.a[i] = 3.0f * z(rng);
      d.b[i] = d.a[i] + 0.3f * z(rng);
    }
    r0 = rows;
    v0 = vocab;
  }
  return d;
}

void run(benchmark::State& state, kldiv::logits_measure m, bool grad) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto vocab = static_cast<std::size_t>(state.range(1));
  const auto& d = data(rows, vocab);
  const auto a = kldiv::matrix_view<float>::dense(d.a.data(), rows, vocab);
  const auto b = kldiv::matrix_view<float>::dense(d.b.data(), rows, vocab);
  std::vector<float> g(grad ? rows * vocab : 0);
  const auto opt = kldiv::logits_options{}.with_threads(1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        kldiv::divergence_from_logits(m, a, b, opt, {}, std::span(g)).value);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(rows * vocab));
  state.SetBytesProcessed(
      state.iterations() *
      static_cast<int64_t>(rows * vocab * 2 * sizeof(float)));
}

void BM_logits_kl(benchmark::State& s) {
  run(s, kldiv::logits_measure::kl, false);
}
void BM_logits_kl_grad(benchmark::State& s) {
  run(s, kldiv::logits_measure::kl, true);
}
void BM_logits_reverse_kl(benchmark::State& s) {
  run(s, kldiv::logits_measure::reverse_kl, false);
}
void BM_logits_jsd(benchmark::State& s) {
  run(s, kldiv::logits_measure::generalized_jsd, false);
}

// The memory limit: reading a and b once.
void BM_logits_read(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto vocab = static_cast<std::size_t>(state.range(1));
  const auto& d = data(rows, vocab);
  for (auto _ : state) {
    float s[16] = {};
    for (std::size_t i = 0; i < d.a.size(); i += 8) {
      for (std::size_t k = 0; k < 8; ++k) {
        s[k] += d.a[i + k];
        s[8 + k] += d.b[i + k];
      }
    }
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(rows * vocab));
  state.SetBytesProcessed(
      state.iterations() *
      static_cast<int64_t>(rows * vocab * 2 * sizeof(float)));
}

#define KLDIV_SHAPES \
  Args({64, 32000})->Args({32, 128256})->Unit(benchmark::kMillisecond)
BENCHMARK(BM_logits_read)->KLDIV_SHAPES;
BENCHMARK(BM_logits_kl)->KLDIV_SHAPES;
BENCHMARK(BM_logits_kl_grad)->KLDIV_SHAPES;
BENCHMARK(BM_logits_reverse_kl)->KLDIV_SHAPES;
BENCHMARK(BM_logits_jsd)->KLDIV_SHAPES;

}  // namespace

BENCHMARK_MAIN();
