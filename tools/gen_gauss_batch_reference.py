#!/usr/bin/python3
"""Reference values for the batched Gaussian KLs (kl_normal, kl_diag_normal,
vae_kl; tests/test_distributions_batch.cpp), by mpmath at 40 digits from the
textbook formulas
    KL(N(m1, s1) || N(m2, s2)) = log(s2/s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2,
    VAE: 1/2 Σ (exp(lv) - 1 - lv + mu^2), d/dmu = mu, d/dlv = (exp(lv) - 1)/2,
evaluated on the exact double inputs, so that nearly equal scales test the
kernel's digits (the formula cancels in double, not at 40 digits). Run with
Debian's python3:

    /usr/bin/python3 tools/gen_gauss_batch_reference.py
"""

import json
import pathlib

import mpmath as mp
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "gauss_batch_reference.json"
mp.mp.dps = 40


def kl_normal(m1, s1, m2, s2):
    m1, s1, m2, s2 = (mp.mpf(float(x)) for x in (m1, s1, m2, s2))
    return mp.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - mp.mpf(1) / 2


def number(x):
    """A double, or "inf" where the value overflows double."""
    f = float(mp.mpf(x))
    return "inf" if np.isinf(f) else f


def main():
    rng = np.random.default_rng(5)
    n = 300
    m1 = rng.normal(size=n) * 3
    s1 = np.exp(rng.normal(size=n))
    m2 = rng.normal(size=n) * 3
    s2 = np.exp(rng.normal(size=n))
    # Edge pairs: identical, nearly equal scales and locations, extreme
    # scales, a huge location difference.
    edges = [
        (0.0, 1.0, 0.0, 1.0),
        (1.5, 2.0, 1.5, 2.0),
        (0.0, 1.0, 0.0, 1.0 + 1e-9),
        (0.0, 1.0 - 2**-40, 0.0, 1.0),
        (3.0, 1.0, 3.0 + 1e-12, 1.0),
        (0.0, 1e-150, 0.0, 1e-150 * (1 + 1e-12)),
        (0.0, 1e-200, 0.0, 1e100),
        (0.0, 1e100, 0.0, 1e-100),
        (1e150, 1.0, -1e150, 1.0),
        (0.0, 1.0, 0.0, 1.3),
        (0.0, 1.3, 0.0, 1.0),
        (0.0, 1.0, 0.0, 0.8824969025845955),  # 2 log(s1/s2) = 1/4 exactly-ish
    ]
    for e in edges:
        m1 = np.append(m1, e[0])
        s1 = np.append(s1, e[1])
        m2 = np.append(m2, e[2])
        s2 = np.append(s2, e[3])
    pairs = {
        "loc_p": m1.tolist(), "scale_p": s1.tolist(),
        "loc_q": m2.tolist(), "scale_q": s2.tolist(),
        "kl": [number(kl_normal(*t)) for t in zip(m1, s1, m2, s2)],
    }
    # Diagonal normals: 7 rows of 13 components.
    rows, d = 7, 13
    dm1 = rng.normal(size=(rows, d))
    ds1 = np.exp(rng.normal(size=(rows, d)))
    dm2 = rng.normal(size=(rows, d))
    ds2 = np.exp(rng.normal(size=(rows, d)))
    diag = {
        "rows": rows, "d": d,
        "loc_p": dm1.ravel().tolist(), "scale_p": ds1.ravel().tolist(),
        "loc_q": dm2.ravel().tolist(), "scale_q": ds2.ravel().tolist(),
        "kl": [number(mp.fsum(kl_normal(dm1[r, j], ds1[r, j], dm2[r, j], ds2[r, j])
                              for j in range(d))) for r in range(rows)],
    }
    # VAE term: 5 rows of 17, logvar including tiny values (cancellation).
    vr, vd = 5, 17
    mu = rng.normal(size=(vr, vd))
    lv = rng.normal(size=(vr, vd))
    lv[0, :4] = [1e-9, -1e-12, 2**-30, 0.0]
    mu[0, :4] = [0.0, 1e-8, 0.0, 0.0]
    vae = {
        "rows": vr, "d": vd,
        "mu": mu.ravel().tolist(), "logvar": lv.ravel().tolist(),
        "kl": [number(mp.fsum((mp.exp(mp.mpf(float(lv[r, j]))) - 1 - mp.mpf(float(lv[r, j]))
                               + mp.mpf(float(mu[r, j])) ** 2) / 2 for j in range(vd)))
               for r in range(vr)],
        "grad_logvar": [number(mp.expm1(mp.mpf(float(x))) / 2) for x in lv.ravel()],
    }
    with open(OUT, "w") as f:
        json.dump({"pairs": pairs, "diag": diag, "vae": vae}, f, indent=0,
                  allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
