#!/usr/bin/python3
"""kldiv.compare and kldiv.fit beside what a user would otherwise write, on
the same data, in one process, one thread:

- compare: two tables (a reference of 100,000 rows, a current one of
  50,000; four numeric columns and two categorical ones of 20 categories),
  per column the shared bins (NumPy's "auto" rule on the reference, outer
  bins; a pseudo-count of 0.5 per bin), JS in bits, KL both ways, the KS, Welch and chi-square tests,
  Wasserstein-1, and a permutation p-value (200 relabellings) and bootstrap
  interval (100 resamples) for JS. The other side: pandas, NumPy and SciPy
  (numpy.histogram_bin_edges, numpy.histogram, scipy.stats.entropy,
  scipy.spatial.distance.jensenshannon, ks_2samp, ttest_ind(equal_var=False),
  chi2_contingency, wasserstein_distance, and NumPy loops for the
  permutations and resamples). Both sides' JS are printed (the same bins:
  they agree).
- fit: 20,000 gamma draws, the five continuous families that apply fitted by
  maximum likelihood. The other side: scipy.stats' fit for each (floc=0 for
  those on (0, inf), as kldiv's families are) and the log-likelihood by
  logpdf. Both sides' best log-likelihoods are printed.

    PYTHONPATH=build/python OMP_NUM_THREADS=1 /usr/bin/python3 bench/compare_drift.py
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from scipy.spatial.distance import jensenshannon  # noqa: E402

import kldiv  # noqa: E402
from timing import best  # noqa: E402

PERMUTATIONS = 200
BOOTSTRAP = 100


def tables(rng):
    n, m = 100_000, 50_000
    cats = [f"c{i}" for i in range(20)]
    w = rng.dirichlet(np.ones(20))
    ref = pd.DataFrame({
        "a": rng.normal(0, 1, n), "b": rng.lognormal(0, 0.5, n),
        "c": rng.exponential(2.0, n), "d": rng.uniform(0, 10, n),
        "k": rng.choice(cats, n, p=w), "l": rng.choice(cats, n)})
    w2 = 0.9 * w + 0.1 / 20
    cur = pd.DataFrame({
        "a": rng.normal(0.05, 1, m), "b": rng.lognormal(0, 0.55, m),
        "c": rng.exponential(2.0, m), "d": rng.uniform(0, 10.5, m),
        "k": rng.choice(cats, m, p=w2), "l": rng.choice(cats, m)})
    return ref, cur


def binned_counts(x, edges):
    """Counts on the inner bins plus one outer bin on each side."""
    inner = np.histogram(x, edges)[0]
    return np.concatenate([[np.sum(x < edges[0])], inner,
                           [np.sum(x > edges[-1])]])


def js_bits(cx, cy):
    # On the smoothed counts, as kldiv.compare(smoothing=0.5) measures.
    cx, cy = cx + 0.5, cy + 0.5
    return jensenshannon(cx / cx.sum(), cy / cy.sum(), base=2) ** 2


def scipy_compare(ref, cur, seed=0):
    rng = np.random.default_rng(seed)
    out = {}
    for name in ref.columns:
        x, y = cur[name].to_numpy(), ref[name].to_numpy()
        if x.dtype.kind == "f":
            edges = np.histogram_bin_edges(y, "auto")

            def counts(v, e=edges):
                return binned_counts(v, e)
            tests = (stats.ks_2samp(x, y).pvalue,
                     stats.ttest_ind(x, y, equal_var=False).pvalue,
                     stats.wasserstein_distance(x, y))
        else:
            cats = np.unique(y)

            def counts(v, c=cats):
                idx = np.searchsorted(c, v)
                idx = np.where((idx < len(c)) & (c[np.minimum(idx, len(c) - 1)]
                                                 == v), idx, len(c))
                return np.bincount(idx, minlength=len(c) + 1)
            cx, cy = counts(x), counts(y)
            keep = (cx + cy) > 0
            tests = (stats.chi2_contingency(np.vstack([cx[keep], cy[keep]]))[1],)
        cx, cy = counts(x), counts(y)
        js = js_bits(cx, cy)
        kl = (stats.entropy(cx + 0.5, cy + 0.5), stats.entropy(cy + 0.5, cx + 0.5))
        pooled = np.concatenate([x, y])
        hits = 0
        for _ in range(PERMUTATIONS):
            rng.shuffle(pooled)
            hits += js_bits(counts(pooled[:len(x)]), counts(pooled[len(x):])) >= js
        boot = [js_bits(counts(rng.choice(x, len(x))), counts(rng.choice(y, len(y))))
                for _ in range(BOOTSTRAP)]
        out[name] = (js, kl, tests, (1 + hits) / (PERMUTATIONS + 1),
                     np.percentile(boot, [2.5, 97.5]))
    return out


def scipy_fit(data):
    fits = {
        "normal": (stats.norm, {}),
        "lognormal": (stats.lognorm, {"floc": 0}),
        "exponential": (stats.expon, {"floc": 0}),
        "gamma": (stats.gamma, {"floc": 0}),
        "weibull": (stats.weibull_min, {"floc": 0}),
    }
    ll = {}
    for name, (dist, fixed) in fits.items():
        params = dist.fit(data, **fixed)
        ll[name] = np.sum(dist.logpdf(data, *params))
    return ll


def row(name, t_ours, t_theirs, note):
    print(f"{name:<44}{t_ours * 1e3:9.1f}ms{t_theirs * 1e3:11.1f}ms"
          f"{t_theirs / t_ours:7.1f}x  {note}")


def main():
    rng = np.random.default_rng(7)
    ref, cur = tables(rng)
    print(f"{'':<44}{'kldiv':>11}{'other':>13}{'ratio':>8}")
    t1, ours = best(lambda: kldiv.compare(
        ref, cur, smoothing=0.5, permutations=PERMUTATIONS, bootstrap=BOOTSTRAP,
        threads=1), repeat=2)
    t2, theirs = best(lambda: scipy_compare(ref, cur), repeat=1)
    worst = max(abs(ours[n].js_bits - theirs[n][0]) for n in ref.columns)
    row("compare, 6 columns, 100,000 vs 50,000 rows", t1, t2,
        f"JS agree to {worst:.1e} bits")

    data = rng.gamma(3.0, 2.0, 20_000)
    t1, fit = best(lambda: kldiv.fit(data))
    t2, ll = best(lambda: scipy_fit(data), repeat=1)
    ours_ll = {m.family: m.log_likelihood for m in fit.models if m.fitted}
    gap = max(ll[k] - ours_ll[k] for k in ll)
    row("fit, 5 continuous families, n = 20,000", t1, t2,
        f"best log-lik: kldiv {max(ours_ll.values()):.3f}, "
        f"SciPy {max(ll.values()):.3f} (SciPy above kldiv by at most {gap:.2g})")


if __name__ == "__main__":
    main()
