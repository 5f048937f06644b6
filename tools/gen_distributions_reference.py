#!/usr/bin/python3
"""Reference values for tests/test_distributions.cpp.

Writes tests/data/distributions_reference.json: for each family, cases of
random parameters (seeded numpy, including extreme ones) with

  params     the constructor's arguments (doubles, exactly as in the file)
  log_prob   [[x, value], ...]: points inside, at and outside the support
  mean, variance, entropy

Every value is computed in mpmath at 50 digits from the textbook formula
(log-densities at the exact double inputs; entropies from the closed forms,
or by exact summation of -p log p for the Poisson and binomial laws) and
rounded to double. Each is cross-checked, and the script fails (assert) if
they disagree:
  - log_prob: torch.distributions in float64 (inside the support and at its
    boundary) and scipy.stats logpdf/logpmf (everywhere; -inf outside);
  - mean, variance: torch and scipy where they define the moment;
  - entropy: torch's .entropy() in float64 and scipy's .entropy(), or mpmath
    numerical integration (von Mises).
The cross-checks run at a relative tolerance of 1e-8 (float64 libraries lose
digits for extreme parameters; the reference itself is the mpmath value).

Non-finite numbers are written as the strings "inf", "-inf"; a moment that
does not exist (kldiv throws NotSupported) as "not_supported".

Run: /usr/bin/python3 tools/gen_distributions_reference.py
"""

import json
import math
import os

import mpmath as mp
import numpy as np
import scipy.stats as st
import torch
import torch.distributions as td

mp.mp.dps = 50
torch.set_default_dtype(torch.float64)
td.Distribution.set_default_validate_args(False)

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data",
                   "distributions_reference.json")
RTOL = 1e-8
rng = np.random.default_rng(20240605)


def enc(v):
    if isinstance(v, str):
        return v
    v = float(v)
    if math.isnan(v):
        raise AssertionError("NaN reference")
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def close(ref, other, what, rtol=RTOL, atol=0.0):
    ref = float(ref)
    other = float(other)
    if math.isinf(ref) or math.isinf(other):
        assert ref == other, f"{what}: reference {ref} vs {other}"
        return
    assert not math.isnan(other), f"{what}: reference {ref} vs NaN"
    err = abs(ref - other)
    assert err <= rtol * abs(ref) + atol, \
        f"{what}: reference {ref!r} vs {other!r} (rel {err / max(abs(ref), 1e-300):.3g})"


def xlogy(y, x):
    return mp.mpf(0) if y == 0 else y * mp.log(x)


def T(v):
    return torch.tensor(float(v))


def loguni(lo, hi):
    return float(10.0 ** rng.uniform(lo, hi))


def mpf(v):
    return mp.mpf(float(v))


# ---------------------------------------------------------------------------
# The families. Each entry: parameter sampler, torch and scipy constructors,
# mpmath log-density, moments and entropy, points to evaluate, and a support
# test (points outside it get -inf).

NS = "not_supported"
INF = mp.inf


def normal_fam():
    def params():
        return [float(rng.uniform(-10, 10) * loguni(-3, 3)), loguni(-8, 8)]

    def lp(p, x):
        m, s = map(mpf, p)
        z = (x - m) / s
        return -z * z / 2 - mp.log(s) - mp.log(2 * mp.pi) / 2

    def pts(p):
        m, s = p
        return [m + s * z for z in (-30.0, -3.0, -0.5, 0.0, 1.0, 5.0)] + [
            m + 1e3 * s, -math.inf, math.inf]

    return dict(
        params=params, torch=lambda p: td.Normal(T(p[0]), T(p[1])),
        scipy=lambda p: st.norm(p[0], p[1]), lp=lp,
        support=lambda p, x: math.isfinite(x),
        mean=lambda p: mpf(p[0]), var=lambda p: mpf(p[1]) ** 2,
        ent=lambda p: mp.mpf(1) / 2 + mp.log(2 * mp.pi) / 2 + mp.log(mpf(p[1])),
        pts=pts)


def exponential_fam():
    def lp(p, x):
        r = mpf(p[0])
        return mp.log(r) - r * x

    return dict(
        params=lambda: [loguni(-6, 6)],
        torch=lambda p: td.Exponential(T(p[0])),
        scipy=lambda p: st.expon(scale=1 / p[0]), lp=lp,
        support=lambda p, x: 0 <= x < math.inf,
        mean=lambda p: 1 / mpf(p[0]), var=lambda p: 1 / mpf(p[0]) ** 2,
        ent=lambda p: 1 - mp.log(mpf(p[0])),
        pts=lambda p: [q / p[0] for q in (0.0, 1e-12, 0.1, 1.0, 10.0, 700.0)]
        + [-1.0 / p[0], math.inf, -math.inf])


def gamma_lp(a, r, x):
    return xlogy(a - 1, x) + a * mp.log(r) - r * x - mp.loggamma(a)


def gamma_ent(a, r):
    return a - mp.log(r) + mp.loggamma(a) + (1 - a) * mp.digamma(a)


def ppf_points(dist, qs=(1e-10, 0.01, 0.3, 0.5, 0.9, 0.999999)):
    return [float(dist.ppf(q)) for q in qs]


def gamma_fam():
    def params():
        return [loguni(-3, 4) if rng.uniform() < 0.8 else 1.0, loguni(-4, 4)]

    return dict(
        params=params,
        torch=lambda p: td.Gamma(T(p[0]), T(p[1])),
        scipy=lambda p: st.gamma(p[0], scale=1 / p[1]),
        lp=lambda p, x: gamma_lp(mpf(p[0]), mpf(p[1]), x),
        support=lambda p, x: 0 <= x < math.inf,
        mean=lambda p: mpf(p[0]) / mpf(p[1]),
        var=lambda p: mpf(p[0]) / mpf(p[1]) ** 2,
        ent=lambda p: gamma_ent(mpf(p[0]), mpf(p[1])),
        pts=lambda p: ppf_points(st.gamma(p[0], scale=1 / p[1])) + [
            0.0, -1.0, math.inf])


def chi2_fam():
    return dict(
        params=lambda: [loguni(-2, 3)],
        torch=lambda p: td.Chi2(T(p[0])),
        scipy=lambda p: st.chi2(p[0]),
        lp=lambda p, x: gamma_lp(mpf(p[0]) / 2, mp.mpf(1) / 2, x),
        support=lambda p, x: 0 <= x < math.inf,
        mean=lambda p: mpf(p[0]), var=lambda p: 2 * mpf(p[0]),
        ent=lambda p: gamma_ent(mpf(p[0]) / 2, mp.mpf(1) / 2),
        pts=lambda p: ppf_points(st.chi2(p[0])) + [0.0, -2.0, math.inf])


def beta_fam():
    def lp(p, x):
        a, b = map(mpf, p)
        return (xlogy(a - 1, x) + xlogy(b - 1, 1 - x) - mp.log(mp.beta(a, b)))

    def ent(p):
        a, b = map(mpf, p)
        return (mp.log(mp.beta(a, b)) - (a - 1) * mp.digamma(a) -
                (b - 1) * mp.digamma(b) + (a + b - 2) * mp.digamma(a + b))

    def params():
        return [loguni(-2, 3) if rng.uniform() < 0.8 else 1.0, loguni(-2, 3)]

    return dict(
        params=params,
        torch=lambda p: td.Beta(T(p[0]), T(p[1])),
        scipy=lambda p: st.beta(p[0], p[1]), lp=lp,
        support=lambda p, x: 0 <= x <= 1,
        mean=lambda p: mpf(p[0]) / (mpf(p[0]) + mpf(p[1])),
        var=lambda p: mpf(p[0]) * mpf(p[1]) /
        ((mpf(p[0]) + mpf(p[1])) ** 2 * (mpf(p[0]) + mpf(p[1]) + 1)),
        ent=ent,
        pts=lambda p: [x for x in ppf_points(st.beta(p[0], p[1]))
                       if 0 < x < 1] + [0.0, 1.0, -0.5, 1.5])


def laplace_fam():
    def lp(p, x):
        m, s = map(mpf, p)
        return -abs(x - m) / s - mp.log(2 * s)

    return dict(
        params=lambda: [float(rng.uniform(-10, 10)), loguni(-6, 6)],
        torch=lambda p: td.Laplace(T(p[0]), T(p[1])),
        scipy=lambda p: st.laplace(p[0], p[1]), lp=lp,
        support=lambda p, x: math.isfinite(x),
        mean=lambda p: mpf(p[0]), var=lambda p: 2 * mpf(p[1]) ** 2,
        ent=lambda p: 1 + mp.log(2 * mpf(p[1])),
        pts=lambda p: [p[0] + p[1] * z for z in (-40.0, -1.0, 0.0, 0.3, 7.0)]
        + [math.inf, -math.inf])


def uniform_fam():
    def params():
        lo = float(rng.uniform(-10, 10) * loguni(-2, 2))
        return [lo, lo + loguni(-6, 6)]

    return dict(
        params=params,
        torch=lambda p: td.Uniform(T(p[0]), T(p[1])),
        scipy=lambda p: st.uniform(p[0], p[1] - p[0]),
        lp=lambda p, x: -mp.log(mpf(p[1]) - mpf(p[0])),
        support=lambda p, x: p[0] <= x <= p[1],
        mean=lambda p: (mpf(p[0]) + mpf(p[1])) / 2,
        var=lambda p: (mpf(p[1]) - mpf(p[0])) ** 2 / 12,
        ent=lambda p: mp.log(mpf(p[1]) - mpf(p[0])),
        pts=lambda p: [p[0], 0.75 * p[0] + 0.25 * p[1], p[1],
                       p[0] - abs(p[0]) - 1, p[1] + abs(p[1]) + 1],
        torch_skip=lambda p, x: x == p[1],
        lp_alt=lambda p, x: -mp.log(mpf(p[1]) - mpf(p[0])))


def lognormal_fam():
    def lp(p, x):
        m, s = map(mpf, p)
        z = (mp.log(x) - m) / s
        return -z * z / 2 - mp.log(s) - mp.log(2 * mp.pi) / 2 - mp.log(x)

    def var(p):
        m, s = map(mpf, p)
        return mp.expm1(s * s) * mp.exp(2 * m + s * s)

    return dict(
        params=lambda: [float(rng.uniform(-5, 5)), loguni(-4, 0.5)],
        torch=lambda p: td.LogNormal(T(p[0]), T(p[1])),
        scipy=lambda p: st.lognorm(p[1], scale=math.exp(p[0])), lp=lp,
        support=lambda p, x: 0 < x < math.inf,
        mean=lambda p: mp.exp(mpf(p[0]) + mpf(p[1]) ** 2 / 2), var=var,
        ent=lambda p: mpf(p[0]) + mp.mpf(1) / 2 + mp.log(2 * mp.pi) / 2 +
        mp.log(mpf(p[1])),
        pts=lambda p: [math.exp(p[0] + p[1] * z) for z in (-8.0, -1.0, 0.0,
                                                           2.0, 9.0)]
        + [0.0, -1.0, math.inf])


def cauchy_fam():
    def lp(p, x):
        m, s = map(mpf, p)
        z = (x - m) / s
        return -mp.log(mp.pi * s) - mp.log1p(z * z)

    return dict(
        params=lambda: [float(rng.uniform(-10, 10)), loguni(-6, 6)],
        torch=lambda p: td.Cauchy(T(p[0]), T(p[1])),
        scipy=lambda p: st.cauchy(p[0], p[1]), lp=lp,
        support=lambda p, x: math.isfinite(x),
        mean=lambda p: NS, var=lambda p: NS,
        ent=lambda p: mp.log(4 * mp.pi * mpf(p[1])),
        pts=lambda p: [p[0] + p[1] * z for z in (-1e200, -3.0, 0.0, 0.5,
                                                 1e8)] + [math.inf],
        # torch's and scipy's z * z overflow far out: there the check is the
        # asymptotic form -log(pi s) - 2 log|z| - log1p(1/z^2)
        torch_skip=lambda p, x: abs(x - p[0]) / p[1] > 1e150,
        lp_alt=lambda p, x: -mp.log(mp.pi * mpf(p[1])) - 2 * mp.log(
            abs((mpf(x) - mpf(p[0])) / mpf(p[1]))) - mp.log1p(
            (mpf(p[1]) / (mpf(x) - mpf(p[0]))) ** 2))


def gumbel_fam():
    def lp(p, x):
        m, s = map(mpf, p)
        z = (x - m) / s
        return -(z + mp.exp(-z)) - mp.log(s)

    return dict(
        params=lambda: [float(rng.uniform(-10, 10)), loguni(-6, 6)],
        torch=lambda p: td.Gumbel(T(p[0]), T(p[1])),
        scipy=lambda p: st.gumbel_r(p[0], p[1]), lp=lp,
        support=lambda p, x: math.isfinite(x),
        mean=lambda p: mpf(p[0]) + mpf(p[1]) * mp.euler,
        var=lambda p: mp.pi ** 2 / 6 * mpf(p[1]) ** 2,
        ent=lambda p: mp.log(mpf(p[1])) + 1 + mp.euler,
        pts=lambda p: [p[0] + p[1] * z for z in (-5.0, -1.0, 0.0, 0.5, 30.0)]
        + [-math.inf, math.inf])


def half_normal_fam():
    def lp(p, x):
        s = mpf(p[0])
        return (mp.log(2) / 2 - mp.log(mp.pi) / 2 - mp.log(s) -
                x * x / (2 * s * s))

    return dict(
        params=lambda: [loguni(-8, 8)],
        torch=lambda p: td.HalfNormal(T(p[0])),
        scipy=lambda p: st.halfnorm(scale=p[0]), lp=lp,
        support=lambda p, x: 0 <= x < math.inf,
        mean=lambda p: mpf(p[0]) * mp.sqrt(2 / mp.pi),
        var=lambda p: mpf(p[0]) ** 2 * (1 - 2 / mp.pi),
        ent=lambda p: mp.log(mp.pi * mpf(p[0]) ** 2 / 2) / 2 + mp.mpf(1) / 2,
        pts=lambda p: [p[0] * z for z in (0.0, 0.1, 1.0, 4.0, 30.0)]
        + [-p[0], math.inf])


def pareto_fam():
    def params():
        return [loguni(-4, 4), float(rng.choice([loguni(-1, 1.5), 0.5, 1.0,
                                                 1.5, 2.0, 3.0]))]

    def lp(p, x):
        s, a = map(mpf, p)
        return mp.log(a) + a * mp.log(s) - (a + 1) * mp.log(x)

    def mean(p):
        s, a = map(mpf, p)
        return INF if a <= 1 else a * s / (a - 1)

    def var(p):
        s, a = map(mpf, p)
        if a <= 1:
            return NS
        if a <= 2:
            return INF
        return s * s * a / ((a - 1) ** 2 * (a - 2))

    return dict(
        params=params, torch=lambda p: td.Pareto(T(p[0]), T(p[1])),
        scipy=lambda p: st.pareto(p[1], scale=p[0]), lp=lp,
        support=lambda p, x: p[0] <= x < math.inf,
        mean=mean, var=var,
        ent=lambda p: mp.log(mpf(p[0]) / mpf(p[1])) + 1 + 1 / mpf(p[1]),
        pts=lambda p: [p[0], p[0] * 1.5, p[0] * 10.0, p[0] * 1e6,
                       p[0] * 0.5, math.inf])


def weibull_fam():
    def lp(p, x):
        lam, k = map(mpf, p)
        z = x / lam
        return mp.log(k / lam) + xlogy(k - 1, z) - z ** k

    def params():
        return [loguni(-4, 4), loguni(-1, 1.5) if rng.uniform() < 0.8 else 1.0]

    return dict(
        params=params, torch=lambda p: td.Weibull(T(p[0]), T(p[1])),
        scipy=lambda p: st.weibull_min(p[1], scale=p[0]), lp=lp,
        support=lambda p, x: 0 <= x < math.inf,
        mean=lambda p: mpf(p[0]) * mp.gamma(1 + 1 / mpf(p[1])),
        var=lambda p: mpf(p[0]) ** 2 * (mp.gamma(1 + 2 / mpf(p[1])) -
                                        mp.gamma(1 + 1 / mpf(p[1])) ** 2),
        ent=lambda p: mp.euler * (1 - 1 / mpf(p[1])) +
        mp.log(mpf(p[0]) / mpf(p[1])) + 1,
        pts=lambda p: ppf_points(st.weibull_min(p[1], scale=p[0]))
        + [0.0, -1.0, math.inf])


def student_t_fam():
    def params():
        df = float(rng.choice([loguni(-1, 6), 0.5, 1.0, 1.5, 2.0, 2.5]))
        return [df, float(rng.uniform(-10, 10)), loguni(-5, 5)]

    def lp(p, x):
        v, m, s = map(mpf, p)
        z = (x - m) / s
        return (mp.loggamma((v + 1) / 2) - mp.loggamma(v / 2) -
                mp.log(v * mp.pi) / 2 - mp.log(s) -
                (v + 1) / 2 * mp.log1p(z * z / v))

    def mean(p):
        return NS if p[0] <= 1 else mpf(p[1])

    def var(p):
        v, s = mpf(p[0]), mpf(p[2])
        if v <= 1:
            return NS
        if v <= 2:
            return INF
        return s * s * v / (v - 2)

    def ent(p):
        v, s = mpf(p[0]), mpf(p[2])
        return (mp.log(s) + (v + 1) / 2 *
                (mp.digamma((v + 1) / 2) - mp.digamma(v / 2)) +
                mp.log(v) / 2 + mp.log(mp.beta(v / 2, mp.mpf(1) / 2)))

    return dict(
        params=params,
        torch=lambda p: td.StudentT(T(p[0]), T(p[1]), T(p[2])),
        scipy=lambda p: st.t(p[0], p[1], p[2]), lp=lp,
        support=lambda p, x: math.isfinite(x),
        mean=mean, var=var, ent=ent,
        pts=lambda p: [p[1] + p[2] * z for z in (-1e6, -3.0, 0.0, 0.5, 40.0)]
        + [math.inf])


def vm_log_norm(k):
    return mp.log(2 * mp.pi * mp.besseli(0, k))


def von_mises_fam():
    def params():
        return [float(rng.uniform(-3, 3)),
                float(rng.choice([loguni(-6, 4), loguni(1.5, 2.5)]))]

    def lp(p, x):
        m, k = map(mpf, p)
        return k * mp.cos(x - m) - vm_log_norm(k)

    def ent(p):
        k = mpf(p[1])
        return -k * mp.besseli(1, k) / mp.besseli(0, k) + vm_log_norm(k)

    def ent_quad(p):
        def f(t):
            v = lp(p, t)
            return -mp.exp(v) * v
        m = mpf(p[0])
        return mp.quad(f, [m - mp.pi, m - 0.1, m, m + 0.1, m + mp.pi])

    return dict(
        params=params,
        torch=lambda p: td.VonMises(T(p[0]), T(p[1])),
        scipy=lambda p: st.vonmises(p[1], loc=p[0]), lp=lp,
        support=lambda p, x: math.isfinite(x),
        mean=lambda p: mpf(p[0]),
        var=lambda p: 1 - mp.besseli(1, mpf(p[1])) / mp.besseli(0, mpf(p[1])),
        ent=ent, ent_check=ent_quad,
        # torch's log I0 is a polynomial fit good to about 1e-7 (scipy and
        # mpmath quadrature are the tight checks here)
        torch_rtol=1e-6, torch_moments=False, scipy_moments=False,
        # the circular variance 1 - E cos(X - loc), by quadrature
        var_check=lambda p: 1 - mp.quad(
            lambda t: mp.cos(t - mpf(p[0])) * mp.exp(lp(p, t)),
            [mpf(p[0]) - mp.pi, mpf(p[0]), mpf(p[0]) + mp.pi]),
        pts=lambda p: [p[0] + z for z in (-math.pi, -1.0, 0.0, 1e-3, 0.5,
                                          3.0, 10.0)] + [math.inf],
        scipy_at_boundary=False)


# Discrete families.

def pmf_sum_entropy(logpmf, lo, hi):
    s = mp.mpf(0)
    for k in range(lo, hi + 1):
        v = logpmf(k)
        if v != -INF:
            s -= mp.exp(v) * v
    return s


def bernoulli_fam():
    def lp(p, k):
        q = mpf(p[0])
        return mp.log(q) if k == 1 else mp.log(1 - q)

    def ent(p):
        q = mpf(p[0])
        return -(xlogy(q, q) + xlogy(1 - q, 1 - q))

    return dict(
        params=lambda: [float(rng.choice([rng.uniform(), loguni(-12, -1), 0.0,
                                          1.0]))],
        torch=lambda p: td.Bernoulli(probs=T(p[0])),
        scipy=lambda p: st.bernoulli(p[0]), lp=lp,
        support=lambda p, k: 0 <= k <= 1,
        mean=lambda p: mpf(p[0]), var=lambda p: mpf(p[0]) * (1 - mpf(p[0])),
        ent=ent, pts=lambda p: [-1, 0, 1, 2],
        # torch clamps p = 0 and 1 away from the edges: scipy checks there
        torch_skip=lambda p, x: p[0] in (0.0, 1.0),
        torch_entropy=lambda p: p[0] not in (0.0, 1.0))


def binom_lp(n, q, k):
    return (mp.loggamma(n + 1) - mp.loggamma(k + 1) - mp.loggamma(n - k + 1)
            + xlogy(k, q) + xlogy(n - k, 1 - q))


def binomial_fam():
    def params():
        n = int(rng.choice([int(rng.integers(0, 30)), int(loguni(1, 4)),
                            int(loguni(4, 6.5))]))
        p = float(rng.choice([rng.uniform(), loguni(-6, 0), 0.0, 1.0]))
        return [n, p]

    def lp(p, k):
        return binom_lp(p[0], mpf(p[1]), k)

    def ent(p):
        n, q = p
        if n == 0 or q in (0.0, 1.0):
            return mp.mpf(0)
        sd = math.sqrt(n * q * (1 - q))
        lo = max(0, int(n * q - 40 * sd - 50))
        hi = min(n, int(n * q + 40 * sd + 50))
        return pmf_sum_entropy(lambda k: binom_lp(n, mpf(q), k), lo, hi)

    def pts(p):
        n, q = p
        mode = int(math.floor((n + 1) * q))
        return sorted({-1, 0, 1, min(mode, n), n // 3, n, n + 1})

    return dict(
        params=params,
        torch=lambda p: td.Binomial(p[0], probs=T(p[1])),
        scipy=lambda p: st.binom(p[0], p[1]), lp=lp,
        support=lambda p, k: 0 <= k <= p[0],
        mean=lambda p: p[0] * mpf(p[1]),
        var=lambda p: p[0] * mpf(p[1]) * (1 - mpf(p[1])),
        ent=ent, pts=pts,
        torch_skip=lambda p, x: p[1] in (0.0, 1.0),
        torch_entropy=lambda p: p[0] <= 2000 and p[1] not in (0.0, 1.0))


def poisson_lp(lam, k):
    return k * mp.log(lam) - lam - mp.loggamma(k + 1)


def poisson_fam():
    def params():
        return [float(rng.choice([loguni(-3, 3), loguni(3, 5.5)]))]

    def ent(p):
        lam = p[0]
        sd = math.sqrt(lam)
        lo = max(0, int(lam - 40 * sd - 50))
        hi = int(lam + 40 * sd + 50)
        return pmf_sum_entropy(lambda k: poisson_lp(mpf(lam), k), lo, hi)

    def pts(p):
        lam = p[0]
        return sorted({-1, 0, 1, int(lam), int(lam + 3 * math.sqrt(lam)),
                       int(10 * lam + 20)})

    return dict(
        params=params, torch=lambda p: td.Poisson(T(p[0])),
        scipy=lambda p: st.poisson(p[0]),
        lp=lambda p, k: poisson_lp(mpf(p[0]), k),
        support=lambda p, k: k >= 0,
        mean=lambda p: mpf(p[0]), var=lambda p: mpf(p[0]),
        ent=ent, pts=pts, torch_entropy=lambda p: False,
        # for large rates scipy's sum is too coarse: the asymptotic series
        # (error O(rate^-4)) checks there
        ent_check=lambda p: None if p[0] < 300 else (
            mp.log(2 * mp.pi * mp.e * mpf(p[0])) / 2 - 1 / (12 * mpf(p[0])) -
            1 / (24 * mpf(p[0]) ** 2) - 19 / (360 * mpf(p[0]) ** 3)))


def geometric_fam():
    def lp(p, k):
        q = mpf(p[0])
        return xlogy(k, 1 - q) + mp.log(q)

    def ent(p):
        q = mpf(p[0])
        return -(xlogy(1 - q, 1 - q) + xlogy(q, q)) / q

    return dict(
        params=lambda: [float(rng.choice([rng.uniform(), loguni(-6, 0), 1.0]))],
        torch=lambda p: td.Geometric(probs=T(p[0])),
        scipy=lambda p: st.geom(p[0], loc=-1), lp=lp,
        support=lambda p, k: k >= 0,
        mean=lambda p: (1 - mpf(p[0])) / mpf(p[0]),
        var=lambda p: (1 - mpf(p[0])) / mpf(p[0]) ** 2,
        ent=ent, pts=lambda p: [-1, 0, 1, 5, 1000],
        torch_skip=lambda p, x: p[0] == 1.0,
        torch_entropy=lambda p: p[0] != 1.0)


def categorical_fam():
    def params():
        k = int(rng.integers(1, 8))
        w = rng.exponential(size=k) * (rng.uniform(size=k) < 0.8)
        if w.sum() == 0:
            w[0] = 1.0
        w = w / w.sum()
        return [[float(v) for v in w]]

    def lp(p, k):
        return mp.log(mpf(p[0][k]))

    def mean(p):
        return mp.fsum(k * mpf(v) for k, v in enumerate(p[0]))

    def var(p):
        m = mean(p)
        return mp.fsum((k - m) ** 2 * mpf(v) for k, v in enumerate(p[0]))

    return dict(
        params=params, torch=lambda p: td.Categorical(probs=torch.tensor(p[0])),
        scipy=None, lp=lp,
        support=lambda p, k: 0 <= k < len(p[0]),
        mean=mean, var=var,
        ent=lambda p: -mp.fsum(xlogy(mpf(v), mpf(v)) for v in p[0]),
        pts=lambda p: list(range(-1, len(p[0]) + 1)), torch_moments=False,
        # torch clamps zero probabilities; log 0 = -inf by definition
        torch_skip=lambda p, k: p[0][k] == 0.0,
        lp_alt=lambda p, k: -INF)


FAMILIES = {
    "normal": normal_fam(), "exponential": exponential_fam(),
    "gamma": gamma_fam(), "chi2": chi2_fam(), "beta": beta_fam(),
    "laplace": laplace_fam(), "uniform": uniform_fam(),
    "lognormal": lognormal_fam(), "cauchy": cauchy_fam(),
    "gumbel": gumbel_fam(), "half_normal": half_normal_fam(),
    "pareto": pareto_fam(), "weibull": weibull_fam(),
    "student_t": student_t_fam(), "von_mises": von_mises_fam(),
    "bernoulli": bernoulli_fam(), "binomial": binomial_fam(),
    "poisson": poisson_fam(), "geometric": geometric_fam(),
    "categorical": categorical_fam(),
}
DISCRETE = {"bernoulli", "binomial", "poisson", "geometric", "categorical"}


def torch_value(f):
    try:
        return float(f())
    except NotImplementedError:
        return None


def scipy_value(f):
    with np.errstate(all="ignore"):
        try:
            return float(f())
        except Exception:  # noqa: BLE001 (scipy refuses some extremes)
            return None


def moment(fam, name, p, ref, d, s):
    if isinstance(ref, str):
        return ref
    ref = float(ref) if ref != INF else math.inf
    if fam.get("torch_moments", True):
        tv = torch_value(lambda: getattr(d, name))
        if tv is not None and not math.isnan(tv):
            close(ref, tv, f"torch {name} {p}",
                  rtol=fam.get("torch_rtol", RTOL))
    if name == "variance" and "var_check" in fam:
        close(ref, fam["var_check"](p), f"quad variance {p}")
    if s is not None and fam.get("scipy_moments", True):
        sv = scipy_value(lambda: s.mean() if name == "mean" else s.var())
        if sv is not None and math.isfinite(sv) and math.isfinite(ref):
            close(ref, sv, f"scipy {name} {p}", rtol=1e-7)
    return ref


def make_case(name, fam, p):
    discrete = name in DISCRETE
    d = fam["torch"](p)
    s = fam["scipy"](p) if fam["scipy"] is not None else None
    case = {"params": p, "log_prob": []}
    for x in fam["pts"](p):
        inside = fam["support"](p, x)
        if inside:
            ref = fam["lp"](p, x if discrete else mpf(x))
            if mp.isnan(ref):
                raise AssertionError(f"{name} {p} at {x}: NaN reference")
            ref = float(ref) if mp.isfinite(ref) else (
                math.inf if ref > 0 else -math.inf)
            tv = float(d.log_prob(torch.tensor(float(x))))
            # torch gives NaN at some support boundaries (Beta(1, b) at 0):
            # there scipy alone cross-checks.
            # torch's Uniform excludes `high` (kldiv includes it).
            skip = fam.get("torch_skip", lambda p, x: False)(p, x)
            if not skip and not (math.isnan(tv) and s is not None):
                close(ref, tv, f"torch {name} {p} at {x}",
                      rtol=fam.get("torch_rtol", RTOL),
                      atol=1e-12 * (1 + abs(ref)))
        else:
            ref = -math.inf
        skip = (inside and "lp_alt" in fam and
                fam.get("torch_skip", lambda p, x: False)(p, x))
        if skip:
            close(ref, fam["lp_alt"](p, x), f"alt {name} {p} at {x}")
        at_boundary = math.isinf(ref) and inside
        if s is not None and not skip and (
                fam.get("scipy_at_boundary", True) or
                              not at_boundary) and \
                not (not inside and not math.isfinite(x)):
            with np.errstate(all="ignore"):
                sv = float(s.logpmf(x) if discrete else s.logpdf(x))
            if inside and (math.isfinite(ref) or sv == ref):
                close(ref, sv, f"scipy {name} {p} at {x}", rtol=1e-7,
                      atol=1e-9 * (1 + abs(ref)))
            elif not inside:
                assert sv == -math.inf, f"scipy {name} {p} at {x}: {sv}"
        case["log_prob"].append([enc(x), enc(ref)])

    case["mean"] = enc(moment(fam, "mean", p, fam["mean"](p), d, s))
    case["variance"] = enc(moment(fam, "variance", p, fam["var"](p), d, s))
    ent = fam["ent"](p)
    want_torch = fam.get("torch_entropy", lambda p: True)(p)
    tv = torch_value(d.entropy) if want_torch else None
    if tv is not None:
        close(ent, tv, f"torch entropy {name} {p}", atol=1e-12)
    checked = tv is not None
    if "ent_check" in fam:
        ev = fam["ent_check"](p)
        if ev is not None:
            close(ent, ev, f"check entropy {name} {p}", atol=1e-20)
            checked = True
    if not checked and s is not None:
        sv = scipy_value(s.entropy)
        assert sv is not None, f"no cross-check for {name} entropy {p}"
        close(ent, sv, f"scipy entropy {name} {p}", rtol=1e-7, atol=1e-9)
    case["entropy"] = enc(ent)
    return case


def dirichlet_cases(n):
    cases = []
    for i in range(n):
        k = int(rng.integers(2, 6))
        alpha = [loguni(-1.5, 2.5) for _ in range(k)]
        if i == 0:
            alpha = [1.0] * k
        a = [mpf(v) for v in alpha]
        a0 = mp.fsum(a)
        d = td.Dirichlet(torch.tensor(alpha))
        s = st.dirichlet(alpha)
        xs = []
        for _ in range(3):
            w = rng.dirichlet([max(v, 0.5) for v in alpha])
            xs.append([float(v) for v in w])
        lps = []
        for x in xs:
            ref = (mp.loggamma(a0) - mp.fsum(mp.loggamma(v) for v in a) +
                   mp.fsum(xlogy(ai - 1, mpf(xi)) for ai, xi in zip(a, x)))
            close(ref, float(d.log_prob(torch.tensor(x))), "torch dirichlet",
                  atol=1e-12)
            if min(x) > 0:
                close(ref, float(s.logpdf(x)), "scipy dirichlet", rtol=1e-7)
            lps.append([x, enc(ref)])
        # off the simplex, and a negative component
        lps.append([[0.6] * k, "-inf"])
        lps.append([[-0.25, 1.25] + [0.0] * (k - 2), "-inf"])
        ent = (mp.fsum(mp.loggamma(v) for v in a) - mp.loggamma(a0) -
               (k - a0) * mp.digamma(a0) -
               mp.fsum((v - 1) * mp.digamma(v) for v in a))
        close(ent, float(d.entropy()), "torch dirichlet entropy", atol=1e-12)
        close(ent, float(s.entropy()), "scipy dirichlet entropy", rtol=1e-7)
        mean = [v / a0 for v in a]
        var = [v * (a0 - v) / (a0 ** 2 * (a0 + 1)) for v in a]
        for r, t in zip(mean, d.mean.tolist()):
            close(r, t, "torch dirichlet mean")
        for r, t in zip(var, d.variance.tolist()):
            close(r, t, "torch dirichlet variance")
        cases.append({"params": [alpha], "log_prob": lps,
                      "mean": [float(v) for v in mean],
                      "variance": [float(v) for v in var],
                      "entropy": float(ent)})
    return cases


def main():
    out = {}
    for name, fam in FAMILIES.items():
        out[name] = [make_case(name, fam, fam["params"]()) for _ in range(10)]
    out["dirichlet"] = dirichlet_cases(8)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
