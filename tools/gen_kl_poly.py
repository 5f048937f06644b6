#!/usr/bin/python3
"""Coefficients of the polynomial in the KL kernel (src/simd/kl-inl.h).

The kernel writes every term of KL through t = (a - b)/(a + b) for two values
a, b within a factor 1.5 of each other (see the kernel's comment), and needs

    atanh(t) = t (1 + w D(w)),   w = t^2,
    D(w)     = (atanh(sqrt w)/sqrt w - 1)/w = 1/3 + w/5 + w^2/7 + ...

for 0 <= w <= W_MAX. This script fits D on [0, W_MAX] by a polynomial of
degree DEGREE (mpmath.chebyfit: interpolation at Chebyshev nodes, within a
small factor of the minimax polynomial), rounds the coefficients to double,
measures the relative error of the rounded polynomial against D at 50 digits
on a fine grid, asserts it, and prints the coefficients as C++.

    /usr/bin/python3 tools/gen_kl_poly.py

Why W_MAX and DEGREE: |t| <= 1/5 where the kernel's near-p=q branch applies
(it is chosen as 5|p - q| < p + q), and |t| <= 0.20056 in its other branch
(p against q scaled by the power of two that brings p/q into
[2^-0.5861, 2^0.5861], see below); so w <= 0.04023 < W_MAX = 0.0403. D enters
the terms damped (the near branch uses 1 + D (w + t), |D (w + t)| < 0.09; the
other 1 + w D, w D < 0.014), so a relative error of 2^-50 in D costs well under
0.1 ulp of a term. Degree 7 reaches 2^-54 (the rounding of the coefficients);
degree 6 only 2^-47.7.

The bound on the far branch: with l(x) = (bits of x)/2^52 (the exponent plus
the fraction, a piecewise linear log2 of x up to a constant), the kernel picks
k = round(l(p) - l(q)), and log2(x) - l(x) lies in [c, c + 0.08607] for a
constant c, so |log2(p/(2^k q))| <= 1/2 + 0.08607.
"""
import mpmath as mp

W_MAX = 0.0403
DEGREE = 7


def d_of_w(w):
    w = mp.mpf(w)
    if w == 0:
        return mp.mpf(1) / 3
    z = mp.sqrt(w)
    return (mp.atanh(z) / z - 1) / w


def main():
    mp.mp.dps = 50
    # The far branch's bound on t, from the worst ratio it can see.
    c_max = max(mp.log(1 + f, 2) - f for f in mp.linspace(0, 1, 20001))
    r = mp.power(2, mp.mpf(1) / 2 + c_max)
    t_far = (r - 1) / (r + 1)
    assert t_far ** 2 < W_MAX and mp.mpf(1) / 25 < W_MAX
    coeffs, _ = mp.chebyfit(d_of_w, [0, W_MAX], DEGREE + 1, error=True)
    rounded = [float(c) for c in coeffs]  # highest degree first
    worst = mp.mpf(0)
    for i in range(4001):
        w = mp.mpf(W_MAX) * i / 4000
        v = mp.mpf(0)
        for c in rounded:
            v = v * w + mp.mpf(c)
        worst = max(worst, abs(v / d_of_w(w) - 1))
    assert worst < mp.mpf(2) ** -53, worst
    print(f"// |t| <= {float(t_far):.5f} in the far branch; D(w) on "
          f"[0, {W_MAX}], degree {DEGREE}, relative error "
          f"{float(worst):.3g} (2^{float(mp.log(worst, 2)):.1f})")
    print("constexpr double kD[] = {  // w^0 first")
    for c in reversed(rounded):
        print(f"    {c!r},")
    print("};")


if __name__ == "__main__":
    main()
