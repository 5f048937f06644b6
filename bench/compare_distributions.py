#!/usr/bin/python3
"""Batched Gaussian KL: kldiv (bench_distributions, C++, one thread) beside
torch.distributions.kl_divergence (PyTorch 1.13, one thread, float64,
validate_args=False) on the same shapes in one run. PyTorch/kldiv > 1 means
kldiv is faster.

usage: compare_distributions.py BUILD_DIR
"""
import json
import subprocess
import sys

import torch
from torch.distributions import Independent, Normal, kl_divergence
from timing import best_seconds  # noqa: E402


def normals(shape, seed):
    g = torch.Generator().manual_seed(seed)
    loc = torch.randn(shape, dtype=torch.float64, generator=g)
    scale = (0.5 * torch.randn(shape, dtype=torch.float64, generator=g)).exp()
    return loc, scale


def torch_cases():
    n = 1_000_000
    p, q = normals(n, 1), normals(n, 2)
    P = Normal(*p, validate_args=False)
    Q = Normal(*q, validate_args=False)
    rows, d = 100_000, 16
    dp, dq = normals((rows, d), 3), normals((rows, d), 4)
    DP = Independent(Normal(*dp, validate_args=False), 1)
    DQ = Independent(Normal(*dq, validate_args=False), 1)
    vr, vd = 100_000, 64
    mu0, lv0 = normals((vr, vd), 5)[0], normals((vr, vd), 6)[0]

    def vae():
        mu = mu0.clone().requires_grad_(True)
        lv = lv0.clone().requires_grad_(True)
        kl = 0.5 * (lv.exp() - 1 - lv + mu * mu).sum(-1)
        kl.sum().backward()
        return kl

    g = torch.Generator().manual_seed(9)
    a = torch.randn((2000, 64, 64), dtype=torch.float64, generator=g)
    covs = a @ a.transpose(-1, -2) + 32 * torch.eye(64, dtype=torch.float64)
    means = torch.randn((2000, 64), dtype=torch.float64, generator=g)

    def mvn():
        from torch.distributions import MultivariateNormal
        P = MultivariateNormal(means[0::2], covariance_matrix=covs[0::2],
                               validate_args=False)
        Q = MultivariateNormal(means[1::2], covariance_matrix=covs[1::2],
                               validate_args=False)
        return kl_divergence(P, Q)

    return {
        "BM_kl_mvn_full/1000/64": (
            "MultivariateNormal(covariance_matrix) x2 + kl_divergence, "
            "10^3 pairs, d = 64", mvn),
        "BM_kl_normal/1000000": ("kl_divergence(Normal, Normal), 10^6 pairs",
                                 lambda: kl_divergence(P, Q)),
        "BM_kl_diag_normal/100000/16": (
            "kl_divergence(Independent(Normal)), 10^5 x 16",
            lambda: kl_divergence(DP, DQ)),
        "BM_vae_kl_grad/100000/64": (
            "½Σ(exp(lv)-1-lv+mu²) + backward, 10^5 x 64", vae),
    }


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    torch.set_num_threads(1)
    out = subprocess.run(
        [f"{build}/bin/bench_distributions", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    ours = {b["name"]: b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3}[b["time_unit"]]
            for b in json.loads(out)["benchmarks"]}
    print(f"PyTorch {torch.__version__}, both on one thread, float64")
    print(f"{'case':<30} {'kldiv':>9} {'PyTorch':>9} {'PyTorch/kldiv':>13}  (PyTorch code)")
    for name, (label, fn) in torch_cases().items():
        theirs = best_seconds(fn)
        print(f"{name:<30} {ours[name] * 1e3:7.2f}ms {theirs * 1e3:7.2f}ms "
              f"{theirs / ours[name]:12.2f}x  ({label})")


if __name__ == "__main__":
    main()
