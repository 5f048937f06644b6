"""kldiv.fit against SciPy and closed forms computed here with NumPy: the
MLEs of every family, the exact discrete KL, the continuous KL estimates
(k-NN, and the histogram KL recomputed with numpy.histogram and
scipy.stats' CDFs, on bins aligned here with the grid of rounded data),
AIC/BIC, the counts form and the errors."""
import math

import numpy as np
import pytest
from scipy import special, stats

import kldiv

RNG = np.random.default_rng(20240611)
NORMAL = RNG.normal(3.0, 2.0, 300)
POSITIVE = RNG.gamma(2.5, 1.5, 300)
UNIT = RNG.beta(2.0, 5.0, 300)
COUNTS = RNG.poisson(3.5, 400).astype(float)
OVERDISPERSED = RNG.negative_binomial(3, 0.4, 400).astype(float)


def model(result, family):
    (m,) = [m for m in result.models if m.family == family]
    return m


def one(data, family, **kw):
    m = kldiv.fit(data, families=[family], **kw).best
    assert m is not None and m.fitted and m.family == family
    return m


# ---- continuous families ----------------------------------------------------


def test_normal_is_the_mean_and_the_1_over_n_deviation():
    m = one(NORMAL, "normal")
    assert m.parameters == pytest.approx(
        {"loc": NORMAL.mean(), "scale": NORMAL.std(ddof=0)}, rel=1e-12)
    assert list(m.parameters) == ["loc", "scale"]
    assert m.log_likelihood == pytest.approx(
        stats.norm.logpdf(NORMAL, NORMAL.mean(), NORMAL.std()).sum(), rel=1e-12)


def test_exponential_rate_is_one_over_the_mean():
    m = one(POSITIVE, "exponential")
    assert m.parameters == pytest.approx({"rate": 1 / POSITIVE.mean()},
                                         rel=1e-12)
    assert m.log_likelihood == pytest.approx(
        stats.expon.logpdf(POSITIVE, scale=POSITIVE.mean()).sum(), rel=1e-12)


def test_lognormal_is_the_normal_fit_of_log_x():
    lx = np.log(POSITIVE)
    m = one(POSITIVE, "lognormal")
    assert m.parameters == pytest.approx(
        {"loc": lx.mean(), "scale": lx.std(ddof=0)}, rel=1e-12)
    assert m.log_likelihood == pytest.approx(
        stats.lognorm.logpdf(POSITIVE, lx.std(), scale=math.exp(lx.mean())).sum(),
        rel=1e-12)


def test_gamma_matches_scipy_fit():
    a, loc, scale = stats.gamma.fit(POSITIVE, floc=0)
    m = one(POSITIVE, "gamma")
    assert loc == 0
    assert m.parameters == pytest.approx({"shape": a, "rate": 1 / scale},
                                         rel=1e-5)
    ours = stats.gamma.logpdf(POSITIVE, m.parameters["shape"],
                              scale=1 / m.parameters["rate"]).sum()
    assert m.log_likelihood == pytest.approx(ours, rel=1e-12)
    # The MLE: no worse than SciPy's optimum.
    assert ours >= stats.gamma.logpdf(POSITIVE, a, scale=scale).sum() - 1e-9


def test_weibull_matches_scipy_fit():
    c, loc, scale = stats.weibull_min.fit(POSITIVE, floc=0)
    m = one(POSITIVE, "weibull")
    assert list(m.parameters) == ["scale", "shape"]
    assert m.parameters == pytest.approx({"scale": scale, "shape": c}, rel=1e-5)
    ours = stats.weibull_min.logpdf(POSITIVE, m.parameters["shape"],
                                    scale=m.parameters["scale"]).sum()
    assert m.log_likelihood == pytest.approx(ours, rel=1e-12)
    assert ours >= stats.weibull_min.logpdf(POSITIVE, c, scale=scale).sum() - 1e-9


def test_beta_matches_scipy_fit():
    a, b, loc, scale = stats.beta.fit(UNIT, floc=0, fscale=1)
    m = one(UNIT, "beta")
    assert m.parameters == pytest.approx({"a": a, "b": b}, rel=1e-5)
    ours = stats.beta.logpdf(UNIT, m.parameters["a"], m.parameters["b"]).sum()
    assert m.log_likelihood == pytest.approx(ours, rel=1e-12)
    assert ours >= stats.beta.logpdf(UNIT, a, b).sum() - 1e-9


def knn_entropy_1d(x):
    """Kozachenko-Leonenko, k = 1, d = 1, distinct values: ψ(n) - ψ(1) +
    log 2 + mean log(distance to the nearest other value)."""
    s = np.sort(x)
    gaps = np.diff(s)
    nearest = np.minimum(np.r_[np.inf, gaps], np.r_[gaps, np.inf])
    n = len(x)
    return special.digamma(n) - special.digamma(1) + math.log(2) + np.log(
        nearest).mean()


def test_continuous_kl_is_minus_entropy_minus_mean_log_density():
    r = kldiv.fit(POSITIVE)
    assert not r.discrete and r.n == len(POSITIVE)
    assert r.entropy == pytest.approx(knn_entropy_1d(POSITIVE), rel=1e-10)
    assert "k-NN" in r.kl_estimator
    fitted = [m for m in r.models if m.fitted]
    assert {m.family for m in fitted} == {"normal", "lognormal", "exponential",
                                          "gamma", "weibull"}
    for m in fitted:
        assert m.kl_method == "k-NN entropy"
        assert m.kl == pytest.approx(-r.entropy - m.log_likelihood / r.n,
                                     rel=1e-12, abs=1e-12)
    assert [m.kl for m in fitted] == sorted(m.kl for m in fitted)
    assert r.best is fitted[0]
    beta = r.models[-1]
    assert beta.family == "beta" and not beta.fitted
    assert "[0, 1]" in beta.reason


# ---- the histogram estimate --------------------------------------------------

ROUNDED = np.round(RNG.normal(5.8, 1.5, 2000), 1)


def scipy_model(m):
    p = m.parameters
    if m.family == "normal":
        return stats.norm(p["loc"], p["scale"])
    if m.family == "lognormal":
        return stats.lognorm(p["scale"], scale=math.exp(p["loc"]))
    if m.family == "exponential":
        return stats.expon(scale=1 / p["rate"])
    if m.family == "gamma":
        return stats.gamma(p["shape"], scale=1 / p["rate"])
    if m.family == "weibull":
        return stats.weibull_min(p["shape"], scale=p["scale"])
    if m.family == "beta":
        return stats.beta(p["a"], p["b"])
    raise AssertionError(m.family)


def histogram_kl(data, edges, m):
    """Σ p̂ log(p̂ / P) over the bins with data, the two outer bins
    included, P from scipy.stats (cdf below the median, sf above)."""
    d = scipy_model(m)
    inner, _ = np.histogram(data, bins=edges)
    counts = np.concatenate(([np.sum(data < edges[0])], inner,
                             [np.sum(data > edges[-1])]))
    ends = np.concatenate(([-np.inf], edges, [np.inf]))
    lo, hi = ends[:-1], ends[1:]
    mass = np.where(d.cdf(lo) > 0.5, d.sf(lo) - d.sf(hi), d.cdf(hi) - d.cdf(lo))
    phat = counts / counts.sum()
    return special.rel_entr(phat, mass).sum(), phat


def grid_aligned_edges(data, rule="auto"):
    """kldiv.fit's alignment of a rule's bins with the grid of rounded data
    (align_to_grid), written here from its statement: the grid step g from
    the distinct values, NumPy's width made a whole number of steps (halves
    up), edges half a step below the smallest value up to the first one
    above the largest. Returns the edges, g, NumPy's width and the new
    width."""
    u = np.unique(data)
    g = np.diff(u).min()
    g = (u[-1] - u[0]) / round((u[-1] - u[0]) / g)
    k = (u - u[0]) / g
    assert np.abs(k - np.rint(k)).max() <= 1e-6, "not on a grid"
    w = np.diff(np.histogram_bin_edges(data, rule)).mean()
    width = max(1, np.floor(w / g + 0.5)) * g
    bins = int((u[-1] - u[0] + g / 2) // width) + 1
    return u[0] - g / 2 + width * np.arange(bins + 1), g, w, width


@pytest.mark.parametrize("data,bins,align", [
    (ROUNDED, "auto", True), (ROUNDED, "auto", False),
    (POSITIVE, "auto", True), (POSITIVE, "fd", True), (UNIT, 12, True),
    (POSITIVE, ("quantiles", 7), True), (ROUNDED, [5.0, 5.5, 6.0, 6.5], True)])
def test_histogram_kl_against_numpy_and_scipy(data, bins, align):
    r = kldiv.fit(data, kl="histogram", bins=bins, align_to_grid=align)
    if isinstance(bins, list):
        edges = np.asarray(bins)   # the caller's edges: never moved
    elif isinstance(bins, tuple):
        edges = np.unique(np.quantile(data, np.linspace(0, 1, bins[1] + 1)))
    elif align and data is ROUNDED:
        edges = grid_aligned_edges(data, bins)[0]
    else:                          # no grid, or not aligned: NumPy's edges
        edges = np.histogram_bin_edges(data, bins=bins)
    np.testing.assert_allclose(r.kl_edges, edges, rtol=1e-14)
    assert not r.kl_edges.flags.writeable
    assert r.to_dict()["kl_edges"] == list(r.kl_edges)
    assert f"on {len(edges) - 1} bins" in r.kl_estimator
    fitted = [m for m in r.models if m.fitted]
    assert fitted
    for m in fitted:
        want, phat = histogram_kl(data, r.kl_edges, m)
        assert m.kl_method == "histogram"
        assert m.kl >= 0
        assert m.kl == pytest.approx(want, rel=1e-9, abs=1e-12), m.family
    assert r.entropy == pytest.approx(stats.entropy(phat[phat > 0]), rel=1e-12)
    assert [m.kl for m in fitted] == sorted(m.kl for m in fitted)
    outside = np.sum((data < edges[0]) | (data > edges[-1]))
    assert any("outside the edges" in w for w in r.warnings) == (outside > 0)


def test_rounded_data_take_the_histogram_by_default():
    r = kldiv.fit(ROUNDED)
    assert "histogram" in r.kl_estimator and "chosen because" in r.kl_estimator
    assert r.best.family == "normal" and r.best.kl_method == "histogram"
    assert all(m.kl >= 0 for m in r.models if m.fitted)
    assert len(r.kl_edges) == len(grid_aligned_edges(ROUNDED)[0])
    assert not any("k-NN" in w for w in r.warnings)
    knn = kldiv.fit(ROUNDED, kl="knn")
    assert knn.best.kl_method == "k-NN entropy" and knn.best.kl < -1
    assert len(knn.kl_edges) == 0
    assert any("duplicate" in w for w in knn.warnings)


def test_rounded_data_get_bins_aligned_with_their_grid():
    """One aligned case recomputed here: 20,000 normal draws rounded to 0.1,
    whose NumPy "auto" bins are narrower than the grid (about 0.07 wide: bins
    hold one grid point or none); the edges from grid_aligned_edges and the
    KLs on them with numpy.histogram and scipy.stats, independently of the
    edges kldiv reports."""
    x = np.round(np.random.default_rng(7).normal(5.8, 0.8, 20000), 1)
    edges, g, w, width = grid_aligned_edges(x)
    assert w < g and width == pytest.approx(0.1)
    r = kldiv.fit(x)
    np.testing.assert_allclose(r.kl_edges, edges, rtol=1e-13, atol=0)
    assert (f"on {len(edges) - 1} bins (NumPy's \"auto\" rule, fitted on the "
            f"data; the rule's width {w:.6g} widened to 0.1, one step of the "
            "data's grid 0.1, with edges at the midpoints between grid "
            "points)") in r.kl_estimator
    assert r.warnings == []
    fitted = [m for m in r.models if m.fitted]
    for m in fitted:
        want, phat = histogram_kl(x, edges, m)
        assert m.kl == pytest.approx(want, rel=1e-9, abs=1e-12), m.family
    assert r.entropy == pytest.approx(stats.entropy(phat[phat > 0]), rel=1e-12)
    # The true family first, at about the sampling noise (B - 1) / (2n).
    assert r.best.family == "normal"
    assert r.best.kl < 3 * (len(edges) - 2) / (2 * len(x))
    # NumPy's own edges (align_to_grid=False): every KL inflated, and the
    # warning that says why.
    off = kldiv.fit(x, align_to_grid=False)
    np.testing.assert_allclose(off.kl_edges, np.histogram_bin_edges(x, "auto"),
                               rtol=1e-14)
    assert model(off, "normal").kl > 0.3
    assert any("leave align_to_grid on" in w for w in off.warnings)


def test_untied_data_keep_knn_by_default():
    r = kldiv.fit(POSITIVE)
    assert r.kl_estimator.startswith("k-NN entropy")
    assert len(r.kl_edges) == 0
    assert r.to_dict() == kldiv.fit(POSITIVE, kl="knn").to_dict()


# ---- discrete families ------------------------------------------------------


def test_poisson_geometric_binomial_uniform_closed_forms():
    mean = COUNTS.mean()
    r = kldiv.fit(COUNTS)
    assert r.discrete and r.n == len(COUNTS)
    assert model(r, "poisson").parameters == pytest.approx({"rate": mean},
                                                           rel=1e-14)
    assert model(r, "geometric").parameters == pytest.approx(
        {"p": 1 / (1 + mean)}, rel=1e-14)
    big = COUNTS.max()
    assert model(r, "binomial").parameters == pytest.approx(
        {"n": big, "p": mean / big}, rel=1e-14)
    assert model(r, "binomial").k == 2
    assert model(r, "uniform").parameters == {"low": COUNTS.min(),
                                              "high": big}
    fixed = one(COUNTS, "binomial", binomial_n=20)
    assert fixed.parameters == pytest.approx({"n": 20, "p": mean / 20},
                                             rel=1e-14)
    assert fixed.k == 1


def test_negative_binomial_solves_the_profile_score():
    x = OVERDISPERSED
    m = one(x, "negative_binomial")
    r, p = m.parameters["r"], m.parameters["p"]
    assert p == pytest.approx(r / (r + x.mean()), rel=1e-12)
    score = (special.digamma(x + r) - special.digamma(r)).sum() + len(x) * \
        math.log(r / (r + x.mean()))
    assert abs(score) < 1e-7 * len(x)
    assert m.log_likelihood == pytest.approx(
        stats.nbinom.logpmf(x, r, p).sum(), rel=1e-12)
    assert not model(kldiv.fit([1, 2, 2, 3]), "negative_binomial").fitted


def scipy_pmf(m, v):
    p = m.parameters
    if m.family == "uniform":
        return stats.randint.pmf(v, p["low"], p["high"] + 1)
    if m.family == "binomial":
        return stats.binom.pmf(v, p["n"], p["p"])
    if m.family == "poisson":
        return stats.poisson.pmf(v, p["rate"])
    if m.family == "geometric":       # failures before the first success
        return stats.geom.pmf(v, p["p"], loc=-1)
    if m.family == "negative_binomial":
        return stats.nbinom.pmf(v, p["r"], p["p"])
    raise AssertionError(m.family)


@pytest.mark.parametrize("data", [COUNTS, OVERDISPERSED])
def test_discrete_kl_is_the_exact_sum(data):
    r = kldiv.fit(data)
    values, counts = np.unique(data, return_counts=True)
    phat = counts / counts.sum()
    assert r.entropy == pytest.approx(stats.entropy(phat), rel=1e-12)
    assert r.kl_estimator.startswith("exact")
    fitted = [m for m in r.models if m.fitted]
    for m in fitted:
        want = special.rel_entr(phat, scipy_pmf(m, values)).sum()
        assert m.kl_method == "exact"
        assert m.kl == pytest.approx(want, rel=1e-10, abs=1e-14), m.family
    assert [m.kl for m in fitted] == sorted(m.kl for m in fitted)
    assert r.best.family in ("poisson", "negative_binomial")


def test_families_whose_support_misses_the_data_are_not_fitted():
    r = kldiv.fit([0, 1, 1, 2, 5], families=["binomial"], binomial_n=4)
    assert r.best is None
    assert r.models[0].reason == "data[4] = 5 exceeds the given n = 4"
    r = kldiv.fit([-1, 1, 1, 2, 5])
    assert r.best.family == "uniform"
    assert [m.fitted for m in r.models] == [True] + [False] * 4
    assert all("needs values >= 0, but data[0] = -1" == m.reason
               for m in r.models[1:])


def test_aic_and_bic_from_the_log_likelihood():
    for data in (COUNTS, POSITIVE):
        r = kldiv.fit(data)
        for m in r.models:
            if m.fitted:
                assert m.aic == pytest.approx(
                    2 * m.k - 2 * m.log_likelihood, rel=1e-14)
                assert m.bic == pytest.approx(
                    m.k * math.log(len(data)) - 2 * m.log_likelihood, rel=1e-14)


# ---- the counts form, kinds, the result --------------------------------------


@pytest.mark.parametrize("values,counts", [
    ([0, 1, 2, 3, 7], [4, 0, 3, 2, 1]),
    ([0.5, 1.25, 2.0, 3.5, 0.5], [2, 1, 3, 1, 1]),
])
def test_counts_give_the_fit_of_the_expanded_data(values, counts):
    raw = np.repeat(values, counts)
    a = kldiv.fit(values, counts=counts).to_dict()
    b = kldiv.fit(raw).to_dict()
    assert a["n"] == b["n"] == sum(counts)
    assert a["discrete"] == b["discrete"]
    assert [m["family"] for m in a["models"]] == [m["family"] for m in b["models"]]
    for ma, mb in zip(a["models"], b["models"]):
        assert ma["parameters"] == pytest.approx(mb["parameters"], rel=1e-12)
        for key in ("log_likelihood", "aic", "bic", "kl"):
            assert ma[key] == pytest.approx(mb[key], rel=1e-12, abs=1e-12)


def test_kind_and_families_choose():
    r = kldiv.fit(COUNTS + 1, kind="continuous", families="gamma")
    assert not r.discrete and [m.family for m in r.models] == ["gamma"]
    r = kldiv.fit(COUNTS, families=("geometric", "poisson"))
    assert {m.family for m in r.models} == {"geometric", "poisson"}


def test_result_dataclasses():
    r = kldiv.fit([1, 2, 2, 3], families=["poisson"])
    assert repr(r).startswith("FitResult(n=4, discrete=True")
    assert "FittedModel(family='poisson', parameters={'rate': 2.0}" in repr(r)
    with pytest.raises(AttributeError):
        r.n = 5
    d = r.to_dict()
    assert d["models"][0]["parameters"] == {"rate": 2.0}
    assert set(d) == {"models", "discrete", "n", "entropy", "kl_estimator",
                      "warnings", "kl_edges"}
    assert d["kl_edges"] == []
    assert kldiv.fit([1.0, 1.0, 1.0], kind="continuous",
                     families=["normal"]).best is None


# ---- errors -----------------------------------------------------------------


def test_errors():
    with pytest.raises(ValueError, match="empty"):
        kldiv.fit([])
    with pytest.raises(ValueError, match=r"data\[2\] = nan"):
        kldiv.fit([1.0, 2.0, float("nan")])
    with pytest.raises(ValueError, match=r"values\[1\] = inf"):
        kldiv.fit([1.0, float("inf")], counts=[1, 1])
    with pytest.raises(ValueError, match=r"unknown family \"cauchy\"; the "
                       r"families are uniform, binomial, poisson, geometric, "
                       r"negative_binomial, normal, lognormal, exponential, "
                       r"gamma, weibull, beta"):
        kldiv.fit([1, 2], families=["cauchy"])
    with pytest.raises(ValueError, match="normal is a continuous family"):
        kldiv.fit([1, 2], families=["normal"])
    with pytest.raises(ValueError, match="kind = 'integer'"):
        kldiv.fit([1, 2], kind="integer")
    with pytest.raises(ValueError, match="whole numbers"):
        kldiv.fit([1.5, 2], kind="discrete")
    with pytest.raises(ValueError, match="must match"):
        kldiv.fit([1, 2], counts=[1])
    with pytest.raises(ValueError, match="binomial_n = -1"):
        kldiv.fit([1, 2], binomial_n=-1)
    with pytest.raises(ValueError, match="families is empty"):
        kldiv.fit([1, 2], families=[])
    with pytest.raises(ValueError, match="1-D"):
        kldiv.fit([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="kl = 'magic': expected auto, knn "
                       "or histogram"):
        kldiv.fit([1.5, 2.5], kl="magic")
    with pytest.raises(ValueError, match="kl = 3"):
        kldiv.fit([1.5, 2.5], kl=3)
    with pytest.raises(ValueError, match="continuous_kl = histogram, but the "
                       "data are fitted as discrete, whose KL is exact"):
        kldiv.fit([1, 2, 2], kl="histogram")
    with pytest.raises(ValueError, match="bins = 'many'"):
        kldiv.fit([1.5, 2.5], bins="many")
    with pytest.raises(ValueError, match=r"bins.edges\[1\] = 1, but edges must "
                       "be strictly increasing"):
        kldiv.fit([1.5, 2.5], kl="histogram", bins=[2.0, 1.0])
