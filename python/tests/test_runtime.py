"""No leak over 10^5 calls, correct results from several threads at once,
and the docstrings' examples."""
import doctest
import gc
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import kldiv
import kldiv.scipy


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def test_no_leak_over_many_calls():
    p = np.full(64, 1 / 64)
    q = np.linspace(1, 2, 64)
    q /= q.sum()
    batch = np.tile(p, (4, 1))
    def calls(n):
        for _ in range(n):
            kldiv.kl(p, q)
            kldiv.js_distance(batch, q)
            try:
                kldiv.kl([0.5, -0.5], [0.5, 0.5])
            except ValueError:
                pass
    calls(5_000)  # warm up allocator pools
    gc.collect()
    before = rss_bytes()
    calls(100_000)
    gc.collect()
    grown = rss_bytes() - before
    assert grown < 4 * 2**20, f"RSS grew by {grown} bytes over 1e5 calls"


def test_threads_give_the_sequential_results():
    rng = np.random.default_rng(0)
    inputs = []
    for i in range(8):
        p = rng.random((200, 5000))
        q = rng.random((200, 5000))
        inputs.append((p / p.sum(1, keepdims=True), q / q.sum(1, keepdims=True)))
    sequential = [kldiv.kl(p, q) for p, q in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda pq: kldiv.kl(*pq), inputs))
    for a, b in zip(sequential, threaded):
        np.testing.assert_array_equal(a, b)


def test_docstring_examples():
    for module in (kldiv, kldiv.scipy, kldiv.distributions, kldiv.estimators,
                   kldiv.fitting, kldiv.comparing):
        failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried > 0
        assert failures == 0


def test_the_guide_s_examples():
    """The >>> examples of docs/python.md, docs/logits.md and the README run
    as shown."""
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    for page in ("docs/python.md", "docs/logits.md", "docs/distributions.md",
                 "docs/mixtures.md", "docs/estimators.md", "docs/fit.md",
                 "docs/compare.md", "README.md"):
        failures, tried = doctest.testfile(
            os.path.abspath(os.path.join(root, page)), module_relative=False,
            optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried > 0, page
        assert failures == 0, page


def test_simd_targets():
    targets = kldiv.simd_targets()
    assert kldiv.simd_target() == targets[0]
    try:
        kldiv.limit_simd_target(targets[-1])
        assert kldiv.simd_target() == targets[-1]
        assert kldiv.kl([1, 0], [0.5, 0.5], base=2) == 1.0
    finally:
        kldiv.limit_simd_target("")
    assert kldiv.simd_target() == targets[0]


def test_thread_count_does_not_change_results():
    rng = np.random.default_rng(1)
    p = rng.random((50, 20000))
    q = rng.random((50, 20000))
    p /= p.sum(1, keepdims=True)
    q /= q.sum(1, keepdims=True)
    for f in (kldiv.kl, kldiv.cross_entropy):
        one = f(p, q, threads=1)
        np.testing.assert_array_equal(f(p, q, threads=2), one)
        np.testing.assert_array_equal(f(p, q, threads=7), one)
    assert kldiv.entropy(p[0], threads=1) == kldiv.entropy(p[0], threads=2)
