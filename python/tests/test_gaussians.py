"""kldiv.kl_normal and kldiv.vae_kl against PyTorch (float64): values,
broadcasting, gradients (autograd) and errors."""
import numpy as np
import pytest
import torch
from torch.distributions import Normal, kl_divergence

import kldiv


def test_kl_normal_matches_torch_with_broadcasting():
    rng = np.random.default_rng(3)
    mp = rng.normal(size=(4, 1, 6))
    sp = np.exp(rng.normal(size=(1, 5, 6)))
    mq = rng.normal(size=6)
    sq = np.exp(rng.normal(size=(4, 5, 1)))
    got = kldiv.kl_normal(mp, sp, mq, sq)
    want = kl_divergence(Normal(torch.from_numpy(mp), torch.from_numpy(sp)),
                         Normal(torch.from_numpy(mq), torch.from_numpy(sq))).numpy()
    assert got.shape == (4, 5, 6)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_kl_normal_scalars_identical_and_nearly_equal():
    assert kldiv.kl_normal(1.0, 2.0, 1.0, 2.0) == 0.0
    # Nearly equal scales: torch's formula cancels, ours keeps the digits of
    # the series (KL ~ (ds/s)^2 = 1e-20).
    got = kldiv.kl_normal(0.0, 1.0, 0.0, 1.0 + 1e-10)
    assert got == pytest.approx(1e-20, rel=1e-9)


def test_kl_normal_errors():
    with pytest.raises(ValueError, match=r"scale_q\[1\] = -1, but must be > 0"):
        kldiv.kl_normal([0.0, 0.0], 1.0, 0.0, [1.0, -1.0])
    with pytest.raises(ValueError, match=r"loc_p\[0\] = nan"):
        kldiv.kl_normal(np.nan, 1.0, 0.0, 1.0)


def test_vae_kl_and_gradients_match_autograd():
    rng = np.random.default_rng(4)
    mu = rng.normal(size=(3, 7, 10))
    lv = rng.normal(size=(3, 7, 10))
    value, (gm, gl) = kldiv.vae_kl(mu, lv, return_grad=True)
    m = torch.from_numpy(mu).requires_grad_(True)
    l = torch.from_numpy(lv).requires_grad_(True)
    ref = 0.5 * (l.exp() - 1 - l + m * m).sum(-1)
    ref.sum().backward()
    np.testing.assert_allclose(value, ref.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(gm, m.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(gl, l.grad.numpy(), rtol=1e-13, atol=1e-16)
    assert value.shape == (3, 7) and gm.shape == mu.shape


def test_vae_kl_errors():
    with pytest.raises(ValueError, match="same shape"):
        kldiv.vae_kl(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"logvar\[0, 1\] = inf"):
        kldiv.vae_kl([0.0, 0.0], [0.0, np.inf])
