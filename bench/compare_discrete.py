#!/usr/bin/python3
"""kldiv's discrete divergences beside SciPy's, for the same sizes, in one run.

Runs build/bin/bench_discrete (Google Benchmark, JSON output), then times the
code a SciPy user writes for the same quantity on vectors of the same sizes and
kind (Dirichlet(1) probability vectors, float64), and prints both times and
the ratio SciPy / kldiv (> 1: kldiv is faster), and kldiv's time over the
time to merely read the inputs (BM_read, BM_read_float for float data).

usage: compare_discrete.py BUILD_DIR
"""
import json
import subprocess
import sys
import timeit

import numpy as np
from scipy import special, stats
from scipy.spatial import distance

# Each measure against the SciPy code (one or more) a user would write.
SCIPY = {
    "kl": [("rel_entr(p, q).sum()", lambda p, q: special.rel_entr(p, q).sum())],
    "kl_1thread": [("rel_entr(p, q).sum()",
                    lambda p, q: special.rel_entr(p, q).sum()),
                   ("stats.entropy(p, q)", lambda p, q: stats.entropy(p, q))],
    "kl_float": [("rel_entr(p, q).sum(), float32",
                  lambda p, q: special.rel_entr(p, q).sum())],
    "entropy": [("stats.entropy(p)", lambda p, q: stats.entropy(p))],
    "js_divergence": [("jensenshannon(p, q)**2",
                       lambda p, q: distance.jensenshannon(p, q) ** 2)],
    "js_distance": [("jensenshannon(p, q)",
                     lambda p, q: distance.jensenshannon(p, q))],
    "jeffreys": [("rel_entr(p, q).sum() + rel_entr(q, p).sum()",
                  lambda p, q: special.rel_entr(p, q).sum() + special.rel_entr(q, p).sum())],
    "renyi_half": [("log(Σ p^½ q^½) / (½ - 1) in NumPy",
                    lambda p, q: np.log(np.sum(np.sqrt(p * q))) / -0.5)],
    "renyi_2": [("log(Σ p² / q) in NumPy",
                 lambda p, q: np.log(np.sum(p * p / q)))],
    "bhattacharyya_distance": [("-log(Σ √(p q)) in NumPy",
                                lambda p, q: -np.log(np.sum(np.sqrt(p * q))))],
    "chi2_neyman": [("Σ (p - q)² / p in NumPy",
                     lambda p, q: np.sum((p - q) ** 2 / p))],
    "generalized_kl": [("kl_div(p, q).sum()",
                        lambda p, q: special.kl_div(p, q).sum())],
    "kl_weights": [("rel_entr(p/Σp, q/Σq).sum()",
                    lambda p, q: special.rel_entr(p / p.sum(), q / q.sum()).sum())],
    "hellinger": [("sqrt(½ Σ (√p-√q)²) in NumPy",
                   lambda p, q: np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)))],
    "cross_entropy": [("-Σ xlogy(p, q) in SciPy",
                       lambda p, q: -special.xlogy(p, q).sum())],
    "total_variation": [("½ Σ |p - q| in NumPy",
                         lambda p, q: 0.5 * np.abs(p - q).sum())],
    "chi2_pearson": [("Σ (p - q)² / q in NumPy",
                      lambda p, q: np.sum((p - q) ** 2 / q))],
    "bhattacharyya_coefficient": [("Σ √(p q) in NumPy",
                                   lambda p, q: np.sum(np.sqrt(p * q)))],
    "rel_entr": [("rel_entr(p, q) (elementwise)",
                  lambda p, q: special.rel_entr(p, q))],
}


def scipy_seconds(fn, p, q):
    number = max(1, int(2e6 // p.size))
    best = min(timeit.repeat(lambda: fn(p, q), number=number, repeat=5))
    return best / number


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    out = subprocess.run(
        [f"{build}/bin/bench_discrete", "--benchmark_format=json",
         "--benchmark_min_time=0.2"],
        check=True, capture_output=True, text=True).stdout
    rows = json.loads(out)["benchmarks"]
    rng = np.random.default_rng(1)
    print(f"{'measure':<25} {'n':>9} {'kldiv':>11} {'SciPy':>11} {'SciPy/kldiv':>12}  "
          "kldiv/read  (SciPy code)")
    read = {}
    for row in rows:
        name, n = row["name"].removeprefix("BM_").split("/")
        if name.startswith("read"):
            read[name, int(n)] = row["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3}[row["time_unit"]]
            continue
        n = int(n)
        kldiv_s = row["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3}[row["time_unit"]]
        p = rng.dirichlet(np.ones(n)) if n <= 10**6 else rng.exponential(size=n)
        q = rng.dirichlet(np.ones(n)) if n <= 10**6 else rng.exponential(size=n)
        p /= p.sum()
        q /= q.sum()
        if name == "kl_float":
            p, q = p.astype(np.float32), q.astype(np.float32)
        limit = read["read_float" if name == "kl_float" else "read", n]
        for label, fn in SCIPY[name]:
            scipy_s = scipy_seconds(fn, p, q)
            print(f"{name:<25} {n:>9} {kldiv_s * 1e3:>9.3f}ms {scipy_s * 1e3:>9.3f}ms "
                  f"{scipy_s / kldiv_s:>11.2f}x  {kldiv_s / limit:>6.2f}x  ({label})")


if __name__ == "__main__":
    main()
