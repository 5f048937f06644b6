"""Fitting candidate families to 1-D data by maximum likelihood, ranked by
KL(empirical || model).

fit(data) fits every family that applies: the discrete ones (uniform,
binomial, poisson, geometric, negative_binomial) when every value is a whole
number, the continuous ones (normal, lognormal, exponential, gamma, weibull,
beta) otherwise; ``kind`` and ``families`` choose. The result is a FitResult:
the models best first (smallest KL), then the families that could not be
fitted, each with the reason; the KL is exact for discrete data; for
continuous data it is either the k-NN estimate -Ĥ - mean log f(x) (Ĥ the
Kozachenko-Leonenko entropy of the data; may be negative, and far off when
values repeat) or the histogram KL Σ_b p̂_b log(p̂_b / P_b) between the
binned data and the binned model (>= 0) on bins fitted on the data
(aligned with the grid of rounded data: ``align_to_grid``); by default the
histogram when a value repeats, k-NN otherwise (``kl`` chooses;
``kl_estimator`` says which). The estimators are those of the C++ library
(include/kldiv/fit.hpp): uniform low = min, high = max; binomial n = max
(or ``binomial_n``), p = mean / n; poisson rate = mean; geometric (failures
before the first success) p = 1 / (1 + mean); negative_binomial r from the
profile score, p = r / (r + mean); normal loc = mean, scale = the standard
deviation with 1/n; lognormal the normal fit of log x; exponential rate =
1 / mean; gamma (shape, rate), weibull (shape, scale) and beta (a, b) by
Newton's method on the likelihood equations.

>>> import kldiv
>>> r = kldiv.fit([1, 2, 2, 3], families=["poisson", "geometric"])
>>> r.best.family, r.best.parameters          # rate = mean = 8/4
('poisson', {'rate': 2.0})
>>> r.models[1].parameters                    # p = 1 / (1 + mean)
{'p': 0.3333333333333333}
>>> r.discrete, r.n, r.best.kl_method
(True, 4, 'exact')
>>> n = kldiv.fit([2, 4, 4, 4, 5, 5, 7, 9], kind="continuous",
...               families=["normal"]).best
>>> n.parameters                              # mean 5, sqrt(32 / 8)
{'loc': 5.0, 'scale': 2.0}
>>> n.kl_method                               # 4 and 5 repeat
'histogram'
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from . import _kldiv
from .comparing import _framed
from .estimators import _bins, _readonly, _values

__all__ = ["FitResult", "FittedModel", "fit"]

FAMILIES = ("uniform", "binomial", "poisson", "geometric", "negative_binomial",
            "normal", "lognormal", "exponential", "gamma", "weibull", "beta")


@dataclasses.dataclass(frozen=True)
class FittedModel:
    """One family's maximum-likelihood fit.

    family: its name ("negative_binomial"); fitted: whether the fit exists
    (else ``reason`` says why, and the numbers are 0); parameters: name ->
    value, in the order of the distribution class's constructor (the names
    of kldiv.distributions: "loc", "scale", "rate", "shape", ...);
    log_likelihood (nats); k: the number of free parameters; aic = 2k - 2
    log_likelihood; bic = k log n - 2 log_likelihood; kl: KL(empirical ||
    model) in nats (+inf when an observed value is outside the model's
    support; for continuous data an estimate: the k-NN one may be negative,
    the histogram one is >= 0); kl_method: "exact", "k-NN entropy",
    "histogram" or "point mass".
    """

    family: str
    fitted: bool
    reason: str
    parameters: Dict[str, float] = dataclasses.field(hash=False)
    log_likelihood: float
    k: int
    aic: float
    bic: float
    kl: float
    kl_method: str

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a new dict (parameters a new dict too)."""
        d = dataclasses.asdict(self)
        d["parameters"] = dict(self.parameters)
        return d

    def __repr__(self) -> str:
        if not self.fitted:
            return (f"FittedModel(family={self.family!r}, fitted=False, "
                    f"reason={self.reason!r})")
        return (f"FittedModel(family={self.family!r}, "
                f"parameters={self.parameters!r}, "
                f"log_likelihood={self.log_likelihood!r}, k={self.k}, "
                f"aic={self.aic!r}, bic={self.bic!r}, kl={self.kl!r}, "
                f"kl_method={self.kl_method!r})")


@dataclasses.dataclass(frozen=True)
class FitResult:
    """The fits of fit(), ranked.

    models: the fitted models, best (smallest KL) first, then the families
    not fitted; best: the first fitted model, or None; discrete: whether the
    data were fitted as discrete; n: the number of observations (the sum of
    the counts); entropy: the entropy the KLs rest on, nats (the plug-in
    entropy of the empirical distribution for discrete data; for continuous
    data the Kozachenko-Leonenko estimate (k-NN) or the plug-in entropy of
    the bin proportions (histogram)); kl_estimator: how the KLs were
    obtained, in words (the histogram's rule, number of bins and any
    alignment with the data's grid); warnings: notes on the result's
    reliability; kl_edges: the B + 1 bin edges the histogram estimate used
    (read-only; empty for k-NN and discrete data).
    """

    models: List[FittedModel] = dataclasses.field(hash=False)
    discrete: bool
    n: int
    entropy: float
    kl_estimator: str
    warnings: List[str] = dataclasses.field(default_factory=list, hash=False)
    kl_edges: np.ndarray = dataclasses.field(
        default_factory=lambda: _readonly(np.empty(0)), hash=False,
        compare=False)
    # The compiled fit and its data, which write the HTML report.
    _core: Any = dataclasses.field(default=None, repr=False, hash=False,
                                   compare=False)

    @property
    def best(self) -> Optional[FittedModel]:
        """The first fitted model (the smallest KL), or None."""
        return next((m for m in self.models if m.fitted), None)

    def to_dict(self) -> Dict[str, Any]:
        """The fields as new plain dicts and lists (models as dicts)."""
        return {"models": [m.to_dict() for m in self.models],
                "discrete": self.discrete, "n": self.n,
                "entropy": self.entropy, "kl_estimator": self.kl_estimator,
                "warnings": list(self.warnings),
                "kl_edges": [float(e) for e in self.kl_edges]}

    def to_html(self, title: Optional[str] = None,
                data_name: str = "data") -> str:
        """The report as one self-contained HTML page (inline SVG; no
        scripts, nothing fetched), as ``kldiv fit --report`` writes it: the
        data (bars at each value, or a histogram on the bins of the
        histogram estimate) with every fitted model drawn over it, one chart
        per model, the ranking table, the families not fitted and why, and
        how KL was estimated. ``data_name`` is how the page names the data;
        ``title`` defaults to "Models fitted to DATA"."""
        if self._core is None:
            raise ValueError("to_html needs a FitResult made by kldiv.fit")
        return self._core.html(title or "", str(data_name))

    def _repr_html_(self) -> Optional[str]:
        """Jupyter shows the report (to_html()) in the output cell."""
        return _framed(self.to_html(), 900) if self._core is not None else None

    def __repr__(self) -> str:
        head = (f"FitResult(n={self.n}, discrete={self.discrete}, "
                f"entropy={self.entropy!r}, kl_estimator={self.kl_estimator!r}")
        lines = [head + ", models=["]
        lines += [f"  {m!r}," for m in self.models]
        tail = "]"
        if self.warnings:
            tail += f", warnings={self.warnings!r}"
        lines.append(tail + ")")
        return "\n".join(lines)


def _families(families: Any) -> List[str]:
    if families is None:
        return []
    names = [families] if isinstance(families, str) else list(families)
    if not names:
        raise ValueError(
            "families is empty: give one or more of " + ", ".join(FAMILIES) +
            ", or None for every family that applies")
    for f in names:
        if not isinstance(f, str):
            raise TypeError(f"families: {f!r} is not a family name (a str)")
    return names


def fit(data: Any, *, counts: Any = None,
        families: Union[None, str, Sequence[str]] = None, kind: str = "auto",
        binomial_n: Optional[int] = None, kl: str = "auto",
        bins: Any = "auto", align_to_grid: bool = True) -> FitResult:
    """Fits candidate families to the 1-D observations ``data`` by maximum
    likelihood and ranks them by KL(empirical || model).

    counts: when given, ``data`` holds values and ``counts[i]`` how often
    ``data[i]`` was observed (whole numbers >= 0, at least one positive; the
    library's messages call them values[i] and counts[i]); the result is the
    one of the expanded observations.

    families: names from uniform, binomial, poisson, geometric,
    negative_binomial (discrete) and normal, lognormal, exponential, gamma,
    weibull, beta (continuous), all of the data's kind; None fits every
    family of the data's kind. A family whose support does not hold the data
    or whose MLE does not exist is kept, not fitted, with the reason.

    kind: "auto" (discrete when every value is a whole number), "discrete"
    or "continuous". binomial_n: the binomial's number of trials (default:
    the largest value, which then counts as a free parameter).

    kl: how the continuous KL is estimated: "knn" (-Ĥ - mean log f(x), Ĥ
    the Kozachenko-Leonenko entropy; ranks as the log-likelihood does; may be
    negative, and far off when values repeat), "histogram" (Σ_b p̂_b log(p̂_b
    / P_b), p̂_b the data's proportion and P_b the model's mass in bin b of
    ``bins``: the KL between the binned data and the binned model, >= 0) or
    "auto" (histogram when a value repeats in the data, knn otherwise).
    Discrete data take the exact KL: kl other than "auto" is then a
    ValueError. bins: as kldiv.bin_edges takes them, fitted on the data (a
    NumPy rule name, default "auto"; a bin count; ("quantiles", B); or an
    array of edges, data outside them counted in two outer bins).

    align_to_grid: rounded data, whose distinct values (at least 3) lie on
    a grid of step g, get a rule's bins aligned with it (True, the
    default): a width rule's width w becomes max(1, round(w / g)) g with
    edges at min - g/2 + k w', every grid point in the middle of its bin
    (NumPy's rules make bins narrower than the grid for large n, half of
    them empty, which inflates every KL); quantile edges move to the
    nearest midpoints between grid points that keep each bin's data.
    ``kl_estimator`` says so, ``kl_edges`` are the edges used. Edges given
    as an array are never moved; False keeps the rule's own edges.

    Bad input (empty data, a value that is not finite, an unknown family, a
    family of the other kind, bad bins) raises ValueError naming the
    argument and index.

    >>> import kldiv
    >>> r = kldiv.fit([0, 1, 1, 2], families=["binomial"], binomial_n=4)
    >>> r.best.parameters                     # p = mean / n = 1 / 4
    {'n': 4.0, 'p': 0.25}
    >>> r.best.k                              # n given: p alone is free
    1
    >>> kldiv.fit([1.5, 2.5, 4.0]).discrete   # not all whole: continuous
    False
    >>> kldiv.fit([1, 2], families=["cauchy"])
    Traceback (most recent call last):
    ...
    ValueError: fit: unknown family "cauchy"; the families are uniform, binomial, poisson, geometric, negative_binomial, normal, lognormal, exponential, gamma, weibull, beta
    """
    x = _values(data, "data")
    c = None if counts is None else _values(counts, "counts")
    names = _families(families)
    if not isinstance(kind, str):
        raise ValueError(
            f"kind = {kind!r}: expected auto, discrete or continuous")
    n_trials = None if binomial_n is None else operator.index(binomial_n)
    if not isinstance(kl, str):
        raise ValueError(f"kl = {kl!r}: expected auto, knn or histogram")
    rule, count, edges = _bins(bins)
    r = _kldiv.fit_flat(x, c, names, kind, n_trials, kl, rule, count, edges,
                        bool(align_to_grid))
    models = [FittedModel(
        family=m["family"], fitted=m["fitted"], reason=m["reason"],
        parameters=dict(m["parameters"]), log_likelihood=m["log_likelihood"],
        k=m["k"], aic=m["aic"], bic=m["bic"], kl=m["kl"],
        kl_method=m["kl_method"]) for m in r["models"]]
    return FitResult(models=models, discrete=r["discrete"], n=r["n"],
                     entropy=r["entropy"], kl_estimator=r["kl_estimator"],
                     warnings=list(r["warnings"]),
                     kl_edges=_readonly(r["kl_edges"]), _core=r["core"])
