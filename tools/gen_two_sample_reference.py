#!/usr/bin/python3
"""Reference values for the two-sample tests (tests/test_two_sample.cpp),
computed by SciPy (1.10 on Debian's python3), independently of the library:

- Kolmogorov-Smirnov: scipy.stats.ks_2samp with method 'auto', 'exact' and
  'asymp', on stored samples (normal, shifted, 5 vs 7, equal sizes, ties,
  identical) and on grid samples that the test rebuilds itself
  (x_i = sx + scale_x * i / n1, y_j = sy + scale_y * j / n2, the same IEEE
  operations in both languages), which reach large sizes (100 vs 100000)
  and every branch of the asymptotic Kolmogorov distribution (Ruben-Gambino,
  Durbin / Pomeranz, Pelz-Good, Smirnov) without a large file.
- Welch's t: scipy.stats.ttest_ind(x, y, equal_var=False), with the
  Welch-Satterthwaite df worked here from np.var(ddof=1).
- z-test: z from np.mean / np.var(ddof=1), p = 2 scipy.stats.norm.sf(|z|).
- chi-square: scipy.stats.chi2_contingency on the 2 x K table, with the
  categories empty in both rows removed first (what the library does;
  SciPy refuses their zero expected counts).
- chi-square goodness of fit: scipy.stats.chisquare(observed, N q / sum q),
  categories with no count and q = 0 removed first (the library drops them).
- Wasserstein-1: scipy.stats.wasserstein_distance.
- PSI: sum(rel_entr(p, q) + rel_entr(q, p)) (KL both ways).

Run: /usr/bin/python3 tools/gen_two_sample_reference.py
(writes tests/data/two_sample_reference.json).
"""

import json
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "two_sample_reference.json")


def rounded(v, digits=6):
    # Stored samples: short decimals, so the file stays small and both
    # sides parse the same doubles.
    return [float(round(float(t), digits)) for t in v]


def grid(n, start, scale):
    return start + scale * (np.arange(n, dtype=np.float64) / n)


def ks_all(x, y, methods):
    out = {}
    for m in methods:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            r = stats.ks_2samp(x, y, method=m)
        out[m] = {"statistic": float(r.statistic), "p_value": float(r.pvalue),
                  "warned": len(caught) > 0}
    return out


def main():
    rng = np.random.default_rng(20261201)
    ks_cases = []

    def stored(name, x, y, methods=("auto", "exact", "asymp")):
        x, y = rounded(x), rounded(y)
        ks_cases.append({"name": name, "x": x, "y": y,
                         "results": ks_all(np.array(x), np.array(y), methods)})

    stored("normal_5_7", rng.normal(size=5), rng.normal(0.8, 1.0, size=7))
    stored("normal_7_5", rng.normal(size=7), rng.normal(size=5))
    stored("equal_20_shifted", rng.normal(size=20), rng.normal(1.0, 1, 20))
    stored("equal_20_same", rng.normal(size=20), rng.normal(size=20))
    stored("normal_60_80", rng.normal(size=60), rng.normal(0.3, 1.2, 80))
    stored("normal_200_300", rng.normal(size=200), rng.normal(0.1, 1, 300))
    stored("normal_200_300_far", rng.normal(size=200),
           rng.normal(1.5, 1, 300))
    stored("ties_15_12", rng.integers(0, 5, 15).astype(float),
           rng.integers(1, 6, 12).astype(float))
    stored("ties_across_only", [1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8])
    same = rng.normal(size=9)
    stored("identical", same, same)
    stored("one_each", [0.0], [1.0], ("auto", "exact"))
    stored("one_vs_three", [0.5], [0.0, 1.0, 2.0])

    # Grid samples: (n1, n2, sx, scale_x, sy, scale_y, methods)
    grids = [
        ("grid_100_100000", 100, 100000, 0.05, 1.0, 0.0, 1.0,
         ("auto", "asymp")),
        ("grid_100_100000_far", 100, 100000, 0.3, 1.0, 0.0, 1.0,
         ("auto", "asymp")),
        ("grid_12000_15000", 12000, 15000, 0.01, 1.0, 0.0, 1.0,
         ("auto", "asymp")),
        ("grid_3000_5000", 3000, 5000, 0.02, 1.0, 0.0, 1.0,
         ("auto", "exact", "asymp")),
        ("grid_1000_1000", 1000, 1000, 0.031, 1.0, 0.0, 1.0,
         ("auto", "exact", "asymp")),
        ("grid_999_1001", 999, 1001, 0.0, 1.0, 0.0, 1.2,
         ("auto", "exact", "asymp")),
    ]
    # The asymptotic p-value is kstwo.sf(D, N), N = round(n1 n2 / (n1 +
    # n2)); with n1 = n2 = 2N and D = k / (2N) these cover its branches.
    for big_n, k in [(3, 2), (10, 2), (10, 5), (10, 8), (10, 14), (40, 7),
                     (40, 12), (40, 20), (40, 60), (100, 16), (100, 26),
                     (100, 40), (130, 60), (200, 8), (200, 14), (200, 30),
                     (200, 50), (200, 100), (200, 300), (1000, 40),
                     (1000, 60), (1000, 100), (5000, 150), (5000, 500),
                     (120000, 800), (120000, 3000), (1100000, 1500),
                     (1100000, 4400)]:
        n = 2 * big_n
        grids.append((f"kstwo_{big_n}_{k}", n, n, k / n, 1.0, 0.0, 1.0,
                      ("asymp",)))
    for name, n1, n2, sx, cx, sy, cy, methods in grids:
        x, y = grid(n1, sx, cx), grid(n2, sy, cy)
        ks_cases.append({"name": name,
                         "grid": {"n1": n1, "n2": n2, "sx": sx, "scale_x": cx,
                                  "sy": sy, "scale_y": cy},
                         "results": ks_all(x, y, methods)})

    mean_cases = []

    def means(name, x, y):
        x, y = np.array(rounded(x)), np.array(rounded(y))
        t = stats.ttest_ind(x, y, equal_var=False)
        vx, vy = np.var(x, ddof=1) / len(x), np.var(y, ddof=1) / len(y)
        df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) +
                               vy ** 2 / (len(y) - 1))
        z = (np.mean(x) - np.mean(y)) / np.sqrt(vx + vy)
        mean_cases.append({
            "name": name, "x": x.tolist(), "y": y.tolist(),
            "t": float(t.statistic), "t_p": float(t.pvalue), "df": float(df),
            "z": float(z), "z_p": float(2 * stats.norm.sf(abs(z)))})

    means("normal_5_7", rng.normal(size=5), rng.normal(0.8, 1.0, size=7))
    means("unequal_var_40_25", rng.normal(size=40), rng.normal(0.5, 3.0, 25))
    means("far_30_30", rng.normal(size=30), rng.normal(3.0, 1.0, 30))
    means("x_constant", [2.0, 2.0, 2.0, 2.0], rng.normal(2.5, 1.0, 6))
    same = rng.normal(size=8)
    means("identical", same, same)
    means("two_each", [0.0, 1.0], [5.0, 7.0])

    chi2_cases = []

    def chi2(name, xc, yc):
        table = np.array([xc, yc])
        keep = table.sum(axis=0) > 0
        r = stats.chi2_contingency(table[:, keep])
        chi2_cases.append({"name": name, "x": xc, "y": yc,
                           "statistic": float(r[0]), "p_value": float(r[1]),
                           "df": int(r[2]), "dropped": int((~keep).sum())})

    chi2("two_categories", [30, 10], [20, 25])
    chi2("two_small_diff", [10, 11], [10, 10])  # |O - E| < 1/2: Yates to 0
    chi2("four_categories", [12, 30, 25, 8], [20, 22, 30, 3])
    chi2("with_empty_category", [12, 0, 30, 25], [20, 0, 22, 30])
    chi2("empty_to_two", [5, 0, 7], [9, 0, 2])
    chi2("large_shift", [5000, 3000, 2000], [3000, 3000, 4000])
    chi2("unequal_totals", [1, 2, 3, 4, 5], [50, 40, 30, 20, 10])

    gof_cases = []

    def gof(name, observed, q):
        q = np.array(q, float)
        obs = np.array(observed, float)
        keep = (q > 0) | (obs > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = stats.chisquare(obs[keep], obs.sum() * q[keep] / q.sum())
        stat = float(r.statistic)
        gof_cases.append({"name": name, "observed": observed,
                          "expected": q.tolist(),
                          "statistic": stat if np.isfinite(stat) else "inf",
                          "p_value": float(r.pvalue), "df": int(keep.sum()) - 1,
                          "dropped": int((~keep).sum())})

    gof("four", [12, 30, 25, 8], [0.2, 0.35, 0.3, 0.15])
    gof("two", [40, 60], [0.5, 0.5])
    gof("far", [500, 100, 400], [0.2, 0.5, 0.3])
    gof("with_dropped", [10, 0, 20, 15], [0.3, 0.0, 0.4, 0.3])
    gof("count_where_zero", [10, 1, 20], [0.4, 0.0, 0.6])

    wasserstein_cases = []

    def wass(name, x, y):
        x, y = rounded(x), rounded(y)
        wasserstein_cases.append({"name": name, "x": x, "y": y,
                                  "value": float(stats.wasserstein_distance(
                                      x, y))})

    wass("normal_5_7", rng.normal(size=5), rng.normal(0.8, 1.0, size=7))
    wass("normal_100_150", rng.normal(size=100), rng.normal(0.2, 2.0, 150))
    wass("ties", [1, 1, 2, 3, 3, 3], [2, 2, 3, 4])
    same = rng.normal(size=6)
    wass("identical", same, same)
    wass("single", [0.0], [2.5])

    psi_cases = []

    def psi(name, p, q):
        p, q = np.array(p, float), np.array(q, float)
        p, q = p / p.sum(), q / q.sum()
        value = float(np.sum(special.rel_entr(p, q) + special.rel_entr(q, p)))
        # JSON has no infinity: "inf" stands for it
        psi_cases.append({"name": name, "p": p.tolist(), "q": q.tolist(),
                          "value": value if np.isfinite(value) else "inf"})

    psi("four_bins", [0.1, 0.2, 0.3, 0.4], [0.15, 0.25, 0.25, 0.35])
    psi("both_zero_bin", [0.5, 0.0, 0.5], [0.4, 0.0, 0.6])
    psi("one_zero_bin", [0.5, 0.0, 0.5], [0.4, 0.1, 0.5])
    psi("identical", [0.2, 0.3, 0.5], [0.2, 0.3, 0.5])
    psi("ten_bins", rng.dirichlet(np.ones(10)) + 0.01,
        rng.dirichlet(np.ones(10)) + 0.01)

    out = {"generator": "tools/gen_two_sample_reference.py",
           "scipy": scipy.__version__, "numpy": np.__version__,
           "ks": ks_cases, "means": mean_cases, "chi2": chi2_cases,
           "chi2_gof": gof_cases,
           "wasserstein": wasserstein_cases, "psi": psi_cases}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
