"""The engine's work counted in instructions, not seconds: one workload per run, under callgrind.

Timings on a shared machine move by 20 to 50% from run to run; instruction counts do not. This
script runs one of the engine's workloads once (after a warm-up of the same work, so imports and
first-call costs are counted in both the before and the after alike), with the cycle collector
off, so that only the engine's own work is measured. ``--callgrind`` runs each workload under
``valgrind --tool=callgrind`` and prints its instruction count:

    python benchmarks/instructions.py --callgrind          # every workload, counted
    python benchmarks/instructions.py elementary           # one workload, plainly (for valgrind)

Workloads (the ones docs/speed.md reports):
- ``elementary``: one graph of 2,000 terms ``relu(w*x + 0.5) * 0.1``, built and backpropagated;
- ``small-graphs``: 20 such graphs of 100 terms;
- ``mlp-step``: one training step of ``MLP(2, [16, 16, 1])`` on 100 moons (hinge + L2, SGD);
- ``chain``: a chain of 30,000 products, built and backpropagated.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable

from engine import elementary_workload

import nn
from autograd import Value
from nn.losses import hinge, l2, mean


def elementary() -> None:
    elementary_workload(Value, 2000).backward()


def small_graphs() -> None:
    for _ in range(20):
        elementary_workload(Value, 100).backward()


_MODEL = None


def mlp_step() -> None:
    global _MODEL
    if _MODEL is None:
        X, y01 = nn.datasets.make_moons(100, noise=0.1, seed=0)
        _MODEL = nn.MLP(2, [16, 16, 1], seed=0), nn.optim.SGD, X.tolist(), (2.0 * y01 - 1.0).tolist()
    model, SGD, X, Y = _MODEL
    params = model.parameters()
    opt = SGD(params, lr=1e-300)  # a step too small to move a weight: every step does the same work
    loss = mean([hinge(model(x), t) for x, t in zip(X, Y)]) + 1e-4 * l2(params)
    opt.zero_grad()
    loss.backward()
    opt.step()


def chain() -> None:
    x, y = Value(1.0), Value(1.0)
    for _ in range(30_000):
        x = x * y
    x.backward()


WORKLOADS: dict[str, Callable[[], None]] = {
    "elementary": elementary,
    "small-graphs": small_graphs,
    "mlp-step": mlp_step,
    "chain": chain,
}


REPEATS = 10


def count(name: str) -> int:
    """The instructions of one run of ``name``: (``1 + REPEATS`` runs minus 1 run) / ``REPEATS``.

    A whole process's count moves by a few million instructions from run to run (memory addresses
    decide how sets of nodes collide), so the difference is taken over ``REPEATS`` runs.
    """
    totals = []
    for runs in ("1", str(1 + REPEATS)):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "callgrind.out")
            subprocess.run(
                [
                    "setarch",  # no address randomisation: objects hash by address, and sets then collide alike
                    platform.machine(),
                    "-R",
                    "valgrind",
                    "--tool=callgrind",
                    "--main-stacksize=268435456",
                    f"--callgrind-out-file={out}",
                    sys.executable,
                    __file__,
                    name,
                    "--runs",
                    runs,
                ],
                check=True,
                capture_output=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            with open(out, encoding="utf-8") as f:
                totals.append(int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1)))  # type: ignore[union-attr]
    return (totals[1] - totals[0]) // REPEATS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", nargs="?", choices=sorted(WORKLOADS))
    parser.add_argument("--runs", type=int, default=2, help="how many times to run it (the first is the warm-up)")
    parser.add_argument("--callgrind", action="store_true", help="count every workload under valgrind")
    args = parser.parse_args()
    if args.callgrind:
        for name in WORKLOADS if args.workload is None else [args.workload]:
            print(f"{name:<14} {count(name) / 1e6:8.1f} M instructions", flush=True)
        return
    if args.workload is None:
        parser.error("name a workload, or pass --callgrind")
    gc.disable()
    for _ in range(args.runs):
        WORKLOADS[args.workload]()


if __name__ == "__main__":
    main()
