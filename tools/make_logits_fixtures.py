#!/usr/bin/python3
"""Writes the fixtures of `kldiv logits` (tests/test_cli.cpp) and of
io::array_file (tests/test_io.cpp), with the statistics the command must print,
computed here independently: mpmath at 40 digits for each row's KL, NumPy for
the percentiles (its default "linear" rule), the standard error, top-1 agreement
and RMS top-probability difference. Run with Debian's python3:

    /usr/bin/python3 tools/make_logits_fixtures.py
"""

import json
import pathlib

import mpmath as mp
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "logits"

mp.mp.dps = 40


def softmax(row):
    m = max(row)
    exps = [mp.e ** (mp.mpf(float(x)) - m) for x in row]
    s = sum(exps)
    return [e / s for e in exps]


def kl_row(a, b):
    p, q = softmax(a), softmax(b)
    if any(pi > 0 and qi == 0 for pi, qi in zip(p, q)):
        return mp.inf
    return sum(pi * mp.log(pi / qi) for pi, qi in zip(p, q) if pi > 0)


def percentile(values, q):
    """NumPy's default ("linear") rule, written out so that infinite values
    interpolate as numbers do (inf between inf and inf, not nan)."""
    v = np.sort(values)
    pos = q / 100 * (len(v) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(v) - 1)
    frac = pos - lo
    if frac == 0 or v[lo] == v[hi]:
        return float(v[lo])
    return float(v[lo] + frac * (v[hi] - v[lo]))


def statistics(a, b):
    kl = np.array([float(kl_row(ra, rb)) for ra, rb in zip(a, b)])
    top_a, top_b = a.argmax(axis=1), b.argmax(axis=1)
    p_top = np.array([float(softmax(r)[t]) for r, t in zip(a, top_a)])
    q_top = np.array([float(softmax(r)[t]) for r, t in zip(b, top_a)])
    n = len(kl)
    return {
        "rows": n,
        "vocab": int(a.shape[1]),
        "mean_kl": float(np.mean(kl)),
        # Undefined (nan) when the mean is infinite.
        "standard_error": (float(np.std(kl, ddof=1) / np.sqrt(n))
                           if np.all(np.isfinite(kl)) else float("nan")),
        "median_kl": percentile(kl, 50),
        "p90_kl": percentile(kl, 90),
        "p99_kl": percentile(kl, 99),
        "p999_kl": percentile(kl, 99.9),
        "max_kl": float(kl.max()),
        "top1_agreement": float(np.mean(top_a == top_b)),
        "top1_agreeing_rows": int(np.sum(top_a == top_b)),
        "rms_top_prob_diff": float(np.sqrt(np.mean((p_top - q_top) ** 2))),
    }


def finite_or_named(x):
    """Non-finite numbers as the strings the command writes ("inf", "nan"):
    JSON has no literal for them."""
    if isinstance(x, dict):
        return {k: finite_or_named(v) for k, v in x.items()}
    if isinstance(x, list):
        return [finite_or_named(v) for v in x]
    if isinstance(x, float) and not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def main():
    DATA.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    rows, vocab = 37, 11
    a = (3 * rng.standard_normal((rows, vocab))).astype(np.float32)
    b = (a + 0.5 * rng.standard_normal((rows, vocab))).astype(np.float32)
    b[5, 3] = -np.inf  # a token the test model rules out: KL of row 5 is inf
    a[6, 2] = -np.inf  # one the base model rules out: contributes 0
    finite_b = b.copy()
    finite_b[5, 3] = b[5, 2]

    np.save(DATA / "base_f32.npy", a)
    np.save(DATA / "test_f32.npy", finite_b)
    np.save(DATA / "test_inf_f32.npy", b)
    a.tofile(DATA / "base.f32")
    finite_b.tofile(DATA / "test.f32")
    # The same numbers as float64 big-endian, and in Fortran order.
    np.save(DATA / "base_f8_be.npy", a.astype(">f8"))
    np.save(DATA / "test_fortran_f32.npy", np.asfortranarray(finite_b))
    # float16: its own numbers (the statistics below are of the float16
    # values), with a subnormal, a large value and -inf among them.
    h = (2 * rng.standard_normal((rows, vocab))).astype(np.float16)
    h[0, 0] = np.float16(6e-8)   # subnormal
    h[0, 1] = np.float16(60000)  # near the largest
    h[1, 0] = -np.inf
    np.save(DATA / "test_f16.npy", h)
    # Malformed: a truncated file, an integer dtype, a 3-D array.
    (DATA / "truncated.npy").write_bytes((DATA / "base_f32.npy").read_bytes()[:-10])
    np.save(DATA / "ints.npy", np.arange(12, dtype=np.int32).reshape(3, 4))
    np.save(DATA / "cube.npy", np.zeros((2, 2, 2), np.float32))
    np.save(DATA / "other_shape.npy", a[:, :10])

    expected = {
        "base_f32_vs_test_f32": statistics(a, finite_b),
        "base_f32_vs_test_inf_f32": statistics(a, b),
        "base_f32_vs_test_f16": statistics(a, h.astype(np.float32)),
        "f16_values": [float(x) for x in h.astype(np.float64).ravel()[:4]],
    }
    with open(DATA / "expected.json", "w") as f:
        json.dump(finite_or_named(expected), f, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
