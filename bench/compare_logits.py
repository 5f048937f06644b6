#!/usr/bin/python3
"""KL between two models' logits: kldiv beside PyTorch, the same float32
arrays in one run, both on one thread. Prints, per shape and task, the best
time of each, the ratio PyTorch / kldiv (> 1: kldiv is faster), and the peak
extra memory of each (measured in a fresh process: its peak resident size
after the call minus before it, inputs already in memory).

usage: PYTHONPATH=build/python compare_logits.py
"""
import json
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

import kldiv
from timing import best_seconds as _best_seconds  # noqa: E402

SHAPES = [(64, 32_000), (32, 128_256)]
TEMPERATURE = 2.0


def inputs(rows, vocab):
    rng = np.random.default_rng(42)
    a = (3.0 * rng.standard_normal((rows, vocab))).astype(np.float32)
    b = (a + 0.3 * rng.standard_normal((rows, vocab))).astype(np.float32)
    return a, b


def tasks(a, b):
    """name -> (kldiv call, PyTorch call, PyTorch code shown)."""
    at, bt = torch.from_numpy(a), torch.from_numpy(b)
    T = TEMPERATURE

    def torch_grad(temperature):
        s = bt.clone().requires_grad_(True)
        loss = F.kl_div(F.log_softmax(s / temperature, -1),
                        F.log_softmax(at / temperature, -1), log_target=True,
                        reduction="batchmean")
        loss.backward()
        return loss.item(), s.grad

    return {
        "kl": (lambda: kldiv.kl_from_logits(a, b, threads=1),
               lambda: F.kl_div(F.log_softmax(bt, -1), F.log_softmax(at, -1),
                                log_target=True, reduction="batchmean").item(),
               "kl_div(log_softmax(b), log_softmax(a), log_target=True, "
               "reduction='batchmean')"),
        "kl T=2 + grad": (
            lambda: kldiv.kl_from_logits(a, b, temperature=T, threads=1,
                                         return_grad=True),
            lambda: torch_grad(T),
            "the same of a/T, b/T, then .backward()"),
        "reverse kl": (
            lambda: kldiv.reverse_kl_from_logits(a, b, threads=1),
            lambda: F.kl_div(F.log_softmax(at, -1), F.log_softmax(bt, -1),
                             log_target=True, reduction="batchmean").item(),
            "kl_div(log_softmax(a), log_softmax(b), log_target=True)"),
    }


def best_seconds(fn, budget=0.5):
    return _best_seconds(fn, budget)


def peak_child(shape, task, which):
    """Runs one call in a fresh process; returns its peak extra memory (MB):
    the peak resident size during the call (Linux's VmHWM, reset just before
    it) minus the resident size before it, after a warm-up call on a tiny
    input. Results the call returns (the gradient) count."""
    code = (
        "import sys, json\n"
        "sys.path[:0] = json.loads(sys.argv[1])\n"
        "import torch; torch.set_num_threads(1)\n"
        "import compare_logits as c\n"
        "fn = c.tasks(*c.inputs(2, 100))[sys.argv[3]][int(sys.argv[4])]\n"
        "fn()\n"  # warm up on a tiny input: libraries loaded
        "a, b = c.inputs(*json.loads(sys.argv[2]))\n"
        "fn = c.tasks(a, b)[sys.argv[3]][int(sys.argv[4])]\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        "open('/proc/self/clear_refs', 'w').write('5')\n"  # peak := now
        "before = hwm()\n"
        "fn()\n"
        "print((hwm() - before) / 1024)\n")
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps([here] + sys.path),
         json.dumps(list(shape)), task, str(which)],
        check=True, capture_output=True, text=True,
        # A fixed mmap threshold: every large block is fresh pages, not heap
        # left over from building the inputs, so that it shows in the peak.
        env=dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536"))
    return float(out.stdout.strip())


def main():
    torch.set_num_threads(1)
    print(f"kldiv {kldiv.__version__} ({kldiv.simd_target()}), PyTorch "
          f"{torch.__version__}, both on 1 thread; float32 logits")
    print()
    header = (f"{'shape':<13} {'task':<15} {'kldiv':>9} {'PyTorch':>9} "
              f"{'PyTorch/kldiv':>13} {'peak extra MB':>18}")
    print(header)
    print(f"{'':<13} {'':<15} {'':>9} {'':>9} {'':>13} {'kldiv':>8} "
          f"{'PyTorch':>9}")
    codes = {}
    for shape in SHAPES:
        a, b = inputs(*shape)
        for name, (ours, theirs, code) in tasks(a, b).items():
            codes[name] = code
            t_ours = best_seconds(ours)
            t_theirs = best_seconds(theirs)
            m_ours = peak_child(shape, name, 0)
            m_theirs = peak_child(shape, name, 1)
            print(f"{'x'.join(map(str, shape)):<13} {name:<15} "
                  f"{t_ours * 1e3:7.2f}ms {t_theirs * 1e3:7.2f}ms "
                  f"{t_theirs / t_ours:12.2f}x {m_ours:8.1f} {m_theirs:9.1f}")
    print()
    for name, code in codes.items():
        print(f"  {name}: PyTorch code: {code}")
    print("  (one rows x vocab float32 array is "
          + ", ".join(f"{r * v * 4 / 2**20:.1f} MB for {r}x{v}"
                      for r, v in SHAPES) + ")")


if __name__ == "__main__":
    main()
