"""kldiv.scipy against SciPy itself, on SciPy's own test cases (scipy 1.10's
test_entropy.py, special's rel_entr / kl_div checks, and spatial's
jensenshannon tests) and on random inputs: the same values (to 1e-12
relative), the same NaN / inf pattern, the same dtype and shape."""
import itertools

import numpy as np
import pytest
import scipy.spatial.distance as ssd
import scipy.special as sps
import scipy.stats as sst

import kldiv.scipy as ks


def same(got, want, rtol=1e-12):
    assert type(got) is type(want) or (np.isscalar(got) and np.isscalar(want))
    got_a, want_a = np.asarray(got), np.asarray(want)
    assert got_a.dtype == want_a.dtype, (got_a.dtype, want_a.dtype)
    assert got_a.shape == want_a.shape
    np.testing.assert_array_equal(np.isnan(got_a), np.isnan(want_a))
    np.testing.assert_array_equal(np.isposinf(got_a), np.isposinf(want_a))
    np.testing.assert_array_equal(np.isneginf(got_a), np.isneginf(want_a))
    ok = np.isfinite(want_a)
    np.testing.assert_allclose(got_a[ok], want_a[ok], rtol=rtol, atol=0)


# ---- rel_entr and kl_div: SciPy's grid of edge values ---------------------------

GRID = [-1.0, 0.0, 1e-310, 0.5, 1.0, 2.0, 1e300, np.inf, np.nan]


@pytest.mark.parametrize("name", ["rel_entr", "kl_div"])
def test_elementwise_edge_grid(name):
    x, y = np.array(list(itertools.product(GRID, GRID))).T
    with np.errstate(all="ignore"):
        want = getattr(sps, name)(x, y)
    got = getattr(ks, name)(x, y)
    # Where x/y overflows or underflows a double (1 / 1e-310, 1e-310 / 1e300),
    # SciPy's x log(x / y) is +-inf; kldiv's log ratio is finite and right: a
    # documented difference, checked against log x - log y here.
    with np.errstate(all="ignore"):
        ratio = x / y
    overflow = ((x > 0) & (y > 0) & np.isfinite(x) & np.isfinite(y)
                & ((ratio == np.inf) | (ratio == 0)))
    assert overflow.sum() == 5
    assert np.isinf(want[overflow]).all()
    log_ratio = np.log(x[overflow]) - np.log(y[overflow])
    exact = x[overflow] * log_ratio
    if name == "kl_div":
        exact = exact - x[overflow] + y[overflow]
    np.testing.assert_allclose(got[overflow], exact, rtol=1e-13)
    same(got[~overflow], want[~overflow])


@pytest.mark.parametrize("name", ["rel_entr", "kl_div"])
def test_elementwise_dtypes_scalars_broadcast_out(name):
    f_k, f_s = getattr(ks, name), getattr(sps, name)
    for x, y in [(0.5, 0.25), (np.float32(0.5), np.float32(0.25)),
                 (np.array([0.5, 0.1], np.float32), 0.25),
                 (np.array([1, 2, 3]), np.array([[1], [2]])),
                 (np.array([0.5, 0.1], np.float32), np.array([0.2, 0.2]))]:
        same(f_k(x, y), f_s(x, y), rtol=1e-6)
    out = np.empty(3)
    assert f_k([1.0, 2.0, 0.0], 1.0, out=out) is out
    same(out, f_s([1.0, 2.0, 0.0], 1.0))


# ---- entropy: scipy/stats/tests/test_entropy.py ------------------------------------

PK2 = np.array([[0.1, 0.2], [0.6, 0.3], [0.3, 0.5]])
QK2 = np.array([[0.2, 0.1], [0.3, 0.6], [0.5, 0.3]])


def entropy_cases():
    pk16 = np.ones(16, float)
    qk16 = np.ones(16, float)
    qk16[:8] = 2.0
    qk_zero = QK2.copy()
    qk_zero[0, 0] = 0.0
    pk_zero = PK2.copy()
    pk_zero[0, 0] = 0.0
    rng = np.random.default_rng(1234)
    x, y = rng.random(3), rng.random((2, 1))
    return [
        dict(pk=[0.5, 0.2, 0.3], qk=[0.1, 0.25, 0.65]),
        dict(pk=[0.5, 0.2, 0.3], qk=[0.5, 0.2, 0.3]),
        dict(pk=pk16, base=2.0),
        dict(pk=pk16, qk=qk16),
        dict(pk=pk16, qk=qk16, base=2.0),
        dict(pk=[0, 1, 2]),
        dict(pk=PK2, qk=QK2),
        dict(pk=PK2, qk=qk_zero),
        dict(pk=pk_zero, qk=qk_zero),
        dict(pk=PK2, axis=1),
        dict(pk=PK2, qk=QK2, axis=1),
        dict(pk=PK2, qk=QK2, axis=0, base=2),
        dict(pk=PK2.T, qk=QK2.T, axis=1),
        dict(pk=x, qk=y, axis=-1),
        dict(pk=[1, 2, 3], qk=[0, 0, 0]),
        dict(pk=[0, 0, 0]),
        dict(pk=[1, -1, 2]),
        dict(pk=[1, np.nan, 2]),
        dict(pk=np.array([0.2, 0.8], np.float32), qk=np.array([0.5, 0.5], np.float32)),
        dict(pk=[0.3, 0.7], base=0.5),
        dict(pk=[0.3, 0.7], base=1),
    ]


@pytest.mark.parametrize("case", entropy_cases())
def test_entropy_matches_scipy(case):
    with np.errstate(all="ignore"):
        want = sst.entropy(**case)
        got = ks.entropy(**case)
    rtol = 1e-6 if np.asarray(want).dtype == np.float32 else 1e-12
    same(got, want, rtol)


def test_entropy_errors_as_scipy():
    with pytest.raises(ValueError, match="`base` must be a positive number"):
        ks.entropy([0.5, 0.5], base=-1)
    with pytest.raises(ValueError):
        ks.entropy(np.ones((3, 2)), np.ones((2, 2)))


# ---- jensenshannon: scipy/spatial/tests/test_distance.py ------------------------------

A = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
B = np.array([[13.0, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]])


@pytest.mark.parametrize("p,q,kw", [
    ([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], dict(base=2.0)),
    ([1.0, 0.0], [0.5, 0.5], {}),
    ([1.0, 0.0, 0.0], [1.0, 0.0, 0.0], {}),
    (A, B, dict(axis=0)),
    (A, B, dict(axis=1)),
    (A, B, dict(axis=1, keepdims=True)),
    (A, B, dict(axis=0, keepdims=True)),
    (A, B, dict(axis=-1, base=10)),
    ([0.0, 0.0], [0.5, 0.5], {}),
    ([1.0, -1.0, 1.0], [0.5, 0.5, 0.0], {}),
    (np.array([0.2, 0.8], np.float32), np.array([0.5, 0.5], np.float32), {}),
    ([1, 2, 3], [3, 2, 1], dict(base=0.5)),
])
def test_jensenshannon_matches_scipy(p, q, kw):
    with np.errstate(all="ignore"):
        want = ssd.jensenshannon(p, q, **kw)
        got = ks.jensenshannon(p, q, **kw)
    # SciPy computes float32 inputs in float32 (even where it returns float64).
    rtol = 1e-6 if np.asarray(p).dtype == np.float32 else 1e-12
    same(got, want, rtol)


def test_random_inputs_match_scipy():
    rng = np.random.default_rng(99)
    for shape, axis in [((10,), 0), ((5, 7), 0), ((5, 7), 1), ((3, 4, 6), -1)]:
        p = rng.random(shape)
        q = rng.random(shape)
        p[p < 0.15] = 0.0
        same(ks.entropy(p, axis=axis), sst.entropy(p, axis=axis))
        with np.errstate(all="ignore"):
            same(ks.entropy(p, q, axis=axis, base=2), sst.entropy(p, q, axis=axis, base=2))
        same(ks.jensenshannon(p, q, axis=axis), ssd.jensenshannon(p, q, axis=axis),
             rtol=1e-10)
