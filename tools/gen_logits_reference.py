#!/usr/bin/python3
"""Reference values for the divergences from logits (include/kldiv/logits.hpp).

Writes tests/data/logits_reference.json, which tests/test_logits_reference.cpp
checks the library against. Run with Debian's interpreter, which has numpy,
mpmath and PyTorch:

    /usr/bin/python3 tools/gen_logits_reference.py [output.json]

Where the values come from
--------------------------
* "expected": mpmath at mp.dps = 50 digits, straight from the definitions of
  the header, evaluated on the exact binary values of the stored inputs
  (mpmath.mpf(float) is exact; float32 cases hold float32 values, so that the
  float API sees exactly the same numbers):
    z = x / T (exact division at 50 digits), log P = a/T - lse(a/T),
    log Q = b/T - lse(b/T) with lse by its definition log sum exp (for
    log-probability inputs too: the header renormalises them by the tempered
    log-sum-exp), entries of -inf have probability exactly 0;
    kl = sum_{P>0} P (log P - log Q)    (+inf if some P > 0 has Q = 0),
    reverse_kl = the same with P and Q swapped,
    generalized_jsd(beta) = [beta KL(P||M) + (1-beta) KL(Q||M)] / (beta(1-beta))
      with M = beta P + (1-beta) Q for 0 < beta < 1, KL(P||Q) at beta = 0 and
      KL(Q||P) at beta = 1 (the header's continuous definition),
    cross_entropy = lse(b/T) - b_y/T (the logits are "b"),
  each row times T^2 when scale_by_t_squared, divided by ln(base); a masked
  row (or an ignored label) gives 0 and does not count; value = the sum of
  the valid rows (reduce none and sum) or their mean (0 when none is valid).
* Gradients d value / d b are derived analytically, in z = b / T:
    kl:              Q_k - P_k
    reverse_kl:      Q_k (L_k - KL(Q||P)),  L = log Q - log P (0 where Q_k = 0)
    generalized_jsd: Q_k (log(Q_k/M_k) - KL(Q||M)) / beta for 0 < beta < 1,
                     the kl / reverse_kl forms at beta = 0 / 1
    cross_entropy:   Q_k - [k == y]
  then times T^2 (if scaled) / (T ln base), / valid rows for mean; 0 in masked
  rows. Every stored gradient is checked in this script against a central
  finite difference of the mpmath value (h = 1e-20 at 80 digits: error
  ~1e-40; required agreement 1e-25) -- every entry for small vocabularies,
  a sample for large ones. In a row whose value is +inf the gradient is
  stored as null: the test then only asks that it is not NaN (the header
  promises that much, no particular value). Rows with P = Q exactly (b = a +
  a constant) are stored as exactly 0, value and gradient.
* Cross-check: PyTorch 1.13 in float64 on the same inputs --
  F.kl_div(log_softmax(b/T), log_softmax(a/T), log_target=True,
  reduction='none').sum(-1) for kl (swapped for reverse_kl; terms with a
  target of -inf, NaN in PyTorch, set to 0), F.cross_entropy with
  ignore_index, TRL's generalized_jsd_loss formula (logsumexp mixture, two
  kl_div) divided by beta (1 - beta) at interior beta, and autograd for every
  gradient. The script asserts agreement within 1e-12 relative plus a
  rounding floor of 64 eps (scale + magnitude) (see torch_check), so that the
  generator fails if the mathematics above is wrong. The test does not read
  PyTorch's values.

JSON format
-----------
{ "generator": ..., "description": ..., "versions": {...}, "mp_dps": 50,
  "cases": [
    { "name": "random_v37",            # unique
      "dtype": "float64" | "float32", # float32: also run through the float API
      "rows": R, "vocab": V,
      "a": [...], "b": [...],          # R*V row-major; b is also the logits of
                                       # cross_entropy; numbers or "-inf"
      "labels": [...],                 # present for cases with cross_entropy
      "evaluations": [
        { "measure": "kl" | "reverse_kl" | "generalized_jsd" | "cross_entropy",
          "options": { "beta": .., "temperature": .., "scale_by_t_squared": ..,
                       "reduce": "none"|"sum"|"mean", "base": 2.0,
                       "kind": "logits"|"log_probabilities",
                       "ignore_index": -100 },   # absent = default
          "mask": [1, 0, ...],         # absent = every row valid
          "accuracy": "relative",      # absent = normal (see below)
          "expected": {
            "rows": [...], "value": v, "valid_rows": n, "unit": "nats",
            "gradient": [...],         # R*V (or at gradient_at), null = not NaN
            "gradient_at": [...],      # flat indices, present for large vocab
            "scale": [...], "magnitude": [...],  # per row, for tolerances
            "normalisation": [...]     # log-probabilities at T = 1 only
          } } ] } ] }

Log-probabilities: the library checks them and then normalises them by their
log-sum-exp like logits, as this file does; the rows' deviation from
normalisation, |lse(a)| + |lse(b)| (~1e-8 for log-probabilities rounded to
float32), is stored as "normalisation" per row for information.

"scale" S of a row is, in nats before scaling, sum_k (P_k + Q_k) |log P_k -
log Q_k| over entries where both are > 0 plus (P_k + Q_k)(1 + |log of the
nonzero one|) where one is 0 (cross-entropy: |max z - z_y| + 1): the size of
the terms whose rounding any evaluation suffers. "magnitude" M is
max |x / T| over the row's finite entries of a and b, plus ln V: the size of
the log-probabilities and log-sum-exps, whose rounding (eps M) a naive
evaluation suffers. "accuracy": "relative" marks the nearly-equal rows whose
result (~1e-12) must be accurate relative to itself, not only to M.
Finite numbers are written with repr (round-trip exact); +-inf as strings.
"""

import json
import math
import sys
from pathlib import Path

import mpmath
import numpy as np
import torch
import torch.nn.functional as F
from mpmath import mp, mpf

MP_DPS = 50
FD_STEP = mpf(10) ** -20
EPS = 2.0**-52
BETAS = [0.0, 1e-6, 0.3, 0.5, 1 - 1e-6, 1.0]
OUT_DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "logits_reference.json"
NINF = -math.inf

mp.dps = MP_DPS

# ---------------------------------------------------------------------------
# mpmath definitions


def m(x):
    return mpmath.ninf if x == NINF else mpf(x)


def lse(z):
    fin = [x for x in z if x != mpmath.ninf]
    top = max(fin)
    return top + mpmath.log(mpmath.fsum(mpmath.exp(x - top) for x in fin))


def log_softmax(row, t):
    z = [x if x == mpmath.ninf else x / t for x in row]
    s = lse(z)
    return z, [x if x == mpmath.ninf else x - s for x in z]


def prob(lp):
    return [mpf(0) if x == mpmath.ninf else mpmath.exp(x) for x in lp]


def kl(lp, lq):
    """KL(P||Q) = sum_{P>0} P (log P - log Q); +inf where Q = 0 < P."""
    total = mpf(0)
    for x, y in zip(lp, lq):
        if x == mpmath.ninf:
            continue
        if y == mpmath.ninf:
            return mpmath.inf
        total += mpmath.exp(x) * (x - y)
    return total


def gjsd(lp, lq, beta):
    if beta == 0:
        return kl(lp, lq)
    if beta == 1:
        return kl(lq, lp)
    b = mpf(beta)
    p, q = prob(lp), prob(lq)
    total = mpf(0)
    for pk, qk in zip(p, q):
        mk = b * pk + (1 - b) * qk
        if pk > 0:
            total += b * pk * mpmath.log(pk / mk)
        if qk > 0:
            total += (1 - b) * qk * mpmath.log(qk / mk)
    return total / (b * (1 - b))


def row_value(measure, arow, brow, t, beta, label):
    """The row's value in nats, before T^2 and base."""
    if measure == "cross_entropy":
        z, lq = log_softmax(brow, t)
        return -lq[label] if lq[label] != mpmath.ninf else mpmath.inf
    _, lp = log_softmax(arow, t)
    _, lq = log_softmax(brow, t)
    if measure == "kl":
        return kl(lp, lq)
    if measure == "reverse_kl":
        return kl(lq, lp)
    return gjsd(lp, lq, beta)


def row_gradient_z(measure, arow, brow, t, beta, label):
    """d row_value / d z (z = b / T), analytically."""
    _, lq = log_softmax(brow, t)
    q = prob(lq)
    if measure == "cross_entropy":
        return [q[k] - (1 if k == label else 0) for k in range(len(q))]
    _, lp = log_softmax(arow, t)
    p = prob(lp)
    if measure == "kl" or (measure == "generalized_jsd" and beta == 0):
        return [qk - pk for pk, qk in zip(p, q)]
    if measure == "reverse_kl" or (measure == "generalized_jsd" and beta == 1):
        r = kl(lq, lp)
        return [mpf(0) if q[k] == 0 else q[k] * ((lq[k] - lp[k]) - r) for k in range(len(q))]
    b = mpf(beta)
    mix = [b * pk + (1 - b) * qk for pk, qk in zip(p, q)]
    kqm = mpmath.fsum(qk * mpmath.log(qk / mk) for qk, mk in zip(q, mix) if qk > 0)
    return [mpf(0) if q[k] == 0 else q[k] * (mpmath.log(q[k] / mix[k]) - kqm) / b
            for k in range(len(q))]


def same_softmax(arow, brow):
    """Whether b = a + c entrywise (the same -inf entries): then P = Q."""
    if [x == mpmath.ninf for x in arow] != [y == mpmath.ninf for y in brow]:
        return False
    diffs = {y - x for x, y in zip(arow, brow) if x != mpmath.ninf}
    return len(diffs) == 1


def row_scale(measure, arow, brow, t, label):
    if measure == "cross_entropy":
        z, _ = log_softmax(brow, t)
        fin = [x for x in z if x != mpmath.ninf]
        if z[label] == mpmath.ninf:
            return math.inf
        return float(max(fin) - z[label] + 1)
    _, lp = log_softmax(arow, t)
    _, lq = log_softmax(brow, t)
    s = mpf(0)
    for x, y in zip(lp, lq):
        if x == mpmath.ninf and y == mpmath.ninf:
            continue
        if x == mpmath.ninf or y == mpmath.ninf:
            nz = y if x == mpmath.ninf else x
            s += mpmath.exp(nz) * (1 + abs(nz))
        else:
            s += (mpmath.exp(x) + mpmath.exp(y)) * abs(x - y)
    return float(s)


def row_magnitude(arow, brow, t):
    fin = [abs(float(x)) for x in list(arow) + list(brow) if x != NINF]
    return max(fin) / t + math.log(len(arow))


# ---------------------------------------------------------------------------
# Evaluations


def factors(opt, n_valid):
    """(value factor, gradient factor w.r.t. b) of a valid row."""
    t = opt.get("temperature", 1.0)
    s = mpf(t) ** 2 if opt.get("scale_by_t_squared", False) else mpf(1)
    lnb = mpmath.log(mpf(opt["base"])) if "base" in opt else mpf(1)
    f = s / lnb
    g = f / mpf(t)
    if opt.get("reduce", "mean") == "mean" and n_valid > 0:
        g = g / n_valid
    return f, g


def unit(opt):
    b = opt.get("base")
    return {None: "nats", 2.0: "bits", 10.0: "hartleys"}[b]


def to_json(x):
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    assert not math.isnan(x)
    return x


def evaluate(case, ev, rng):
    """Fills ev["expected"]; returns the mpmath gradient for checks."""
    rows, vocab = case["rows"], case["vocab"]
    a, b = case["a_num"], case["b_num"]
    measure, opt = ev["measure"], ev.setdefault("options", {})
    t = opt.get("temperature", 1.0)
    beta = opt.get("beta", 0.5)
    mask = ev.get("mask", [1] * rows)
    labels = case.get("labels", [0] * rows)
    ignore = opt.get("ignore_index")
    valid = [bool(mask[r]) and not (measure == "cross_entropy" and labels[r] == ignore)
             for r in range(rows)]
    n_valid = sum(valid)
    f, g = factors(opt, n_valid)
    out_rows, grad, scale, mag = [], [], [], []
    grad_mp = []
    for r in range(rows):
        arow = [m(x) for x in a[r * vocab:(r + 1) * vocab]]
        brow = [m(x) for x in b[r * vocab:(r + 1) * vocab]]
        scale.append(row_scale(measure, arow, brow, t, labels[r]) if valid[r] else 0.0)
        mag.append(row_magnitude(a[r * vocab:(r + 1) * vocab], b[r * vocab:(r + 1) * vocab], t))
        if not valid[r]:
            out_rows.append(mpf(0))
            grad_mp.extend([mpf(0)] * vocab)
            continue
        if measure != "cross_entropy" and same_softmax(arow, brow):
            # P = Q (b = a + a constant): every divergence and its gradient
            # are exactly 0 (mpmath's two log-sum-exps, or M = beta P +
            # (1 - beta) P, carry rounding at 1e-50).
            out_rows.append(mpf(0))
            grad_mp.extend([mpf(0)] * vocab)
            continue
        v = row_value(measure, arow, brow, t, beta, labels[r])
        out_rows.append(v * f if v != mpmath.inf else v)
        if v == mpmath.inf:
            grad_mp.extend([None] * vocab)
        else:
            grad_mp.extend([gz * g for gz in row_gradient_z(measure, arow, brow, t, beta,
                                                            labels[r])])
    for x in out_rows:
        assert x >= 0 or abs(x) < mpf(10) ** -40, (case["name"], ev, x)
    total = mpmath.fsum(out_rows) if all(x != mpmath.inf for x in out_rows) else mpmath.inf
    red = opt.get("reduce", "mean")
    value = total / n_valid if red == "mean" and n_valid > 0 and total != mpmath.inf else total
    if red == "mean" and n_valid == 0:
        value = mpf(0)
    exp = {
        "rows": [to_json(x) for x in out_rows],
        "value": to_json(value),
        "valid_rows": n_valid,
        "unit": unit(opt),
    }
    if vocab >= 1000:
        idx = set(rng.choice(rows * vocab, size=40, replace=False).tolist())
        for r in range(rows):
            row = b[r * vocab:(r + 1) * vocab]
            idx.add(r * vocab + int(np.argmax(row)))
            idx.add(r * vocab + int(np.argmin(row)))
            if measure == "cross_entropy" and 0 <= labels[r] < vocab:
                idx.add(r * vocab + labels[r])
        idx = sorted(idx)
        exp["gradient_at"] = idx
        exp["gradient"] = [None if grad_mp[i] is None else to_json(grad_mp[i]) for i in idx]
    else:
        exp["gradient"] = [None if x is None else to_json(x) for x in grad_mp]
    exp["scale"] = [to_json(s) for s in scale]
    exp["magnitude"] = [to_json(x) for x in mag]
    if opt.get("kind") == "log_probabilities" and t == 1.0:
        # |lse(a)| + |lse(b)| of the given log-probabilities: how far a row is
        # from normalised (see "Log-probabilities at T = 1" above).
        dev = []
        for r in range(rows):
            d = mpf(0)
            for x in (a[r * vocab:(r + 1) * vocab], b[r * vocab:(r + 1) * vocab]):
                d += abs(lse([m(v) for v in x]))
            dev.append(to_json(d))
        exp["normalisation"] = dev
    ev["expected"] = exp
    fd_check(case, ev, grad_mp, valid, n_valid, rng)
    return grad_mp


def row_function(case, ev, r, n_valid):
    """Row r's contribution to the reduced value as a function of its b row
    (mpmath): the rows are independent, so d value / d b[r] is its gradient."""
    vocab = case["vocab"]
    opt = ev["options"]
    labels = case.get("labels", [0] * case["rows"])
    f, _ = factors(opt, n_valid)
    if opt.get("reduce", "mean") == "mean" and n_valid > 0:
        f /= n_valid
    arow = [m(x) for x in case["a_num"][r * vocab:(r + 1) * vocab]]

    def value(brow):
        return f * row_value(ev["measure"], arow, brow, opt.get("temperature", 1.0),
                             opt.get("beta", 0.5), labels[r])

    return value


def fd_check(case, ev, grad_mp, valid, n_valid, rng):
    rows, vocab = case["rows"], case["vocab"]
    bflat = [m(x) for x in case["b_num"]]
    candidates = [i for i in range(rows * vocab)
                  if grad_mp[i] is not None and bflat[i] != mpmath.ninf and valid[i // vocab]]
    if vocab > 40:
        if not candidates:
            return
        candidates = sorted(rng.choice(candidates, size=min(4, len(candidates)),
                                       replace=False).tolist())
    for i in candidates:
        plus = list(bflat)
        minus = list(bflat)
        # 30 more digits: the generalized JSD near beta = 0 or 1 cancels ~6
        # digits, and the difference loses 20 more.
        with mp.workdps(MP_DPS + 30):
            plus[i] += FD_STEP
            minus[i] -= FD_STEP
            r = i // vocab
            fun = row_function(case, ev, r, n_valid)
            row = slice(r * vocab, (r + 1) * vocab)
            fd = (fun(plus[row]) - fun(minus[row])) / (2 * FD_STEP)
        assert abs(fd - grad_mp[i]) <= mpf(10) ** -25 * (1 + abs(grad_mp[i])), (
            case["name"], ev["measure"], i, fd, grad_mp[i])
    # Where b_k = -inf, Q_k = 0 and every formula gives 0 (unless the row is
    # infinite): the value does not depend on b_k near -inf.
    for i in range(rows * vocab):
        if bflat[i] == mpmath.ninf and grad_mp[i] is not None:
            assert grad_mp[i] == 0


# ---------------------------------------------------------------------------
# PyTorch cross-check (float64)


def torch_check(case, ev):
    rows, vocab = case["rows"], case["vocab"]
    opt, measure = ev["options"], ev["measure"]
    exp = ev["expected"]
    t = opt.get("temperature", 1.0)
    beta = opt.get("beta", 0.5)
    mask = torch.tensor(ev.get("mask", [1] * rows), dtype=torch.bool)
    a = torch.tensor(case["a_num"], dtype=torch.float64).reshape(rows, vocab)
    b = torch.tensor(case["b_num"], dtype=torch.float64).reshape(rows, vocab).requires_grad_(True)
    if measure == "cross_entropy":
        labels = torch.tensor(case["labels"], dtype=torch.int64)
        ignore = opt.get("ignore_index", -100)
        labels = torch.where(mask, labels, torch.full_like(labels, ignore))
        per_row = F.cross_entropy(b / t, labels, ignore_index=ignore, reduction="none")
        valid = labels != ignore
    else:
        la = F.log_softmax(a / t, dim=-1)
        lb = F.log_softmax(b / t, dim=-1)

        def kl_terms(lq, lp):
            """KL(P || Q) summed over the row. PyTorch's term is NaN where
            lp = -inf (and so is its backward, even when masked out): a
            finite stand-in there, then 0."""
            zero = torch.isneginf(lp)
            lp_s = torch.where(zero, torch.zeros_like(lp), lp)
            lq_s = torch.where(zero, torch.zeros_like(lq), lq)
            terms = F.kl_div(lq_s, lp_s, log_target=True, reduction="none")
            return torch.where(zero, torch.zeros_like(terms), terms).sum(-1)

        if measure == "kl" or (measure == "generalized_jsd" and beta == 0):
            per_row = kl_terms(lb, la)
        elif measure == "reverse_kl" or (measure == "generalized_jsd" and beta == 1):
            per_row = kl_terms(la, lb)
        else:
            # TRL's generalized_jsd_loss (teacher = a, student = b), then the
            # header's 1 / (beta (1 - beta)).
            bt = torch.tensor(beta, dtype=torch.float64)
            # (Where both are -inf, logsumexp's backward is NaN: a finite
            # stand-in there, then -inf.)
            both = torch.isneginf(la) & torch.isneginf(lb)
            la_s = torch.where(both, torch.zeros_like(la), la)
            lb_s = torch.where(both, torch.zeros_like(lb), lb)
            mix = torch.logsumexp(torch.stack([lb_s + torch.log(1 - bt), la_s + torch.log(bt)]),
                                  dim=0)
            mix = torch.where(both, torch.full_like(mix, -math.inf), mix)
            per_row = (beta * kl_terms(mix, la) + (1 - beta) * kl_terms(mix,
                                                                        lb)) / (beta * (1 - beta))
        valid = mask
    if opt.get("scale_by_t_squared", False):
        per_row = per_row * t * t
    if "base" in opt:
        per_row = per_row / math.log(opt["base"])
    per_row = torch.where(valid, per_row, torch.zeros_like(per_row))
    n = int(valid.sum())
    total = per_row.sum()
    value = total / n if opt.get("reduce", "mean") == "mean" and n > 0 else total
    finite = torch.isfinite(per_row)
    # Gradient of the finite rows only (an infinite row's is not compared).
    red = per_row[finite].sum()
    if opt.get("reduce", "mean") == "mean" and n > 0:
        red = red / n
    grad = None
    if red.requires_grad:
        (grad,) = torch.autograd.grad(red, b, allow_unused=True)
    if grad is None:
        grad = torch.zeros_like(b)
    grad = torch.where(mask[:, None], grad, torch.zeros_like(grad))
    kappa = 1.0 / min(beta, 1 - beta) if measure == "generalized_jsd" and 0 < beta < 1 else 1.0
    f = (t * t if opt.get("scale_by_t_squared",
                          False) else 1.0) / (math.log(opt["base"]) if "base" in opt else 1.0)

    def close(got, want, floor):
        if isinstance(want, str):
            return got == float(want)
        return abs(got - want) <= 1e-12 * abs(want) + floor

    scale = [float(x) for x in exp["scale"]]
    pr = per_row.detach().numpy()
    for r in range(rows):
        floor = 64 * EPS * kappa * f * (scale[r] + exp["magnitude"][r])
        assert close(float(pr[r]), exp["rows"][r], floor), (case["name"], ev, r, float(pr[r]),
                                                            exp["rows"][r])
    floor_sum = sum(64 * EPS * kappa * f * (scale[r] + exp["magnitude"][r]) for r in range(rows))
    assert close(float(value), exp["value"], floor_sum), (case["name"], ev, float(value),
                                                          exp["value"])
    assert n == exp["valid_rows"]
    g = grad.detach().numpy().reshape(-1)
    idx = exp.get("gradient_at", range(rows * vocab))
    gf = f / t / (n if opt.get("reduce", "mean") == "mean" and n > 0 else 1)
    for i, want in zip(idx, exp["gradient"]):
        if want is None:
            continue
        floor = 64 * EPS * kappa * gf * (1 + exp["magnitude"][i // vocab])
        assert close(float(g[i]), want, floor), (case["name"], ev["measure"], opt, i, float(g[i]),
                                                 want)


# ---------------------------------------------------------------------------
# Cases


def as_f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def quantised(x, step=64):
    """Values on a grid of 1/step: exact in float32 and short in decimal."""
    return np.round(np.asarray(x) * step) / step


def make_case(name, a, b, dtype="float64", labels=None, evaluations=()):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape and a.ndim == 2
    if dtype == "float32":
        assert np.all((as_f32(a) == a) | np.isneginf(a)), name
        assert np.all((as_f32(b) == b) | np.isneginf(b)), name
    for x in (a, b):
        assert not np.isnan(x).any() and not np.isposinf(x).any()
    case = {
        "name": name,
        "dtype": dtype,
        "rows": int(a.shape[0]),
        "vocab": int(a.shape[1]),
        "a_num": [float(x) for x in a.reshape(-1)],
        "b_num": [float(x) for x in b.reshape(-1)],
        "evaluations": [dict(e) for e in evaluations],
    }
    if labels is not None:
        case["labels"] = [int(x) for x in labels]
    return case


def divergences(opts, betas=BETAS, extra=None):
    """kl, reverse_kl and generalized_jsd at each beta, for each options."""
    out = []
    for o in opts:
        out.append({"measure": "kl", "options": dict(o)})
        out.append({"measure": "reverse_kl", "options": dict(o)})
        for beta in betas:
            out.append({"measure": "generalized_jsd", "options": dict(o, beta=beta)})
    return out + list(extra or [])


def build_cases():
    rng = np.random.default_rng(20240611)
    cases = []

    # Random rows of several vocabularies, float32-exact.
    small_opts = [
        {},
        {"reduce": "none"},
        {"reduce": "sum", "temperature": 2.0},
        {"reduce": "mean", "temperature": 0.5, "scale_by_t_squared": True},
        {"reduce": "none", "temperature": 10.0, "scale_by_t_squared": True},
    ]
    for vocab, rows, sd in [(1, 3, 1.0), (2, 4, 1.5), (5, 3, 2.0), (37, 4, 3.0)]:
        a = as_f32(rng.normal(0, sd, (rows, vocab)))
        b = as_f32(rng.normal(0, sd, (rows, vocab)))
        labels = rng.integers(0, vocab, rows)
        ce = [{"measure": "cross_entropy", "options": dict(o)} for o in small_opts]
        cases.append(make_case(f"random_v{vocab}", a, b, "float32", labels, divergences(small_opts,
                                                                                        extra=ce)))

    # Large vocabularies (values on a 1/64 grid keep the file small).
    for vocab, rows in [(1000, 2), (4099, 1)]:
        a = quantised(rng.normal(0, 3, (rows, vocab)))
        b = quantised(a + rng.normal(0, 1, (rows, vocab)))
        labels = rng.integers(0, vocab, rows)
        opts = [{"reduce": "none"}, {"temperature": 2.0, "scale_by_t_squared": True}]
        ce = [{"measure": "cross_entropy", "options": {"reduce": "sum"}}]
        cases.append(make_case(f"random_v{vocab}", a, b, "float32", labels,
                               divergences(opts, betas=[0.0, 0.5, 1.0], extra=ce)))

    # Logits of +-1e4: no overflow, finite answers.
    noise = lambda: quantised(rng.normal(0, 3, 7))  # noqa: E731
    a = np.array([1e4 + noise(), -1e4 + noise(), [1e4, -1e4, 0.0, 5e3, 1e4 - 1, -5e3, 9999.5]])
    b = np.array([1e4 + noise(), -1e4 + noise(), [1e4 - 2, -1e4, 1.0, 5e3, 1e4, 1e4 - 0.25,
                                                  -9999.5]])
    opts = [{"reduce": "none"}, {"reduce": "none", "temperature": 0.5}, {"reduce": "sum",
                                                                         "temperature": 10.0}]
    ce = [{"measure": "cross_entropy", "options": dict(o)} for o in opts]
    cases.append(make_case("large_logits", a, b, "float32", [3, 2, 4], divergences(opts, extra=ce)))

    # -inf entries: in a only, in b only, in both, mixed, a one-hot P.
    ni = NINF
    a = np.array([
        [0.5, ni, 1.0, ni, -0.25, 2.0],
        [0.5, 1.5, 1.0, -1.0, -0.25, 2.0],
        [0.5, ni, 1.0, ni, -0.25, 2.0],
        [ni, 1.5, ni, -1.0, 0.75, 2.0],
        [0.0, ni, ni, ni, ni, ni],
    ])
    b = np.array([
        [1.0, 0.5, -1.5, 0.25, 0.0, 1.0],
        [1.0, ni, -1.5, ni, 0.0, 1.0],
        [1.0, ni, -1.5, ni, 0.0, 1.0],
        [ni, 0.5, 2.0, ni, 0.0, 1.0],
        [1.0, 0.5, -1.5, 0.25, 0.0, 1.0],
    ])
    labels = [2, 1, 0, 0, 5]  # row 1: the label's logit is -inf (infinite CE)
    opts = [{"reduce": "none"}, {"reduce": "sum", "temperature": 2.0}]
    ev = divergences(opts)
    # Masking the rows whose KL or reverse KL is infinite gives finite means.
    ev += [{"measure": "kl", "options": {"reduce": "mean"}, "mask": [1, 0, 1, 0, 1]},
           {"measure": "reverse_kl", "options": {"reduce": "mean"}, "mask": [0, 1, 1, 0, 0]},
           {"measure": "generalized_jsd", "options": {"reduce": "mean", "beta": 0.5}}]
    ev += [{"measure": "cross_entropy", "options": {"reduce": "none"}},
           {"measure": "cross_entropy", "options": {"reduce": "mean"}, "mask": [1, 0, 1, 1, 1]}]
    cases.append(make_case("neg_inf", a, b, "float32", labels, ev))

    # a == b: exactly 0; a = b + constant: 0 up to rounding.
    a = quantised(rng.normal(0, 2, (3, 11)), 4096)
    opts = [{"reduce": "none"}, {"reduce": "none", "temperature": 10.0}]
    cases.append(make_case("equal", a, a.copy(), "float32", None, divergences(opts)))
    cases.append(make_case("shifted", a, a + 3.5, "float32", None, divergences(opts)))

    # Nearly equal rows: KL ~ 1e-12, relative accuracy matters.
    a = as_f32(rng.normal(0, 1, (3, 50)))
    b = as_f32(a + rng.normal(0, 1.5e-6, a.shape))
    ev = []
    for o in [{"reduce": "none"}, {"reduce": "none", "temperature": 2.0}]:
        ev += [{"measure": "kl", "options": dict(o), "accuracy": "relative"},
               {"measure": "reverse_kl", "options": dict(o), "accuracy": "relative"},
               {"measure": "generalized_jsd", "options": dict(o, beta=0.5)}]
    cases.append(make_case("near_equal_f32", a, b, "float32", None, ev))
    a = rng.normal(0, 1, (2, 20))
    b = a + rng.normal(0, 1.4e-6, a.shape)
    cases.append(make_case("near_equal_f64", a, b, "float64", None,
                           [{"measure": "kl", "options": {"reduce": "none"},
                             "accuracy": "relative"},
                            {"measure": "reverse_kl", "options": {"reduce": "none"},
                             "accuracy": "relative"}]))

    # Temperatures, with and without T^2.
    a = as_f32(rng.normal(0, 2, (3, 9)))
    b = as_f32(rng.normal(0, 2, (3, 9)))
    opts = [{"reduce": "none", "temperature": t, "scale_by_t_squared": s} for t in [0.5, 1.0, 2.0,
                                                                                    10.0]
            for s in [False, True]]
    ev = []
    for o in opts:
        ev += [{"measure": "kl", "options": dict(o)}, {"measure": "reverse_kl", "options": dict(o)},
               {"measure": "generalized_jsd", "options": dict(o, beta=0.3)},
               {"measure": "cross_entropy", "options": dict(o)}]
    cases.append(make_case("temperatures", a, b, "float32", rng.integers(0, 9, 3), ev))

    # Log-probability inputs (rounded log_softmax; float32 and float64).
    for dtype in ["float64", "float32"]:
        la = rng.normal(0, 2, (3, 8))
        lb = rng.normal(0, 2, (3, 8))
        la[1, 2] = NINF
        lb[2, 5] = NINF
        la[2, 5] = NINF
        rounder = as_f32 if dtype == "float32" else (lambda x: x)
        rows_a, rows_b = [], []
        for ra, rb in zip(la, lb):
            _, lpa = log_softmax([m(x) for x in ra], 1.0)
            _, lpb = log_softmax([m(x) for x in rb], 1.0)
            rows_a.append([NINF if x == mpmath.ninf else float(x) for x in lpa])
            rows_b.append([NINF if x == mpmath.ninf else float(x) for x in lpb])
        a = np.where(np.isneginf(rows_a), NINF, rounder(np.array(rows_a)))
        b = np.where(np.isneginf(rows_b), NINF, rounder(np.array(rows_b)))
        opts = [{"reduce": "none", "kind": "log_probabilities"},
                {"reduce": "mean", "kind": "log_probabilities", "temperature": 2.0,
                 "scale_by_t_squared": True}]
        ce = [{"measure": "cross_entropy", "options": dict(o)} for o in opts]
        cases.append(make_case(f"log_probs_{dtype[-2:]}", a, b, dtype, rng.integers(0, 5, 3),
                               divergences(opts, betas=[0.0, 0.5, 1.0], extra=ce)))

    # Masks and reductions, all masked.
    a = as_f32(rng.normal(0, 2, (5, 8)))
    b = as_f32(rng.normal(0, 2, (5, 8)))
    labels = rng.integers(0, 8, 5)
    labels[3] = -100
    ev = []
    for red in ["none", "sum", "mean"]:
        for mask in [[1, 0, 1, 1, 0], [0, 0, 0, 0, 0]]:
            for meas in ["kl", "reverse_kl", "generalized_jsd"]:
                ev.append({"measure": meas, "options": {"reduce": red, "beta": 0.3}, "mask": mask})
            ev.append({"measure": "cross_entropy", "options": {"reduce": red,
                                                               "ignore_index": -100}, "mask": mask})
        ev.append({"measure": "cross_entropy", "options": {"reduce": red, "ignore_index": -100}})
        ev.append({"measure": "kl", "options": {"reduce": red}})
    # Every label ignored: no valid row.
    cases.append(make_case("masks", a, b, "float32", labels, ev))
    cases.append(make_case("all_ignored", a[:2], b[:2], "float32", [-100, -100],
                           [{"measure": "cross_entropy", "options": {"reduce": r,
                                                                     "ignore_index": -100}}
                            for r in ["none", "sum", "mean"]]))

    # Bases 2 and 10.
    a = rng.normal(0, 2, (2, 6))
    b = rng.normal(0, 2, (2, 6))
    ev = []
    for base in [2.0, 10.0]:
        o = {"reduce": "none", "base": base}
        ev += [{"measure": "kl", "options": dict(o)}, {"measure": "reverse_kl", "options": dict(o)},
               {"measure": "generalized_jsd", "options": dict(o, beta=0.5)},
               {"measure": "cross_entropy", "options": dict(o)},
               {"measure": "kl",
                "options": dict(o, reduce="mean", temperature=2.0, scale_by_t_squared=True)}]
    cases.append(make_case("bases", a, b, "float64", [1, 4], ev))
    return cases


def num(x):
    return "-inf" if x == NINF else x


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DEFAULT
    rng = np.random.default_rng(7)
    cases = build_cases()
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names)
    n_eval = 0
    for case in cases:
        for ev in case["evaluations"]:
            evaluate(case, ev, rng)
            torch_check(case, ev)
            n_eval += 1
        # The promises the test relies on, checked on the reference itself.
        if case["name"] == "equal":
            for ev in case["evaluations"]:
                assert all(x == 0 for x in ev["expected"]["rows"])
    doc = {
        "generator": "tools/gen_logits_reference.py",
        "description": "Divergences between softmaxes of logits rows, their reductions and "
                       "gradients, computed in mpmath (see the generator's docstring).",
        "versions": {"mpmath": mpmath.__version__, "numpy": np.__version__,
                     "torch": torch.__version__},
        "mp_dps": MP_DPS,
        "cases": [],
    }
    for case in cases:
        c = {k: v for k, v in case.items() if not k.endswith("_num")}
        c["a"] = [num(x) for x in case["a_num"]]
        c["b"] = [num(x) for x in case["b_num"]]
        c["evaluations"] = case["evaluations"]
        doc["cases"].append(c)
    text = json.dumps(doc, separators=(",", ":"))
    out.write_text(text + "\n")
    print(f"wrote {out}: {len(cases)} cases, {n_eval} evaluations, {len(text) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
