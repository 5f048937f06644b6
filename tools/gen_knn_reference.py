#!/usr/bin/python3
"""Reference values for the k-nearest-neighbour KL estimator of Wang, Kulkarni
& Verdú (2009) (tests/test_estimators.cpp), computed here independently of the
library: neighbour distances from scipy.spatial.cKDTree, cross-checked against
a brute-force NumPy distance matrix wherever the samples are small enough, and
the average summed with math.fsum. Run with Debian's python3:

    /usr/bin/python3 tools/gen_knn_reference.py

The estimator, for x (n x d) ~ P and y (m x d) ~ Q:

    D_k = d/n' Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n - 1))

ρ_k(i) the Euclidean distance from x_i to its k-th nearest neighbour among the
other x's (x_i itself left out, exact duplicates of x_i at distance 0 counted),
ν_k(i) to its k-th nearest among the y's. Tie policies:

  distinct  ρ_k, ν_k taken among the points at distance > 0; `ties` counts the
            i for which a zero distance was skipped in either search.
  exclude   the i with ρ_k(i) == 0 or ν_k(i) == 0 (plain definition) are left
            out; n' counts the others, `ties` the excluded (it depends on k).
  error     any such i is an error; the message states how many (the exclude
            count for that k).
  (no ties) every policy gives the same value; n' = n.

Output, tests/data/knn_reference.json:
  "cases":       small samples (x, y as row lists) and runs on them: a policy,
                 a k list, and per k the expected value and ties;
  "convergence": Gaussian pairs with their closed-form KL (computed in mpmath
                 and checked against NumPy) and samples of 10^4 rows each of
                 x ~ P and y ~ Q (the first 10^3 rows are the 10^3 samples),
                 with this generator's estimates for both sizes.
Samples are rounded (6 decimals, 12 in 1-D, for the small cases, fewer digits
for the large ones) to keep the file small; every value is computed on the rounded doubles
exactly as stored.
"""

import json
import math
import pathlib

import mpmath as mp
import numpy as np
from scipy.spatial import cKDTree

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "knn_reference.json"
mp.mp.dps = 40


# ---------------------------------------------------------------------------
# Neighbour distances.


def sorted_distances_tree(x, pts, count):
    """The `count` smallest distances from each row of x to the rows of pts."""
    count = min(count, len(pts))
    dist, _ = cKDTree(pts).query(x, k=count)
    return np.asarray(dist).reshape(len(x), count)


def sorted_distances_brute(x, pts):
    diff = x[:, None, :] - pts[None, :, :]
    return np.sort(np.sqrt(np.einsum("ijk,ijk->ij", diff, diff)), axis=1)


def neighbour_tables(x, y, kmax, brute):
    """Per i: distances to the other x's (self dropped) and to the y's, sorted,
    long enough to hold kmax distances beyond any zeros."""
    n, m = len(x), len(y)
    if brute:
        dx = sorted_distances_brute(x, x)[:, 1:]  # self is one of the zeros
        dy = sorted_distances_brute(x, y)
        return dx, dy
    # Enough neighbours to skip every zero: the largest number of copies of a
    # point in x (or of an x point in y), plus kmax.
    zx = sorted_distances_tree(x, x, n)  # n is small wherever ties occur
    zero_x = int((zx == 0).sum(axis=1).max())
    dx = sorted_distances_tree(x, x, min(n, zero_x + kmax))[:, 1:]
    zy = sorted_distances_tree(x, y, min(m, kmax))
    zero_y = int((zy == 0).sum(axis=1).max())
    dy = sorted_distances_tree(x, y, min(m, zero_y + kmax + 1))
    return dx, dy


def neighbour_tables_fast(x, y, kmax):
    """For large tie-free samples: k+1 neighbours in x (self dropped), k in y."""
    dx = sorted_distances_tree(x, x, kmax + 1)[:, 1:]
    dy = sorted_distances_tree(x, y, kmax)
    return dx, dy


def kth_positive(row, k):
    pos = row[row > 0]
    if len(pos) < k:
        raise ValueError("fewer than k points at distance > 0")
    return pos[k - 1]


def estimate(x, y, k, policy, dx, dy):
    """(value, ties) for one k from the neighbour tables."""
    n, d = x.shape
    m = len(y)
    terms = []
    ties = 0
    for i in range(n):
        if policy == "distinct":
            rho = kth_positive(dx[i], k)
            nu = kth_positive(dy[i], k)
            if dx[i][0] == 0 or dy[i][0] == 0:
                ties += 1
        else:
            rho, nu = dx[i][k - 1], dy[i][k - 1]
            if rho == 0 or nu == 0:
                ties += 1
                if policy == "exclude":
                    continue
                raise ValueError("tie under policy " + policy)
        # log ν - log ρ in 40 digits from the double distances.
        terms.append(d * (mp.log(mp.mpf(float(nu))) - mp.log(mp.mpf(float(rho)))))
    kept = len(terms)
    if kept == 0:
        raise ValueError("every point excluded")
    total = mp.fsum(terms) / kept + mp.log(mp.mpf(m) / (n - 1))
    return float(total), ties


def reference_values(x, y, ks, policy):
    kmax = max(ks)
    dx, dy = neighbour_tables(x, y, kmax, brute=False)
    out = []
    for k in ks:
        v, t = estimate(x, y, k, policy, dx, dy)
        out.append({"k": k, "value": v, "ties": t})
    # The same from a brute-force distance matrix.
    bx, by = neighbour_tables(x, y, kmax, brute=True)
    for r, k in zip(out, ks):
        v, t = estimate(x, y, k, policy, bx, by)
        assert t == r["ties"], (k, t, r["ties"])
        assert abs(v - r["value"]) <= 1e-13 * max(1.0, abs(v)), (v, r)
    return out


# ---------------------------------------------------------------------------
# Closed-form KL between Gaussians.


def gauss_kl(mu1, s1, mu2, s2):
    """KL(N(mu1, s1) || N(mu2, s2)) in mpmath, checked against NumPy."""
    d = len(mu1)
    S1 = mp.matrix([[mp.mpf(float(v)) for v in r] for r in s1])
    S2 = mp.matrix([[mp.mpf(float(v)) for v in r] for r in s2])
    dm = mp.matrix([mp.mpf(float(a)) - mp.mpf(float(b)) for a, b in zip(mu2, mu1)])
    S2inv = S2**-1
    tr = sum((S2inv * S1)[i, i] for i in range(d))
    quad = (dm.T * S2inv * dm)[0, 0]
    kl = (tr + quad - d + mp.log(mp.det(S2)) - mp.log(mp.det(S1))) / 2
    s2i = np.linalg.inv(s2)
    dmn = np.asarray(mu2) - np.asarray(mu1)
    check = 0.5 * (
        np.trace(s2i @ s1)
        + dmn @ s2i @ dmn
        - d
        + np.linalg.slogdet(s2)[1]
        - np.linalg.slogdet(s1)[1]
    )
    assert abs(float(kl) - check) < 1e-12 * max(1.0, abs(check)), (kl, check)
    return float(kl)


def random_spd(rng, d, lo, hi):
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (q * rng.uniform(lo, hi, d)) @ q.T


def rows(a):
    return [list(map(float, r)) for r in a]


def main():
    rng = np.random.default_rng(20090701)
    cases = []

    def add(name, x, y, runs, note=""):
        """runs: (policy, k list) pairs, each computed on the same samples."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        cases.append(
            {
                "name": name,
                "note": note,
                "x": rows(x),
                "y": rows(y),
                "runs": [
                    {"policy": p, "k": ks,
                     "expected": reference_values(x, y, ks, p)}
                    for p, ks in runs
                ],
            }
        )

    def every_policy(ks):
        return [(p, ks) for p in ("distinct", "exclude", "error")]

    def gauss(n, d, shift=0.0, scale=1.0):
        # 6 decimals (relative to the scale); 12 in 1-D, where 6 make ties.
        digits = 12 if d == 1 else 6
        z = np.round(rng.standard_normal((n, d)), digits)
        return shift + scale * z

    # Tie-free Gaussian samples (checked below): every policy gives the plain
    # estimate.
    for d in (1, 2, 5, 10):
        for n, m in ((300, 300), (300, 500), (500, 300)):
            x = gauss(n, d)
            y = gauss(m, d, shift=0.4, scale=1.3)
            add(f"gauss_d{d}_n{n}_m{m}", x, y, every_policy([1, 3, 5]))
            assert all(e["ties"] == 0 for r in cases[-1]["runs"]
                       for e in r["expected"])
    # Same distribution (the estimate near log(m / (n - 1)) + noise, ~0).
    add("same_distribution_d3", gauss(400, 3), gauss(400, 3),
        [("distinct", [1, 2, 3, 4, 5])])
    # Smallest sizes: n = k + 1, m = k.
    add("minimal_n6_m5", gauss(6, 2), gauss(5, 2, 1.0),
        every_policy([1, 3, 5]))
    # Scales far from 1 (distances ~1e-3 and ~1e3).
    add("tiny_scale_d2", gauss(200, 2, 0, 1e-3), gauss(250, 2, 0, 2e-3),
        [("distinct", [1, 3])])
    add("huge_scale_d3", gauss(200, 3, 0, 1e3), gauss(150, 3, 500.0, 1e3),
        [("distinct", [1, 4])])

    # Ties. x has rows repeated (twice, three and four times); some rows of x
    # also appear in y (one of them three times), so exclude drops different
    # points for k = 1, 3 and 5.
    base = gauss(170, 2)
    yb = gauss(190, 2, 0.3, 1.1)
    x = np.concatenate(
        [base, base[:20], base[20:25], base[20:25], base[25:27], base[25:27],
         base[25:27]]
    )
    y = np.concatenate([yb, base[30:40], base[40:42], base[40:42],
                        base[40:42], base[20:21]])
    x, y = x[rng.permutation(len(x))], y[rng.permutation(len(y))]
    tie_runs = [("distinct", [1, 3, 5]), ("exclude", [1, 3, 5])]
    add("ties_dup_x_and_shared", x, y, tie_runs,
        note="rows repeated in x (2, 3 and 4 copies), rows of x in y "
             "(1 and 3 copies)")
    # Only duplicates inside x.
    add("ties_dup_x_only", np.concatenate([base[:150], base[:30]]), yb,
        [("distinct", [1, 2, 3]), ("exclude", [1, 2, 3])])
    # Only points of x equal to points of y.
    add("ties_shared_only", base, np.concatenate([yb[:150], base[:25]]),
        [("distinct", [1, 3]), ("exclude", [1, 3])])
    # Identical samples x = y (n = 200, d = 2). distinct: ν_k = ρ_k for every
    # i, so D = log(n / (n - 1)) exactly. exclude: with k = 1 every point is
    # excluded (not a reference case); with k >= 2 nothing is (one copy of
    # x_i in y), so exclude gives the plain estimate, about ψ(k-1) - ψ(k).
    same = gauss(200, 2)
    add("identical", same, same,
        [("distinct", [1, 3, 5]), ("exclude", [2, 3, 5])])
    assert all(
        abs(e["value"] - math.log(200 / 199)) < 1e-14
        for e in cases[-1]["runs"][0]["expected"]
    )

    # Convergence: Gaussian pairs with closed-form KL; samples of 10^4 rows
    # (first 10^3 rows are the 10^3-row samples).
    conv = []
    specs = [
        (1, np.array([0.0]), np.array([[1.0]]), np.array([0.8]),
         np.array([[1.7]])),
    ]
    m2 = np.array([[1.0, 0.5], [0.5, 1.5]])
    n2 = np.array([[1.3, -0.2], [-0.2, 0.9]])
    specs.append((2, np.array([0.0, 0.0]), m2, np.array([0.5, -0.4]), n2))
    s5a = random_spd(rng, 5, 0.6, 1.5)
    s5b = random_spd(rng, 5, 0.7, 1.6)
    specs.append((5, np.zeros(5), s5a, rng.uniform(-0.3, 0.3, 5), s5b))
    big = 10_000
    for d, mu1, s1, mu2, s2 in specs:
        kl = gauss_kl(mu1, s1, mu2, s2)
        # Digits kept: enough that rounding makes no ties in 1-D.
        digits = {1: 10, 2: 5, 5: 4}[d]
        x = np.round(rng.multivariate_normal(mu1, s1, big), digits)
        y = np.round(rng.multivariate_normal(mu2, s2, big), digits)
        entry = {"d": d, "kl": kl, "mu_p": list(mu1), "cov_p": rows(s1),
                 "mu_q": list(mu2), "cov_q": rows(s2), "x": rows(x),
                 "y": rows(y), "k": [1, 5], "estimates": {}}
        for size in (1000, big):
            xs, ys = x[:size], y[:size]
            dx, dy = neighbour_tables_fast(xs, ys, 5)
            assert (dx[:, 0] > 0).all() and (dy[:, 0] > 0).all()
            vals = [estimate(xs, ys, k, "error", dx, dy)[0] for k in (1, 5)]
            entry["estimates"][str(size)] = vals
        e1 = np.mean([abs(v - kl) for v in entry["estimates"]["1000"]])
        e4 = np.mean([abs(v - kl) for v in entry["estimates"][str(big)]])
        print(f"convergence d={d}: KL={kl:.6f} "
              f"1e3 {entry['estimates']['1000']} (mean |err| {e1:.4f}) "
              f"1e4 {entry['estimates'][str(big)]} (mean |err| {e4:.4f})")
        assert e4 < e1, "the 10^4 error is not smaller than the 10^3 one"
        assert all(abs(v - kl) < 0.05 + 0.2 * kl
                   for v in entry["estimates"][str(big)])
        conv.append(entry)

    out = {
        "generator": "tools/gen_knn_reference.py",
        "cases": cases,
        "convergence": conv,
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    for c in cases:
        for r in c["runs"]:
            print(c["name"], r["policy"], [(e["k"], round(e["value"], 6),
                                            e["ties"]) for e in r["expected"]])
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
