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
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, ClassVar, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _kldiv

__all__ = ["SampleEstimate", "entropy_knn", "kl_knn"]

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


def _run(xs: np.ndarray, ys: Optional[np.ndarray], k: Any, ties: str,
         jitter_scale: float, seed: int, threads: Optional[int], search: str,
         bootstrap: int, confidence: float,
         ) -> Union[SampleEstimate, List[SampleEstimate]]:
    """kl_knn (ys given) or entropy_knn (ys None): one call to the library,
    one SampleEstimate per k (a list when k is a sequence)."""
    try:
        ks, single = [operator.index(k)], True
    except TypeError:
        ks, single = [operator.index(v) for v in k], False
    rows = _kldiv.kl_knn_rows(
        xs, ys, ks, _choice(ties, "ties", _TIES), float(jitter_scale),
        _count(seed, "seed"), 0 if threads is None else int(threads),
        _choice(search, "search", _SEARCH), _count(bootstrap, "bootstrap"),
        float(confidence))
    out = [
        SampleEstimate(
            value=r["value"], k=r["k"],
            ci=None if r["ci_low"] is None else (r["ci_low"], r["ci_high"]),
            n=r["n"], m=r["m"], d=r["d"], ties=r["ties"],
            tie_handling=r["tie_handling"], warnings=list(r["warnings"]))
        for r in rows
    ]
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
