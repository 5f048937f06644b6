#!/usr/bin/python3
"""Reference values for kldiv::compare_column (tests/test_compare.cpp),
computed by NumPy and SciPy (1.10, Debian's python3) independently of the
library, on fixed data stored in the file:

- numeric bins: numpy.histogram_bin_edges(reference, rule) (a count of
  equal-width bins for rule "count"); counts: numpy.histogram of each sample
  on those edges, with the values below the first edge and above the last
  edge counted in two outer bins (first and last);
- proportions (c + s) / (n + s (B + 2)) for smoothing s;
- KL both ways: sum(scipy.special.rel_entr(.)) (inf where the other side has
  an empty bin); the per-bin terms rel_entr(current_p, reference_p);
- JS in bits: scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2;
- Hellinger: sqrt(sum((sqrt p - sqrt q)^2) / 2); total variation:
  sum|p - q| / 2; PSI: sum(rel_entr(p, q) + rel_entr(q, p));
- Wasserstein-1: scipy.stats.wasserstein_distance(current, reference);
- Kolmogorov-Smirnov: scipy.stats.ks_2samp(current, reference) (auto);
  Welch's t: scipy.stats.ttest_ind(current, reference, equal_var=False);
  z: (mean_c - mean_r) / sqrt(var_c / n + var_r / m), ddof 1, p =
  2 norm.sf(|z|);
- the 1-D KL estimate: tools/gen_sample1d_reference.py's kl1d_exact (the
  Pérez-Cruz estimator in mpmath, policy distinct);
- categorical: categories the reference's sorted plus an unseen bucket;
  chi-square: scipy.stats.chi2_contingency on [current; reference] with the
  categories empty in both removed (the library drops them).

Infinite values are stored as the string "inf" (JSON has no infinity).

Run: /usr/bin/python3 tools/gen_compare_reference.py
(writes tests/data/compare_reference.json).
"""

import json
import math
import os
import sys

import numpy as np
from scipy import special, stats
from scipy.spatial import distance

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "compare_reference.json")
sys.path.insert(0, HERE)
from gen_sample1d_reference import kl1d_exact, num  # noqa: E402


def rounded(v, digits=6):
    return np.array([float(round(float(t), digits)) for t in v])


def edges_of(ref, rule, bins):
    if rule == "count":
        return np.histogram_bin_edges(ref, bins=bins)
    return np.histogram_bin_edges(ref, bins=rule)


def counts_of(v, edges):
    inner = np.histogram(v, bins=edges)[0]
    return [int((v < edges[0]).sum())] + inner.tolist() + \
        [int((v > edges[-1]).sum())]


def measures(cc, rc, s):
    cc = np.asarray(cc, dtype=float)
    rc = np.asarray(rc, dtype=float)
    b = len(cc)
    p = (cc + s) / (cc.sum() + s * b)
    q = (rc + s) / (rc.sum() + s * b)
    terms = special.rel_entr(p, q)
    return {
        "current_p": p.tolist(),
        "reference_p": q.tolist(),
        "kl_terms": [num(t) for t in terms],
        "kl_current_reference": num(terms.sum()),
        "kl_reference_current": num(special.rel_entr(q, p).sum()),
        "js_bits": float(distance.jensenshannon(p, q, base=2) ** 2),
        "hellinger": float(np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2))),
        "total_variation": float(0.5 * np.abs(p - q).sum()),
        "psi": num((special.rel_entr(p, q) + special.rel_entr(q, p)).sum()),
    }


def numeric_tests(cur, ref):
    out = {}
    ks = stats.ks_2samp(cur, ref)
    out["ks"] = {"statistic": float(ks.statistic), "p_value": float(ks.pvalue)}
    if len(cur) >= 2 and len(ref) >= 2:
        w = stats.ttest_ind(cur, ref, equal_var=False)
        out["welch"] = {"statistic": float(w.statistic),
                        "p_value": float(w.pvalue)}
        se = math.sqrt(np.var(cur, ddof=1) / len(cur) +
                       np.var(ref, ddof=1) / len(ref))
        z = (np.mean(cur) - np.mean(ref)) / se
        out["z"] = {"statistic": float(z),
                    "p_value": float(2 * stats.norm.sf(abs(z)))}
    return out


def numeric_case(name, cur, ref, runs):
    case = {"name": name, "current": cur.tolist(), "reference": ref.tolist(),
            "wasserstein": float(stats.wasserstein_distance(cur, ref)),
            "kl_1d": kl1d_exact(cur, ref, "distinct")[0],
            "tests": numeric_tests(cur, ref), "runs": []}
    for rule, bins, s in runs:
        e = edges_of(ref, rule, bins)
        cc, rc = counts_of(cur, e), counts_of(ref, e)
        assert sum(cc) == len(cur) and sum(rc) == len(ref)
        run = {"rule": rule, "bins": bins, "smoothing": s,
               "edges": e.tolist(), "current_counts": cc,
               "reference_counts": rc}
        run.update(measures(cc, rc, s))
        case["runs"].append(run)
    return case


def categorical_case(name, cur, ref, smoothings):
    cats = sorted(set(ref))
    index = {c: i for i, c in enumerate(cats)}
    k = len(cats)

    def counts(v):
        c = [0] * (k + 1)
        for t in v:
            c[index.get(t, k)] += 1
        return c

    cc, rc = counts(cur), counts(ref)
    table = np.array([cc, rc])
    table = table[:, table.sum(axis=0) > 0]
    chi2, p, dof, _ = stats.chi2_contingency(table)
    case = {"name": name, "current": cur, "reference": ref,
            "categories": cats, "current_counts": cc,
            "reference_counts": rc,
            "chi2": {"statistic": float(chi2), "p_value": float(p),
                     "df": float(dof)},
            "runs": []}
    for s in smoothings:
        run = {"smoothing": s}
        run.update(measures(cc, rc, s))
        case["runs"].append(run)
    return case


def main():
    g = np.random.default_rng(20240608)
    numeric = [
        numeric_case("normal shifted",
                     rounded(g.normal(0.4, 1.3, 200)),
                     rounded(g.normal(0.0, 1.0, 300)),
                     [("auto", None, 0.0), ("sturges", None, 0.5),
                      ("count", 7, 1.0), ("fd", None, 0.0)]),
        numeric_case("same distribution",
                     rounded(g.exponential(2.0, 250)),
                     rounded(g.exponential(2.0, 180)),
                     [("auto", None, 0.0), ("scott", None, 0.25)]),
        numeric_case("integers with ties",
                     g.poisson(5.0, 120).astype(float),
                     g.poisson(4.0, 150).astype(float),
                     [("auto", None, 0.0), ("count", 5, 0.5)]),
        numeric_case("small", rounded(g.normal(1.0, 1.0, 7)),
                     rounded(g.normal(0.0, 1.0, 5)),
                     [("auto", None, 0.0), ("count", 3, 0.5)]),
    ]
    colours = ["blue", "green", "red", "yellow"]
    ref = [str(c) for c in g.choice(colours, 300, p=[0.4, 0.3, 0.2, 0.1])]
    cur = [str(c) for c in g.choice(colours + ["violet", "black"], 260,
                                    p=[0.3, 0.3, 0.2, 0.1, 0.07, 0.03])]
    cur_seen = [str(c) for c in g.choice(colours, 90, p=[0.4, 0.3, 0.2, 0.1])]
    categorical = [
        categorical_case("colours with unseen", cur, ref, [0.0, 0.5]),
        categorical_case("colours, all seen", cur_seen, ref, [0.0]),
        categorical_case("two categories", ["a"] * 30 + ["b"] * 10,
                         ["a"] * 20 + ["b"] * 20, [0.0]),
    ]
    import scipy
    out = {"generator": "tools/gen_compare_reference.py",
           "scipy": scipy.__version__, "numpy": np.__version__,
           "numeric": numeric, "categorical": categorical}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
