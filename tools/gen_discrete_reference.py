#!/usr/bin/python3
"""Reference values for the discrete divergences (include/kldiv/discrete.hpp).

Writes tests/data/discrete_reference.json, which tests/test_discrete_reference.cpp
checks the library against. Run with Debian's interpreter, which has numpy,
scipy and mpmath:

    /usr/bin/python3 tools/gen_discrete_reference.py [output.json]

Where the values come from
--------------------------
* "expected": mpmath at mp.dps = 60 digits (and recomputed at 100 digits: the
  two must round to the same doubles), straight from the defining formulas in
  the header, evaluated on the exact binary values of the inputs
  (mpmath.mpf(float) is exact; float32 inputs are first rounded to float32 and
  the reference is computed from those exact values). Normalisation (weights,
  counts) and smoothing are done in mpmath too. Each value is then rounded
  once, correctly, to the nearest double (a value beyond the double range
  becomes inf). Nothing here copies an algorithm of the library: KL is
  Σ p log(p/q) over p > 0, Rényi is log(Σ p^a q^(1-a) / Σp) / (a - 1), and so
  on (see the functions below).
* "scipy": SciPy on the same (normalised, smoothed) inputs rounded to double:
  scipy.special.rel_entr (elementwise, and summed = kl),
  scipy.special.kl_div summed (= generalized_kl), scipy.stats.entropy(pk)
  (= entropy), scipy.stats.entropy(pk, qk) (KL of the normalised inputs) and
  scipy.spatial.distance.jensenshannon(p, q, base) (= js_distance); divided by
  log(base) where SciPy has no base argument. The generator asserts that SciPy
  and mpmath agree to a loose tolerance (relative 1e-9, absolute 1e-12; squared
  for js_distance), so that the two references check each other. The test
  does not read these values.

Where the formula and the contract meet
---------------------------------------
* Probabilities that sum to 1 only within rounding: the formulas are evaluated
  exactly on the given values anyway (KL = Σ p log(p/q) on the given doubles);
  the library is designed to be accurate for the given values. Most cases are
  built to sum to exactly 1 (see exact_simplex) so that no reading of the
  definitions differs; some deliberately do not.
* Clamping: a result that is mathematically >= 0 but whose exact formula on
  the given (not exactly normalised) values is a tiny negative number is
  stored as 0; likewise the header's upper ends of ranges (hellinger, BC and
  total variation <= 1, JS <= H(pi1, pi2)) are kept. The case's "notes" say
  where either happened.
* Identical inputs (after normalisation and smoothing) give exactly 0 for every
  divergence: the header promises it, and the case's notes say where that
  overrides the formula (Rényi on inputs summing to 1 only within rounding,
  weights 0.3 + 0.7 = 1 - 2^-54 in the weighted JS).
* Rényi follows the header: D_a = log(Σ p^a q^(1-a) / Σp) / (a - 1), D_1 =
  KL, D_0 = -log(Σ_{p>0} q / Σp) and D_inf = log max_{p>0} p/q. The
  Bhattacharyya distance is the header's -log(BC / sqrt(Σp Σq)).
* f_divergence is stored in nats with its own definition Σ q f(p/q) (0 f(0/0) =
  0, p * slope where q = 0 < p), for f = t log t (slope inf; = KL in nats),
  |t - 1| / 2 (slope 1/2; = total variation) and (t - 1)^2 (slope inf; =
  Pearson's chi^2); the generator asserts those identities. Each comes with
  "scale" = Σ (|q f(t)| + |q t f'(t)|) over q > 0: the absolute error any
  evaluation of q f(p/q) in double incurs is a small multiple of eps * scale,
  which the test allows (it matters only where p is very close to q). Cases
  where some f(p/q) overflows a double are left out (f would return inf, which
  the library rejects).

JSON format
-----------
{
  "generator": "tools/gen_discrete_reference.py", "description": ..., "sources": {...},
  "versions": {...}, "mp_dps": 60,
  "cases": [
    {
      "name": "zeros_in_q",                     # unique, [A-Za-z0-9_]
      "dtype": "float64" | "float32",           # the element type to call with
      "p": [...], "q": [...],                   # exact inputs (repr of doubles)
      "options": {                              # absent keys = defaults
        "base": 2.0,                            # log base (absent: nats)
        "kind": "probabilities" | "weights" | "counts",
        "smoothing": {"kind": "additive", "alpha": 0.5}
                   | {"kind": "uniform_mix", "lambda": 0.01},
        "tolerance": 1e-6                       # sum tolerance, rarely given
      },
      "expected": {                             # mpmath; only the keys present are checked
        "kl": ..., "reverse_kl": ..., "rel_entr": [...], "generalized_kl": ...,
        "entropy": ... (of p), "entropy_q": ..., "cross_entropy": ...,
        "reverse_cross_entropy": ..., "jeffreys": ..., "js_divergence": ...,
        "js_distance": ...,
        "js_weighted": [{"pi1": 0.3, "pi2": 0.7, "js_divergence": ..., "js_distance": ...}, ...],
        "renyi": {"0": ..., "0.25": ..., ..., "1": ..., "inf": ...},   # keys: repr(alpha)
        "hellinger": ..., "bhattacharyya_coefficient": ...,
        "bhattacharyya_distance": ..., "total_variation": ...,
        "chi2_pearson": ..., "chi2_neyman": ...,
        "f_divergence": {"t_log_t": {"value": ..., "scale": ...},
                         "half_abs_t_minus_1": {...}, "t_minus_1_squared": {...}},
        "summary": {"p_total": ..., "q_total": ..., "p_mass_where_q_zero": ...,
                    "bins_where_q_zero": n, "q_mass_where_p_zero": ...,
                    "bins_where_p_zero": n}
      },
      "scipy": {"rel_entr": [...], "kl": ..., "generalized_kl": ..., "entropy": ...,
                "entropy_q": ..., "kl_of_normalised": ..., "js_distance": ...},
      "notes": ["..."]
    }, ...
  ]
}
Finite numbers are JSON numbers written with Python's repr (shortest string
that round-trips the double exactly); non-finite ones are the strings "inf",
"-inf" and "nan". Measures with a unit (all logarithms: kl, rel_entr,
generalized_kl, entropies, cross-entropies, jeffreys, JS, Rényi,
Bhattacharyya distance) are in the unit of options.base; hellinger, BC, total
variation, chi^2 and f_divergence have no unit.
"""

import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import scipy
import scipy.spatial.distance
import scipy.special
import scipy.stats
from mpmath import mp, mpf

MP_DPS = 60
CHECK_DPS = 100
RENYI_ALPHAS = [0.0, 0.25, 0.5, 0.999999, 1.0, 1.000001, 2.0, 10.0, math.inf]
JS_WEIGHTS = [(0.3, 0.7), (0.25, 0.75)]
F_DIVERGENCES = ["t_log_t", "half_abs_t_minus_1", "t_minus_1_squared"]

OUT_DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "discrete_reference.json"

# ---------------------------------------------------------------------------
# Exact conversions


def to_double(x):
    """The double nearest to the mpf x (correctly rounded, also for
    subnormals); +-inf beyond the double range."""
    if mpmath.isinf(x):
        return math.inf if x > 0 else -math.inf
    if mpmath.isnan(x):
        return math.nan
    if x == 0:
        return 0.0
    sign, man, exp, _ = x._mpf_
    r = Fraction(man) * (Fraction(2) ** exp)
    try:
        v = float(r)  # int / int true division: correctly rounded
    except OverflowError:
        v = math.inf
    return -v if sign else v


def f32(x):
    return float(np.float32(x))


def is_f32(x):
    return f32(x) == x


def exact_sum(v):
    return sum((Fraction(x) for x in v), Fraction(0))


def exact_simplex(v, mant):
    """v (non-negative, summing to about 1) moved to nearby values that are
    exactly representable with `mant` mantissa bits (53: double, 24: float) and
    whose exact sum is exactly 1: every entry but the largest is rounded to the
    ulp grid of the largest, which then takes the exact remainder."""
    j = max(range(len(v)), key=lambda i: v[i])
    _, e = math.frexp(v[j])  # v[j] in [2^(e-1), 2^e)
    for ee in (e, e + 1):
        grid = Fraction(2) ** (ee - mant)
        out = [Fraction(round(Fraction(x) / grid)) * grid for x in v]
        out[j] = 0
        out[j] = 1 - sum(out)
        if Fraction(2) ** (ee - 1) <= out[j] < Fraction(2) ** ee:
            res = [float(x) for x in out]
            assert all(Fraction(a) == b for a, b in zip(res, out))
            if mant == 24:
                assert all(is_f32(a) for a in res)
            assert exact_sum(res) == 1
            lost = sum(1 for a, b in zip(v, res) if a > 0 and b == 0)
            assert lost == 0, f"exact_simplex zeroed {lost} entries"
            return res
    raise ValueError("exact_simplex failed")


# ---------------------------------------------------------------------------
# Preprocessing (in mpmath): normalisation and smoothing


def preprocess(v, opt):
    """The normalised and smoothed vector, as exact fractions."""
    k = len(v)
    x = [Fraction(a) for a in v]
    kind = opt.get("kind", "probabilities")
    sm = opt.get("smoothing")
    if sm and sm["kind"] == "additive":
        assert kind == "counts"
        a = Fraction(sm["alpha"])
        n = sum(x)
        x = [(c + a) / (n + k * a) for c in x]
    elif kind in ("weights", "counts"):
        s = sum(x)
        x = [a / s for a in x]
    if sm and sm["kind"] == "uniform_mix":
        lam = Fraction(sm["lambda"])
        s = sum(x)  # normalise first (exactly), as the header says
        x = [(1 - lam) * a / s + lam / k for a in x]
    return x


def to_mpf(x):
    """A fraction (or float) rounded to the working precision."""
    x = Fraction(x)
    return mp.make_mpf(mpmath.libmp.from_rational(x.numerator, x.denominator, mp.prec, "n"))


# ---------------------------------------------------------------------------
# The measures, straight from their definitions (natural log; callers divide
# by ln(base) where the measure has a unit).

INF = mpmath.inf


def xsum(terms):
    """The exact sum of finite terms (mpf or Fraction), rounded once to the
    working precision (mp.fsum rounds as it goes: 1 + 1e-200 - 1 would be 0)."""
    total = Fraction(0)
    for t in terms:
        if not isinstance(t, Fraction):
            t = mpf(t)
            assert mpmath.isfinite(t)
            sign, man, exp, _ = t._mpf_
            t = Fraction(-man if sign else man) * Fraction(2) ** exp
        total += t
    return to_mpf(total)


def msum(terms):
    terms = list(terms)
    if any(mpmath.isinf(t) for t in terms):
        assert all(t > 0 for t in terms if mpmath.isinf(t))
        return INF
    return xsum(terms)


def rel_entr_terms(P, Q):
    out = []
    for p, q in zip(P, Q):
        if p == 0:
            out.append(mpf(0))
        elif q == 0:
            out.append(INF)
        else:
            out.append(p * mp.log(p / q))
    return out


def kl(P, Q):
    return msum(rel_entr_terms(P, Q))


def generalized_kl(P, Q):
    terms = []
    for p, q in zip(P, Q):
        if p == 0:
            terms.append(q)
        elif q == 0:
            terms.append(INF)
        else:
            terms.append(p * mp.log(p / q) - p + q)
    return msum(terms)


def entropy(P):
    return -xsum(p * mp.log(p) for p in P if p > 0)


def cross_entropy(P, Q):
    terms = []
    for p, q in zip(P, Q):
        if p == 0:
            continue
        terms.append(INF if q == 0 else -p * mp.log(q))
    return msum(terms)


def jeffreys(P, Q):
    terms = []
    for p, q in zip(P, Q):
        if p == 0 and q == 0:
            continue
        if p == 0 or q == 0:
            terms.append(INF)
        else:
            terms.append((p - q) * mp.log(p / q))
    return msum(terms)


def js(P, Q, w1, w2):
    w1, w2 = mpf(w1), mpf(w2)
    terms = []
    for p, q in zip(P, Q):
        m = w1 * p + w2 * q
        if p > 0:
            terms.append(w1 * p * mp.log(p / m))
        if q > 0:
            terms.append(w2 * q * mp.log(q / m))
    return xsum(terms)


def log_ratio(s, dev, sp):
    """log(s / sp), given also dev = s - sp summed exactly: through log1p when
    s is close to sp, so that no part of dev below the precision is lost."""
    if abs(dev) < sp / 2:
        return mp.log1p(dev / sp)
    return mp.log(s / sp)


def js_bound(w1, w2):
    """H(pi1, pi2), the largest JS with these weights."""
    w1, w2 = mpf(w1), mpf(w2)
    return -sum(w * mp.log(w) for w in (w1, w2) if w > 0)


def renyi(P, Q, a, PF=None, QF=None):
    """D_a = log(Σ p^a q^(1-a) / Σp) / (a - 1), D_0 = -log(Σ_{p>0} q / Σp),
    D_1 = KL, D_inf = log max_{p>0} p/q (the header's definitions). The
    argument of the log is formed as 1 + (exact sum of the differences) / Σp,
    so that no part of it below the working precision is lost. PF: p as
    exact fractions, when P holds them rounded."""
    if PF is None:
        PF, QF = P, Q
    sp = xsum(PF)
    if a == 1:
        return kl(P, Q)
    if a == math.inf:
        best = mpf(0)
        for p, q in zip(P, Q):
            if p > 0:
                if q == 0:
                    return INF
                best = max(best, p / q)
        return mp.log(best)
    a = mpf(a)
    if a == 0:
        qs = [q for p, q in zip(PF, QF) if p > 0]
        s = xsum(qs)
        return INF if s == 0 else -log_ratio(s, xsum(qs + [-p for p in PF]), sp)
    s = []
    for p, q in zip(P, Q):
        if p == 0:
            continue
        if q == 0:
            if a > 1:
                return INF
            continue
        # p^a q^(1-a); exactly p where q = p
        s.append(p if p == q else mp.exp(a * mp.log(p) + (1 - a) * mp.log(q)))
    if not s:
        return INF  # disjoint supports, a < 1: log 0 / (a - 1) = +inf
    return log_ratio(xsum(s), xsum(s + [-p for p in PF]), sp) / (a - 1)


def hellinger(P, Q):
    return mp.sqrt(xsum((mp.sqrt(p) - mp.sqrt(q)) ** 2 for p, q in zip(P, Q)) / 2)


def bhattacharyya_coefficient(P, Q):
    # p q is exact at this precision for double inputs, so sqrt(p p) = p.
    return xsum(mp.sqrt(p * q) for p, q in zip(P, Q))


def bhattacharyya_distance(P, Q, PF=None, QF=None):
    """The header's -log(BC / sqrt(Σp Σq)) (= -log BC where the sums are 1),
    as -log BC + (log Σp + log Σq) / 2 with each log taken through log1p of
    its exactly summed distance from 1. PF, QF: p and q as exact fractions,
    when P and Q hold them rounded."""
    if PF is None:
        PF, QF = P, Q
    terms = [mp.sqrt(p * q) for p, q in zip(P, Q)]
    bc = xsum(terms)
    if bc == 0:
        return INF
    one = mpf(1)
    log_bc = log_ratio(bc, xsum(terms + [-1]), one)
    log_sp = log_ratio(xsum(PF), xsum(list(PF) + [-1]), one)
    log_sq = log_ratio(xsum(QF), xsum(list(QF) + [-1]), one)
    return -log_bc + (log_sp + log_sq) / 2


def total_variation(P, Q):
    return xsum(abs(p - q) for p, q in zip(P, Q)) / 2


def chi2(P, Q):
    terms = []
    for p, q in zip(P, Q):
        if q == 0:
            if p > 0:
                terms.append(INF)
            continue
        terms.append((p - q) ** 2 / q)
    return msum(terms)


def f_generator(name):
    """(f, t f'(t), slope at infinity) for the named convex function."""
    if name == "t_log_t":
        return (lambda t: t * mp.log(t) if t > 0 else mpf(0),
                lambda t: t * (mp.log(t) + 1) if t > 0 else mpf(0), INF)
    if name == "half_abs_t_minus_1":
        return (lambda t: abs(t - 1) / 2, lambda t: t / 2, mpf(1) / 2)
    if name == "t_minus_1_squared":
        return (lambda t: (t - 1) ** 2, lambda t: 2 * t * (t - 1), INF)
    raise KeyError(name)


def f_divergence(P, Q, name):
    """(Σ q f(p/q) with 0 f(0/0) = 0 and p * slope where q = 0 < p, scale)."""
    f, tfp, slope = f_generator(name)
    terms, scale = [], []
    for p, q in zip(P, Q):
        if q == 0:
            if p > 0:
                terms.append(p * slope)
            continue
        t = p / q
        terms.append(q * f(t))
        scale.append(abs(q * f(t)) + abs(q * tfp(t)))
    return msum(terms), xsum(scale)


def f_overflows(P, Q, name):
    """Whether f(p/q), evaluated in double on the double-rounded inputs,
    overflows (the library would then reject f's value)."""
    for p, q in zip(P, Q):
        pd, qd = to_double(p), to_double(q)
        if qd == 0:
            continue
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            t = np.float64(pd) / np.float64(qd)
            if name == "t_log_t":
                v = t * np.log(t) if t > 0 else 0.0
            elif name == "half_abs_t_minus_1":
                v = abs(t - 1) / 2
            else:
                v = (t - 1) ** 2
        if not np.isfinite(v) or abs(v) > 1e300:
            return True
    return False


# ---------------------------------------------------------------------------
# One case


def compute_expected(case, dps):
    """All mpmath references of a case, as doubles (and notes)."""
    notes = []
    with mp.workdps(dps):
        opt = case["options"]
        PF = preprocess(case["p"], opt)
        QF = preprocess(case["q"], opt)
        P = [to_mpf(x) for x in PF]
        Q = [to_mpf(x) for x in QF]
        base = opt.get("base")
        lnb = mp.log(mpf(base)) if base is not None else mpf(1)
        only = case.get("only")
        identical = PF == QF
        exp = {}

        def put(key, value, unit=True, clamp=False, zero_if_identical=False, upper=None):
            if only is not None and key not in only:
                return
            if upper is not None and value > upper:
                notes.append(f"{key}: the exact formula gives 1 + {mpmath.nstr(value - 1, 3)}"
                             if upper == 1 else f"{key}: the exact formula gives "
                             f"{mpmath.nstr(value, 20)}")
                notes[-1] += f" (the sums are off 1 by rounding); clamped to its range's " \
                             f"top {mpmath.nstr(upper, 20)}"
                value = upper
            if identical and zero_if_identical and value != 0:
                notes.append(f"{key}: identical inputs give exactly 0 (the formula on "
                             f"these values gives {mpmath.nstr(value, 3)})")
                value = mpf(0)
            if clamp and value < 0:
                notes.append(f"{key}: the exact formula gives {mpmath.nstr(value, 3)} "
                             "(the sums are off 1 by rounding); clamped to 0")
                value = mpf(0)
            exp[key] = to_double(value / lnb if unit else value)

        put("kl", kl(P, Q), clamp=True, zero_if_identical=True)
        put("reverse_kl", kl(Q, P), clamp=True, zero_if_identical=True)
        if only is None or "rel_entr" in only:
            exp["rel_entr"] = [to_double(t / lnb) for t in rel_entr_terms(P, Q)]
        put("generalized_kl", generalized_kl(P, Q), zero_if_identical=True)
        put("entropy", entropy(P))
        put("entropy_q", entropy(Q))
        put("cross_entropy", cross_entropy(P, Q))
        put("reverse_cross_entropy", cross_entropy(Q, P))
        put("jeffreys", jeffreys(P, Q), zero_if_identical=True)
        jsd = js(P, Q, 0.5, 0.5)
        if only is not None:
            pass  # unnormalised measures: only generalized_kl applies
        elif jsd < 0:
            notes.append(f"js_divergence: exact formula {mpmath.nstr(jsd, 3)}, clamped to 0")
            jsd = mpf(0)
        elif jsd > mp.log(2):
            notes.append(f"js_divergence: exact formula log 2 + {mpmath.nstr(jsd - mp.log(2), 3)}"
                         " (the sums are off 1 by rounding); clamped to log 2")
            jsd = mp.log(2)
        put("js_divergence", jsd, zero_if_identical=True)
        put("js_distance", mp.sqrt(jsd / lnb), unit=False, zero_if_identical=True)
        if only is None:
            ws = []
            for w1, w2 in JS_WEIGHTS:
                v = js(P, Q, w1, w2)
                # The double weights may not sum to exactly 1 (0.3 + 0.7 =
                # 1 - 2^-54): keep the value only where reading them as given
                # or as renormalised makes no difference at 1e-14 (a tenth of
                # the test's tolerance).
                s = mpf(w1) + mpf(w2)
                alt = js(P, Q, mpf(w1) / s, mpf(w2) / s)
                if identical:
                    if v != 0:
                        notes.append(f"js_weighted ({w1}, {w2}): identical inputs give exactly "
                                     f"0 (the formula with these weights gives "
                                     f"{mpmath.nstr(v, 3)})")
                    v = mpf(0)
                elif v > js_bound(w1, w2):
                    notes.append(f"js_weighted ({w1}, {w2}): the exact formula exceeds "
                                 "H(pi1, pi2); clamped")
                    v = js_bound(w1, w2)
                elif abs(v - alt) > mpf("1e-14") * abs(v):
                    notes.append(f"js_weighted ({w1}, {w2}) left out: weights summing to "
                                 f"{mpmath.nstr(s, 17)} instead of 1 change it by "
                                 f"{mpmath.nstr(abs(v - alt) / v, 2)} relative")
                    continue
                ws.append({"pi1": w1, "pi2": w2, "js_divergence": to_double(v / lnb),
                           "js_distance": to_double(mp.sqrt(max(v, 0) / lnb))})
            exp["js_weighted"] = ws
            ren = {}
            for a in RENYI_ALPHAS:
                v = renyi(P, Q, a, PF, QF)
                key = "inf" if a == math.inf else repr(a)
                if identical and v != 0:
                    notes.append(f"renyi {key}: identical inputs give exactly 0 (the formula "
                                 f"on these values gives {mpmath.nstr(v, 3)})")
                    v = mpf(0)
                if v < 0:
                    notes.append(f"renyi {key}: the exact formula gives {mpmath.nstr(v, 3)}; "
                                 "clamped to 0")
                    v = mpf(0)
                ren[key] = to_double(v / lnb)
            exp["renyi"] = ren
        put("hellinger", hellinger(P, Q), unit=False, upper=mpf(1))
        put("bhattacharyya_coefficient", bhattacharyya_coefficient(P, Q), unit=False,
            upper=mpf(1))
        put("bhattacharyya_distance", bhattacharyya_distance(P, Q, PF, QF), clamp=True,
            zero_if_identical=True)
        put("total_variation", total_variation(P, Q), unit=False, upper=mpf(1))
        put("chi2_pearson", chi2(P, Q), unit=False)
        put("chi2_neyman", chi2(Q, P), unit=False)
        if only is None:
            fd = {}
            for name in F_DIVERGENCES:
                if f_overflows(P, Q, name):
                    notes.append(f"f_divergence {name} left out: f(p/q) overflows a double")
                    continue
                v, scale = f_divergence(P, Q, name)
                fd[name] = {"value": to_double(v), "scale": to_double(scale)}
            exp["f_divergence"] = fd
            sp = exact_sum(case["p"])
            sq = exact_sum(case["q"])
            exp["summary"] = {
                "p_total": float(sp),
                "q_total": float(sq),
                "p_mass_where_q_zero": float(sum(p for p, q in zip(PF, QF) if q == 0)),
                "bins_where_q_zero": sum(1 for p, q in zip(P, Q) if p > 0 and q == 0),
                "q_mass_where_p_zero": float(sum(q for p, q in zip(PF, QF) if p == 0)),
                "bins_where_p_zero": sum(1 for p, q in zip(P, Q) if q > 0 and p == 0),
            }
        # Identities between independently computed references.
        if only is None:
            nat = {"kl": kl(P, Q), "tv": total_variation(P, Q), "chi2": chi2(P, Q)}
            for name, ref in (("t_log_t", "kl"), ("half_abs_t_minus_1", "tv"),
                              ("t_minus_1_squared", "chi2")):
                v, _ = f_divergence(P, Q, name)
                r = nat[ref]
                close = abs(v - r) <= mpf(10) ** (10 - dps) * (1 + abs(r))
                assert (mpmath.isinf(v) and mpmath.isinf(r)) or close, (case["name"], name)
            h2 = hellinger(P, Q) ** 2
            if sum(PF) == 1 and sum(QF) == 1:
                # Σp = Σq = 1: H^2 = 1 - BC, D_1/2 = -2 log BC, D_2 = log(1 + chi^2).
                tol = mpf(10) ** (10 - dps)
                assert abs(h2 - (1 - bhattacharyya_coefficient(P, Q))) <= tol
                d_half = renyi(P, Q, 0.5, PF, QF)
                bd = bhattacharyya_distance(P, Q, PF, QF)
                assert (mpmath.isinf(d_half) and mpmath.isinf(bd)) or \
                    abs(d_half - 2 * bd) <= tol * (1 + abs(bd)), case["name"]
                d_2 = renyi(P, Q, 2.0, PF, QF)
                c2 = chi2(P, Q)
                assert (mpmath.isinf(d_2) and mpmath.isinf(c2)) or \
                    abs(d_2 - mp.log1p(c2)) <= tol * (1 + abs(d_2)), case["name"]
    return exp, notes


def compute_scipy(case, exp):
    """SciPy on the preprocessed inputs rounded to double, in the case's unit,
    and the check that it agrees with mpmath."""
    opt = case["options"]
    P = np.array([float(x) for x in preprocess(case["p"], opt)])
    Q = np.array([float(x) for x in preprocess(case["q"], opt)])
    base = opt.get("base")
    lnb = math.log(base) if base is not None else 1.0
    only = case.get("only")
    sc = {}
    with np.errstate(all="ignore"):
        if only is None:
            re = scipy.special.rel_entr(P, Q)
            sc["rel_entr"] = [float(x) / lnb for x in re]
            sc["kl"] = float(np.sum(re)) / lnb
            sc["entropy"] = float(scipy.stats.entropy(P, base=base))
            sc["entropy_q"] = float(scipy.stats.entropy(Q, base=base))
            sc["kl_of_normalised"] = float(scipy.stats.entropy(P, Q, base=base))
            sc["js_distance"] = float(scipy.spatial.distance.jensenshannon(P, Q, base=base))
        sc["generalized_kl"] = float(np.sum(scipy.special.kl_div(P, Q))) / lnb

    with np.errstate(over="ignore", divide="ignore"):
        ratio_overflows = bool(np.any((P > 0) & (Q > 0) & np.isinf(P / np.where(Q > 0, Q, 1))))
    limitations = []

    def agree(s, m, what, squared=False):
        if math.isinf(s) and not math.isinf(m) and ratio_overflows and what != "js_distance":
            # SciPy computes x * log(x / y), and x / y overflows here.
            limitations.append(what)
            return
        if what == "js_distance" and math.isnan(s) and m * m < 1e-12:
            # SciPy takes sqrt of a JS that rounding made negative.
            limitations.append("js_distance is nan (sqrt of a JS that rounding made "
                               "negative)")
            return
        if math.isinf(m) or math.isinf(s):
            ok = s == m
        else:
            if squared:
                s, m = s * s, m * m
            ok = abs(s - m) <= 1e-9 * abs(m) + 1e-12
        if not ok:
            raise AssertionError(f"{case['name']}: SciPy {what} = {s!r}, mpmath {m!r}")

    if only is None:
        for i, (s, m) in enumerate(zip(sc["rel_entr"], exp["rel_entr"])):
            agree(s, m, f"rel_entr[{i}]")
        agree(sc["kl"], exp["kl"], "kl")
        # scipy.stats.entropy and jensenshannon divide by the sums first:
        # compare them with mpmath on the exactly normalised inputs (the same
        # as "expected" wherever the inputs sum to exactly 1).
        PF = preprocess(case["p"], opt)
        QF = preprocess(case["q"], opt)
        PN = [to_mpf(x / sum(PF)) for x in PF]
        QN = [to_mpf(x / sum(QF)) for x in QF]
        lnb_mp = mp.log(mpf(base)) if base is not None else mpf(1)
        agree(sc["entropy"], to_double(entropy(PN) / lnb_mp), "entropy")
        agree(sc["entropy_q"], to_double(entropy(QN) / lnb_mp), "entropy_q")
        agree(sc["kl_of_normalised"], to_double(kl(PN, QN) / lnb_mp), "entropy(pk, qk)")
        jsn = max(js(PN, QN, 0.5, 0.5), 0)
        agree(sc["js_distance"], to_double(mp.sqrt(jsn / lnb_mp)), "js_distance", squared=True)
        if sum(PF) == 1 and sum(QF) == 1:
            assert to_double(entropy(PN) / lnb_mp) == exp["entropy"]
            assert to_double(kl(PN, QN) / lnb_mp) == exp["kl"]
    agree(sc["generalized_kl"], exp["generalized_kl"], "generalized_kl")
    if limitations:
        sc["limitations"] = [
            x if " " in x else f"{x} is inf where the value is finite: x / y overflows in "
            "x * log(x / y)" for x in limitations]
    return sc


# ---------------------------------------------------------------------------
# The cases

CASES = []


def add(name, p, q, dtype="float64", only=None, note=None, **options):
    assert name not in {c["name"] for c in CASES}, name
    assert all(ch.isalnum() or ch == "_" for ch in name), name
    p = [float(x) for x in p]
    q = [float(x) for x in q]
    if dtype == "float32":
        p = [f32(x) for x in p]
        q = [f32(x) for x in q]
    assert len(p) == len(q) and len(p) > 0
    assert all(x >= 0 and math.isfinite(x) for x in p + q)
    opts = {}
    if "base" in options:
        opts["base"] = float(options.pop("base"))
    if "kind" in options:
        opts["kind"] = options.pop("kind")
    if "smoothing" in options:
        opts["smoothing"] = options.pop("smoothing")
    if "tolerance" in options:
        opts["tolerance"] = options.pop("tolerance")
    assert not options, options
    kind = opts.get("kind", "probabilities")
    if kind == "probabilities" and only is None:
        tol = opts.get("tolerance", 1e-4 if dtype == "float32" else 1e-6)
        for v in (p, q):
            assert abs(float(exact_sum(v)) - 1) <= tol / 2, (name, float(exact_sum(v)))
    case = {"name": name, "dtype": dtype, "p": p, "q": q, "options": opts}
    if only is not None:
        case["only"] = only
    if note:
        case["note"] = note
    CASES.append(case)


def additive(alpha):
    return {"kind": "additive", "alpha": float(alpha)}


def uniform_mix(lam):
    return {"kind": "uniform_mix", "lambda": float(lam)}


def renorm(v):
    s = math.fsum(v)
    return [x / s for x in v]


def dirichlet(rng, n, alpha):
    return [float(x) for x in rng.dirichlet(np.full(n, alpha))]


def with_zeros(rng, v, frac, keep=None):
    """v with round(frac * n) random entries set to 0, renormalised in double."""
    v = list(v)
    n = len(v)
    idx = rng.choice(n, size=int(round(frac * n)), replace=False)
    for i in idx:
        if keep is None or i not in keep:
            v[i] = 0.0
    return renorm(v)


def perturbed(rng, p, rel):
    """p * (1 + rel * noise), renormalised in double."""
    noise = rng.standard_normal(len(p))
    return renorm([x * (1 + rel * e) for x, e in zip(p, noise)])


def build_cases():
    rng = np.random.default_rng(20261122)

    # -- hand-picked, double -------------------------------------------------
    add("basic_3", [0.2, 0.3, 0.5], [0.1, 0.4, 0.5])
    add("dyadic_4", [0.125, 0.375, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25])
    add("two_point_swapped", [0.25, 0.75], [0.75, 0.25])
    add("zero_in_p_only", [0, 0.5, 0.5], [0.25, 0.25, 0.5])
    add("zero_in_q_only", [0.25, 0.25, 0.5], [0, 0.5, 0.5])
    add("zero_in_both_same_bin", [0, 0.375, 0.625], [0, 0.625, 0.375])
    add("zero_in_both_other_bins", [0, 0.5, 0.5], [0.5, 0, 0.5])
    add("zero_every_combination", [0, 0, 0.25, 0.75, 0, 0.0],
        [0, 0.125, 0, 0.5, 0.375, 0.0])
    add("disjoint_supports", [0.5, 0.5, 0, 0], [0, 0, 0.25, 0.75])
    add("identical", [0.2, 0.3, 0.5], [0.2, 0.3, 0.5])
    add("identical_with_zeros", [0, 0.25, 0, 0.75], [0, 0.25, 0, 0.75])
    add("length_1", [1.0], [1.0])
    add("uniform_vs_point_mass", [0.25] * 4, [1, 0, 0, 0])
    add("point_mass_vs_uniform", [1, 0, 0, 0], [0.25] * 4)
    add("point_mass_identical", [0, 1, 0], [0, 1, 0])
    add("subnormal_in_p", [5e-324, 1e-310, 0.25, 0.75], [0.25, 0.25, 0.25, 0.25])
    add("subnormal_in_q", [0.25, 0.25, 0.25, 0.25], [5e-324, 1e-310, 0.25, 0.75])
    add("subnormal_in_both", [5e-324, 1e-310, 0.5, 0.5], [1e-310, 5e-324, 0.5, 0.5])
    add("subnormal_squares_underflow", [1e-160, 2e-170, 0.5, 0.5],
        [1e-310, 3e-165, 0.5, 0.5])
    add("tiny_entries", [1e-300, 1.0], [0.5, 0.5])
    add("huge_ratio", [0.5, 0.5], [1e-300, 1.0])
    add("huge_ratio_both_ways", [1e-300, 1.0], [1.0, 1e-300])
    add("near_point_mass", [1 - 2.0 ** -40, 2.0 ** -40], [1 - 2.0 ** -20, 2.0 ** -20])
    add("bernoulli_close_dyadic", [0.5, 0.5], [0.5 + 2.0 ** -27, 0.5 - 2.0 ** -27])
    add("bernoulli_very_close_dyadic", [0.5, 0.5], [0.5 + 2.0 ** -50, 0.5 - 2.0 ** -50])
    add("decimal_not_exact_sum", [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1])

    # -- p very close to q ----------------------------------------------------
    for n, rel in ((10, 1e-9), (100, 1e-13), (1000, 1e-9)):
        p = exact_simplex(dirichlet(rng, n, 2.0), 53)
        q = exact_simplex(perturbed(rng, p, rel), 53)
        add(f"close_{rel:.0e}_exact_sum_n{n}".replace("-", "m"), p, q)
    p = renorm(dirichlet(rng, 100, 2.0))
    q = perturbed(rng, p, 1e-9)
    add("close_1em09_renormalised_n100", p, q)
    p = exact_simplex(with_zeros(rng, dirichlet(rng, 50, 1.0), 0.2), 53)
    q = [0.0 if x == 0 else x for x in perturbed(rng, p, 1e-8)]
    add("close_1em08_shared_zeros_n50", p, exact_simplex(q, 53))

    # -- seeded Dirichlet draws with zeros -----------------------------------
    for n in (3, 10, 100, 1000):
        p = dirichlet(rng, n, 1.0)
        q = dirichlet(rng, n, 1.0)
        # zeros in p only: KL finite, reverse KL infinite
        zp = with_zeros(rng, p, 0.1 if n > 3 else 0.34)
        add(f"dirichlet_n{n}_zeros_in_p", exact_simplex(zp, 53), exact_simplex(renorm(q), 53))
        # zeros in both, anywhere (some bins zero in both)
        zq = with_zeros(rng, q, 0.1 if n > 3 else 0.34)
        add(f"dirichlet_n{n}_zeros_in_both", exact_simplex(zp, 53), exact_simplex(zq, 53))
    for n in (10, 100):
        p = renorm(dirichlet(rng, n, 0.1))  # spiky: tiny entries, sums within rounding
        q = renorm(dirichlet(rng, n, 0.1))
        add(f"dirichlet_sparse_n{n}_sum_within_rounding", p, q)
    for n in (10, 100):
        add(f"dirichlet_flat_n{n}", exact_simplex(dirichlet(rng, n, 10.0), 53),
            exact_simplex(dirichlet(rng, n, 10.0), 53))
    p = renorm(dirichlet(rng, 1000, 1.0))
    q = renorm(dirichlet(rng, 1000, 1.0))
    add("dirichlet_n1000_sum_within_rounding", p, q)

    # -- bases -----------------------------------------------------------------
    p = exact_simplex(dirichlet(rng, 10, 1.0), 53)
    q = exact_simplex(dirichlet(rng, 10, 1.0), 53)
    add("base2_dirichlet_n10", p, q, base=2)
    add("base10_dirichlet_n10", p, q, base=10)
    add("base3_dirichlet_n10", p, q, base=3)
    add("base2_zero_every_combination", [0, 0, 0.25, 0.75, 0, 0.0],
        [0, 0.125, 0, 0.5, 0.375, 0.0], base=2)
    add("base2_disjoint_supports", [0.5, 0.5, 0, 0], [0, 0, 0.25, 0.75], base=2)
    add("base10_subnormal_in_q", [0.25, 0.25, 0.25, 0.25], [5e-324, 1e-310, 0.25, 0.75],
        base=10)
    add("base2_bernoulli_close_dyadic", [0.5, 0.5], [0.5 + 2.0 ** -27, 0.5 - 2.0 ** -27],
        base=2)
    p = exact_simplex(dirichlet(rng, 100, 2.0), 53)
    add("base3_close_1em09_exact_sum_n100", p, exact_simplex(perturbed(rng, p, 1e-9), 53),
        base=3)

    # -- weights (normalize) -------------------------------------------------
    add("weights_basic", [1, 2, 3, 4], [4, 3, 2, 1], kind="weights")
    add("weights_with_zeros", [0, 2, 3, 5], [1, 0, 3, 0], kind="weights")
    add("weights_scaled_copies", [1, 2, 3], [3, 6, 9], kind="weights")
    add("weights_tiny_scale", [1e-300, 2e-300, 3e-300], [3e-300, 2e-300, 1e-300],
        kind="weights")
    add("weights_huge_scale", [1e300, 2e300, 3e300], [3e300, 2e300, 2.5e300], kind="weights")
    add("weights_sum_not_one_base2", [0.5, 0.7, 0.1, 0.0], [0.2, 0.2, 0.2, 0.2],
        kind="weights", base=2)
    w = [float(x) for x in rng.gamma(2.0, 3.0, 100)]
    v = [float(x) for x in rng.gamma(2.0, 3.0, 100)]
    add("weights_gamma_n100", w, v, kind="weights")

    # -- counts ----------------------------------------------------------------
    add("counts_basic", [10, 20, 30, 40], [25, 25, 25, 25], kind="counts")
    add("counts_with_zeros", [0, 3, 7, 0], [5, 0, 5, 0], kind="counts")
    add("counts_non_integer", [2.5, 0.5, 7], [1, 1, 1.5], kind="counts")
    add("counts_huge", [1e12, 3e12, 2e12 + 1], [2e12, 2e12, 2e12], kind="counts")
    c1 = [float(x) for x in rng.poisson(5.0, 100)]
    c2 = [float(x) for x in rng.poisson(5.0, 100)]
    c2 = [x if x > 0 or c1[i] == 0 else 1.0 for i, x in enumerate(c2)]  # KL finite
    add("counts_poisson_n100", c1, c2, kind="counts")
    add("counts_poisson_n100_base2", c1, c2, kind="counts", base=2)

    # -- additive smoothing (counts) ---------------------------------------------
    add("additive_0.5_zeros".replace(".", "p"), [0, 3, 7, 0], [5, 0, 5, 0], kind="counts",
        smoothing=additive(0.5))
    add("additive_1_basic", [10, 20, 30, 40], [25, 25, 25, 25], kind="counts",
        smoothing=additive(1.0))
    add("additive_0p01_base2", [0, 0, 4, 1], [1, 0, 0, 9], kind="counts", base=2,
        smoothing=additive(0.01))
    add("additive_0p5_identical_counts", [0, 5, 0], [0, 5, 0], kind="counts",
        smoothing=additive(0.5))
    c1 = [float(x) for x in rng.poisson(2.0, 1000)]
    c2 = [float(x) for x in rng.poisson(2.0, 1000)]
    add("additive_0p5_poisson_n1000", c1, c2, kind="counts", smoothing=additive(0.5))

    # -- uniform mix ---------------------------------------------------------------
    add("uniform_mix_0p01_zeros", [0, 0.25, 0.75, 0], [0.5, 0, 0.5, 0],
        smoothing=uniform_mix(0.01))
    add("uniform_mix_0p5_disjoint", [0.5, 0.5, 0, 0], [0, 0, 0.25, 0.75],
        smoothing=uniform_mix(0.5))
    add("uniform_mix_1_gives_uniform", [0.2, 0.3, 0.5], [0.7, 0.2, 0.1],
        smoothing=uniform_mix(1.0))
    add("uniform_mix_1em3_weights", [0, 2, 3, 5], [1, 0, 3, 0], kind="weights",
        smoothing=uniform_mix(1e-3))
    add("uniform_mix_0p1_counts_base10", [0, 3, 7, 0], [5, 0, 5, 0], kind="counts",
        smoothing=uniform_mix(0.1), base=10)
    add("uniform_mix_1em6_decimal_sum", [0.1, 0.2, 0.3, 0.4, 0.0], [0.0, 0.4, 0.3, 0.2, 0.1],
        smoothing=uniform_mix(1e-6))
    p = exact_simplex(with_zeros(rng, dirichlet(rng, 100, 0.5), 0.3), 53)
    q = exact_simplex(with_zeros(rng, dirichlet(rng, 100, 0.5), 0.3), 53)
    add("uniform_mix_0p01_dirichlet_n100", p, q, smoothing=uniform_mix(0.01))

    # -- generalized KL on unnormalised measures (no sum check) ----------------
    add("generalized_kl_unnormalised", [2, 3, 0.5, 0], [1, 4, 0.25, 2],
        only=["generalized_kl"])
    add("generalized_kl_unnormalised_inf", [2, 3, 0.5], [1, 0, 0.25],
        only=["generalized_kl"])
    add("generalized_kl_unnormalised_base2", [1e-3, 5, 7], [2e-3, 5, 6], base=2,
        only=["generalized_kl"])

    # -- float32 -------------------------------------------------------------------
    add("f32_basic_3", [0.2, 0.3, 0.5], [0.1, 0.4, 0.5], dtype="float32")
    add("f32_zero_every_combination", [0, 0, 0.25, 0.75, 0, 0.0],
        [0, 0.125, 0, 0.5, 0.375, 0.0], dtype="float32")
    add("f32_identical", [0.2, 0.3, 0.5], [0.2, 0.3, 0.5], dtype="float32")
    add("f32_subnormal", [1e-45, 1e-40, 0.25, 0.75], [0.25, 0.25, 0.25, 0.25], dtype="float32")
    add("f32_subnormal_in_q", [0.25, 0.25, 0.25, 0.25], [1e-45, 1e-40, 0.25, 0.75],
        dtype="float32")
    for n in (10, 100, 1000):
        p = exact_simplex([f32(x) for x in with_zeros(rng, dirichlet(rng, n, 1.0), 0.1)], 24)
        q = exact_simplex([f32(x) for x in dirichlet(rng, n, 1.0)], 24)
        add(f"f32_dirichlet_n{n}_zeros_in_p", p, q, dtype="float32")
    p = [f32(x) for x in with_zeros(rng, dirichlet(rng, 1000, 1.0), 0.05)]
    q = [f32(x) for x in dirichlet(rng, 1000, 1.0)]
    add("f32_dirichlet_n1000_rounded_sums", p, q, dtype="float32")
    p = exact_simplex([f32(x) for x in dirichlet(rng, 10, 2.0)], 24)
    q = exact_simplex([f32(x) for x in perturbed(rng, p, 1e-5)], 24)
    add("f32_close_1em05_exact_sum_n10", p, q, dtype="float32")
    add("f32_base2_basic_3", [0.2, 0.3, 0.5], [0.1, 0.4, 0.5], dtype="float32", base=2)
    add("f32_weights", [1, 2, 3, 4], [4, 3, 2, 1], dtype="float32", kind="weights")
    add("f32_counts_additive_0p5", [0, 3, 7, 0], [5, 0, 5, 0], dtype="float32",
        kind="counts", smoothing=additive(0.5))
    add("f32_uniform_mix_0p01", [0, 0.25, 0.75, 0], [0.5, 0, 0.5, 0], dtype="float32",
        smoothing=uniform_mix(0.01))
    c1 = [float(x) for x in rng.poisson(3.0, 100)]
    c2 = [float(x) for x in rng.poisson(3.0, 100)]
    add("f32_counts_poisson_n100_base10", c1,
        [x if x > 0 or c1[i] == 0 else 1.0 for i, x in enumerate(c2)], dtype="float32",
        kind="counts", base=10)


# ---------------------------------------------------------------------------


def encode(x):
    """JSON-ready: finite floats stay numbers (repr round-trips), non-finite
    ones become strings."""
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, dict):
        return {k: encode(v) for k, v in x.items()}
    if isinstance(x, list):
        return [encode(v) for v in x]
    return x


def main():
    out_path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DEFAULT
    mp.dps = MP_DPS
    build_cases()
    cases = []
    n_values = 0
    for case in CASES:
        exp, notes = compute_expected(case, MP_DPS)
        check, _ = compute_expected(case, CHECK_DPS)
        if json.dumps(encode(exp)) != json.dumps(encode(check)):
            raise AssertionError(f"{case['name']}: 60 and 100 digits round differently")
        sc = compute_scipy(case, exp)
        out = {k: case[k] for k in ("name", "dtype", "p", "q", "options")}
        out["expected"] = exp
        out["scipy"] = sc
        sp, sq = exact_sum(case["p"]), exact_sum(case["q"])
        if case["options"].get("kind", "probabilities") == "probabilities" and "only" not in case:
            if sp != 1 or sq != 1:
                notes.insert(0, f"sums off 1 by rounding: Σp - 1 = {float(sp - 1):.3g}, "
                                f"Σq - 1 = {float(sq - 1):.3g}")
        if case.get("note"):
            notes.insert(0, case["note"])
        if notes:
            out["notes"] = notes
        cases.append(out)

        def count(e):
            if isinstance(e, dict):
                return sum(count(v) for k, v in e.items() if k not in ("scale", "pi1", "pi2"))
            if isinstance(e, list):
                return sum(count(v) for v in e)
            return 1
        n_values += count(exp)

    doc = {
        "generator": "tools/gen_discrete_reference.py",
        "description": "Reference values for include/kldiv/discrete.hpp; format and "
                       "definitions in the generator's docstring.",
        "sources": {
            "expected": f"mpmath {mpmath.__version__} at {MP_DPS} digits (checked at "
                        f"{CHECK_DPS}) from the exact input values, correctly rounded to double",
            "scipy": f"SciPy {scipy.__version__} on the preprocessed inputs rounded to "
                     "double (cross-check only)",
        },
        "versions": {"python": sys.version.split()[0], "mpmath": mpmath.__version__,
                     "scipy": scipy.__version__, "numpy": np.__version__},
        "mp_dps": MP_DPS,
        "renyi_alphas": RENYI_ALPHAS,
        "cases": cases,
    }
    text = json.dumps(encode(doc), indent=None, separators=(",", ":"), allow_nan=False)
    # One case per line keeps diffs readable.
    text = text.replace(',{"name":', ',\n{"name":')
    out_path.write_text(text + "\n")
    print(f"{len(cases)} cases, {n_values} reference values, "
          f"{out_path.stat().st_size / 1e6:.2f} MB -> {out_path}")


if __name__ == "__main__":
    main()
