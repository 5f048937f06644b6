"""kldiv.GaussianMixture and KL/JS between mixtures, against independent
references: PyTorch's closed form for one component each, NumPy/SciPy Monte
Carlo estimates, direct NumPy implementations of Hershey & Olsen's
variational and product approximations, and scikit-learn's score_samples."""
import numpy as np
import pytest
import scipy.stats
from scipy.special import logsumexp

import kldiv

ONE_COMPONENT_EXACT = ("unscented", "gaussian", "matched_bound", "variational",
                       "variational_upper")


def random_mixture(rng, k, d, diagonal=False):
    w = rng.dirichlet(np.full(k, 2.0))
    mu = rng.normal(scale=1.5, size=(k, d))
    if diagonal:
        return kldiv.GaussianMixture(w, mu, variances=rng.uniform(0.3, 2.0, (k, d)))
    a = rng.normal(size=(k, d, d))
    cov = a @ np.swapaxes(a, 1, 2) / d + 0.3 * np.eye(d)
    return kldiv.GaussianMixture(w, mu, cov)


def covariances(f):
    if f.covariances is not None:
        return f.covariances
    return np.stack([np.diag(v) for v in f.variances])


def ref_log_pdf(f, x):
    """log f(x) by SciPy's Gaussian log-densities and a log-sum-exp."""
    cov = covariances(f)
    terms = [np.log(w) + scipy.stats.multivariate_normal.logpdf(x, m, c)
             for w, m, c in zip(f.weights, f.means, cov)]
    return logsumexp(np.stack(terms), axis=0)


def ref_sample(f, n, rng):
    """n draws from f by NumPy: a component by its weight, then that Gaussian."""
    cov = covariances(f)
    comp = rng.choice(f.n_components, size=n, p=f.weights)
    z = rng.standard_normal((n, f.dim))
    chol = np.linalg.cholesky(cov)
    return f.means[comp] + np.einsum("nij,nj->ni", chol[comp], z)


def gauss_kl(m0, c0, m1, c1):
    d = len(m0)
    c1inv = np.linalg.inv(c1)
    dm = m1 - m0
    return 0.5 * (np.trace(c1inv @ c0) + dm @ c1inv @ dm - d
                  + np.linalg.slogdet(c1)[1] - np.linalg.slogdet(c0)[1])


# ---- one component each: the closed form ----------------------------------

@pytest.mark.parametrize("diagonal", [False, True])
def test_one_component_methods_give_torch_s_closed_form(diagonal):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    for d in (1, 3, 5):
        f = random_mixture(rng, 1, d, diagonal)
        g = random_mixture(rng, 1, d, diagonal)
        tf = torch.distributions.MultivariateNormal(
            torch.tensor(f.means[0]), torch.tensor(covariances(f)[0]))
        tg = torch.distributions.MultivariateNormal(
            torch.tensor(g.means[0]), torch.tensor(covariances(g)[0]))
        expected = torch.distributions.kl_divergence(tf, tg).item()
        for method in ONE_COMPONENT_EXACT:
            got = kldiv.kl_divergence(f, g, method=method)
            assert got == pytest.approx(expected, rel=1e-10, abs=1e-12), method
        kinds = {r["method"]: r["kind"]
                 for r in kldiv.kl_divergence(f, g, method="all")}
        assert all(kinds[m] == "exact" for m in ONE_COMPONENT_EXACT)


# ---- Monte Carlo ------------------------------------------------------------

def ref_kl_monte_carlo(f, g, n, seed):
    x = ref_sample(f, n, np.random.default_rng(seed))
    r = ref_log_pdf(f, x) - ref_log_pdf(g, x)
    return r.mean(), r.std(ddof=1) / np.sqrt(n)


@pytest.mark.parametrize("seed", [2, 3])
def test_monte_carlo_agrees_with_a_scipy_estimate(seed):
    rng = np.random.default_rng(seed)
    f = random_mixture(rng, 3, 3)
    g = random_mixture(rng, 4, 3, diagonal=seed == 3)
    ref, ref_se = ref_kl_monte_carlo(f, g, 200_000, seed + 100)
    value, se = kldiv.kl_divergence(f, g, method="monte_carlo", samples=100_000,
                                    seed=7, return_error=True)
    assert 0 < se < 0.05
    assert abs(value - ref) < 4 * np.hypot(se, ref_se)
    # The default method's errors name this one; "auto" means it.
    assert kldiv.kl_divergence(f, g, method="auto", samples=100_000,
                               seed=7) == value


def test_monte_carlo_is_reproducible_for_any_thread_count():
    rng = np.random.default_rng(4)
    f, g = random_mixture(rng, 3, 3), random_mixture(rng, 2, 3)
    one = kldiv.kl_divergence(f, g, method="monte_carlo", samples=50_000,
                              seed=11, threads=1, return_error=True)
    for threads in (None, 2, 3):
        assert kldiv.kl_divergence(f, g, method="monte_carlo", samples=50_000,
                                   seed=11, threads=threads,
                                   return_error=True) == one
    other = kldiv.kl_divergence(f, g, method="monte_carlo", samples=50_000,
                                seed=12)
    assert other != one[0]


def test_js_agrees_with_a_scipy_estimate():
    rng = np.random.default_rng(5)
    f, g = random_mixture(rng, 3, 3), random_mixture(rng, 2, 3)
    n = 100_000

    def half(src, other, seed):
        x = ref_sample(src, n, np.random.default_rng(seed))
        ls, lo = ref_log_pdf(src, x), ref_log_pdf(other, x)
        return ls - (np.logaddexp(ls, lo) - np.log(2.0))

    a, b = half(f, g, 21), half(g, f, 22)
    ref = 0.5 * (a.mean() + b.mean())
    ref_se = 0.5 * np.hypot(a.std(ddof=1), b.std(ddof=1)) / np.sqrt(n)
    value, se = kldiv.js_divergence_mixture(f, g, samples=n, seed=3)
    assert 0 < value < np.log(2.0)
    assert abs(value - ref) < 4 * np.hypot(se, ref_se)
    assert kldiv.js_divergence_mixture(f, g, samples=n, seed=3,
                                       threads=1) == (value, se)
    assert kldiv.js_divergence_mixture(f, f, samples=1000) == (0.0, 0.0)


# ---- the deterministic approximations, written out in NumPy -----------------

def components(f):
    return list(zip(f.weights, f.means, covariances(f)))


def ref_variational(f, g):
    """Hershey & Olsen (2007), eq. (18)."""
    out = 0.0
    for wa, ma, ca in components(f):
        num = sum(w * np.exp(-gauss_kl(ma, ca, m, c)) for w, m, c in components(f))
        den = sum(w * np.exp(-gauss_kl(ma, ca, m, c)) for w, m, c in components(g))
        out += wa * np.log(num / den)
    return out


def ref_product(f, g):
    """Hershey & Olsen (2007), the product of Gaussians approximation:
    z_ab = N(μ_a; ν_b, Σ_a + Γ_b)."""
    def z(ma, ca, m, c):
        return scipy.stats.multivariate_normal.pdf(ma, m, ca + c)
    out = 0.0
    for wa, ma, ca in components(f):
        num = sum(w * z(ma, ca, m, c) for w, m, c in components(f))
        den = sum(w * z(ma, ca, m, c) for w, m, c in components(g))
        out += wa * np.log(num / den)
    return out


@pytest.mark.parametrize("seed,d,diagonal", [(6, 2, False), (7, 4, False),
                                             (8, 3, True)])
def test_variational_and_product_match_the_formulas(seed, d, diagonal):
    rng = np.random.default_rng(seed)
    f = random_mixture(rng, 3, d, diagonal)
    g = random_mixture(rng, 4, d, diagonal)
    assert kldiv.kl_divergence(f, g, method="variational") == pytest.approx(
        ref_variational(f, g), rel=1e-10, abs=1e-12)
    assert kldiv.kl_divergence(f, g, method="product") == pytest.approx(
        ref_product(f, g), rel=1e-10, abs=1e-12)


def test_all_lists_every_method_with_its_kind():
    rng = np.random.default_rng(9)
    f, g = random_mixture(rng, 3, 2), random_mixture(rng, 2, 2)
    rows = kldiv.kl_divergence(f, g, method="all", samples=20_000, seed=1)
    assert [r["method"] for r in rows] == [
        "monte_carlo", "unscented", "gaussian", "product", "matched_bound",
        "variational", "variational_upper", "lower_bound", "upper_bound"]
    for r in rows:
        assert set(r) == {"method", "value", "standard_error", "kind", "seconds"}
        assert r["value"] == kldiv.kl_divergence(
            f, g, method=r["method"], samples=20_000, seed=1)
    kinds = {r["method"]: r["kind"] for r in rows}
    assert kinds["monte_carlo"] == "estimate"
    assert kinds["variational"] == "approximation"
    assert kinds["lower_bound"] == "lower bound"
    assert kinds["upper_bound"] == "upper bound"
    assert rows[0]["standard_error"] > 0
    assert all(r["standard_error"] == 0 for r in rows[1:])


# ---- the mixture itself -------------------------------------------------------

@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical", "tied"])
def test_log_pdf_matches_sklearn_score_samples(covariance_type):
    mixture = pytest.importorskip("sklearn.mixture")
    rng = np.random.default_rng(10)
    data = np.concatenate([rng.normal(size=(150, 3)),
                           rng.normal(loc=3.0, scale=0.5, size=(150, 3))])
    model = mixture.GaussianMixture(3, covariance_type=covariance_type,
                                    random_state=0).fit(data)
    f = kldiv.GaussianMixture.from_sklearn(model)
    assert (f.n_components, f.dim) == (3, 3)
    assert f.form == ("full" if covariance_type in ("full", "tied") else "diagonal")
    x = rng.normal(scale=2.0, size=(200, 3))
    expected = model.score_samples(x)
    np.testing.assert_allclose(f.log_pdf(x), expected, rtol=1e-10, atol=1e-10)
    assert f.log_pdf(x[5]) == pytest.approx(expected[5], rel=1e-10)
    assert isinstance(f.log_pdf(x[5]), float)


def test_from_sklearn_refuses_an_unfitted_model():
    mixture = pytest.importorskip("sklearn.mixture")
    with pytest.raises(ValueError, match="not fitted.*call fit"):
        kldiv.GaussianMixture.from_sklearn(mixture.GaussianMixture(2))


def test_sample_is_seeded_and_has_the_mixture_s_moments():
    rng = np.random.default_rng(12)
    f = random_mixture(rng, 3, 2)
    x = f.sample(200_000, seed=5)
    assert x.shape == (200_000, 2)
    np.testing.assert_array_equal(f.sample(100, seed=5), x[:100])
    assert not np.array_equal(f.sample(100, seed=6), x[:100])
    # Mean Σ w μ and covariance Σ w (Σ + μ μ^T) - mean mean^T, by NumPy.
    mean = f.weights @ f.means
    cov = np.einsum("a,aij->ij", f.weights,
                    f.covariances + np.einsum("ai,aj->aij", f.means, f.means))
    cov -= np.outer(mean, mean)
    se = np.sqrt(np.diag(cov) / len(x))
    assert np.all(np.abs(x.mean(0) - mean) < 5 * se)
    np.testing.assert_allclose(np.cov(x.T), cov, rtol=0.03, atol=0.03)
    m = f.moment_match()
    assert isinstance(m, kldiv.MultivariateNormal)
    np.testing.assert_allclose(m.loc, mean, rtol=1e-12, atol=1e-12)
    # KL to the reference Gaussian is 0 exactly when its covariance is cov.
    assert kldiv.kl_divergence(m, kldiv.MultivariateNormal(mean, cov)) == \
        pytest.approx(0.0, abs=1e-12)


def test_attributes():
    f = kldiv.GaussianMixture([0.25, 0.75], [[0.0, 1.0], [2.0, 3.0]],
                              variances=[[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(f.weights, [0.25, 0.75])
    np.testing.assert_array_equal(f.variances, [[1.0, 2.0], [3.0, 4.0]])
    assert f.covariances is None and f.form == "diagonal"
    assert repr(f) == "GaussianMixture(n_components=2, dim=2, form='diagonal')"
    with pytest.raises(ValueError):
        f.means[0, 0] = 5.0  # read-only


# ---- errors ------------------------------------------------------------------

@pytest.mark.parametrize("args,kwargs,message", [
    (([0.5, 0.6], [[0.0], [1.0]]), {"variances": [[1.0], [1.0]]},
     "the weights sum to 1.1, but must sum to 1"),
    (([0.5, 0.5], [[0.0], [1.0], [2.0]], [[[1.0]], [[1.0]]]), {},
     "2 weights but 3 rows of means"),
    (([0.5, 0.5], [[0.0, 0.0], [1.0, 0.0]], [[[1.0]], [[1.0]]]), {},
     "each covariance has 1 entries, but 2 x 2 are needed"),
    (([0.5, 0.5], [[0.0, 0.0], [1.0, 0.0]],
      [[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]]), {},
     "component 1: multivariate_normal: the covariance is not positive definite"),
    (([1.0], [[0.0]]), {"variances": [[-1.0]]},
     r"component 0: .*variances\[0\] = -1, but must be > 0"),
    (([0.5, 0.5], [0.0, 1.0]), {"variances": [[1.0], [1.0]]},
     r"means has shape \(2,\), but must be \(k, d\)"),
    (([1.0], [[0.0]], [[1.0]]), {}, "covariances has shape"),
    (([1.0], [[0.0]]), {}, "give exactly one of covariances"),
])
def test_bad_mixtures_are_value_errors_with_the_message(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kldiv.GaussianMixture(*args, **kwargs)


def test_kl_errors():
    f = kldiv.GaussianMixture([1.0], [[0.0]], variances=[[1.0]])
    g2 = kldiv.GaussianMixture([1.0], [[0.0, 0.0]], variances=[[1.0, 1.0]])
    with pytest.raises(NotImplementedError, match="GaussianMixture against Normal"):
        kldiv.kl_divergence(f, kldiv.Normal(0.0, 1.0), method="monte_carlo")
    with pytest.raises(NotImplementedError,
                       match="MultivariateNormal against GaussianMixture"):
        kldiv.kl_divergence(kldiv.MultivariateNormal([0.0], [[1.0]]), f)
    with pytest.raises(NotImplementedError, match="no closed form.*variational"):
        kldiv.kl_divergence(f, f)
    with pytest.raises(ValueError, match="method 'foo'.*monte_carlo"):
        kldiv.kl_divergence(f, f, method="foo")
    with pytest.raises(ValueError, match="f has dimension 1 but g has 2"):
        kldiv.kl_divergence(f, g2, method="variational")
    with pytest.raises(ValueError, match="samples = 1"):
        kldiv.kl_divergence(f, f, method="monte_carlo", samples=1)
    with pytest.raises(ValueError, match=r"x has shape \(2, 2\), but must be \(n, 1\)"):
        f.log_pdf(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="x has 2 entries for dimension 1"):
        f.log_pdf([0.0, 1.0])
    with pytest.raises(NotImplementedError, match="GaussianMixture against Normal"):
        kldiv.js_divergence_mixture(f, kldiv.Normal(0.0, 1.0))
