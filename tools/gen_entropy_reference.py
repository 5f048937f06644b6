#!/usr/bin/python3
"""Reference values for entropy_knn (tests/test_estimators_entropy.cpp): the
Kozachenko-Leonenko estimator H = psi(n) - psi(k) + log V_d + d/n sum log
eps_k(i), written directly on scipy.spatial.cKDTree (eps_k(i): distance to
the k-th nearest other point), on seeded Gaussian and uniform samples, and
under the distinct/exclude tie policies on a sample with repeated rows.

    /usr/bin/python3 tools/gen_entropy_reference.py
"""
import json
import math
import pathlib

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma, gammaln

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "entropy_reference.json"


def kl_entropy(x, k, policy="distinct"):
    n, d = x.shape
    tree = cKDTree(x)
    dist, _ = tree.query(x, k=min(n, k + 60))
    logs, ties = [], 0
    for row in dist:
        zeros = int(np.sum(row == 0.0))  # self and duplicates
        if policy == "distinct":
            eps = row[zeros + k - 1]
            ties += zeros > 1
        else:  # exclude: the plain k-th other point
            eps = row[k]
            if eps == 0.0:
                ties += 1
                continue
        logs.append(math.log(eps))
    log_ball = d / 2 * math.log(math.pi) - gammaln(d / 2 + 1)
    value = digamma(n) - digamma(k) + log_ball + d * math.fsum(logs) / len(logs)
    return float(value), ties


def main():
    rng = np.random.default_rng(31)
    cases = []
    for d in (1, 2, 5):
        x = rng.normal(size=(400, d)) @ np.diag(np.linspace(0.5, 2.0, d))
        for k in (1, 3, 5):
            v, t = kl_entropy(x, k)
            cases.append({"name": f"gauss_d{d}", "x": x.tolist(), "k": k,
                          "policy": "distinct", "value": v, "ties": t})
    u = rng.uniform(size=(300, 2))
    for k in (1, 4):
        v, t = kl_entropy(u, k)
        cases.append({"name": "uniform_d2", "x": u.tolist(), "k": k,
                      "policy": "distinct", "value": v, "ties": t})
    dup = rng.normal(size=(200, 2))
    dup[10:20] = dup[0]      # one row eleven times
    dup[50:53] = dup[40]     # another four times
    for policy in ("distinct", "exclude"):
        for k in (1, 3):
            v, t = kl_entropy(dup, k, policy)
            cases.append({"name": "duplicates", "x": dup.tolist(), "k": k,
                          "policy": policy, "value": v, "ties": t})
    with open(OUT, "w") as f:
        json.dump(cases, f, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
