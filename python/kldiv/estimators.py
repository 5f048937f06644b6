"""Divergences estimated from samples of raw data.

kl_knn(x, y) estimates KL(P || Q) from x ~ P and y ~ Q by the k-nearest-
neighbour estimator of Wang, Kulkarni & Verdú (2009), for samples of any
sizes n and m in any dimension d. The result is a SampleEstimate: the value
(nats, raw: it may be negative and is never clipped at 0), the neighbour
order k, an optional bootstrap confidence interval, and what it rests on
(sizes, ties found and how they were handled, warnings).

>>> import numpy as np
>>> import kldiv
>>> r = kldiv.kl_knn([0.0, 1.0, 3.0], [0.5, 2.5])
>>> round(float(r), 12)          # 1/3 log(1/2 * 1/2 * 1/4) + log(2/2)
-0.924196240747
>>> round(-4 / 3 * np.log(2), 12)
-0.924196240747
>>> r.k, r.n, r.m, r.d, r.ties, r.ci
(1, 3, 2, 1, 0, None)
>>> r.warnings                   # 3 points are far too few
['n = 3 points in d = 1: k-NN estimates are strongly biased when n is small for d (n < 100 d)']

The other estimators: kl_1d (the empirical-CDF estimator of Pérez-Cruz 2008
for 1-D samples), kl_histogram and bin_edges (histograms on shared bins
fitted on the reference, NumPy's bin rules), kl_categorical (labels), and
mutual_information_ksg (Kraskov, Stögbauer & Grassberger 2004). kl_1d and
mutual_information_ksg return SampleEstimate too; kl_histogram returns a
HistogramEstimate and kl_categorical a CategoricalEstimate, which carry the
bins or categories, both samples' counts, p, q and the per-bin terms.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _kldiv

__all__ = ["CategoricalEstimate", "HistogramEstimate", "SampleEstimate",
           "bin_edges", "entropy_knn", "kl_1d", "kl_categorical",
           "kl_histogram", "kl_knn", "mutual_information_ksg"]

_TIES = ("error", "jitter", "distinct", "exclude")
_SEARCH = ("auto", "tree", "brute")


@dataclasses.dataclass(frozen=True)
class SampleEstimate:
    """One estimate from samples, with what it rests on.

    value: the estimate in nats (raw: may be negative, never clipped);
    k: the neighbour order; ci: the bootstrap percentile interval (low, high)
    or None; n, m, d: the sizes of x and y and the dimension; ties: how many
    points of x had a zero neighbour distance; tie_handling: the policy
    applied (error, jitter, distinct, exclude); warnings: notes on the
    estimate's reliability. ``float(estimate)`` is the value.
    """

    value: float
    k: int
    ci: Optional[Tuple[float, float]]
    n: int
    m: int
    d: int
    ties: int
    tie_handling: str
    warnings: List[str] = dataclasses.field(default_factory=list, hash=False)

    unit: ClassVar[str] = "nats"

    def __float__(self) -> float:
        return float(self.value)

    @property
    def diagnostics(self) -> Dict[str, Any]:
        """n, m, d, ties, tie_handling and warnings, as a new dict."""
        return {"n": self.n, "m": self.m, "d": self.d, "ties": self.ties,
                "tie_handling": self.tie_handling,
                "warnings": list(self.warnings)}

    def __repr__(self) -> str:
        parts = [f"value={self.value!r}", f"k={self.k}"]
        if self.ci is not None:
            parts.append(f"ci=({self.ci[0]!r}, {self.ci[1]!r})")
        parts += [f"n={self.n}", f"m={self.m}", f"d={self.d}",
                  f"ties={self.ties}", f"tie_handling={self.tie_handling!r}"]
        if self.warnings:
            parts.append(f"warnings={self.warnings!r}")
        return f"SampleEstimate({', '.join(parts)})"


def _sample(a: Any, name: str) -> np.ndarray:
    """a as a float64 (rows, d) array the library can read in place."""
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold numbers") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (n points) or 2-D (n points x d); got shape "
            f"{arr.shape}")
    item = arr.itemsize
    if not all(s >= 0 and s % item == 0 for s in arr.strides):
        arr = np.ascontiguousarray(arr)
    return arr


def _choice(value: Any, name: str, choices: Tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(
            f"{name} = {value!r}: expected one of {', '.join(choices)}")
    return value


def _count(value: Any, name: str) -> int:
    v = operator.index(value)
    if v < 0:
        raise ValueError(f"{name} = {v}: must be >= 0")
    return v


def _ci(r: Dict[str, Any]) -> Optional[Tuple[float, float]]:
    return None if r["ci_low"] is None else (r["ci_low"], r["ci_high"])


def _estimate(r: Dict[str, Any]) -> SampleEstimate:
    """A SampleEstimate from the module's dict of a sample_estimate."""
    return SampleEstimate(
        value=r["value"], k=r["k"], ci=_ci(r), n=r["n"], m=r["m"], d=r["d"],
        ties=r["ties"], tie_handling=r["tie_handling"],
        warnings=list(r["warnings"]))


def _ks(k: Any) -> Tuple[List[int], bool]:
    """k as a list of ints, and whether it was a single int."""
    try:
        return [operator.index(k)], True
    except TypeError:
        return [operator.index(v) for v in k], False


def _run(xs: np.ndarray, ys: Optional[np.ndarray], k: Any, ties: str,
         jitter_scale: float, seed: int, threads: Optional[int], search: str,
         bootstrap: int, confidence: float,
         ) -> Union[SampleEstimate, List[SampleEstimate]]:
    """kl_knn (ys given) or entropy_knn (ys None): one call to the library,
    one SampleEstimate per k (a list when k is a sequence)."""
    ks, single = _ks(k)
    rows = _kldiv.kl_knn_rows(
        xs, ys, ks, _choice(ties, "ties", _TIES), float(jitter_scale),
        _count(seed, "seed"), 0 if threads is None else int(threads),
        _choice(search, "search", _SEARCH), _count(bootstrap, "bootstrap"),
        float(confidence))
    out = [_estimate(r) for r in rows]
    return out[0] if single else out


def kl_knn(x: Any, y: Any, k: Union[int, Sequence[int]] = 1, *,
           ties: str = "distinct", jitter_scale: float = 1e-10, seed: int = 0,
           threads: Optional[int] = None, search: str = "auto",
           bootstrap: int = 0, confidence: float = 0.95,
           ) -> Union[SampleEstimate, List[SampleEstimate]]:
    """KL(P || Q) in nats from x ~ P (n, d) and y ~ Q (m, d), by the
    k-nearest-neighbour estimator of Wang, Kulkarni & Verdú (2009):

        D = d/n Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n - 1)),

    ρ_k(i) the Euclidean distance from x_i to its k-th nearest neighbour
    among the other x's, ν_k(i) to its k-th nearest among the y's. n and m
    may differ; needs n >= k + 1 and m >= k. 1-D arrays are n points in
    d = 1.

    k: an int gives one SampleEstimate; a sequence of ints gives a list, in
    the same order, from one neighbour search.

    ties: what to do with zero neighbour distances (repeated points, or a
    point of x equal to one of y): "error" (ValueError stating how many),
    "jitter" (add seeded Gaussian noise of ``jitter_scale`` times each
    column's standard deviation first), "distinct" (use the k-th neighbour
    at a distance > 0) or "exclude" (leave the tied points out of the
    average). The count of tied points is in the result's ``ties``.

    search: "auto" (k-d trees for d <= 12, else brute force), "tree" or
    "brute"; the results are the same. threads: threads for the queries
    (default: OpenMP's); the result does not depend on it.

    bootstrap: B > 0 resamples x and y with replacement B times (seeded by
    ``seed``) for a percentile interval at ``confidence``, in ``ci``.

    >>> import numpy as np
    >>> import kldiv
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(0.0, 1.0, size=(4000, 2))    # P = N(0, I)
    >>> y = rng.normal(1.0, 1.0, size=(5000, 2))    # Q = N((1, 1), I): KL = 1
    >>> r = kldiv.kl_knn(x, y, bootstrap=50, seed=7)
    >>> round(float(r), 1), r.k, r.n, r.m, r.d, r.tie_handling
    (1.0, 1, 4000, 5000, 2, 'distinct')
    >>> r.ci[0] < r.value < r.ci[1]
    True
    >>> [e.k for e in kldiv.kl_knn(x, y, k=[1, 5])]
    [1, 5]
    >>> kldiv.kl_knn([0.0, 0.0, 1.0], [0.5], ties="error")
    Traceback (most recent call last):
    ...
    ValueError: kl_knn: 2 of 3 points have a zero nearest-neighbour distance at k = 1 (ties: identical points); choose a tie policy: jitter, distinct or exclude
    """
    return _run(_sample(x, "x"), _sample(y, "y"), k, ties, jitter_scale, seed,
                threads, search, bootstrap, confidence)


def entropy_knn(x: Any, k: Union[int, Sequence[int]] = 1, *,
                ties: str = "distinct", jitter_scale: float = 1e-10,
                seed: int = 0, threads: Optional[int] = None,
                search: str = "auto", bootstrap: int = 0,
                confidence: float = 0.95,
                ) -> Union[SampleEstimate, List[SampleEstimate]]:
    """Differential entropy of P in nats from x ~ P (n, d), by the
    Kozachenko-Leonenko estimator:

        H = ψ(n) - ψ(k) + log V_d + d/n Σ_i log ε_k(i),

    ε_k(i) the distance from x_i to its k-th nearest other point and V_d the
    volume of the unit ball. k, ties, jitter_scale, seed, threads, search,
    bootstrap and confidence as for kl_knn (the result's m is 0).

    >>> import kldiv
    >>> r = kldiv.entropy_knn([0.0, 0.0, 1.0, 3.0, 3.0, 3.0, 7.0])
    >>> r.ties, r.tie_handling      # repeated points: the nearest at > 0
    (5, 'distinct')
    >>> round(float(r), 12)         # ψ(7) - ψ(1) + log 2 + (3 log 2 + log 4)/7
    3.638252309531
    """
    return _run(_sample(x, "x"), None, k, ties, jitter_scale, seed, threads,
                search, bootstrap, confidence)


# ---- one dimension, histograms, categories, mutual information -------------


def _values(a: Any, name: str) -> np.ndarray:
    """a as a C-contiguous float64 1-D array: n values, or an (n, 1) column."""
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold numbers") from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (n values) or 2-D with one column (n, 1); "
            f"got shape {arr.shape}")
    return np.ascontiguousarray(arr)


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def kl_1d(x: Any, y: Any, *, ties: str = "distinct",
          jitter_scale: float = 1e-10, seed: int = 0, bootstrap: int = 0,
          confidence: float = 0.95) -> SampleEstimate:
    """KL(P || Q) in nats from 1-D samples x ~ P (n >= 2 values) and y ~ Q
    (m >= 2), by the empirical-CDF estimator of Pérez-Cruz (2008):

        D = 1/n' Σ_i [log s_P(x_i) - log s_Q(x_i) + [x_i ∈ y]] - 1,

    s_P, s_Q the left-hand slopes at x_i of the piecewise-linear CDFs P_c and
    Q_c. P_c rises from 0 at lo to (C_{j-1} + c_j / 2) / n at each distinct
    value u_j of x (c_j copies, C_j cumulative) and to 1 at hi; Q_c likewise
    from y and m. lo = a - w and hi = b + w, a and b the smallest and largest
    value of x and y pooled and w = (b - a) / (n + m) (w = 1 if a == b), so
    the estimate does not depend on the data's scale or origin. [x_i ∈ y] is
    1 when x_i equals a value of y, which makes identical samples give
    exactly 0.

    x, y: 1-D array-likes (an (n, 1) column is accepted too). n and m may
    differ.

    ties: what to do with a value of x repeated in x or found in y:
    "distinct" (keep every point, with the repeated values as weighted
    steps of the CDFs), "exclude" (leave the tied points out of the average;
    n' counts the others), "error" (ValueError stating how many) or
    "jitter" (add seeded Gaussian noise of ``jitter_scale`` times the pooled
    standard deviation first). The count of tied values is in ``ties``.

    bootstrap: B > 0 draws B half-samples of x and of y without
    replacement (seeded by ``seed``) for an interval at ``confidence``, in
    ``ci``: [D - q_hi, D - q_lo], q the quantiles of the halves' deviations
    from D scaled by sqrt(h / (n - h)). Resampling with replacement would
    repeat values, which changes the spacings this estimate rests on.

    The result is a SampleEstimate with k = 0 and d = 1.

    >>> import math
    >>> import kldiv
    >>> r = kldiv.kl_1d([0.0, 1.0], [0.5, 2.0])
    >>> round(float(r), 12)     # lo = -0.5, hi = 2.5; (log(0.5/0.25) + log(0.5/(1/3)))/2 - 1
    -0.450693855666
    >>> round(math.log(3) / 2 - 1, 12)
    -0.450693855666
    >>> r.k, r.n, r.m, r.d, r.ties, r.ci
    (0, 2, 2, 1, 0, None)
    >>> kldiv.kl_1d([0.0, 1.0, 3.0], [3.0, 0.0, 1.0]).value   # identical samples
    0.0
    """
    rx, ry = _values(x, "x"), _values(y, "y")
    r = _kldiv.kl_1d_flat(
        rx, ry, _choice(ties, "ties", _TIES), float(jitter_scale),
        _count(seed, "seed"), _count(bootstrap, "bootstrap"),
        float(confidence))
    return _estimate(r)


_RULES = ("auto", "fd", "scott", "sturges", "doane", "rice", "sqrt",
          "quantiles")
_NO_EDGES = np.empty(0)


def _bins(bins: Any) -> Tuple[str, int, np.ndarray]:
    """(rule, bin count, edges) for the library from a ``bins`` argument."""
    form = ("a rule name (" + ", ".join(_RULES) + "), a bin count, "
            "('quantiles', B) or a 1-D array of edges")
    if isinstance(bins, str):
        if bins not in _RULES:
            raise ValueError(
                f"bins = {bins!r}: expected one of {', '.join(_RULES)} (or "
                "a bin count, ('quantiles', B) or a 1-D array of edges)")
        return bins, 10, _NO_EDGES
    if isinstance(bins, tuple) and bins and isinstance(bins[0], str):
        if len(bins) != 2 or bins[0] != "quantiles":
            raise ValueError(
                f"bins = {bins!r}: the (name, count) form is ('quantiles', B)")
        count = operator.index(bins[1])
        if count < 1:
            raise ValueError(f"bins = {bins!r}: B must be >= 1")
        return "quantiles", count, _NO_EDGES
    if isinstance(bins, (bool, np.bool_)):
        raise TypeError(f"bins = {bins!r}: expected {form}")
    try:
        count = operator.index(bins)
    except TypeError:
        pass
    else:
        if count < 1:
            raise ValueError(f"bins = {count}: a bin count must be >= 1")
        return "count", count, _NO_EDGES
    try:
        edges = np.asarray(bins, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"bins = {bins!r}: expected {form}") from None
    if edges.ndim == 0:
        raise TypeError(f"bins = {bins!r}: expected {form}")
    if edges.ndim != 1:
        raise ValueError(
            f"bins: explicit edges must be 1-D; got shape {edges.shape}")
    return "edges", 0, np.ascontiguousarray(edges)


def bin_edges(reference: Any, bins: Any = "auto") -> np.ndarray:
    """The B + 1 strictly increasing bin edges that ``bins`` gives for a
    reference sample (finite values, at least one), as kl_histogram fits
    them on y.

    bins: one of

    - a rule name: "auto", "fd", "scott", "sturges", "doane", "rice" or
      "sqrt" give the same edges as ``numpy.histogram_bin_edges(reference,
      bins)`` of the reference as float64 (NumPy >= 2 widens bins of integer
      arrays to 1; kldiv does not); "quantiles" gives 10 bins of equal
      reference mass (edges at NumPy's linear quantiles; coinciding edges
      merged);
    - an int B: B equal-width bins over the reference's range (as NumPy);
    - ("quantiles", B): B bins of equal reference mass;
    - a 1-D array of strictly increasing, finite edges (returned as given;
      the reference is not used).

    An unknown name is a ValueError listing the choices.

    >>> import kldiv
    >>> kldiv.bin_edges([0.0, 1.0, 2.0, 4.0], bins=2)
    array([0., 2., 4.])
    >>> kldiv.bin_edges([0.0, 1.0, 2.0, 4.0], bins=("quantiles", 2))
    array([0. , 1.5, 4. ])
    """
    ref = _values(reference, "reference")
    rule, count, edges = _bins(bins)
    return _kldiv.bin_edges_flat(ref, rule, count, edges)


def _binned_repr(e: Any, middle: List[str]) -> str:
    """The short repr of a binned estimate: value, interval, the class's own
    fields (`middle`), warnings."""
    parts = [f"value={e.value!r}"]
    if e.ci is not None:
        parts.append(f"ci=({e.ci[0]!r}, {e.ci[1]!r})")
    parts += middle
    if e.warnings:
        parts.append(f"warnings={e.warnings!r}")
    return f"{type(e).__name__}({', '.join(parts)})"


@dataclasses.dataclass(frozen=True, eq=False)
class HistogramEstimate:
    """A histogram estimate of KL(P || Q) and the bins it rests on.

    value: KL(p || q) in nats (+inf when x has values in a bin where y has
    none and there is no smoothing); ci: the bootstrap percentile interval
    (low, high) or None; edges: the B + 1 edges fitted on the reference y;
    x_counts, y_counts: B + 2 counts (int64) each, [0] below edges[0], [1 ..
    B] the inner bins [e_{i-1}, e_i) (the last one closed), [B + 1] above
    edges[-1]; p, q: the (smoothed) bin probabilities; terms: p log(p / q)
    per bin, which sum to the value; n, m: the sample sizes; rule: how the
    edges were chosen ("auto", "fd", ..., "count", "quantiles" or "edges");
    smoothing: the pseudo-count added to every bin; warnings: e.g. x outside
    the reference range. The arrays are read-only. ``float(h)`` is the
    value.
    """

    value: float
    ci: Optional[Tuple[float, float]]
    edges: np.ndarray
    x_counts: np.ndarray
    y_counts: np.ndarray
    p: np.ndarray
    q: np.ndarray
    terms: np.ndarray
    n: int
    m: int
    rule: str
    smoothing: float
    warnings: List[str] = dataclasses.field(default_factory=list)

    unit: ClassVar[str] = "nats"

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return _binned_repr(self, [f"bins={len(self.edges) - 1}",
                                   f"n={self.n}", f"m={self.m}",
                                   f"rule={self.rule!r}",
                                   f"smoothing={self.smoothing!r}"])


def kl_histogram(x: Any, y: Any, bins: Any = "auto", *,
                 smoothing: float = 0.0, seed: int = 0, bootstrap: int = 0,
                 confidence: float = 0.95) -> HistogramEstimate:
    """KL(P || Q) in nats between the histograms of x ~ P (the current data)
    and y ~ Q (the reference), on bins fitted on y, plus two outer bins that
    catch the values of x (or y) below the first edge and above the last:

        KL = Σ_b p_b log(p_b / q_b),  p_b = (c_b(x) + s) / (n + s (B + 2)),

    q_b likewise from y and m, s the smoothing.

    x, y: 1-D array-likes of finite numbers (an (n, 1) column too).

    bins: as for bin_edges: a rule name ("auto", "fd", "scott", "sturges",
    "doane", "rice", "sqrt": numpy.histogram_bin_edges' edges; "quantiles":
    10 bins of equal reference mass), an int (equal-width bins),
    ("quantiles", B), or a 1-D array of explicit edges.

    smoothing: a pseudo-count added to every bin of both samples (the outer
    bins included) before normalising; never implicit. Without it a bin with
    values of x and none of y makes KL +inf (with a warning saying so).

    bootstrap: B > 0 resamples x and y with replacement B times (seeded by
    ``seed``), the edges held fixed, for a percentile interval at
    ``confidence``, in ``ci``.

    >>> import math
    >>> import kldiv
    >>> h = kldiv.kl_histogram([0.5, 1.5, 1.5, 2.5], [0.5, 0.5, 1.5, 2.5],
    ...                        bins=[0.0, 1.0, 2.0, 3.0])
    >>> h.x_counts, h.y_counts      # below 0, [0, 1), [1, 2), [2, 3], above 3
    (array([0, 1, 2, 1, 0]), array([0, 2, 1, 1, 0]))
    >>> h.p, h.q
    (array([0.  , 0.25, 0.5 , 0.25, 0.  ]), array([0.  , 0.5 , 0.25, 0.25, 0.  ]))
    >>> round(float(h), 12)         # 1/4 log(1/2) + 1/2 log 2 = log(2) / 4
    0.17328679514
    >>> round(math.log(2) / 4, 12)
    0.17328679514
    >>> kldiv.kl_histogram([3.5], [0.5], bins=[0.0, 1.0]).value
    inf
    """
    rx, ry = _values(x, "x"), _values(y, "y")
    rule, count, edges = _bins(bins)
    r = _kldiv.kl_histogram_flat(
        rx, ry, rule, count, edges, float(smoothing), _count(seed, "seed"),
        _count(bootstrap, "bootstrap"), float(confidence))
    return HistogramEstimate(
        value=r["value"], ci=_ci(r), edges=_readonly(r["edges"]),
        x_counts=_readonly(r["x_counts"]), y_counts=_readonly(r["y_counts"]),
        p=_readonly(r["p"]), q=_readonly(r["q"]),
        terms=_readonly(r["terms"]), n=r["n"], m=r["m"], rule=r["rule"],
        smoothing=r["smoothing"], warnings=list(r["warnings"]))


@dataclasses.dataclass(frozen=True, eq=False)
class CategoricalEstimate:
    """A categorical estimate of KL(P || Q) and the categories it rests on.

    value: KL(p || q) in nats; ci: the bootstrap percentile interval or
    None; categories: the K categories of the reference y, sorted (as
    Python sorts strings); unseen: the categories of x that y does not
    have, sorted; x_counts, y_counts: K + 1 counts (int64) each, one per
    category and the last for the unseen bucket; p, q: the (smoothed)
    probabilities; terms: p log(p / q) per entry; n, m: the sample sizes;
    smoothing: the pseudo-count added to every entry; warnings. The arrays
    are read-only. ``float(c)`` is the value.
    """

    value: float
    ci: Optional[Tuple[float, float]]
    categories: List[str]
    unseen: List[str]
    x_counts: np.ndarray
    y_counts: np.ndarray
    p: np.ndarray
    q: np.ndarray
    terms: np.ndarray
    n: int
    m: int
    smoothing: float
    warnings: List[str] = dataclasses.field(default_factory=list)

    unit: ClassVar[str] = "nats"

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return _binned_repr(self, [f"categories={len(self.categories)}",
                                   f"unseen={len(self.unseen)}",
                                   f"n={self.n}", f"m={self.m}",
                                   f"smoothing={self.smoothing!r}"])


def _labels(a: Any, name: str) -> List[str]:
    """The labels of a as strings (str() of each)."""
    if isinstance(a, (str, bytes)):
        raise TypeError(
            f"{name} is a single {type(a).__name__}; pass a sequence of "
            f"labels (list({name}) for its characters)")
    if isinstance(a, np.ndarray):
        if a.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D (n labels); got shape {a.shape}")
        if a.dtype.kind in "Uiu":   # str() of the Python values is the same
            return [str(v) for v in a.tolist()]
        return [str(v) for v in a]
    try:
        values = list(a)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of labels, not "
            f"{type(a).__name__}") from None
    return [str(v) for v in values]


def kl_categorical(x: Any, y: Any, *, smoothing: float = 0.0, seed: int = 0,
                   bootstrap: int = 0,
                   confidence: float = 0.95) -> CategoricalEstimate:
    """KL(P || Q) in nats between the category frequencies of x ~ P (the
    current data) and y ~ Q (the reference). The categories are y's, sorted,
    followed by one "unseen" bucket for the categories of x that y does not
    have:

        KL = Σ_c p_c log(p_c / q_c),  p_c = (count_c(x) + s) / (n + s (K + 1)),

    q_c likewise from y and m, s the smoothing.

    x, y: sequences or 1-D arrays of labels (lists, tuples, NumPy string,
    integer or object arrays, anything iterable such as a pandas Series).
    Every label is compared as ``str(label)``: 1 and "1" are the same
    category, while 1 and 1.0 are not ("1" and "1.0"), and True is "True".
    Convert labels yourself first where that matters.

    smoothing: a pseudo-count added to every category and the unseen bucket
    of both samples before normalising; never implicit. Without it, values
    of x in the unseen bucket (or in a category with no y) make KL +inf.

    bootstrap: B > 0 resamples x and y with replacement B times (seeded by
    ``seed``), the categories held fixed, for a percentile interval at
    ``confidence``, in ``ci``.

    >>> import math
    >>> import kldiv
    >>> c = kldiv.kl_categorical(["a", "b", "b", "c"], ["a", "a", "b", "b"])
    >>> c.categories, c.unseen, c.x_counts, c.y_counts
    (['a', 'b'], ['c'], array([1, 2, 1]), array([2, 2, 0]))
    >>> c.value                     # x has "c", y none
    inf
    >>> s = kldiv.kl_categorical(["a", "b", "b", "c"], ["a", "a", "b", "b"],
    ...                          smoothing=0.5)
    >>> round(float(s), 12)         # p = (1.5, 2.5, 1.5)/5.5, q = (2.5, 2.5, 0.5)/5.5
    0.160305454064
    >>> round(3 / 11 * math.log(1.8), 12)
    0.160305454064
    >>> kldiv.kl_categorical([1, "1"], ["1", "2"]).x_counts   # str(1) == "1"
    array([2, 0, 0])
    """
    r = _kldiv.kl_categorical_labels(
        _labels(x, "x"), _labels(y, "y"), float(smoothing),
        _count(seed, "seed"), _count(bootstrap, "bootstrap"),
        float(confidence))
    return CategoricalEstimate(
        value=r["value"], ci=_ci(r), categories=list(r["categories"]),
        unseen=list(r["unseen"]), x_counts=_readonly(r["x_counts"]),
        y_counts=_readonly(r["y_counts"]), p=_readonly(r["p"]),
        q=_readonly(r["q"]), terms=_readonly(r["terms"]), n=r["n"], m=r["m"],
        smoothing=r["smoothing"], warnings=list(r["warnings"]))


def mutual_information_ksg(
        x: Any, y: Any, k: Union[int, Sequence[int]] = 3, *, variant: int = 1,
        ties: str = "distinct", jitter_scale: float = 1e-10, seed: int = 0,
        threads: Optional[int] = None, bootstrap: int = 0,
        confidence: float = 0.95,
) -> Union[SampleEstimate, List[SampleEstimate]]:
    """Mutual information I(X; Y) in nats from N paired rows x (N,) or
    (N, dx) and y (N,) or (N, dy), by the estimators of Kraskov, Stögbauer &
    Grassberger (2004), with the max-norm in each space and in the joint one
    (‖(x, y)‖ = max(‖x‖∞, ‖y‖∞)); ε_i the joint distance from z_i = (x_i,
    y_i) to its k-th nearest other row:

    - variant 1: I = ψ(k) + ψ(N) - <ψ(n_x + 1) + ψ(n_y + 1)>, n_x(i) the
      number of j != i with ‖x_j - x_i‖ < ε_i (n_y likewise);
    - variant 2: I = ψ(k) - 1/k + ψ(N) - <ψ(n_x) + ψ(n_y)>, n_x(i) the
      number of j != i with ‖x_j - x_i‖ <= ε_x(i), ε_x(i) the largest
      x-distance among the rows at joint distance <= ε_i.

    The estimate is raw: it may be slightly negative, never clipped at 0.
    Needs N >= k + 1.

    k: an int gives one SampleEstimate; a sequence of ints gives a list, in
    the same order. ties: what to do with repeated rows (a zero joint
    distance): "distinct" (ε_i the k-th distance > 0), "exclude" (leave the
    repeated rows out of the average), "error" (ValueError stating how
    many) or "jitter" (seeded Gaussian noise of ``jitter_scale`` times each
    column's standard deviation first). threads: threads for the rows
    (default: OpenMP's); the result does not depend on it. bootstrap: B > 0
    resamples the rows (pairs) B times, seeded by ``seed``, for a percentile
    interval at ``confidence``. The result's n = m = N and d = dx + dy.

    >>> import kldiv
    >>> r = kldiv.mutual_information_ksg([0, 1, 2, 3], [0, 1, 2, 3], k=1)
    >>> round(float(r), 12)   # every ε_i = 1, n_x = n_y = 0: ψ(1) + ψ(4) - 2 ψ(1)
    1.833333333333
    >>> round(1 + 1 / 2 + 1 / 3, 12)
    1.833333333333
    >>> r.k, r.n, r.m, r.d
    (1, 4, 4, 2)
    """
    ks, single = _ks(k)
    rows = _kldiv.mutual_information_ksg_rows(
        _sample(x, "x"), _sample(y, "y"), ks, operator.index(variant),
        _choice(ties, "ties", _TIES), float(jitter_scale),
        _count(seed, "seed"), 0 if threads is None else int(threads),
        _count(bootstrap, "bootstrap"), float(confidence))
    out = [_estimate(r) for r in rows]
    return out[0] if single else out
