#!/usr/bin/python3
"""Reference values for KL between Gaussian mixtures (tests/test_mixture.cpp).

Every deterministic method of include/kldiv/mixture.hpp written here on its
own, from the papers' formulas:

  unscented, gaussian, product, matched_bound, variational, variational_upper
      Hershey & Olsen (2007), "Approximating the Kullback Leibler divergence
      between Gaussian mixture models" (matched bound after Goldberger);
  lower_bound, upper_bound
      Durrieu, Thiran & Kelly (2012), "Lower and upper bounds for
      approximation of the Kullback-Leibler divergence between Gaussian
      mixture models".

How the values are computed. The methods are sums of log-sum-exps over
Gaussian primitives: D(f_a||g_b), log z_ab = log N(mu_a; nu_b, S_a + G_b),
the entropies H(f_a), and log-densities at the unscented sigma points. For
d <= 5 the primitives are computed in mpmath at 30 digits (LU inverses and
determinants, not the Cholesky route of the code under test) and
cross-checked against a float64 NumPy/SciPy computation (which must agree to
1e-12 relative); for d = 20 the float64 primitives are used (well-conditioned
covariances: about 1e-14 relative, four orders below the test's tolerance).
The combination (log-sum-exps, argmins, the variational-upper iteration)
always runs in mpmath, so exp(-D) never underflows.

Every case also gets the truth the bounds must bracket: for d = 1 by
numerical integration (scipy.integrate.quad of f log f/g, its error estimate
as "se"), otherwise the mean of log f(x) - log g(x) over 10^6 draws x ~ f
with its standard error; the generator asserts lower_bound <= truth <=
upper_bound and truth <= variational_upper within 4 SE. A few cases get the
Jensen-Shannon divergence the same way.

One-component pairs: which methods equal the closed-form Gaussian KL is
measured here (recorded per case in "equals_closed_form", and asserted to be
the set listed in ONE_COMPONENT_EXACT). Identical mixtures: which methods give
0 likewise ("zero_for_identical", ZERO_FOR_IDENTICAL).

Run with Debian's python3 (well under a minute):

    /usr/bin/python3 tools/gen_mixture_reference.py
"""

import json
import math
import pathlib

import mpmath as mp
import numpy as np
import scipy.integrate
import scipy.linalg
import scipy.special
import scipy.stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "mixture_reference.json"
SEED = 20240611
mp.mp.dps = 30

DETERMINISTIC = ["unscented", "gaussian", "product", "matched_bound",
                 "variational", "variational_upper", "lower_bound",
                 "upper_bound"]
# Measured below on every one-component pair (and asserted): the unscented
# transform integrates the quadratic log f/g exactly, so it is exact too.
ONE_COMPONENT_EXACT = {"unscented", "gaussian", "matched_bound", "variational",
                       "variational_upper"}
# Measured below on every identical pair (and asserted), within 1e-12.
# matched_bound is not among them in general (a heavier neighbour can win the
# argmin: -0.13 in identical_d1_full_k3), nor are the DTK bounds (they bracket
# 0 by the gaps of their Jensen steps). variational_upper tends to 0 but only
# linearly (rate about 0.9 per iteration), so the stopping rule (a change
# below 1e-12) leaves about 10x that: up to 1e-11 here. Its limit is recorded
# ("variational_upper_limit", iterated to a change below 1e-25) and asserted
# to be 0.
ZERO_FOR_IDENTICAL = {"unscented", "gaussian", "product", "variational"}
VARIATIONAL_UPPER_IDENTICAL_MAX = 1e-10


# ---------------------------------------------------------------------------
# Mixtures.

class Mixture:
    def __init__(self, weights, means, covs, form):
        self.w = np.asarray(weights, dtype=float)
        self.mu = np.asarray(means, dtype=float)
        self.cov = np.asarray(covs, dtype=float)
        self.form = form
        self.k, self.d = self.mu.shape

    def reduced(self):
        """Without its zero-weight components (they contribute nothing)."""
        keep = self.w > 0
        return Mixture(self.w[keep], self.mu[keep], self.cov[keep], self.form)

    def to_json(self):
        return {"form": self.form, "weights": self.w.tolist(),
                "means": self.mu.tolist(), "covariances": self.cov.tolist()}


def random_cov(rng, d, form):
    if form == "diagonal":
        sd = rng.uniform(0.5, 1.6, d)
        return np.diag(sd * sd)
    a = rng.normal(size=(d, d)) / math.sqrt(d)
    s = a @ a.T + np.diag(rng.uniform(0.2, 0.8, d))
    return (s + s.T) / 2  # exactly symmetric


def random_mixture(rng, k, d, form, spread=1.0):
    w = rng.dirichlet(np.full(k, 2.0))
    mu = rng.normal(scale=spread, size=(k, d))
    covs = np.array([random_cov(rng, d, form) for _ in range(k)])
    return Mixture(w, mu, covs, form)


# ---------------------------------------------------------------------------
# Gaussian primitives, float64 (NumPy/SciPy: solve and slogdet by LU).

def kl_gauss_np(m0, s0, m1, s1):
    d = len(m0)
    dm = m1 - m0
    tr = np.trace(np.linalg.solve(s1, s0))
    quad = dm @ np.linalg.solve(s1, dm)
    ld0 = np.linalg.slogdet(s0)[1]
    ld1 = np.linalg.slogdet(s1)[1]
    return 0.5 * (tr + quad - d + ld1 - ld0)


def entropy_np(s):
    d = s.shape[0]
    return 0.5 * (d * math.log(2 * math.pi * math.e) + np.linalg.slogdet(s)[1])


def logz_np(m0, s0, m1, s1):
    return scipy.stats.multivariate_normal.logpdf(m0, m1, s0 + s1)


def primitives_np(f, g):
    P = {}
    P["D_fg"] = [[kl_gauss_np(f.mu[a], f.cov[a], g.mu[b], g.cov[b])
                  for b in range(g.k)] for a in range(f.k)]
    P["D_ff"] = [[kl_gauss_np(f.mu[a], f.cov[a], f.mu[c], f.cov[c])
                  for c in range(f.k)] for a in range(f.k)]
    P["z_fg"] = [[logz_np(f.mu[a], f.cov[a], g.mu[b], g.cov[b])
                  for b in range(g.k)] for a in range(f.k)]
    P["z_ff"] = [[logz_np(f.mu[a], f.cov[a], f.mu[c], f.cov[c])
                  for c in range(f.k)] for a in range(f.k)]
    P["H"] = [entropy_np(f.cov[a]) for a in range(f.k)]
    return P


def mixture_logpdf_np(m, x):
    """log m(x) for the rows of x, by Cholesky solves (fast for 10^6 rows)."""
    parts = []
    for a in range(m.k):
        if m.w[a] == 0:
            continue
        L = np.linalg.cholesky(m.cov[a])
        y = scipy.linalg.solve_triangular(L, (x - m.mu[a]).T, lower=True)
        parts.append(math.log(m.w[a]) - 0.5 * np.einsum("ij,ij->j", y, y)
                     - np.log(np.diag(L)).sum() - 0.5 * m.d * math.log(2 * math.pi))
    return scipy.special.logsumexp(np.array(parts), axis=0)


def sigma_points(f):
    """The unscented transform's points: mu_a +- sqrt(d) L[:, k], L the lower
    Cholesky factor, as rows; weight w_a / (2d) each."""
    pts, wts = [], []
    for a in range(f.k):
        if f.w[a] == 0:
            continue
        L = np.linalg.cholesky(f.cov[a])
        r = math.sqrt(f.d)
        for k in range(f.d):
            pts.append(f.mu[a] + r * L[:, k])
            pts.append(f.mu[a] - r * L[:, k])
            wts += [f.w[a] / (2 * f.d)] * 2
    return np.array(pts), wts


# ---------------------------------------------------------------------------
# Gaussian primitives, mpmath (30 digits, LU inverse and determinant).

def M(a):
    return mp.matrix([[mp.mpf(float(x)) for x in row] for row in np.atleast_2d(a)])


def V(a):
    return mp.matrix([mp.mpf(float(x)) for x in a])


class GaussMP:
    def __init__(self, mu, cov):
        self.mu = V(mu)
        self.cov = M(cov)
        self.inv = mp.inverse(self.cov)
        self.logdet = mp.log(mp.det(self.cov))
        self.d = len(mu)

    def logpdf(self, x):
        dx = x - self.mu
        q = (dx.T * self.inv * dx)[0]
        return -(self.d * mp.log(2 * mp.pi) + self.logdet + q) / 2


def kl_gauss_mp(p, q):
    d = p.d
    t = q.inv * p.cov
    dm = q.mu - p.mu
    return (sum(t[i, i] for i in range(d)) + (dm.T * q.inv * dm)[0] - d
            + q.logdet - p.logdet) / 2


def logz_mp(p, q):
    s = p.cov + q.cov
    dm = p.mu - q.mu
    quad = (dm.T * mp.lu_solve(s, dm))[0]
    return -(p.d * mp.log(2 * mp.pi) + mp.log(mp.det(s)) + quad) / 2


def entropy_mp(p):
    return (p.d * (1 + mp.log(2 * mp.pi)) + p.logdet) / 2


def primitives_mp(f, g):
    F = [GaussMP(f.mu[a], f.cov[a]) for a in range(f.k)]
    G = [GaussMP(g.mu[b], g.cov[b]) for b in range(g.k)]
    P = {}
    P["D_fg"] = [[kl_gauss_mp(fa, gb) for gb in G] for fa in F]
    P["D_ff"] = [[kl_gauss_mp(fa, fc) for fc in F] for fa in F]
    P["z_fg"] = [[logz_mp(fa, gb) for gb in G] for fa in F]
    P["z_ff"] = [[logz_mp(fa, fc) for fc in F] for fa in F]
    P["H"] = [entropy_mp(fa) for fa in F]
    return P, F, G


def mixture_logpdf_mp(w, comps, x):
    return lse([mp.log(mp.mpf(float(w[i]))) + c.logpdf(x)
                for i, c in enumerate(comps)])


# ---------------------------------------------------------------------------
# The methods, from the primitives (in mpmath).

def lse(xs):
    m = max(xs)
    return m + mp.log(mp.fsum(mp.exp(x - m) for x in xs))


def methods_from(f, g, P, llr):
    """Every deterministic method, and for each the 'magnitude': the sum of
    the absolute values of the terms it is formed from (what rounding in the
    code under test scales with). llr: (weights, log f - log g) at the sigma
    points, or None to skip the unscented transform."""
    w = [mp.mpf(float(x)) for x in f.w]
    pi = [mp.mpf(float(x)) for x in g.w]
    lw = [mp.log(x) for x in w]
    lpi = [mp.log(x) for x in pi]
    A, B = range(f.k), range(g.k)
    D, Dff, Z, Zff, H = P["D_fg"], P["D_ff"], P["z_fg"], P["z_ff"], P["H"]
    out = {}

    # product
    num = [lse([lw[c] + Zff[a][c] for c in A]) for a in A]
    den = [lse([lpi[b] + Z[a][b] for b in B]) for a in A]
    out["product"] = (mp.fsum(w[a] * (num[a] - den[a]) for a in A),
                      mp.fsum(w[a] * (abs(num[a]) + abs(den[a])) for a in A))

    # matched bound (Goldberger)
    val, mag = [], []
    for a in A:
        m = min(B, key=lambda b: D[a][b] - lpi[b])
        val.append(w[a] * (D[a][m] + lw[a] - lpi[m]))
        mag.append(w[a] * (abs(D[a][m]) + abs(lw[a]) + abs(lpi[m])))
    out["matched_bound"] = (mp.fsum(val), mp.fsum(mag))

    # variational
    vnum = [lse([lw[c] - Dff[a][c] for c in A]) for a in A]
    vden = [lse([lpi[b] - D[a][b] for b in B]) for a in A]
    out["variational"] = (mp.fsum(w[a] * (vnum[a] - vden[a]) for a in A),
                          mp.fsum(w[a] * (abs(vnum[a]) + abs(vden[a]))
                                  for a in A))

    # Durrieu, Thiran & Kelly
    t1 = mp.fsum(w[a] * vnum[a] for a in A)
    th = mp.fsum(w[a] * H[a] for a in A)
    t3 = mp.fsum(w[a] * den[a] for a in A)
    out["lower_bound"] = (t1 - th - t3, abs(t1) + abs(th) + abs(t3))
    u1 = mp.fsum(w[a] * num[a] for a in A)
    u2 = mp.fsum(w[a] * vden[a] for a in A)
    out["upper_bound"] = (u1 - u2 + th, abs(u1) + abs(u2) + abs(th))

    # variational upper bound, iterated from phi = psi = w pi
    vu, vu_mag, iters, converged = variational_upper(w, pi, D)
    out["variational_upper"] = (vu, vu_mag)

    # moment-matched Gaussians
    out["gaussian"] = gaussian_method(f, g)

    # unscented
    if llr is not None:
        wts, h = llr
        out["unscented"] = (mp.fsum(mp.mpf(float(a)) * b for a, b in zip(wts, h)),
                            mp.fsum(mp.mpf(float(a)) * abs(b) for a, b in zip(wts, h)))
    return out, iters, converged


def variational_upper(w, pi, D, tol=1e-12, max_iter=1000):
    A, B = range(len(w)), range(len(pi))
    E = [[mp.exp(-D[a][b]) for b in B] for a in A]
    phi = [[w[a] * pi[b] for b in B] for a in A]
    psi = [[w[a] * pi[b] for b in B] for a in A]

    def value():
        s, m = [], []
        for a in A:
            for b in B:
                if phi[a][b] > 0:
                    t = mp.log(phi[a][b] / psi[a][b])
                    s.append(phi[a][b] * (t + D[a][b]))
                    m.append(phi[a][b] * (abs(t) + abs(D[a][b])))
        return mp.fsum(s), mp.fsum(m)

    v, mag = value()
    it = 0
    converged = False
    while it < max_iter:
        it += 1
        for a in A:
            s = mp.fsum(psi[a][b] * E[a][b] for b in B)
            for b in B:
                phi[a][b] = w[a] * psi[a][b] * E[a][b] / s
        for b in B:
            s = mp.fsum(phi[a][b] for a in A)
            for a in A:
                psi[a][b] = pi[b] * phi[a][b] / s
        nv, mag = value()
        done = abs(nv - v) < tol
        v = nv
        if done:
            converged = True
            break
    return v, mag, it, converged


def gaussian_method(f, g):
    def moments(m):
        w = [mp.mpf(float(x)) for x in m.w]
        mus = [V(x) for x in m.mu]
        covs = [M(x) for x in m.cov]
        mean = sum((w[a] * mus[a] for a in range(m.k)), mp.zeros(m.d, 1))
        second = sum((w[a] * (covs[a] + mus[a] * mus[a].T) for a in range(m.k)),
                     mp.zeros(m.d, m.d))
        return mean, second - mean * mean.T

    mf, sf = moments(f)
    mg, sg = moments(g)
    d = f.d
    ig = mp.inverse(sg)
    t = ig * sf
    dm = mg - mf
    tr = sum(t[i, i] for i in range(d))
    quad = (dm.T * ig * dm)[0]
    ldg, ldf = mp.log(mp.det(sg)), mp.log(mp.det(sf))
    return ((tr + quad - d + ldg - ldf) / 2,
            (abs(tr) + abs(quad) + d + abs(ldg) + abs(ldf)) / 2)


def gaussian_method_np(f, g):
    def moments(m):
        mean = m.w @ m.mu
        second = np.einsum("a,aij->ij", m.w, m.cov) + np.einsum(
            "a,ai,aj->ij", m.w, m.mu, m.mu)
        return mean, second - np.outer(mean, mean)
    mf, sf = moments(f)
    mg, sg = moments(g)
    return kl_gauss_np(mf, sf, mg, sg)


# ---------------------------------------------------------------------------
# All methods for one pair.

def reference_methods(f, g):
    f, g = f.reduced(), g.reduced()
    pts, wts = sigma_points(f)
    Pn = primitives_np(f, g)
    if f.d <= 5:
        P, F, G = primitives_mp(f, g)
        # Cross-check the float64 primitives (and so the formulas) with mpmath.
        for key in ("D_fg", "D_ff", "z_fg", "z_ff"):
            for rm, rn in zip(P[key], Pn[key]):
                for x, y in zip(rm, rn):
                    assert abs(float(x) - y) <= 1e-12 * max(1.0, abs(float(x))), (key, x, y)
        for x, y in zip(P["H"], Pn["H"]):
            assert abs(float(x) - y) <= 1e-12 * max(1.0, abs(float(x)))
        h = [mixture_logpdf_mp(f.w, F, V(x)) - mixture_logpdf_mp(g.w, G, V(x))
             for x in pts]
        hn = mixture_logpdf_np(f, pts) - mixture_logpdf_np(g, pts)
        for x, y in zip(h, hn):
            assert abs(float(x) - y) <= 1e-11 * max(1.0, abs(float(x))), (x, y)
    else:
        P = {k: [[mp.mpf(x) for x in row] for row in v] if k != "H"
             else [mp.mpf(x) for x in v] for k, v in Pn.items()}
        h = [mp.mpf(x) for x in mixture_logpdf_np(f, pts) - mixture_logpdf_np(g, pts)]
    out, iters, converged = methods_from(f, g, P, (wts, h))
    gn = gaussian_method_np(f, g)
    assert abs(gn - float(out["gaussian"][0])) <= 1e-9 * max(1.0, abs(gn)), (gn, out["gaussian"])
    return out, iters, converged


def closed_form_kl(f, g):
    """Independent of the methods: KL of the single Gaussians in mpmath."""
    return kl_gauss_mp(GaussMP(f.mu[0], f.cov[0]), GaussMP(g.mu[0], g.cov[0]))


# ---------------------------------------------------------------------------
# Truth: quadrature in d = 1, long Monte Carlo otherwise.

def draw(m, n, rng):
    counts = rng.multinomial(n, m.w / m.w.sum())
    xs = []
    for a in range(m.k):
        if counts[a] == 0:
            continue
        L = np.linalg.cholesky(m.cov[a])
        z = rng.standard_normal((counts[a], m.d))
        xs.append(m.mu[a] + z @ L.T)
    return np.concatenate(xs)


def mc_mean(fn, m, n, rng, chunk=200_000):
    s = s2 = 0.0
    left = n
    while left:
        c = min(chunk, left)
        v = fn(draw(m, c, rng))
        s += v.sum()
        s2 += (v * v).sum()
        left -= c
    mean = s / n
    var = (s2 - n * mean * mean) / (n - 1)
    return mean, var


def quad_1d(fn, ms):
    """Integral over the real line of fn(x) for mixtures ms (1-D), split at the
    component means; returns (value, error estimate)."""
    lo = min((m.mu[:, 0] - 40 * np.sqrt(m.cov[:, 0, 0])).min() for m in ms)
    hi = max((m.mu[:, 0] + 40 * np.sqrt(m.cov[:, 0, 0])).max() for m in ms)
    pts = sorted(set(np.concatenate([m.mu[:, 0] for m in ms]).tolist()))
    edges = [lo] + [p for p in pts if lo < p < hi] + [hi]
    total = err = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        v, e = scipy.integrate.quad(fn, a, b, limit=400, epsabs=1e-13, epsrel=1e-12)
        total += v
        err += e
    return total, err


def truth_kl(f, g, rng, n=1_000_000):
    if f.d == 1:
        def integrand(x):
            xx = np.array([[x]])
            lf = mixture_logpdf_np(f, xx)[0]
            lg = mixture_logpdf_np(g, xx)[0]
            return math.exp(lf) * (lf - lg) if lf > -700 else 0.0
        v, e = quad_1d(integrand, [f, g])

        def square(x):
            xx = np.array([[x]])
            lf = mixture_logpdf_np(f, xx)[0]
            lg = mixture_logpdf_np(g, xx)[0]
            return math.exp(lf) * (lf - lg) ** 2 if lf > -700 else 0.0
        v2, _ = quad_1d(square, [f, g])
        return {"value": v, "se": max(e, 1e-12), "sd": math.sqrt(v2 - v * v),
                "how": "quadrature"}
    mean, var = mc_mean(lambda x: mixture_logpdf_np(f, x) - mixture_logpdf_np(g, x),
                        f, n, rng)
    # sd: the standard deviation of log f(x) - log g(x), x ~ f (what a Monte
    # Carlo estimate's standard error is sd / sqrt(n) of).
    return {"value": mean, "se": math.sqrt(var / n), "sd": math.sqrt(var),
            "how": "monte_carlo", "samples": n}


def truth_js(f, g, rng, n=1_000_000):
    def logm(x):
        return np.logaddexp(mixture_logpdf_np(f, x), mixture_logpdf_np(g, x)) - math.log(2)
    if f.d == 1:
        def integrand(x):
            xx = np.array([[x]])
            lf = mixture_logpdf_np(f, xx)[0]
            lg = mixture_logpdf_np(g, xx)[0]
            lm = float(logm(xx)[0])
            s = 0.0
            if lf > -700:
                s += 0.5 * math.exp(lf) * (lf - lm)
            if lg > -700:
                s += 0.5 * math.exp(lg) * (lg - lm)
            return s
        v, e = quad_1d(integrand, [f, g])
        return {"value": v, "se": max(e, 1e-12), "how": "quadrature"}
    mf, vf = mc_mean(lambda x: mixture_logpdf_np(f, x) - logm(x), f, n, rng)
    mg, vg = mc_mean(lambda x: mixture_logpdf_np(g, x) - logm(x), g, n, rng)
    return {"value": 0.5 * (mf + mg), "se": 0.5 * math.sqrt(vf / n + vg / n),
            "how": "monte_carlo", "samples": n}


# ---------------------------------------------------------------------------

def make_case(name, kind, f, g, rng, with_truth, with_js=False):
    out, iters, converged = reference_methods(f, g)
    case = {"name": name, "kind": kind, "d": f.d, "f": f.to_json(), "g": g.to_json(),
            "methods": {m: {"value": float(out[m][0]), "magnitude": float(out[m][1])}
                        for m in DETERMINISTIC},
            "variational_upper_iterations": iters,
            "variational_upper_converged": converged}
    if kind == "one_component":
        cf = closed_form_kl(f, g)
        case["closed_form"] = float(cf)
        case["equals_closed_form"] = {
            m: bool(abs(out[m][0] - cf) <= 1e-12 * max(1, abs(cf)))
            for m in DETERMINISTIC}
    if kind == "identical":
        case["zero_for_identical"] = {
            m: bool(abs(out[m][0]) <= 1e-12) for m in DETERMINISTIC}
        r = f.reduced()
        w = [mp.mpf(float(x)) for x in r.w]
        P = primitives_np(r, r)
        D = [[mp.mpf(x) for x in row] for row in P["D_fg"]]
        limit = variational_upper(w, w, D, tol=1e-25, max_iter=100000)[0]
        assert abs(limit) < 1e-20, limit
        assert abs(out["variational_upper"][0]) < VARIATIONAL_UPPER_IDENTICAL_MAX
        case["variational_upper_limit"] = float(limit)
    if kind in ("random", "zero_weight"):
        # log f at three points (one far out), and f's moment-matched Gaussian.
        r = f.reduced()
        x = np.vstack([draw(r, 2, rng), r.mu[0] + 6.0])
        if f.d <= 5:
            F = [GaussMP(r.mu[a], r.cov[a]) for a in range(r.k)]
            lp = [float(mixture_logpdf_mp(r.w, F, V(p))) for p in x]
        else:
            lp = mixture_logpdf_np(r, x).tolist()
        case["log_pdf_f"] = {"x": x.tolist(), "value": lp}
        mean = r.w @ r.mu
        cov = (np.einsum("a,aij->ij", r.w, r.cov)
               + np.einsum("a,ai,aj->ij", r.w, r.mu, r.mu) - np.outer(mean, mean))
        case["moment_match_f"] = {"mean": mean.tolist(), "covariance": cov.tolist()}
    if with_truth:
        t = truth_kl(f, g, rng)
        case["truth"] = t
        v, tol = t["value"], 4 * t["se"]
        lb = case["methods"]["lower_bound"]["value"]
        ub = case["methods"]["upper_bound"]["value"]
        vu = case["methods"]["variational_upper"]["value"]
        assert lb <= v + tol and v <= ub + tol and v <= vu + tol, (name, lb, v, ub, vu)
        # KL >= 0, and the matched bound is an upper bound too (Goldberger).
        assert v >= -tol
    if with_js:
        case["js"] = truth_js(f, g, rng)
        assert -1e-9 <= case["js"]["value"] <= math.log(2) + 1e-9
    return case


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    js_for = {("random", 1, "full", 0), ("random", 2, "full", 0),
              ("random", 5, "diagonal", 0), ("random", 2, "mixed", 0)}

    # Random mixtures: k_f, k_g in 1..5 (not both 1), full and diagonal forms.
    for d in (1, 2, 5, 20):
        for form in ("full", "diagonal"):
            for i in range(2):
                while True:
                    kf, kg = rng.integers(1, 6, size=2)
                    if kf + kg > 2:
                        break
                f = random_mixture(rng, int(kf), d, form)
                g = random_mixture(rng, int(kg), d, form)
                cases.append(make_case(f"random_d{d}_{form}_{i}", "random", f, g, rng,
                                       True, ("random", d, form, i) in js_for))
    # f full, g diagonal (and the other way round).
    for d, i in ((2, 0), (5, 1)):
        f = random_mixture(rng, 3, d, "full")
        g = random_mixture(rng, 4, d, "diagonal")
        if i == 1:
            f, g = g, f
        cases.append(make_case(f"random_d{d}_mixed_{i}", "random", f, g, rng, True,
                               ("random", d, "mixed", i) in js_for))
    # Well separated components: D(f_a||g_b) up to thousands, exp(-D)
    # underflows in double unless the code works in log space.
    f = random_mixture(rng, 3, 2, "full", spread=25.0)
    g = random_mixture(rng, 3, 2, "diagonal", spread=25.0)
    cases.append(make_case("separated_d2", "random", f, g, rng, True))
    # Zero weights: a component of weight 0 in each mixture contributes
    # nothing (the reference is computed without them).
    f = random_mixture(rng, 3, 2, "full")
    g = random_mixture(rng, 3, 2, "full")
    f.w = np.array([0.6, 0.0, 0.4])
    g.w = np.array([0.0, 0.25, 0.75])
    cases.append(make_case("zero_weight_d2", "zero_weight", f, g, rng, True))

    # One component each.
    for d in (1, 2, 5, 20):
        for form in ("full", "diagonal"):
            f = random_mixture(rng, 1, d, form)
            g = random_mixture(rng, 1, d, form)
            f.w = g.w = np.array([1.0])
            cases.append(make_case(f"one_component_d{d}_{form}", "one_component",
                                   f, g, rng, False))

    # Identical mixtures (the same numbers for f and g).
    for d, form, k in ((1, "full", 3), (2, "full", 3), (5, "diagonal", 4),
                       (20, "full", 3), (2, "diagonal", 1)):
        f = random_mixture(rng, k, d, form)
        cases.append(make_case(f"identical_d{d}_{form}_k{k}", "identical", f, f, rng,
                               False))

    # What was measured, checked against what the module docstring states.
    one = [c for c in cases if c["kind"] == "one_component"]
    exact = {m for m in DETERMINISTIC if all(c["equals_closed_form"][m] for c in one)}
    ident = [c for c in cases if c["kind"] == "identical" and len(c["f"]["weights"]) > 1]
    zero = {m for m in DETERMINISTIC if all(c["zero_for_identical"][m] for c in ident)}
    assert exact == ONE_COMPONENT_EXACT, exact
    assert zero == ZERO_FOR_IDENTICAL, zero
    # Not exact / not zero in any case, so the sets are sharp.
    for m in set(DETERMINISTIC) - exact:
        assert not any(c["equals_closed_form"][m] for c in one), m
    for m in set(DETERMINISTIC) - zero:
        assert not all(c["zero_for_identical"][m] for c in ident), m

    doc = {"generator": "tools/gen_mixture_reference.py", "seed": SEED,
           "methods": DETERMINISTIC,
           "equals_closed_form": sorted(exact),
           "zero_for_identical": sorted(zero),
           "cases": cases}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT.relative_to(ROOT)}")
    print("one component, equal to the closed form:", sorted(exact))
    print("identical mixtures, 0:", sorted(zero))
    for c in cases:
        t = c.get("truth")
        line = f"{c['name']:28s} kf={len(c['f']['weights'])} kg={len(c['g']['weights'])}"
        if t:
            line += f" truth={t['value']:.6f}±{t['se']:.1e}"
        line += " " + " ".join(f"{m[:6]}={c['methods'][m]['value']:.5g}"
                               for m in DETERMINISTIC)
        line += f" it={c['variational_upper_iterations']}"
        print(line)


if __name__ == "__main__":
    main()
