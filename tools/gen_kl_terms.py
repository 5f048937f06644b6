#!/usr/bin/python3
"""Single terms of KL for the kernel's per-term accuracy test.

Writes tests/data/kl_terms.json: pairs (p, q) of positive normal doubles and
g(p, q) = p log(p/q) - p + q, computed by mpmath at 60 digits on the exact
binary values of p and q and rounded once to the nearest double.
tests/test_simd.cpp feeds each pair alone to the KL kernel on every SIMD target
and checks the term against these values (the ulp bounds of the contract at
the top of src/simd/kl-inl.h).

    /usr/bin/python3 tools/gen_kl_terms.py [output.json]

The pairs (seeded, so the file is reproducible) stress the places where a
formula for g loses digits: ratios p/q near 1 (from 1 + 1e-15 to 1.1), near
the kernel's switch between its two formulas (p/q near 2/3 and 3/2) and near
1/2, 2, sqrt 2 and 2^+-0.586 (the far branch's widest argument), pairs that
straddle a power of two, ratios up to 2^+-1000, and plain Dirichlet-like
values.
"""
import json
import random
import sys

import mpmath as mp

DBL_MIN = 2.0 ** -1022


def pairs(rng):
    out = []

    def add(p, q):
        if DBL_MIN <= p < 1e300 and DBL_MIN <= q < 1e300:
            out.append((p, q))

    for _ in range(400):  # plain values
        add(rng.expovariate(1) * 10 ** rng.uniform(-8, 0),
            rng.expovariate(1) * 10 ** rng.uniform(-8, 0))
    ratios = [2 / 3, 1.5, 0.5, 2.0, 2 ** 0.5, 2 ** -0.5, 0.75, 4 / 3,
              2 ** 0.586, 2 ** -0.586]
    for _ in range(800):  # near the switches and the widest arguments
        q = rng.uniform(0.5, 4) * 2.0 ** rng.randint(-40, 0)
        r = rng.choice(ratios) * (1 + rng.uniform(-1e-3, 1e-3))
        add(q * r, q)
    for _ in range(600):  # near p = q
        q = rng.uniform(0.5, 4) * 2.0 ** rng.randint(-40, 0)
        e = 10 ** rng.uniform(-15, -1) * rng.choice([-1, 1])
        add(q * (1 + e), q)
    for _ in range(200):  # straddling a power of two
        e2 = 2.0 ** rng.randint(-60, 0)
        e = 10 ** rng.uniform(-15, -1)
        add(e2 * (1 + rng.uniform(0, e)), e2 * (1 - rng.uniform(0, e)))
        add(e2 * (1 - rng.uniform(0, e)), e2 * (1 + rng.uniform(0, e)))
    for _ in range(400):  # extreme ratios
        add(2.0 ** rng.uniform(-1000, 0), 2.0 ** rng.uniform(-1000, 0))
    return out


def g_exact(p, q):
    pm, qm = mp.mpf(p), mp.mpf(q)
    return pm * mp.log(pm / qm) - pm + qm


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/kl_terms.json"
    mp.mp.dps = 60
    rng = random.Random(20240604)
    cases = []
    for p, q in pairs(rng):
        g = g_exact(p, q)
        mp.mp.dps = 100
        assert float(g_exact(p, q)) == float(g)  # 60 digits are enough
        mp.mp.dps = 60
        cases.append([p.hex(), q.hex(), float(g).hex()])
    with open(path, "w") as f:  # one case a line
        f.write('{"source": "tools/gen_kl_terms.py (mpmath, 60 digits)",\n'
                ' "columns": ["p", "q", "g = p log(p/q) - p + q"],\n'
                ' "cases": [\n')
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
