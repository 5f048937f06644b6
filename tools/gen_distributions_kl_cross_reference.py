#!/usr/bin/python3
"""Reference values of the cross-family closed-form KLs
(tests/test_distributions_kl_cross.cpp).

For every pair, random parameter sets (seeded) and edge sets; the value by
mpmath at 30 digits: numerical integration over P's support, split at P's
location, spread and Q's location, of the pointwise non-negative
p log(p/q) - p + q where P and Q share a support (no cancellation, so tiny
KLs keep their digits) and of p log(p/q) otherwise; exact summation for
discrete pairs. Where PyTorch 1.13 has the pair (directly, or through Chi2
being its Gamma's subclass) the value is cross-checked against
torch.distributions.kl_divergence in float64 and the script fails if they
differ beyond 1e-9 relative (edge sets where torch's own formula cancels are
marked and skipped from that check, with the reason). Pairs that are +inf are
recorded as the string "inf" (with torch's +inf as the cross-check where torch
has the pair). Run with Debian's python3:

    /usr/bin/python3 tools/gen_distributions_kl_cross_reference.py
"""

import json
import math
import pathlib
import random
import sys

import mpmath as mp
import torch
import torch.distributions as td

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "distributions_kl_cross_reference.json"
mp.mp.dps = 30
F = lambda x: mp.mpf(float(x))  # noqa: E731
T = lambda x: torch.tensor(float(x), dtype=torch.float64)  # noqa: E731
INF = float("inf")

# ---- the families: parameters in the spec's names, mpmath log-density,
# support, points where the integrand changes, torch constructor.


def log_density(fam, p):
    g = {k: F(v) for k, v in p.items()}
    if fam == "normal":
        m, s = g["loc"], g["scale"]
        return lambda x: -((x - m) / s) ** 2 / 2 - mp.log(s) - mp.log(2 * mp.pi) / 2
    if fam == "exponential":
        r = g["rate"]
        return lambda x: mp.log(r) - r * x
    if fam in ("gamma", "chi2"):
        if fam == "gamma":
            k, r = g["shape"], g["rate"]
        else:
            k, r = g["df"] / 2, mp.mpf(1) / 2
        c = k * mp.log(r) - mp.loggamma(k)
        return lambda x: c + (k - 1) * mp.log(x) - r * x
    if fam == "beta":
        a, b = g["a"], g["b"]
        c = mp.log(mp.beta(a, b))
        # omx: 1 - x where the caller has it exactly (near 1).
        return lambda x, omx=None: ((a - 1) * mp.log(x) - c +
                                    (b - 1) * (mp.log1p(-x) if omx is None else mp.log(omx)))
    if fam == "laplace":
        m, s = g["loc"], g["scale"]
        return lambda x: -abs(x - m) / s - mp.log(2 * s)
    if fam == "uniform":
        c = -mp.log(g["high"] - g["low"])
        return lambda x: c
    if fam == "lognormal":
        m, s = g["loc"], g["scale"]
        return lambda x: -((mp.log(x) - m) / s) ** 2 / 2 - mp.log(s * x) - mp.log(2 * mp.pi) / 2
    if fam == "gumbel":
        m, s = g["loc"], g["scale"]
        return lambda x: -mp.log(s) - (x - m) / s - mp.exp(-(x - m) / s)
    if fam == "half_normal":
        s = g["scale"]
        return lambda x: -(x / s) ** 2 / 2 - mp.log(s) + mp.log(2 / mp.pi) / 2
    if fam == "pareto":
        s, al = g["scale"], g["alpha"]
        return lambda x: mp.log(al) + al * mp.log(s) - (al + 1) * mp.log(x)
    if fam == "weibull":
        lam, k = g["scale"], g["shape"]
        return lambda x: mp.log(k / lam) + (k - 1) * mp.log(x / lam) - (x / lam) ** k
    if fam == "bernoulli":
        q = g["p"]
        return lambda k: mp.log(q) if k == 1 else mp.log1p(-q)
    if fam == "binomial":
        n, q = int(p["n"]), g["p"]
        return lambda k: (mp.log(mp.binomial(n, k)) + k * mp.log(q) + (n - k) * mp.log1p(-q)
                          if 0 <= k <= n else -mp.inf)
    if fam == "poisson":
        r = g["rate"]
        return lambda k: k * mp.log(r) - r - mp.loggamma(k + 1)
    if fam == "geometric":
        q = g["p"]
        return lambda k: k * mp.log1p(-q) + mp.log(q)
    raise KeyError(fam)


def support(fam, p):
    if fam in ("exponential", "gamma", "chi2", "lognormal", "half_normal", "weibull"):
        return (0.0, INF)
    if fam == "beta":
        return (0.0, 1.0)
    if fam == "uniform":
        return (p["low"], p["high"])
    if fam == "pareto":
        return (p["scale"], INF)
    return (-INF, INF)


def points(fam, p):
    """Where P's density changes: location and a few spreads around it."""
    if fam in ("normal", "laplace", "gumbel"):
        m, s = p["loc"], p["scale"]
        return [m + k * s for k in (-30, -10, -4, -1, 0, 1, 4, 10, 30)]
    if fam == "exponential":
        return [k / p["rate"] for k in (0.1, 1, 4, 12, 40)]
    if fam in ("gamma", "chi2"):
        k, r = (p["shape"], p["rate"]) if fam == "gamma" else (p["df"] / 2, 0.5)
        m, s = k / r, math.sqrt(k) / r
        return [m / 100, m / 10, m] + [m + j * s for j in (-4, -1, 1, 4, 10, 30, 80)]
    if fam == "weibull":
        lam, k = p["scale"], p["shape"]
        return [lam * t ** (1 / k) for t in (1e-3, 0.1, 0.5, 1, 2, 5, 12, 40)]
    if fam == "half_normal":
        return [p["scale"] * k for k in (0.1, 1, 2, 4, 8, 16)]
    if fam == "pareto":
        return [p["scale"] * k for k in (1.1, 2, 10, 100, 1e4)]
    if fam == "beta":
        return [1e-3, 0.1, 0.5, 0.9, 1 - 1e-3]
    if fam == "uniform":
        return []
    return []


def torch_dist(fam, p):
    t = {k: T(v) for k, v in p.items()}
    return {
        "normal": lambda: td.Normal(t["loc"], t["scale"]),
        "exponential": lambda: td.Exponential(t["rate"]),
        "gamma": lambda: td.Gamma(t["shape"], t["rate"]),
        "chi2": lambda: td.Chi2(t["df"]),
        "beta": lambda: td.Beta(t["a"], t["b"]),
        "laplace": lambda: td.Laplace(t["loc"], t["scale"]),
        "uniform": lambda: td.Uniform(t["low"], t["high"]),
        "gumbel": lambda: td.Gumbel(t["loc"], t["scale"]),
        "half_normal": lambda: td.HalfNormal(t["scale"]),
        "pareto": lambda: td.Pareto(t["scale"], t["alpha"]),
        "weibull": lambda: td.Weibull(t["scale"], t["shape"]),
        "lognormal": lambda: td.LogNormal(t["loc"], t["scale"]),
        "bernoulli": lambda: td.Bernoulli(probs=t["p"]),
        "binomial": lambda: td.Binomial(int(p["n"]), probs=t["p"]),
        "poisson": lambda: td.Poisson(t["rate"]),
        "geometric": lambda: td.Geometric(probs=t["p"]),
    }[fam]()


def torch_kl(pf, pp, qf, qp):
    """torch's value, or None where torch has no registration for the pair."""
    try:
        return td.kl_divergence(torch_dist(pf, pp), torch_dist(qf, qp)).item()
    except NotImplementedError:
        return None


DISCRETE = {"bernoulli", "binomial", "poisson", "geometric"}


def reference_kl(pf, pp, qf, qp):
    lp, lq = log_density(pf, pp), log_density(qf, qp)
    if pf in DISCRETE:
        if pf == "bernoulli":
            ks = [0, 1]
        elif pf == "binomial":
            ks = range(int(pp["n"]) + 1)
        else:
            raise ValueError("P with an infinite support: not summed here")
        terms = []
        for k in ks:
            a = lp(k)
            if a == -mp.inf:
                continue
            terms.append(mp.exp(a) * (a - lq(k)))
        return mp.fsum(terms), 0
    lo, hi = support(pf, pp)
    qlo, qhi = support(qf, qp)
    same = (lo, hi) == (qlo, qhi)
    # P on the real line: the integral is cut where P's tail (times log q)
    # is below 1e-40 of the value; far out, exp(-e^-z) (a Gumbel) or e^(-z)
    # against e^(-x^2) would need exponents mpmath cannot hold in time.
    # Against a Gumbel Q the integrand peaks further left (E e^(-X/scale_q)).
    extra = []
    if pf in ("normal", "laplace", "gumbel"):
        m, sp = pp["loc"], pp["scale"]
        shift = 0.0
        if qf == "gumbel":
            b = qp["scale"]
            if pf == "normal":
                shift = sp * sp / b  # the tilted normal's centre is m - shift
                extra = [m - shift + k * sp for k in (-10, -3, 0, 3, 10)]
            elif pf == "laplace":
                shift = 150 / (1 / sp - 1 / b) - 150 * sp
        left = {"normal": 40 * sp, "laplace": 150 * sp, "gumbel": 5 * sp}[pf]
        right = {"normal": 40 * sp, "laplace": 150 * sp, "gumbel": 150 * sp}[pf]
        lo, hi = m - left - shift, m + right
        same = False
    pts = set(extra) | set(points(pf, pp)) | set(points(qf, qp)) | {qlo, qhi}

    def ev(fn, fam, x, omx):
        return fn(x, omx) if fam == "beta" and omx is not None else fn(x)

    if same:
        def f(x, omx=None):
            a, b = ev(lp, pf, x, omx), ev(lq, qf, x, omx)
            return mp.exp(a) * (a - b) - mp.exp(a) + mp.exp(b)
    else:
        def f(x, omx=None):
            a = ev(lp, pf, x, omx)
            return mp.exp(a) * (a - ev(lq, qf, x, omx))
    if pf == "pareto":
        # x = scale e^t: the heavy tail becomes an exponential one.
        s = F(pp["scale"])
        g = lambda t: f(s * mp.exp(t)) * s * mp.exp(t)  # noqa: E731
        tcuts = [0, 0.5, 2, 10, 50, 200, 1000, 5000, mp.inf]
        return mp.quad(g, tcuts, error=True)
    cuts = [F(lo)] + sorted(F(x) for x in pts if lo < x < hi) + [F(hi)]
    total, err = mp.mpf(0), mp.mpf(0)
    if lo == 0:
        # x = e^t on (0, first cut]: an algebraic singularity at 0 (a shape
        # below 1, log x) becomes an exponential tail.
        c = cuts[1]
        g = lambda t: f(mp.exp(t)) * mp.exp(t)  # noqa: E731
        lc = mp.log(c)
        v, e1 = mp.quad(g, [-mp.inf, lc - 200, lc - 50, lc - 10, lc - 2, lc], error=True)
        total, err = total + v, err + e1
        cuts = cuts[1:]
    tail = None
    if hi == 1:
        tail, cuts = cuts[-2], cuts[:-1]  # 1 - x = e^t on [last cut, 1)
    v, e1 = mp.quad(f, cuts, error=True)
    total, err = total + v, err + e1
    if tail is not None:
        g = lambda t: f(1 - mp.exp(t), mp.exp(t)) * mp.exp(t)  # noqa: E731
        lc = mp.log(1 - tail)
        v, e1 = mp.quad(g, [-mp.inf, lc - 200, lc - 50, lc - 10, lc - 2, lc], error=True)
        total, err = total + v, err + e1
    return total, err


# ---- the pairs and their parameter draws ------------------------------------

rng = random.Random(20240611)
u = lambda lo, hi: rng.uniform(lo, hi)  # noqa: E731
e = lambda s=0.7: math.exp(rng.gauss(0, s))  # noqa: E731

DRAW = {
    "normal": lambda: {"loc": u(-2, 2), "scale": e()},
    "exponential": lambda: {"rate": e()},
    "gamma": lambda: {"shape": u(0.5, 6), "rate": e()},
    "chi2": lambda: {"df": u(0.8, 12)},
    "beta": lambda: {"a": u(0.6, 5), "b": u(0.6, 5)},
    "laplace": lambda: {"loc": u(-2, 2), "scale": e()},
    "gumbel": lambda: {"loc": u(-2, 2), "scale": e()},
    "half_normal": lambda: {"scale": e()},
    "pareto": lambda: {"scale": u(0.5, 2), "alpha": u(2.2, 6)},
    "weibull": lambda: {"scale": e(), "shape": u(0.6, 4)},
    "lognormal": lambda: {"loc": u(-1, 1), "scale": u(0.3, 1.2)},
    "uniform": lambda: {"low": u(-3, 0), "high": u(1, 4)},
    "bernoulli": lambda: {"p": u(0.05, 0.95)},
    "binomial": lambda: {"n": float(rng.randint(1, 30)), "p": u(0.05, 0.95)},
    "poisson": lambda: {"rate": u(0.2, 20)},
    "geometric": lambda: {"p": u(0.05, 0.95)},
}


def uniform_inside(lo, hi):
    """A Uniform inside [lo, hi] (finite bounds: random in [lo, lo + 5])."""
    if lo == -INF:
        a = u(-3, 3)
        return {"low": a, "high": a + e()}
    if hi == INF:
        a = lo + u(0, 2)
        return {"low": a, "high": a + e()}
    a, b = sorted((u(lo, hi), u(lo, hi)))
    return {"low": a, "high": b}


# Finite pairs: (P, Q, edge sets [(p params, q params, note)]).
FINITE = [
    # torch 1.13 registrations
    ("bernoulli", "poisson", [({"p": 0.5}, {"rate": 0.5}), ({"p": 1e-9}, {"rate": 1e-9}),
                              ({"p": 0.999}, {"rate": 30.0}), ({"p": 1.0}, {"rate": 1.0}),
                              ({"p": 0.0}, {"rate": 2.0})]),
    ("beta", "exponential", [({"a": 1.0, "b": 1.0}, {"rate": 1e-8}), ({"a": 0.2, "b": 30.0}, {"rate": 50.0})]),
    ("beta", "gamma", [({"a": 1.0, "b": 1.0}, {"shape": 1.0, "rate": 1e-6}),
                       ({"a": 50.0, "b": 3.0}, {"shape": 40.0, "rate": 45.0})]),
    ("beta", "normal", [({"a": 2.0, "b": 2.0}, {"loc": 0.5, "scale": 0.2236}),
                        ({"a": 200.0, "b": 200.0}, {"loc": 0.5, "scale": 0.025}),
                        ({"a": 3.0, "b": 1.5}, {"loc": -1e3, "scale": 1e3})]),
    ("beta", "uniform", [({"a": 1.0, "b": 1.0}, {"low": 0.0, "high": 1.0}),
                         ({"a": 1.0 + 1e-7, "b": 1.0}, {"low": 0.0, "high": 1.0}),
                         ({"a": 0.3, "b": 0.4}, {"low": -2.0, "high": 5.0})]),
    ("exponential", "gamma", [({"rate": 2.0}, {"shape": 1.0, "rate": 2.0 * (1 + 1e-6)}),
                              ({"rate": 0.7}, {"shape": 1.0 + 1e-7, "rate": 0.7}),
                              ({"rate": 1e-6}, {"shape": 0.3, "rate": 1e6}),
                              ({"rate": 3.0}, {"shape": 1.0 - 2e-5, "rate": 3.0 * (1 - 3e-5)})]),
    ("exponential", "gumbel", [({"rate": 1.0}, {"loc": 0.0, "scale": 1.0}),
                               ({"rate": 1e-3}, {"loc": 2e3, "scale": 1e3}),
                               ({"rate": 50.0}, {"loc": 0.01, "scale": 0.02})]),
    ("exponential", "normal", [({"rate": 1.0}, {"loc": 1.0, "scale": 1.0}),
                               ({"rate": 1e4}, {"loc": 1e-4, "scale": 1e-4}),
                               ({"rate": 1e-4}, {"loc": -3e4, "scale": 2e4})]),
    ("gamma", "exponential", [({"shape": 1.0, "rate": 2.0}, {"rate": 2.0 * (1 + 1e-6)}),
                              ({"shape": 1.0 + 1e-7, "rate": 0.7}, {"rate": 0.7}),
                              ({"shape": 1.0 - 3e-5, "rate": 3.0}, {"rate": 3.0 * (1 + 2e-5)}),
                              ({"shape": 0.05, "rate": 1e-3}, {"rate": 1e3}),
                              ({"shape": 300.0, "rate": 2.0}, {"rate": 0.01})]),
    ("gamma", "gumbel", [({"shape": 1.0, "rate": 1.0}, {"loc": 0.0, "scale": 1.0}),
                         ({"shape": 30.0, "rate": 3.0}, {"loc": 9.0, "scale": 1.5}),
                         ({"shape": 0.3, "rate": 1e3}, {"loc": 1e-3, "scale": 1e-3})]),
    ("gamma", "normal", [({"shape": 4.0, "rate": 2.0}, {"loc": 2.0, "scale": 1.0}),
                         ({"shape": 50.0, "rate": 1.0}, {"loc": 50.0, "scale": 50 ** 0.5}),
                         ({"shape": 0.5, "rate": 1e-3}, {"loc": 0.0, "scale": 1e3})]),
    ("gumbel", "normal", [({"loc": 0.0, "scale": 1.0}, {"loc": 0.5772156649015329, "scale": 1.2825498301618641}),
                          ({"loc": 1e3, "scale": 1e-3}, {"loc": 1e3, "scale": 1e-3}),
                          ({"loc": -5.0, "scale": 40.0}, {"loc": 3.0, "scale": 0.5})]),
    ("laplace", "normal", [({"loc": 0.0, "scale": 1.0}, {"loc": 0.0, "scale": 2 ** 0.5}),
                           ({"loc": 1e4, "scale": 1.0}, {"loc": 1e4 + 1e-6, "scale": 1.0}),
                           ({"loc": 1e-8, "scale": 1e-8}, {"loc": -1e-8, "scale": 3e-8})]),
    ("normal", "gumbel", [({"loc": 0.0, "scale": 1.0}, {"loc": 0.0, "scale": 1.0}),
                          ({"loc": 1e3, "scale": 1e-3}, {"loc": 1e3, "scale": 1e-2}),
                          ({"loc": -3.0, "scale": 0.5}, {"loc": 2.0, "scale": 4.0})]),
    ("normal", "laplace", [({"loc": 0.0, "scale": 1.0}, {"loc": 0.0, "scale": 1.0}),
                           ({"loc": 2.0, "scale": 1e-3}, {"loc": 2.0, "scale": 1e-3}),
                           ({"loc": 1e3, "scale": 1.0}, {"loc": -1e3, "scale": 5.0}),
                           ({"loc": 1e-9, "scale": 1.0}, {"loc": 0.0, "scale": 0.7})]),
    ("pareto", "exponential", [({"scale": 1.0, "alpha": 1.5}, {"rate": 1.0}),
                               ({"scale": 1e-3, "alpha": 1.05}, {"rate": 2.0}),
                               ({"scale": 5.0, "alpha": 40.0}, {"rate": 0.2})]),
    ("pareto", "gamma", [({"scale": 1.0, "alpha": 1.5}, {"shape": 2.0, "rate": 1.0}),
                         ({"scale": 3.0, "alpha": 60.0}, {"shape": 30.0, "rate": 10.0}),
                         ({"scale": 0.2, "alpha": 3.0}, {"shape": 0.4, "rate": 0.01})]),
    ("pareto", "normal", [({"scale": 1.0, "alpha": 2.5}, {"loc": 0.0, "scale": 1.0}),
                          ({"scale": 1.0, "alpha": 2.05}, {"loc": 1.0, "scale": 1.0}),
                          ({"scale": 2.0, "alpha": 80.0}, {"loc": 2.0, "scale": 0.03})]),
    ("uniform", "beta", [({"low": 0.0, "high": 1.0}, {"a": 1.0, "b": 1.0}),
                         ({"low": 0.0, "high": 1.0}, {"a": 1.0 + 1e-7, "b": 1.0 - 1e-7}),
                         ({"low": 0.25, "high": 0.5}, {"a": 0.5, "b": 0.5}),
                         ({"low": 1e-9, "high": 1 - 1e-9}, {"a": 3.0, "b": 2.0}),
                         ({"low": 0.0, "high": 0.1}, {"a": 0.3, "b": 9.0})]),
    ("uniform", "exponential", [({"low": 0.0, "high": 1.0}, {"rate": 1.0}),
                                ({"low": 0.0, "high": 1e-6}, {"rate": 1e6}),
                                ({"low": 10.0, "high": 10.0 + 1e-3}, {"rate": 1e-3})]),
    ("uniform", "gamma", [({"low": 0.0, "high": 2.0}, {"shape": 1.0, "rate": 1.0}),
                          ({"low": 0.0, "high": 1e-3}, {"shape": 0.5, "rate": 1e-3}),
                          ({"low": 100.0, "high": 101.0}, {"shape": 100.0, "rate": 1.0})]),
    ("uniform", "gumbel", [({"low": -1.0, "high": 1.0}, {"loc": 0.0, "scale": 1.0}),
                           ({"low": 1e3, "high": 1e3 + 1.0}, {"loc": 1e3, "scale": 0.5}),
                           ({"low": -1e-3, "high": 1e-3}, {"loc": 0.0, "scale": 10.0})]),
    ("uniform", "normal", [({"low": -1.0, "high": 1.0}, {"loc": 0.0, "scale": 3 ** -0.5}),
                           ({"low": 1e6, "high": 1e6 + 2.0}, {"loc": 1e6 + 1.0, "scale": 1.0}),
                           ({"low": -1e-6, "high": 3e-6}, {"loc": 1.0, "scale": 1e3})]),
    ("uniform", "pareto", [({"low": 1.0, "high": 2.0}, {"scale": 1.0, "alpha": 1.0}),
                           ({"low": 5.0, "high": 5.0 + 1e-4}, {"scale": 5.0, "alpha": 3.0}),
                           ({"low": 2.0, "high": 200.0}, {"scale": 0.1, "alpha": 0.2})]),
    # chi2 = Gamma(df/2, 1/2) (torch: Chi2 is a Gamma)
    ("chi2", "exponential", [({"df": 2.0}, {"rate": 0.5}), ({"df": 2.0}, {"rate": 0.5 * (1 + 1e-7)}),
                             ({"df": 2.0 + 1e-6}, {"rate": 0.5}), ({"df": 0.1}, {"rate": 30.0})]),
    ("exponential", "chi2", [({"rate": 0.5}, {"df": 2.0}), ({"rate": 0.5}, {"df": 2.0 - 4e-7}),
                             ({"rate": 0.5 + 1e-9}, {"df": 2.0}), ({"rate": 1e-3}, {"df": 40.0})]),
    ("chi2", "gamma", [({"df": 5.0}, {"shape": 2.5, "rate": 0.5}), ({"df": 5.0}, {"shape": 2.5 + 1e-8, "rate": 0.5}),
                       ({"df": 400.0}, {"shape": 200.0, "rate": 0.5 + 1e-6}), ({"df": 1.0}, {"shape": 3.0, "rate": 9.0})]),
    ("gamma", "chi2", [({"shape": 1.5, "rate": 0.5}, {"df": 3.0}), ({"shape": 1.5, "rate": 0.5 * (1 - 1e-8)}, {"df": 3.0}),
                       ({"shape": 0.2, "rate": 4.0}, {"df": 7.0})]),
    ("chi2", "normal", [({"df": 4.0}, {"loc": 4.0, "scale": 8 ** 0.5}), ({"df": 0.5}, {"loc": -1.0, "scale": 20.0})]),
    ("chi2", "gumbel", [({"df": 4.0}, {"loc": 3.0, "scale": 2.0}), ({"df": 60.0}, {"loc": 55.0, "scale": 9.0})]),
    ("beta", "chi2", [({"a": 1.0, "b": 1.0}, {"df": 2.0}), ({"a": 0.5, "b": 7.0}, {"df": 0.7})]),
    ("uniform", "chi2", [({"low": 0.0, "high": 1.0}, {"df": 2.0}), ({"low": 3.0, "high": 9.0}, {"df": 6.0})]),
    ("pareto", "chi2", [({"scale": 1.0, "alpha": 1.5}, {"df": 3.0}), ({"scale": 4.0, "alpha": 9.0}, {"df": 10.0})]),
    # TFP: Weibull || Gamma; with chi2 and exponential as gammas
    ("weibull", "gamma", [({"scale": 2.0, "shape": 1.0}, {"shape": 1.0, "rate": 0.5}),
                          ({"scale": 2.0, "shape": 1.0 + 1e-6}, {"shape": 1.0, "rate": 0.5}),
                          ({"scale": 1.0, "shape": 1.0}, {"shape": 1.0 + 1e-7, "rate": 1.0 - 1e-7}),
                          ({"scale": 1e3, "shape": 5.0}, {"shape": 20.0, "rate": 0.02}),
                          ({"scale": 1e-3, "shape": 0.3}, {"shape": 0.2, "rate": 10.0})]),
    ("weibull", "exponential", [({"scale": 2.0, "shape": 1.0}, {"rate": 0.5}),
                                ({"scale": 2.0, "shape": 1.0 - 1e-6}, {"rate": 0.5}),
                                ({"scale": 1.0, "shape": 1.0}, {"rate": 1.0 + 1e-8}),
                                ({"scale": 1e4, "shape": 8.0}, {"rate": 1e-4})]),
    ("weibull", "chi2", [({"scale": 2.0, "shape": 1.0}, {"df": 2.0}), ({"scale": 3.0, "shape": 2.0}, {"df": 3.0})]),
    # derived: P || Weibull with E[log X] and E[X^k] of P
    ("exponential", "weibull", [({"rate": 0.5}, {"scale": 2.0, "shape": 1.0}),
                                ({"rate": 0.5}, {"scale": 2.0, "shape": 1.0 + 1e-6}),
                                ({"rate": 1.0 + 1e-8}, {"scale": 1.0, "shape": 1.0}),
                                ({"rate": 1e-3}, {"scale": 5.0, "shape": 0.4})]),
    ("gamma", "weibull", [({"shape": 1.0, "rate": 0.5}, {"scale": 2.0, "shape": 1.0}),
                          ({"shape": 1.0 + 1e-6, "rate": 0.5}, {"scale": 2.0, "shape": 1.0 - 1e-6}),
                          ({"shape": 20.0, "rate": 2.0}, {"scale": 10.5, "shape": 5.0}),
                          ({"shape": 0.3, "rate": 1e3}, {"scale": 1e-3, "shape": 0.5})]),
    ("chi2", "weibull", [({"df": 2.0}, {"scale": 2.0, "shape": 1.0}), ({"df": 9.0}, {"scale": 10.0, "shape": 2.5})]),
    # derived: Laplace || Gumbel through the Laplace's moment generating
    # function (finite for scale_p < scale_q)
    ("laplace", "gumbel", [({"loc": 0.0, "scale": 0.5}, {"loc": 0.0, "scale": 1.0}),
                           ({"loc": 1e3, "scale": 1e-3}, {"loc": 1e3 + 1e-3, "scale": 2e-3}),
                           ({"loc": -2.0, "scale": 0.1}, {"loc": 3.0, "scale": 0.9})]),
    # derived: the half-normal against the normal (E[X], E[X^2] of P)
    ("half_normal", "normal", [({"scale": 1.0}, {"loc": 0.0, "scale": 1.0}),
                               ({"scale": 1e-5}, {"loc": 1e-5, "scale": 1e-5}),
                               ({"scale": 3.0}, {"loc": -50.0, "scale": 0.5})]),
]

# +inf pairs: (P, Q, the reason). The script checks that torch agrees (+inf)
# where torch has the pair.
SUPPORT_INF = [
    ("beta", "pareto", "Q puts no mass below its scale > 0"),
    ("exponential", "beta", "P's support [0, inf) is not inside (0, 1)"),
    ("exponential", "pareto", "P's support [0, inf) is not inside [scale, inf)"),
    ("exponential", "uniform", "P's support is unbounded"),
    ("gamma", "beta", "P's support is not inside (0, 1)"),
    ("gamma", "pareto", "P's support starts at 0 < scale"),
    ("gamma", "uniform", "P's support is unbounded"),
    ("chi2", "beta", "P's support is not inside (0, 1)"),
    ("chi2", "pareto", "P's support starts at 0 < scale"),
    ("chi2", "uniform", "P's support is unbounded"),
    ("gumbel", "beta", "P lives on the real line"),
    ("gumbel", "exponential", "P lives on the real line"),
    ("gumbel", "gamma", "P lives on the real line"),
    ("gumbel", "chi2", "P lives on the real line"),
    ("gumbel", "pareto", "P lives on the real line"),
    ("gumbel", "uniform", "P lives on the real line"),
    ("laplace", "beta", "P lives on the real line"),
    ("laplace", "exponential", "P lives on the real line"),
    ("laplace", "gamma", "P lives on the real line"),
    ("laplace", "chi2", "P lives on the real line"),
    ("laplace", "pareto", "P lives on the real line"),
    ("laplace", "uniform", "P lives on the real line"),
    ("normal", "beta", "P lives on the real line"),
    ("normal", "exponential", "P lives on the real line"),
    ("normal", "gamma", "P lives on the real line"),
    ("normal", "chi2", "P lives on the real line"),
    ("normal", "pareto", "P lives on the real line"),
    ("normal", "uniform", "P lives on the real line"),
    ("normal", "half_normal", "P lives on the real line"),
    ("pareto", "beta", "P's support is unbounded"),
    ("pareto", "uniform", "P's support is unbounded"),
    ("poisson", "bernoulli", "P puts mass on 2, 3, ..."),
    ("poisson", "binomial", "P puts mass above n"),
]


def main():
    cases = []

    def add(pf, pp, qf, qp, note=None, torch_check=True):
        t = torch_kl(pf, pp, qf, qp)
        v, err = reference_kl(pf, pp, qf, qp)
        v = float(v)
        assert math.isfinite(v) and v >= 0 or abs(v) < 1e-25, (pf, pp, qf, qp, v)
        assert err <= 1e-16 * abs(v) + 1e-28, (pf, pp, qf, qp, v, err)
        # The same law on both sides (chi2(2) and exponential(1/2), ...):
        # quadrature leaves noise below 1e-30; the KL is exactly 0.
        v = 0.0 if v < 1e-30 else v
        case = {"p": {"family": pf, **pp}, "q": {"family": qf, **qp}, "kl": v}
        if t is not None:
            case["torch"] = t if math.isfinite(t) else str(t)
            if torch_check:
                assert abs(t - v) <= 1e-9 * abs(v), (pf, pp, qf, qp, t, v)
            elif math.isnan(t):
                case["torch_note"] = "torch returns nan (its x log x at 0)"
            else:
                case["torch_note"] = (f"{note}: relative error "
                                      f"{abs(t - v) / v if v else abs(t):.1e}")
        cases.append(case)

    def add_inf(pf, pp, qf, qp, reason):
        t = torch_kl(pf, pp, qf, qp)
        case = {"p": {"family": pf, **pp}, "q": {"family": qf, **qp}, "kl": "inf", "reason": reason}
        if t is not None:
            assert t == INF, (pf, pp, qf, qp, t)
            case["torch"] = "inf"
        cases.append(case)

    for pf, qf, edges in FINITE:
        print(pf, qf, file=sys.stderr, flush=True)
        for _ in range(5):
            pp, qp = DRAW[pf](), DRAW[qf]()
            if pf == "uniform":
                pp = uniform_inside(*support(qf, qp))
            if (pf, qf) == ("laplace", "gumbel"):
                pp["scale"] = qp["scale"] * u(0.2, 0.8)
            add(pf, pp, qf, qp)
        for pp, qp in edges:
            # torch's own float64 formula loses digits on some edge sets
            # (terms far larger than the KL); its check is recorded only.
            t = torch_kl(pf, pp, qf, qp)
            v, _ = reference_kl(pf, pp, qf, qp)
            ok = t is None or abs(t - float(v)) <= 1e-9 * abs(float(v))
            add(pf, pp, qf, qp, note="torch's formula cancels here", torch_check=ok)

    # Finite pairs that are +inf for some parameters.
    inf_sets = [
        ("beta", {"a": 2.0, "b": 3.0}, "uniform", {"low": 0.1, "high": 1.0}, "P's support (0, 1) not inside Q's"),
        ("beta", {"a": 2.0, "b": 3.0}, "uniform", {"low": -1.0, "high": 0.99}, "P's support (0, 1) not inside Q's"),
        ("uniform", {"low": -0.1, "high": 0.5}, "beta", {"a": 2.0, "b": 3.0}, "P's support not inside (0, 1)"),
        ("uniform", {"low": 0.5, "high": 1.5}, "beta", {"a": 2.0, "b": 3.0}, "P's support not inside (0, 1)"),
        ("uniform", {"low": -1.0, "high": 1.0}, "exponential", {"rate": 2.0}, "P's support not inside [0, inf)"),
        ("uniform", {"low": -1.0, "high": 1.0}, "gamma", {"shape": 2.0, "rate": 1.0}, "P's support not inside (0, inf)"),
        ("uniform", {"low": -1.0, "high": 1.0}, "chi2", {"df": 3.0}, "P's support not inside (0, inf)"),
        ("uniform", {"low": 0.5, "high": 3.0}, "pareto", {"scale": 1.0, "alpha": 2.0}, "P's support not inside [scale, inf)"),
        ("pareto", {"scale": 1.0, "alpha": 1.0}, "exponential", {"rate": 1.0}, "E_P[X] is infinite (alpha <= 1)"),
        ("pareto", {"scale": 2.0, "alpha": 0.5}, "exponential", {"rate": 3.0}, "E_P[X] is infinite (alpha <= 1)"),
        ("pareto", {"scale": 1.0, "alpha": 1.0}, "gamma", {"shape": 2.0, "rate": 1.0}, "E_P[X] is infinite (alpha <= 1)"),
        ("pareto", {"scale": 1.0, "alpha": 0.3}, "chi2", {"df": 4.0}, "E_P[X] is infinite (alpha <= 1)"),
        ("pareto", {"scale": 1.0, "alpha": 2.0}, "normal", {"loc": 0.0, "scale": 1.0}, "E_P[X^2] is infinite (alpha <= 2)"),
        ("pareto", {"scale": 1.0, "alpha": 1.5}, "normal", {"loc": 3.0, "scale": 2.0}, "E_P[X^2] is infinite (alpha <= 2)"),
        ("laplace", {"loc": 0.0, "scale": 1.0}, "gumbel", {"loc": 0.0, "scale": 1.0},
         "E_P[e^(-X/scale_q)] is infinite (scale_p >= scale_q)"),
        ("laplace", {"loc": 1.0, "scale": 3.0}, "gumbel", {"loc": -2.0, "scale": 0.5},
         "E_P[e^(-X/scale_q)] is infinite (scale_p >= scale_q)"),
    ]
    for pf, pp, qf, qp, reason in inf_sets:
        add_inf(pf, pp, qf, qp, reason)

    for pf, qf, reason in SUPPORT_INF:
        for _ in range(2):
            add_inf(pf, DRAW[pf](), qf, DRAW[qf](), reason)

    with open(OUT, "w") as f:
        json.dump({"cases": cases}, f, indent=0, allow_nan=False)
        f.write("\n")
    print(f"{len(cases)} cases -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
