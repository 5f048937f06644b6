#!/usr/bin/python3
"""k-NN KL estimation (Wang, Kulkarni & Verdu), n = m = 10^5, d = 5, k = 1:
kldiv (bench_estimators, C++) on one and two threads beside the same
formula on scipy.spatial.cKDTree with workers=1 and 2, on the same samples,
in one run.

    /usr/bin/python3 bench/compare_knn.py build
"""
import json
import subprocess
import sys
import tempfile

import numpy as np
from scipy.spatial import cKDTree
from timing import best  # noqa: E402

N, D = 100_000, 5


def ckdtree_kl(x, y, workers):
    rho = cKDTree(x).query(x, k=2, workers=workers)[0][:, 1]
    nu = cKDTree(y).query(x, k=1, workers=workers)[0]
    return D * np.mean(np.log(nu / rho)) + np.log(len(y) / (len(x) - 1))


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    exe = f"{build}/bin/bench_estimators"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, "--dump", tmp], check=True)
        x = np.fromfile(f"{tmp}/x.bin").reshape(N, D)
        y = np.fromfile(f"{tmp}/y.bin").reshape(N, D)
    out = subprocess.run([exe, "--benchmark_format=json"], check=True,
                         capture_output=True, text=True).stdout
    ours = {b["name"]: b for b in json.loads(out)["benchmarks"]}
    print(f"k-NN KL, n = m = {N}, d = {D}, k = 1 (exact KL {D / 8})")
    print(f"{'threads':<8}{'kldiv':>10}{'cKDTree':>10}{'ratio':>8}  estimates")
    for threads in (1, 2):
        b = ours[f"BM_kl_knn/{threads}/real_time"]
        t_ours = b["real_time"] / 1e3
        t_theirs, v = best(lambda: ckdtree_kl(x, y, threads))
        print(f"{threads:<8}{t_ours * 1e3:8.0f}ms{t_theirs * 1e3:8.0f}ms"
              f"{t_theirs / t_ours:7.1f}x  {b['kl']:.5f} / {v:.5f}")


if __name__ == "__main__":
    main()
