"""kldiv.kl_knn against an independent implementation of the same estimator
(Wang, Kulkarni & Verdú 2009) on scipy.spatial.cKDTree, written here:

    D = d/n' Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n - 1)),

ρ_k(i) from x_i to its k-th nearest other x, ν_k(i) to its k-th nearest y;
"distinct" takes the k-th neighbour at a distance > 0, "exclude" leaves out
the i with a zero ρ_k or ν_k (n' counts the others)."""
import dataclasses
import math

import numpy as np
import pytest
from scipy.spatial import cKDTree

import kldiv
from kldiv.estimators import SampleEstimate


# ---- the reference ----------------------------------------------------------


def ref_plain(x, y, k):
    """Tie-free samples: k + 1 neighbours in x (self dropped), k in y."""
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    y = np.asarray(y, dtype=float).reshape(len(y), -1)
    n, d = x.shape
    m = len(y)
    rho = cKDTree(x).query(x, k=[k + 1])[0][:, 0]
    nu = cKDTree(y).query(x, k=[k])[0][:, 0]
    assert np.all(rho > 0) and np.all(nu > 0)
    terms = np.log(nu) - np.log(rho)
    return d * math.fsum(terms) / n + math.log(m / (n - 1))


def ref_ties(x, y, k, policy):
    """(value, ties) under "distinct" or "exclude", from every neighbour's
    distance (small samples)."""
    n, d = x.shape
    m = len(y)
    dx = cKDTree(x).query(x, k=list(range(1, n + 1)))[0][:, 1:]  # self: a 0
    dy = cKDTree(y).query(x, k=list(range(1, m + 1)))[0]
    terms, ties = [], 0
    for i in range(n):
        if policy == "distinct":
            rho = dx[i][dx[i] > 0][k - 1]
            nu = dy[i][dy[i] > 0][k - 1]
            ties += dx[i][0] == 0 or dy[i][0] == 0
        else:
            rho, nu = dx[i][k - 1], dy[i][k - 1]
            if rho == 0 or nu == 0:
                ties += 1
                continue
        terms.append(math.log(nu) - math.log(rho))
    return d * math.fsum(terms) / len(terms) + math.log(m / (n - 1)), ties


def gaussian(seed, n, d, shift=0.0, scale=1.0):
    return np.random.default_rng(seed).normal(shift, scale, size=(n, d))


def tied_samples():
    """x with repeated rows (one of them four times) and y sharing rows of
    x."""
    x = np.round(gaussian(11, 150, 2), 3)
    y = np.round(gaussian(12, 180, 2, shift=0.5), 3)
    x[10] = x[3]
    x[20] = x[3]
    x[30] = x[3]
    x[40] = x[41]
    y[5] = x[7]
    y[6] = x[60]
    return x, y


# ---- values -------------------------------------------------------------------


@pytest.mark.parametrize("d", [1, 3])
@pytest.mark.parametrize("n, m", [(500, 800), (900, 400)])
@pytest.mark.parametrize("k", [1, 4])
def test_matches_the_ckdtree_formula(d, n, m, k):
    x = gaussian(d * 100 + n, n, d)
    y = gaussian(d * 100 + m + 1, m, d, shift=0.7, scale=1.3)
    r = kldiv.kl_knn(x, y, k)
    assert isinstance(r, SampleEstimate)
    assert r.value == pytest.approx(ref_plain(x, y, k), abs=1e-10)
    assert (r.k, r.n, r.m, r.d) == (k, n, m, d)
    assert (r.ties, r.tie_handling, r.ci) == (0, "distinct", None)
    assert r.warnings == []
    assert float(r) == r.value
    for search in ("tree", "brute"):
        assert kldiv.kl_knn(x, y, k, search=search).value == pytest.approx(
            r.value, abs=1e-12)
    # Every policy gives the plain estimate on tie-free data.
    for ties in ("error", "exclude"):
        assert kldiv.kl_knn(x, y, k, ties=ties).value == r.value


def test_one_dimensional_arrays_are_points_on_a_line():
    x = gaussian(1, 300, 1)[:, 0]
    y = gaussian(2, 400, 1, shift=1.0)[:, 0]
    r = kldiv.kl_knn(x, y, 2)
    assert r.d == 1
    assert r.value == pytest.approx(ref_plain(x[:, None], y[:, None], 2), abs=1e-10)
    assert kldiv.kl_knn(list(x), y[:, None], 2).value == r.value


def test_layouts_and_dtypes_give_the_same_value():
    x = gaussian(3, 400, 3)
    y = gaussian(4, 500, 3, shift=0.3)
    want = kldiv.kl_knn(x, y).value
    assert kldiv.kl_knn(np.asfortranarray(x), y).value == want
    wide = np.zeros((400, 6))
    wide[:, ::2] = x
    assert kldiv.kl_knn(wide[:, ::2], y).value == want  # a strided view
    assert kldiv.kl_knn(x[::-1], y).value == pytest.approx(want, abs=1e-12)
    x32 = x.astype(np.float32)
    assert kldiv.kl_knn(x32, y).value == pytest.approx(
        ref_plain(x32.astype(float), y, 1), abs=1e-10)


def test_several_k_in_one_call_equal_separate_calls():
    x = gaussian(5, 600, 2)
    y = gaussian(6, 700, 2, shift=0.5)
    ks = [4, 1, 2]
    many = kldiv.kl_knn(x, y, k=ks)
    assert isinstance(many, list)
    assert [r.k for r in many] == ks
    for r, k in zip(many, ks):
        assert r == kldiv.kl_knn(x, y, k=k)
    assert kldiv.kl_knn(x, y, k=np.array(ks))[0] == many[0]
    one = kldiv.kl_knn(x, y, k=[3])
    assert isinstance(one, list) and len(one) == 1


# ---- ties -----------------------------------------------------------------------


def test_ties_raise_under_error():
    x, y = tied_samples()
    with pytest.raises(ValueError, match="ties") as e:
        kldiv.kl_knn(x, y, ties="error")
    _, count = ref_ties(x, y, 1, "exclude")
    assert f"{count} of {len(x)} points" in str(e.value)


@pytest.mark.parametrize("policy", ["distinct", "exclude"])
@pytest.mark.parametrize("k", [1, 3])
def test_ties_match_the_ckdtree_policy(policy, k):
    x, y = tied_samples()
    value, ties = ref_ties(x, y, k, policy)
    r = kldiv.kl_knn(x, y, k, ties=policy)
    assert r.value == pytest.approx(value, abs=1e-10)
    assert r.ties == ties > 0
    assert r.tie_handling == policy
    assert r.diagnostics["ties"] == ties


def test_jitter_is_seeded_and_leaves_the_input_alone():
    x, y = tied_samples()
    before = x.copy()
    a = kldiv.kl_knn(x, y, ties="jitter", seed=3)
    np.testing.assert_array_equal(x, before)
    assert math.isfinite(a.value)
    assert a.tie_handling == "jitter"
    # Rows equal to another row of x or to a row of y: 3, 10, 20, 30, 40,
    # 41 and 7, 60.
    in_x = [sum(np.array_equal(a, b) for b in x) > 1 for a in x]
    in_y = [any(np.array_equal(a, b) for b in y) for a in x]
    assert a.ties == sum(p or q for p, q in zip(in_x, in_y)) == 8
    assert kldiv.kl_knn(x, y, ties="jitter", seed=3) == a
    # Noise of 1e-10 sd moves the tie-free terms by ~1e-10 only.
    other = kldiv.kl_knn(x, y, ties="jitter", seed=4)
    assert other.value != a.value
    big = kldiv.kl_knn(x, y, ties="jitter", jitter_scale=1e-3, seed=3)
    assert math.isfinite(big.value) and big.value != a.value


def test_identical_samples_give_a_finite_value_near_zero():
    x = gaussian(7, 400, 2)
    r = kldiv.kl_knn(x, x.copy())
    assert r.ties == len(x)
    # Every ν skips x_i itself, leaving the same distances as ρ.
    assert r.value == pytest.approx(math.log(400 / 399), abs=1e-12)
    for k in kldiv.kl_knn(x, x, k=[1, 5]):
        assert abs(k.value) < 0.01
    with pytest.raises(ValueError, match="every point"):
        kldiv.kl_knn(x, x, ties="exclude")


# ---- threads, bootstrap ----------------------------------------------------------


def test_thread_counts_give_identical_results():
    x = gaussian(8, 3000, 3)
    y = gaussian(9, 2500, 3, shift=0.4)
    one = kldiv.kl_knn(x, y, [1, 3], threads=1)
    assert kldiv.kl_knn(x, y, [1, 3], threads=2) == one
    assert kldiv.kl_knn(x, y, [1, 3]) == one


def test_bootstrap_interval():
    x = gaussian(10, 400, 2)
    y = gaussian(11, 500, 2, shift=1.0)
    r = kldiv.kl_knn(x, y, bootstrap=60, seed=5)
    assert r.ci is not None
    low, high = r.ci
    assert math.isfinite(low) and low < high
    assert low - 0.3 < r.value < high + 0.3
    again = kldiv.kl_knn(x, y, bootstrap=60, seed=5)
    assert again.ci == r.ci and again.value == r.value
    assert kldiv.kl_knn(x, y, bootstrap=60, seed=6).ci != r.ci
    # The same resamples at a lower confidence: a nested interval.
    narrow = kldiv.kl_knn(x, y, bootstrap=60, seed=5, confidence=0.5).ci
    assert low <= narrow[0] <= narrow[1] <= high
    # Several k: one interval each, the same as one k at a time.
    both = kldiv.kl_knn(x, y, [1, 2], bootstrap=60, seed=5)
    assert both[0].ci == r.ci
    assert both[1].ci == kldiv.kl_knn(x, y, 2, bootstrap=60, seed=5).ci


# ---- errors ------------------------------------------------------------------------


def test_errors():
    x = gaussian(12, 50, 2)
    with pytest.raises(ValueError, match="same dimension"):
        kldiv.kl_knn(x, gaussian(13, 50, 3))
    with pytest.raises(ValueError, match="at least k \\+ 1 in x"):
        kldiv.kl_knn(x[:3], x, k=3)
    with pytest.raises(ValueError, match="at least k \\+ 1 in x"):
        kldiv.kl_knn(x, x[:2], k=[1, 3])
    with pytest.raises(ValueError, match="at least"):
        kldiv.kl_knn([1.0], [2.0, 3.0])
    with pytest.raises(ValueError, match="k = 0"):
        kldiv.kl_knn(x, x, k=0)
    with pytest.raises(ValueError, match="error, jitter, distinct, exclude"):
        kldiv.kl_knn(x, x, ties="drop")
    with pytest.raises(ValueError, match="auto, tree, brute"):
        kldiv.kl_knn(x, x, search="kdtree")
    with pytest.raises(ValueError, match="shape"):
        kldiv.kl_knn(np.zeros((4, 2, 2)), x)
    bad = x.copy()
    bad[7, 1] = np.nan
    with pytest.raises(ValueError, match=r"x\[7"):
        kldiv.kl_knn(bad, x)
    with pytest.raises(ValueError, match="confidence"):
        kldiv.kl_knn(x, x, bootstrap=10, confidence=1.5)
    with pytest.raises(ValueError, match="bootstrap"):
        kldiv.kl_knn(x, x, bootstrap=-1)
    with pytest.raises(TypeError):
        kldiv.kl_knn(x, x, k=1.5)


# ---- the result ----------------------------------------------------------------------


def test_the_result_object():
    x = gaussian(14, 120, 2)
    y = gaussian(15, 100, 2)
    r = kldiv.kl_knn(x, y, 2, bootstrap=20)
    assert r.diagnostics == {"n": 120, "m": 100, "d": 2, "ties": 0,
                             "tie_handling": "distinct",
                             "warnings": r.warnings}
    assert len(r.warnings) == 1 and "n < 100 d" in r.warnings[0]
    text = repr(r)
    assert text.startswith("SampleEstimate(value=")
    for part in ("k=2", "n=120", "m=100", "d=2", "ties=0",
                 "tie_handling='distinct'", f"ci=({r.ci[0]!r}", "warnings="):
        assert part in text
    assert "ci=" not in repr(kldiv.kl_knn(x, y))
    assert r.unit == "nats"
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.value = 0.0
    r.diagnostics["warnings"].append("changed")
    assert len(r.warnings) == 1


def test_entropy_knn_against_ckdtree_and_gaussian():
    # The Kozachenko-Leonenko formula written here on cKDTree.
    from scipy.spatial import cKDTree
    from scipy.special import digamma, gammaln
    rng = np.random.default_rng(8)
    x = rng.normal(size=(700, 3)) * np.array([0.5, 1.0, 2.0])
    for k in (1, 4):
        eps = cKDTree(x).query(x, k=k + 1)[0][:, k]
        d = x.shape[1]
        want = (digamma(len(x)) - digamma(k) + d / 2 * np.log(np.pi)
                - gammaln(d / 2 + 1) + d * np.mean(np.log(eps)))
        got = kldiv.entropy_knn(x, k)
        assert got.value == pytest.approx(want, rel=1e-10)
        assert got.m == 0 and got.n == 700 and got.d == 3
    # Near the closed form 1/2 log((2 pi e)^3 det Σ) for 10^4 points.
    big = rng.normal(size=(10_000, 3)) * np.array([0.5, 1.0, 2.0])
    exact = 0.5 * np.log((2 * np.pi * np.e) ** 3 * (0.25 * 1.0 * 4.0))
    assert abs(kldiv.entropy_knn(big, 4).value - exact) < 0.05
    with pytest.raises(ValueError, match="ties"):
        kldiv.entropy_knn([0.0, 0.0, 1.0], ties="error")
