#!/usr/bin/python3
"""kldiv's Python module beside SciPy and PyTorch, in one process, on the same
arrays: the time of each (best of several runs) and the ratio other / kldiv
(> 1: kldiv is faster).

usage: PYTHONPATH=build/python compare_python.py
"""

import numpy as np
import torch
from scipy import special, stats
from scipy.spatial import distance

import kldiv
from timing import best_seconds as _best_seconds  # noqa: E402


def best_seconds(fn, budget=0.3):
    return _best_seconds(fn, budget)


def simplex(rng, shape, dtype):
    x = rng.exponential(size=shape)
    return (x / x.sum(axis=-1, keepdims=True)).astype(dtype)


def cases(rng):
    for shape in [(1_000_000,), (1000, 1000), (64, 32_000)]:
        for dtype in (np.float64, np.float32):
            p, q = simplex(rng, shape, dtype), simplex(rng, shape, dtype)
            pt, qt = torch.from_numpy(p), torch.from_numpy(q)
            log_q = qt.log()
            yield ("kl", shape, dtype, lambda: kldiv.kl(p, q), {
                "SciPy rel_entr(p, q).sum(-1)":
                    lambda: special.rel_entr(p, q).sum(axis=-1),
                "PyTorch kl_div(log q, p).sum(-1)":
                    lambda: torch.nn.functional.kl_div(
                        log_q, pt, reduction="none").sum(-1),
            })
            yield ("entropy", shape, dtype, lambda: kldiv.entropy(p), {
                "SciPy stats.entropy(p, axis=-1)":
                    lambda: stats.entropy(p, axis=-1),
                "PyTorch Categorical(p).entropy()":
                    lambda: torch.distributions.Categorical(
                        probs=pt, validate_args=False).entropy(),
            })
            yield ("js_distance", shape, dtype, lambda: kldiv.js_distance(p, q), {
                "SciPy jensenshannon(p, q, axis=-1)":
                    lambda: distance.jensenshannon(p, q, axis=-1),
            })


def main():
    rng = np.random.default_rng(0)
    print(f"kldiv {kldiv.__version__}, NumPy {np.__version__}, "
          f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads)\n")
    print(f"{'measure':<12} {'shape':<14} {'dtype':<8} {'kldiv':>10} "
          f"{'other':>10} {'other/kldiv':>11}  other")
    for name, shape, dtype, ours, others in cases(rng):
        t_ours = best_seconds(ours)
        for label, fn in others.items():
            t = best_seconds(fn)
            print(f"{name:<12} {str(shape):<14} {np.dtype(dtype).name:<8} "
                  f"{t_ours * 1e3:>8.2f}ms {t * 1e3:>8.2f}ms {t / t_ours:>10.2f}x  "
                  f"{label}")


if __name__ == "__main__":
    main()
