"""kldiv's divergences from logits against PyTorch (float64, autograd for the
gradients): kl_from_logits, reverse_kl_from_logits,
generalized_jsd_from_logits and cross_entropy_from_logits, in float32 and
float64, one row and batch dimensions, temperatures, masks, reductions, -inf
entries, large logits, and the messages of bad input.

The references compute in float64 from the same values (float32 inputs are
converted exactly). Tolerances: float64 1e-12 relative plus a small absolute
floor (1e-13 times the size of the logits: a log-sum-exp of logits of size L
is only known to eps L, and PyTorch, the reference, is itself a float64
computation); float32 inputs are accumulated in double by kldiv, so the values
are as accurate, but the gradient is returned in float32: 2e-7 relative to
the largest entry of its row."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import kldiv

RTOL = 1e-12
DTYPES = [np.float64, np.float32]
SHAPES = [(7,), (4, 9), (2, 3, 50)]


def logits(rng, shape, dtype, sd=2.0):
    return rng.normal(0.0, sd, shape).astype(dtype)


def t64(x):
    return torch.from_numpy(np.asarray(x, dtype=np.float64).copy())


def kl_terms(lq, lp):
    """KL(P || Q) per row from log-probabilities. PyTorch's kl_div term (and
    its backward) is NaN where lp = -inf (0 * -inf): there the term is 0 by
    the convention 0 log 0 = 0, computed from finite stand-ins."""
    zero = torch.isneginf(lp)
    lp_s = torch.where(zero, torch.zeros_like(lp), lp)
    lq_s = torch.where(zero, torch.zeros_like(lq), lq)
    terms = F.kl_div(lq_s, lp_s, log_target=True, reduction="none")
    return torch.where(zero, torch.zeros_like(terms), terms).sum(-1)


def torch_rows(measure, a, b, temperature=1.0, beta=0.5):
    """Per-row values (float64 tensor, differentiable in b) of a measure."""
    la = F.log_softmax(a / temperature, dim=-1)
    lb = F.log_softmax(b / temperature, dim=-1)
    if measure == "kl":
        return kl_terms(lb, la)
    if measure == "reverse_kl":
        return kl_terms(la, lb)
    assert measure == "generalized_jsd"
    if beta == 0:
        return kl_terms(lb, la)
    if beta == 1:
        return kl_terms(la, lb)
    # TRL's generalized_jsd_loss (teacher = a, student = b): the mixture
    # M = beta P + (1 - beta) Q in log space, beta KL(P||M) + (1-beta) KL(Q||M);
    # kldiv's definition is that divided by beta (1 - beta).
    bt = torch.tensor(beta, dtype=torch.float64)
    both = torch.isneginf(la) & torch.isneginf(lb)
    la_s = torch.where(both, torch.zeros_like(la), la)
    lb_s = torch.where(both, torch.zeros_like(lb), lb)
    mix = torch.logsumexp(torch.stack([lb_s + torch.log(1 - bt), la_s + torch.log(bt)]), dim=0)
    mix = torch.where(both, torch.full_like(mix, -math.inf), mix)
    jsd = beta * kl_terms(mix, la) + (1 - beta) * kl_terms(mix, lb)
    return jsd / (beta * (1 - beta))


def torch_reference(measure, a, b, *, temperature=1.0, scale_by_t_squared=False,
                    reduction="mean", mask=None, base=None, beta=0.5, labels=None,
                    ignore_index=None):
    """(value as kldiv returns it, gradient d value / d b) from PyTorch."""
    a_t = t64(a)
    b_t = t64(b).requires_grad_(True)
    batch = b_t.shape[:-1]
    if mask is None:
        valid = torch.ones(batch, dtype=torch.bool)
    else:
        valid = torch.from_numpy(np.asarray(mask, bool))
    if measure == "cross_entropy":
        y = torch.from_numpy(np.asarray(labels, dtype=np.int64))
        ii = -100 if ignore_index is None else ignore_index
        y = torch.where(valid, y, torch.full_like(y, ii))
        flat = F.cross_entropy((b_t / temperature).reshape(-1, b_t.shape[-1]), y.reshape(-1),
                               ignore_index=ii, reduction="none")
        rows = flat.reshape(batch)
        valid = y != ii
    else:
        rows = torch_rows(measure, a_t, b_t, temperature, beta)
    if scale_by_t_squared:
        rows = rows * temperature**2
    if base is not None:
        rows = rows / math.log(base)
    rows = torch.where(valid, rows, torch.zeros_like(rows))
    n = int(valid.sum())
    if reduction == "none":
        value = rows
        total = rows.sum()
    elif reduction == "sum":
        value = total = rows.sum()
    else:
        value = total = rows.sum() / n if n else rows.sum() * 0
    (grad,) = torch.autograd.grad(total, b_t)
    out = value.detach().numpy()
    return (float(out) if out.ndim == 0 else out), grad.numpy()


def floor(a, b):
    """The absolute floor: eps times 64 times the size of the logits."""
    x = np.concatenate([np.ravel(a), np.ravel(b)]).astype(np.float64)
    fin = x[np.isfinite(x)]
    return 64 * 2.0**-52 * (1.0 + float(np.abs(fin).max()) + math.log(np.shape(b)[-1] + 1))


def assert_value(got, want, atol):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    assert not np.isnan(got).any()
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want))
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=RTOL, atol=atol)


def assert_grad(got, want, atol, dtype, row_scale=None):
    assert got.dtype == dtype
    assert got.shape == want.shape
    assert not np.isnan(got).any()
    want = np.asarray(want, dtype=np.float64)
    got = got.astype(np.float64)
    if dtype == np.float32:
        # Rounded to float32 at the end: 2e-7 of the largest entry of the row.
        scale = np.abs(want).max(axis=-1, keepdims=True) if row_scale is None else row_scale
        assert np.all(np.abs(got - want) <= 1e-6 * np.abs(want) + 2e-7 * scale + 1e-40)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=atol)


MEASURES = [("kl", {}), ("reverse_kl", {}), ("generalized_jsd", {"beta": 0.0}),
            ("generalized_jsd", {"beta": 0.1}), ("generalized_jsd", {"beta": 0.3}),
            ("generalized_jsd", {"beta": 0.5}), ("generalized_jsd", {"beta": 0.9}),
            ("generalized_jsd", {"beta": 1.0})]


def kappa_of(extra):
    """The condition of the generalized JSD near its ends: an error of eps in
    its bracket becomes eps / beta after the division by beta (1 - beta)."""
    beta = extra.get("beta", 0.0)
    return 1.0 / min(beta, 1 - beta) if 0 < beta < 1 else 1.0


def call(measure, a, b, **kw):
    if measure == "kl":
        return kldiv.kl_from_logits(a, b, **kw)
    if measure == "reverse_kl":
        return kldiv.reverse_kl_from_logits(a, b, **kw)
    return kldiv.generalized_jsd_from_logits(a, b, **kw)


@pytest.mark.parametrize("measure,extra", MEASURES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_divergences_against_torch(measure, extra, shape, dtype, reduction):
    rng = np.random.default_rng(hash((measure, shape, reduction)) % 2**32)
    a = logits(rng, shape, dtype)
    b = logits(rng, shape, dtype)
    got, grad = call(measure, a, b, reduction=reduction, return_grad=True, **extra)
    want, want_grad = torch_reference(measure, a, b, reduction=reduction, **extra)
    if reduction == "none" and len(shape) == 1:
        assert isinstance(got, float)
    elif reduction != "none":
        assert isinstance(got, float)
    kappa = kappa_of(extra)
    assert_value(got, want, kappa * floor(a, b))
    assert_grad(grad, want_grad, kappa * floor(a, b), dtype)
    # Without return_grad: the value alone, the same.
    alone = call(measure, a, b, reduction=reduction, **extra)
    np.testing.assert_array_equal(alone, got)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 10.0])
@pytest.mark.parametrize("scale", [False, True])
@pytest.mark.parametrize("measure,extra", [("kl", {}), ("reverse_kl", {}),
                                           ("generalized_jsd", {"beta": 0.5})])
def test_temperature_and_t_squared(temperature, scale, measure, extra):
    rng = np.random.default_rng(11)
    a = logits(rng, (3, 20), np.float64, sd=4.0)
    b = logits(rng, (3, 20), np.float64, sd=4.0)
    kw = dict(temperature=temperature, scale_by_t_squared=scale,
              reduction="none", **extra)
    got, grad = call(measure, a, b, return_grad=True, **kw)
    want, want_grad = torch_reference(measure, a, b, **kw)
    s = (temperature**2 if scale else 1.0) * 4
    assert_value(got, want, s * floor(a, b))
    assert_grad(grad, want_grad, s * floor(a, b), np.float64)


def test_generalized_jsd_is_trl_divided_by_beta_one_minus_beta():
    """TRL's generalized_jsd_loss (unscaled, reduction 'sum' over tokens)
    equals beta (1 - beta) times kldiv's value at interior beta."""
    rng = np.random.default_rng(3)
    a = logits(rng, (5, 30), np.float64)
    b = logits(rng, (5, 30), np.float64)
    for beta in [0.1, 0.3, 0.5, 0.7, 0.9]:
        la = F.log_softmax(t64(a), -1)
        lb = F.log_softmax(t64(b), -1)
        bt = torch.tensor(beta, dtype=torch.float64)
        mix = torch.logsumexp(torch.stack([lb + torch.log(1 - bt), la + torch.log(bt)]), dim=0)
        trl = (beta * F.kl_div(mix, la, reduction="none", log_target=True)
               + (1 - beta) * F.kl_div(mix, lb, reduction="none", log_target=True)).sum().item()
        got = kldiv.generalized_jsd_from_logits(a, b, beta=beta, reduction="sum")
        assert got * beta * (1 - beta) == pytest.approx(trl, rel=1e-12)
    # The ends are the two KLs, and beta = 1/2 is 4 JS.
    assert kldiv.generalized_jsd_from_logits(a, b, beta=0.0) == pytest.approx(
        kldiv.kl_from_logits(a, b), rel=1e-14)
    assert kldiv.generalized_jsd_from_logits(a, b, beta=1.0) == pytest.approx(
        kldiv.reverse_kl_from_logits(a, b), rel=1e-14)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("ignore_index", [None, -100])
def test_cross_entropy_against_torch(shape, dtype, reduction, ignore_index):
    rng = np.random.default_rng(5)
    x = logits(rng, shape, dtype)
    labels = rng.integers(0, shape[-1], shape[:-1])
    if ignore_index is not None and labels.size > 1:
        labels.reshape(-1)[1] = ignore_index
    got, grad = kldiv.cross_entropy_from_logits(
        x, labels, ignore_index=ignore_index, reduction=reduction,
        return_grad=True)
    want, want_grad = torch_reference("cross_entropy", x, x, reduction=reduction, labels=labels,
                                      ignore_index=ignore_index)
    assert_value(got, want, floor(x, x))
    assert_grad(grad, want_grad, floor(x, x), dtype)


@pytest.mark.parametrize("temperature,scale,base", [
    (2.0, True, None), (0.5, False, 2.0), (3.0, True, 10.0)])
def test_cross_entropy_options(temperature, scale, base):
    rng = np.random.default_rng(8)
    x = logits(rng, (4, 11), np.float64)
    labels = rng.integers(0, 11, 4)
    mask = np.array([True, False, True, True])
    kw = dict(temperature=temperature, scale_by_t_squared=scale, base=base,
              mask=mask, reduction="mean")
    got, grad = kldiv.cross_entropy_from_logits(x, labels, return_grad=True,
                                                **kw)
    want, want_grad = torch_reference("cross_entropy", x, x, labels=labels,
                                      **kw)
    assert_value(got, want, 16 * floor(x, x))
    assert_grad(grad, want_grad, 16 * floor(x, x), np.float64)
    assert not grad[1].any()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("measure,extra", MEASURES)
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_masks(dtype, measure, extra, reduction):
    rng = np.random.default_rng(13)
    a = logits(rng, (2, 3, 16), dtype)
    b = logits(rng, (2, 3, 16), dtype)
    mask = np.array([[True, False, True], [False, True, True]])
    kw = dict(mask=mask, reduction=reduction, base=2, **extra)
    got, grad = call(measure, a, b, return_grad=True, **kw)
    want, want_grad = torch_reference(measure, a, b, **kw)
    kappa = kappa_of(extra)
    assert_value(got, want, kappa * floor(a, b))
    assert_grad(grad, want_grad, kappa * floor(a, b), dtype)
    assert not grad[~mask].any()
    if reduction == "none":
        assert not got[~mask].any()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_all_masked_gives_zero(dtype, reduction):
    rng = np.random.default_rng(17)
    a = logits(rng, (2, 3, 8), dtype)
    b = logits(rng, (2, 3, 8), dtype)
    mask = np.zeros((2, 3), dtype=bool)
    for measure, extra in MEASURES:
        got, grad = call(measure, a, b, mask=mask, reduction=reduction, return_grad=True, **extra)
        if reduction == "none":
            assert got.shape == (2, 3) and not got.any()
        else:
            assert got == 0.0
        assert grad.dtype == dtype and grad.shape == b.shape and not grad.any()
    labels = np.full((2, 3), -100)
    got, grad = kldiv.cross_entropy_from_logits(
        b, labels, ignore_index=-100, reduction=reduction, return_grad=True)
    assert (not got.any()) if reduction == "none" else got == 0.0
    assert not grad.any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_minus_infinity_entries(dtype):
    """-inf logits are probability 0: P = 0 contributes 0, P > 0 where Q = 0
    gives +inf; never NaN, in the values or the gradients."""
    ni = -np.inf
    a = np.array([[0.5, ni, 1.0, ni, -0.25],    # -inf in a only
                  [0.5, 1.5, 1.0, -1.0, 0.0],   # -inf in b only
                  [ni, 1.0, ni, 2.0, 0.0],      # -inf in both
                  [0.0, ni, ni, ni, ni]], dtype=dtype)  # one-hot P
    b = np.array([[1.0, 0.5, -1.5, 0.25, 0.0],
                  [1.0, ni, -1.5, ni, 0.0],
                  [ni, 0.5, ni, 1.0, 3.0],
                  [1.0, 0.5, -1.5, 0.25, 0.0]], dtype=dtype)
    for measure, extra in MEASURES:
        for temperature in [1.0, 2.0]:
            kw = dict(reduction="none", temperature=temperature, **extra)
            got, grad = call(measure, a, b, return_grad=True, **kw)
            want, want_grad = torch_reference(measure, a, b, **kw)
            kappa = kappa_of(extra)
            assert_value(got, want, kappa * floor(a, b))
            assert not np.isnan(grad).any()
            fin = np.isfinite(want)
            # Rows of finite value: the gradient is PyTorch's.
            assert_grad(grad[fin], want_grad[fin], kappa * floor(a, b), dtype)
            # Where b is -inf, nothing depends on b: 0.
            assert not grad[fin][np.isneginf(b[fin])].any()
            # Sum and mean over the rows: +inf if a row is; the gradient has no NaN.
            total, g = call(measure, a, b, reduction="mean",
                            temperature=temperature, return_grad=True, **extra)
            assert not math.isnan(total) and not np.isnan(g).any()
            assert (total == math.inf) == (not fin.all())
    # The edge table, row by row.
    kl = kldiv.kl_from_logits(a, b, reduction="none")
    rev = kldiv.reverse_kl_from_logits(a, b, reduction="none")
    assert np.isfinite(kl[[0, 2, 3]]).all() and np.isposinf(kl[1])
    assert np.isposinf(rev[[0, 3]]).all() and np.isfinite(rev[[1, 2]]).all()
    mid = kldiv.generalized_jsd_from_logits(a, b, beta=0.5, reduction="none")
    assert np.isfinite(mid).all()
    # Cross-entropy with the label on a -inf logit is +inf, elsewhere finite.
    ce, g = kldiv.cross_entropy_from_logits(b, np.array([1, 1, 0, 4]),
                                            reduction="none", return_grad=True)
    assert ce[1] == math.inf and ce[2] == math.inf and np.isfinite(ce[[0, 3]]).all()
    assert not np.isnan(g).any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_one_hot_p_is_minus_log_q(dtype):
    a = np.array([0.0, -np.inf, -np.inf, -np.inf], dtype=dtype)
    b = np.array([1.0, 0.5, -1.5, 0.25], dtype=dtype)
    want = -F.log_softmax(t64(b), -1)[0].item()
    assert kldiv.kl_from_logits(a, b) == pytest.approx(want, rel=1e-13)
    assert kldiv.cross_entropy_from_logits(b, np.array(0)) == pytest.approx(want, rel=1e-13)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [1e4, -1e4])
def test_large_logits_are_finite(dtype, size):
    rng = np.random.default_rng(19)
    a = (size + logits(rng, (3, 40), np.float64, sd=3.0)).astype(dtype)
    b = (size + logits(rng, (3, 40), np.float64, sd=3.0)).astype(dtype)
    mixed = np.array([1e4, -1e4, 0.0, 5e3, 1e4 - 1], dtype=dtype)
    mixed_b = np.array([1e4 - 2, -1e4, 1.0, 5e3, 1e4], dtype=dtype)
    for measure, extra in MEASURES:
        got, grad = call(measure, a, b, reduction="none", return_grad=True, **extra)
        want, want_grad = torch_reference(measure, a, b, reduction="none", **extra)
        assert np.isfinite(got).all() and np.isfinite(grad).all()
        kappa = kappa_of(extra)
        assert_value(got, want, kappa * floor(a, b))
        assert_grad(grad, want_grad, kappa * floor(a, b), dtype)
        v, g = call(measure, mixed, mixed_b, return_grad=True, temperature=0.5, **extra)
        w, wg = torch_reference(measure, mixed, mixed_b, temperature=0.5, **extra)
        assert math.isfinite(v) and np.isfinite(g).all()
        assert v == pytest.approx(w, rel=1e-12, abs=kappa * floor(mixed, mixed_b) * 2)
    ce = kldiv.cross_entropy_from_logits(a, np.array([0, 1, 2]))
    assert math.isfinite(ce)


def test_identical_rows_give_exactly_zero():
    rng = np.random.default_rng(23)
    a = logits(rng, (3, 100), np.float64, sd=5.0)
    for measure, extra in MEASURES:
        got, grad = call(measure, a, a.copy(), reduction="none", return_grad=True, **extra)
        assert not got.any()


def test_log_probabilities():
    rng = np.random.default_rng(29)
    la = F.log_softmax(t64(logits(rng, (3, 12), np.float64)), -1).numpy()
    lb = F.log_softmax(t64(logits(rng, (3, 12), np.float64)), -1).numpy()
    for measure, extra in MEASURES:
        for temperature in [1.0, 2.0]:
            kw = dict(temperature=temperature, reduction="none", **extra)
            got = call(measure, la, lb, log_probs=True, **kw)
            want = call(measure, la, lb, **kw)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    bad = la + 0.01
    with pytest.raises(ValueError, match=r"a\[0\]: log-probabilities whose exponentials sum to"):
        kldiv.kl_from_logits(bad, lb, log_probs=True)
    # A wider tolerance accepts them.
    kldiv.kl_from_logits(bad, lb, log_probs=True, tolerance=0.1)


def test_shapes_of_results():
    rng = np.random.default_rng(31)
    a = logits(rng, (2, 3, 5), np.float32)
    b = logits(rng, (2, 3, 5), np.float32)
    rows = kldiv.kl_from_logits(a, b, reduction="none")
    assert rows.shape == (2, 3) and rows.dtype == np.float64
    assert isinstance(kldiv.kl_from_logits(a, b), float)
    assert isinstance(kldiv.kl_from_logits(a[0, 0], b[0, 0], reduction="none"), float)
    value, grad = kldiv.kl_from_logits(a, b, return_grad=True)
    assert grad.shape == b.shape and grad.dtype == np.float32
    value, grad = kldiv.kl_from_logits(a.astype(np.float64), b.astype(np.float64), return_grad=True)
    assert grad.dtype == np.float64
    # The mean is the mean of the rows; the sum their sum.
    assert kldiv.kl_from_logits(a, b) == pytest.approx(rows.mean(), rel=1e-14)
    assert kldiv.kl_from_logits(a, b, reduction="sum") == pytest.approx(rows.sum(), rel=1e-14)
    # Non-contiguous inputs.
    a2 = logits(rng, (4, 10), np.float64)[:, ::2]
    b2 = logits(rng, (4, 10), np.float64)[:, ::2]
    assert kldiv.kl_from_logits(a2, b2) == pytest.approx(
        kldiv.kl_from_logits(a2.copy(), b2.copy()), rel=1e-15)


def test_threads_bit_identical():
    rng = np.random.default_rng(37)
    a = logits(rng, (64, 5000), np.float32)
    b = logits(rng, (64, 5000), np.float32)
    for measure, extra in MEASURES[:3]:
        v1, g1 = call(measure, a, b, threads=1, reduction="none", return_grad=True, **extra)
        for threads in [2, 7]:
            vn, gn = call(measure, a, b, threads=threads, reduction="none",
                          return_grad=True, **extra)
            assert np.array_equal(v1, vn) and np.array_equal(g1, gn)


# ---- bad input ------------------------------------------------------------------


@pytest.mark.parametrize("bad,message", [
    (np.nan, r"b\[1, 2\] = nan: logits must be finite or -inf"),
    (np.inf, r"b\[1, 2\] = inf: logits must be finite or -inf"),
])
def test_bad_entries(bad, message):
    a = np.zeros((2, 4))
    b = np.zeros((2, 4))
    b[1, 2] = bad
    with pytest.raises(ValueError, match=message):
        kldiv.kl_from_logits(a, b)
    with pytest.raises(ValueError, match=message.replace("b", "a", 1)):
        kldiv.reverse_kl_from_logits(b, a)
    with pytest.raises(ValueError, match="must be finite or -inf"):
        kldiv.cross_entropy_from_logits(b, np.array([0, 0]))


def test_row_of_minus_infinity_only():
    a = np.zeros((2, 3))
    b = np.zeros((2, 3))
    b[1] = -np.inf
    with pytest.raises(ValueError, match=r"b\[1\]: every entry is -inf"):
        kldiv.generalized_jsd_from_logits(a, b)


def test_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        kldiv.kl_from_logits(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="mask has shape"):
        kldiv.kl_from_logits(np.zeros((2, 3)), np.zeros((2, 3)), mask=np.ones(3, bool))
    with pytest.raises(ValueError, match="labels has shape"):
        kldiv.cross_entropy_from_logits(np.zeros((2, 3)), np.zeros(3, np.int64))


@pytest.mark.parametrize("beta", [-0.1, 1.5, math.nan])
def test_beta_outside_unit_interval(beta):
    with pytest.raises(ValueError, match=r"beta = .*: must be in \[0, 1\]"):
        kldiv.generalized_jsd_from_logits(np.zeros(3), np.zeros(3), beta=beta)


@pytest.mark.parametrize("temperature", [0.0, -1.0, math.inf, math.nan])
def test_bad_temperature(temperature):
    with pytest.raises(ValueError, match=r"temperature = .*: must be > 0 and finite"):
        kldiv.kl_from_logits(np.zeros(3), np.zeros(3), temperature=temperature)
    with pytest.raises(ValueError, match=r"temperature = .*: must be > 0 and finite"):
        kldiv.cross_entropy_from_logits(np.zeros(3), np.array(0), temperature=temperature)


@pytest.mark.parametrize("label", [3, -1, 100])
def test_label_out_of_range(label):
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"labels\[1\] = " + str(label) + r": must be in \[0, 3\)"):
        kldiv.cross_entropy_from_logits(x, np.array([0, label]))
    with pytest.raises(ValueError, match=r"labels\[1\] = "):
        kldiv.cross_entropy_from_logits(x, np.array([0, label]), ignore_index=-100)


def test_unknown_reduction():
    with pytest.raises(ValueError, match="unknown reduction 'avg'"):
        kldiv.kl_from_logits(np.zeros(3), np.zeros(3), reduction="avg")
