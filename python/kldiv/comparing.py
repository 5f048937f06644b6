"""Are two data sets different, where, and how sure: kldiv.compare.

compare(reference, current) compares every column the two tables share, as
``kldiv compare`` does (the C++ kldiv::compare, include/kldiv/compare.hpp;
docs/compare.md): on shared bins (numeric columns: bins fitted on the
reference, plus two outer bins) or shared categories (the reference's plus
an "(unseen)" bucket), the Jensen-Shannon divergence in bits, KL both ways
in nats, Hellinger, total variation, PSI and each bin's share of
KL(current || reference); for numeric columns the 1-D KL estimate,
Wasserstein-1, the Kolmogorov-Smirnov, Welch t and z tests; for categorical
columns the chi-square test of homogeneity; for every column a seeded
permutation p-value and bootstrap interval for JS, and a verdict ("no
drift", "possible drift", "drift") with its reason. Missing values are
counted, never dropped silently.

Tables are pandas DataFrames (a column per name; numeric dtypes are numeric
columns, object, category, bool and string ones categorical; NaN, None,
pd.NA and NaT count as missing), 1-D arrays, lists or Series (one column
named "value"), 2-D NumPy arrays (columns "0", "1", ...), or dicts of name
-> 1-D values. For arrays and lists: numeric when the dtype is numeric
(NaN missing); for object arrays (a list with None in it), numeric when
every value present is a number, categorical otherwise; bool is
categorical. ``numeric`` and ``categorical`` name columns to override the
guess.

>>> import kldiv
>>> r = kldiv.compare({"x": [1.0, 2.0, 3.0, 4.0, None]},
...                   {"x": [1.5, 2.5, 3.5, 4.5]}, bins=2, seed=1)
>>> c = r["x"]
>>> c.kind, c.n_reference, c.missing_reference, c.bins
('numeric', 4, 1, ['< 1', '[1, 2.5)', '[2.5, 4]', '> 4'])
>>> c.reference_counts.tolist(), c.current_counts.tolist()
([0, 2, 2, 0], [0, 1, 2, 1])
>>> c.verdict
'no drift'
"""

from __future__ import annotations

import dataclasses
import html
import math
import numbers
import operator
import sys
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _kldiv
from .estimators import _bins, _count, _readonly

__all__ = ["ColumnComparison", "Comparison", "compare"]

_KS = "Kolmogorov-Smirnov"
_CHI2 = "chi-square"
_JS_PERMUTATION = "JS permutation"


@dataclasses.dataclass(frozen=True, eq=False)
class ColumnComparison:
    """One column compared (the fields of the C++ column_comparison).

    name, kind ("numeric" or "categorical"); n_reference, n_current: values
    present; missing_reference, missing_current: values missing. edges: the
    B + 1 bin edges fitted on the reference (numeric; None for categorical
    columns). bins: each bin's name ("< 0.5", "[0.5, 1)", ..., "> 4";
    categories sorted, then "(unseen)"). reference_counts, current_counts
    (int64), reference_p, current_p (the smoothed proportions), kl_terms
    (current_p log(current_p / reference_p), nats: where KL(current ||
    reference) comes from): one entry per bin, read-only arrays.
    kl_current_reference, kl_reference_current: nats (inf possible without
    smoothing); js_bits: Jensen-Shannon divergence in bits (0..1); js_ci: the
    bootstrap interval (low, high) in bits or None; hellinger,
    total_variation, psi; kl_1d (nats) and wasserstein: numeric columns only,
    else None. tests: name -> {"statistic", "p_value", "df", "method",
    "warnings"} for "Kolmogorov-Smirnov", "Welch t", "z" (numeric) or
    "chi-square" (categorical), and "JS permutation". verdict: "no drift",
    "possible drift" or "drift"; reason: why, in words; warnings.
    """

    name: str
    kind: str
    n_reference: int
    n_current: int
    missing_reference: int
    missing_current: int
    edges: Optional[np.ndarray]
    bins: List[str]
    reference_counts: np.ndarray
    current_counts: np.ndarray
    reference_p: np.ndarray
    current_p: np.ndarray
    kl_terms: np.ndarray
    kl_current_reference: float
    kl_reference_current: float
    js_bits: float
    js_ci: Optional[Tuple[float, float]]
    hellinger: float
    total_variation: float
    psi: float
    kl_1d: Optional[float]
    wasserstein: Optional[float]
    tests: Dict[str, Dict[str, Any]]
    verdict: str
    reason: str
    warnings: List[str] = dataclasses.field(default_factory=list)

    def p_value(self, test: str) -> float:
        """The p-value of the test called ``test``, NaN when it was not run
        (not for this kind of column, or skipped: see warnings)."""
        t = self.tests.get(test)
        return float("nan") if t is None else float(t["p_value"])

    def to_dict(self) -> Dict[str, Any]:
        """The fields as plain Python values (lists, floats, ints, str,
        None; inf stays float('inf')), ready for json.dumps."""
        return {
            "name": self.name, "kind": self.kind,
            "n_reference": self.n_reference, "n_current": self.n_current,
            "missing_reference": self.missing_reference,
            "missing_current": self.missing_current,
            "edges": None if self.edges is None else self.edges.tolist(),
            "bins": list(self.bins),
            "reference_counts": self.reference_counts.tolist(),
            "current_counts": self.current_counts.tolist(),
            "reference_p": self.reference_p.tolist(),
            "current_p": self.current_p.tolist(),
            "kl_terms": self.kl_terms.tolist(),
            "kl_current_reference": float(self.kl_current_reference),
            "kl_reference_current": float(self.kl_reference_current),
            "js_bits": float(self.js_bits),
            "js_ci": None if self.js_ci is None else list(self.js_ci),
            "hellinger": float(self.hellinger),
            "total_variation": float(self.total_variation),
            "psi": float(self.psi),
            "kl_1d": self.kl_1d, "wasserstein": self.wasserstein,
            "tests": {k: {"statistic": float(t["statistic"]),
                          "p_value": float(t["p_value"]), "df": t["df"],
                          "method": t["method"],
                          "warnings": list(t["warnings"])}
                      for k, t in self.tests.items()},
            "verdict": self.verdict, "reason": self.reason,
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        return (f"ColumnComparison(name={self.name!r}, kind={self.kind!r}, "
                f"verdict={self.verdict!r}, js_bits={self.js_bits!r}, "
                f"n_reference={self.n_reference}, "
                f"n_current={self.n_current})")


_FRAME_COLUMNS = ("column", "kind", "n_reference", "n_current",
                  "missing_reference", "missing_current", "js_bits",
                  "kl_current_reference", "kl_reference_current", "hellinger",
                  "total_variation", "psi", "ks_p", "chi2_p",
                  "js_permutation_p", "verdict", "reason")


@dataclasses.dataclass(frozen=True, eq=False)
class Comparison:
    """The result of compare(): ``columns``, one ColumnComparison per
    compared column, worst first (drift, possible drift, no drift; then by
    JS, largest first), and the ``options`` used. ``r["name"]`` is one
    column's comparison; iterating gives the columns."""

    columns: List[ColumnComparison]
    options: Dict[str, Any] = dataclasses.field(default_factory=dict)
    # The compiled comparison, which writes the HTML report.
    _core: Any = dataclasses.field(default=None, repr=False)

    def __getitem__(self, name: str) -> ColumnComparison:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(
            f"no compared column {name!r}; the columns are "
            + ", ".join(repr(c.name) for c in self.columns))

    def __iter__(self) -> Iterator[ColumnComparison]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def _rows(self) -> List[Dict[str, Any]]:
        return [{
            "column": c.name, "kind": c.kind,
            "n_reference": c.n_reference, "n_current": c.n_current,
            "missing_reference": c.missing_reference,
            "missing_current": c.missing_current,
            "js_bits": c.js_bits,
            "kl_current_reference": c.kl_current_reference,
            "kl_reference_current": c.kl_reference_current,
            "hellinger": c.hellinger, "total_variation": c.total_variation,
            "psi": c.psi, "ks_p": c.p_value(_KS), "chi2_p": c.p_value(_CHI2),
            "js_permutation_p": c.p_value(_JS_PERMUTATION),
            "verdict": c.verdict, "reason": c.reason,
        } for c in self.columns]

    def to_frame(self):
        """A pandas DataFrame, one row per column, worst first: column, kind,
        n_reference, n_current, missing_reference, missing_current, js_bits,
        kl_current_reference, kl_reference_current, hellinger,
        total_variation, psi, ks_p (numeric columns; NaN otherwise), chi2_p
        (categorical columns; NaN otherwise), js_permutation_p, verdict,
        reason. Needs pandas (Debian: python3-pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "Comparison.to_frame needs pandas (Debian: apt-get install "
                "python3-pandas; pip: pip install pandas); to_dict() needs "
                "nothing") from None
        return pd.DataFrame(self._rows(), columns=list(_FRAME_COLUMNS))

    def to_dict(self) -> Dict[str, Any]:
        """{"columns": [each column's to_dict()], "options": {...}}: plain
        Python values, ready for json.dumps (inf as float('inf'), which
        json.dumps writes as Infinity)."""
        return {"columns": [c.to_dict() for c in self.columns],
                "options": dict(self.options)}

    def to_html(self, title: Optional[str] = None,
                reference_name: str = "reference",
                current_name: str = "current") -> str:
        """The report as one self-contained HTML page (inline SVG; no
        scripts, nothing fetched), as ``kldiv compare --report`` writes it:
        a summary table with the verdicts, then per column the two
        distributions overlaid on the shared bins or categories, each bin's
        part of KL(current || reference), the measures and tests with a
        reading of each, and what the numbers mean. ``reference_name`` and
        ``current_name`` are how the page names the two data sets; ``title``
        defaults to "Comparison of CURRENT with REFERENCE". Write it with
        ``pathlib.Path("report.html").write_text(r.to_html())``."""
        if self._core is None:
            raise ValueError(
                "to_html needs a Comparison made by kldiv.compare")
        return self._core.html(title or "", str(reference_name),
                               str(current_name))

    def _repr_html_(self) -> Optional[str]:
        """Jupyter shows the report (to_html()) in the output cell."""
        return _framed(self.to_html(), 900) if self._core is not None else None

    def __repr__(self) -> str:
        n = len(self.columns)
        noun = "column" if n == 1 else "columns"
        lines = [f"Comparison({n} {noun}, worst first:"]
        w = max((len(c.name) for c in self.columns), default=0)
        lines += [f"  {c.name:<{w}}  {c.verdict:<14}  JS {c.js_bits:.4g} bits"
                  for c in self.columns]
        lines.append(")")
        return "\n".join(lines)


def _framed(page: str, height: int) -> str:
    """A report page for a notebook's output cell: inside an iframe (srcdoc),
    so that its style sheet does not restyle the notebook."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width: 100%; height: {height}px; border: 1px solid '
            '#e2e8f0;" title="kldiv report"></iframe>')


# ---- tables --------------------------------------------------------------------


def _pandas():
    """pandas if it is already imported (a DataFrame cannot exist without
    it), else None: compare never imports pandas itself."""
    return sys.modules.get("pandas")


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    pd = _pandas()
    if pd is not None and (v is pd.NA or v is pd.NaT):
        return True
    if isinstance(v, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(v))
    return False


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


class _Column:
    """One table's column before the kind is settled: the values present
    (a list, or an array of the input's numeric dtype, so that integers made
    categorical are named "1", not "1.0"), the missing count and the
    guessed kind."""

    def __init__(self, values: Any, missing: int, kind: str):
        self.values = values
        self.missing = missing
        self.kind = kind


def _from_series(s: Any) -> _Column:
    pd = _pandas()
    mask = s.isna().to_numpy()
    present = s[~mask]
    t = pd.api.types
    if t.is_bool_dtype(s.dtype) or not t.is_numeric_dtype(s.dtype):
        kind = "categorical"
    elif t.is_complex_dtype(s.dtype):
        raise TypeError(f"complex values ({s.dtype}) are not supported")
    else:
        kind = "numeric"
    values = present.to_numpy() if kind == "numeric" else present.tolist()
    return _Column(values, int(mask.sum()), kind)


def _from_array(a: np.ndarray) -> _Column:
    k = a.dtype.kind
    if k in "iu":
        return _Column(a, 0, "numeric")
    if k == "f":
        mask = np.isnan(a)
        return _Column(a[~mask], int(mask.sum()), "numeric")
    if k == "c":
        raise TypeError(f"complex values ({a.dtype}) are not supported")
    if k in "US":
        return _Column(a.tolist(), 0, "categorical")
    # list() keeps NumPy's datetimes (tolist() turns datetime64[ns] into
    # ints); tolist() turns bools into Python's, named "True" and "False".
    objs = list(a) if k in "OMm" else a.tolist()
    present = [v for v in objs if not _is_missing(v)]
    kind = ("numeric" if k == "O" and present and all(map(_is_number, present))
            else "categorical")
    return _Column(present, len(objs) - len(present), kind)


def _one_column(x: Any, where: str) -> _Column:
    pd = _pandas()
    if pd is not None and isinstance(x, pd.Series):
        return _from_series(x)
    if isinstance(x, (str, bytes)):
        raise TypeError(
            f"{where} is a single {type(x).__name__}; pass a sequence of "
            "values")
    a = np.asarray(x)
    if a.ndim != 1:
        raise ValueError(f"{where} must be 1-D; got shape {a.shape}")
    return _from_array(a)


def _table(t: Any, which: str) -> Dict[str, _Column]:
    """The columns of a table (see the module's docstring), by name."""
    pd = _pandas()
    if pd is not None and isinstance(t, pd.DataFrame):
        names = [str(n) for n in t.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{which}: the DataFrame has duplicate column "
                             "names")
        return {n: _from_series(t.iloc[:, j]) for j, n in enumerate(names)}
    if isinstance(t, dict):
        return {str(n): _one_column(v, f"{which}[{n!r}]")
                for n, v in t.items()}
    if pd is not None and isinstance(t, pd.Series):
        return {"value": _from_series(t)}
    if isinstance(t, (str, bytes)):
        raise TypeError(f"{which} is a {type(t).__name__}, not a table")
    a = np.asarray(t)
    if a.ndim == 1:
        return {"value": _from_array(a)}
    if a.ndim == 2:
        return {str(j): _from_array(a[:, j]) for j in range(a.shape[1])}
    raise ValueError(
        f"{which} must be a DataFrame, a dict of columns, or a 1-D or 2-D "
        f"array; got shape {a.shape}")


def _names(value: Any, arg: str) -> List[str]:
    if value is None:
        return []
    names = [value] if isinstance(value, str) else list(value)
    for n in names:
        if not isinstance(n, str):
            raise TypeError(f"{arg}: {n!r} is not a column name (a str)")
    return names


def _settled(c: _Column, kind: str, name: str, which: str) -> Tuple:
    """The module's (name, kind, values, missing) tuple for one column."""
    if kind == "numeric":
        if isinstance(c.values, np.ndarray) and c.values.dtype.kind in "iuf":
            values = c.values
        else:
            try:
                values = np.array([float(v) for v in c.values],
                                  dtype=np.float64)
            except (TypeError, ValueError):
                bad = next(v for v in c.values if not _is_float(v))
                raise ValueError(
                    f"column {name!r} of the {which} table is numeric, but "
                    f"{bad!r} is not a number") from None
        return (name, kind, np.ascontiguousarray(values, dtype=np.float64),
                c.missing)
    if isinstance(c.values, np.ndarray):
        labels = [str(v) for v in c.values.tolist()]
    else:
        labels = [str(v) for v in c.values]
    return (name, kind, labels, c.missing)


def _is_float(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def compare(reference: Any, current: Any, *,
            columns: Union[None, str, Sequence[str]] = None,
            numeric: Union[None, str, Sequence[str]] = None,
            categorical: Union[None, str, Sequence[str]] = None,
            bins: Any = "auto", smoothing: float = 0.0,
            permutations: int = 1000, bootstrap: int = 200,
            confidence: float = 0.95, seed: int = 0, alpha: float = 0.01,
            js_possible: float = 0.01, js_drift: float = 0.05,
            threads: Optional[int] = None) -> Comparison:
    """Compares each column of ``current`` with the ``reference`` column of
    the same name: every column both tables have, or those named in
    ``columns``. Tables: see the module's docstring.

    numeric, categorical: column names whose kind is set rather than
    guessed (numeric values must then all be numbers). bins: the bins of
    numeric columns, fitted on the reference, as for kl_histogram (a rule
    name "auto", "fd", "scott", "sturges", "doane", "rice", "sqrt",
    "quantiles"; a count; ("quantiles", B); or edges). smoothing: a
    pseudo-count added to every bin for the KLs and PSI (0: a bin with
    current data and no reference data makes them inf). permutations,
    bootstrap: for the JS p-value and interval (0: none); confidence: the
    interval's level; seed: results are reproducible and independent of
    ``threads``. alpha, js_possible, js_drift: the verdict's thresholds (JS
    beyond chance in bits; see docs/compare.md).

    Raises ValueError for a column numeric in one table and categorical in
    the other, a column without values, no shared column, or a chosen column
    missing from a table, naming the column.
    """
    ref = _table(reference, "reference")
    cur = _table(current, "current")
    chosen = _names(columns, "columns")
    as_numeric = _names(numeric, "numeric")
    as_categorical = _names(categorical, "categorical")
    both = set(as_numeric) & set(as_categorical)
    if both:
        raise ValueError(
            "columns named both numeric and categorical: "
            + ", ".join(repr(n) for n in sorted(both)))
    for arg, names in (("numeric", as_numeric),
                       ("categorical", as_categorical)):
        for n in names:
            if n not in ref and n not in cur:
                raise ValueError(
                    f"{arg}: no column {n!r} in the reference or the current "
                    "table")
    if chosen:
        for n in chosen:
            for which, table in (("reference", ref), ("current", cur)):
                if n not in table:
                    raise ValueError(
                        f"columns: no column {n!r} in the {which} table; it "
                        "has " + ", ".join(repr(k) for k in table))
        ref = {n: ref[n] for n in chosen}
        cur = {n: cur[n] for n in chosen}

    def settle(table: Dict[str, _Column], which: str) -> List[Tuple]:
        out = []
        for n, c in table.items():
            kind = ("numeric" if n in as_numeric else
                    "categorical" if n in as_categorical else c.kind)
            out.append(_settled(c, kind, n, which))
        return out

    rule, count, edges = _bins(bins)
    options = {"bins": bins if isinstance(bins, (str, int, tuple))
               else np.asarray(bins, dtype=np.float64).tolist(),
               "smoothing": float(smoothing),
               "permutations": _count(permutations, "permutations"),
               "bootstrap": _count(bootstrap, "bootstrap"),
               "confidence": float(confidence), "seed": _count(seed, "seed"),
               "alpha": float(alpha), "js_possible": float(js_possible),
               "js_drift": float(js_drift)}
    rows, core = _kldiv.compare_columns(
        settle(ref, "reference"), settle(cur, "current"), rule, count,
        edges, options["smoothing"], options["permutations"],
        options["bootstrap"], options["confidence"], options["seed"],
        options["alpha"], options["js_possible"], options["js_drift"],
        0 if threads is None else operator.index(threads))
    return Comparison(columns=[_column(r) for r in rows], options=options,
                      _core=core)


def _column(r: Dict[str, Any]) -> ColumnComparison:
    numeric = r["kind"] == "numeric"
    return ColumnComparison(
        name=r["name"], kind=r["kind"], n_reference=r["n_reference"],
        n_current=r["n_current"], missing_reference=r["missing_reference"],
        missing_current=r["missing_current"],
        edges=_readonly(r["edges"]) if numeric else None,
        bins=list(r["bins"]),
        reference_counts=_readonly(r["reference_counts"]),
        current_counts=_readonly(r["current_counts"]),
        reference_p=_readonly(r["reference_p"]),
        current_p=_readonly(r["current_p"]),
        kl_terms=_readonly(r["kl_terms"]),
        kl_current_reference=r["kl_current_reference"],
        kl_reference_current=r["kl_reference_current"],
        js_bits=r["js_bits"],
        js_ci=(None if r["js_ci_low"] is None
               else (r["js_ci_low"], r["js_ci_high"])),
        hellinger=r["hellinger"], total_variation=r["total_variation"],
        psi=r["psi"], kl_1d=r["kl_1d"], wasserstein=r["wasserstein"],
        tests={k: dict(v) for k, v in r["tests"].items()},
        verdict=r["verdict"], reason=r["reason"],
        warnings=list(r["warnings"]))
