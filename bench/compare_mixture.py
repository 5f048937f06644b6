#!/usr/bin/python3
"""KL between two Gaussian mixtures (8 components, 16 dimensions, full
covariances) by Monte Carlo with 10^6 draws, on one thread: kldiv
(bench_mixture, C++) beside scikit-learn's GaussianMixture (sample() then
score_samples() of both), the same mixtures, in one run. Prints the times,
the ratio and both estimates.

    /usr/bin/python3 bench/compare_mixture.py build
"""
import json
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

K, D, N = 8, 16, 1_000_000


def sklearn_mixture(p):
    covs = np.array(p["covariances"]).reshape(K, D, D)
    g = GaussianMixture(K, covariance_type="full", random_state=0)
    g.weights_ = np.array(p["weights"])
    g.means_ = np.array(p["means"]).reshape(K, D)
    g.covariances_ = covs
    g.precisions_cholesky_ = np.linalg.cholesky(np.linalg.inv(covs))
    return g


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    exe = f"{build}/bin/bench_mixture"
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        subprocess.run([exe, "--dump", tmp.name], check=True)
        params = json.load(open(tmp.name))
    out = subprocess.run([exe, "--benchmark_format=json",
                          "--benchmark_filter=BM_gmm_kl_monte_carlo"],
                         check=True, capture_output=True, text=True).stdout
    bench = json.loads(out)["benchmarks"][0]
    ours = bench["real_time"] / 1e3  # ms -> s
    f, g = sklearn_mixture(params["f"]), sklearn_mixture(params["g"])
    best = float("inf")
    with threadpool_limits(1):
        for _ in range(2):
            t = time.perf_counter()
            x, _ = f.sample(N)
            theirs_value = float(np.mean(f.score_samples(x) - g.score_samples(x)))
            best = min(best, time.perf_counter() - t)
    print(f"Gaussian mixtures, {K} components, d = {D}, {N} draws, one thread")
    print(f"{'':<14}{'time':>10}  KL estimate")
    print(f"{'kldiv':<14}{ours * 1e3:8.1f}ms  {bench['kl']:.4f}")
    print(f"{'scikit-learn':<14}{best * 1e3:8.1f}ms  {theirs_value:.4f}")
    print(f"scikit-learn / kldiv: {best / ours:.1f}x")


if __name__ == "__main__":
    main()
