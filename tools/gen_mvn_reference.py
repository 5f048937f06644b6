#!/usr/bin/python3
"""Reference values for the multivariate normal (tests/test_mvn.cpp): KL,
Bhattacharyya and Hellinger distances, Rényi divergences, the 2-Wasserstein
distance, entropy and log-density, computed in mpmath at 40 digits on the
exact double inputs (Cholesky, solves and matrix square roots in mpmath), and
cross-checked here against PyTorch (KL, entropy, log_prob in float64) and SciPy
(the 2-Wasserstein distance via scipy.linalg.sqrtm), so that the generator
fails if the formulas are wrong. Run with Debian's python3:

    /usr/bin/python3 tools/gen_mvn_reference.py
"""

import json
import pathlib

import mpmath as mp
import numpy as np
import scipy.linalg
import torch
from torch.distributions import MultivariateNormal, kl_divergence

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "mvn_reference.json"
mp.mp.dps = 40


def M(a):
    return mp.matrix([[mp.mpf(float(x)) for x in row] for row in np.atleast_2d(a)])


def V(a):
    return mp.matrix([mp.mpf(float(x)) for x in a])


def logdet(a):
    return mp.log(mp.det(a))


def quad(a, v):
    """v^T a^-1 v."""
    return (v.T * mp.lu_solve(a, v))[0]


def kl(mp_, sp, mq, sq):
    d = sp.rows
    tr = mp.inverse(sq) * sp  # at 40 digits: the reference, not the method
    return (mp.mpf(1) / 2) * (sum(tr[i, i] for i in range(d))
                              + quad(sq, mq - mp_) - d + logdet(sq) - logdet(sp))


def bhattacharyya(mp_, sp, mq, sq):
    s = (sp + sq) / 2
    return quad(s, mp_ - mq) / 8 + (logdet(s) - (logdet(sp) + logdet(sq)) / 2) / 2


def renyi(mp_, sp, mq, sq, a):
    a = mp.mpf(a)
    s = a * sq + (1 - a) * sp
    return a / 2 * quad(s, mp_ - mq) - (logdet(s) - (1 - a) * logdet(sp) - a * logdet(sq)) / (2 * (a - 1))


def sqrtm_sym(a):
    """The square root of a symmetric positive semi-definite matrix, by its
    eigendecomposition (mpmath's sqrtm iteration fails on ill-conditioned
    ones)."""
    a = (a + a.T) / 2
    e, q = mp.eigsy(a)
    d = a.rows
    root = mp.diag([mp.sqrt(max(e[i], 0)) for i in range(d)])
    return q * root * q.T


def w2(mp_, sp, mq, sq):
    rp = sqrtm_sym(sp)
    cross = sqrtm_sym(rp * sq * rp)
    d = sp.rows
    tr = sum(sp[i, i] + sq[i, i] - 2 * cross[i, i] for i in range(d))
    dm = mp_ - mq
    return mp.sqrt(sum(dm[i] ** 2 for i in range(d)) + mp.re(tr))


def entropy(sp):
    d = sp.rows
    return mp.mpf(d) / 2 * (1 + mp.log(2 * mp.pi)) + logdet(sp) / 2


def log_pdf(m, s, x):
    d = s.rows
    return -(d * mp.log(2 * mp.pi) + logdet(s) + quad(s, x - m)) / 2


def spd(rng, d, cond=None):
    a = rng.normal(size=(d, d))
    s = a @ a.T + d * np.eye(d) * 0.5
    if cond:
        w, v = np.linalg.eigh(s)
        w = np.geomspace(1.0, 1.0 / cond, d)
        s = (v * w) @ v.T
    return (s + s.T) / 2


def case(rng, d, form_p, form_q, cond=None, near=False):
    m1, m2 = rng.normal(size=d), rng.normal(size=d)
    extra = {}

    def cov(form, side):
        if form == "full":
            return spd(rng, d, cond)
        if form == "low_rank":  # W W^T + diag(D), W of rank max(1, d // 2)
            w = rng.normal(size=(d, max(1, d // 2)))
            dg = np.exp(rng.normal(size=d))
            extra["factor_" + side] = w.tolist()
            extra["diag_" + side] = dg.tolist()
            return w @ w.T + np.diag(dg)
        return np.diag(np.exp(rng.normal(size=d)))
    s1 = cov(form_p, "p")
    s2 = cov(form_q, "q")
    if near:  # Q a hair from P
        m2 = m1 + 1e-7
        s2 = s1 * (1 + 1e-7) if form_q == form_p else s2
        if form_q == "low_rank":
            extra["factor_q"] = (np.array(extra["factor_p"]) * np.sqrt(1 + 1e-7)).tolist()
            extra["diag_q"] = (np.array(extra["diag_p"]) * (1 + 1e-7)).tolist()
    mp_, sp, mq, sq = V(m1), M(s1), V(m2), M(s2)
    x = rng.normal(size=d)
    out = {
        "d": d, "form_p": form_p, "form_q": form_q,
        "mean_p": m1.tolist(), "cov_p": s1.tolist(),
        "mean_q": m2.tolist(), "cov_q": s2.tolist(), "x": x.tolist(),
        **extra,
        "kl": float(kl(mp_, sp, mq, sq)),
        "kl_qp": float(kl(mq, sq, mp_, sp)),
        "entropy_p": float(entropy(sp)),
        "log_pdf_p": float(log_pdf(mp_, sp, V(x))),
    }
    if d <= 8:
        out.update({
            "bhattacharyya": float(bhattacharyya(mp_, sp, mq, sq)),
            "renyi_0.5": float(renyi(mp_, sp, mq, sq, 0.5)),
            "renyi_0.3": float(renyi(mp_, sp, mq, sq, 0.3)),
            "w2": float(w2(mp_, sp, mq, sq)),
        })
        out["hellinger"] = float(mp.sqrt(-mp.expm1(-bhattacharyya(mp_, sp, mq, sq))))
        # Cross-checks: W2 by SciPy.
        rp = scipy.linalg.sqrtm(s1)
        w2_scipy = np.sqrt(np.sum((m1 - m2) ** 2) + np.trace(s1 + s2 - 2 * np.real(scipy.linalg.sqrtm(rp @ s2 @ rp))))
        assert abs(w2_scipy - out["w2"]) <= 1e-7 * max(1.0, out["w2"]), (w2_scipy, out["w2"])
    # Cross-checks by PyTorch (float64).
    P = MultivariateNormal(torch.tensor(m1), torch.tensor(s1))
    Q = MultivariateNormal(torch.tensor(m2), torch.tensor(s2))
    for got, want in [(kl_divergence(P, Q).item(), out["kl"]),
                      (P.entropy().item(), out["entropy_p"]),
                      (P.log_prob(torch.tensor(x)).item(), out["log_pdf_p"])]:
        tol = 1e-5 if cond else 1e-8
        assert abs(got - want) <= tol * max(1.0, abs(want)) + (1e-6 if near else 0), (got, want)
    # The accuracy double arithmetic can promise: a relative error of about
    # the condition number times the rounding unit (1e-12 for these
    # well-conditioned cases, 1e-5 for the 1e10 one).
    out["rtol"] = 1e-5 if cond else 1e-12
    return out


def main():
    rng = np.random.default_rng(9)
    cases = []
    for d in (1, 2, 3, 5, 8):
        for fp, fq in (("full", "full"), ("full", "diagonal"),
                       ("diagonal", "full"), ("diagonal", "diagonal")):
            cases.append(case(rng, d, fp, fq))
    cases.append(case(rng, 4, "full", "full", cond=1e10))
    cases.append(case(rng, 3, "full", "full", near=True))
    cases.append(case(rng, 5, "diagonal", "diagonal", near=True))
    cases.append(case(rng, 40, "full", "full"))
    # Low rank plus diagonal against every form (torch's
    # LowRankMultivariateNormal), and one nearly equal pair.
    for d in (1, 3, 6):
        for fp, fq in (("low_rank", "low_rank"), ("low_rank", "diagonal"),
                       ("diagonal", "low_rank"), ("low_rank", "full"),
                       ("full", "low_rank")):
            cases.append(case(rng, d, fp, fq))
    cases.append(case(rng, 30, "low_rank", "low_rank"))
    cases.append(case(rng, 4, "low_rank", "low_rank", near=True))
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=0, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
