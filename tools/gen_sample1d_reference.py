#!/usr/bin/python3
"""Reference values for the one-dimensional sample estimators of
include/kldiv/estimators.hpp, computed here independently of the library.
Run with Debian's python3 (NumPy, SciPy, mpmath):

    /usr/bin/python3 tools/gen_sample1d_reference.py

Writes tests/data/kl_1d_reference.json (tests/test_estimators_1d.cpp) and
tests/data/histogram_reference.json (tests/test_estimators_histogram.cpp).

kl_1d, the empirical-CDF estimator of Pérez-Cruz (2008) as the header states
it: for x (n values) and y (m values),

    D = 1/n' Σ_i [log s_P(x_i) - log s_Q(x_i) + [x_i ∈ y]] - 1

s_P, s_Q the left-hand slopes at x_i of the piecewise-linear CDFs with knots
(lo, 0), (u_j, (C_{j-1} + c_j / 2) / n) over the distinct values u_j of the
sample (c_j copies, C_j cumulative) and (hi, 1); lo = a - w, hi = b + w, a and
b the smallest and largest value of x and y pooled, w = (b - a) / (n + m)
(w = 1 if a == b). It is computed two ways that must agree:
  (a) literally: P_c and Q_c as np.interp through the knots, the left slope at
      x_i as (F(x_i) - F(t)) / (x_i - t), t = x_i - h, h a quarter of the
      smallest gap between knots (so [t, x_i] lies inside one segment of
      both CDFs; agreement to ~1e-8 is all finite differences allow);
  (b) the slope of the segment ending at (or containing) x_i from the knot
      table, in mpmath at 40 digits (lo and hi exact), summed in mpmath.
(b) is the value stored. A vectorised float version (c) of (b) runs the
Monte Carlo studies and is checked against (b) to 1e-11.
Ties (a value of x repeated in x or found in y): `ties` counts such points of
x; distinct keeps them all (n' = n); exclude leaves them out of the average
(n' = n - ties; the CDFs are still those of the whole samples); error refuses.

Convergence: samples drawn by a portable scheme the C++ test repeats with
std::mt19937_64 (implemented here in Python): u = ((g() >> 11) + 0.5) 2^-53,
N(0, 1) by Box-Muller z = sqrt(-2 log u1) cos(2π u2) (u1 first), Exp(rate)
by -log(u) / rate; x first (all its draws), then y from the same generator.
The estimates for the first 10^3, 10^4 and the whole 10^5 values are stored,
with the closed-form KL (mpmath) and a tolerance for the 10^5 error from a
Monte Carlo study of the estimator's bias and spread at that size.

Histograms: bin_edges is numpy.histogram_bin_edges for the named rules and an
integer bin count, np.unique(np.quantile(y, np.linspace(0, 1, B + 1))) for
quantiles; bin_counts the B inner bins of np.histogram (last bin closed) with
a bin below the first edge and one above the last; kl_histogram p = (c_x + s)
/ (n + s (B + 2)), q = (c_y + s) / (m + s (B + 2)), KL = Σ p log(p / q) in
mpmath (0 log 0 = 0, +inf where p > 0 = q), checked against
scipy.special.rel_entr. Every case is checked robust: no value lies within
1e-9 (relative to the range) of an inner edge unless it equals the edge
exactly and the edge cannot come out any other way (a run of equal values
in the quantile interpolation, or an exactly representable grid), so an edge
off by an ulp cannot move a count. kl_categorical: categories are y's
distinct strings in byte order, then one bucket for x's unseen categories.

Non-finite numbers are stored as the strings "inf" / "-inf". Sample values are
rounded to 10 significant digits (the scale/shift case: multiples of 2^-24,
so a x + b is exact in double) and every value is computed on the stored
doubles.
"""

import bisect
import json
import math
import pathlib

import mpmath as mp
import numpy as np
from scipy.special import rel_entr

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT_1D = ROOT / "tests" / "data" / "kl_1d_reference.json"
OUT_HIST = ROOT / "tests" / "data" / "histogram_reference.json"
mp.mp.dps = 40


def r10(a):
    """Values rounded to 10 significant digits (exact doubles as stored)."""
    return np.array([float(f"{v:.10g}") for v in np.asarray(a, dtype=float)])


def num(v):
    v = float(v)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    assert math.isfinite(v)
    return v


# ---------------------------------------------------------------------------
# kl_1d


def boundary(x, y):
    a = min(x.min(), y.min())
    b = max(x.max(), y.max())
    return a, b


def tied_mask(x, y):
    vals, counts = np.unique(x, return_counts=True)
    rep = dict(zip(vals.tolist(), counts.tolist()))
    ys = set(y.tolist())
    return np.array([rep[v] > 1 or v in ys for v in x.tolist()])


def kl1d_literal(x, y, policy):
    """(a): np.interp CDFs and finite-difference left slopes (float)."""
    n, m = len(x), len(y)
    a, b = boundary(x, y)
    w = (b - a) / (n + m) if a != b else 1.0
    lo, hi = a - w, b + w

    def cdf(v):
        u, c = np.unique(v, return_counts=True)
        cum = np.cumsum(c)
        return (np.r_[lo, u, hi], np.r_[0.0, (cum - c / 2) / len(v), 1.0])

    kp, fp = cdf(x)
    kq, fq = cdf(y)
    knots = np.unique(np.r_[kp, kq])
    h = np.diff(knots).min() / 4
    t = x - h
    step = x - t
    sp = (np.interp(x, kp, fp) - np.interp(t, kp, fp)) / step
    sq = (np.interp(x, kq, fq) - np.interp(t, kq, fq)) / step
    in_y = np.isin(x, y).astype(float)
    terms = np.log(sp) - np.log(sq) + in_y
    keep = ~tied_mask(x, y) if policy == "exclude" else np.ones(n, bool)
    return math.fsum(terms[keep]) / keep.sum() - 1.0


class step_cdf:
    """Knots of P_c in mpmath: positions exact, heights exact rationals."""

    def __init__(self, v, lo, hi):
        u, c = np.unique(v, return_counts=True)
        self.pos = [lo] + [mp.mpf(float(t)) for t in u] + [hi]
        self.val = [mp.mpf(0)]
        cum = 0
        for cj in c.tolist():
            self.val.append((mp.mpf(cum) + mp.mpf(cj) / 2) / len(v))
            cum += cj
        self.val.append(mp.mpf(1))

    def left_slope(self, t):
        # k: the first knot >= t; the segment (k - 1, k] holds t (t > lo).
        k = bisect.bisect_left(self.pos, t)
        assert 0 < k < len(self.pos)
        return (self.val[k] - self.val[k - 1]) / (self.pos[k] - self.pos[k - 1])


def kl1d_exact(x, y, policy):
    """(b): slopes from the knot table, mpmath throughout."""
    n, m = len(x), len(y)
    a, b = boundary(x, y)
    a, b = mp.mpf(float(a)), mp.mpf(float(b))
    w = (b - a) / (n + m) if a != b else mp.mpf(1)
    lo, hi = a - w, b + w
    P, Q = step_cdf(x, lo, hi), step_cdf(y, lo, hi)
    ys = set(y.tolist())
    tied = tied_mask(x, y)
    total = mp.mpf(0)
    kept = 0
    for i, xi in enumerate(x.tolist()):
        if policy == "exclude" and tied[i]:
            continue
        t = mp.mpf(xi)
        total += mp.log(P.left_slope(t)) - mp.log(Q.left_slope(t))
        total += 1 if xi in ys else 0
        kept += 1
    assert kept > 0
    return float(total / kept - 1), int(tied.sum())


def kl1d_fast(x, y):
    """(c): (b) vectorised in float64, distinct policy (Monte Carlo)."""
    n, m = len(x), len(y)
    a = min(x.min(), y.min())
    b = max(x.max(), y.max())
    w = (b - a) / (n + m) if a != b else 1.0
    lo, hi = a - w, b + w

    def table(v):
        u, c = np.unique(v, return_counts=True)
        cum = np.cumsum(c)
        return np.r_[lo, u, hi], np.r_[0.0, (cum - c / 2) / len(v), 1.0]

    terms = np.zeros(n)
    for sign, (pos, val) in ((1, table(x)), (-1, table(y))):
        k = np.searchsorted(pos, x, side="left")
        s = (val[k] - val[k - 1]) / (pos[k] - pos[k - 1])
        terms += sign * np.log(s)
    terms += np.isin(x, y)
    return math.fsum(terms) / n - 1.0


class mt19937_64:
    """std::mt19937_64 (the C++ standard's parameters)."""

    def __init__(self, seed):
        self.mt = [0] * 312
        self.mt[0] = seed & 0xFFFFFFFFFFFFFFFF
        for i in range(1, 312):
            p = self.mt[i - 1]
            self.mt[i] = (6364136223846793005 * (p ^ (p >> 62)) + i) \
                & 0xFFFFFFFFFFFFFFFF
        self.i = 312

    def twist(self):
        mt = self.mt
        for i in range(312):
            x = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
            xa = x >> 1
            if x & 1:
                xa ^= 0xB5026F5AA96619E9
            mt[i] = mt[(i + 156) % 312] ^ xa
        self.i = 0

    def __call__(self):
        if self.i >= 312:
            self.twist()
        y = self.mt[self.i]
        self.i += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & 0xFFFFFFFFFFFFFFFF


def uniform(g):
    return ((g() >> 11) + 0.5) * 2.0**-53


def draw(g, kind, n, p1, p2):
    out = []
    for _ in range(n):
        if kind == "normal":  # mean p1, sd p2
            u1 = uniform(g)
            u2 = uniform(g)
            out.append(p1 + p2 * (math.sqrt(-2.0 * math.log(u1)) *
                                  math.cos(2.0 * math.pi * u2)))
        else:  # exponential, rate p1
            out.append(-math.log(uniform(g)) / p1)
    return np.array(out)


def kl1d_cases():
    rng = np.random.default_rng(20240611)
    cases = []

    def add(name, x, y, policies=("distinct", "exclude", "error"), note=""):
        x, y = np.asarray(x, float), np.asarray(y, float)
        runs = []
        ties = None
        for pol in policies:
            if pol == "error":
                tied = int(tied_mask(x, y).sum())
                run = {"policy": "error", "ties": tied, "throws": tied > 0}
                if not tied:  # goes through: the plain value
                    run["value"] = kl1d_exact(x, y, "distinct")[0]
                runs.append(run)
                continue
            if pol == "exclude" and tied_mask(x, y).all():
                runs.append({"policy": "exclude", "throws": True,
                             "ties": len(x)})
                continue
            v, ties = kl1d_exact(x, y, pol)
            lit = kl1d_literal(x, y, pol)
            assert abs(v - lit) < 1e-8 * max(1, abs(v)), (name, pol, v, lit)
            if pol == "distinct":
                fast = kl1d_fast(x, y)
                assert abs(v - fast) < 1e-11 * max(1, abs(v)), (name, v, fast)
            runs.append({"policy": pol, "value": v, "ties": ties,
                         "throws": False})
        cases.append({"name": name, "note": note, "x": x.tolist(),
                      "y": y.tolist(), "runs": runs})
        print(f"kl_1d {name:28s} n={len(x):4d} m={len(y):4d} " +
              " ".join(f"{r['policy']}="
                       f"{r.get('value', 'throws' if r['throws'] else 'ok')!s:.12}"
                       f"/{r['ties']}" for r in runs))

    g = lambda n, mu=0.0, s=1.0: r10(mu + s * rng.standard_normal(n))
    e = lambda n, scale=1.0: r10(rng.exponential(scale, n))
    add("gauss_n200_m200", g(200), g(200, 0.5, 1.5))
    add("gauss_n150_m400", g(150, 0.3), g(400))
    add("gauss_n400_m120", g(400), g(120, -0.2, 0.8))
    add("exp_n300_m250", e(300), e(250, 2.0))
    # x reaching beyond y's range on both sides.
    add("x_wider_both_sides", g(120, 0, 3.0), g(180, 0, 0.5),
        note="x outside y's range below and above")
    add("x_left_of_y", g(60, -4.0), g(80, 1.0), note="disjoint supports")
    add("n2_m2", np.array([0.25, 1.75]), np.array([-0.5, 1.0]),
        note="the minimal sizes")
    add("n2_m5", np.array([3.0, -1.0]), g(5))
    add("n30_m40_small", g(30), g(40, 0.2))
    # Duplicates in x (rounded to a coarse grid), none shared with y.
    xd = np.round(rng.standard_normal(150), 1)
    yd = r10(rng.standard_normal(200) * 1.1 + 0.01) + 1e-7
    assert not np.isin(xd, yd).any()
    add("dup_x_only", xd, yd, note="x on a 0.1 grid, y off it")
    # x values equal to y values, no duplicates within x.
    ys = g(200)
    xs = np.r_[rng.choice(ys, 40, replace=False), g(160, 0.2)]
    rng.shuffle(xs)
    assert len(np.unique(xs)) == len(xs)
    add("shared_with_y", xs, ys, note="40 of x are values of y")
    # Both kinds, and duplicates in y.
    xg = np.round(rng.standard_normal(120) * 1.3, 1)
    yg = np.round(rng.standard_normal(300), 2)
    add("grid_both", xg, yg, note="x on a 0.1 grid, y on a 0.01 grid")
    z = g(250)
    add("identical", z, z.copy(), note="distinct gives exactly 0")
    zd = np.round(rng.standard_normal(90), 1)
    add("identical_with_dups", zd, zd.copy(), note="distinct gives exactly 0")
    add("all_equal", np.full(10, 2.5), np.full(7, 2.5), note="w = 1")
    add("x_constant", np.full(12, -1.0), g(30),
        note="every x tied (repeated)")
    # Scale and shift: dyadic values, so a x + b (a = 4, b = 1024) is exact.
    xs_ = np.round(rng.standard_normal(140) * 2**24) / 2**24
    ys_ = np.round((rng.standard_normal(170) * 1.4 + 0.3) * 2**24) / 2**24
    xt, yt = 4.0 * xs_ + 1024.0, 4.0 * ys_ + 1024.0
    assert np.array_equal((xt - 1024.0) / 4.0, xs_)
    assert np.array_equal((yt - 1024.0) / 4.0, ys_)
    add("dyadic", xs_, ys_, note="the scale/shift pair's original")
    add("dyadic_scaled", xt, yt, note="4 x + 1024 of the case dyadic")
    v1 = cases[-2]["runs"][0]["value"]
    v2 = cases[-1]["runs"][0]["value"]
    assert abs(v1 - v2) < 1e-12, (v1, v2)
    # Grid-rounded continuous data for the jitter policy: the distinct value
    # and the spread of estimates after N(0, (scale sd)^2) noise, scale such
    # that the noise matches the grid's own spread (0.1 / sqrt(12)).
    xj = np.round(rng.standard_normal(400) * 1.0, 1)
    yj = np.round(rng.standard_normal(500) * 1.2 + 0.2, 1)
    add("jitter_grid", xj, yj, note="N(0,1) vs N(0.2,1.2^2) on a 0.1 grid")
    pooled_sd = np.std(np.r_[xj, yj], ddof=1)
    scale = 0.1 / math.sqrt(12) / pooled_sd
    d0 = cases[-1]["runs"][0]["value"]
    jr = np.random.default_rng(7)
    vals = []
    for _ in range(300):
        s = scale * pooled_sd
        vals.append(kl1d_fast(xj + s * jr.standard_normal(len(xj)),
                              yj + s * jr.standard_normal(len(yj))))
    vals = np.array(vals)
    dev = np.abs(vals - d0)
    jitter = {"case": "jitter_grid", "scale": scale, "distinct": d0,
              "mean": float(vals.mean()), "sd": float(vals.std()),
              "max_dev": float(dev.max()),
              "tolerance": float(math.ceil(1.5 * dev.max() * 100) / 100)}
    print("jitter study", jitter)
    return cases, jitter


def convergence():
    pairs = [
        {"name": "normal", "p": ["normal", 0.0, 1.0],
         "q": ["normal", 1.0, 2.0], "seed": 12345,
         "kl": mp.log(2) + (1 + 1) / mp.mpf(8) - mp.mpf(1) / 2},
        {"name": "exponential", "p": ["exponential", 1.0, 0.0],
         "q": ["exponential", 2.0, 0.0], "seed": 777,
         # log(λp / λq) + λq / λp - 1
         "kl": mp.log(mp.mpf(1) / 2) + 2 - 1},
    ]
    sizes = [1000, 10000, 100000]
    out = []
    mc = np.random.default_rng(99)
    for pr in pairs:
        # The closed form, checked against numerical integration.
        if pr["p"][0] == "normal":
            def f(t):
                lp = -t**2 / 2 - mp.log(2 * mp.pi) / 2
                lq = -(t - 1)**2 / 8 - mp.log(2 * mp.pi) / 2 - mp.log(2)
                return mp.exp(lp) * (lp - lq)
            quad = mp.quad(f, [-mp.inf, 0, mp.inf])
        else:
            quad = mp.quad(lambda t: mp.exp(-t) * (-t - (mp.log(2) - 2 * t)),
                           [0, mp.inf])
        assert abs(quad - pr["kl"]) < mp.mpf(10)**-30
        kl = float(pr["kl"])
        gen = mt19937_64(pr["seed"])
        x = draw(gen, pr["p"][0], sizes[-1], pr["p"][1], pr["p"][2])
        y = draw(gen, pr["q"][0], sizes[-1], pr["q"][1], pr["q"][2])
        assert len(np.unique(x)) == len(x) and len(np.unique(y)) == len(y)
        assert not np.isin(x, y).any()
        est = {}
        for s in sizes:
            v, ties = kl1d_exact(x[:s], y[:s], "distinct")
            assert ties == 0
            assert abs(v - kl1d_fast(x[:s], y[:s])) < 1e-11
            est[str(s)] = v
        # The estimator's bias and spread at each size (numpy draws).
        study = {}
        for s, reps in ((1000, 400), (10000, 200), (100000, 60)):
            vals = []
            for _ in range(reps):
                if pr["p"][0] == "normal":
                    xs = mc.normal(0.0, 1.0, s)
                    ys = mc.normal(1.0, 2.0, s)
                else:
                    xs = mc.exponential(1.0, s)
                    ys = mc.exponential(0.5, s)
                vals.append(kl1d_fast(xs, ys))
            vals = np.array(vals)
            study[str(s)] = {"bias": float(vals.mean() - kl),
                             "sd": float(vals.std(ddof=1)), "reps": reps}
        # Tolerances: |bias| + 5 sd of the study at each size; the error
        # must shrink from 10^3 to 10^5 for these seeds (it need not at every
        # step for one draw: the sd at 10^3 is ~0.05).
        tol = {s: float(f"{abs(st['bias']) + 5 * st['sd']:.3g}")
               for s, st in study.items()}
        err = {s: abs(v - kl) for s, v in est.items()}
        assert all(err[s] < tol[s] for s in err), (err, tol)
        assert err["100000"] < err["1000"]
        entry = {"name": pr["name"], "p": pr["p"], "q": pr["q"],
                 "seed": pr["seed"], "kl": kl, "estimates": est,
                 "study": study, "tolerance": tol}
        print("convergence", json.dumps(entry))
        out.append(entry)
    return out


# ---------------------------------------------------------------------------
# Histograms


RULES = ["auto", "fd", "scott", "sturges", "doane", "rice", "sqrt"]


def quantile_edges(y, bins):
    return np.unique(np.quantile(y, np.linspace(0, 1, bins + 1)))


def edges_for(y, rule, bins=None):
    if rule in RULES:
        return np.histogram_bin_edges(y, bins=rule)
    if rule == "count":
        return np.histogram_bin_edges(y, bins=bins)
    if rule == "quantiles":
        return quantile_edges(y, bins)
    raise ValueError(rule)


def counts_for(v, edges):
    inner, _ = np.histogram(v, bins=edges)
    return [int((v < edges[0]).sum())] + inner.tolist() + \
        [int((v > edges[-1]).sum())]


def check_robust(values, edges, exact_ok):
    """No value near an inner edge unless it sits on it exactly and the edge
    is exact (exact_ok(edge))."""
    scale = max(abs(edges[0]), abs(edges[-1]), edges[-1] - edges[0])
    for e in edges[1:-1]:
        d = np.abs(values - e)
        near = d < 1e-9 * scale
        if near.any():
            assert (d[near] == 0).all() and exact_ok(e), (e, values[near])


def check_bin_count(y, rule):
    """The bin count ceil(range / width) is not on a rounding knife-edge
    (a width off by an ulp gives the same count). Only for the widths from
    statistics of the data: sqrt, sturges and rice divide the range by a
    function of n, and with n a square (400) the ratio is an integer to an
    ulp; NumPy's count there is the one the library must reproduce."""
    sel = np.lib.histograms._hist_bin_selectors[rule]
    width = sel(y, (y.min(), y.max()))
    if width and np.ptp(y) > 0:
        ratio = np.ptp(y) / width
        assert abs(ratio - round(ratio)) > 1e-9, (rule, ratio)


def quantile_exact(y, bins):
    """Edges that come out exactly in any linear interpolation: the order
    statistics around the position are equal, or the position i (n - 1) / B
    is an integer that q_i (n - 1) also gives exactly in floating point
    (0.3 (n - 1) is not one: 0.30000000000000004 * 200 > 60)."""
    s = np.sort(y)
    ok = set()
    for i, q in enumerate(np.linspace(0, 1, bins + 1)):
        pos = q * (len(s) - 1)
        lo_, hi_ = int(math.floor(pos)), int(math.ceil(pos))
        # Positions a rounding away from an integer are ambiguous.
        for a_, b_ in ((lo_, hi_), (max(lo_ - 1, 0), min(hi_ + 1, len(s) - 1))):
            if s[a_] != s[b_]:
                break
        else:
            ok.add(float(s[lo_]))
        if (i * (len(s) - 1)) % bins == 0 and \
                pos == (i * (len(s) - 1)) // bins:
            ok.add(float(s[int(pos)]))
    return lambda e: float(e) in ok


def kl_hist(cx, cy, s):
    cx, cy = np.asarray(cx), np.asarray(cy)
    n, m, k = cx.sum(), cy.sum(), len(cx)
    p = [(mp.mpf(int(c)) + s) / (int(n) + s * k) for c in cx]
    q = [(mp.mpf(int(c)) + s) / (int(m) + s * k) for c in cy]
    terms = []
    for pi, qi in zip(p, q):
        if pi == 0:
            terms.append(mp.mpf(0))
        elif qi == 0:
            terms.append(mp.inf)
        else:
            terms.append(pi * mp.log(pi / qi))
    value = mp.fsum(terms) if all(mp.isfinite(t) for t in terms) else mp.inf
    pf = np.array([float(v) for v in p])
    qf = np.array([float(v) for v in q])
    check = rel_entr(pf, qf).sum()
    if math.isinf(check):
        assert value == mp.inf
    else:
        assert abs(float(value) - check) < 1e-12 * max(1, check)
    return float(value), pf.tolist(), qf.tolist(), [float(t) for t in terms]


def histogram_data():
    rng = np.random.default_rng(31337)
    samples = {}
    samples["normal_500"] = r10(rng.standard_normal(500))
    samples["lognormal_400"] = r10(rng.lognormal(0.0, 1.0, 400))
    samples["small_7"] = r10(rng.standard_normal(7) * 3 + 10)
    iqr0 = np.r_[r10(rng.uniform(0, 1, 15)), np.full(70, 1.0),
                 r10(rng.uniform(1.0001, 2, 15))]
    rng.shuffle(iqr0)
    samples["iqr_zero_100"] = iqr0
    samples["all_equal_20"] = np.full(20, 3.25)
    samples["uniform_1000"] = r10(rng.uniform(-2, 5, 1000))
    samples["integers_300"] = rng.integers(0, 8, 300).astype(float)

    edge_cases = []
    for name, y in samples.items():
        runs = []
        for rule in RULES:
            runs.append({"rule": rule, "edges": edges_for(y, rule).tolist()})
        for b in (1, 7, 10):
            runs.append({"rule": "count", "bins": b,
                         "edges": edges_for(y, "count", b).tolist()})
        if name != "all_equal_20":
            for b in (4, 10):
                runs.append({"rule": "quantiles", "bins": b,
                             "edges": edges_for(y, "quantiles", b).tolist()})
        for r in runs:
            e = np.array(r["edges"])
            assert (np.diff(e) > 0).all()
            exact = (quantile_exact(y, r["bins"]) if r["rule"] == "quantiles"
                     else lambda _e: name in ("integers_300", "all_equal_20"))
            # Integer data: the edges of a grid with step range / B land on
            # integers exactly; the constant 3.25 widened to [2.75, 3.75]
            # with 10 bins: the middle edge is 2.75 + 5 * 0.1 = 3.25 in every
            # formula (the data sit on it).
            check_robust(y, e, exact)
            r["counts"] = counts_for(y, e)
            if r["rule"] in ("auto", "fd", "scott", "doane"):
                check_bin_count(y, r["rule"])
        edge_cases.append({"name": name, "y": y.tolist(), "runs": runs})
        print("edges", name, [(r["rule"], len(r["edges"]) - 1) for r in runs])
    y0 = samples["iqr_zero_100"]
    assert len(np.histogram_bin_edges(y0, "fd")) == 2
    assert np.array_equal(np.histogram_bin_edges(y0, "auto"),
                          np.histogram_bin_edges(y0, "sturges"))
    ae = np.histogram_bin_edges(samples["all_equal_20"], "sturges")
    assert ae[0] == 2.75 and ae[-1] == 3.75

    # kl_histogram
    kl_cases = []

    def add(name, x, y, rule, bins=None, edges=None, smoothing=(0.0,),
            expect_inf=None, note=""):
        x, y = np.asarray(x, float), np.asarray(y, float)
        e = np.asarray(edges, float) if edges is not None else \
            edges_for(y, rule, bins)
        exact = (quantile_exact(y, bins) if rule == "quantiles" else
                 (lambda _e: rule == "edges" or name.startswith("integers")))
        check_robust(np.r_[x, y], e, exact)
        cx, cy = counts_for(x, e), counts_for(y, e)
        runs = []
        for s in smoothing:
            value, p, q, terms = kl_hist(cx, cy, s)
            runs.append({"smoothing": s, "value": num(value),
                         "p": p, "q": q, "terms": [num(t) for t in terms]})
        if expect_inf is not None:
            assert math.isinf(kl_hist(cx, cy, 0.0)[0]) == expect_inf, name
        outside = cx[0] + cx[-1]
        kl_cases.append({"name": name, "note": note, "x": x.tolist(),
                         "y": y.tolist(), "rule": rule, "bins": bins,
                         "given_edges": None if edges is None else
                         list(map(float, edges)),
                         "edges": e.tolist(), "x_counts": cx, "y_counts": cy,
                         "x_outside": outside, "runs": runs})
        print("kl_histogram", name, rule, len(e) - 1, "bins",
              [(r["smoothing"], r["value"]) for r in runs], "outside", outside)

    yn = samples["normal_500"]
    xin = r10(rng.standard_normal(250) * 0.6 + 0.1)
    xin = xin[(xin > yn.min()) & (xin < yn.max())][:200]
    for rule in RULES:
        add(f"inside_{rule}", xin, yn, rule, smoothing=(0.0, 0.5, 1.0))
    add("inside_count12", xin, yn, "count", bins=12, smoothing=(0.0, 1.0))
    add("inside_quantiles8", xin, yn, "quantiles", bins=8,
        smoothing=(0.0, 0.5))
    xout = r10(rng.standard_normal(300) * 1.5 + 0.5)
    assert (xout < yn.min()).any() and (xout > yn.max()).any()
    add("outside_auto", xout, yn, "auto", smoothing=(0.0, 0.5, 1.0),
        expect_inf=True, note="x beyond y's range on both sides")
    add("outside_quantiles5", xout, yn, "quantiles", bins=5,
        smoothing=(0.0, 1.0), expect_inf=True)
    yl = samples["lognormal_400"]
    xl = r10(rng.lognormal(0.3, 0.8, 350))
    add("lognormal_fd", xl, yl, "fd", smoothing=(0.0, 0.5))
    add("lognormal_doane", xl, yl, "doane", smoothing=(0.0, 0.5))
    add("edges_given", xout, yn, "edges", edges=[-1.5, -0.5, 0.0, 0.25, 2.0],
        smoothing=(0.0, 0.5), note="y also outside the given edges")
    yi = samples["integers_300"]
    xi = rng.integers(1, 9, 200).astype(float)
    add("integers_count8", xi, yi, "count", bins=7, smoothing=(0.0, 1.0),
        note="integer data on a grid of exact edges; x has 8 (above)")
    add("integers_quantiles4", xi, yi, "quantiles", bins=4,
        smoothing=(0.0, 1.0))
    add("identical", yn, yn.copy(), "sturges", smoothing=(0.0, 1.0),
        note="identical samples: exactly 0")
    return edge_cases, kl_cases


def categorical_data():
    rng = np.random.default_rng(4242)
    cats = ["apple", "Zebra", "banana", "b", "caf\u00e9", "cafe", "Apple",
            "kiwi"]
    cases = []

    def add(name, x, y, smoothing=(0.0,), note=""):
        ycats = sorted(set(y), key=lambda s: s.encode("utf-8"))
        unseen = sorted(set(x) - set(y), key=lambda s: s.encode("utf-8"))
        idx = {c: i for i, c in enumerate(ycats)}
        cx = [0] * (len(ycats) + 1)
        cy = [0] * (len(ycats) + 1)
        for v in x:
            cx[idx.get(v, len(ycats))] += 1
        for v in y:
            cy[idx[v]] += 1
        runs = []
        for s in smoothing:
            value, p, q, terms = kl_hist(cx, cy, s)
            runs.append({"smoothing": s, "value": num(value), "p": p, "q": q,
                         "terms": [num(t) for t in terms]})
        cases.append({"name": name, "note": note, "x": list(x), "y": list(y),
                      "categories": ycats, "unseen": unseen, "x_counts": cx,
                      "y_counts": cy, "runs": runs})
        print("kl_categorical", name, ycats, unseen,
              [(r["smoothing"], r["value"]) for r in runs])

    py = np.array([0.3, 0.05, 0.2, 0.1, 0.1, 0.05, 0.1, 0.1])
    y = list(rng.choice(cats, 400, p=py))
    add("subset", list(rng.choice(cats[:6], 150)), y, smoothing=(0.0, 1.0),
        note="x's categories all in y")
    add("fewer_in_x", list(rng.choice(["apple", "kiwi"], 60)), y,
        smoothing=(0.0, 0.5), note="p = 0 on most categories")
    xu = list(rng.choice(cats + ["durian", "Durian"], 200))
    add("unseen", xu, y, smoothing=(0.0, 0.5, 1.0),
        note="x has categories y lacks: inf without smoothing")
    add("identical", y, list(y), smoothing=(0.0, 2.0))
    add("single", ["a"] * 5, ["a"] * 3, smoothing=(0.0,))
    return cases


def main():
    cases, jitter = kl1d_cases()
    conv = convergence()
    out = {"generator": "tools/gen_sample1d_reference.py", "cases": cases,
           "jitter": jitter, "convergence": conv}
    OUT_1D.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT_1D} ({OUT_1D.stat().st_size / 1e3:.0f} kB)")
    edge_cases, kl_cases = histogram_data()
    cat = categorical_data()
    out = {"generator": "tools/gen_sample1d_reference.py",
           "edges": edge_cases, "kl": kl_cases, "categorical": cat}
    OUT_HIST.write_text(json.dumps(out, separators=(",", ":"),
                                   ensure_ascii=False) + "\n")
    print(f"wrote {OUT_HIST} ({OUT_HIST.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
