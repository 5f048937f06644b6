#!/usr/bin/python3
"""Reference values of the same-family closed-form KLs
(tests/test_distributions_kl.cpp): for each family, random parameter pairs
(seeded) and edge pairs; the value by mpmath at 30 digits — numerical
integration of p log(p/q) over the support for continuous families, exact
summation for discrete ones — cross-checked against
torch.distributions.kl_divergence (float64) where PyTorch has the pair; the
script fails if the two disagree beyond 1e-9 relative. Run with Debian's
python3:

    /usr/bin/python3 tools/gen_distributions_kl_reference.py
"""

import json
import math
import pathlib
import sys

import mpmath as mp
import numpy as np
import torch
import torch.distributions as td

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "distributions_kl_reference.json"
mp.mp.dps = 30
F = lambda x: mp.mpf(float(x))  # noqa: E731
T = lambda x: torch.tensor(float(x), dtype=torch.float64)  # noqa: E731


def quad_kl(logp, logq, lo, hi, points=()):
    f = lambda x: mp.exp(logp(x)) * (logp(x) - logq(x))  # noqa: E731
    pts = [lo] + sorted(p for p in points if lo < p < hi) + [hi]
    return mp.quad(f, pts)


def normal_lp(m, s):
    m, s = F(m), F(s)
    return lambda x: -((x - m) / s) ** 2 / 2 - mp.log(s) - mp.log(2 * mp.pi) / 2


FAMILIES = {}


def family(name):
    def reg(fn):
        FAMILIES[name] = fn
        return fn
    return reg


@family("normal")
def _(a, b):
    v = quad_kl(normal_lp(*a), normal_lp(*b), -mp.inf, mp.inf, [a[0], b[0]])
    return v, td.Normal(*map(T, a)), td.Normal(*map(T, b))


@family("exponential")
def _(a, b):
    lp = lambda r: (lambda x: mp.log(F(r)) - F(r) * x)  # noqa: E731
    v = quad_kl(lp(a[0]), lp(b[0]), 0, mp.inf, [1 / a[0]])
    return v, td.Exponential(T(a[0])), td.Exponential(T(b[0]))


@family("gamma")
def _(a, b):
    def lp(k, r):
        k, r = F(k), F(r)
        return lambda x: k * mp.log(r) + (k - 1) * mp.log(x) - r * x - mp.loggamma(k)
    v = quad_kl(lp(*a), lp(*b), 0, mp.inf, [a[0] / a[1], 1, 10 * a[0] / a[1]])
    return v, td.Gamma(*map(T, a)), td.Gamma(*map(T, b))


@family("beta")
def _(a, b):
    def lp(x1, x2):
        x1, x2 = F(x1), F(x2)
        return lambda x: (x1 - 1) * mp.log(x) + (x2 - 1) * mp.log(1 - x) - mp.log(mp.beta(x1, x2))
    v = quad_kl(lp(*a), lp(*b), 0, 1, [0.5])
    return v, td.Beta(*map(T, a)), td.Beta(*map(T, b))


@family("laplace")
def _(a, b):
    lp = lambda m, s: (lambda x: -abs(x - F(m)) / F(s) - mp.log(2 * F(s)))  # noqa: E731
    v = quad_kl(lp(*a), lp(*b), -mp.inf, mp.inf, [a[0], b[0]])
    return v, td.Laplace(*map(T, a)), td.Laplace(*map(T, b))


@family("gumbel")
def _(a, b):
    def lp(m, s):
        m, s = F(m), F(s)
        return lambda x: -mp.log(s) - (x - m) / s - mp.exp(-(x - m) / s)
    # P's density below loc - 7 scale is under e^-1090 and above loc + 120
    # scale under e^-120: outside, nothing the 1e-30 answer can see, and the
    # double exponential left tail would stall the quadrature.
    m, sc = a
    v = quad_kl(lp(*a), lp(*b), m - 7 * sc, m + 120 * sc,
                [m - 2 * sc, m, m + 3 * sc, m + 20 * sc, b[0]])
    return v, td.Gumbel(*map(T, a)), td.Gumbel(*map(T, b))


@family("cauchy")
def _(a, b):
    def lp(m, s):
        m, s = F(m), F(s)
        return lambda x: -mp.log(mp.pi * s * (1 + ((x - m) / s) ** 2))
    v = quad_kl(lp(*a), lp(*b), -mp.inf, mp.inf, [a[0], b[0]])
    return v, None, None


@family("weibull")
def _(a, b):  # (scale, shape)
    def lp(lam, k):
        lam, k = F(lam), F(k)
        return lambda x: mp.log(k / lam) + (k - 1) * mp.log(x / lam) - (x / lam) ** k
    v = quad_kl(lp(*a), lp(*b), 0, mp.inf, [a[0], 3 * a[0]])
    return v, None, None


@family("pareto")
def _(a, b):  # (scale, alpha)
    def lp(s, al):
        s, al = F(s), F(al)
        return lambda x: mp.log(al) + al * mp.log(s) - (al + 1) * mp.log(x)
    v = quad_kl(lp(*a), lp(*b), a[0], mp.inf, [2 * a[0]])
    return v, td.Pareto(*map(T, a)), td.Pareto(*map(T, b))


@family("von_mises")
def _(a, b):  # (loc, concentration)
    def lp(m, k):
        m, k = F(m), F(k)
        return lambda x: k * mp.cos(x - m) - mp.log(2 * mp.pi * mp.besseli(0, k))
    v = quad_kl(lp(*a), lp(*b), a[0] - mp.pi, a[0] + mp.pi, [a[0], b[0]])
    return v, None, None


@family("student_t")
def _(a, b):  # (df, loc, scale); no closed form: kl_integrate's reference
    def lp(nu, m, sc):
        nu, m, sc = F(nu), F(m), F(sc)
        c = mp.loggamma((nu + 1) / 2) - mp.loggamma(nu / 2) - mp.log(mp.sqrt(nu * mp.pi) * sc)
        return lambda x: c - (nu + 1) / 2 * mp.log1p(((x - m) / sc) ** 2 / nu)
    v = quad_kl(lp(*a), lp(*b), -mp.inf, mp.inf, [a[1], b[1]])
    return v, td.StudentT(*map(T, a)), td.StudentT(*map(T, b))


def pmf_sum(lp, lq, ks):
    return mp.fsum(mp.exp(lp(k)) * (lp(k) - lq(k)) for k in ks if lp(k) != -mp.inf)


@family("poisson")
def _(a, b):
    lp = lambda r: (lambda k: k * mp.log(F(r)) - F(r) - mp.loggamma(k + 1))  # noqa: E731
    top = int(a[0] + 40 * math.sqrt(a[0]) + 60)
    v = pmf_sum(lp(a[0]), lp(b[0]), range(top))
    return v, td.Poisson(T(a[0])), td.Poisson(T(b[0]))


@family("geometric")
def _(a, b):
    lp = lambda p: (lambda k: k * mp.log1p(-F(p)) + mp.log(F(p)))  # noqa: E731
    top = int(80 / a[0]) + 50
    v = pmf_sum(lp(a[0]), lp(b[0]), range(top))
    return v, td.Geometric(T(a[0])), td.Geometric(T(b[0]))


@family("bernoulli")
def _(a, b):
    p, q = F(a[0]), F(b[0])
    v = p * mp.log(p / q) + (1 - p) * mp.log((1 - p) / (1 - q))
    return v, td.Bernoulli(T(a[0])), td.Bernoulli(T(b[0]))


@family("binomial")
def _(a, b):  # (n, p); equal n
    n = int(a[0])
    lp = lambda p: (lambda k: mp.log(mp.binomial(n, k)) + k * mp.log(F(p)) + (n - k) * mp.log1p(-F(p)))  # noqa: E731
    v = pmf_sum(lp(a[1]), lp(b[1]), range(n + 1))
    return (v, td.Binomial(n, T(a[1])), td.Binomial(n, T(b[1])))


@family("lognormal")
def _(a, b):
    def lp(m, s):
        m, s = F(m), F(s)
        return lambda x: -((mp.log(x) - m) / s) ** 2 / 2 - mp.log(s * x) - mp.log(2 * mp.pi) / 2
    v = quad_kl(lp(*a), lp(*b), 0, mp.inf, [math.exp(a[0]), math.exp(a[0] + 2 * a[1])])
    tp = td.LogNormal(*map(T, a))
    tq = td.LogNormal(*map(T, b))
    return v, tp, tq


@family("half_normal")
def _(a, b):
    def lp(s):
        s = F(s)
        return lambda x: -(x / s) ** 2 / 2 - mp.log(s) + mp.log(2 / mp.pi) / 2
    v = quad_kl(lp(a[0]), lp(b[0]), 0, mp.inf, [a[0], 4 * a[0]])
    return v, td.HalfNormal(T(a[0])), td.HalfNormal(T(b[0]))


@family("chi2")
def _(a, b):
    def lp(k):
        k = F(k) / 2
        return lambda x: (k - 1) * mp.log(x) - x / 2 - k * mp.log(2) - mp.loggamma(k)
    v = quad_kl(lp(a[0]), lp(b[0]), 0, mp.inf, [1, a[0], 3 * a[0] + 10])
    return v, td.Chi2(T(a[0])), td.Chi2(T(b[0]))


@family("uniform")
def _(a, b):  # (low, high), P inside Q
    v = quad_kl(lambda x: -mp.log(F(a[1]) - F(a[0])),
                lambda x: -mp.log(F(b[1]) - F(b[0])), F(a[0]), F(a[1]))
    return v, td.Uniform(*map(T, a)), td.Uniform(*map(T, b))


@family("categorical")
def _(a, b):
    v = mp.fsum(F(x) * mp.log(F(x) / F(y)) for x, y in zip(a, b) if x > 0)
    tp = td.Categorical(probs=torch.tensor(a, dtype=torch.float64))
    tq = td.Categorical(probs=torch.tensor(b, dtype=torch.float64))
    return v, tp, tq


@family("dirichlet")
def _(a, b):
    # log p(x) - log q(x) = C + Σ (a_i - b_i) log x_i with C the difference
    # of the log normalisers, and x_i ~ Beta(a_i, a0 - a_i) under P: KL is C
    # plus one 1-D quadrature per component, E[log x_i] = ∫ log x Beta(x) dx.
    al, be = [F(x) for x in a], [F(x) for x in b]
    a0, b0 = mp.fsum(al), mp.fsum(be)
    lnorm = lambda v, s: mp.loggamma(s) - mp.fsum(mp.loggamma(x) for x in v)  # noqa: E731
    v = lnorm(al, a0) - lnorm(be, b0)
    for ai, bi in zip(al, be):
        lb = lambda x: (ai - 1) * mp.log(x) + (a0 - ai - 1) * mp.log(1 - x) - mp.log(mp.beta(ai, a0 - ai))  # noqa: E731
        v += (ai - bi) * mp.quad(lambda x: mp.exp(lb(x)) * mp.log(x), [0, ai / a0, 1])
    T64 = lambda al: torch.tensor(al, dtype=torch.float64)  # noqa: E731
    return v, td.Dirichlet(T64(a)), td.Dirichlet(T64(b))


def main():
    rng = np.random.default_rng(17)
    u = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731
    e = lambda: float(np.exp(rng.normal(0, 0.7)))  # noqa: E731
    draws = {
        "normal": lambda: (u(-2, 2), e()),
        "exponential": lambda: (e(),),
        "gamma": lambda: (u(0.5, 6), e()),
        "beta": lambda: (u(0.6, 5), u(0.6, 5)),
        "laplace": lambda: (u(-2, 2), e()),
        "gumbel": lambda: (u(-2, 2), e()),
        "cauchy": lambda: (u(-2, 2), e()),
        "weibull": lambda: (e(), u(0.7, 4)),
        "pareto": lambda: (u(1, 2), u(1.5, 5)),
        "von_mises": lambda: (u(-1, 1), u(0.2, 8)),
        "poisson": lambda: (u(0.5, 30),),
        "geometric": lambda: (u(0.1, 0.9),),
        "bernoulli": lambda: (u(0.05, 0.95),),
        "lognormal": lambda: (u(-1, 1), u(0.3, 1.5)),
        "half_normal": lambda: (e(),),
        "chi2": lambda: (u(0.5, 12),),
        "categorical": lambda: tuple(float(x) for x in rng.dirichlet([1.0] * 5)),
        "dirichlet": lambda: (u(1.2, 4), u(1.2, 4)),
        "student_t": lambda: (u(1.5, 10), u(-1, 1), e()),
    }
    cases = []
    for name, draw in draws.items():
        print(name, file=sys.stderr, flush=True)
        for _ in range(4):
            a, b = draw(), draw()
            if name == "pareto" and a[0] < b[0]:
                a, b = b, a  # keep P's support inside Q's (finite)
            v, tp, tq = FAMILIES[name](a, b)
            v = float(v)
            if tp is not None and name != "student_t":
                t = td.kl_divergence(tp, tq).item()
                assert abs(t - v) <= 1e-9 * max(1.0, abs(v)), (name, a, b, t, v)
            cases.append({"family": name, "p": list(a), "q": list(b), "kl": v})
    # Uniform: P inside Q (finite), Q inside P (+inf, checked in the test).
    for _ in range(4):
        lo, hi = sorted(rng.uniform(-3, 3, 2))
        a = (float(lo + 0.3 * (hi - lo) * rng.uniform()), float(hi - 0.3 * (hi - lo) * rng.uniform()))
        b = (float(lo), float(hi))
        v, tp, tq = FAMILIES["uniform"](a, b)
        t = td.kl_divergence(tp, tq).item()
        assert abs(t - float(v)) <= 1e-9 * max(1.0, abs(float(v))), (a, b, t, v)
        cases.append({"family": "uniform", "p": list(a), "q": list(b), "kl": float(v)})
    # Dirichlet in three and five components.
    for a, b in (((1.5, 2.0, 3.0), (2.5, 1.5, 2.0)), ((3.0, 3.0, 3.0), (1.3, 2.2, 4.1)),
                 ((0.5, 1.0, 2.0, 4.0, 8.0), (1.0, 1.0, 1.0, 1.0, 1.0))):
        v, tp, tq = FAMILIES["dirichlet"](a, b)
        t = td.kl_divergence(tp, tq).item()
        assert abs(t - float(v)) <= 1e-9 * max(1.0, abs(float(v))), (a, b, t, v)
        cases.append({"family": "dirichlet", "p": list(a), "q": list(b), "kl": float(v)})
    for n, p, q in ((10, 0.3, 0.45), (57, 0.9, 0.8)):
        v, tp, tq = FAMILIES["binomial"]((n, p), (n, q))
        assert abs(td.kl_divergence(tp, tq).item() - float(v)) <= 1e-9 * float(v)
        cases.append({"family": "binomial", "p": [n, p], "q": [n, q], "kl": float(v)})
    # Binomial with P's n below Q's: exact summation over P's support.
    for (n1, p1), (n2, p2) in (((8, 0.4), (12, 0.35)), ((3, 0.9), (40, 0.2))):
        def lpb(n, p):
            return lambda k: mp.log(mp.binomial(n, k)) + k * mp.log(F(p)) + (n - k) * mp.log1p(-F(p))
        v = pmf_sum(lpb(n1, p1), lpb(n2, p2), range(n1 + 1))
        cases.append({"family": "binomial", "p": [n1, p1], "q": [n2, p2], "kl": float(v)})
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=0, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
