"""Drop-in replacements for SciPy's KL functions, computed by kldiv.

Change ``from scipy.special import rel_entr`` to
``from kldiv.scipy import rel_entr`` (likewise kl_div, and
``scipy.stats.entropy`` and ``scipy.spatial.distance.jensenshannon``) and the
code keeps its meaning: the same signatures, the same unchecked semantics
(negative entries give inf, NaN gives NaN, nothing raises for bad values),
the same axis defaults (axis=0) and result dtypes.

Where they differ from SciPy 1.10 (see docs/python.md):

- Values are computed in double by kldiv's accurate algorithms: equal to
  SciPy's to rounding on ordinary inputs, and more accurate where SciPy's
  formulas cancel (p very close to q, where SciPy can be off in the leading
  digits) or overflow (x/y beyond the double range in rel_entr and kl_div,
  where SciPy returns inf or -inf and kldiv the finite value). float32 inputs
  are accumulated in double and the result is rounded to float32 (SciPy
  accumulates in float32: the two agree to float32 precision).
- rel_entr and kl_div are not NumPy ufuncs: they take (x, y, out=None) and
  broadcast, but not ufunc keywords such as where=, casting= or dtype=.
- entropy and jensenshannon broadcast p and q before normalising along axis;
  SciPy normalises p first. The results differ only when an input has length
  1 along axis and is broadcast against a longer one.

>>> from kldiv.scipy import entropy, jensenshannon, rel_entr
>>> entropy([0.5, 0.5], base=2)
1.0
>>> float(jensenshannon([1.0, 0.0], [0.0, 1.0], base=2))
1.0
>>> rel_entr([0.5, 0.0, 1.0], [0.25, 0.3, 0.0])
array([0.34657359, 0.        ,        inf])
"""

from __future__ import annotations

import math

import numpy as np

from . import _kldiv

__all__ = ["entropy", "jensenshannon", "kl_div", "rel_entr"]


def _ufunc_dtype(x, y):
    """The dtype SciPy's ufunc loops ('ff->f', 'dd->d') give for x and y
    (Python scalars take part by value, as in NumPy's own casting)."""
    dt = np.result_type(*(v if np.isscalar(v) else np.asarray(v) for v in (x, y)))
    if dt == np.float32 or dt == np.float16:
        return np.dtype(np.float32)
    if dt == np.float64 or dt.kind in "biu":
        return np.dtype(np.float64)
    raise TypeError(
        f"ufunc not supported for the input types ({dt}): kldiv.scipy takes "
        "real numbers of up to 64 bits")


def _elementwise(fn, x, y, out):
    dt = _ufunc_dtype(x, y)
    xa, ya = np.broadcast_arrays(np.asarray(x, dtype=dt), np.asarray(y, dtype=dt))
    result = fn(np.ascontiguousarray(xa).ravel(),
                np.ascontiguousarray(ya).ravel()).reshape(xa.shape)
    if out is not None:
        out[...] = result
        return out
    return result[()] if result.ndim == 0 else result


def rel_entr(x, y, /, out=None):
    """scipy.special.rel_entr: x log(x/y) for x, y > 0; 0 for x = 0, y >= 0;
    inf otherwise; elementwise, broadcasting.

    >>> rel_entr(1.0, 0.5)
    0.6931471805599453
    """
    return _elementwise(_kldiv.scipy_rel_entr, x, y, out)


def kl_div(x, y, /, out=None):
    """scipy.special.kl_div: x log(x/y) - x + y for x, y > 0; y for x = 0,
    y >= 0; inf otherwise; elementwise, broadcasting.

    >>> kl_div(1.0, 0.5)
    0.1931471805599453
    """
    return _elementwise(_kldiv.scipy_kl_div, x, y, out)


def _result_dtype(*arrays):
    return (np.float32 if all(a.dtype in (np.float16, np.float32)
                              for a in arrays) else np.float64)


def _scalar_dtype(dtype, divided):
    """SciPy's dtype for a 0-d result: dividing a NumPy float32 scalar by a
    Python float or float64 (its base, or 2) gives float64 in NumPy 1.x."""
    return np.float64 if divided else dtype


def _rows_along(a, axis, batch, n):
    a = np.broadcast_to(np.moveaxis(a, axis, -1), batch + (n,))
    a = a.reshape(math.prod(batch), n)
    if all(s >= 0 and s % a.itemsize == 0 for s in a.strides):
        return a
    return np.ascontiguousarray(a)


def _finish(values, batch, dtype, axis, keepdims):
    out = values.reshape(batch).astype(dtype, copy=False)
    if keepdims:
        out = np.expand_dims(out, axis if axis >= 0 else axis + len(batch) + 1)
    return out[()] if out.ndim == 0 else out


def _pair_rows(p, q, axis):
    p = np.asarray(p)
    q = p if q is None else np.asarray(q)
    dtype = _result_dtype(p, q)
    pf = np.asarray(p, dtype=np.float64)
    qf = np.asarray(q, dtype=np.float64)
    shape = np.broadcast_shapes(pf.shape, qf.shape)
    if not shape:
        raise np.AxisError(axis, 0)
    axis = axis if axis >= 0 else axis + len(shape)
    if not 0 <= axis < len(shape):
        raise np.AxisError(axis, len(shape))
    n = shape[axis]
    batch = shape[:axis] + shape[axis + 1:]
    pf = np.broadcast_to(pf, shape)
    qf = np.broadcast_to(qf, shape)
    return (_rows_along(pf, axis, batch, n), _rows_along(qf, axis, batch, n),
            batch, dtype, axis)


def entropy(pk, qk=None, base=None, axis=0):
    """scipy.stats.entropy: -sum pk log pk, or sum pk log(pk/qk) when qk is
    given, with pk and qk normalised along axis; in units of base (e by
    default).

    >>> entropy([1, 1, 2, 4], [2, 2, 2, 2])
    0.1732867951399863
    """
    if base is not None and base <= 0:
        raise ValueError("`base` must be a positive number or `None`.")
    p2, q2, batch, dtype, _ = _pair_rows(pk, qk, axis)
    values = _kldiv.scipy_entropy(p2, None if qk is None else q2,
                                  None if base is None else float(base))
    if not batch:
        dtype = _scalar_dtype(dtype, base is not None)
    return _finish(values, batch, dtype, 0, False)


def jensenshannon(p, q, base=None, *, axis=0, keepdims=False):
    """scipy.spatial.distance.jensenshannon: the Jensen-Shannon distance
    sqrt(JS) between p and q normalised along axis, in units of base.

    >>> float(jensenshannon([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0))
    1.0
    """
    p2, q2, batch, dtype, axis = _pair_rows(p, q, axis)
    values = _kldiv.scipy_jensenshannon(p2, q2,
                                        None if base is None else float(base))
    if not batch and not keepdims:
        dtype = _scalar_dtype(dtype, True)  # SciPy's sqrt(js / 2.0)
    return _finish(values, batch, dtype, axis, keepdims)
