"""Every error mapping, with the library's message."""
import math

import numpy as np
import pytest

import kldiv
from kldiv import _kldiv


@pytest.mark.parametrize("kind,exc", [
    ("InvalidArgument", ValueError),
    ("NotSupported", NotImplementedError),
    ("IoError", OSError),
    ("Error", RuntimeError),
])
def test_each_library_exception_maps_to_its_python_exception(kind, exc):
    with pytest.raises(exc, match="^the message$"):
        _kldiv._throw(kind, "the message")


def test_invalid_argument_messages():
    cases = [
        (lambda: kldiv.kl([0.5, -0.2, 0.7], [0.3, 0.3, 0.4]),
         "p[1] = -0.2: probabilities must be >= 0"),
        (lambda: kldiv.kl(np.array([0.3, 0.7], np.float32),
                          np.array([1.2, -0.2], np.float32)),
         "q[1] = -0.2: probabilities must be >= 0"),
        (lambda: kldiv.kl([0.5, 0.5], [0.5, math.nan]),
         "q[1] = nan: probabilities must be finite"),
        (lambda: kldiv.kl([0.5, 0.3, 0.2], [0.5, 0.5]),
         "p has 3 entries but q has 2: the lengths must match"),
        (lambda: kldiv.kl([], []),
         "p is empty: a distribution needs at least one entry"),
        (lambda: kldiv.kl([0.5, 0.4], [0.5, 0.5]),
         "p sums to 0.9, not 1 (off by 0.09999999999999998, more than the "
         "tolerance 1e-06): pass normalize to treat the values as weights, "
         "or counts"),
        (lambda: kldiv.kl([[0.5, 0.5], [1.5, -0.5]], [0.5, 0.5]),
         "p[1][1] = -0.5: probabilities must be >= 0"),
        (lambda: kldiv.kl([0.5, 0.5], [0.5, 0.5], base=1),
         "base = 1: the logarithm base must be > 1 (e for nats, 2 for bits, "
         "10 for hartleys, or any b > 1)"),
        (lambda: kldiv.renyi([0.5, 0.5], [0.5, 0.5], -1),
         "renyi alpha = -1: the order must be >= 0 (or +inf)"),
        (lambda: kldiv.kl([0.5, 0.5], [0.5, 0.5], smoothing="alpha=1"),
         "additive smoothing (alpha) applies to counts, but the inputs are "
         "probabilities: pass counts, or smooth by mixing with the uniform "
         "distribution (lambda)"),
        (lambda: kldiv.js_divergence([1, 0], [0, 1], weights=(0.3, 0.6)),
         "js weights pi1 = 0.3, pi2 = 0.6: must be >= 0 and sum to 1"),
        (lambda: kldiv.f_divergence([0.5, 0.5], [0.5, 0.5], lambda t: t),
         "f(1) = 1, but an f-divergence needs f(1) = 0"),
        (lambda: kldiv.kl([0.5, 0.5], [0.5, 0.5], normalize=True, counts=True),
         "normalize and counts exclude each other"),
        (lambda: kldiv.kl([0.5, 0.5], [0.5, 0.5], smoothing="beta=2"),
         "smoothing = 'beta=2': expected 'alpha=A' (additive, on counts) or "
         "'lambda=L' (mix with the uniform distribution)"),
        (lambda: kldiv.kl(0.5, 0.5),
         "p and q must have at least one dimension (a distribution's "
         "entries); got shapes () and ()"),
        (lambda: kldiv.kl(np.ones((2, 3)) / 3, np.ones((4, 3)) / 3),
         "the batch shapes of p (2,) and q (4,) do not broadcast (the event "
         "axis excluded)"),
        (lambda: kldiv.evaluate("kullback", [1], [1]),
         "'kullback' is not a measure; the measures are kl, reverse_kl, "
         "generalized_kl, entropy, cross_entropy, jeffreys, js_divergence, "
         "js_distance, renyi, hellinger, bhattacharyya_coefficient, "
         "bhattacharyya_distance, total_variation, chi2_pearson, chi2_neyman"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError) as info:
            call()
        assert str(info.value) == message


def test_io_error_is_oserror():
    with pytest.raises(OSError) as info:
        kldiv.read_table("/nonexistent/p.csv")
    assert str(info.value) == ("cannot open '/nonexistent/p.csv': No such file "
                               "or directory")


def test_type_error_for_non_numbers():
    with pytest.raises(TypeError, match="p must hold numbers, not <U1"):
        kldiv.kl(["a"], [1.0])
