"""kldiv.kl_1d, bin_edges, kl_histogram, kl_categorical and
mutual_information_ksg against independent references written here:

- kl_1d: a NumPy transcription of the definition in estimators.hpp (knots of
  the piecewise-linear CDFs, left-hand slopes by searchsorted);
- histograms: numpy.histogram_bin_edges, numpy.histogram, numpy.quantile and
  scipy.special.rel_entr;
- categories: collections.Counter and scipy.special.rel_entr;
- KSG: scikit-learn's own KSG (estimator 1, 1-D x and y) and a
  cKDTree(p = inf) transcription of both estimators (any dimensions), or a
  brute-force one for repeated rows."""
import collections
import dataclasses
import math

import numpy as np
import pytest
from scipy.spatial import cKDTree
from scipy.special import digamma, rel_entr

import kldiv
from kldiv.estimators import (CategoricalEstimate, HistogramEstimate,
                              SampleEstimate)


# ---- kl_1d --------------------------------------------------------------------


def ref_kl_1d(x, y, policy="distinct"):
    """(value, ties): Pérez-Cruz's estimator as estimators.hpp defines it."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n, m = len(x), len(y)
    a, b = min(x.min(), y.min()), max(x.max(), y.max())
    w = (b - a) / (n + m) if a != b else 1.0
    lo, hi = a - w, b + w

    def cdf_knots(s, size):
        u, c = np.unique(s, return_counts=True)
        level = (np.cumsum(c) - c / 2) / size     # (C_{j-1} + c_j / 2) / size
        return (np.concatenate([[lo], u, [hi]]),
                np.concatenate([[0.0], level, [1.0]]))

    def left_slope(knots, levels, t):
        j = np.searchsorted(knots, t, side="left")  # t in (knots[j-1], knots[j]]
        return (levels[j] - levels[j - 1]) / (knots[j] - knots[j - 1])

    s_p = left_slope(*cdf_knots(x, n), x)
    s_q = left_slope(*cdf_knots(y, m), x)
    in_y = np.isin(x, y)
    terms = np.log(s_p) - np.log(s_q) + in_y
    u, inverse, c = np.unique(x, return_inverse=True, return_counts=True)
    tied = in_y | (c[inverse] > 1)
    keep = np.ones(n, bool) if policy == "distinct" else ~tied
    return math.fsum(terms[keep]) / keep.sum() - 1.0, int(tied.sum())


def test_kl_1d_matches_the_definition_for_n_not_m():
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1.0, 57)
    y = rng.normal(0.5, 2.0, 91)
    r = kldiv.kl_1d(x, y)
    want, ties = ref_kl_1d(x, y)
    assert ties == 0
    assert r.value == pytest.approx(want, rel=1e-12, abs=1e-14)
    assert isinstance(r, SampleEstimate)
    assert (r.k, r.n, r.m, r.d, r.ties, r.tie_handling, r.ci) == (
        0, 57, 91, 1, 0, "distinct", None)
    assert "fewer than 100" in r.warnings[0]
    # y below and above all of x, and x beyond y on both sides
    for xs, ys in ((x, y * 10), (x * 10, y), (x + 5, y)):
        assert kldiv.kl_1d(xs, ys).value == pytest.approx(
            ref_kl_1d(xs, ys)[0], rel=1e-12, abs=1e-14)


def test_kl_1d_large_sample_is_near_the_closed_form():
    rng = np.random.default_rng(4)
    x = rng.normal(0.0, 1.0, 4000)
    y = rng.normal(1.0, 1.0, 5000)
    r = kldiv.kl_1d(x, y)
    assert r.value == pytest.approx(ref_kl_1d(x, y)[0], rel=1e-11)
    # KL(N(0,1) || N(1,1)) = 1/2; the estimator converges slowly (biased up)
    assert r.value == pytest.approx(0.5, abs=0.1)
    assert r.warnings == []


def test_kl_1d_by_hand():
    # lo = -0.5, hi = 2.5: s_P(0) = 0.25/0.5, s_Q(0) = 0.25/1;
    # s_P(1) = 0.5/1, s_Q(1) = 0.5/1.5
    r = kldiv.kl_1d([0.0, 1.0], [0.5, 2.0])
    assert r.value == pytest.approx((math.log(2) + math.log(1.5)) / 2 - 1,
                                    rel=1e-15)


@pytest.mark.parametrize("policy", ["distinct", "exclude"])
def test_kl_1d_ties_match_the_definition(policy):
    rng = np.random.default_rng(5)
    x = np.round(rng.normal(0.0, 3.0, 40), 1)      # some repeats within x
    y = np.round(rng.normal(0.0, 3.0, 33), 1) + 0.05  # none in common...
    y[:4] = [x[0], x[1], x[1], x[2]]                  # ... except these
    want, ties = ref_kl_1d(x, y, policy)
    r = kldiv.kl_1d(x, y, ties=policy)
    assert r.value == pytest.approx(want, rel=1e-12, abs=1e-14)
    assert r.ties == ties > 0
    assert r.tie_handling == policy


def test_kl_1d_tie_by_hand():
    # x = (0, 0, 2), y = (0, 1): a = 0, b = 2, w = 2/5. P_c: (-0.4, 0),
    # (0, 1/3), (2, 5/6), (2.4, 1); Q_c: (-0.4, 0), (0, 1/4), (1, 3/4),
    # (2.4, 1). x = 0 (twice, and in y): log((1/3)/(1/4)) + 1; x = 2:
    # log(((1/2)/2) / ((1/4)/1.4)).
    want = (2 * (math.log(4 / 3) + 1) + math.log(1.4)) / 3 - 1
    r = kldiv.kl_1d([0.0, 0.0, 2.0], [0.0, 1.0])
    assert r.value == pytest.approx(want, rel=1e-14)
    assert r.ties == 2
    # exclude: only x = 2 is left
    assert kldiv.kl_1d([0.0, 0.0, 2.0], [0.0, 1.0], ties="exclude").value == (
        pytest.approx(math.log(1.4) - 1, rel=1e-14))


def test_kl_1d_identical_samples_give_exactly_zero():
    rng = np.random.default_rng(6)
    x = rng.normal(size=30)
    assert kldiv.kl_1d(x, x[::-1].copy()).value == 0.0
    repeated = np.array([0.0, 0.0, 1.0, 2.5, 2.5, 2.5])
    r = kldiv.kl_1d(repeated, repeated)
    assert r.value == 0.0 and r.ties == 6


def test_kl_1d_ties_error_and_jitter():
    with pytest.raises(ValueError, match=r"2 of 3 values of x are tied"):
        kldiv.kl_1d([0.0, 0.0, 2.0], [0.5, 1.0], ties="error")
    with pytest.raises(ValueError, match="every value of x is tied"):
        kldiv.kl_1d([0.0, 0.0], [0.5, 1.0], ties="exclude")
    x = np.array([0.0, 0.0, 1.0, 2.0, 2.0, 3.0])
    y = np.array([0.0, 1.5, 2.5, 3.5])
    a = kldiv.kl_1d(x, y, ties="jitter", seed=3)
    assert a.ties == 4 and a.tie_handling == "jitter"   # 0, 0, 2, 2
    assert kldiv.kl_1d(x, y, ties="jitter", seed=3).value == a.value
    assert kldiv.kl_1d(x, y, ties="jitter", seed=4).value != a.value
    assert np.isfinite(a.value)
    assert x[1] == 0.0   # the input is left alone


def test_kl_1d_inputs():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=20), rng.normal(size=25)
    v = kldiv.kl_1d(x, y).value
    assert kldiv.kl_1d(x.reshape(-1, 1), y.reshape(-1, 1)).value == v
    assert kldiv.kl_1d(list(x), tuple(y)).value == v
    assert kldiv.kl_1d(x.astype(np.float32), y).value == pytest.approx(
        ref_kl_1d(x.astype(np.float32), y)[0], rel=1e-12)
    strided = np.repeat(x, 2)[::2]
    assert kldiv.kl_1d(strided, y).value == v
    with pytest.raises(ValueError, match=r"x must be 1-D .* got shape \(10, 2\)"):
        kldiv.kl_1d(rng.normal(size=(10, 2)), y)
    with pytest.raises(ValueError, match=r"y must be 1-D .* got shape \(\)"):
        kldiv.kl_1d(x, 1.0)
    with pytest.raises(ValueError, match="x has 1 values and y 25, but each "
                                         "needs at least 2"):
        kldiv.kl_1d([1.0], y)
    with pytest.raises(ValueError, match=r"y\[3\] = nan, but must be finite"):
        kldiv.kl_1d(x, np.where(np.arange(25) == 3, np.nan, y))
    with pytest.raises(ValueError, match=r"x\[0\] = inf"):
        kldiv.kl_1d([np.inf, 1.0], y)
    with pytest.raises(ValueError, match="ties = 'ignore': expected one of "
                                         "error, jitter, distinct, exclude"):
        kldiv.kl_1d(x, y, ties="ignore")
    with pytest.raises(ValueError, match="jitter_scale"):
        kldiv.kl_1d(x, y, ties="jitter", jitter_scale=0.0)
    with pytest.raises(ValueError, match="confidence must be in"):
        kldiv.kl_1d(x, y, bootstrap=5, confidence=1.5)
    with pytest.raises(ValueError, match="bootstrap = -1"):
        kldiv.kl_1d(x, y, bootstrap=-1)
    with pytest.raises(TypeError, match="x must hold numbers"):
        kldiv.kl_1d(["a", "b"], y)


def test_kl_1d_bootstrap_is_seeded():
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=300), rng.normal(0.5, 1.0, 200)
    a = kldiv.kl_1d(x, y, bootstrap=200, seed=1)
    assert a.ci is not None and a.ci[0] < a.ci[1]
    assert a.ci[0] < 0.125 < a.ci[1]          # KL(N(0,1) || N(0.5,1))
    assert kldiv.kl_1d(x, y, bootstrap=200, seed=1).ci == a.ci
    assert kldiv.kl_1d(x, y, bootstrap=200, seed=2).ci != a.ci
    assert kldiv.kl_1d(x, y, bootstrap=200, seed=1).value == a.value
    narrow = kldiv.kl_1d(x, y, bootstrap=200, seed=1, confidence=0.5).ci
    assert a.ci[0] <= narrow[0] < narrow[1] <= a.ci[1]


# ---- histograms -------------------------------------------------------------

_NUMPY_RULES = ["auto", "fd", "scott", "sturges", "doane", "rice", "sqrt"]


@pytest.mark.parametrize("rule", _NUMPY_RULES)
def test_bin_edges_equal_numpy_s(rule):
    rng = np.random.default_rng(9)
    for ref in (rng.gamma(2.0, 3.0, 1000), rng.normal(5.0, 0.1, 37),
                rng.integers(0, 5, 200).astype(float),  # IQR may be 0
                np.array([2.0, 2.0, 2.0]), np.array([-1.0])):
        want = np.histogram_bin_edges(ref, bins=rule)
        got = kldiv.bin_edges(ref, rule)
        assert got.shape == want.shape, (rule, ref[:3])
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)


def test_bin_edges_counts_quantiles_and_explicit():
    rng = np.random.default_rng(10)
    ref = rng.normal(size=501)
    for b in (1, 7, 64):
        np.testing.assert_allclose(kldiv.bin_edges(ref, b),
                                   np.histogram_bin_edges(ref, b), rtol=1e-14)
        np.testing.assert_array_equal(kldiv.bin_edges([2.0, 2.0], b),
                                      np.histogram_bin_edges([2.0, 2.0], b))
    want = np.quantile(ref, np.linspace(0.0, 1.0, 11))
    np.testing.assert_allclose(kldiv.bin_edges(ref, "quantiles"), want,
                               rtol=1e-14)
    np.testing.assert_allclose(kldiv.bin_edges(ref, ("quantiles", 4)),
                               np.quantile(ref, [0, 0.25, 0.5, 0.75, 1]),
                               rtol=1e-14)
    # repeated values: coinciding quantile edges merge
    lumpy = np.concatenate([np.zeros(60), rng.normal(size=40)])
    want = np.unique(np.quantile(lumpy, np.linspace(0.0, 1.0, 11)))
    np.testing.assert_allclose(kldiv.bin_edges(lumpy, "quantiles"), want,
                               rtol=1e-14)
    edges = [0.0, 0.5, 2.0]
    got = kldiv.bin_edges(ref, edges)
    np.testing.assert_array_equal(got, edges)
    assert got.dtype == np.float64
    assert kldiv.bin_edges(ref.reshape(-1, 1), "fd").shape == (
        np.histogram_bin_edges(ref, "fd").shape)


def ref_histogram(x, y, edges, s):
    """(x counts, y counts, p, q, terms, value), the outer bins first/last."""
    def counts(v):
        inner = np.histogram(v, bins=edges)[0]
        return np.concatenate([[np.sum(v < edges[0])], inner,
                               [np.sum(v > edges[-1])]])
    cx, cy = counts(x), counts(y)
    p = (cx + s) / (cx.sum() + s * len(cx))
    q = (cy + s) / (cy.sum() + s * len(cy))
    terms = rel_entr(p, q)
    return cx, cy, p, q, terms, math.fsum(terms)


@pytest.mark.parametrize("bins", ["auto", "sturges", "doane", 12,
                                  ("quantiles", 8), [-3.0, -1.0, 0.0, 0.5, 4.0]])
@pytest.mark.parametrize("smoothing", [0.0, 0.5])
def test_kl_histogram_matches_numpy_and_rel_entr(bins, smoothing):
    rng = np.random.default_rng(11)
    y = rng.normal(0.0, 1.0, 800)
    x = rng.normal(0.4, 1.3, 600)
    h = kldiv.kl_histogram(x, y, bins, smoothing=smoothing)
    if isinstance(bins, str):
        edges = np.histogram_bin_edges(y, bins)
    elif isinstance(bins, int):
        edges = np.histogram_bin_edges(y, bins)
    elif isinstance(bins, tuple):
        edges = np.quantile(y, np.linspace(0.0, 1.0, bins[1] + 1))
    else:
        edges = np.array(bins)
    np.testing.assert_allclose(h.edges, edges, rtol=1e-14)
    cx, cy, p, q, terms, value = ref_histogram(x, y, h.edges, smoothing)
    np.testing.assert_array_equal(h.x_counts, cx)
    np.testing.assert_array_equal(h.y_counts, cy)
    assert h.x_counts.dtype == np.int64 and len(h.x_counts) == len(h.edges) + 1
    np.testing.assert_allclose(h.p, p, rtol=1e-15)
    np.testing.assert_allclose(h.q, q, rtol=1e-15)
    np.testing.assert_allclose(h.terms, terms, rtol=1e-13, atol=1e-17)
    if np.isinf(value):
        assert h.value == math.inf
        assert any("KL is infinite" in w for w in h.warnings)
    else:
        assert h.value == pytest.approx(value, rel=1e-13)
    assert (h.n, h.m, h.smoothing) == (600, 800, smoothing)
    assert h.rule == {str: bins, int: "count", tuple: "quantiles",
                      list: "edges"}[type(bins)]
    outside = cx[0] + cx[-1]
    assert any(f"{outside} of 600 values of x lie outside" in w
               for w in h.warnings) == (outside > 0)


def test_kl_histogram_by_hand_and_infinite():
    h = kldiv.kl_histogram([0.5, 1.5, 1.5, 2.5], [0.5, 0.5, 1.5, 2.5],
                           bins=[0.0, 1.0, 2.0, 3.0])
    assert h.value == pytest.approx(math.log(2) / 4, rel=1e-15)
    assert float(h) == h.value and h.unit == "nats"
    np.testing.assert_array_equal(h.x_counts, [0, 1, 2, 1, 0])
    # a value of x above the reference's last edge, no smoothing: +inf
    inf = kldiv.kl_histogram([0.5, 3.5], [0.5, 2.5], bins=[0.0, 1.0, 3.0])
    assert inf.value == math.inf
    assert inf.terms[-1] == math.inf
    assert "KL is infinite: x has values in 1 bin" in inf.warnings[1]
    # with smoothing 1: p = (0,1,0,1)+1 over 6, q = (0,1,1,0)+1 over 6
    sm = kldiv.kl_histogram([0.5, 3.5], [0.5, 2.5], bins=[0.0, 1.0, 3.0],
                            smoothing=1.0)
    assert sm.value == pytest.approx(
        (2 * math.log(2) + math.log(0.5)) / 6, rel=1e-14)


def test_kl_histogram_result_object():
    h = kldiv.kl_histogram([0.1, 0.2, 0.9], [0.0, 0.5, 1.0], bins=2)
    assert isinstance(h, HistogramEstimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        h.value = 1.0
    for a in (h.edges, h.x_counts, h.y_counts, h.p, h.q, h.terms):
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 7
    assert h.ci is None
    assert repr(h).startswith("HistogramEstimate(value=")
    assert "bins=2" in repr(h)


def test_kl_histogram_bootstrap_is_seeded():
    rng = np.random.default_rng(12)
    x, y = rng.normal(0.5, 1.0, 400), rng.normal(size=500)
    a = kldiv.kl_histogram(x, y, 10, smoothing=0.5, bootstrap=100, seed=5)
    assert a.ci[0] < a.value < a.ci[1]
    b = kldiv.kl_histogram(x, y, 10, smoothing=0.5, bootstrap=100, seed=5)
    assert b.ci == a.ci
    c = kldiv.kl_histogram(x, y, 10, smoothing=0.5, bootstrap=100, seed=6)
    assert c.ci != a.ci and c.value == a.value


def test_histogram_errors():
    x, y = [0.1, 0.5, 0.7], [0.2, 0.4, 0.9]
    with pytest.raises(ValueError, match="bins = 'deciles': expected one of "
                       "auto, fd, scott, sturges, doane, rice, sqrt, quantiles"):
        kldiv.kl_histogram(x, y, "deciles")
    with pytest.raises(ValueError, match="bins = 'Auto'"):
        kldiv.bin_edges(y, "Auto")
    with pytest.raises(ValueError, match=r"\('quantiles', B\)"):
        kldiv.kl_histogram(x, y, ("fd", 3))
    with pytest.raises(ValueError, match="B must be >= 1"):
        kldiv.kl_histogram(x, y, ("quantiles", 0))
    with pytest.raises(ValueError, match="bins = 0: a bin count must be >= 1"):
        kldiv.kl_histogram(x, y, 0)
    with pytest.raises(ValueError, match="bins = 2000000 for rule count, but "
                                         "must be in 1 .. 1000000"):
        kldiv.bin_edges(y, 2_000_000)
    with pytest.raises(TypeError, match="bins = True"):
        kldiv.kl_histogram(x, y, True)
    with pytest.raises(TypeError, match="bins = "):
        kldiv.kl_histogram(x, y, {"a": 1})
    with pytest.raises(TypeError, match=r"bins = 5\.0: expected a rule name"):
        kldiv.kl_histogram(x, y, 5.0)
    with pytest.raises(ValueError, match=r"edges must be 1-D; got shape \(2, 2\)"):
        kldiv.kl_histogram(x, y, [[0.0, 1.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match=r"edges must be strictly increasing, "
                                         r"but \[2\] = 0\.5"):
        kldiv.kl_histogram(x, y, [0.0, 1.0, 0.5])
    with pytest.raises(ValueError, match="edges has 1 edges, but needs at "
                                         "least 2"):
        kldiv.bin_edges(y, [0.0])
    with pytest.raises(ValueError, match=r"edges\[1\] = nan, but must be finite"):
        kldiv.kl_histogram(x, y, [0.0, np.nan, 2.0])
    with pytest.raises(ValueError, match=r"kl_histogram: smoothing = -1(\.0*)?, "
                                         "but must be >= 0 and finite"):
        kldiv.kl_histogram(x, y, smoothing=-1.0)
    with pytest.raises(ValueError, match="smoothing = nan"):
        kldiv.kl_histogram(x, y, smoothing=float("nan"))
    with pytest.raises(ValueError, match=r"x\[1(, 0)?\] = nan, but must be finite"):
        kldiv.kl_histogram([0.1, np.nan], y)
    with pytest.raises(ValueError, match=r"reference\[0\] = inf"):
        kldiv.bin_edges([np.inf, 1.0])
    with pytest.raises(ValueError, match="x has 0 values and y 3"):
        kldiv.kl_histogram([], y)
    with pytest.raises(ValueError, match="the reference sample is empty"):
        kldiv.bin_edges([])
    with pytest.raises(ValueError, match=r"y must be 1-D .* got shape \(3, 2\)"):
        kldiv.kl_histogram(x, np.ones((3, 2)))
    with pytest.raises(ValueError, match="confidence must be in"):
        kldiv.kl_histogram(x, y, bootstrap=3, confidence=0.0)


# ---- categories --------------------------------------------------------------


def ref_categorical(x, y, s):
    """(categories, unseen, x counts, y counts, p, q, terms, value)."""
    x, y = [str(v) for v in x], [str(v) for v in y]
    cats = sorted(set(y))
    unseen = sorted(set(x) - set(y))
    cx, cy = collections.Counter(x), collections.Counter(y)
    nx = np.array([cx[c] for c in cats] + [sum(cx[c] for c in unseen)])
    ny = np.array([cy[c] for c in cats] + [0])
    p = (nx + s) / (len(x) + s * len(nx))
    q = (ny + s) / (len(y) + s * len(ny))
    terms = rel_entr(p, q)
    return cats, unseen, nx, ny, p, q, terms, math.fsum(terms)


@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_kl_categorical_matches_counter_and_rel_entr(smoothing):
    rng = np.random.default_rng(13)
    names = np.array(["apple", "Banana", "cherry", "date", "elder", "fig",
                      "grape", "ñame", "10", "9"])
    y = list(rng.choice(names[:8], 500, p=np.full(8, 1 / 8)))
    x = list(rng.choice(names, 300))
    c = kldiv.kl_categorical(x, y, smoothing=smoothing)
    cats, unseen, nx, ny, p, q, terms, value = ref_categorical(x, y, smoothing)
    assert c.categories == cats and c.unseen == unseen == ["10", "9"]
    np.testing.assert_array_equal(c.x_counts, nx)
    np.testing.assert_array_equal(c.y_counts, ny)
    assert c.x_counts.dtype == np.int64
    np.testing.assert_allclose(c.p, p, rtol=1e-15)
    np.testing.assert_allclose(c.q, q, rtol=1e-15)
    np.testing.assert_allclose(c.terms, terms, rtol=1e-13)
    if smoothing == 0:
        assert c.value == math.inf
        assert any("categories the reference y does not have ('10', '9')" in w
                   for w in c.warnings)
        assert any("KL is infinite" in w for w in c.warnings)
    else:
        assert c.value == pytest.approx(value, rel=1e-13)
    assert (c.n, c.m, c.smoothing) == (300, 500, smoothing)
    assert isinstance(c, CategoricalEstimate) and c.unit == "nats"


def test_kl_categorical_finite_and_identical():
    rng = np.random.default_rng(14)
    y = rng.integers(0, 6, 400)
    x = rng.integers(0, 6, 350)
    c = kldiv.kl_categorical(x, y)
    want = ref_categorical(x, y, 0.0)
    assert c.value == pytest.approx(want[-1], rel=1e-13)
    assert c.categories == ["0", "1", "2", "3", "4", "5"]
    assert c.unseen == [] and c.x_counts[-1] == 0
    assert c.warnings == []
    assert kldiv.kl_categorical(y, y[::-1]).value == 0.0


def test_kl_categorical_labels_are_strings():
    ints = [3, 1, 2, 2, 10]
    v = kldiv.kl_categorical(ints, [1, 2, 3, 10, 10]).value
    # the same labels as lists of str, NumPy int, str and object arrays
    for x, y in ((["3", "1", "2", "2", "10"], ["1", "2", "3", "10", "10"]),
                 (np.array(ints), np.array([1, 2, 3, 10, 10])),
                 (np.array(ints).astype(str), np.array(["1", "2", "3", "10", "10"])),
                 (np.array(ints, dtype=object), (1, 2, 3, 10, 10)),
                 (iter(ints), (v for v in [1, 2, 3, 10, 10]))):
        assert kldiv.kl_categorical(x, y).value == v
    # 1 and "1" coincide; 1.0 is "1.0", another category
    c = kldiv.kl_categorical([1, "1", 1.0], ["1", "2"])
    assert c.categories == ["1", "2"] and c.unseen == ["1.0"]
    np.testing.assert_array_equal(c.x_counts, [2, 0, 1])
    # sorted as Python sorts str (code points, "10" before "9")
    c = kldiv.kl_categorical(["9"], [9, 10, "é", "Z"])
    assert c.categories == sorted(["9", "10", "é", "Z"])
    f = kldiv.kl_categorical(np.array([0.5, 0.25], dtype=np.float32),
                             np.array([0.5, 0.25]))
    assert f.value == 0.0   # str(np.float32(0.25)) == "0.25"


def test_kl_categorical_bootstrap_and_errors():
    rng = np.random.default_rng(15)
    x, y = rng.integers(0, 4, 200), rng.integers(0, 4, 300)
    a = kldiv.kl_categorical(x, y, bootstrap=100, seed=2)
    assert a.ci[0] <= a.ci[1]
    assert kldiv.kl_categorical(x, y, bootstrap=100, seed=2).ci == a.ci
    assert kldiv.kl_categorical(x, y, bootstrap=100, seed=3).ci != a.ci
    with pytest.raises(TypeError, match="x is a single str; pass a sequence"):
        kldiv.kl_categorical("abc", ["a"])
    with pytest.raises(TypeError, match="y must be a sequence of labels, not int"):
        kldiv.kl_categorical(["a"], 3)
    with pytest.raises(ValueError, match=r"x must be 1-D \(n labels\); got "
                                         r"shape \(2, 2\)"):
        kldiv.kl_categorical(np.array([["a", "b"], ["c", "d"]]), ["a"])
    with pytest.raises(ValueError, match="x has 2 values and y 0, but each "
                                         "needs at least 1"):
        kldiv.kl_categorical(["a", "b"], [])
    with pytest.raises(ValueError, match=r"kl_categorical: smoothing = "
                                         r"-0\.50*, but must be >= 0"):
        kldiv.kl_categorical(["a"], ["a"], smoothing=-0.5)
    with pytest.raises(ValueError, match="confidence"):
        kldiv.kl_categorical(["a"], ["a"], bootstrap=2, confidence=2.0)
    with pytest.raises(ValueError, match="seed = -1"):
        kldiv.kl_categorical(["a"], ["a"], seed=-1)


# ---- mutual information --------------------------------------------------------


def correlated(seed, n, rho=0.6, dx=1, dy=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dx))
    y = rho * x[:, :1] + math.sqrt(1 - rho * rho) * rng.normal(size=(n, dy))
    return x, y


def ref_ksg(x, y, k, variant):
    """KSG 1 or 2 on max-norm cKDTrees, for rows without repeats."""
    x = np.asarray(x, float).reshape(len(x), -1)
    y = np.asarray(y, float).reshape(len(y), -1)
    n = len(x)
    z = np.hstack([x, y])
    tz, tx, ty = cKDTree(z), cKDTree(x), cKDTree(y)
    eps = tz.query(z, k=[k + 1], p=np.inf)[0][:, 0]   # self first, at 0
    assert np.all(eps > 0)
    if variant == 1:
        below = np.nextafter(eps, 0)                 # "< eps" as "<= below"
        nx = tx.query_ball_point(x, below, p=np.inf, return_length=True) - 1
        ny = ty.query_ball_point(y, below, p=np.inf, return_length=True) - 1
        return (digamma(k) + digamma(n)
                - np.mean(digamma(nx + 1) + digamma(ny + 1)))
    ex, ey = np.zeros(n), np.zeros(n)
    for i, js in enumerate(tz.query_ball_point(z, eps, p=np.inf)):
        ex[i] = np.max(np.abs(x[js] - x[i]))
        ey[i] = np.max(np.abs(y[js] - y[i]))
    nx = tx.query_ball_point(x, ex, p=np.inf, return_length=True) - 1
    ny = ty.query_ball_point(y, ey, p=np.inf, return_length=True) - 1
    return (digamma(k) - 1 / k + digamma(n)
            - np.mean(digamma(nx) + digamma(ny)))


def test_ksg_1_matches_scikit_learn():
    from sklearn.feature_selection._mutual_info import _compute_mi_cc
    x, y = correlated(16, 700)
    for k in (1, 3, 6):
        want = _compute_mi_cc(x[:, 0], y[:, 0], k)
        assert want > 0      # scikit-learn clips at 0
        r = kldiv.mutual_information_ksg(x[:, 0], y[:, 0], k)
        assert r.value == pytest.approx(want, rel=1e-12)
        assert r.value == pytest.approx(ref_ksg(x, y, k, 1), rel=1e-12)
        assert (r.k, r.n, r.m, r.d, r.ties) == (k, 700, 700, 2, 0)
    # the Gaussian's I = -1/2 log(1 - rho^2)
    assert r.value == pytest.approx(-0.5 * math.log(1 - 0.36), abs=0.06)


@pytest.mark.parametrize("variant", [1, 2])
@pytest.mark.parametrize("dx, dy", [(1, 1), (2, 1), (3, 2)])
def test_ksg_matches_the_max_norm_ckdtree_version(variant, dx, dy):
    x, y = correlated(17 + dx, 400, dx=dx, dy=dy)
    rs = kldiv.mutual_information_ksg(x, y, [2, 4], variant=variant)
    assert [r.k for r in rs] == [2, 4]
    for r in rs:
        assert r.value == pytest.approx(ref_ksg(x, y, r.k, variant),
                                        rel=1e-12, abs=1e-14)
        assert r.d == dx + dy and r.tie_handling == "distinct"


def test_ksg_by_hand():
    # every joint ε = 1 with k = 1; variant 1: n_x = n_y = 0, I = ψ(4) - ψ(1);
    # variant 2: n_x = n_y = (1, 2, 2, 1), I = ψ(4) - ψ(2) - 1
    line = [0.0, 1.0, 2.0, 3.0]
    assert kldiv.mutual_information_ksg(line, line, 1).value == pytest.approx(
        1 + 1 / 2 + 1 / 3, rel=1e-14)
    assert kldiv.mutual_information_ksg(line, line, 1, variant=2).value == (
        pytest.approx(1 / 2 + 1 / 3 - 1, rel=1e-14))


def ref_ksg_1_ties(x, y, k, policy):
    """(value, ties) of KSG 1 by brute force, repeated rows allowed:
    distinct takes ε_i as the k-th joint distance > 0; exclude leaves the
    repeated rows out."""
    x = x.reshape(len(x), -1)
    y = y.reshape(len(y), -1)
    n = len(x)
    dxm = np.max(np.abs(x[:, None, :] - x[None, :, :]), axis=2)
    dym = np.max(np.abs(y[:, None, :] - y[None, :, :]), axis=2)
    dz = np.maximum(dxm, dym)
    terms, tied = [], 0
    for i in range(n):
        others = np.delete(np.arange(n), i)
        d = np.sort(dz[i, others])
        repeated = d[0] == 0
        tied += repeated
        if repeated and policy == "exclude":
            continue
        eps = d[d > 0][k - 1]
        nx = np.sum(dxm[i, others] < eps)
        ny = np.sum(dym[i, others] < eps)
        terms.append(digamma(nx + 1) + digamma(ny + 1))
    return digamma(k) + digamma(n) - np.mean(terms), tied


@pytest.mark.parametrize("policy", ["distinct", "exclude"])
def test_ksg_repeated_rows(policy):
    rng = np.random.default_rng(19)
    x = np.round(rng.normal(size=100), 1)       # ties in x alone, too
    y = x + rng.normal(size=100)
    x = np.concatenate([x, x[:20]])             # 40 repeated rows
    y = np.concatenate([y, y[:20]])
    want, tied = ref_ksg_1_ties(x, y, 3, policy)
    r = kldiv.mutual_information_ksg(x, y, 3, ties=policy)
    assert r.value == pytest.approx(want, rel=1e-12)
    assert r.ties == tied > 0
    with pytest.raises(ValueError, match=f"{tied} of 120 rows are repeated"):
        kldiv.mutual_information_ksg(x, y, 3, ties="error")
    j = kldiv.mutual_information_ksg(x, y, 3, ties="jitter", seed=1)
    assert j.ties == tied
    assert kldiv.mutual_information_ksg(x, y, 3, ties="jitter",
                                        seed=1).value == j.value


def test_ksg_threads_and_bootstrap():
    x, y = correlated(20, 600, dx=2)
    one = kldiv.mutual_information_ksg(x, y, threads=1).value
    assert kldiv.mutual_information_ksg(x, y, threads=2).value == one
    a = kldiv.mutual_information_ksg(x, y, bootstrap=30, seed=4, threads=2)
    assert a.value == one and a.ci[0] < a.ci[1]
    assert kldiv.mutual_information_ksg(x, y, bootstrap=30, seed=4).ci == a.ci
    assert kldiv.mutual_information_ksg(x, y, bootstrap=30, seed=5).ci != a.ci


def test_ksg_errors():
    x, y = correlated(21, 50)
    with pytest.raises(ValueError, match="x has 50 rows but y has 49: the "
                                         "rows are pairs"):
        kldiv.mutual_information_ksg(x, y[:49])
    with pytest.raises(ValueError, match="variant = 3, but must be 1 or 2"):
        kldiv.mutual_information_ksg(x, y, variant=3)
    with pytest.raises(ValueError, match="k = 0, but must be >= 1"):
        kldiv.mutual_information_ksg(x, y, 0)
    with pytest.raises(ValueError, match="4 rows, but k = 4 needs at least "
                                         "k \\+ 1"):
        kldiv.mutual_information_ksg(x[:4], y[:4], 4)
    with pytest.raises(ValueError, match=r"x must be 1-D .* got shape "
                                         r"\(50, 1, 1\)"):
        kldiv.mutual_information_ksg(x.reshape(50, 1, 1), y)
    bad = y.copy()
    bad[7, 0] = np.nan
    with pytest.raises(ValueError, match=r"y\[7, 0\] = nan, but must be finite"):
        kldiv.mutual_information_ksg(x, bad)
    with pytest.raises(ValueError, match="ties = 'drop'"):
        kldiv.mutual_information_ksg(x, y, ties="drop")
    with pytest.raises(ValueError, match="confidence"):
        kldiv.mutual_information_ksg(x, y, bootstrap=2, confidence=-1)
    with pytest.raises(TypeError):
        kldiv.mutual_information_ksg(x, y, variant=1.5)
    with pytest.raises(ValueError, match="fewer than k = 3 other rows at a "
                                         "distance > 0"):
        kldiv.mutual_information_ksg([0, 0, 0, 1], [0, 0, 0, 1], 3)
