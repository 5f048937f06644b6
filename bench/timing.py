"""Timing helpers shared by the bench/compare_*.py scripts (imported from
the scripts' own directory, which Python puts first on sys.path)."""
import time
import timeit


def best(fn, repeat=3):
    """The fastest of `repeat` calls of fn, in seconds, and fn's last value
    (for work that takes long enough to time one call at a time)."""
    t_best, value = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, value


def best_seconds(fn, budget=1.0):
    """Seconds per call of fn: warmed up, then the best of 5 repeats of as
    many calls as fill about budget / 5 seconds each (for short calls)."""
    fn()
    t = timeit.timeit(fn, number=1)
    number = max(1, int(budget / max(t, 1e-7)) // 5)
    return min(timeit.repeat(fn, number=number, repeat=5)) / number
