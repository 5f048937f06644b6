"""kldiv's discrete measures against SciPy and PyTorch, on random inputs of
several shapes, axes and dtypes, with zeros in p and q, float32 inputs and
non-contiguous arrays. The references compute in float64 from the same
values."""
import math

import numpy as np
import pytest
import torch
from scipy import special, stats
from scipy.spatial import distance

import kldiv

RTOL = 1e-12


def random_simplex(rng, shape, axis, zero_fraction=0.0, dtype=np.float64):
    """Dirichlet-like probability vectors along `axis`, some entries zero."""
    x = rng.gamma(0.7, size=shape)
    if zero_fraction:
        x[rng.random(shape) < zero_fraction] = 0.0
    x = np.moveaxis(x, axis, -1)
    x[..., 0] += (x.sum(axis=-1) == 0)  # no all-zero distribution
    x = x / x.sum(axis=-1, keepdims=True)
    return np.moveaxis(x, -1, axis).astype(dtype)


def scipy_kl(p, q, axis):
    return np.sum(special.rel_entr(p.astype(np.float64), q.astype(np.float64)),
                  axis=axis)


def torch_kl(p, q, axis):
    """PyTorch's kl_div(input = log q, target = p) summed over the event axis:
    KL(p || q), +inf where q = 0 < p. Where p = q = 0, PyTorch's term is NaN
    (0 * (log 0 - log 0)); those terms are set to 0 (0 log 0 = 0) here."""
    pt = torch.from_numpy(np.moveaxis(p.astype(np.float64), axis, -1).copy())
    qt = torch.from_numpy(np.moveaxis(q.astype(np.float64), axis, -1).copy())
    terms = torch.nn.functional.kl_div(qt.log(), pt, reduction="none")
    terms = torch.where(pt == 0, torch.zeros_like(terms), terms)
    return terms.sum(-1).numpy()


def close(got, want, rtol=RTOL):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    finite = np.isfinite(want)
    np.testing.assert_allclose(got[finite], want[finite], rtol=rtol, atol=1e-300)


SHAPES = [((7,), -1), ((4, 9), -1), ((4, 9), 0), ((3, 5, 6), 1),
          ((2, 3, 50), -1), ((3, 1000), 1)]


@pytest.mark.parametrize("shape,axis", SHAPES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("zeros", [0.0, 0.3])
def test_kl_matches_scipy_and_torch(shape, axis, dtype, zeros):
    rng = np.random.default_rng(abs(hash((shape, axis, str(dtype), zeros))) % 2**32)
    p = random_simplex(rng, shape, axis, zeros, dtype)
    q = random_simplex(rng, shape, axis, zeros, dtype)
    got = kldiv.kl(p, q, axis=axis)
    close(got, scipy_kl(p, q, axis))
    close(got, torch_kl(p, q, axis))
    close(kldiv.kl(p, q, axis=axis, base=2), scipy_kl(p, q, axis) / math.log(2))


@pytest.mark.parametrize("shape,axis", SHAPES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_entropy_cross_entropy_js(shape, axis, dtype):
    rng = np.random.default_rng(7 + len(shape) + axis)
    p = random_simplex(rng, shape, axis, 0.2, dtype)
    q = random_simplex(rng, shape, axis, 0.0, dtype)
    p64, q64 = p.astype(np.float64), q.astype(np.float64)
    # SciPy's entropy and jensenshannon divide by the sums (which, for float32
    # values, are 1 only to about 1e-7): kldiv does the same when asked to.
    close(kldiv.entropy(p, axis=axis, normalize=True), stats.entropy(p64, axis=axis))
    close(kldiv.entropy(p, axis=axis), -np.sum(special.xlogy(p64, p64), axis=axis))
    if dtype == np.float64:
        pt = torch.from_numpy(np.moveaxis(p64, axis, -1).copy())
        close(kldiv.entropy(p, axis=axis),
              torch.distributions.Categorical(probs=pt).entropy().numpy())
    close(kldiv.cross_entropy(p, q, axis=axis),
          -np.sum(special.xlogy(p64, q64), axis=axis))
    close(kldiv.js_distance(p, q, axis=axis, base=2, normalize=True),
          distance.jensenshannon(p64, q64, base=2, axis=axis), rtol=1e-10)
    close(kldiv.generalized_kl(p, q, axis=axis),
          np.sum(special.kl_div(p64, q64), axis=axis))
    close(kldiv.jeffreys(p, q, axis=axis),
          scipy_kl(p, q, axis) + scipy_kl(q, p, axis))


def test_categorical_kl_matches_torch_distributions():
    rng = np.random.default_rng(3)
    p = random_simplex(rng, (20, 30), -1, 0.2)
    q = random_simplex(rng, (20, 30), -1, 0.0)
    want = torch.distributions.kl_divergence(
        torch.distributions.Categorical(probs=torch.from_numpy(p)),
        torch.distributions.Categorical(probs=torch.from_numpy(q))).numpy()
    close(kldiv.kl(p, q), want, rtol=1e-10)


def test_other_measures_by_their_definitions():
    rng = np.random.default_rng(11)
    p = random_simplex(rng, (6, 40), -1, 0.2)
    q = random_simplex(rng, (6, 40), -1, 0.0)
    close(kldiv.hellinger(p, q),
          np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2, axis=-1)), 1e-10)
    close(kldiv.bhattacharyya_coefficient(p, q), np.sum(np.sqrt(p * q), -1))
    close(kldiv.total_variation(p, q), 0.5 * np.abs(p - q).sum(-1))
    close(kldiv.chi2_pearson(p, q), np.sum((p - q) ** 2 / q, -1))
    close(kldiv.renyi(p, q, 2.0), np.log(np.sum(p ** 2 / q, -1)), 1e-10)
    close(kldiv.renyi(p, q, 1.0), scipy_kl(p, q, -1))
    close(kldiv.f_divergence(p, q, lambda t: (t - 1) ** 2),
          np.sum((p - q) ** 2 / q, -1), 1e-10)


def test_zero_edge_table():
    assert kldiv.kl([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0
    assert kldiv.kl([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert kldiv.js_divergence([1, 0], [0, 1]) == pytest.approx(math.log(2))
    np.testing.assert_array_equal(
        kldiv.rel_entr([0.5, 0.5, 0.0], [0.25, 0.0, 0.75]),
        [0.5 * math.log(2), math.inf, 0.0])


def test_non_contiguous_and_broadcast_inputs():
    rng = np.random.default_rng(5)
    big_p = random_simplex(rng, (8, 40), 0)  # columns are distributions
    big_q = random_simplex(rng, (8, 40), 0)
    # Transposed (Fortran-order) view, every other column, reversed rows.
    for view_p, view_q in [(big_p.T, big_q.T), (big_p.T[::2], big_q.T[::2]),
                           (big_p.T[::-1], big_q.T[::-1])]:
        assert not view_p.flags.c_contiguous
        close(kldiv.kl(view_p, view_q), scipy_kl(view_p, view_q, -1))
    # axis=0 on the original: the same numbers without a transpose.
    close(kldiv.kl(big_p, big_q, axis=0), scipy_kl(big_p, big_q, 0))
    # One q against every row.
    q1 = big_q[:, 0]
    close(kldiv.kl(big_p.T, q1), scipy_kl(big_p.T, np.broadcast_to(q1, big_p.T.shape), -1))


def test_shapes_keepdims_and_scalars():
    p = np.full((2, 3, 4), 0.25)
    assert kldiv.kl(p, p).shape == (2, 3)
    assert kldiv.kl(p, p, keepdims=True).shape == (2, 3, 1)
    assert kldiv.kl(np.full((4, 2, 3), 0.25), 0.25 * np.ones((4, 1, 1)), axis=0,
                    keepdims=True).shape == (1, 2, 3)
    assert isinstance(kldiv.kl([0.5, 0.5], [0.5, 0.5]), float)
    assert kldiv.kl(np.empty((0, 3)), np.empty((0, 3))).shape == (0,)


def test_counts_smoothing_and_ints():
    # counts [0, 2] and [2, 0] with alpha = 1: [1/4, 3/4] vs [3/4, 1/4].
    got = kldiv.kl(np.array([0, 2]), np.array([2, 0]), counts=True,
                   smoothing="alpha=1")
    assert got == pytest.approx(0.5 * math.log(3), rel=1e-15)
    assert kldiv.kl([0, 2], [2, 0], counts=True, smoothing=("additive", 1)) == got
    assert kldiv.kl([3, 1], [1, 1], normalize=True) == pytest.approx(
        stats.entropy([3, 1], [1, 1]), rel=1e-14)


def test_summarize_and_evaluate():
    s = kldiv.summarize([0.5, 0.3, 0.2], [0.5, 0.5, 0.0], base=2)
    assert s["kl"] == math.inf
    assert s["unit"] == "bits"
    assert s["entries_where_q_zero"] == 1
    assert s["reverse_kl"] == pytest.approx(0.5 * math.log2(0.5 / 0.3), rel=1e-14)
    assert kldiv.evaluate("reverse_kl", [0.25, 0.75], [0.5, 0.5]) == kldiv.kl(
        [0.5, 0.5], [0.25, 0.75])
    assert "js_distance" in kldiv.measures()


def test_read_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n0.5,0.25\n0.5,0.75\n")
    values, names = kldiv.read_table(path)
    assert names == ["a", "b"]
    np.testing.assert_array_equal(values, [[0.5, 0.25], [0.5, 0.75]])


def test_float_arrays_are_read_in_place():
    """float32 / float64 arrays reach the library as views (no copy), whatever
    their strides; other dtypes are converted."""
    base = np.full((6, 8), 0.125, np.float32)
    for view in (base, base.T, base[::2], base[:, ::2] * 2,
                 np.broadcast_to(base[0], (5, 8))):
        p2, q2, _, _ = kldiv._rows(view, view, -1)
        assert np.shares_memory(p2, view), view.strides
    ints = np.ones((2, 4), np.int64)
    p2, _, _, _ = kldiv._rows(ints, ints, -1)
    assert p2.dtype == np.float64 and not np.shares_memory(p2, ints)
