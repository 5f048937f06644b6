"""Parametric distributions as batches of parameters, and KL between them.

Each class holds NumPy arrays of parameters that broadcast together (a
vector parameter, Categorical's probs or Dirichlet's alpha, has its own last
axis); kl_divergence(P, Q) works elementwise over the broadcast batch, by the
closed form where one exists (also across families), +inf where the supports
make KL infinite, and otherwise, when asked, a Monte Carlo estimate with its
standard error. The parameters are checked when the object is made
(ValueError naming the family, the parameter and the index).

>>> import kldiv
>>> kldiv.kl_divergence(kldiv.Normal(0.0, 1.0), kldiv.Normal(1.0, 2.0))
0.4431471805599453
>>> kldiv.kl_divergence(kldiv.Poisson([1.0, 2.0]), kldiv.Poisson(2.0))
array([0.30685282, 0.        ])
>>> kldiv.Gamma(2.0)
Gamma(shape=2.0, rate=1.0)
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _kldiv

__all__ = [
    "Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy", "Chi2",
    "Dirichlet", "Distribution", "Exponential", "Gamma", "Geometric",
    "GaussianMixture", "Gumbel", "HalfNormal", "Laplace", "LogNormal",
    "MultivariateNormal", "Normal", "Pareto", "Poisson", "StudentT",
    "Uniform", "VonMises", "Weibull", "gaussian_divergence",
    "js_divergence_mixture", "kl_divergence",
]

_METHODS = ("exact", "auto", "quadrature", "monte_carlo")


class Distribution:
    """A batch of distributions of one family (see the subclasses)."""

    family: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec = _kldiv.distribution_parameters(self.family)
        names = [name for name, _, _ in spec]
        if len(args) > len(spec):
            raise TypeError(
                f"{type(self).__name__} takes at most {len(spec)} parameters "
                f"({', '.join(names)}), got {len(args)}")
        given: Dict[str, Any] = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(
                    f"{type(self).__name__}: unknown parameter '{key}': its "
                    f"parameters are {', '.join(names)}")
            if key in given:
                raise TypeError(f"{type(self).__name__}: {key} is given twice")
            given[key] = value
        arrays = []
        for name, fallback, is_vector in spec:
            if name not in given:
                if fallback is None:
                    raise TypeError(
                        f"{type(self).__name__}: missing parameter '{name}' "
                        f"(its parameters are {', '.join(names)})")
                given[name] = fallback
            a = np.asarray(given[name], dtype=np.float64)
            if is_vector and a.ndim == 0:
                raise ValueError(
                    f"{type(self).__name__}: {name} must be a vector (its "
                    f"last axis), not a number")
            arrays.append(a)
        shapes = [a.shape[:-1] if v else a.shape
                  for a, (_, _, v) in zip(arrays, spec)]
        try:
            self.batch_shape: Tuple[int, ...] = np.broadcast_shapes(*shapes)
        except ValueError:
            raise ValueError(
                f"{type(self).__name__}: the parameters' shapes "
                f"{', '.join(str(s) for s in shapes)} do not broadcast") from None
        self.params: Dict[str, np.ndarray] = {}
        for a, (name, _, is_vector) in zip(arrays, spec):
            shape = self.batch_shape + (a.shape[-1:] if is_vector else ())
            self.params[name] = np.broadcast_to(a, shape)
        self._vector = {name: v for name, _, v in spec}
        _kldiv.check_batch(self.family, self._flat(self.batch_shape))

    def _flat(self, shape: Tuple[int, ...]) -> List[np.ndarray]:
        """The parameters as (n, k) arrays over `shape` (n = 1 when the
        batch is a single distribution)."""
        out = []
        for name, a in self.params.items():
            k = a.shape[-1] if self._vector[name] else 1
            if self.batch_shape == ():
                out.append(np.ascontiguousarray(a.reshape(1, k)))
            else:
                b = np.broadcast_to(a, shape + ((k,) if self._vector[name] else ()))
                out.append(np.ascontiguousarray(b).reshape(-1, k))
        return out

    def entropy(self):
        """The differential (or Shannon) entropy of each, in nats;
        NotImplementedError where it has no closed form."""
        out = _kldiv.entropy_batch(self.family, self._flat(self.batch_shape))
        return float(out[0]) if self.batch_shape == () else out.reshape(self.batch_shape)

    def __repr__(self) -> str:
        def show(a: np.ndarray) -> str:
            if a.ndim == 0:
                return repr(float(a))
            return np.array2string(a, separator=", ")
        body = ", ".join(f"{k}={show(v)}" for k, v in self.params.items())
        return f"{type(self).__name__}({body})"


def _family(cls_name: str, family: str, doc: str) -> type:
    return type(cls_name, (Distribution,), {"family": family, "__doc__": doc})


Normal = _family("Normal", "normal", "Normal(loc=0, scale=1).")
Exponential = _family("Exponential", "exponential", "Exponential(rate=1).")
Gamma = _family("Gamma", "gamma", "Gamma(shape, rate=1).")
Chi2 = _family("Chi2", "chi2", "Chi2(df).")
Beta = _family("Beta", "beta", "Beta(a, b).")
Laplace = _family("Laplace", "laplace", "Laplace(loc=0, scale=1).")
Uniform = _family("Uniform", "uniform", "Uniform(low, high).")
LogNormal = _family("LogNormal", "lognormal",
                    "LogNormal(loc=0, scale=1): log X ~ Normal(loc, scale).")
Cauchy = _family("Cauchy", "cauchy", "Cauchy(loc=0, scale=1).")
Gumbel = _family("Gumbel", "gumbel", "Gumbel(loc=0, scale=1).")
HalfNormal = _family("HalfNormal", "half_normal", "HalfNormal(scale=1).")
Pareto = _family("Pareto", "pareto", "Pareto(scale, alpha).")
Weibull = _family("Weibull", "weibull", "Weibull(scale, shape).")
StudentT = _family("StudentT", "student_t", "StudentT(df, loc=0, scale=1).")
VonMises = _family("VonMises", "von_mises",
                   "VonMises(loc=0, concentration=1).")
Bernoulli = _family("Bernoulli", "bernoulli", "Bernoulli(p).")
Binomial = _family("Binomial", "binomial", "Binomial(n, p).")
Poisson = _family("Poisson", "poisson", "Poisson(rate).")
Geometric = _family("Geometric", "geometric",
                    "Geometric(p): failures before the first success.")
Categorical = _family("Categorical", "categorical",
                      "Categorical(probs): probs on the last axis.")
Dirichlet = _family("Dirichlet", "dirichlet",
                    "Dirichlet(alpha): alpha on the last axis.")


class MultivariateNormal:
    """MultivariateNormal(loc, covariance_matrix) with loc (..., d) and a
    full covariance (..., d, d) (symmetric positive definite; only its lower
    triangle is read); or variance=(..., d) for a diagonal covariance; or
    cov_factor=W (..., d, r) and cov_diag=D (..., d) for W W^T + diag(D), as
    torch's LowRankMultivariateNormal. The batch dimensions broadcast. A
    covariance that is not positive definite is a ValueError naming the
    failing leading minor (no jitter is added).

    >>> p = MultivariateNormal([0.0, 0.0], [[2.0, 0.0], [0.0, 5.0]])
    >>> q = MultivariateNormal([0.0, 0.0], variance=[1.0, 1.0])
    >>> round(kl_divergence(p, q), 15)          # ½ Σ (v - 1 - log v), v = 2, 5
    1.348707453502978
    """

    def __init__(self, loc, covariance_matrix=None, *, variance=None,
                 cov_factor=None, cov_diag=None) -> None:
        loc = np.asarray(loc, dtype=np.float64)
        if loc.ndim == 0:
            raise ValueError("MultivariateNormal: loc must have shape (..., d)")
        given = [covariance_matrix is not None, variance is not None,
                 cov_factor is not None or cov_diag is not None]
        if sum(given) != 1:
            raise ValueError(
                "MultivariateNormal: give exactly one of covariance_matrix, "
                "variance, or cov_factor with cov_diag")
        d = loc.shape[-1]
        if covariance_matrix is not None:
            self.form = "full"
            a = np.asarray(covariance_matrix, dtype=np.float64)
            if a.ndim < 2 or a.shape[-2:] != (d, d):
                raise ValueError(
                    f"MultivariateNormal: covariance_matrix has shape "
                    f"{a.shape}, but must be (..., {d}, {d})")
            parts = [(a, 2)]
        elif variance is not None:
            self.form = "diagonal"
            a = np.asarray(variance, dtype=np.float64)
            if a.ndim < 1 or a.shape[-1] != d:
                raise ValueError(f"MultivariateNormal: variance has shape "
                                 f"{a.shape}, but must be (..., {d})")
            parts = [(a, 1)]
        else:
            if cov_factor is None or cov_diag is None:
                raise ValueError("MultivariateNormal: cov_factor and cov_diag "
                                 "go together")
            self.form = "low_rank"
            w = np.asarray(cov_factor, dtype=np.float64)
            dg = np.asarray(cov_diag, dtype=np.float64)
            if w.ndim < 2 or w.shape[-2] != d or dg.ndim < 1 or dg.shape[-1] != d:
                raise ValueError(
                    f"MultivariateNormal: cov_factor {w.shape} and cov_diag "
                    f"{dg.shape} must be (..., {d}, r) and (..., {d})")
            parts = [(w, 2), (dg, 1)]
        try:
            self.batch_shape = np.broadcast_shapes(
                loc.shape[:-1], *(x.shape[:-k] for x, k in parts))
        except ValueError:
            raise ValueError("MultivariateNormal: the batch shapes do not "
                             "broadcast") from None
        self.loc = loc
        self._parts = parts
        self._cache: Dict[Tuple[int, ...], Any] = {}
        self._batch(self.batch_shape)  # checks every element now

    def _batch(self, shape: Tuple[int, ...]):
        if self.batch_shape == ():
            shape = ()
        if shape not in self._cache:
            def flat(x, k):
                b = np.broadcast_to(x, shape + x.shape[x.ndim - k:])
                return np.ascontiguousarray(b).reshape((-1,) + x.shape[x.ndim - k:])
            arrays = [flat(x, k) for x, k in self._parts]
            if len(arrays) == 1:
                arrays.append(np.zeros((0,)))
            self._cache[shape] = _kldiv.mvn_make(
                self.form, flat(self.loc, 1), arrays[0], arrays[1])
        return self._cache[shape]

    def entropy(self):
        """Differential entropy of each, in nats."""
        out = _kldiv.mvn_entropy(self._batch(self.batch_shape))
        return float(out[0]) if self.batch_shape == () else out.reshape(self.batch_shape)

    def __repr__(self) -> str:
        return (f"MultivariateNormal(form={self.form!r}, d={self.loc.shape[-1]}, "
                f"batch_shape={self.batch_shape})")


class GaussianMixture:
    """GaussianMixture(weights, means, covariances=None, *, variances=None):
    f(x) = Σ_a w_a N(x; μ_a, Σ_a) with weights (k,) (>= 0, summing to 1
    within 1e-6, then divided by their sum), means (k, d), and either full
    covariances (k, d, d) (symmetric positive definite; only the lower
    triangle is read) or variances=(k, d) for diagonal components. The
    library checks them (ValueError naming the component and the problem; no
    jitter is added). For a fitted scikit-learn model, use
    GaussianMixture.from_sklearn(model).

    Attributes: weights, means, covariances (full form, else None),
    variances (diagonal form, else None), form ("full" or "diagonal"),
    n_components, dim.

    >>> f = GaussianMixture([0.5, 0.5], [[-1.0], [1.0]], variances=[[1.0], [1.0]])
    >>> f.n_components, f.dim
    (2, 1)
    >>> round(f.log_pdf([0.0]), 12)             # log N(1; 0, 1)
    -1.418938533205
    >>> f.log_pdf([[-1.0], [1.0]]).round(6)     # log((N(0) + N(2)) / 2)
    array([-1.485158, -1.485158])
    >>> m = f.moment_match()                   # mean 0, variance 1 + 1
    >>> kl_divergence(m, MultivariateNormal([0.0], [[2.0]]))
    0.0
    >>> f.sample(3, seed=1).shape
    (3, 1)
    """

    def __init__(self, weights, means, covariances=None, *,
                 variances=None) -> None:
        if (covariances is None) == (variances is None):
            raise ValueError("GaussianMixture: give exactly one of covariances "
                             "(k, d, d) and variances=(k, d)")
        w = np.array(weights, dtype=np.float64)
        mu = np.array(means, dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(f"GaussianMixture: weights has shape {w.shape}, "
                             f"but must be (k,)")
        if mu.ndim != 2:
            raise ValueError(f"GaussianMixture: means has shape {mu.shape}, "
                             f"but must be (k, d)")
        self.covariances: Optional[np.ndarray] = None
        self.variances: Optional[np.ndarray] = None
        if covariances is not None:
            c = np.array(covariances, dtype=np.float64)
            if c.ndim != 3 or c.shape[1] != c.shape[2]:
                raise ValueError(f"GaussianMixture: covariances has shape "
                                 f"{c.shape}, but must be (k, d, d)")
            self.form = "full"
            self._f = _kldiv.gmm_make(
                "full", w, mu, c.reshape(c.shape[0], c.shape[1] * c.shape[2]))
            self.covariances = c
        else:
            v = np.array(variances, dtype=np.float64)
            if v.ndim != 2:
                raise ValueError(f"GaussianMixture: variances has shape "
                                 f"{v.shape}, but must be (k, d)")
            self.form = "diagonal"
            self._f = _kldiv.gmm_make("diagonal", w, mu, v)
            self.variances = v
        self.weights: np.ndarray = self._f.weights  # as the library keeps them
        self.means = mu
        for a in (self.weights, self.means, self.covariances, self.variances):
            if a is not None:
                a.setflags(write=False)
        self.n_components: int = self._f.n_components
        self.dim: int = self._f.dim

    @classmethod
    def from_sklearn(cls, model) -> "GaussianMixture":
        """The mixture of a fitted sklearn.mixture.GaussianMixture (or
        BayesianGaussianMixture) with covariance_type "full" or "tied" (as
        full components, the tied matrix repeated), "diag" or "spherical" (as
        diagonal components, the one variance repeated d times)."""
        name = type(model).__name__
        for attr in ("weights_", "means_", "covariances_"):
            if not hasattr(model, attr):
                raise ValueError(
                    f"GaussianMixture.from_sklearn: this {name} is not "
                    f"fitted (it has no {attr}); call fit(X) first")
        kind = getattr(model, "covariance_type", None)
        w = np.asarray(model.weights_, dtype=np.float64)
        mu = np.asarray(model.means_, dtype=np.float64)
        c = np.asarray(model.covariances_, dtype=np.float64)
        k, d = mu.shape
        if kind == "full":
            return cls(w, mu, c)
        if kind == "tied":
            return cls(w, mu, np.broadcast_to(c, (k, d, d)))
        if kind == "diag":
            return cls(w, mu, variances=c)
        if kind == "spherical":
            return cls(w, mu, variances=np.repeat(c[:, None], d, axis=1))
        raise ValueError(
            f"GaussianMixture.from_sklearn: covariance_type {kind!r}: "
            f"expected 'full', 'tied', 'diag' or 'spherical'")

    def log_pdf(self, x, *, threads: Optional[int] = None):
        """log f(x): a float for one point x (d,), an array (n,) for the rows
        of x (n, d). `threads` split the rows (the values do not depend on
        it)."""
        a = np.ascontiguousarray(x, dtype=np.float64)
        if a.ndim not in (1, 2):
            raise ValueError(f"GaussianMixture.log_pdf: x has shape {a.shape}, "
                             f"but must be (d,) or (n, d)")
        if a.ndim == 2 and a.shape[1] != self.dim:
            raise ValueError(f"GaussianMixture.log_pdf: x has shape {a.shape}, "
                             f"but must be (n, {self.dim})")
        return _kldiv.gmm_log_pdf(self._f, a, 0 if threads is None else int(threads))

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """n draws (n, d): a component by its weight, then that Gaussian; the
        same seed gives the same draws."""
        if int(n) < 0:
            raise ValueError(f"GaussianMixture.sample: n = {n}, but must be >= 0")
        return _kldiv.gmm_sample(self._f, int(n), int(seed))

    def moment_match(self) -> "MultivariateNormal":
        """The single Gaussian with the mixture's mean Σ w_a μ_a and
        covariance Σ w_a (Σ_a + μ_a μ_a^T) - μ μ^T."""
        mean, cov = _kldiv.gmm_moment_match(self._f)
        return MultivariateNormal(mean, cov)

    def __repr__(self) -> str:
        return (f"GaussianMixture(n_components={self.n_components}, "
                f"dim={self.dim}, form={self.form!r})")


def _mixture_arguments(p, q, samples, threads) -> Tuple[int, int]:
    if not isinstance(p, GaussianMixture) or not isinstance(q, GaussianMixture):
        raise NotImplementedError(
            f"{type(p).__name__} against {type(q).__name__}: a Gaussian "
            f"mixture pairs only with another GaussianMixture (a Gaussian is a "
            f"one-component mixture: GaussianMixture([1.0], [mean], [cov]))")
    if int(samples) < 2:
        raise ValueError(f"samples = {samples}, but must be >= 2")
    return int(samples), 0 if threads is None else int(threads)


def _mixture_kl(p, q, method, samples, seed, threads, return_error):
    n, nthreads = _mixture_arguments(p, q, samples, threads)
    names = _kldiv.gmm_methods()
    if method in ("exact", "quadrature"):
        raise NotImplementedError(
            f"KL between Gaussian mixtures has no closed form (method "
            f"'{method}'): choose method='monte_carlo' (an estimate; "
            f"return_error=True gives its standard error), 'variational' (a "
            f"fast deterministic approximation), 'all' (every method with its "
            f"kind), or one of {', '.join(names)}")
    if method == "auto":
        method = "monte_carlo"
    if method == "all":
        return _kldiv.gmm_kl_summary(p._f, q._f, n, int(seed), nthreads)
    if method not in names:
        raise ValueError(f"method '{method}' for Gaussian mixtures: choose one "
                         f"of {', '.join(names)}, 'auto' or 'all'")
    r = _kldiv.gmm_kl(p._f, q._f, method, n, int(seed), nthreads)
    return (r["value"], r["standard_error"]) if return_error else r["value"]


def js_divergence_mixture(f: GaussianMixture, g: GaussianMixture, *,
                          samples: int = 100_000, seed: int = 0,
                          threads: Optional[int] = None) -> Tuple[float, float]:
    """Jensen-Shannon divergence between two Gaussian mixtures, in nats:
    ½ KL(f || m) + ½ KL(g || m), m = (f + g)/2, by Monte Carlo over `samples`
    draws from each of f and g (the same seed gives the same value for any
    `threads`). Returns (value, standard_error); 0 <= value <= log 2 up to
    that error, exactly 0 for identical mixtures.

    >>> f = GaussianMixture([1.0], [[0.0]], [[[1.0]]])
    >>> js_divergence_mixture(f, f)
    (0.0, 0.0)
    """
    n, nthreads = _mixture_arguments(f, g, samples, threads)
    return _kldiv.gmm_js(f._f, g._f, n, int(seed), nthreads)


_GAUSSIAN_MEASURES = ("kl", "bhattacharyya", "hellinger", "renyi", "wasserstein2")


def _mvn_measure(p, q, measure, alpha, threads):
    if not isinstance(p, MultivariateNormal) or not isinstance(q, MultivariateNormal):
        raise NotImplementedError(
            f"{type(p).__name__} against {type(q).__name__}: a multivariate "
            f"normal pairs only with another multivariate normal")
    shape = np.broadcast_shapes(p.batch_shape, q.batch_shape)
    out = _kldiv.mvn_measure(measure, p._batch(shape), q._batch(shape),
                             float(alpha), 0 if threads is None else int(threads))
    return float(out[0]) if shape == () else out.reshape(shape)


def gaussian_divergence(p: MultivariateNormal, q: MultivariateNormal,
                        measure: str = "kl", *, alpha: Optional[float] = None,
                        threads: Optional[int] = None):
    """Between two (batches of) multivariate normals, in nats: "kl",
    "bhattacharyya" (distance), "hellinger", "renyi" (order `alpha`; +inf
    where alpha Σq + (1 - alpha) Σp is not positive definite) or
    "wasserstein2" (the 2-Wasserstein distance).

    >>> p = MultivariateNormal([0.0], variance=[1.0])
    >>> q = MultivariateNormal([3.0], variance=[4.0])
    >>> gaussian_divergence(p, q, "wasserstein2")     # sqrt(3² + (1 - 2)²)
    3.1622776601683795
    """
    if measure not in _GAUSSIAN_MEASURES:
        raise ValueError(f"measure '{measure}': choose one of "
                         f"{', '.join(_GAUSSIAN_MEASURES)}")
    if (measure == "renyi") != (alpha is not None):
        raise ValueError("alpha goes with measure='renyi' (and only with it)")
    return _mvn_measure(p, q, measure, 0.0 if alpha is None else alpha, threads)


def kl_divergence(p: Distribution, q: Distribution, *, method: str = "exact",
                  samples: Optional[int] = None, seed: int = 0,
                  threads: Optional[int] = None, return_error: bool = False):
    """KL(P || Q) in nats, elementwise over the broadcast batch of P and Q
    (for two GaussianMixture objects, see "Gaussian mixtures" below).

    method:
      "exact"        the closed form (same family or across families), or
                     +inf where the supports make KL infinite; a pair with
                     neither raises NotImplementedError naming both families.
      "auto"         as "exact", and a Monte Carlo estimate where there is no
                     exact value.
      "quadrature"   as "exact", and numerical integration (Boost.Math's
                     double-exponential quadrature; summation for discrete
                     pairs) where there is no exact value, for
                     one-dimensional pairs; the standard error is then the
                     quadrature's error estimate.
      "monte_carlo"  the estimate always (for checks): the mean over `samples`
                     (default 10^6) draws x ~ P of log p(x) - log q(x), each
                     pair from the streams of `seed` (the same numbers for any
                     `threads`).

    With return_error=True, returns (value, standard_error); the standard
    error is 0 for exact values.

    >>> kl_divergence(Exponential(1.0), Exponential(2.0))    # 2 - 1 - log 2
    0.3068528194400547
    >>> kl_divergence(Normal(0.0, 1.0), Exponential(1.0))     # support
    inf

    Gaussian mixtures (P and Q both GaussianMixture; a mixture against any
    other distribution raises NotImplementedError): KL has no closed form, so
    the default method="exact" (and "quadrature") raises NotImplementedError
    listing the methods; name one:
      "monte_carlo"        the mean of log p(x) - log q(x) over `samples`
                           (default 10^5) draws x ~ P, with its standard
                           error (return_error=True); "auto" means this.
      "variational"        Hershey & Olsen's variational approximation: fast,
                           deterministic, usually the best of the
                           closed-form approximations.
      "unscented", "gaussian" (the moment-matched Gaussians), "product",
      "matched_bound", "variational_upper" (an upper bound of the
                           variational kind), "lower_bound", "upper_bound"
                           (Durrieu, Thiran & Kelly's bounds).
      "all"                every method above as a list of dicts {method,
                           value, standard_error, kind, seconds}; kind is
                           "exact" (one component each, where the method then
                           gives the closed form), "estimate", "approximation",
                           "lower bound" or "upper bound".
    The deterministic methods have standard error 0.

    >>> f = GaussianMixture([1.0], [[0.0]], [[[1.0]]])
    >>> g = GaussianMixture([1.0], [[1.0]], [[[4.0]]])
    >>> round(kl_divergence(f, g, method="variational"), 15)   # as for Normals
    0.443147180559945
    >>> value, error = kl_divergence(f, g, method="monte_carlo", return_error=True)
    >>> abs(value - 0.443147180559945) < 4 * error
    True
    >>> [r["kind"] for r in kl_divergence(f, g, method="all")][:3]
    ['estimate', 'exact', 'exact']
    """
    if isinstance(p, GaussianMixture) or isinstance(q, GaussianMixture):
        return _mixture_kl(p, q, method, 100_000 if samples is None else samples,
                           seed, threads, return_error)
    if samples is None:
        samples = 1_000_000
    if isinstance(p, MultivariateNormal) or isinstance(q, MultivariateNormal):
        if method == "monte_carlo":
            raise NotImplementedError(
                "multivariate normals: KL is exact (method 'exact' or 'auto')")
        value = _mvn_measure(p, q, "kl", 0.0, threads)
        if not return_error:
            return value
        return value, (0.0 if np.ndim(value) == 0 else np.zeros(np.shape(value)))
    if not isinstance(p, Distribution) or not isinstance(q, Distribution):
        raise TypeError("kl_divergence takes two kldiv distributions "
                        "(kldiv.Normal(...), ...)")
    if method not in _METHODS:
        raise ValueError(f"method '{method}': choose one of {', '.join(_METHODS)}")
    if samples < 2:
        raise ValueError(f"samples = {samples}, but must be >= 2")
    shape = np.broadcast_shapes(p.batch_shape, q.batch_shape)
    nthreads = 0 if threads is None else int(threads)
    if (type(p) is Normal and type(q) is Normal and method != "monte_carlo"):
        from . import kl_normal
        value = kl_normal(p.params["loc"], p.params["scale"],
                          q.params["loc"], q.params["scale"], threads=threads)
        error = 0.0 if shape == () else np.zeros(shape)
        return (value, error) if return_error else value

    def flat(d: Distribution) -> List[np.ndarray]:
        return d._flat(shape if d.batch_shape != () else ())

    try:
        values, errors = _kldiv.kl_batch(
            p.family, flat(p), q.family, flat(q), method, int(samples),
            int(seed), nthreads)
    except NotImplementedError as e:
        if method != "exact":
            raise
        raise NotImplementedError(
            f"{e}; here: kl_divergence(p, q, method='auto', samples=N, "
            f"seed=S, return_error=True)") from None
    if shape == ():
        value, error = float(values[0]), float(errors[0])
    else:
        value, error = values.reshape(shape), errors.reshape(shape)
    return (value, error) if return_error else value
