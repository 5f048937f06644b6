"""kldiv: the Kullback-Leibler divergence and its relatives.

A thin layer over the kldiv C++ library: NumPy arrays in (float32 and float64
without copying where the layout allows), the computation in C++ with the GIL
released, NumPy arrays or Python floats out. No maths is done in Python.

Every divergence takes p and q as array-likes whose ``axis`` (default: the
last) holds a distribution's entries; the other axes are batch axes, which
broadcast against each other. The result has the batch shape (a Python float
for 1-D inputs), or keeps the event axis with ``keepdims=True``.

Common keyword options:

- ``base``: the logarithm base of the result: None or "e" (nats), 2 or "bits",
  10 or "hartleys", or any number > 1.
- ``normalize=True``: the inputs are weights, divided by their sums.
- ``counts=True``: the inputs are counts, divided by their totals.
- ``smoothing``: never implicit. ``"alpha=0.5"`` (or ``("additive", 0.5)``)
  adds 0.5 to every count (with ``counts=True``); ``"lambda=0.01"`` (or
  ``("uniform_mix", 0.01)``) mixes each input with the uniform distribution.
- ``tolerance``: how far a probability vector's sum may be from 1 (default
  1e-6 for float64 inputs, 1e-4 for float32).
- ``validate=False`` skips the input checks (for inputs known to be valid).
- ``threads``: threads for long inputs and batches (default: OpenMP's, i.e.
  OMP_NUM_THREADS or all cores; note that importing PyTorch lowers it to
  PyTorch's own). Results do not depend on it.

Bad input raises ValueError with the library's message, naming the argument,
index and value (``p[1] = -0.2: probabilities must be >= 0``).

>>> import kldiv
>>> kldiv.kl([0.1, 0.4, 0.5], [0.8, 0.15, 0.05])
1.3356800935337299
>>> kldiv.kl([1, 0], [0.5, 0.5], base=2)
1.0
>>> kldiv.kl([0.5, 0.5], [1, 0])
inf

``kldiv.scipy`` has drop-in replacements for SciPy's rel_entr, kl_div,
entropy and jensenshannon.
``kldiv.kl_knn`` estimates KL from two samples of raw data, as do kl_1d
(1-D), kl_histogram (shared bins) and kl_categorical (labels);
``kldiv.mutual_information_ksg`` estimates mutual information (see
``kldiv.estimators``). ``kldiv.fit`` ranks fitted families by KL
(``kldiv.fitting``); ``kldiv.compare`` compares two tables column by column
(NumPy arrays or pandas DataFrames; ``kldiv.comparing``).
"""

from __future__ import annotations

import math
import os
from typing import Any, Callable, Optional, Sequence, Tuple, Union

import numpy as np

from . import _kldiv

__version__: str = _kldiv.version()

# KLDIV_SIMD_TARGET limits the SIMD kernels, as for the command.
if os.environ.get("KLDIV_SIMD_TARGET"):
    _kldiv.limit_simd_target(os.environ["KLDIV_SIMD_TARGET"])

from . import distributions  # noqa: E402
from .distributions import (  # noqa: E402
    Bernoulli, Beta, Binomial, Categorical, Cauchy, Chi2, Dirichlet,
    Distribution, Exponential, Gamma, GaussianMixture, Geometric, Gumbel,
    HalfNormal, Laplace, LogNormal, MultivariateNormal, Normal, Pareto, Poisson,
    StudentT, Uniform, VonMises, Weibull, gaussian_divergence,
    js_divergence_mixture, kl_divergence)
from . import estimators  # noqa: E402
from .estimators import (  # noqa: E402
    CategoricalEstimate, HistogramEstimate, SampleEstimate, bin_edges,
    entropy_knn, kl_1d, kl_categorical, kl_histogram, kl_knn,
    mutual_information_ksg)
from .fitting import FitResult, FittedModel, fit  # noqa: E402
from .comparing import ColumnComparison, Comparison, compare  # noqa: E402

simd_target = _kldiv.simd_target
simd_targets = _kldiv.simd_targets
limit_simd_target = _kldiv.limit_simd_target

__all__ = [
    "__version__",
    "Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy", "Chi2",
    "Dirichlet", "Distribution", "Exponential", "Gamma", "Geometric",
    "Gumbel", "HalfNormal", "Laplace", "LogNormal", "Normal", "Pareto",
    "Poisson", "StudentT", "Uniform", "VonMises", "Weibull",
    "MultivariateNormal", "gaussian_divergence", "kl_divergence",
    "GaussianMixture", "js_divergence_mixture",
    "SampleEstimate", "entropy_knn", "kl_knn",
    "CategoricalEstimate", "HistogramEstimate", "bin_edges", "kl_1d",
    "kl_categorical", "kl_histogram", "mutual_information_ksg",
    "FitResult", "FittedModel", "fit",
    "ColumnComparison", "Comparison", "compare",
    "bhattacharyya_coefficient",
    "bhattacharyya_distance",
    "chi2_neyman",
    "chi2_pearson",
    "cross_entropy",
    "cross_entropy_from_logits",
    "entropy",
    "evaluate",
    "f_divergence",
    "generalized_jsd_from_logits",
    "generalized_kl",
    "hellinger",
    "jeffreys",
    "js_distance",
    "js_divergence",
    "kl",
    "kl_from_logits",
    "kl_normal",
    "limit_simd_target",
    "measures",
    "read_table",
    "rel_entr",
    "reverse_kl_from_logits",
    "renyi",
    "simd_target",
    "simd_targets",
    "summarize",
    "total_variation",
    "vae_kl",
]

_BASE_NAMES = {"e": None, "nats": None, "bits": 2.0, "hartleys": 10.0}
_SMOOTHING_NAMES = {
    "alpha": "additive",
    "additive": "additive",
    "lambda": "uniform_mix",
    "uniform_mix": "uniform_mix",
}


# ---- options ------------------------------------------------------------------


def _base_value(base: Any) -> Optional[float]:
    if base is None:
        return None
    if isinstance(base, str):
        if base in _BASE_NAMES:
            return _BASE_NAMES[base]
        raise ValueError(
            f"base = {base!r}: expected e, 2, 10, 'bits', 'nats', 'hartleys' "
            "or a number > 1")
    return float(base)


def _smoothing(smoothing: Any) -> Tuple[str, float]:
    if smoothing is None:
        return "none", 0.0
    if isinstance(smoothing, str):
        key, sep, value = smoothing.partition("=")
        if not sep or key.strip() not in ("alpha", "lambda"):
            raise ValueError(
                f"smoothing = {smoothing!r}: expected 'alpha=A' (additive, on "
                "counts) or 'lambda=L' (mix with the uniform distribution)")
        try:
            amount = float(value)
        except ValueError:
            raise ValueError(
                f"smoothing = {smoothing!r}: {value!r} is not a number") from None
        return _SMOOTHING_NAMES[key.strip()], amount
    try:
        kind, amount = smoothing
    except (TypeError, ValueError):
        raise ValueError(
            f"smoothing = {smoothing!r}: expected 'alpha=A', 'lambda=L' or a "
            "pair such as ('additive', 0.5)") from None
    if kind not in _SMOOTHING_NAMES:
        raise ValueError(
            f"smoothing kind {kind!r}: expected 'additive' (alpha) or "
            "'uniform_mix' (lambda)")
    return _SMOOTHING_NAMES[kind], float(amount)


def _options(base, normalize, counts, smoothing, tolerance, validate, threads):
    if normalize and counts:
        raise ValueError("normalize and counts exclude each other")
    kind = "weights" if normalize else "counts" if counts else "probabilities"
    smooth_kind, amount = _smoothing(smoothing)
    return _kldiv._Options(
        _base_value(base), kind, smooth_kind, amount,
        None if tolerance is None else float(tolerance), bool(validate),
        0 if threads is None else int(threads))


# ---- arrays --------------------------------------------------------------------


def _as_float_array(x: Any, name: str) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype == np.float64 or a.dtype == np.float32:
        return a
    if a.dtype.kind in "biuf":
        return a.astype(np.float64)
    raise TypeError(f"{name} must hold numbers, not {a.dtype}")


def _viewable(a: np.ndarray) -> np.ndarray:
    """`a` if the library can read it in place (strides >= 0, in items)."""
    item = a.itemsize
    if all(s >= 0 and s % item == 0 for s in a.strides):
        return a
    return np.ascontiguousarray(a)


def _rows(p: Any, q: Any, axis: int):
    """p and q as 2-D arrays of rows (one distribution each) of one dtype,
    their batch shape, and whether they are single vectors."""
    p = _as_float_array(p, "p")
    q = _as_float_array(q, "q")
    if p.dtype != q.dtype:
        p = p.astype(np.float64)
        q = q.astype(np.float64)
    if p.ndim == 0 or q.ndim == 0:
        raise ValueError(
            "p and q must have at least one dimension (a distribution's "
            f"entries); got shapes {p.shape} and {q.shape}")
    p = np.moveaxis(p, axis, -1)
    q = np.moveaxis(q, axis, -1)
    try:
        batch = np.broadcast_shapes(p.shape[:-1], q.shape[:-1])
    except ValueError:
        raise ValueError(
            f"the batch shapes of p {p.shape[:-1]} and q {q.shape[:-1]} do not "
            "broadcast (the event axis excluded)") from None
    p = np.broadcast_to(p, batch + p.shape[-1:])
    q = np.broadcast_to(q, batch + q.shape[-1:])
    rows = math.prod(batch)
    p2 = _viewable(p.reshape(rows, p.shape[-1]))
    q2 = _viewable(q.reshape(rows, q.shape[-1]))
    return p2, q2, batch, len(batch) == 0


def _shape_result(values: np.ndarray, batch, axis: int, keepdims: bool):
    out = values.reshape(batch)
    if keepdims:
        return np.expand_dims(out, axis if axis >= 0 else axis + len(batch) + 1)
    if not batch:
        return float(out)
    return out


def _measure(name, p, q, axis, keepdims, options, alpha=0.5,
             weights=(0.5, 0.5)):
    p2, q2, batch, single = _rows(p, q, axis)
    pi1, pi2 = weights
    values = _kldiv.measure_rows(name, p2, q2, single, options, float(alpha),
                                 float(pi1), float(pi2))
    return _shape_result(values, batch, axis, keepdims)


# ---- the measures -----------------------------------------------------------------


def kl(p, q, *, axis=-1, keepdims=False, base=None, normalize=False,
       counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """KL(p || q) = sum p log(p / q) over the event axis: >= 0, exactly 0 for
    identical inputs, +inf where q = 0 < p.

    >>> kl([0.5, 0.5], [0.25, 0.75])
    0.14384103622589045
    >>> kl([[1, 0], [0.5, 0.5]], [0.5, 0.5], base=2)
    array([1., 0.])
    >>> kl([3, 1], [1, 1], counts=True)
    0.13081203594113697
    """
    return _measure("kl", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads))


def generalized_kl(p, q, *, axis=-1, keepdims=False, base=None,
                   normalize=False, counts=False, smoothing=None,
                   tolerance=None, validate=True, threads=None):
    """sum [p log(p / q) - p + q] for unnormalised non-negative measures (no
    sum check); SciPy's kl_div, summed.

    >>> generalized_kl([2, 1], [1, 1])
    0.3862943611198906
    """
    return _measure("generalized_kl", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads))


def entropy(p, *, axis=-1, keepdims=False, base=None, normalize=False,
            counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """Shannon entropy -sum p log p of a probability vector (use counts=True
    for counts, normalize=True for weights).

    >>> entropy([0.25, 0.25, 0.25, 0.25], base=2)
    2.0
    """
    return _measure("entropy", p, p, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads))


def cross_entropy(p, q, *, axis=-1, keepdims=False, base=None, normalize=False,
                  counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """Cross-entropy H(p, q) = -sum p log q = H(p) + KL(p || q).

    >>> cross_entropy([0.5, 0.5], [0.25, 0.75])
    0.8369882167858358
    """
    return _measure("cross_entropy", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads))


def jeffreys(p, q, *, axis=-1, keepdims=False, base=None, normalize=False,
             counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """Jeffreys divergence KL(p || q) + KL(q || p).

    >>> jeffreys([0.5, 0.5], [0.25, 0.75])
    0.2746530721670274
    """
    return _measure("jeffreys", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads))


def js_divergence(p, q, *, weights=(0.5, 0.5), axis=-1, keepdims=False,
                  base=None, normalize=False, counts=False, smoothing=None,
                  tolerance=None, validate=True, threads=None):
    """Jensen-Shannon divergence pi1 KL(p || m) + pi2 KL(q || m), with
    m = pi1 p + pi2 q; finite, between 0 and log 2 for equal weights.

    >>> js_divergence([1, 0], [0, 1], base=2)
    1.0
    """
    return _measure("js_divergence", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads), weights=weights)


def js_distance(p, q, *, weights=(0.5, 0.5), axis=-1, keepdims=False,
                base=None, normalize=False, counts=False, smoothing=None,
                tolerance=None, validate=True, threads=None):
    """Jensen-Shannon distance sqrt(JS divergence), a metric (SciPy's
    jensenshannon, with the event axis last by default).

    >>> js_distance([1, 0], [0, 1], base=2)
    1.0
    """
    return _measure("js_distance", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads), weights=weights)


def renyi(p, q, alpha, *, axis=-1, keepdims=False, base=None, normalize=False,
          counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """Rényi divergence of order alpha >= 0 (alpha may be inf):
    log(sum p^alpha q^(1-alpha) / sum p) / (alpha - 1), with its limits at
    0, 1 (KL) and inf (log max p/q).

    >>> renyi([0.5, 0.5], [0.25, 0.75], 2)
    0.2876820724517809
    >>> renyi([0.5, 0.5], [0.25, 0.75], float("inf"))
    0.6931471805599453
    """
    return _measure("renyi", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads), alpha=alpha)


def hellinger(p, q, *, axis=-1, keepdims=False, normalize=False, counts=False,
              smoothing=None, tolerance=None, validate=True, threads=None):
    """Hellinger distance sqrt(1/2 sum (sqrt p - sqrt q)^2), in [0, 1].

    >>> hellinger([1, 0], [0, 1])
    1.0
    """
    return _measure("hellinger", p, q, axis, keepdims,
                    _options(None, normalize, counts, smoothing, tolerance,
                             validate, threads))


def bhattacharyya_coefficient(p, q, *, axis=-1, keepdims=False,
                              normalize=False, counts=False, smoothing=None,
                              tolerance=None, validate=True, threads=None):
    """Bhattacharyya coefficient sum sqrt(p q), in [0, 1].

    >>> bhattacharyya_coefficient([0.5, 0.5], [0.5, 0.5])
    1.0
    """
    return _measure("bhattacharyya_coefficient", p, q, axis, keepdims,
                    _options(None, normalize, counts, smoothing, tolerance,
                             validate, threads))


def bhattacharyya_distance(p, q, *, axis=-1, keepdims=False, base=None,
                           normalize=False, counts=False, smoothing=None,
                           tolerance=None, validate=True, threads=None):
    """Bhattacharyya distance -log(sum sqrt(p q)).

    >>> bhattacharyya_distance([1, 0], [0, 1])
    inf
    """
    return _measure("bhattacharyya_distance", p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads))


def total_variation(p, q, *, axis=-1, keepdims=False, normalize=False,
                    counts=False, smoothing=None, tolerance=None,
                    validate=True, threads=None):
    """Total variation distance 1/2 sum |p - q|, in [0, 1].

    >>> total_variation([0.5, 0.5], [0.25, 0.75])
    0.25
    """
    return _measure("total_variation", p, q, axis, keepdims,
                    _options(None, normalize, counts, smoothing, tolerance,
                             validate, threads))


def chi2_pearson(p, q, *, axis=-1, keepdims=False, normalize=False,
                 counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """Pearson's chi-squared divergence sum (p - q)^2 / q.

    >>> chi2_pearson([0.5, 0.5], [0.25, 0.75])
    0.3333333333333333
    """
    return _measure("chi2_pearson", p, q, axis, keepdims,
                    _options(None, normalize, counts, smoothing, tolerance,
                             validate, threads))


def chi2_neyman(p, q, *, axis=-1, keepdims=False, normalize=False,
                counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """Neyman's chi-squared divergence sum (p - q)^2 / p.

    >>> chi2_neyman([0.5, 0.5], [0.25, 0.75])
    0.25
    """
    return _measure("chi2_neyman", p, q, axis, keepdims,
                    _options(None, normalize, counts, smoothing, tolerance,
                             validate, threads))


def f_divergence(p, q, f: Callable[[float], float], *,
                 slope_at_infinity=float("inf"), axis=-1, keepdims=False,
                 normalize=False, counts=False, smoothing=None, tolerance=None,
                 validate=True, threads=None):
    """D_f(p || q) = sum q f(p / q) for a convex f with f(1) = 0;
    slope_at_infinity = lim f(t)/t weighs p's mass where q = 0. f is called
    from C++ with the GIL held.

    >>> f_divergence([1, 0], [0, 1], lambda t: abs(t - 1) / 2,
    ...              slope_at_infinity=0.5)
    1.0
    """
    p2, q2, batch, _ = _rows(p, q, axis)
    values = _kldiv.f_divergence_rows(
        p2, q2, f, float(slope_at_infinity),
        _options(None, normalize, counts, smoothing, tolerance, validate, threads))
    return _shape_result(values, batch, axis, keepdims)


def rel_entr(p, q, *, axis=-1, base=None, normalize=False, counts=False,
             smoothing=None, tolerance=None, validate=True, threads=None):
    """The terms p log(p / q) of kl(p, q), elementwise: an array of the
    broadcast shape, in the inputs' dtype. The checks, normalisation and
    smoothing of kl apply (for SciPy's unchecked ufunc, use
    kldiv.scipy.rel_entr).

    >>> rel_entr([0.5, 0.5, 0], [0.25, 0, 0.75], base=2)
    array([0.5, inf, 0. ])
    """
    p2, q2, batch, _ = _rows(p, q, axis)
    terms = _kldiv.rel_entr_rows(
        p2, q2, _options(base, normalize, counts, smoothing, tolerance,
                         validate, threads))
    return np.moveaxis(terms.reshape(batch + (p2.shape[1],)), -1, axis)


def evaluate(measure: str, p, q=None, *, alpha=0.5, weights=(0.5, 0.5),
             axis=-1, keepdims=False, base=None, normalize=False,
             counts=False, smoothing=None, tolerance=None, validate=True, threads=None):
    """The measure called `measure` (see measures()); reverse_kl is
    KL(q || p), and entropy needs no q.

    >>> evaluate("reverse_kl", [0.25, 0.75], [0.5, 0.5])
    0.14384103622589045
    """
    if measure not in _kldiv.measures():
        raise ValueError(
            f"{measure!r} is not a measure; the measures are "
            + ", ".join(_kldiv.measures()))
    if q is None:
        if measure != "entropy":
            raise ValueError(f"{measure} needs q")
        q = p
    return _measure(measure, p, q, axis, keepdims,
                    _options(base, normalize, counts, smoothing, tolerance,
                             validate, threads), alpha=alpha, weights=weights)


def measures() -> list:
    """The names evaluate() takes, as in the C++ API.

    >>> measures()[:3]
    ['kl', 'reverse_kl', 'generalized_kl']
    """
    return _kldiv.measures()


def summarize(p, q, *, base=None, normalize=False, counts=False,
              smoothing=None, tolerance=None, validate=True, threads=None) -> dict:
    """Every measure for two 1-D distributions, with the support diagnostics
    (the mass of p where q = 0, which makes KL infinite), as a dict.

    >>> s = summarize([0.5, 0.3, 0.2], [0.5, 0.5, 0])
    >>> s["kl"], s["p_mass_where_q_zero"], s["entries_where_q_zero"]
    (inf, 0.2, 1)
    """
    p = _as_float_array(p, "p").astype(np.float64, copy=False)
    q = _as_float_array(q, "q").astype(np.float64, copy=False)
    if p.ndim != 1 or q.ndim != 1:
        raise ValueError(
            f"summarize takes two 1-D distributions; got shapes {p.shape} and "
            f"{q.shape}")
    return _kldiv.summarize(
        _viewable(p.reshape(1, -1)), _viewable(q.reshape(1, -1)),
        _options(base, normalize, counts, smoothing, tolerance, validate, threads))


def read_table(path: str):
    """Read a numeric table (CSV / TSV / whitespace text, NumPy .npy, JSON
    array) as the kldiv command does: (values as a 2-D float64 array, column
    names from a header line or []). Raises OSError naming the file, line and
    column of a problem."""
    return _kldiv.read_table(str(path))


# ---- divergences from logits ---------------------------------------------------
#
# Two models' logits a (reference: teacher, base model) and b (student,
# quantised model) of shape (..., vocab); P = softmax(a / T), Q = softmax(b / T)
# row by row, in one streaming pass per row (no rows x vocab temporary).


def _logits_pair(a, b):
    a = _as_float_array(a, "a")
    b = _as_float_array(b, "b")
    if a.dtype != b.dtype:
        a = a.astype(np.float64)
        b = b.astype(np.float64)
    if a.ndim == 0 or a.shape != b.shape:
        raise ValueError(
            f"a and b must have the same shape (..., vocab) with at least one "
            f"dimension; got {a.shape} and {b.shape}")
    return a, b


def _logits_rows(x: np.ndarray) -> np.ndarray:
    rows = math.prod(x.shape[:-1])
    return _viewable(x.reshape(rows, x.shape[-1]))


def _row_mask(mask, batch):
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.shape != tuple(batch):
        raise ValueError(
            f"mask has shape {m.shape}; it needs the rows' shape {tuple(batch)} "
            "(True = the row counts)")
    return np.ascontiguousarray(m, dtype=bool).reshape(-1)


def _logits_result(rows, value, reduction, batch, grad, shape, return_grad):
    if reduction == "none":
        out = rows.reshape(batch)
        out = float(out) if not batch else out
    else:
        out = float(value)
    if return_grad:
        return out, grad.reshape(shape)
    return out


def _logits_options(temperature, scale_by_t_squared, beta, reduction, base,
                    log_probs, tolerance, threads):
    return _kldiv._LogitsOptions(
        float(temperature), bool(scale_by_t_squared), float(beta),
        str(reduction), _base_value(base), bool(log_probs),
        None if tolerance is None else float(tolerance),
        0 if threads is None else int(threads))


def _pair_from_logits(measure, a, b, beta, temperature, scale_by_t_squared,
                      reduction, mask, base, log_probs, tolerance, threads,
                      return_grad):
    a, b = _logits_pair(a, b)
    batch = a.shape[:-1]
    opt = _logits_options(temperature, scale_by_t_squared, beta, reduction,
                          base, log_probs, tolerance, threads)
    rows, value, _, grad = _kldiv.logits_rows(
        measure, _logits_rows(a), _logits_rows(b), opt,
        _row_mask(mask, batch), bool(return_grad))
    return _logits_result(rows, value, reduction, batch, grad, b.shape,
                          return_grad)


def kl_from_logits(a, b, *, temperature=1.0, scale_by_t_squared=False,
                   reduction="mean", mask=None, base=None, log_probs=False,
                   tolerance=None, threads=None, return_grad=False):
    """KL(softmax(a/T) || softmax(b/T)) for each row of two models' logits
    (shape (..., vocab), float32 or float64; a is the reference), reduced.

    reduction: "mean" over the valid rows (default), "sum", or "none" (an
    array of the rows' shape; a float for 1-D input). mask: booleans of the
    rows' shape, True where a row counts (an all-False mask gives 0). The
    temperature T divides the logits; the T^2 factor of distillation losses
    is applied only with scale_by_t_squared=True. log_probs=True: a and b are
    log-probabilities (checked; -inf allowed). return_grad=True: returns
    (value, d value / d b), the gradient shaped and typed like b.

    >>> round(kl_from_logits([0.0, 0.0], [0.0, np.log(3)]), 15)  # (½, ½) vs (¼, ¾)
    0.14384103622589
    >>> kl_from_logits([[0.0, 0.0], [1.0, 1.0]], [[0.0, np.log(3)], [0.0, 0.0]],
    ...                reduction="none")
    array([0.14384104, 0.        ])
    """
    return _pair_from_logits("kl", a, b, 0.5, temperature, scale_by_t_squared,
                             reduction, mask, base, log_probs, tolerance,
                             threads, return_grad)


def reverse_kl_from_logits(a, b, *, temperature=1.0, scale_by_t_squared=False,
                           reduction="mean", mask=None, base=None,
                           log_probs=False, tolerance=None, threads=None,
                           return_grad=False):
    """KL(softmax(b/T) || softmax(a/T)) for each row; options as for
    kl_from_logits.

    >>> round(reverse_kl_from_logits([0.0, 0.0], [0.0, np.log(3)]), 15)
    0.130812035941137
    """
    return _pair_from_logits("reverse_kl", a, b, 0.5, temperature,
                             scale_by_t_squared, reduction, mask, base,
                             log_probs, tolerance, threads, return_grad)


def generalized_jsd_from_logits(a, b, *, beta=0.5, temperature=1.0,
                                scale_by_t_squared=False, reduction="mean",
                                mask=None, base=None, log_probs=False,
                                tolerance=None, threads=None,
                                return_grad=False):
    """The generalised Jensen-Shannon divergence of weight beta for each row,
    continuous on [0, 1]: with M = beta P + (1 - beta) Q,

        [beta KL(P || M) + (1 - beta) KL(Q || M)] / (beta (1 - beta)),

    KL(P || Q) at beta = 0 and KL(Q || P) at beta = 1. beta = 0.5 gives
    4 JS(P, Q); the unscaled value of GKD (Agarwal et al., 2024) is
    beta (1 - beta) times this. Options as for kl_from_logits.

    >>> round(generalized_jsd_from_logits([0.0, 0.0], [0.0, np.log(3)],
    ...                                   beta=0.0), 15)
    0.14384103622589
    """
    return _pair_from_logits("generalized_jsd", a, b, beta, temperature,
                             scale_by_t_squared, reduction, mask, base,
                             log_probs, tolerance, threads, return_grad)


def cross_entropy_from_logits(logits, labels, *, ignore_index=None,
                              temperature=1.0, scale_by_t_squared=False,
                              reduction="mean", mask=None, base=None,
                              log_probs=False, tolerance=None, threads=None,
                              return_grad=False):
    """-log softmax(logits/T)[label] for each row against integer labels of
    the rows' shape. Rows whose label equals ignore_index, or masked out, do
    not count (mean over the rest; none left gives 0). Options as for
    kl_from_logits; the gradient is with respect to logits.

    >>> round(cross_entropy_from_logits([[0.0, np.log(3)], [0.0, 0.0]],
    ...                                 [1, -100], ignore_index=-100), 15)
    0.287682072451781
    """
    x = _as_float_array(logits, "logits")
    if x.ndim == 0:
        raise ValueError("logits must have at least one dimension (vocab)")
    batch = x.shape[:-1]
    y = np.asarray(labels)
    if y.shape != tuple(batch):
        raise ValueError(
            f"labels has shape {y.shape}; it needs the rows' shape {tuple(batch)}")
    if y.size and y.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers, not {y.dtype}")
    y = np.ascontiguousarray(y, dtype=np.int64).reshape(-1)
    opt = _logits_options(temperature, scale_by_t_squared, 0.5, reduction,
                          base, log_probs, tolerance, threads)
    rows, value, _, grad = _kldiv.cross_entropy_rows(
        _logits_rows(x), y,
        None if ignore_index is None else int(ignore_index), opt,
        _row_mask(mask, batch), bool(return_grad))
    return _logits_result(rows, value, reduction, batch, grad, x.shape,
                          return_grad)


# ---- Gaussians, batched ----------------------------------------------------------


def kl_normal(loc_p, scale_p, loc_q, scale_q, *, threads=None):
    """KL(N(loc_p, scale_p) || N(loc_q, scale_q)) elementwise over arrays
    that broadcast together (float64), in nats; exact to a few ulp, 0 for
    identical parameters. Scales must be > 0 and finite (ValueError naming
    the argument and index otherwise).

    >>> kl_normal(0.0, 1.0, 1.0, 2.0)       # log 2 + 2/8 - 1/2
    0.4431471805599453
    >>> kl_normal([0.0, 1.0, 2.0], 1.0, 0.0, 1.0)   # m^2 / 2
    array([0. , 0.5, 2. ])
    """
    arrays = [np.asarray(x, dtype=np.float64) for x in (loc_p, scale_p, loc_q, scale_q)]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    n = math.prod(shape)
    # A single value is passed as is (the library repeats it); any other
    # array is broadcast to the common shape.
    flat = [a.reshape(1) if a.size == 1 else
            np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)
            for a in arrays]
    out = _kldiv.kl_normal_flat(*flat, n, 0 if threads is None else int(threads))
    out = out.reshape(shape)
    return float(out) if shape == () else out


def vae_kl(mu, logvar, *, return_grad=False, threads=None):
    """The VAE term KL(N(mu, diag(exp(logvar))) || N(0, I)) for each row of
    mu and logvar (shape (..., d), float64): 1/2 Σ (exp(logvar) - 1 - logvar
    + mu^2), without cancellation for small logvar. With return_grad=True,
    (value, (d/dmu, d/dlogvar)) = (value, (mu, expm1(logvar)/2)).

    >>> vae_kl([0.0, 0.0], [0.0, 0.0])
    0.0
    >>> round(vae_kl([1.0], [np.log(2.0)]), 15)          # (2 - 1 - log 2 + 1)/2
    0.653426409720027
    """
    m = np.asarray(mu, dtype=np.float64)
    lv = np.asarray(logvar, dtype=np.float64)
    if m.shape != lv.shape or m.ndim == 0:
        raise ValueError(
            f"mu and logvar must have the same shape (..., d); got {m.shape} "
            f"and {lv.shape}")
    batch = m.shape[:-1]
    rows = math.prod(batch)
    values, gm, gl = _kldiv.vae_rows(
        _viewable(m.reshape(rows, m.shape[-1])),
        _viewable(lv.reshape(rows, lv.shape[-1])), bool(return_grad),
        0 if threads is None else int(threads))
    value = float(values[0]) if not batch else values.reshape(batch)
    if return_grad:
        return value, (gm.reshape(m.shape), gl.reshape(m.shape))
    return value
