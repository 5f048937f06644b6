#!/usr/bin/python3
"""Estimators from samples through the Python module, each beside what a
user would otherwise run, on the same data, in one process, one thread:

- mutual information (KSG, k = 3) of two correlated Gaussian columns:
  kldiv.mutual_information_ksg beside scikit-learn's mutual_info_regression
  (the same estimator 1 on KD/ball trees; it adds 1e-10 noise and clips at 0);
- histogram KL on NumPy's "auto" bins fitted on the reference:
  kldiv.kl_histogram beside numpy.histogram_bin_edges + numpy.histogram +
  scipy.stats.entropy;
- the 1-D estimator of Perez-Cruz: kldiv.kl_1d beside a NumPy transcription
  (sort, piecewise-linear CDFs by np.interp, slopes by finite differences —
  the usual published recipe).

    PYTHONPATH=build/python OMP_NUM_THREADS=1 /usr/bin/python3 bench/compare_samples.py
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.feature_selection import mutual_info_regression  # noqa: E402

import kldiv  # noqa: E402
from timing import best  # noqa: E402


def numpy_kl_1d(x, y):
    x, y = np.sort(x), np.sort(y)
    n, m = len(x), len(y)
    eps = 0.5 * min(np.diff(np.unique(x)).min(), np.diff(np.unique(y)).min())
    lo = min(x[0], y[0]) - 1
    hi = max(x[-1], y[-1]) + 1
    px = np.concatenate([[lo], x, [hi]])
    pf = np.concatenate([[0], (np.arange(1, n + 1) - 0.5) / n, [1]])
    qy = np.concatenate([[lo], y, [hi]])
    qf = np.concatenate([[0], (np.arange(1, m + 1) - 0.5) / m, [1]])
    dp = np.interp(x, px, pf) - np.interp(x - eps, px, pf)
    dq = np.interp(x, qy, qf) - np.interp(x - eps, qy, qf)
    return np.mean(np.log(dp / dq)) - 1


def histogram_kl(x, y):
    edges = np.histogram_bin_edges(y, "auto")
    p = np.histogram(x, edges)[0] + 0.5
    q = np.histogram(y, edges)[0] + 0.5
    return stats.entropy(p, q)


def row(name, t_ours, t_theirs, ours, theirs):
    print(f"{name:<34}{t_ours * 1e3:9.1f}ms{t_theirs * 1e3:10.1f}ms"
          f"{t_theirs / t_ours:7.1f}x  {ours:.5f} / {theirs:.5f}")


def main():
    rng = np.random.default_rng(7)
    print(f"{'':<34}{'kldiv':>11}{'other':>12}{'ratio':>8}  estimates")
    for n in (10_000, 100_000):
        a = rng.standard_normal(n)
        b = 0.6 * a + 0.8 * rng.standard_normal(n)
        t1, v1 = best(lambda: kldiv.mutual_information_ksg(a, b, 3).value)
        t2, v2 = best(lambda: mutual_info_regression(
            a[:, None], b, n_neighbors=3, random_state=0)[0])
        row(f"MI KSG k=3, N = {n} (sklearn)", t1, t2, v1, v2)
    for n in (100_000, 1_000_000):
        x = rng.standard_normal(n)
        y = 0.3 + 1.2 * rng.standard_normal(n)
        t1, v1 = best(lambda: kldiv.kl_histogram(
            x, y, "auto", smoothing=0.5).value)
        t2, v2 = best(lambda: histogram_kl(x, y))
        row(f"histogram KL, n = {n} (NumPy)", t1, t2, v1, v2)
        t1, v1 = best(lambda: kldiv.kl_1d(x, y).value)
        t2, v2 = best(lambda: numpy_kl_1d(x, y))
        row(f"1-D KL, n = {n} (NumPy recipe)", t1, t2, v1, v2)


if __name__ == "__main__":
    main()
