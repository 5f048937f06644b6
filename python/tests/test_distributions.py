"""kldiv.Normal(...) and friends with kldiv.kl_divergence, against
torch.distributions (float64) as the independent reference: every
same-family pair batched on random parameters, broadcasting between P and Q,
entropies, Monte Carlo within 4 standard errors of torch's closed form and
reproducible by seed, and the errors."""
import numpy as np
import pytest
import torch
import torch.distributions as td

import kldiv


def t(x):
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


RNG = np.random.default_rng(11)
N = 50


def pos(lo=-0.7, hi=0.7, size=N):
    return np.exp(RNG.uniform(lo, hi, size))


def uni(lo, hi, size=N):
    return RNG.uniform(lo, hi, size)


# (kldiv class, torch class, parameters of P, parameters of Q); the same
# parameter order in both libraries (torch's Pareto is (scale, alpha) too).
PAIRS = [
    (kldiv.Normal, td.Normal, (uni(-2, 2), pos()), (uni(-2, 2), pos())),
    (kldiv.Exponential, td.Exponential, (pos(),), (pos(),)),
    (kldiv.Gamma, td.Gamma, (uni(0.5, 5), pos()), (uni(0.5, 5), pos())),
    (kldiv.Chi2, td.Chi2, (uni(0.5, 9),), (uni(0.5, 9),)),
    (kldiv.Beta, td.Beta, (uni(0.5, 5), uni(0.5, 5)), (uni(0.5, 5), uni(0.5, 5))),
    (kldiv.Laplace, td.Laplace, (uni(-2, 2), pos()), (uni(-2, 2), pos())),
    (kldiv.LogNormal, td.LogNormal, (uni(-1, 1), pos()), (uni(-1, 1), pos())),
    (kldiv.Gumbel, td.Gumbel, (uni(-2, 2), pos()), (uni(-2, 2), pos())),
    (kldiv.HalfNormal, td.HalfNormal, (pos(),), (pos(),)),
    (kldiv.Pareto, td.Pareto, (uni(2, 3), uni(1.5, 5)), (uni(1, 2), uni(1.5, 5))),
    (kldiv.Bernoulli, td.Bernoulli, (uni(0.05, 0.95),), (uni(0.05, 0.95),)),
    (kldiv.Poisson, td.Poisson, (uni(0.5, 30),), (uni(0.5, 30),)),
    (kldiv.Geometric, td.Geometric, (uni(0.1, 0.9),), (uni(0.1, 0.9),)),
]


@pytest.mark.parametrize("ours,theirs,a,b", PAIRS,
                         ids=[p[0].__name__ for p in PAIRS])
def test_same_family_batches_match_torch(ours, theirs, a, b):
    got = kldiv.kl_divergence(ours(*a), ours(*b))
    want = td.kl_divergence(theirs(*map(t, a)), theirs(*map(t, b))).numpy()
    assert got.shape == (N,)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-13)


def test_uniform_binomial_categorical_dirichlet_match_torch():
    lo = uni(-2, 0)
    hi = uni(1, 3)
    got = kldiv.kl_divergence(kldiv.Uniform(lo + 0.2, hi - 0.3),
                              kldiv.Uniform(lo, hi))
    want = td.kl_divergence(td.Uniform(t(lo + 0.2), t(hi - 0.3)),
                            td.Uniform(t(lo), t(hi))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    # Q's support inside P's: +inf (torch agrees).
    assert kldiv.kl_divergence(kldiv.Uniform(0.0, 2.0),
                               kldiv.Uniform(0.0, 1.0)) == np.inf
    p, q = uni(0.05, 0.95), uni(0.05, 0.95)
    got = kldiv.kl_divergence(kldiv.Binomial(20.0, p), kldiv.Binomial(20.0, q))
    want = td.kl_divergence(td.Binomial(20, t(p)), td.Binomial(20, t(q))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-9)
    probs_p = RNG.dirichlet(np.ones(6), size=(4, 5))
    probs_q = RNG.dirichlet(np.ones(6), size=5)
    got = kldiv.kl_divergence(kldiv.Categorical(probs_p),
                              kldiv.Categorical(probs_q))
    want = td.kl_divergence(td.Categorical(probs=t(probs_p)),
                            td.Categorical(probs=t(probs_q))).numpy()
    assert got.shape == (4, 5)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-15)
    ap, aq = RNG.uniform(0.5, 4, (7, 3)), RNG.uniform(0.5, 4, (7, 3))
    got = kldiv.kl_divergence(kldiv.Dirichlet(ap), kldiv.Dirichlet(aq))
    want = td.kl_divergence(td.Dirichlet(t(ap)), td.Dirichlet(t(aq))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_broadcasting_between_p_and_q_and_scalars():
    loc = np.linspace(-1, 1, 3).reshape(3, 1)
    scale = pos(size=4)
    got = kldiv.kl_divergence(kldiv.Gamma(2.0, scale), kldiv.Gamma(loc + 3, 1.0))
    want = td.kl_divergence(td.Gamma(t(2.0), t(scale)),
                            td.Gamma(t(loc + 3), t(1.0))).numpy()
    assert got.shape == (3, 4)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    one = kldiv.kl_divergence(kldiv.Exponential(1.0), kldiv.Exponential(2.0))
    assert isinstance(one, float)
    assert one == pytest.approx(2.0 - 1.0 - np.log(2.0), rel=1e-15)


def test_entropy_matches_torch():
    scale = pos()
    np.testing.assert_allclose(kldiv.Laplace(0.0, scale).entropy(),
                               td.Laplace(t(0.0), t(scale)).entropy().numpy(),
                               rtol=1e-14)
    a, b = uni(0.5, 5), uni(0.5, 5)
    np.testing.assert_allclose(kldiv.Beta(a, b).entropy(),
                               td.Beta(t(a), t(b)).entropy().numpy(), rtol=1e-12)


def test_monte_carlo_within_four_standard_errors_and_reproducible():
    p, q = kldiv.Gamma([2.0, 3.5], 1.5), kldiv.Gamma(3.0, [1.0, 2.0])
    value, error = kldiv.kl_divergence(p, q, method="monte_carlo",
                                       samples=200_000, seed=5,
                                       return_error=True)
    exact = td.kl_divergence(td.Gamma(t([2.0, 3.5]), t(1.5)),
                             td.Gamma(t(3.0), t([1.0, 2.0]))).numpy()
    assert np.all(error > 0)
    assert np.all(np.abs(value - exact) <= 4 * error)
    again = kldiv.kl_divergence(p, q, method="monte_carlo", samples=200_000,
                                seed=5, threads=1)
    np.testing.assert_array_equal(again, value)
    # "auto" keeps the closed form where there is one (standard error 0).
    v, e = kldiv.kl_divergence(p, q, method="auto", return_error=True)
    np.testing.assert_allclose(v, exact, rtol=1e-12)
    np.testing.assert_array_equal(e, 0.0)
    # Student's t has no closed form: "auto" estimates it; the estimate is
    # against quadrature of p log(p/q) (SciPy's quad on torch's log_prob).
    from scipy.integrate import quad
    tp, tq = td.StudentT(t(3.0)), td.StudentT(t(5.0))

    def integrand(x):
        lp = tp.log_prob(t(x)).item()
        return np.exp(lp) * (lp - tq.log_prob(t(x)).item())
    exact_t = quad(integrand, -np.inf, np.inf, epsabs=1e-13)[0]
    v, e = kldiv.kl_divergence(kldiv.StudentT(3.0), kldiv.StudentT(5.0),
                               method="auto", samples=400_000, seed=1,
                               return_error=True)
    assert e > 0 and abs(v - exact_t) <= 4 * e


def test_quadrature_where_there_is_no_closed_form():
    # Student's t and Cauchy against normal: against SciPy's quad of the
    # integrand built from torch's log_prob (an independent integration).
    from scipy.integrate import quad
    for ours_p, ours_q, tp, tq in [
            (kldiv.StudentT(3.0, 0.5, 2.0), kldiv.StudentT(7.0),
             td.StudentT(t(3.0), t(0.5), t(2.0)), td.StudentT(t(7.0))),
            (kldiv.Normal(0.3, 1.5), kldiv.Cauchy(0.0, 1.0),
             td.Normal(t(0.3), t(1.5)), td.Cauchy(t(0.0), t(1.0)))]:
        def integrand(x):
            lp = tp.log_prob(t(x)).item()
            return np.exp(lp) * (lp - tq.log_prob(t(x)).item())
        want = quad(integrand, -np.inf, np.inf, epsabs=1e-14, epsrel=1e-12,
                    limit=200)[0]
        v, e = kldiv.kl_divergence(ours_p, ours_q, method="quadrature",
                                   return_error=True)
        assert e < 1e-9
        assert v == pytest.approx(want, rel=1e-9)
    # Where a closed form exists it is used (error 0).
    v, e = kldiv.kl_divergence(kldiv.Gamma(2.0), kldiv.Gamma(3.0),
                               method="quadrature", return_error=True)
    assert e == 0.0


def test_errors_name_what_was_wrong():
    with pytest.raises(ValueError, match=r"normal: scale = -2, but must be > 0 "
                       r"and finite \(at flat index 1\)"):
        kldiv.Normal([0.0, 1.0], [1.0, -2.0])
    with pytest.raises(TypeError, match="unknown parameter 'sigma'"):
        kldiv.Normal(sigma=1.0)
    with pytest.raises(TypeError, match="missing parameter 'shape'"):
        kldiv.Gamma(rate=2.0)
    with pytest.raises(ValueError, match="do not broadcast"):
        kldiv.Normal([0.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(NotImplementedError,
                       match=r"kl\(student_t, student_t\): no closed form.*"
                             r"method='auto'"):
        kldiv.kl_divergence(kldiv.StudentT(3.0), kldiv.StudentT(5.0))
    with pytest.raises(ValueError, match="method 'mc'"):
        kldiv.kl_divergence(kldiv.Normal(), kldiv.Normal(), method="mc")
    with pytest.raises(TypeError):
        kldiv.kl_divergence(td.Normal(0.0, 1.0), kldiv.Normal())
    with pytest.raises(ValueError, match="probs must be a vector"):
        kldiv.Categorical(0.5)


def spd(d, size=()):
    a = RNG.normal(size=size + (d, d))
    return a @ np.swapaxes(a, -1, -2) + d * np.eye(d)


def test_multivariate_normal_every_form_matches_torch():
    d = 5
    mp, mq = RNG.normal(size=(6, d)), RNG.normal(size=d)
    sp, sq = spd(d, (6,)), spd(d)
    got = kldiv.kl_divergence(kldiv.MultivariateNormal(mp, sp),
                              kldiv.MultivariateNormal(mq, sq))
    want = td.kl_divergence(td.MultivariateNormal(t(mp), t(sp)),
                            td.MultivariateNormal(t(mq), t(sq))).numpy()
    assert got.shape == (6,)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    # Low rank plus diagonal (torch's LowRankMultivariateNormal) against a
    # diagonal form, both ways.
    w, dg, var = RNG.normal(size=(6, d, 2)), np.exp(RNG.normal(size=(6, d))), \
        np.exp(RNG.normal(size=d))
    lp = kldiv.MultivariateNormal(mp, cov_factor=w, cov_diag=dg)
    dq = kldiv.MultivariateNormal(mq, variance=var)
    tl = td.LowRankMultivariateNormal(t(mp), t(w), t(dg))
    tq = td.MultivariateNormal(t(mq), t(np.diag(var)))
    np.testing.assert_allclose(kldiv.kl_divergence(lp, dq),
                               td.kl_divergence(tl, tq).numpy(), rtol=1e-10)
    np.testing.assert_allclose(kldiv.kl_divergence(dq, lp),
                               td.kl_divergence(tq, tl).numpy(), rtol=1e-10)
    np.testing.assert_allclose(lp.entropy(), tl.entropy().numpy(), rtol=1e-12)


def test_gaussian_measures_by_hand():
    p = kldiv.MultivariateNormal([0.0, 0.0], variance=[1.0, 1.0])
    q = kldiv.MultivariateNormal([[0.0, 0.0], [2.0, 0.0]], [[4.0, 0.0], [0.0, 4.0]])
    # W2: sqrt(|δ|² + Σ (1 - 2)²) = sqrt(2), sqrt(6).
    np.testing.assert_allclose(kldiv.gaussian_divergence(p, q, "wasserstein2"),
                               np.sqrt([2.0, 6.0]), rtol=1e-14)
    # Bhattacharyya, per coordinate with variances 1 and 4: Σ = 5/2,
    # ½ log(2.5 / 2) each, plus δ²/(8 · 2.5).
    b = kldiv.gaussian_divergence(p, q, "bhattacharyya")
    np.testing.assert_allclose(b, [np.log(1.25), np.log(1.25) + 0.2], rtol=1e-13)
    np.testing.assert_allclose(kldiv.gaussian_divergence(p, q, "hellinger"),
                               np.sqrt(-np.expm1(-b)), rtol=1e-13)
    # Rényi of order 1/2 is twice the Bhattacharyya distance.
    np.testing.assert_allclose(kldiv.gaussian_divergence(p, q, "renyi", alpha=0.5),
                               2 * b, rtol=1e-12)
    with pytest.raises(ValueError, match="not positive definite: its leading "
                       "minor of order 2"):
        kldiv.MultivariateNormal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="give exactly one of"):
        kldiv.MultivariateNormal([0.0], [[1.0]], variance=[1.0])
    with pytest.raises(NotImplementedError, match="multivariate normal pairs "
                       "only"):
        kldiv.kl_divergence(p, kldiv.Normal())
    with pytest.raises(ValueError, match="alpha goes with"):
        kldiv.gaussian_divergence(p, q, "renyi")


def test_batches_of_closed_forms_on_threads_equal_scipy():
    # A batch of gamma pairs (the family built once, pairs on threads):
    # the same bits on 1 and 2 threads, and the closed form worked with
    # SciPy's special functions: (a - b) psi(a) - lgamma(a) + lgamma(b)
    # + b (log r - log s) + a (s - r) / r for Gamma(a, r) || Gamma(b, s).
    from scipy import special
    a = np.linspace(0.5, 9.0, 5001)
    r = np.linspace(0.2, 3.0, 5001)
    one = kldiv.kl_divergence(kldiv.Gamma(a, r), kldiv.Gamma(3.0, 2.0),
                              threads=1)
    two = kldiv.kl_divergence(kldiv.Gamma(a, r), kldiv.Gamma(3.0, 2.0),
                              threads=2)
    assert np.array_equal(one, two)
    want = ((a - 3.0) * special.digamma(a) - special.gammaln(a)
            + special.gammaln(3.0) + 3.0 * (np.log(r) - np.log(2.0))
            + a * (2.0 - r) / r)
    np.testing.assert_allclose(one, want, rtol=1e-12, atol=1e-13)
    # A bad element of a batch is named by its index, whichever thread
    # meets it.
    with pytest.raises(ValueError, match=r"at flat index 3"):
        kldiv.kl_divergence(kldiv.Gamma([1.0, 2.0, 3.0, 4.0], 1.0),
                            kldiv.Binomial([2, 2, 2, 2.5], 0.5), threads=2)
